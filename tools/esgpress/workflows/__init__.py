"""Stage 5: data in and out of spreadsheets, year roll-over."""

import os

# openpyxl writes XLSX with lxml when lxml is installed and with the standard
# library otherwise, and the two serialise differently ("/>" vs " />"). lxml
# comes with pikepdf (the print edition's finishing step): keep the standard
# library's serialiser so the XLSX downloads do not change bytes with what
# else happens to be installed. Set before any module here imports openpyxl.
os.environ.setdefault("OPENPYXL_LXML", "False")
