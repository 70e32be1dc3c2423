"""`dj`: the brief-aware judge of DJ sets (a PROXY; see `aesthetics.dj.scorer`) and its reading of a brief."""
