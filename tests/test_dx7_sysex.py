import pytest

from tests.dx7_support import require_factory
from tools.dx7 import sysex
from tools.dx7.factory import factory_entries, factory_path
from tools.dx7.voice import Voice


def test_all_128_factory_voices_round_trip_byte_for_byte():
    require_factory()
    raw = factory_path().read_bytes()
    entries = factory_entries()
    assert len(entries) == 128
    for e in entries:
        assert sysex.pack(Voice.from_vced(e.vced).to_vced()) == e.packed  # through the pydantic model
    banks = [sysex.bulk_message([e.voice for e in entries[i : i + 32]]) for i in range(0, 128, 32)]
    assert all(len(b) == sysex.BULK_SIZE == 4104 for b in banks)
    back = sysex.parse(b"".join(banks))
    assert b"".join(e.packed for e in back) == raw


def test_single_voice_message_layout_and_round_trip():
    v = Voice(name="SINGLE", algorithm=9)
    msg = sysex.single_message(v, channel=3)
    assert len(msg) == 163 and msg[:6] == bytes([0xF0, 0x43, 0x03, 0x00, 0x01, 0x1B]) and msg[-1] == 0xF7
    assert msg[-2] == (-sum(msg[6:161])) & 0x7F
    (entry,) = sysex.parse(msg)
    assert entry.voice == v and entry.source == "single"


def test_file_with_several_messages(tmp_path):
    a, b = Voice(name="A"), Voice(name="B", algorithm=32)
    data = sysex.single_message(a) + sysex.bulk_message([b]) + sysex.single_message(b)
    entries = sysex.parse(data)
    assert len(entries) == 34
    assert [entries[0].voice.name, entries[1].voice.name, entries[-1].voice.name] == ["A", "B", "B"]
    path = sysex.write_bank(tmp_path / "x.syx", [a] * 40)
    assert path.stat().st_size == 2 * 4104 and len(sysex.read(path)) == 64


@pytest.mark.parametrize(
    "mutate, needle",
    [
        (lambda m: m[:-10], "no end"),
        (lambda m: m[:100] + m[101:], "has 162 bytes"),
        (lambda m: m[:-2] + bytes([(m[-2] + 1) & 0x7F, 0xF7]), "checksum"),
        (lambda m: m[:1] + b"\x41" + m[2:], "manufacturer"),
        (lambda m: m[:3] + b"\x05" + m[4:], "format bytes"),
        (lambda m: b"\x00" + m, "not SysEx"),
        (lambda m: b"", "empty"),
    ],
)
def test_bad_files_give_clear_errors(mutate, needle):
    msg = sysex.single_message(Voice())
    with pytest.raises(sysex.SysexError, match=needle):
        sysex.parse(mutate(msg))


def test_out_of_range_byte_is_reported():
    msg = bytearray(sysex.single_message(Voice()))
    msg[6 + 16] = 120  # OP6 output level
    body = bytes(msg[6:161])
    msg[161] = (-sum(body)) & 0x7F
    with pytest.raises(sysex.SysexError, match="OP6.output_level"):
        sysex.parse(bytes(msg))
