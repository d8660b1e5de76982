"""Stage 6: the print edition, laid out by WeasyPrint."""
