"""Listening packs: blinding, loudness match, determinism, sources, readable errors."""

import hashlib
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from optimize.listen.pack import build_pack, load_pack, plan_pairs
from optimize.listen.sources import Clip, clips_from_manifest, clips_from_path
from tools.audio_io import read_audio, write_audio
from tools.errors import ConfigError
from tools.files import write_json
from tools.loudness import integrated_lufs
from vibesynth.cli.app import app

from listen_support import BRIEFS, SR, clip, write_renders

runner = CliRunner()


def _clips(folders):
    return [c for name, folder in folders.items() for c in clips_from_path(name, folder)]


def _digest(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_pack_is_blind_loudness_matched_and_self_contained(tmp_path):
    folders = write_renders(tmp_path / "renders", items=4)
    pack = build_pack(_clips(folders), tmp_path / "pack", seed=3)
    assert len(pack.pairs) == 4 and pack.systems == ["noise", "tone"]
    for token, c in pack.clips.items():
        name = (tmp_path / "pack" / c.file).name
        # opaque names: nothing of the system, item or source file shows
        assert name == f"{token}.wav" and not any(w in name for w in ("tone", "noise", "item"))
        audio, rate = read_audio(tmp_path / "pack" / c.file)
        assert rate == SR and abs(integrated_lufs(audio, rate) - (-23.0)) < 0.1
        assert c.true_peak_dbtp <= -1.0
    sources = {c.lufs_source for c in pack.clips.values()}
    assert max(sources) - min(sources) > 20  # the inputs really differed in loudness
    for pair in pack.pairs:
        a, b = pack.clips[pair.a], pack.clips[pair.b]
        assert a.system != b.system and a.item == b.item == pair.item
        assert abs(a.lufs - b.lufs) < 0.2
        assert pair.brief == BRIEFS[int(pair.item[-1])]
    # copy-anywhere: the manifest names files inside the pack only
    copied = tmp_path / "elsewhere"
    (tmp_path / "pack").rename(copied)
    assert load_pack(copied).pairs == pack.pairs


def test_sides_and_order_are_random_but_seeded(tmp_path):
    folders = write_renders(tmp_path / "renders", items=4)
    clips = _clips(folders)
    many = [Clip(c.system, f"{c.item}-{k}", c.brief, c.path) for c in clips for k in range(25)]
    planned = plan_pairs(many, np.random.default_rng(0))
    a_is_tone = sum(a.system == "tone" for _, _, a, _ in planned)
    assert len(planned) == 100 and 30 < a_is_tone < 70  # both sides used, not one fixed side
    items = [item for item, *_ in planned]
    assert items != sorted(items)  # shuffled
    again = plan_pairs(many, np.random.default_rng(0))
    assert [(i, a.path, b.path) for i, _, a, b in again] == [(i, a.path, b.path) for i, _, a, b in planned]
    build_pack(clips, tmp_path / "p1", seed=5)
    build_pack(clips, tmp_path / "p2", seed=5)
    build_pack(clips, tmp_path / "p3", seed=6)
    assert _digest(tmp_path / "p1") == _digest(tmp_path / "p2")  # byte for byte
    assert _digest(tmp_path / "p1") != _digest(tmp_path / "p3")


def test_three_systems_every_pair_and_max_pairs(tmp_path):
    folders = write_renders(tmp_path / "renders", systems=("tone", "noise", "chirp"), items=2)
    pack = build_pack(_clips(folders), tmp_path / "all", seed=0)
    assert len(pack.pairs) == 6  # 3 system pairs x 2 items
    assert {frozenset((pack.clips[p.a].system, pack.clips[p.b].system)) for p in pack.pairs} == {
        frozenset(("tone", "noise")),
        frozenset(("tone", "chirp")),
        frozenset(("noise", "chirp")),
    }
    assert len(build_pack(_clips(folders), tmp_path / "some", seed=0, max_pairs=4).pairs) == 4


def test_dj_runs_and_manifest_sources(tmp_path):
    for system, gain in (("v7", 0.1), ("v8", 0.4)):
        for k, brief in enumerate(BRIEFS[:2]):
            run = tmp_path / system / f"run{k}"
            write_audio(run / "set.wav", clip("noise", k) * gain, SR)
            write_json(run / "summary.json", {"brief": brief, "audio": {"file": "set.wav"}})
    dj = clips_from_path("v7", tmp_path / "v7") + clips_from_path("v8", tmp_path / "v8")
    assert {c.item for c in dj} == set(BRIEFS[:2]) and all(c.brief == c.item for c in dj)
    assert len(build_pack(dj, tmp_path / "djpack").pairs) == 2
    rows = [{"system": s, "item": f"run{k}", "brief": BRIEFS[k], "audio": f"{s}/run{k}/set.wav"} for s in ("v7", "v8") for k in range(2)]
    (tmp_path / "m.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    (tmp_path / "m.csv").write_text("system,item,brief,audio\n" + "\n".join(f"{r['system']},{r['item']},{r['brief']},{r['audio']}" for r in rows))
    assert clips_from_manifest(tmp_path / "m.jsonl") == clips_from_manifest(tmp_path / "m.csv")
    assert len(clips_from_manifest(tmp_path / "m.csv")) == 4


def test_bad_inputs_are_one_line_errors(tmp_path):
    folders = write_renders(tmp_path / "renders", items=2)
    one = clips_from_path("tone", folders["tone"])
    with pytest.raises(ConfigError, match="two or more systems"):
        build_pack(one, tmp_path / "x")
    other = [Clip("other", "unrelated", None, c.path) for c in one]
    with pytest.raises(ConfigError, match="no item is shared"):
        build_pack(one + other, tmp_path / "x")
    clash = [Clip("other", c.item, "a different brief", c.path) for c in one]
    with pytest.raises(ConfigError, match="different briefs"):
        build_pack(one + clash, tmp_path / "x")
    write_audio(tmp_path / "silent" / "item0.wav", np.zeros((SR, 2), np.float32), SR)
    with pytest.raises(ConfigError, match="silent"):
        build_pack(one + clips_from_path("silent", tmp_path / "silent"), tmp_path / "x")
    (tmp_path / "bad.jsonl").write_text(json.dumps({"system": "a", "audio": "x.wav"}))
    with pytest.raises(ConfigError, match="row 1 lacks item"):
        clips_from_manifest(tmp_path / "bad.jsonl")

    args = ["listen", "build", "--system", f"tone={folders['tone']}", "--system", f"noise={folders['noise']}"]
    ok = runner.invoke(app, [*args, "--out", str(tmp_path / "pack")])
    assert ok.exit_code == 0, ok.output
    again = runner.invoke(app, [*args, "--out", str(tmp_path / "pack")])
    assert again.exit_code == 2 and "already exists" in again.output and "Traceback" not in again.output
    (tmp_path / "pack" / "votes.sqlite").write_bytes(b"")
    forced = runner.invoke(app, [*args, "--out", str(tmp_path / "pack"), "--force"])
    assert forced.exit_code == 2 and "holds votes" in forced.output  # never deletes votes
    typo = runner.invoke(app, ["listen", "build", "--system", "tone", "--out", str(tmp_path / "y")])
    assert typo.exit_code == 2 and "NAME=PATH" in typo.output
