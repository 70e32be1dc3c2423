"""`vibesynth listen build|serve|report`: blind A/B listening tests of any producers' renders."""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

import typer
from rich.progress import Progress
from rich.table import Table

from vibesynth.cli.app import app, console, fail

listen_app = typer.Typer(help="Blind A/B listening tests: build a pack, serve the page, report the votes.", no_args_is_help=True)
app.add_typer(listen_app, name="listen")

DEFAULT_JUDGES = "dsp,vibe"


@listen_app.command("build")
def build(
    system: list[str] = typer.Option([], "--system", help="NAME=PATH: a folder of WAV/FLAC renders, a DJ run, or a folder of DJ runs (repeat)."),
    manifest: list[Path] = typer.Option([], "--manifest", help="A .json/.jsonl/.csv of rows system, item, brief, audio (repeat)."),
    out: Path = typer.Option(..., "--out", help="The pack folder to write (copy it anywhere to listen there)."),
    seed: int = typer.Option(0, min=0, help="Seed of pair choice, order, sides and file names."),
    title: str = typer.Option("Blind A/B listening test", help="Title shown on the page."),
    target_lufs: float = typer.Option(-23.0, min=-40.0, max=-6.0, help="Every clip is loudness-matched to this (LUFS)."),
    max_seconds: float | None = typer.Option(None, min=1.0, help="Cut clips to their first SECONDS (with a short fade)."),
    max_pairs: int | None = typer.Option(None, min=1, help="Keep a random subset of this many pairs."),
    force: bool = typer.Option(False, help="Replace a pack already at --out (never one holding votes)."),
) -> None:
    """Make a blind, loudness-matched A/B pack from two or more systems' renders."""
    from optimize.listen.pack import build_pack
    from optimize.listen.sources import clips_from_manifest, clips_from_path, parse_system_spec
    from tools.errors import VibesynthError

    if not system and not manifest:
        fail("give the renders to compare: --system NAME=FOLDER (twice or more) and/or --manifest FILE")
    try:
        clips = [c for path in manifest for c in clips_from_manifest(path)]
        for spec in system:
            name, path = parse_system_spec(spec)
            clips.extend(clips_from_path(name, path))
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("loudness-matching clips", total=None)
            pack = build_pack(
                clips,
                out,
                seed=seed,
                title=title,
                target_lufs=target_lufs,
                max_seconds=max_seconds,
                max_pairs=max_pairs,
                force=force,
                on_clip=lambda done, total: progress.update(task, completed=done, total=total),
            )
    except VibesynthError as err:
        fail(str(err))
    except OSError as err:
        fail(f"cannot write {err.filename or out} ({err.strerror or err}); pass --out a writable folder")
    spread = max(abs(c.lufs - target_lufs) for c in pack.clips.values())
    console.print(
        f"pack [bold]{out}[/]: {len(pack.pairs)} pairs of {len(pack.clips)} clips from {', '.join(pack.systems)}; "
        f"loudness {target_lufs:g} LUFS, largest deviation {spread:.2f} LU",
        highlight=False,
    )
    console.print(f"next: vibesynth listen serve {out}", highlight=False)


@listen_app.command("serve")
def serve(
    pack: Path = typer.Argument(..., help="A pack folder made by `vibesynth listen build`."),
    host: str = typer.Option("127.0.0.1", help="Interface to listen on (0.0.0.0 for other machines on the network)."),
    port: int = typer.Option(8765, min=1, max=65535),
    votes: Path | None = typer.Option(None, help="SQLite file for the votes; default PACK/votes.sqlite."),
    token: str | None = typer.Option(None, envvar="VIBESYNTH_LISTEN_TOKEN", help="Require this token (?token=... in the link)."),
) -> None:
    """Serve the listening page for a pack; votes go to SQLite."""
    import uvicorn

    from optimize.listen.server import create_app
    from tools.errors import VibesynthError

    try:
        web = create_app(pack, votes, token)
    except VibesynthError as err:
        fail(str(err))
    except sqlite3.Error as err:
        fail(f"cannot open the votes database {votes or pack / 'votes.sqlite'} ({err}); pass --votes a writable SQLite file")
    link = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/" + (f"?token={token}" if token else "")
    console.print(f"listening page: {link}  (Ctrl+C stops; votes in {votes or pack / 'votes.sqlite'})", highlight=False)
    if host not in ("127.0.0.1", "localhost", "::1") and not token:
        console.print("[yellow]serving beyond this machine without --token: anyone who can reach it can vote[/]")
    uvicorn.run(web, host=host, port=port, log_level="warning")


@listen_app.command("report")
def report(
    pack: Path = typer.Argument(..., help="The pack the votes were cast on."),
    votes: list[Path] = typer.Option([], "--votes", help="Vote databases to merge (repeat); default PACK/votes.sqlite."),
    out: Path | None = typer.Option(None, help="Report folder; default PACK/report."),
    judges: str = typer.Option(
        DEFAULT_JUDGES, help="Proxy judges (get_scorer backends, comma-separated) to check against the listeners; '' for none."
    ),
    seed: int = typer.Option(0, min=0, help="Seed of the Bradley-Terry bootstrap."),
) -> None:
    """Win rates (Wilson CI), binomial tests, Bradley-Terry ranking, proxy agreement; CSV, JSON and a PNG plot."""
    from optimize.listen.export import build_report
    from tools.errors import VibesynthError

    out = out or pack / "report"
    names = [j.strip() for j in judges.split(",") if j.strip()]
    try:
        with Progress(console=console, transient=True) as progress:

            def on_judge(name: str):
                task = progress.add_task(f"scoring clips with {name}", total=None)
                return lambda done, total: progress.update(task, completed=done, total=total)

            result = build_report(pack, votes or [pack / "votes.sqlite"], out, judges=names, seed=seed, on_judge=on_judge)
    except VibesynthError as err:
        fail(str(err))
    except sqlite3.Error as err:
        fail(f"cannot read the votes ({err}); pass --votes the SQLite file `listen serve` wrote")
    except OSError as err:
        fail(f"cannot write {err.filename or out} ({err.strerror or err}); pass --out a writable folder")
    _print_report(result)
    console.print(f"written: {out}/report.json, systems.csv, system_pairs.csv, agreement.csv, vibe_match.csv, votes.csv, report.png", highlight=False)


def _pct(row: dict, key: str = "win_rate") -> str:
    if not math.isfinite(row[key]):
        return "-"
    return f"{row[key]:.0%} [{row['ci_low']:.0%}, {row['ci_high']:.0%}]"


def _print_report(result: dict) -> None:
    console.print(
        f"{result['n_votes']} votes by {result['n_raters']} raters on {result['n_pairs_voted']} of {result['n_pairs']} pairs", highlight=False
    )
    table = Table(title="Systems (win rate with Wilson 95% CI; Bradley-Terry log strength with bootstrap 95% CI)")
    for column in ("rank", "system", "n", "wins", "win rate", "BT log strength"):
        table.add_column(column)
    for r in result["systems"]:
        table.add_row(
            str(r["rank"]),
            r["system"],
            str(r["n"]),
            str(r["wins"]),
            _pct(r),
            f"{r['bt_log_strength']:+.2f} [{r['bt_ci_low']:+.2f}, {r['bt_ci_high']:+.2f}]",
        )
    console.print(table)
    table = Table(title="Head to head (exact binomial test vs 50%, Holm-adjusted)")
    for column in ("system", "versus", "n", "wins", "win rate", "p", "p (Holm)"):
        table.add_column(column)
    for r in result["system_pairs"]:
        table.add_row(r["system"], r["versus"], str(r["n"]), str(r["wins"]), _pct(r), f"{r['p_binomial']:.3g}", f"{r['p_holm']:.3g}")
    console.print(table)
    table = Table(title="Vibe-match ratings 1-5 (mean with t 95% CI)")
    for column in ("system", "n", "mean", "95% CI"):
        table.add_column(column)
    for r in result["vibe_match"]:
        ci = "-" if not math.isfinite(r["ci_low"]) else f"[{r['ci_low']:.2f}, {r['ci_high']:.2f}]"
        table.add_row(r["system"], str(r["n"]), "-" if not r["n"] else f"{r['mean']:.2f}", ci)
    console.print(table)
    table = Table(title="Proxy judges vs listeners: how often the proxy prefers the clip people preferred (Wilson 95% CI, binomial vs 50%)")
    for column in ("judge", "value", "unit", "n", "agree", "rate", "p", "proxy ties", "unscored"):
        table.add_column(column)
    for r in result["agreement"]:
        p = "-" if not math.isfinite(r["p_binomial"]) else f"{r['p_binomial']:.3g}"
        table.add_row(
            r["judge"], str(r["field"]), r["unit"], str(r["n"]), str(r["agree"]), _pct(r, "rate"), p, str(r["proxy_ties"]), str(r["unscored"])
        )
    console.print(table)
    for name, reason in result["judges_unavailable"].items():
        console.print(f"[yellow]judge {name} not available, no agreement for it: {reason}[/]", highlight=False)
    for name, clips in result["clips_unscored"].items():
        console.print(f"[yellow]judge {name} could not score {len(clips)} clip(s), e.g.: {next(iter(clips.values()))}[/]", highlight=False)
