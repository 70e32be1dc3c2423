"""`vibesynth dj`: play a DJ set with an LM, the reference policy or a replayed trajectory."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer

from prompts import DEFAULT_PROMPT as PROMPT_DEFAULT
from vibesynth.cli.app import app, console, fail, finite, interrupted, judge_option
from vibesynth.cli.dj_live import LiveBoard


@app.command()
def dj(
    brief: Optional[str] = typer.Argument(None, help="What the set should feel like (taken from the trajectory when replaying)."),
    palette: Optional[Path] = typer.Option(
        None,
        help="Palette JSON or a curated palette's name (palette_001); default: picked "
        "from the brief among the curated ones (darker brief, darker palette).",
    ),
    bars: int = typer.Option(64, min=1, max=512, help="Length of the set; the mixer stops it here (`fixed`: at most 128)."),
    bpm: Optional[float] = typer.Option(
        None,
        callback=finite(allowed="60 to 200 BPM, or leave it out"),
        help="Tempo, 60 to 200 BPM; default: from the brief ('122 bpm', or a genre such as techno), else the palette's.",
    ),
    prompt: Path = typer.Option(PROMPT_DEFAULT, help="Instructions for the LM (prompts/*.txt)."),
    lm: str = typer.Option(
        "reference",
        help="A litellm model (openai/gpt-4o-mini, ollama_chat/...), `reference` (rules that read the "
        "brief), `fixed` (the reference arrangement whatever the brief), `random`, or `replay:TRAJECTORY.jsonl`.",
    ),
    api_base: Optional[str] = typer.Option(None, help="OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1."),
    seed: int = typer.Option(0, min=0, help="Seed of the mixer session (and of the LM where the provider takes one)."),
    temperature: Optional[float] = typer.Option(None, callback=finite(0.0), help="LM sampling temperature (>= 0)."),
    cache: bool = typer.Option(False, help="Use the LM response cache (off: replicas are independent)."),
    max_iters: int = typer.Option(40, min=1, help="Most RLM iterations (LM calls writing code)."),
    max_llm_calls: int = typer.Option(20, min=0, help="Most sub-LM calls (llm_query) from inside the sandbox."),
    block_seconds: float = typer.Option(20.0, callback=finite(1.0), help="Wall-time limit of one code block in the sandbox."),
    scorer: str = judge_option(
        "--scorer", default="dsp", more="For the summary, or none. dsp by default: the vibe judge is calibrated on ambient renders, not DJ sets"
    ),
    out: Optional[Path] = typer.Option(None, "-o", "--out", help="Output folder; default runs/dj-TIMESTAMP."),
    force: bool = typer.Option(False, help="Overwrite a run already in --out."),
    quiet: bool = typer.Option(False, help="No live display; print only the output folder."),
    play: bool = typer.Option(False, "--play", help="Play the set when an output device exists (else one line says none was found)."),
) -> None:
    """Play a DJ set through the agent's tool layer: audio, trajectory and scores land in --out."""
    from agent.dj import DJRun, replay_run, run_dj
    from agent.dj.replay import ReplayPolicy
    from agent.policies import parse_policy
    from agent.sandbox import SandboxLimits
    from palettes import curated_palettes, find_palette
    from reference.brief_mapper import choose
    from tools.errors import VibesynthError
    from tools.mixer.session import BPM_RANGE

    out_dir = out or Path("runs") / time.strftime("dj-%Y%m%d-%H%M%S")
    if bpm is not None and not BPM_RANGE[0] <= bpm <= BPM_RANGE[1]:
        fail(f"--bpm {bpm:g} is out of range; use {BPM_RANGE[0]:g} to {BPM_RANGE[1]:g}, or leave it out for the palette's tempo")
    try:
        policy = parse_policy(
            lm,
            api_base=api_base,
            temperature=temperature,
            seed=seed,
            cache=cache,
            prompt_path=prompt,
            limits=SandboxLimits(block_seconds=block_seconds),
            max_iters=max_iters,
            max_llm_calls=max_llm_calls,
        )
        scorer_name = None if scorer == "none" else scorer
        replaying = isinstance(policy, ReplayPolicy)
        if replaying:
            run = replay_run(policy.path, policy, scorer=scorer_name)
        else:
            if not brief:
                fail('give a BRIEF, e.g. vibesynth dj "dark warehouse techno, hypnotic"')
            choice = choose(brief, curated_palettes(), palette=find_palette(palette) if palette else None, bpm=bpm)
            run = DJRun(
                brief=brief,
                palette_path=choice.palette,
                policy=policy,
                bars=bars,
                bpm=choice.bpm,
                seed=seed,
                scorer=scorer_name,
                brief_choice=choice.record,
            )
            if not quiet and (palette is None or bpm is None):
                from rich.markup import escape

                why = f"palette {choice.palette.stem} ({choice.record['palette']['why']}); tempo {choice.record['bpm']['why']}"
                console.print(f"[dim]from the brief: {escape(why)}[/]", highlight=False)
            if not run.palette_path.is_file():
                fail(f"no palette at {run.palette_path}; pass --palette palettes/curated/<name>.json")
        if prompt != PROMPT_DEFAULT and "prompt" not in policy.reads and not quiet:
            console.print(
                f"[yellow]note:[/] --lm {policy.label} does not read --prompt; the set is the same "
                "whatever the prompt says (give a model to compare prompts)",
                highlight=False,
            )
        if out_dir.exists() and not out_dir.is_dir():
            fail(f"--out {out_dir} is a file; pass a folder path")
        if (out_dir / "summary.json").exists() and not force:
            fail(f"{out_dir} already holds a run; pass another --out or --force to overwrite it")

        if quiet:
            outcome = run_dj(run, out_dir)
        else:
            with LiveBoard(run, console) as board:
                outcome = run_dj(run, out_dir, on_call=board.update)
            board.print_summary(outcome.summary, out_dir)
        if replaying:
            _check_replay(policy.path, outcome.summary, quiet)
        if quiet:
            console.print(str(out_dir), highlight=False)
    except VibesynthError as err:
        fail(str(err))
    except KeyboardInterrupt:
        interrupted(f"the bars played so far are in {out_dir} (summary.json: ended_by 'interrupted')")
    except OSError as err:
        fail(f"cannot write {err.filename or out_dir} ({err.strerror or err}); pass --out a writable folder")
    if play:
        from vibesynth.cli.render import play_or_say

        play_or_say(outcome.audio, outcome.sample_rate)


def _check_replay(path: Path, summary: dict, quiet: bool) -> None:
    from agent.trajectory import read_trajectory

    ends = read_trajectory(path).of_kind("end")
    if not ends:
        if not quiet:
            console.print("[yellow]the recorded run did not finish (no `end` record): nothing to compare the audio with[/]")
        return
    if ends[-1]["audio_sha256"] != summary["audio"]["sha256"]:
        fail(f"replay of {path} did not reproduce the recorded audio (sha256 differs); this is a bug, please report it")
    if not quiet:
        console.print("[green]replay reproduced the recorded audio bit for bit[/]")
