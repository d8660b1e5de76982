"""Stage 5: data in and out of spreadsheets, year roll-over."""
