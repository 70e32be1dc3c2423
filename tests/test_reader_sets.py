"""The frozen reader validation sets are what FROZEN.md recorded, and their labels use the schema's values."""

from __future__ import annotations

from aesthetics.vibe.axes import AXIS_NAMES
from optimize.eval.reader_check import load_frozen
from tools.schema import FIELDS, choices


def test_frozen_sets_match_their_recorded_hashes_and_vocabulary():
    for name, minimum in (
        ("unseen-v1", 300),
        ("unseen-v2", 300),
        ("unseen-v3", 300),
        ("unseen-v4", 300),
        ("unseen-v5", 300),
        ("unseen-v6", 300),
        ("dev-v1", 200),
    ):
        items = load_frozen(name)
        assert len(items) >= minimum
        assert len({item["text"].lower() for item in items}) == len(items)
        for item in items:
            assert item["axes"] or item["fields"]
            assert set(item["axes"]) <= set(AXIS_NAMES) and set(item["axes"].values()) <= {"low", "high"}
            for field, value in item["fields"].items():
                assert field in FIELDS and value in choices(field), (item["id"], field, value)


def test_reader_check_scores_a_judge_that_reads_the_driving_fields(tmp_path):
    """A stand-in 'audio' that is exactly the config's driving-field levels: the 2AFC is then the reader's direction."""
    from aesthetics.vibe import judge
    from aesthetics.vibe.reader import field_level
    from optimize.eval import reader_check, reader_report

    def measure(config, seed):
        measured = {axis: 0.5 for axis in AXIS_NAMES}
        for axis, (field, _low, _high) in reader_check.DRIVERS.items():
            level = field_level(field, getattr(config, field))
            measured[axis] = level[1] if level else float(getattr(config, field) != "none")
        return measured, 0.9

    items = load_frozen("dev-v1")[:12]
    result = reader_check.judge_2afc(items, measure, lambda text, m: judge(text, *m)["vibe_reward"])
    summary = result["summary"]["all"]
    assert summary["n"] == len(reader_check.expectations(items)) and summary["rate"] > 0.7
    assert 0 <= summary["ci95"][0] <= summary["rate"] <= summary["ci95"][1] <= 1
    again = reader_check.rejudge(items, result["trials"], measure, lambda text, m: judge(text, *m)["vibe_reward"])
    assert again["all"] == summary
    match = reader_check.mapper_match(items)
    assert match["within_one"]["all"]["rate"] >= match["exact"]["all"]["rate"]
    ends = reader_check.audio_ends(["rain"], measure, (0,))
    assert ends["summary"]["all"]["rate"] == 1.0
    unseen = {
        "set": "dev-v1",
        "items": len(items),
        "two_afc": result,
        "ablation": {"all": summary},
        "mapper": match,
        "audio_ends": {**ends, "split": "test"},
    }
    assert reader_report.plot(unseen, tmp_path / "unseen.png").stat().st_size > 1000


def test_misses_are_told_apart_text_own_axis_and_cross_talk():
    """Three missed trials, each made to miss for one reason, are each put down to that reason."""
    from optimize.eval import reader_check

    items = [
        {"id": "a", "text": "very fast and frantic", "axes": {"pace": "high"}},
        {"id": "b", "text": "very fast and frantic", "axes": {"pace": "low"}},  # the reader reads fast: text
        {"id": "c", "text": "very bright and sparkling", "axes": {"brightness": "high"}},
    ]

    def measure(config, seed):
        bright = config.brightness in ("bright", "very_bright")
        fast = config.tempo in ("fast", "very_fast")
        return {"pace": float(fast), "brightness": float(bright)}, 0.9

    trials = [
        {"id": "a", "axis": "pace", "direction": "high", "right": 0.4, "wrong": 0.6},  # measured right: cross-talk
        {"id": "b", "axis": "pace", "direction": "low", "right": 0.4, "wrong": 0.6},
        {"id": "c", "axis": "brightness", "direction": "high", "right": 0.4, "wrong": 0.6},
        {"id": "a", "axis": "pace", "direction": "high", "right": 0.7, "wrong": 0.6},
    ]  # not missed

    def upside_down(config, seed):  # brightness measured backwards: its own axis
        measured, quality = measure(config, seed)
        return {**measured, "brightness": 1.0 - measured["brightness"]}, quality

    causes = reader_check.miss_causes(items[:2], trials[:2] + trials[3:], measure)
    assert causes["pace"] == {"text": 1, "own axis": 0, "cross-talk": 1}
    causes = reader_check.miss_causes(items[2:], trials[2:3], upside_down)
    assert causes["brightness"] == {"text": 0, "own axis": 1, "cross-talk": 0} and causes["all"]["own axis"] == 1
