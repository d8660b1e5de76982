"""Stage 3: chapters as Jinja templates rendered once per edition."""
