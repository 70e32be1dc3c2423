"""`vibesynth schema` and (with the ambient engine) `vibesynth render`."""

from __future__ import annotations

import json

from agent.cli.app import app, console
from tools.schema import json_schema


@app.command()
def schema() -> None:
    """Print the MusicConfig JSON Schema (for constrained decoding)."""
    console.print_json(json.dumps(json_schema()))
