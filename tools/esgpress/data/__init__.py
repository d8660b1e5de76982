"""Stage 1: read and validate data/ into the typed model."""
