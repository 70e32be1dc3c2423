"""`vibesynth score` and `vibesynth serve-scorer`: the judge on the command line.

Scoring backends are imported only when a command runs, so other commands
never pay for them.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from tools.errors import AudioError, VibesynthError
from vibesynth.cli.app import EXIT_USAGE, app, console, err_console, fail, judge_option

DSP_CAPTION = (
    "dsp scores are a weight-free DSP PROXY of audiobox CE/CU/PC/PQ "
    "(formulas in aesthetics/dsp/scoring.py), not audiobox numbers. "
    "OBJ = 0.60 CE + 0.05 CU + 0.05 PC + 0.30 PQ"
)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _scorer_options(checkpoint: Path | None, token: str | None) -> dict:
    options: dict = {}
    if checkpoint is not None:
        options["checkpoint"] = checkpoint
    if token is not None:
        options["token"] = token
    return options


@app.command()
def score(
    files: list[Path] = typer.Argument(..., help="WAV/FLAC files to score, in order."),
    text: str | None = typer.Option(None, "--text", help="The brief/vibe (required by clap and vibe; ignored by dsp and audiobox)."),
    backend: str = judge_option("--backend", default="dsp", more="dsp by default: it needs no --text; vibe and clap need --text."),
    checkpoint: Path | None = typer.Option(None, "--checkpoint", help="Checkpoint file for audiobox/clap."),
    token: str | None = typer.Option(None, "--token", envvar="VIBESYNTH_SCORER_TOKEN", help="Bearer token for remote:URL."),
    as_json: bool = typer.Option(False, "--json", help="One JSON line per file, in the given order."),
) -> None:
    """Score audio files with an aesthetics backend (table, or JSON lines with --json)."""
    from aesthetics import get_scorer
    from tools.audio_io import read_audio

    # Loading a judge and scoring can take seconds (the vibe judge's first run embeds its anchor texts):
    # say so on stderr while it runs, so stdout keeps only the scores.
    with err_console.status(_loading_message(backend)) as status:
        if backend == "clap":
            from aesthetics.clap import require_text

            require_text(text)  # before the model loads
        if backend == "vibe":
            from aesthetics.vibe import require_text as require_vibe_text

            require_vibe_text(text)
        scorer = get_scorer(backend, **_scorer_options(checkpoint, token))
        status.update(f"scoring {len(files)} file{'s' if len(files) != 1 else ''} with the {scorer.backend} judge")
        # Per file, in order: its Scores, or one line (str) saying what is wrong with it. Every file gets its turn.
        outcomes: list = [None] * len(files)
        clips: dict[int, tuple] = {}  # readable files by position
        for index, path in enumerate(files):
            try:
                clips[index] = read_audio(path)
            except VibesynthError as err:
                outcomes[index] = _file_error(path, err)
        scored = _score_clips(scorer, [(audio, rate, text) for audio, rate in clips.values()])
        for index, result in zip(clips, scored, strict=True):
            outcomes[index] = _file_error(files[index], result) if isinstance(result, VibesynthError) else result
        results = [r for r in outcomes if not isinstance(r, str)]
        reading = _reading(text) if scorer.backend == "vibe" and results else None
    if as_json:
        for path, result in zip(files, outcomes, strict=True):
            if isinstance(result, str):
                print(json.dumps({"file": str(path), "error": result}), flush=True)
            else:
                print(json.dumps({"file": str(path), **result.model_dump(), **({"reading": reading} if reading else {})}), flush=True)
        _fail_if_any_failed(files, outcomes, quiet=True)
        return
    if results:
        _print_table(scorer, files, outcomes, results)
    if reading:
        console.print(_reading_table(text, reading))
    _fail_if_any_failed(files, outcomes, quiet=False)


def _loading_message(backend: str) -> str:
    if backend == "vibe":
        from tools.paths import cache_root

        if not any((cache_root() / "embeddings").glob("*/")):  # nothing embedded yet
            return "loading the vibe judge: the first run embeds its anchor texts with MiniLM (cached after, later runs start faster)"
    return f"loading the {backend.split(':')[0]} judge"


def _file_error(path: Path, err: VibesynthError) -> str:
    """One line for a file that could not be scored, starting with its path."""
    message = str(err)
    return message if message.startswith(str(path)) else f"{path}: {message}"


def _score_clips(scorer, items: list) -> list:
    """Scores per item, in order; an item whose audio the backend refuses gets its AudioError instead.

    The batch is tried first (one model pass for heavy backends); only when one clip is refused are
    the clips scored one by one, so the others still get their scores. Backend-wide problems
    (ScorerError: missing checkpoint, unreachable service) still end the command with one line."""
    if not items:
        return []
    try:
        return list(scorer.score_batch(items))
    except AudioError as err:
        if len(items) == 1:
            return [err]
    scored: list = []
    for item in items:
        try:
            scored.append(scorer.score_batch([item])[0])
        except AudioError as err:
            scored.append(err)
    return scored


def _fail_if_any_failed(files: list[Path], outcomes: list, quiet: bool) -> None:
    """After every file had its turn: name each one that could not be scored, then exit 2 if any.

    With --json (`quiet`) the files are already named in their JSON lines; stderr gets one summary line."""
    failed = [r for r in outcomes if isinstance(r, str)]
    if not failed:
        return
    if not quiet:
        for message in failed:
            err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
        if len(files) == 1:
            raise typer.Exit(EXIT_USAGE)
    where = 'their JSON lines carry an "error"' if quiet else "named above"
    fail(f"{len(failed)} of {len(files)} files could not be scored ({where}); fix or leave out those files")


def _print_table(scorer, files: list[Path], outcomes: list, results: list) -> None:
    table = Table(title=f"scores ({scorer.backend}, {scorer.version})", caption=DSP_CAPTION if scorer.backend == "dsp" else None)
    # the audiobox columns only where some backend gave them (the vibe and clap judges give none)
    components = [c for c in ("OBJ", "CE", "CU", "PC", "PQ") if any(getattr(r, c) is not None for r in results)]
    table.add_column("file", overflow="fold")
    for column in components:
        table.add_column(column, justify="right")
    show_clap = any("clap_reward" in r.extra for r in results)
    if show_clap:
        table.add_column("clap_sim", justify="right")
        table.add_column("clap_reward", justify="right")
    prefix = "dj" if any("dj_reward" in r.extra for r in results) else "vibe"  # the two axis judges share columns
    vibe_columns = tuple(f"{prefix}_{name}" for name in ("reward", "agreement", "quality", "coverage"))
    show_vibe = any(vibe_columns[0] in r.extra for r in results)
    if show_vibe:
        for column in vibe_columns:
            table.add_column(column, justify="right", no_wrap=True)
    for path, result in zip(files, outcomes, strict=True):
        if isinstance(result, str):
            continue  # named on stderr, one line each
        row = [str(path), *(_fmt(getattr(result, c)) for c in components)]
        if show_clap:
            row += [_fmt(result.extra.get("clap_sim")), _fmt(result.extra.get("clap_reward"))]
        if show_vibe:
            row += [_fmt(result.extra.get(c)) for c in vibe_columns]
        table.add_row(*row)
    console.print(table)


def _reading(text: str) -> dict:
    """What the judge's text side read: the axes it speaks to (target, confidence, sources), fields, notes."""
    from aesthetics.vibe.reader import read

    return read(text).to_json()


def _reading_table(text: str, reading: dict) -> Table:
    table = Table(
        title=f"what the vibe judge read in {text!r}", caption="target: 0 = the axis's low pole, 1 = its high pole; axes it did not read are left out"
    )
    for column in ("axis", "target", "confidence", "sources"):
        table.add_column(column, justify="left" if column in ("axis", "sources") else "right")
    for axis, row in reading["axes"].items():
        table.add_row(axis, f"{row['target']:.2f}", f"{row['confidence']:.2f}", ", ".join(row["sources"]))
    for note in reading["notes"]:
        table.add_row("note", "", "", note)
    if reading["unread"]:
        table.add_row("unread", "", "", ", ".join(reading["unread"]))
    return table


@app.command("serve-scorer")
def serve_scorer(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on (loopback by default)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    backend: str = judge_option("--backend", default="dsp", more="The server's default; a request may name another."),
    token: str | None = typer.Option(None, "--token", envvar="VIBESYNTH_SCORER_TOKEN", help="Require 'Authorization: Bearer TOKEN'."),
    checkpoint: Path | None = typer.Option(None, "--checkpoint", help="Checkpoint for audiobox/clap."),
    max_upload_mb: float = typer.Option(64.0, "--max-upload-mb", min=0.1, max=4096.0),
    max_seconds: float = typer.Option(600.0, "--max-seconds", min=1.0, max=86400.0),
    decode_budget_mb: float = typer.Option(
        2048.0, "--decode-budget-mb", min=64.0, help="Uploads, decoded audio and analysis held at once; requests past it get 503 + Retry-After."
    ),
    max_in_flight: int = typer.Option(32, "--max-in-flight", min=1, max=4096, help="Requests handled at once; more get 429 + Retry-After."),
) -> None:
    """Run the scoring service (POST /score, POST /score/batch, GET /health)."""
    import uvicorn

    from aesthetics import get_scorer
    from aesthetics.service import check_limits, create_app
    from tools.errors import VibesynthError

    try:
        check_limits(token, max_upload_mb, max_seconds, decode_budget_mb)
    except VibesynthError as err:
        fail(str(err))

    options = _scorer_options(checkpoint, None)
    get_scorer(backend, **options)  # fail now, not on the first request, if the backend cannot load
    app_ = create_app(
        backend=backend,
        token=token,
        max_upload_mb=max_upload_mb,
        max_seconds=max_seconds,
        scorer_factory=lambda name: get_scorer(name, **(options if name == backend else {})),
        decode_budget_mb=decode_budget_mb,
        max_in_flight=max_in_flight,
    )
    auth = "bearer token required" if token else "no auth"
    console.print(f"scoring service on http://{host}:{port} (backend {backend}, {auth})")
    uvicorn.run(app_, host=host, port=port, log_level="warning")
