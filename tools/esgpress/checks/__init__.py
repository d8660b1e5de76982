"""Stage 4: what a reviewer checks by hand; returns findings, writes nothing."""
