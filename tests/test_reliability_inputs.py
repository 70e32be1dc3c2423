"""Every CLI input through one hardened reader (issue 15, class 5), with a hypothesis fuzz of each JSON reader."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from agent.dj.header import replay_settings
from agent.trajectory import read_trajectory
from palettes.library import load_palette, read_json_model
from palettes.manifest import LibraryManifest, PaletteFile, SampleEntry
from tools import safe_json
from tools.errors import AgentError, ConfigError, InputError, PaletteError, VibesynthError
from tools.schema import MusicConfig
from vibesynth.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    "text, problem",
    [
        ('{"a": 1, "a": 2}', "duplicate key 'a'"),
        ('{"n": ' + "9" * 5000 + "}", "integer of 5000 digits"),
        ("[" * 100_000 + "]" * 100_000, "nested 100000 levels deep"),
        ('{"x": 1e999}', "out of range"),
        ('{"x": NaN}', "NaN is not a JSON number"),
        (b'{"x": "\xff"}', "not UTF-8"),
    ],
)
def test_the_reader_names_the_problem_in_one_line(text, problem):
    with pytest.raises(InputError) as err:
        safe_json.loads(text, "thing.json")
    assert problem in str(err.value) and "\n" not in str(err.value)


def test_devices_fifos_and_folders_are_refused_without_reading(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)  # opening it would block forever
    for path, kind in ((Path("/dev/zero"), "a device file"), (fifo, "a FIFO"), (tmp_path, "a folder")):
        with pytest.raises(InputError, match=kind):
            safe_json.read_file(path, "palette file")


def test_palette_and_index_paths_outside_the_library_root_are_refused(tmp_path):
    root = tmp_path / "lib"
    (root / "kick").mkdir(parents=True)
    outside = tmp_path / "secret.wav"
    outside.write_bytes(b"RIFF")
    (root / "kick" / "link.wav").symlink_to(outside)
    from palettes.library import sample_path

    for relative in ("../secret.wav", "kick/link.wav", str(outside)):
        entry = SampleEntry(id="k", role="kick", path=relative, loop=False, duration=1.0, sample_rate=44100, sha256="0")
        with pytest.raises(PaletteError, match="outside the library root"):
            sample_path(entry, root)
    os.mkfifo(root / "kick" / "fifo.wav")
    entry = SampleEntry(id="f", role="kick", path="kick/fifo.wav", loop=False, duration=1.0, sample_rate=44100, sha256="0")
    with pytest.raises(PaletteError, match="FIFO"):
        sample_path(entry, root)


def test_a_palette_with_a_duplicate_key_is_refused_naming_the_key(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"id": "a", "id": "b", "samples": {}}')
    with pytest.raises(PaletteError, match="duplicate key 'id'"):
        load_palette(path)


HEADER = {"kind": "run", "run_id": "r", "step": 0, "brief": "b", "palette_path": "/p.json", "bars": 16, "bpm": 128.0, "seed": 0}


@pytest.mark.parametrize(
    "change, problem",
    [
        ({"brief": None}, "brief"),
        ({"bars": "lots"}, "bars"),
        ({"bpm": "fast"}, "bpm"),
        ({"bars": 10**9}, "bars"),
        ({"bars": True}, "bars"),
        ({"seed": -1}, "seed"),
    ],
)
def test_a_malformed_replay_header_is_refused_naming_the_field(change, problem):
    header = {**HEADER, **change}
    if change.get("brief", "") is None:
        del header["brief"]
    with pytest.raises(AgentError, match=rf"\({problem}: "):
        replay_settings(header, Path("t.jsonl"))


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"[1, 2]\n", "is a JSON list, not a record object"),
        (b"\x00\x01\x02\xff\xfe\n" * 3, "not UTF-8"),
        (json.dumps([HEADER]).encode() + b"\n", "not a record object"),
    ],
)
def test_a_trajectory_that_is_not_records_is_refused(tmp_path, content, problem):
    path = tmp_path / "t.jsonl"
    path.write_bytes(content + b'{"kind": "end"}\n')
    with pytest.raises(AgentError, match=problem):
        read_trajectory(path)


def test_dj_replay_of_a_bad_header_exits_2_with_one_line(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps({**HEADER, "bpm": "fast"}) + "\n")
    result = runner.invoke(app, ["dj", "--lm", f"replay:{path}", "--out", str(tmp_path / "o"), "--quiet"])
    assert result.exit_code == 2 and "bpm" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["--max-upload-mb", "inf"], "--max-upload-mb"),
        (["--max-upload-mb", "nan"], "--max-upload-mb"),
        (["--token", ""], "--token is empty"),
        (["--token", "   "], "--token is empty"),
    ],
)
def test_serve_scorer_refuses_unusable_limits_and_an_empty_token(args, message):
    result = runner.invoke(app, ["serve-scorer", *args])
    assert result.exit_code == 2 and message in result.output, result.output


# -- fuzz: every JSON reader the CLI has turns any bytes into a value or one VibesynthError ---------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
HOSTILE_TEXT = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300),
    JSON_VALUES.map(json.dumps),
    st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n + "]" * n),
    st.integers(min_value=30, max_value=6000).map(lambda n: '{"n": ' + "7" * n + "}"),
    st.sampled_from(['{"a":1,"a":2}', '{"x": NaN}', '{"x": 1e400}', "\ufeff{}", '{"s": "\\ud800"}']),
)


def _as_bytes(data: str | bytes) -> bytes:
    return data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(data=HOSTILE_TEXT)
def test_fuzz_the_config_reader(data):
    try:
        MusicConfig.parse(_as_bytes(data))
    except ConfigError as err:  # anything else escaping fails the test
        assert str(err)


@FUZZ
@given(data=HOSTILE_TEXT, model=st.sampled_from([PaletteFile, LibraryManifest]))
def test_fuzz_the_palette_and_index_readers(tmp_path_factory, data, model):
    path = tmp_path_factory.mktemp("fuzz") / "f.json"
    path.write_bytes(_as_bytes(data))
    try:
        read_json_model(model, path, "palette file", "fix it")
    except PaletteError as err:  # anything else escaping fails the test
        assert str(path) in str(err)


@FUZZ
@given(lines=st.lists(HOSTILE_TEXT, min_size=1, max_size=4), header=st.booleans())
def test_fuzz_the_trajectory_and_replay_header_readers(tmp_path_factory, lines, header):
    path = tmp_path_factory.mktemp("fuzz") / "t.jsonl"
    body = [_as_bytes(line).replace(b"\n", b" ") for line in lines]
    if header:
        body.insert(0, json.dumps(HEADER).encode())
    path.write_bytes(b"\n".join(body) + b"\n")
    try:
        trajectory = read_trajectory(path)
        replay_settings(trajectory.header, path)
        trajectory.tool_calls()
    except VibesynthError as err:
        assert isinstance(err, (AgentError, InputError))
