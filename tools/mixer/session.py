"""The DJ mixer session: the tool surface an LM plays, with its guardrails.

Every tool takes JSON-able arguments and returns a JSON string; bad
arguments come back as {"error": ..., "valid": [...]}. Each tool's docstring
and annotations are its contract: the agent shows them to the LM as they are. The only exception
that leaves the tool layer is SetComplete, raised when the set reaches
max_bars and by every call after that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from tools.args import ArgError, as_choice, as_int, as_number, brief, tool
from tools.errors import ConfigError
from tools.mixer import guardrails as gr
from tools.mixer.master import master
from tools.mixer.patterns import PATTERNS, Pattern, PatternError, parse_pattern
from tools.mixer.render import Bus, ChokeVoice, LoopSource, declick_frames, place, write_hits, write_loop, write_loop_release
from tools.mixer.sample import Sample
from tools.mixer.timeline import BarGrid

BPM_RANGE = (60.0, 200.0)
SAMPLE_RATE_RANGE = (8000, 192000)
DRUM_ROLES = frozenset({"kick", "hihat", "openhat", "clap", "perc"})
DUCKED_ROLES = frozenset({"bassline", "texture"})
CHOKE_ROLES = ("kick", "openhat")  # a tuple: their tails are summed in this order, whatever the hash seed
DEFAULT_PATTERNS = {
    "kick": "four_on_floor",
    "hihat": "offbeat_8ths",
    "openhat": "offbeat_8ths",
    "clap": "backbeat",
    "perc": "syncopated_a",
    "synth": "sparse_accent",
    "fx": "sparse_accent",
}
HUMANIZE = {"hihat": 0.04, "openhat": 0.04, "perc": 0.05, "clap": 0.03}
TOOL_NAMES = ("play", "add", "remove", "fader", "pattern", "mute", "unmute", "swap", "breakdown", "status")
PATTERN_FORMS = [*PATTERNS, "[step 0..15, ...]", "[16 velocities 0..1]", '{"steps": [...], "velocity": 0..1}']

SetComplete = gr.SetComplete


@dataclass
class Layer:
    role: str
    sample: Sample
    gain: float
    pattern: Pattern | None
    muted: bool = False

    def state(self) -> dict:
        """The layer as the tools report it: sample, type, gain, pattern, muted."""
        return {
            "role": self.role,
            "sample": self.sample.id,
            "type": "loop" if self.sample.loop else "oneshot",
            "gain": round(self.gain, 3),
            "pattern": self.pattern.name if self.pattern else None,
            "muted": self.muted,
        }


class MixerSession:
    def __init__(
        self,
        samples: dict[str, Sample],
        bpm: float,
        max_bars: int,
        seed: int = 0,
        sample_rate: int = 44100,
        alternatives: dict[str, list[Sample]] | None = None,
        guardrails: gr.GuardrailConfig | None = None,
        critic: Callable[[dict], str | None] | None = None,
        sidechain: bool = True,
    ) -> None:
        if not samples:
            raise ConfigError("a mixer session needs at least one sample; load a palette first")
        if not BPM_RANGE[0] <= float(bpm) <= BPM_RANGE[1]:
            raise ConfigError(f"bpm {bpm} is outside {BPM_RANGE[0]:g}..{BPM_RANGE[1]:g}; pick a tempo in range")
        if int(max_bars) < 1:
            raise ConfigError(f"max_bars must be at least 1, got {max_bars}")
        if isinstance(sample_rate, bool) or not isinstance(sample_rate, (int, np.integer)) or not (
            SAMPLE_RATE_RANGE[0] <= sample_rate <= SAMPLE_RATE_RANGE[1]
        ):
            raise ConfigError(
                f"sample_rate {sample_rate!r} is not supported; give a whole number of Hz in "
                f"{SAMPLE_RATE_RANGE[0]}..{SAMPLE_RATE_RANGE[1]} (e.g. 44100)"
            )
        self.samples = dict(samples)
        self.alternatives = {role: list(options) for role, options in (alternatives or {}).items()}
        self.bpm = float(bpm)
        self.max_bars = int(max_bars)
        self.sample_rate = int(sample_rate)
        self.config = guardrails or gr.GuardrailConfig()
        self.critic = critic
        self.sidechain = sidechain
        self.grid = BarGrid(self.bpm, self.sample_rate)
        self.rng = np.random.default_rng(seed)
        self.layers: dict[str, Layer] = {}
        self.bars_played = 0
        self.events: list[dict] = []
        self.call_log: list[dict] = []
        self.complete = False
        self._main = Bus(self.grid.frames(min(self.max_bars, 16)))
        self._ducked = Bus(self.grid.frames(min(self.max_bars, 16)))
        self._kick_hits: list[tuple[int, float]] = []
        self._chokes = {role: ChokeVoice(self._main, declick_frames(self.sample_rate)) for role in CHOKE_ROLES}
        self._energies: list[float] = []
        self._stagnation = gr.StagnationDetector(self.config.stagnation_phrases)
        self._voices: dict[tuple[str, str], np.ndarray] = {}
        self._loops: dict[tuple[str, str], LoopSource] = {}
        self._prev_loops: dict[str, tuple[LoopSource, float, Bus]] = {}
        self._last_held: tuple[str, ...] = ()

    # ----- tools -------------------------------------------------------------

    @tool
    def play(self, bars: int | None = None) -> dict:
        """Render the next bars with the current mix; only play() and breakdown() move time.

        Args: bars (int, 1..max_bars): how many bars; the set ends by itself at its last bar.
        Returns JSON: {"ok", "played", "bars_played", "bars_left", "phase", "layer_cap", "events": [guardrail
        messages], "critic"?}; at the last bar {"set_complete": true, ...} and the run ends.
        """
        return self._advance(as_int(bars, "bars", 1, self.max_bars), breakdown=False)

    @tool
    def breakdown(self, bars: int | None = None) -> dict:
        """Render the next bars with the drums (kick, hihat, openhat, clap, perc) held out; layers stay as they are.

        Args: bars (int, 1..max_bars): how many bars.
        Returns JSON: the same fields as play().
        """
        return self._advance(as_int(bars, "bars", 1, self.max_bars), breakdown=True)

    @tool
    def add(self, role: str | None = None, gain: float | None = None, pattern: str | list | dict | None = None) -> dict:
        """Bring a palette role into the mix (or update it if it is already in).

        Args: role (str): a role of the palette (kick, hihat, openhat, clap, perc, bassline, texture, synth, fx as
        the palette has them); gain (float, 0..1, capped per role, see gain_caps); pattern (one-shot roles only;
        loops ignore it): a pattern name (four_on_floor, offbeat_8ths, offbeat_16ths, sixteenth_drive, backbeat,
        syncopated_a, syncopated_b, gallop, tresillo, half_time, sparse_accent), a list of steps 0..15, 16 velocities 0..1, or
        {"steps": [...], "velocity": 0..1}; left out: the role's default pattern.
        Returns JSON: {"ok", "role", "sample", "type", "gain", "pattern", "muted", "notes": [caps, density]}.
        """
        role = as_choice(role, "role", sorted(self.samples))
        sample = self.samples[role]
        level, notes = self._gain(role, gain)
        chosen, pattern_notes = self._pattern_for(sample, role, pattern)
        notes += pattern_notes
        if role in self.layers:
            notes.append(f"{role} was already in the mix; updated")
        self.layers[role] = Layer(role, sample, level, chosen)
        notes += self._density_note()
        return {"ok": True, **self.layers[role].state(), "notes": notes}

    @tool
    def remove(self, role: str | None = None) -> dict:
        """Take a layer out of the mix.

        Args: role (str): a role now in the mix.
        Returns JSON: {"ok", "removed", "layers": [roles left]}.
        """
        role = self._active(role)
        del self.layers[role]
        return {"ok": True, "removed": role, "layers": sorted(self.layers)}

    @tool
    def fader(self, role: str | None = None, gain: float | None = None) -> dict:
        """Set the level of a layer in the mix.

        Args: role (str): a role now in the mix; gain (float, 0..1, capped per role).
        Returns JSON: {"ok", "role", "gain", "notes"}.
        """
        role = self._active(role)
        level, notes = self._gain(role, gain)
        self.layers[role].gain = level
        return {"ok": True, "role": role, "gain": round(level, 3), "notes": notes}

    @tool
    def pattern(self, role: str | None = None, name: str | list | dict | None = None) -> dict:
        """Change the rhythm of a one-shot layer in the mix (loops have none).

        Args: role (str): a one-shot role now in the mix; name: a pattern name, a list of steps 0..15,
        16 velocities 0..1, or {"steps": [...], "velocity": 0..1} (as in add).
        Returns JSON: {"ok", "role", "pattern": {"name", "steps", "velocity"}}.
        """
        role = self._active(role)
        layer = self.layers[role]
        if layer.sample.loop:
            oneshots = sorted(r for r, ly in self.layers.items() if not ly.sample.loop)
            raise ArgError(f"{role} plays a loop sample; patterns apply to one-shot roles", oneshots)
        layer.pattern = self._parse(name)
        return {"ok": True, "role": role, "pattern": layer.pattern.as_dict()}

    @tool
    def mute(self, role: str | None = None) -> dict:
        """Silence a layer but keep its settings.

        Args: role (str): a role now in the mix.
        Returns JSON: {"ok", "role", "muted": true}.
        """
        role = self._active(role)
        self.layers[role].muted = True
        return {"ok": True, "role": role, "muted": True}

    @tool
    def unmute(self, role: str | None = None) -> dict:
        """Bring a muted layer back.

        Args: role (str): a role now in the mix.
        Returns JSON: {"ok", "role", "muted": false, "notes": [density]}.
        """
        role = self._active(role)
        self.layers[role].muted = False
        return {"ok": True, "role": role, "muted": False, "notes": self._density_note()}

    @tool
    def swap(self, role: str | None = None, choice: str | int | None = None) -> dict:
        """Replace a role's sample with one of the palette's alternatives (in the mix too, if it is playing).

        Args: role (str): a role with alternatives (see palette["alternatives"]); choice (str or int): an
        alternative's sample id, or its index 0..n-1.
        Returns JSON: {"ok", "role", "sample": {"id", "role", "type", "bars", "bpm", "key", "seconds"}, "notes"}.
        """
        with_options = sorted(r for r, options in self.alternatives.items() if options)
        if not with_options:
            raise ArgError("this palette has no alternatives to swap to", [])
        role = as_choice(role, "role with alternatives", with_options)
        options = self.alternatives[role]
        ids = [s.id for s in options]
        if isinstance(choice, str) and choice.strip() in ids:
            new = options[ids.index(choice.strip())]
        else:
            try:
                new = options[as_int(choice, "choice", 0, len(options) - 1)]
            except ArgError:
                raise ArgError(f"unknown choice {choice!r} for {role}: give a sample id or an index", ids) from None
        self.samples[role] = new
        notes: list[str] = []
        if role in self.layers:
            layer = self.layers[role]
            layer.sample = new
            if new.loop and layer.pattern is not None:
                layer.pattern = None
                notes.append(f"{new.id} is a loop; its pattern is dropped")
            elif not new.loop and layer.pattern is None:
                layer.pattern = PATTERNS[DEFAULT_PATTERNS.get(role, "four_on_floor")]
                notes.append(f"{new.id} is a one-shot; playing {layer.pattern.name}")
        return {"ok": True, "role": role, "sample": new.facts(), "notes": notes}

    @tool
    def status(self) -> dict:
        """The mixer's state; moves no time.

        Returns JSON: {"bars_played", "max_bars", "bars_left", "bpm", "phase", "layer_cap", "layers": [{"role",
        "sample", "type", "gain", "pattern", "muted"}], "palette", "alternatives", "patterns", "gain_caps",
        "recent_events"}.
        """
        phase, cap = gr.phase_at(min(self.bars_played, self.max_bars - 1), self.max_bars, self.config)
        return {
            "bars_played": self.bars_played,
            "max_bars": self.max_bars,
            "bars_left": self.max_bars - self.bars_played,
            "bpm": self.bpm,
            "phase": phase,
            "layer_cap": cap,
            "layers": [layer.state() for layer in self.layers.values()],
            "palette": {role: s.facts() for role, s in sorted(self.samples.items())},
            "alternatives": {role: [s.id for s in opts] for role, opts in sorted(self.alternatives.items())},
            "patterns": sorted(PATTERNS),
            "gain_caps": {role: self.config.gain_caps.get(role, 1.0) for role in sorted(self.samples)},
            "recent_events": self.events[-5:],
        }

    def tools(self) -> dict[str, Callable[..., str]]:
        """Name -> bound tool, for registering in a sandbox."""
        return {name: getattr(self, name) for name in TOOL_NAMES}

    # ----- audio -------------------------------------------------------------

    def render(self) -> np.ndarray:
        """Everything played so far: exactly the bars played, master bus applied."""
        main, ducked = self.buses()
        return master(main, ducked, self._kick_hits, self.sample_rate, self.sidechain)

    def buses(self) -> tuple[np.ndarray, np.ndarray]:
        """(main, ducked) buses of the bars played, before the master bus."""
        frames = self.grid.frames(self.bars_played)
        main = self._main.head(frames).copy()
        for voice in self._chokes.values():
            voice.mix_pending(main)
        return main, self._ducked.head(frames)

    # ----- internals ---------------------------------------------------------

    def _on_tool_error(self, message: str) -> None:
        self.events.append({"kind": "tool_error", "bar": self.bars_played, "message": message})

    def _before_tool(self, name: str, args: tuple, kwargs: dict) -> None:
        if self.complete:
            refusal = {"set_complete": True, "bars_played": self.bars_played, "refused": name}
            self.call_log.append({"tool": name, "args": {"args": brief(args), "kwargs": brief(kwargs)}, "result": refusal})
            raise SetComplete(self.bars_played, refusal)

    def _active(self, role) -> str:
        if not self.layers:
            raise ArgError("nothing is in the mix yet; add a role first", sorted(self.samples))
        return as_choice(role, "role in the mix", sorted(self.layers))

    def _gain(self, role: str, value) -> tuple[float, list[str]]:
        cap = self.config.gain_caps.get(role, 1.0)
        valid = [f"0.0..{cap:g}"]
        level = as_number(value, "gain", valid)
        notes = []
        if not 0.0 <= level <= 1.0:
            if not self.config.clamp_out_of_range:
                raise ArgError(f"gain must be in 0..1 (cap for {role}: {cap:g}), got {level:g}", valid)
            clamped = min(max(level, 0.0), 1.0)
            notes.append(f"gain {level:g} clamped to {clamped:g}")
            level = clamped
        level, capped = gr.cap_gain(role, level, self.config)
        if capped:
            notes.append(capped)
        return level, notes

    def _parse(self, value) -> Pattern:
        try:
            return parse_pattern(value)
        except PatternError as err:
            raise ArgError(str(err), PATTERN_FORMS) from None

    def _pattern_for(self, sample: Sample, role: str, value) -> tuple[Pattern | None, list[str]]:
        if sample.loop:
            notes = [f"{sample.id} is a {sample.bars}-bar loop; it plays every bar"] if value is not None else []
            return None, notes
        if value is None:
            name = DEFAULT_PATTERNS.get(role, "four_on_floor")
            return PATTERNS[name], [f"no pattern given; playing {name}"]
        return self._parse(value), []

    def _density_note(self) -> list[str]:
        bar = min(self.bars_played, self.max_bars - 1)
        phase, cap = gr.phase_at(bar, self.max_bars, self.config)
        audible = sum(1 for layer in self.layers.values() if not layer.muted and layer.gain > 0)
        if audible <= cap:
            return []
        return [f"density ceiling: the {phase} phase allows {cap} layers, {audible} are up; the quietest are held out"]

    def _advance(self, bars: int, breakdown: bool) -> dict:
        first = len(self.events)
        start = self.bars_played
        end = min(start + bars, self.max_bars)
        critic_notes = []
        for bar in range(start, end):
            self._render_bar(bar, breakdown)
            self.bars_played += 1
            note = self._phrase_checks()
            if note:
                critic_notes.append(note)
        phase, cap = gr.phase_at(min(self.bars_played, self.max_bars - 1), self.max_bars, self.config)
        result = {
            "ok": True,
            "played": end - start,
            "bars_played": self.bars_played,
            "bars_left": self.max_bars - self.bars_played,
            "phase": phase,
            "layer_cap": cap,
            "events": self.events[first:],
        }
        if critic_notes:
            result["critic"] = critic_notes[-1]
        if self.bars_played >= self.max_bars:
            self.complete = True
            raise SetComplete(self.bars_played, {**result, "set_complete": True})
        return result

    def _render_bar(self, bar: int, breakdown: bool) -> None:
        audible = [ly for ly in self.layers.values() if not ly.muted and ly.gain > 0]
        if breakdown:
            audible = [ly for ly in audible if ly.role not in DRUM_ROLES]
        audible = self._apply_density(bar, audible)
        steps = self.grid.step_frames(bar)
        loops_now: dict[str, tuple[LoopSource, float, Bus]] = {}
        for layer in audible:
            bus = self._ducked if layer.role in DUCKED_ROLES else self._main
            if layer.sample.loop:
                source = self._loop(layer)
                previous = self._prev_loops.get(layer.role)
                fade_in = 0 if previous and previous[0] is source else declick_frames(self.sample_rate)
                write_loop(bus, source, bar, layer.gain, fade_in)
                loops_now[layer.role] = (source, layer.gain, bus)
                continue
            hits = layer.pattern.hits if layer.pattern else ()
            positions = steps[[s for s, _ in hits]]
            levels = layer.gain * np.array([v for _, v in hits], dtype=np.float64)
            if layer.role in HUMANIZE:
                levels *= 1.0 + self.rng.normal(0.0, HUMANIZE[layer.role], levels.size)
            if layer.role in self._chokes:
                for position, level in zip(positions.tolist(), levels.tolist()):
                    self._chokes[layer.role].hit(position, self._voice(layer), level)
            else:
                write_hits(bus, self._voice(layer), positions, levels)
            if layer.role == "kick":
                self._kick_hits.extend(zip(positions.tolist(), levels.tolist()))
        for role, (source, gain, bus) in self._prev_loops.items():
            if role not in loops_now or loops_now[role][0] is not source:
                write_loop_release(bus, source, bar, gain)
        self._prev_loops = loops_now
        self._energies.append(gr.bar_energy({ly.role: ly.gain for ly in audible}))
        self._stagnation.observe(
            (breakdown, tuple((ly.role, ly.sample.id, round(ly.gain, 3), ly.pattern) for ly in audible))
        )

    def _apply_density(self, bar: int, audible: list[Layer]) -> list[Layer]:
        phase, cap = gr.phase_at(bar, self.max_bars, self.config)
        held = gr.hold_out([(ly.role, ly.gain) for ly in audible], cap)
        if held != self._last_held and held:
            self.events.append(gr.density_event(bar, phase, cap, held))
        self._last_held = held
        return [ly for ly in audible if ly.role not in held]

    def _phrase_checks(self) -> str | None:
        bar = self.bars_played
        if bar % gr.PHRASE_BARS == 0:
            for event in (
                gr.energy_critique(bar, self._energies[-gr.PHRASE_BARS :], self.max_bars, self.config),
                self._stagnation.check(bar),
            ):
                if event:
                    self.events.append(event)
        if self.critic is None or bar % self.config.critic_every_bars:
            return None
        summary = {
            "bars_played": bar,
            "max_bars": self.max_bars,
            "energy": [round(e, 3) for e in self._energies[-self.config.critic_every_bars :]],
            "layers": [layer.state() for layer in self.layers.values()],
            "events": self.events[-5:],
        }
        event = gr.ask_critic(self.critic, summary)
        self.events.append(event)
        return event["message"] if event["kind"] == "critic" else None

    def _voice(self, layer: Layer) -> np.ndarray:
        key = (layer.sample.id, layer.role)
        if key not in self._voices:
            audio = layer.sample.audio
            if layer.sample.sample_rate != self.sample_rate:
                ratio = Fraction(self.sample_rate, layer.sample.sample_rate)
                from scipy.signal import resample_poly  # only for samples at another rate (~1 s of import)

                audio = resample_poly(audio, ratio.numerator, ratio.denominator, axis=0).astype(np.float32)
            self._voices[key] = place(audio, layer.role)
        return self._voices[key]

    def _loop(self, layer: Layer) -> LoopSource:
        key = (layer.sample.id, layer.role)
        if key not in self._loops:
            self._loops[key] = LoopSource(layer.sample, layer.role, self.grid)
        return self._loops[key]
