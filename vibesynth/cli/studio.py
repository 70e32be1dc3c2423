"""`vibesynth studio`: the local page to make music in (ambient, DJ, DX7)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from vibesynth.cli.app import app, console, fail, finite

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@app.command()
def studio(
    out: Path = typer.Option(Path("runs/studio"), "--out", "-o", help="Folder for the versions (WAV + sidecar each); a restart shows them."),
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on; beyond this machine it needs --token."),
    port: int = typer.Option(8765, "--port", min=1, max=65535),
    token: Optional[str] = typer.Option(None, "--token", envvar="VIBESYNTH_STUDIO_TOKEN", help="Require this token (?token=... in the link)."),
    duration: float = typer.Option(20.0, "--duration", callback=finite(1, 300), help="Seconds per ambient render."),
    seed: int = typer.Option(0, "--seed", min=0, help="Performance seed of every render."),
) -> None:
    """Serve the studio page: type a vibe and hear it, refine it by words or controls, undo, download; DJ and DX7 tabs."""
    import uvicorn

    from vibesynth.studio.server import create_app

    if host not in LOCAL_HOSTS and not token:
        fail(f"--host {host} lets other machines in: add --token SECRET (or VIBESYNTH_STUDIO_TOKEN) and share the link it prints")
    web = create_app(out, token=token, duration=duration, seed=seed)
    link = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/" + (f"?token={token}" if token else "")
    console.print(f"studio at {link} (versions in {out}; Ctrl+C stops)", highlight=False, soft_wrap=True)
    uvicorn.run(web, host=host, port=port, log_level="warning")
