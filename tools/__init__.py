"""Instruments and their tool surface: schema, engines, audio I/O, loudness."""
