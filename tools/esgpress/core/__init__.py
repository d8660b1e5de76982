"""Stage 0: what every stage needs (errors, exact numbers, output files, fingerprints)."""
