"""The DX7 instrument: voice schema, SysEx I/O, the dexed-py engine, distances and the session tools."""
