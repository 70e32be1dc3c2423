"""Defects a new user hit (issue #27): low-rate audio, batch scoring with a bad file, Ctrl+C in the
teacher, NaN/Infinity in written JSON, non-finite numbers in CLI options, renders that stopped on a
click, API traps (a str path, two kinds of scores, sidecars unlike the CLI's), silent waits, and
guidance (suggestions, an empty DX7 description, `--version <bool>`)."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from aesthetics import get_scorer
from tools.audio_io import write_audio
from tools.files import write_json
from vibesynth.cli import app

from judge_signals import SR, music

CLI = [sys.executable, "-c", "from vibesynth.cli import main; main()"]
runner = CliRunner()


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "400"}  # wide enough that rich keeps each path on one line
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout, env=env)


def _strict_json(text: str):
    """json.loads that refuses NaN/Infinity, as strict parsers (JavaScript, jq, Go) do."""

    def refuse(constant: str):
        raise ValueError(f"non-standard JSON constant {constant}")

    return json.loads(text, parse_constant=refuse)


# 1. audio at or below 11.025 kHz used to raise IndexError in aesthetics/dsp/content.py


@pytest.mark.parametrize("rate", [8000, 11025, 16000])
@pytest.mark.parametrize("channels", [1, 2])
def test_low_rate_audio_scores_with_the_dsp_proxy(rate, channels):
    audio = music(4.0, sr=rate)[:, :channels]
    scores = get_scorer("dsp").score(audio, rate)
    assert scores.backend == "dsp" and 0.0 < scores.OBJ <= 10.0
    assert all(np.isfinite(v) for v in scores.extra.values())


def test_low_rate_sine_scores_on_the_command_line(tmp_path):
    t = np.arange(2 * 8000) / 8000
    path = tmp_path / "sine8k.wav"
    write_audio(path, (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)[:, None], 8000, "pcm16")
    done = _run("score", str(path), "--json")
    assert done.returncode == 0, done.stderr
    line = json.loads(done.stdout)
    assert line["backend"] == "dsp" and line["extra"]["dsp_spectral_peaks"] == 1.0


# 2. a batch stopped at the first bad file and printed nothing for the good ones


def test_score_batch_scores_every_file_and_reports_each_bad_one(tmp_path):
    good = write_audio(tmp_path / "good.wav", music(3.0), SR, "pcm16")
    junk = tmp_path / "junk.wav"
    junk.write_text("not audio")
    short = write_audio(tmp_path / "short.wav", music(0.2), SR, "pcm16")  # read fine, refused by the scorer
    alone = _run("score", str(good), "--json")
    assert alone.returncode == 0, alone.stderr
    done = _run("score", str(junk), str(good), str(short), "--json")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(junk), str(good), str(short)]
    assert lines[1] == json.loads(alone.stdout)  # the good file's line is exactly the one it gets alone
    assert set(lines[0]) == {"file", "error"} and "not readable" in lines[0]["error"]
    assert set(lines[2]) == {"file", "error"} and "at least 0.5 s" in lines[2]["error"]
    assert done.stderr.count("error:") == 1 and "2 of 3 files could not be scored" in done.stderr

    bad_only = _run("score", str(junk), str(short), "--json")  # one readable clip, and the scorer refuses it
    assert bad_only.returncode == 2 and "Traceback" not in bad_only.stderr
    assert [set(json.loads(line)) for line in bad_only.stdout.splitlines()] == [{"file", "error"}] * 2

    table = _run("score", str(good), str(tmp_path / "missing.wav"))
    assert table.returncode == 2 and "Traceback" not in table.stderr
    assert "good.wav" in table.stdout and "PROXY" in table.stdout
    assert "missing.wav: no such audio file" in table.stderr and "1 of 2 files" in table.stderr


# 3. Ctrl+C in the teacher printed a KeyboardInterrupt traceback and "Trial N failed"


def _saved_vibes(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=30) as con:
            return con.execute("SELECT COUNT(*) FROM study_user_attributes WHERE key = 'candidates'").fetchone()[0]
    except sqlite3.OperationalError:  # tables not made yet
        return 0


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_stops_the_teacher_in_one_line_and_keeps_its_trials(tmp_path, workers):
    vibes = tmp_path / "vibes.jsonl"
    texts = [
        "rainy afternoon in Tokyo",
        "dark warehouse techno",
        "sunny beach morning",
        "lonely city at 3am",
        "a slow funeral march",
        "bright festival drums",
        "foggy harbour at dawn",
        "a frantic chase",
    ]
    # distinct vibes: repeated ones would reuse every render from the feature cache and finish before Ctrl+C
    vibes.write_text("".join(json.dumps({"id": f"v{n}", "vibe": v, "split": "train"}) + "\n" for n, v in enumerate(texts)))
    out = tmp_path / "out"
    args = [
        *CLI,
        "teacher",
        "--split",
        str(vibes),
        "--judge",
        "dsp",
        "--contrast",
        "0",
        "--budget",
        "64",
        "--duration",
        "2",
        "--workers",
        str(workers),
        "-o",
        str(out),
    ]
    env = {**os.environ, "PYTHONPATH": str(Path.cwd())}
    # as from a terminal: Ctrl+C not ignored, whatever an earlier test left in this process's signal dispositions
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)
    )
    deadline = time.monotonic() + 90
    while _saved_vibes(out / "optuna.db") < 1 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)  # what Ctrl+C sends
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    for noise in ("Traceback", "KeyboardInterrupt", "failed"):
        assert noise not in stderr and noise not in stdout
    last = stdout.strip().splitlines()[-1]
    assert last.startswith("interrupted:") and "resume" in last and "optuna.db" in last
    assert 0 < _saved_vibes(out / "optuna.db") < 8


# 4. a 0.01 s render wrote "integrated_lufs": -Infinity (not JSON) and no note


def test_a_too_short_render_writes_strict_json_with_a_loudness_note(tmp_path):
    out = tmp_path / "x.wav"
    result = runner.invoke(app, ["render", "--vibe", "rain", "--duration", "0.01", "-o", str(out)])
    assert result.exit_code == 0, result.output
    sidecar = _strict_json(out.with_suffix(".json").read_text())
    assert sidecar["integrated_lufs"] is None
    assert "too short to measure loudness" in sidecar["loudness_note"] and "not reached" in sidecar["loudness_note"]
    assert "too short to measure loudness" in result.output


def test_a_normal_render_has_no_loudness_note(tmp_path):
    import vibesynth

    piece = vibesynth.render("rain", duration=1.0)
    assert piece.info["integrated_lufs"] == pytest.approx(-16.0, abs=0.05) and "loudness_note" not in piece.info


def test_json_writers_refuse_nan_and_infinity(tmp_path):
    from tools.files import write_json as write_optimize_json
    from tools.files import write_jsonl

    for write, payload in (
        (write_json, {"audio": {"lufs": float("-inf")}}),
        (write_optimize_json, {"audio": {"lufs": float("-inf")}}),
        (write_jsonl, [{"ok": 1.0}, {"audio": {"lufs": float("nan")}}]),
    ):
        path = tmp_path / "out.json"
        with pytest.raises(ValueError, match=r"audio\.lufs.*not JSON"):
            write(path, payload)
        assert not path.exists()
    write_json(tmp_path / "fine.json", {"lufs": None, "peak": -1.0})
    assert _strict_json((tmp_path / "fine.json").read_text()) == {"lufs": None, "peak": -1.0}
    from agent.trajectory import TrajectoryWriter

    trajectory = TrajectoryWriter(tmp_path / "trajectory.jsonl")  # the append-as-you-go writers are strict too
    trajectory.write("score", lufs=-16.0)
    with pytest.raises(ValueError, match=r"lufs.*not JSON"):
        trajectory.write("score", lufs=float("-inf"))
    assert [_strict_json(line)["lufs"] for line in (tmp_path / "trajectory.jsonl").read_text().splitlines()] == [-16.0]


# 5. `vibesynth dj --temperature nan` was accepted and ran


@pytest.mark.parametrize(
    "args",
    [
        ["dj", "a brief", "--temperature", "nan"],
        ["dj", "a brief", "--temperature", "inf"],
        ["dj", "a brief", "--bpm", "nan"],
        ["dj", "a brief", "--block-seconds", "inf"],
        ["render", "--vibe", "rain", "-o", "x.wav", "--duration", "inf"],
        ["render", "--vibe", "rain", "-o", "x.wav", "--target-lufs", "nan"],
        ["teacher", "--duration", "nan"],
        ["teacher", "--duration", "-inf"],
    ],
)
def test_non_finite_numbers_in_options_are_refused_in_one_line(tmp_path, args):
    args = [str(tmp_path / a) if a == "x.wav" else a for a in args]
    result = runner.invoke(app, [*args, *(["-o", str(tmp_path / "never")] if args[0] != "render" else [])])
    assert result.exit_code == 2, result.output
    option = args[-2]  # the option given the non-finite value
    assert f"{option} " in result.output and "not a finite number" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not (tmp_path / "never").exists() and not (tmp_path / "x.wav").exists()


# 6. renders stopped on a click: DJ sets at a bar line (last sample 0.11-0.14 full scale), DX7 renders
#    while a bell still rang, short or loud ambient clips above -60 dBFS. Every render ends in silence.

TAIL_SECONDS = 0.005


def _tail_dbfs(audio: np.ndarray, rate: int) -> float:
    """Peak of the last ~5 ms in dBFS (-inf for digital silence)."""
    peak = float(np.max(np.abs(audio[-max(1, int(TAIL_SECONDS * rate)) :])))
    return 20 * np.log10(peak) if peak > 0 else float("-inf")


@pytest.mark.parametrize("duration, target_lufs", [(1.0, -6.0), (0.5, -16.0), (3.0, -16.0)])
def test_ambient_renders_end_in_silence(duration, target_lufs):
    import vibesynth

    piece = vibesynth.render("dark loud techno", duration=duration, target_lufs=target_lufs)
    assert _tail_dbfs(piece.audio, piece.sample_rate) < -60.0
    again = vibesynth.render("dark loud techno", duration=duration, target_lufs=target_lufs)
    assert np.array_equal(piece.audio, again.audio)  # deterministic, bit for bit


def test_a_dj_set_from_the_reference_policy_ends_in_silence(tmp_path):
    from agent.dj import DJRun, run_dj
    from agent.policies import parse_policy
    from palettes.library import load_palette
    from reference.arrangements import render_reference
    from tools.audio_io import read_audio

    from agent_palette import make_palette

    palette = make_palette(tmp_path / "palette")
    outcome = run_dj(DJRun("dark warehouse techno", palette, parse_policy("fixed"), bars=32, scorer=None), tmp_path / "set")
    assert _tail_dbfs(outcome.audio, outcome.sample_rate) < -60.0
    written, rate = read_audio(tmp_path / "set" / "set.wav")
    assert _tail_dbfs(written, rate) < -60.0
    reference = render_reference(load_palette(palette), "32")  # what `vibesynth reference` writes
    assert _tail_dbfs(reference.audio, reference.sample_rate) < -60.0
    assert np.array_equal(reference.audio, render_reference(load_palette(palette), "32").audio)
    assert np.array_equal(reference.audio, outcome.audio)  # the agent's tool layer still changes nothing


def test_dx7_renders_end_in_silence(tmp_path):
    from tools.audio_io import read_audio
    from tools.dx7 import engine
    from tools.dx7.factory import factory_voice

    from dx7_support import require_factory

    require_factory()
    bells = factory_voice("BELLS").voice  # rang at -20 dBFS when the render stopped
    notes = [engine.Note(60, 100, 0.0, 1.5, 1.0)]
    audio = engine.render(bells, notes)
    assert _tail_dbfs(audio, 44100) < -60.0
    assert np.array_equal(audio, engine.render(bells, notes))
    wav = tmp_path / "bells.wav"
    result = runner.invoke(app, ["dx7", "design", "bright bells, long ringing", "-o", str(tmp_path / "v.json"), "--wav", str(wav)])
    assert result.exit_code == 0, result.output
    written, rate = read_audio(wav)
    assert _tail_dbfs(written, rate) < -60.0


# 7. API traps: a str path rendered as a vibe, `.scores` a dict where score() gives Scores, save() != CLI sidecar


def test_render_reads_a_str_naming_a_json_file_as_a_config_file(tmp_path):
    import vibesynth
    from tools.errors import ConfigError

    path = tmp_path / "partial.json"
    path.write_text(json.dumps({"tempo": "fast", "density": 6}))
    piece = vibesynth.render(str(path), duration=1)
    assert piece.info["source"] == "config file" and piece.info["config_file"] == str(path)
    assert piece.config.tempo == "fast" and piece.config.density == 6
    with pytest.raises(ConfigError, match="no such file") as info:
        vibesynth.render(str(tmp_path / "missing.json"), duration=1)
    assert "\n" not in str(info.value)


def test_scores_of_a_piece_and_a_set_are_the_scores_that_score_returns():
    import vibesynth
    from aesthetics import Scores
    from vibesynth.api import DJSet

    piece = vibesynth.render("rain", duration=1)
    assert isinstance(piece.scores, Scores) and piece.scores == vibesynth.score(piece, text="rain")
    assert piece.scores["OBJ"] == piece.scores.OBJ and piece.scores["backend"] == "dsp"  # as the README reads it
    with pytest.raises(KeyError, match="not a score"):
        piece.scores["nope"]
    played = DJSet(piece.audio, 44100, {"scores": piece.scores.model_dump()}, Path("."))
    assert isinstance(played.scores, Scores) and played.scores == piece.scores
    assert DJSet(piece.audio, 44100, {"scores": None}, Path(".")).scores is None


def test_save_writes_the_same_files_as_the_command_line(tmp_path):
    import vibesynth

    config = tmp_path / "partial.json"
    config.write_text(json.dumps({"tempo": "slow"}))
    (tmp_path / "cli").mkdir()
    (tmp_path / "api").mkdir()
    result = runner.invoke(app, ["render", "--config", str(config), "--duration", "2", "-o", str(tmp_path / "cli" / "x.wav")])
    assert result.exit_code == 0, result.output
    vibesynth.render(str(config), duration=2).save(tmp_path / "api" / "x.wav")  # int duration, str path
    for name in ("x.json", "x.wav"):
        assert (tmp_path / "api" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name
    assert '"duration": 2.0' in (tmp_path / "api" / "x.json").read_text()


# 8. silent waits: the first vibe score on a fresh cache, and retrieval embedding thousands of texts


@pytest.mark.slow
def test_the_first_vibe_score_says_what_it_waits_for(tmp_path):
    clip = write_audio(tmp_path / "clip.wav", music(3.0), SR, "pcm16")
    env = {
        **os.environ,
        "VIBESYNTH_CACHE": str(tmp_path / "cache"),  # fresh: nothing embedded yet
        "TTY_COMPATIBLE": "1",
        "TTY_INTERACTIVE": "1",
    }  # stderr as a terminal, where a spinner shows
    done = subprocess.run(
        [*CLI, "score", str(clip), "--backend", "vibe", "--text", "rainy night", "--json"], capture_output=True, text=True, timeout=300, env=env
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["backend"] == "vibe"  # stdout holds only the scores
    assert "loading the vibe judge" in done.stderr and "first run embeds" in done.stderr
    assert "scoring 1 file with the vibe judge" in done.stderr


def test_retrieval_shows_progress_while_embedding_many_texts_and_gets_the_same_vectors(monkeypatch, capsys):
    import zlib

    from optimize.eval.producers import ProducerContext, RetrievalProducer

    calls: list[int] = []

    def embed(texts: list[str]) -> np.ndarray:  # per text, like MiniLM's embed_texts
        calls.append(len(texts))
        out = np.zeros((len(texts), 16), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i, [zlib.crc32(w.encode()) % 16 for w in text.split()]] += 1.0
        return out

    train = [{"vibe": f"vibe number {i} of the train split"} for i in range(1000)]  # a first run embeds thousands
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("TTY_INTERACTIVE", "1")
    loud = RetrievalProducer(ProducerContext(train=train, embed=embed))
    shown = capsys.readouterr().err
    assert f"embedding {len(train)} retrieval vibes" in shown and len(calls) > 1
    calls.clear()
    quiet = RetrievalProducer(ProducerContext(train=train, embed=embed, quiet=True))
    assert capsys.readouterr().err == "" and calls == [len(train)]
    assert np.array_equal(loud.vectors, quiet.vectors)


# 9. guidance: `--set tempo=blazing` suggested "slow", `dx7 design ""` was accepted, `--version <bool>`


def test_a_set_value_unlike_every_choice_lists_the_valid_ones(tmp_path):
    out = tmp_path / "x.wav"
    result = runner.invoke(app, ["render", "--vibe", "rain", "--set", "tempo=blazing", "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()
    line = result.output.strip()
    assert len(line.splitlines()) == 1 and "Traceback" not in line
    assert "--set tempo" in line and "did you mean" not in line
    assert 'use one of "very_slow", "slow", "medium", "fast", "very_fast"' in line
    typo = runner.invoke(app, ["render", "--vibe", "rain", "--set", "tempo=fats", "-o", str(out)])
    assert typo.exit_code == 2 and 'did you mean "fast"?' in typo.output and len(typo.output.strip().splitlines()) == 1


@pytest.mark.parametrize("text", ["", "   "])
def test_dx7_design_refuses_an_empty_description(tmp_path, text):
    out = tmp_path / "v.json"
    result = runner.invoke(app, ["dx7", "design", text, "-o", str(out), "--wav", str(tmp_path / "v.wav")])
    assert result.exit_code == 2 and not out.exists() and not (tmp_path / "v.wav").exists()
    assert len(result.output.strip().splitlines()) == 1 and "empty" in result.output and "Traceback" not in result.output


def test_version_has_no_metavar_in_the_help():
    result = runner.invoke(app, ["--help"], terminal_width=120)
    assert result.exit_code == 0
    line = next(line for line in result.output.splitlines() if "--version" in line)
    assert "<bool>" not in line and "Print the version" in line


# 7. -o /nonexistent/dir/x.wav silently created folders under / (as root)


def test_an_output_under_a_missing_top_level_folder_is_refused(tmp_path):
    missing = Path("/") / f"vibesynth-missing-{os.getpid()}"
    result = _run("render", "--vibe", "rain", "--duration", "2", "-o", str(missing / "dir" / "x.wav"))
    assert result.returncode == 2 and not missing.exists()
    assert f"{missing} does not exist" in result.stderr and "mkdir -p" in result.stderr
    assert "Traceback" not in result.stderr
    nested = tmp_path / "new" / "folders" / "x.wav"  # under an existing folder: made as before
    assert _run("render", "--vibe", "rain", "--duration", "2", "-o", str(nested)).returncode == 0 and nested.exists()


# 7. the README's `--palette palettes/curated/palette_001.json` failed outside the checkout; no valid names listed


def test_the_readme_palette_path_works_from_any_folder_and_errors_list_the_names(tmp_path, monkeypatch):
    from palettes import CURATED_DIR, find_palette
    from palettes.library import load_palette
    from tools.errors import PaletteError

    monkeypatch.chdir(tmp_path)
    assert find_palette("palettes/curated/palette_001.json") == CURATED_DIR / "palette_001.json"
    assert find_palette("palette_002") == CURATED_DIR / "palette_002.json"
    assert find_palette("elsewhere/palette_001.json") == Path("elsewhere/palette_001.json")  # no guessing
    with pytest.raises(PaletteError, match=r"curated palette name \(palette_001, palette_002"):
        load_palette(find_palette("nope.json"))


# 7. `render --lm student:...` in .venv pointed to .venv-scorer; the student runs in .venv-train


@pytest.mark.skipif(importlib.util.find_spec("torch") is not None, reason="this environment has torch")
def test_the_student_without_torch_points_to_the_training_environment(tmp_path):
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "config.json").write_text("{}")  # a merged model folder: torch's
    result = _run("render", "--vibe", "rain", "--lm", f"student:{tmp_path}/model", "--duration", "2", "-o", str(tmp_path / "x.wav"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert ".venv-train" in result.stderr and "make train-env" in result.stderr and ".venv-scorer" not in result.stderr
    assert "--formats adapter" in result.stderr  # or the form that runs here


def test_a_student_folder_that_is_not_there_is_named(tmp_path):
    result = _run("render", "--vibe", "rain", "--lm", "student:some/model", "--duration", "2", "-o", str(tmp_path / "x.wav"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "student:some/model: no such folder" in result.stderr and "--lm student for the student" in result.stderr


# 7. the vibe score table showed five empty audiobox columns and cut its own column names


def test_the_vibe_score_table_shows_only_columns_that_have_values(tmp_path):
    wav = tmp_path / "x.wav"
    assert _run("render", "--vibe", "rain", "--duration", "2", "-o", str(wav)).returncode == 0
    table = _run("score", str(wav), "--backend", "vibe", "--text", "rain", timeout=300).stdout.split("what the vibe judge read")[0]
    assert "vibe_reward" in table and "vibe_agreement" in table
    assert not any(f" {column} " in table for column in ("OBJ", "CE", "CU", "PC", "PQ"))


# 7. `study` printed Optuna's raw INFO log lines ("[I ...] Trial 0 finished with value ...")


def test_a_study_shows_progress_not_optuna_log_lines(tmp_path):
    result = _run(
        "study",
        "ambient",
        "--brief",
        "rain",
        "--fields",
        "tempo",
        "--trials",
        "2",
        "--duration",
        "2",
        "--no-report",
        "-o",
        str(tmp_path),
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Trial 0 finished" not in result.stdout + result.stderr and "[I " not in result.stderr
    assert "2/2" in result.stdout


# 9. `python -m agent.ab summarize` on a jobs.tsv missing columns ended in a KeyError traceback


@pytest.mark.parametrize(
    "header, message",
    [
        ("a\tb", "lacks the column(s) run_dir, prompt, lm, replica"),
        ("run_dir\tprompt\tlm\treplica\nr1\tp\tm\tx", "replica 'x' is not a whole number"),
    ],
)
def test_ab_summarize_names_what_is_wrong_with_jobs_tsv(tmp_path, header, message):
    (tmp_path / "jobs.tsv").write_text(header + "\n")
    env = {**os.environ, "PYTHONPATH": str(Path.cwd())}
    result = subprocess.run([sys.executable, "-m", "agent.ab", "summarize", str(tmp_path)], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode != 0 and message in result.stderr and "Traceback" not in result.stderr


# 7. `doctor` cut paths at 80 columns and did not check the DX7 voices, the MiniLM weights or .venv-train


def test_doctor_checks_everything_a_newcomer_needs_and_cuts_nothing():
    report = json.loads(_run("doctor", "--json").stdout)
    names = {check["name"] for check in report["checks"]}
    assert {"MiniLM weights (all-MiniLM-L6-v2)", ".venv-train", "DX7 factory voices"} <= names
    for check in report["checks"]:
        assert check["ok"] or (check["blocks"] and check["fix"]), check
    table = subprocess.run(
        [*CLI, "doctor"], capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(Path.cwd()), "COLUMNS": "80"}
    ).stdout
    assert "…" not in table


# 7. `matched_terms` repeated a term hundreds of times for long texts


def test_matched_terms_lists_each_term_once_in_reading_order():
    from reference.vibe_mapper import matched_terms

    terms = matched_terms(" ".join(["rain"] * 300 + ["slow and dark"] * 100))
    assert len(terms) == len(set(terms)) and terms.index("rain") < terms.index("slow")
