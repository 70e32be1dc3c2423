"""`vibesynth compile vibe|dj`: DSPy compile jobs against the one metric (optimize.compile)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from vibesynth.cli.app import KEY_HELP, app, console, finite, judge_option

compile_app = typer.Typer(help="Compile DSPy programs against the audio metric (BootstrapFewShot, MIPROv2, GEPA).", no_args_is_help=True)
app.add_typer(compile_app, name="compile")


def _command() -> str:
    return "vibesynth " + " ".join(sys.argv[1:])


@compile_app.command("vibe")
def compile_vibe_command(
    optimizer: str = typer.Option(..., "--optimizer", help="bootstrap | random-search | mipro | gepa"),
    lm: str = typer.Option(..., "--lm", help="The task LM (litellm string; openai/NAME with --api-base for a local server)."),
    api_base: Optional[str] = typer.Option(None, "--api-base", help="OpenAI-compatible server for --lm."),
    reflection_lm: Optional[str] = typer.Option(None, "--reflection-lm", help="LM that writes instructions (GEPA; MIPROv2's proposer)."),
    reflection_api_base: Optional[str] = typer.Option(None, "--reflection-api-base", help="Server for --reflection-lm."),
    split: str = typer.Option("train", "--split", help="Training vibes: train | val | test or a .jsonl file."),
    valset: str = typer.Option("val", "--valset", help="Validation vibes (GEPA, MIPROv2)."),
    train_limit: int = typer.Option(16, "--train-limit", help="First N training vibes."),
    val_limit: int = typer.Option(8, "--val-limit", help="First N validation vibes."),
    judge: str = judge_option(),
    duration: float = typer.Option(4.0, "--duration", callback=finite(), help="Seconds rendered per judged config."),
    threshold: float = typer.Option(0.5, "--threshold", callback=finite(), help="Reward a bootstrapped demo must reach."),
    max_demos: int = typer.Option(4, "--max-demos", help="Demos per predictor (bootstrap, mipro)."),
    budget: int = typer.Option(60, "--budget", help="GEPA metric calls; MIPROv2 trials; random-search demo sets."),
    teacher: Optional[Path] = typer.Option(
        None, "--teacher", help="Teacher dataset (JSONL[.gz]): its configs label the training vibes, usable as demos (bootstrap, random-search)."
    ),
    temperature: Optional[float] = typer.Option(None, "--temperature", callback=finite(0.0), help="Task LM temperature (>= 0)."),
    seed: int = typer.Option(0, "--seed", help="Render seed and optimizer seed."),
    out: Path = typer.Option(..., "-o", "--out", help="Folder for program.json and run.json (the compile record)."),
) -> None:
    """Compile the vibe -> config program; writes OUT/program.json (DSPy JSON state) and OUT/run.json (the compile record)."""
    from agent.lm import parse_lm
    from optimize.compile.vibe_job import VibeCompileSettings, compile_vibe

    settings = VibeCompileSettings(
        optimizer=optimizer,
        split=split,
        valset=valset,
        train_limit=train_limit,
        val_limit=val_limit,
        judge=judge,
        duration=duration,
        threshold=threshold,
        max_demos=max_demos,
        budget=budget,
        seed=seed,
        teacher=str(teacher) if teacher else None,
    )
    settings.check()
    spec = parse_lm(lm, api_base=api_base, temperature=temperature, seed=seed)
    reflection = parse_lm(reflection_lm, api_base=reflection_api_base) if reflection_lm else None
    sidecar = compile_vibe(settings, spec, out, reflection=reflection, command=_command())
    changed = ", ".join(k for k, v in sidecar["changed"].items() if v)
    console.print(
        f"compiled with {optimizer} ({changed} changed, {sidecar['metric']['calls']} judged configs, "
        f"{sidecar['wall_s']:.0f} s): {out / 'program.json'}",
        highlight=False,
    )


@compile_app.command("dj")
def compile_dj_command(
    lm: str = typer.Option(..., "--lm", help="The LM that plays the sets (litellm string)."),
    api_base: Optional[str] = typer.Option(None, "--api-base", help="OpenAI-compatible server for --lm."),
    reflection_lm: str = typer.Option(..., "--reflection-lm", help="LM that rewrites the instructions."),
    reflection_api_base: Optional[str] = typer.Option(None, "--reflection-api-base", help="Server for --reflection-lm."),
    prompt: Path = typer.Option(Path("prompts/baseline.txt"), "--prompt", help="Seed instructions (a prompts/*.txt)."),
    brief: list[str] = typer.Option(..., "--brief", help="Training brief (repeatable, or @FILE one a line)."),
    val_brief: list[str] = typer.Option(..., "--val-brief", help="Validation brief (repeatable, or @FILE)."),
    palette: Path = typer.Option(..., "--palette", help="Palette JSON the sets are played on."),
    bars: int = typer.Option(16, "--bars", help="Bars per evaluation set (short: 8-16)."),
    budget: int = typer.Option(12, "--budget", help="Sets played in all."),
    max_iters: int = typer.Option(12, "--max-iters", help="RLM iterations per set."),
    scorer: str = judge_option("--scorer"),
    key: Optional[str] = typer.Option(None, "--key", help=KEY_HELP),
    seed: int = typer.Option(0, "--seed", help="Set seed and GEPA seed."),
    out: Path = typer.Option(..., "-o", "--out", help="The new prompt file (prompts/NAME.txt); NAME.json beside it."),
) -> None:
    """GEPA over the DJ instructions, scored by playing short sets; writes a new prompt file with provenance."""
    from agent.lm import parse_lm
    from optimize.compile.dj_job import DJCompileSettings, compile_dj, read_briefs
    from optimize.render_score import reward_key

    key = key or reward_key(scorer)
    settings = DJCompileSettings(
        briefs=read_briefs(brief),
        val_briefs=read_briefs(val_brief),
        palette=str(palette),
        bars=bars,
        seed=seed,
        scorer=scorer,
        key=key,
        budget=budget,
        max_iters=max_iters,
    )
    sidecar = compile_dj(
        settings, prompt, parse_lm(lm, api_base=api_base), parse_lm(reflection_lm, api_base=reflection_api_base), out, command=_command()
    )
    scores = sidecar["val_scores"]
    console.print(
        f"wrote {out} (validation {key}: seed {scores['seed']:.3f} -> best {scores['best']:.3f}, {sidecar['sets_played']} sets)", highlight=False
    )
