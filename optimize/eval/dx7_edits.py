"""Does a DX7 voice edit move the sound the way its words say? Audio descriptors before and after, per voice.

For each factory voice and each instruction, one note (middle C, velocity 100, held 1.5 s,
1 s release) of the voice and of its edit is rendered raw (dexed-py, mono) and measured:

- brightness: spectral centroid (Hz) of the whole note;
- decay: temporal centroid (s) of the RMS envelope after its peak while held (a longer decay puts it later);
- attack: time from the start to the envelope's first frame within 6 dB of its peak (10 ms frames).

A case is right when the descriptor moved strictly the asked way. Counted apart (neither right nor
wrong): a voice whose parameters the edit could not move (already at the end), and "sharper attack"
on a voice whose attack is already within the first 10 ms frame (the descriptor has no room). Wilson 95% CIs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

import numpy as np

from optimize.eval.reader_check import wilson
from reference.dx7_refiner import refine_voice
from tools.dx7 import engine
from tools.dx7.voice import Voice

INSTRUCTIONS = {  # instruction -> (descriptor, +1 when it should rise)
    "brighter": ("centroid_hz", 1),
    "darker": ("centroid_hz", -1),
    "longer decay": ("decay_s", 1),
    "shorter decay": ("decay_s", -1),
    "softer attack": ("attack_s", 1),
    "sharper attack": ("attack_s", -1),
}
NOTE = engine.Note(60, 100, 0.0, 1.5, 1.0)
FRAME_S = 0.01


def describe(audio: np.ndarray, sample_rate: int) -> dict[str, float] | None:
    x = np.asarray(audio, dtype=np.float64)
    if not np.any(x):
        return None
    spectrum = np.abs(np.fft.rfft(x * np.hanning(x.size)))
    freqs = np.fft.rfftfreq(x.size, 1.0 / sample_rate)
    hop = int(sample_rate * FRAME_S)
    frames = x.size // hop
    env = np.sqrt(np.mean(x[: frames * hop].reshape(frames, hop) ** 2, axis=1))
    peak_at = int(np.argmax(env[: max(1, int(NOTE.hold / FRAME_S))]))  # the note's peak while held, not a release click
    after = env[peak_at:]
    times = np.arange(after.size) * FRAME_S
    return {
        "centroid_hz": float(np.sum(freqs * spectrum) / np.sum(spectrum)),
        "decay_s": float(np.sum(times * after) / np.sum(after)),
        "attack_s": float(np.argmax(env >= 0.5 * env[peak_at]) * FRAME_S),
    }


def check(voices: Iterable[tuple[int, Voice]], sample_rate: int = 44100, progress: Callable = iter) -> list[dict]:
    synth = engine.Engine(sample_rate)
    rows = []
    for number, voice in progress(list(voices)):
        before = describe(synth.notes(voice, [NOTE]), sample_rate)
        for instruction, (descriptor, way) in INSTRUCTIONS.items():
            edit = refine_voice(voice, instruction)
            row = {"voice": number, "name": voice.name.strip(), "instruction": instruction, "descriptor": descriptor}
            after = describe(synth.notes(edit.voice, [NOTE]), sample_rate) if edit.changed else None
            if before is None or not edit.changed or after is None:
                rows.append({**row, "right": None, "why": "silent" if before is None or after is None else "no parameter could move"})
                continue
            if descriptor == "attack_s" and way < 0 and before[descriptor] == 0.0:
                rows.append({**row, "right": None, "why": "attack already within the first frame"})
                continue
            delta = after[descriptor] - before[descriptor]
            rows.append({**row, "before": before[descriptor], "after": after[descriptor], "right": delta * way > 0})
    return rows


def summary(rows: list[dict]) -> dict:
    by: dict[str, list[bool]] = defaultdict(list)
    skipped: dict[str, int] = defaultdict(int)
    for row in rows:
        if row["right"] is None:
            skipped[row["instruction"]] += 1
            continue
        by[row["instruction"]].append(row["right"])
        by["all"].append(row["right"])
    return {key: {**wilson(sum(v), len(v)), "skipped": skipped.get(key, sum(skipped.values()) if key == "all" else 0)} for key, v in by.items()}
