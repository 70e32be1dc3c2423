"""DX7 SysEx: single voices (VCED, 163 bytes), 32-voice bulk dumps (VMEM, 4104 bytes) and files of several.

Single voice: F0 43 0n 00 01 1B, 155 data bytes, checksum, F7.
Bulk dump:    F0 43 0n 09 20 00, 32 x 128 packed bytes, checksum, F7.
Checksum: (-sum(data)) & 0x7F. A file may hold any number of either; a bare
headerless file of 128-byte packed voices (hexter's .dx7) is read too.
Unpacking keeps every bit the packed form carries, so pack(unpack(x)) == x
for any voice whose bytes are in the DX7's ranges.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tools.dx7.voice import VCED_SIZE, Voice
from tools.errors import ConfigError
from tools.files import write_bytes

PACKED_SIZE = 128
BANK_VOICES = 32
SINGLE_HEADER = bytes([0xF0, 0x43, 0x00, 0x00, 0x01, 0x1B])
BULK_HEADER = bytes([0xF0, 0x43, 0x00, 0x09, 0x20, 0x00])
SINGLE_SIZE = len(SINGLE_HEADER) + VCED_SIZE + 2  # 163
BULK_SIZE = len(BULK_HEADER) + BANK_VOICES * PACKED_SIZE + 2  # 4104


class SysexError(ConfigError):
    """A SysEx file or message that is not a DX7 voice or bank."""


def checksum(data: bytes) -> int:
    return (-sum(data)) & 0x7F


def unpack(packed: bytes) -> bytes:
    """128 packed bytes (bank form) -> 155 VCED bytes."""
    if len(packed) != PACKED_SIZE:
        raise SysexError(f"a packed DX7 voice has {PACKED_SIZE} bytes, got {len(packed)}")
    p = packed
    out = bytearray()
    for i in range(6):
        o = p[i * 17 : (i + 1) * 17]
        out += o[0:11]
        out += bytes(
            [o[11] & 3, (o[11] >> 2) & 3, o[12] & 7, o[13] & 3, (o[13] >> 2) & 7, o[14], o[15] & 1, (o[15] >> 1) & 31, o[16], (o[12] >> 3) & 15]
        )
    out += p[102:110]
    out += bytes([p[110] & 31, p[111] & 7, (p[111] >> 3) & 1, *p[112:116], p[116] & 1, (p[116] >> 1) & 7, (p[116] >> 4) & 7, p[117]])
    out += p[118:128]
    return bytes(out)


def pack(vced: bytes) -> bytes:
    """155 VCED bytes -> 128 packed bytes."""
    if len(vced) != VCED_SIZE:
        raise SysexError(f"a VCED voice has {VCED_SIZE} bytes, got {len(vced)}")
    v = vced
    out = bytearray()
    for i in range(6):
        o = v[i * 21 : (i + 1) * 21]
        out += o[0:11]
        out += bytes([(o[12] << 2) | o[11], (o[20] << 3) | o[13], (o[15] << 2) | o[14], o[16], (o[18] << 1) | o[17], o[19]])
    g = v[126:]
    out += g[0:8]
    out += bytes([g[8], (g[10] << 3) | g[9], *g[11:15], (g[17] << 4) | (g[16] << 1) | g[15], g[18]])
    out += g[19:29]
    return bytes(out)


def single_message(voice: Voice, channel: int = 0) -> bytes:
    data = voice.to_vced()
    return bytes([0xF0, 0x43, channel & 0x0F, 0x00, 0x01, 0x1B]) + data + bytes([checksum(data), 0xF7])


def bulk_message(voices: list[Voice], channel: int = 0) -> bytes:
    if not 1 <= len(voices) <= BANK_VOICES:
        raise SysexError(f"a bulk dump holds 1..{BANK_VOICES} voices, got {len(voices)}; split the list into banks of 32")
    padded = list(voices) + [Voice()] * (BANK_VOICES - len(voices))
    data = b"".join(pack(v.to_vced()) for v in padded)
    return bytes([0xF0, 0x43, channel & 0x0F, 0x09, 0x20, 0x00]) + data + bytes([checksum(data), 0xF7])


@dataclass(frozen=True)
class Entry:
    """One voice read from a file, with where it came from."""

    voice: Voice
    vced: bytes
    packed: bytes | None  # the original packed bytes when it came from a bank
    source: str  # "single", "bulk" or "raw"
    message: int  # index of the message in the file (0 for raw banks)
    slot: int  # 0..31 inside a bulk dump; 0 for a single voice


def _messages(data: bytes) -> list[bytes]:
    messages, pos = [], 0
    while pos < len(data):
        if data[pos] != 0xF0:
            raise SysexError(f"byte {pos} is 0x{data[pos]:02X}, not a SysEx start (F0); the file is not a .syx dump")
        end = data.find(b"\xf7", pos)
        if end < 0:
            raise SysexError(f"the SysEx message at byte {pos} has no end (F7); the file is truncated")
        messages.append(data[pos : end + 1])
        pos = end + 1
    return messages


def parse_message(msg: bytes, index: int = 0) -> list[Entry]:
    if len(msg) < 6 or msg[1] != 0x43:
        raise SysexError(f"message {index} is not a Yamaha SysEx message (manufacturer byte must be 0x43)")
    fmt = (msg[3], msg[4], msg[5])
    if fmt == (0x00, 0x01, 0x1B):
        expected, body_size = SINGLE_SIZE, VCED_SIZE
    elif fmt == (0x09, 0x20, 0x00):
        expected, body_size = BULK_SIZE, BANK_VOICES * PACKED_SIZE
    else:
        raise SysexError(
            f"message {index} has format bytes {msg[3]:02X} {msg[4]:02X} {msg[5]:02X}; a DX7 voice is 00 01 1B (single) or 09 20 00 (32-voice bulk)"
        )
    if len(msg) != expected:
        kind = "single voice" if body_size == VCED_SIZE else "bulk dump"
        raise SysexError(f"message {index} has {len(msg)} bytes, a DX7 {kind} has {expected}; the file is truncated or padded")
    body, got = msg[6 : 6 + body_size], msg[6 + body_size]
    if checksum(body) != got:
        raise SysexError(f"message {index} checksum is 0x{got:02X}, the data sums to 0x{checksum(body):02X}; the dump is corrupted")
    if body_size == VCED_SIZE:
        try:
            voice = Voice.from_vced(body)
        except ConfigError as err:
            raise SysexError(f"message {index}: {err}") from None
        return [Entry(voice, bytes(body), None, "single", index, 0)]
    return [_from_packed(body[s * PACKED_SIZE : (s + 1) * PACKED_SIZE], "bulk", index, s) for s in range(BANK_VOICES)]


def _from_packed(packed: bytes, source: str, message: int, slot: int) -> Entry:
    vced = unpack(packed)
    try:
        voice = Voice.from_vced(vced)
    except ConfigError as err:
        raise SysexError(f"voice {slot + 1} of message {message}: {err}") from None
    return Entry(voice, vced, bytes(packed), source, message, slot)


def parse(data: bytes) -> list[Entry]:
    """Every voice in a .syx file (any mix of single and bulk messages) or a headerless packed bank."""
    if not data:
        raise SysexError("the file is empty; give a .syx dump or a .dx7 bank")
    if data[0] != 0xF0:
        if len(data) % PACKED_SIZE:
            raise SysexError(f"the file has {len(data)} bytes: not SysEx (no F0 start) and not a whole number of {PACKED_SIZE}-byte packed voices")
        return [_from_packed(data[i : i + PACKED_SIZE], "raw", 0, i // PACKED_SIZE) for i in range(0, len(data), PACKED_SIZE)]
    entries: list[Entry] = []
    for index, msg in enumerate(_messages(data)):
        entries += parse_message(msg, index)
    return entries


def read(path: str | Path) -> list[Entry]:
    p = Path(path)
    if not p.is_file():
        raise SysexError(f"{p} does not exist; give the path of a .syx or .dx7 file")
    return parse(p.read_bytes())


def write_bank(path: str | Path, voices: list[Voice], channel: int = 0) -> Path:
    """Voices as bulk dumps, 32 a message (the last bank padded with INIT VOICEs)."""
    if not voices:
        raise SysexError("no voices to write; give at least one")
    data = b"".join(bulk_message(voices[i : i + BANK_VOICES], channel) for i in range(0, len(voices), BANK_VOICES))
    return write_bytes(path, data)


def write_single(path: str | Path, voice: Voice, channel: int = 0) -> Path:
    return write_bytes(path, single_message(voice, channel))
