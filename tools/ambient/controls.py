"""The numbers behind each MusicConfig field.

Every ordinal label maps to a physical quantity that grows in the direction
its name says (tempo -> BPM, space -> room size, echo -> feedback, ...);
this is the one place to read or tune what a label means.
"""

from __future__ import annotations

from dataclasses import dataclass

from tools.ambient.theory import Key
from tools.schema import MusicConfig

BPM = {"very_slow": 56.0, "slow": 68.0, "medium": 84.0, "fast": 104.0, "very_fast": 128.0}
# Partial amplitude ~ ratio ** -tilt: higher tilt = darker.
TILT = {"very_dark": 1.9, "dark": 1.2, "medium": 0.8, "bright": 0.5, "very_bright": 0.25}
# Melody/accent register shift (semitones) so brighter also sits higher.
REGISTER = {"very_dark": -12, "dark": -5, "medium": 0, "bright": 5, "very_bright": 12}
ROOM = {"dry": 0.15, "small": 0.45, "medium": 0.7, "large": 0.86, "vast": 0.97}
REVERB_WET = {"dry": 0.04, "small": 0.18, "medium": 0.32, "large": 0.45, "vast": 0.6}
# (feedback, send level); 'infinite' stays below 1 so it rings for ages but never grows.
ECHO = {
    "none": (0.0, 0.0),
    "subtle": (0.25, 0.18),
    "medium": (0.45, 0.3),
    "heavy": (0.65, 0.4),
    "infinite": (0.93, 0.3),
}
# Pan spread of voices (0 = centre) and L/R detune of chorus copies (cents).
SPREAD = {"mono": 0.0, "narrow": 0.2, "medium": 0.45, "wide": 0.75, "ultra_wide": 1.0}
DETUNE = {"mono": 0.0, "narrow": 3.0, "medium": 6.0, "wide": 9.0, "ultra_wide": 13.0}
REVERB_WIDTH = {"mono": 0.0, "narrow": 0.3, "medium": 0.6, "wide": 0.85, "ultra_wide": 1.0}
# Modulation LFO rate in Hz (0 = none) and depth; 'chaotic' adds irregular rates.
MOTION = {"static": 0.0, "slow": 0.07, "medium": 0.25, "fast": 0.9, "chaotic": 2.2}
MOTION_DEPTH = {"static": 0.0, "slow": 0.25, "medium": 0.3, "fast": 0.35, "chaotic": 0.45}
ATTACK = {"soft": 1.0, "medium": 0.3, "sharp": 0.04}
# Shortest attack (s) per label, so 'soft' also rounds off plucks and pulses.
ATTACK_FLOOR = {"soft": 0.05, "medium": 0.008, "sharp": 0.0}
# Onset timing jitter (s, std) and velocity jitter (fraction, std).
TIMING = {"robotic": 0.0, "tight": 0.004, "natural": 0.012, "loose": 0.028, "drunk": 0.06}
VELOCITY = {"robotic": 0.0, "tight": 0.04, "natural": 0.1, "loose": 0.18, "drunk": 0.28}
# Saturation drive (dB) and noise floor (linear, relative to mix RMS).
DRIVE = {"clean": 0.0, "warm": 9.0, "gritty": 24.0}
NOISE = {"clean": 0.0, "warm": 0.012, "gritty": 0.05}

LAYER_ORDER = ("bass", "pad", "melody", "rhythm", "texture", "accent")


@dataclass(frozen=True)
class Controls:
    config: MusicConfig
    key: Key
    bpm: float
    tilt: float
    register: int
    room: float
    reverb_wet: float
    echo_feedback: float
    echo_send: float
    spread: float
    detune_cents: float
    reverb_width: float
    motion_hz: float
    motion_depth: float
    chaotic: bool
    attack_scale: float
    attack_floor: float
    timing_jitter: float
    velocity_jitter: float
    drift: bool
    drive_db: float
    noise: float
    layers: tuple[str, ...]

    @property
    def beat(self) -> float:
        return 60.0 / self.bpm

    @property
    def attack(self) -> tuple[float, float]:
        """(scale, floor) applied to every timbre's attack time."""
        return self.attack_scale, self.attack_floor

    @property
    def bar(self) -> float:
        return 4.0 * self.beat


def active_layers(config: MusicConfig) -> tuple[str, ...]:
    """The `density` layers that sound, in priority order; a 'none' style takes no slot."""
    sounding = [name for name in LAYER_ORDER if getattr(config, name) != "none"]
    return tuple(sounding[: config.density])


def controls(config: MusicConfig) -> Controls:
    feedback, send = ECHO[config.echo]
    return Controls(
        config=config,
        key=Key(config.root, config.mode),
        bpm=BPM[config.tempo],
        tilt=TILT[config.brightness],
        register=REGISTER[config.brightness],
        room=ROOM[config.space],
        reverb_wet=REVERB_WET[config.space],
        echo_feedback=feedback,
        echo_send=send,
        spread=SPREAD[config.stereo],
        detune_cents=DETUNE[config.stereo],
        reverb_width=REVERB_WIDTH[config.stereo],
        motion_hz=MOTION[config.motion],
        motion_depth=MOTION_DEPTH[config.motion],
        chaotic=config.motion == "chaotic",
        attack_scale=ATTACK[config.attack],
        attack_floor=ATTACK_FLOOR[config.attack],
        timing_jitter=TIMING[config.human],
        velocity_jitter=VELOCITY[config.human],
        drift=config.human == "drunk",
        drive_db=DRIVE[config.grain],
        noise=NOISE[config.grain],
        layers=active_layers(config),
    )
