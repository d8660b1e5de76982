"""Stage 2: what differs per edition: texts, number formats, script conversion."""
