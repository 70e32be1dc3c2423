"""The frozen reader validation sets are what FROZEN.md recorded, and their labels use the schema's values."""

from __future__ import annotations

from aesthetics.vibe.axes import AXIS_NAMES
from optimize.eval.reader_check import load_frozen
from tools.schema import FIELDS, choices


def test_frozen_sets_match_their_recorded_hashes_and_vocabulary():
    for name, minimum in (("unseen-v1", 300), ("dev-v1", 200)):
        items = load_frozen(name)
        assert len(items) >= minimum
        assert len({item["text"].lower() for item in items}) == len(items)
        for item in items:
            assert item["axes"] or item["fields"]
            assert set(item["axes"]) <= set(AXIS_NAMES) and set(item["axes"].values()) <= {"low", "high"}
            for field, value in item["fields"].items():
                assert field in FIELDS and value in choices(field), (item["id"], field, value)
