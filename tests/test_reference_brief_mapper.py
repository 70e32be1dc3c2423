"""The brief picks palette and tempo when the user names neither (reference.brief_mapper, `vibesynth dj`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reference.brief_mapper import choose, palette_from_brief, tempo_from_brief
from tools.errors import ConfigError
from vibesynth.cli import app

from dj_support import full_library

CURATED = sorted((Path(__file__).resolve().parents[1] / "palettes" / "curated").glob("*.json"))
SUNNY = "sunny euphoric beach house, 122 bpm"
DARK = "dark warehouse techno, hypnotic"


@pytest.mark.parametrize(
    "brief, bpm",
    [
        (SUNNY, 122.0),
        ("Deep techno at 131.5 BPM", 131.5),
        ("techno, 128-bpm, please", 128.0),
        (DARK, 130.0),
        ("laid-back deep house at sunset", 116.0),  # "deep house" beats "house"; laid-back -4
        ("driving peak time techno", 134.0),
        ("hard techno", 145.0),  # the genre's own word does not nudge again
        ("warehouse party", None),  # "house" inside "warehouse" is not a genre
        ("rainy afternoon in Tokyo", None),
    ],
)
def test_tempo_from_the_brief(brief, bpm):
    assert tempo_from_brief(brief)[0] == bpm


def test_an_impossible_tempo_in_the_brief_is_refused_with_the_fix():
    with pytest.raises(ConfigError, match="asks for 300 BPM.*pass --bpm"):
        tempo_from_brief("techno at 300 bpm")


def _palettes(tmp_path: Path, centroids: list[float | None]) -> list[Path]:
    paths = []
    for k, centroid in enumerate(centroids):
        path = tmp_path / f"palette_{k + 1:03d}.json"
        scores = {} if centroid is None else {"centroid_hz": centroid}
        path.write_text(json.dumps({"id": path.stem, "samples": {}, "scores": scores}))
        paths.append(path)
    return paths


def test_mood_words_pick_by_brightness_and_say_why(tmp_path):
    paths = _palettes(tmp_path, [400.0, 250.0, 900.0, 600.0])  # dark -> bright: 002, 001, 004, 003
    assert palette_from_brief(DARK, paths)[0].stem == "palette_002"
    assert palette_from_brief(SUNNY, paths)[0].stem == "palette_003"
    assert palette_from_brief("dark but euphoric", paths)[0].stem == "palette_001"  # even vote: middle, darker side
    chosen, why = palette_from_brief("sunny and warm, one dark moment", paths)
    assert chosen.stem == "palette_004" and "'sunny'" in why and "2 bright, 1 dark" in why
    first, why = palette_from_brief("something for a wedding", paths)
    assert first.stem == "palette_001" and "no mood word" in why


def test_palettes_without_brightness_fall_back_to_the_first_and_say_so(tmp_path):
    paths = _palettes(tmp_path, [300.0, None])
    chosen, why = palette_from_brief(DARK, paths)
    assert chosen == paths[0] and "record no brightness" in why


def test_choose_keeps_what_the_user_gave_and_is_deterministic(tmp_path):
    paths = _palettes(tmp_path, [400.0, 250.0])
    given = choose(DARK, paths, palette=paths[0], bpm=140.0)
    assert (given.palette, given.bpm) == (paths[0], 140.0)
    assert given.record["palette"]["why"] == "given (--palette)" and given.record["bpm"]["why"] == "given (--bpm)"
    assert choose(SUNNY, paths) == choose(SUNNY, paths)
    with pytest.raises(ConfigError, match="no curated palette"):
        choose(DARK, [])


def test_the_curated_palettes_give_two_briefs_two_choices():
    assert CURATED and all("centroid_hz" in json.loads(p.read_text())["scores"] for p in CURATED)
    sunny, dark = choose(SUNNY, CURATED), choose(DARK, CURATED)
    assert sunny.bpm == 122.0 and dark.bpm == 130.0
    assert sunny.palette != dark.palette


def test_dj_cli_two_briefs_two_sets_and_the_choice_is_recorded(tmp_path, monkeypatch):
    root, _ = full_library()
    monkeypatch.setenv("VIBESYNTH_CACHE", str(root))
    runner = CliRunner()
    summaries = {}
    for name, brief in (("sunny", SUNNY), ("dark", DARK)):
        out = tmp_path / name
        result = runner.invoke(app, ["dj", brief, "--lm", "reference", "--bars", "8", "--scorer", "none", "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert "from the brief:" in result.output
        summaries[name] = json.loads((out / "summary.json").read_text())
        header = json.loads((out / "trajectory.jsonl").read_text().splitlines()[0])
        assert header["brief_choice"] == summaries[name]["brief_choice"]
    assert summaries["sunny"]["bpm"] == 122.0 and summaries["dark"]["bpm"] == 130.0
    assert summaries["sunny"]["audio"]["sha256"] != summaries["dark"]["audio"]["sha256"]
    assert summaries["dark"]["brief_choice"]["mapper"].startswith("rule-based")
    assert "'dark'" in summaries["dark"]["brief_choice"]["palette"]["why"]


def test_python_api_picks_from_the_brief_like_the_cli(tmp_path, monkeypatch):
    import vibesynth

    root, _ = full_library()
    monkeypatch.setenv("VIBESYNTH_CACHE", str(root))
    played = vibesynth.dj(DARK, bars=4, scorer=None, out=tmp_path / "api")
    assert played.summary["bpm"] == 130.0
    assert played.summary["brief_choice"] == choose(DARK, CURATED).record


def test_dj_cli_refuses_an_impossible_tempo_in_the_brief_in_one_line(tmp_path):
    result = CliRunner().invoke(app, ["dj", "techno at 300 bpm", "--lm", "reference", "--out", str(tmp_path / "x")])
    assert result.exit_code == 2 and "asks for 300 BPM" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x").exists()
