"""MusicGen as an eval-suite producer that returns audio: `musicgen`, `musicgen:CHECKPOINT`, `musicgen:modal`, `musicgen:URL`.

The suite asks every audio producer for its own clip spec (length, rate, the
run's seed) and scores the clip with the same judge as the synth's renders;
config-only metrics stay empty for it (the suite says why). Latency is the
wall time per clip (on $VIBESYNTH_MUSICGEN_DEVICE: cpu by default, cuda, mps);
cost per clip is that time at the hourly price in
$VIBESYNTH_MUSICGEN_USD_PER_HOUR (the price of the GPU or machine you ran it
on), empty when no price is set: no price is assumed here.
"""

from __future__ import annotations

import os
import time

from tools.errors import ConfigError

THREADS = 2  # one producer runs at a time: MusicGen gets both cores of the 2-core target machine
PRICE_ENV = "VIBESYNTH_MUSICGEN_USD_PER_HOUR"
DEVICE_ENV = "VIBESYNTH_MUSICGEN_DEVICE"  # cpu (default) | cuda | mps: where a local musicgen producer runs
TARGET_LUFS = -16.0  # as the synth's eval renders (tools.ambient.render_config's default)


def hourly_price() -> float | None:
    text = os.environ.get(PRICE_ENV)
    if not text:
        return None
    try:
        price = float(text)
    except ValueError:
        price = -1.0
    if not price >= 0:
        raise ConfigError(f"{PRICE_ENV}={text!r} is not a price; set it to the USD per hour of the machine (e.g. 1.10), or unset it")
    return price


def producer(arg: str, ctx):
    """Eval-suite factory (optimize.eval.producers LAZY)."""
    from optimize.eval.producers import Producer, Production
    from optimize.musicgen.clip import to_clip
    from optimize.musicgen.render import generate

    remote = arg if arg == "modal" or arg.startswith(("http://", "https://")) else None
    checkpoint = None if remote is not None or not arg else arg
    model = None
    if remote is None:
        from optimize.musicgen.model import MusicGen
        from optimize.musicgen.weights import require_stack

        require_stack("producer musicgen")
        model = MusicGen(checkpoint, device=os.environ.get(DEVICE_ENV) or "cpu", threads=THREADS)
    price = hourly_price()

    class MusicGenProducer(Producer):
        makes = "audio"

        def produce(self, vibe: str, example_id: str) -> Production:
            started = time.perf_counter()
            made = generate(vibe, ctx.clip_seconds, ctx.seed, checkpoint=checkpoint, remote=remote, model=model)
            clip = to_clip(made.mono, made.rate, ctx.clip_seconds, ctx.sample_rate, TARGET_LUFS)
            wall = time.perf_counter() - started
            return Production(
                None,
                audio=clip.audio,
                sample_rate=ctx.sample_rate,
                note=f"generated in {made.seconds:.3f}s",
                cost_usd=None if price is None else round(wall * price / 3600, 8),
            )

        def describe(self) -> dict:
            where = {"remote": remote, "checkpoint": checkpoint} if remote else model.describe()
            return {
                "name": self.name,
                "makes": "audio",
                **where,
                "threads": None if remote else THREADS,
                "usd_per_hour": price,
                "price_from": PRICE_ENV if price is not None else f"no price ({PRICE_ENV} unset)",
            }

    return MusicGenProducer()
