"""The agent's tool layer over a mixer session: every call recorded, the hard stop noticed.

Each policy (LM in the sandbox, reference, replay) calls the mixer only
through `MixerTools.call`, so every run leaves the same kind of trajectory and
replaying it goes down the same path. When the session raises `SetComplete`,
`complete` holds the message; the sandbox reads it to end the RLM run.
"""

from __future__ import annotations

import functools
import inspect
import json
import time
from typing import Any, Callable

from agent.trajectory import TrajectoryWriter
from tools.instruments import DJ
from tools.mixer import MixerSession, SetComplete
from tools.mixer.guardrails import bar_energy

RESULT_CHARS = 4_000  # a tool result kept in the trajectory beyond this is clipped
# Key under which a call that does not fit the tool's signature keeps its positional arguments,
# so the trajectory records it as made and a replay makes it again the same way.
POSITIONAL = "*args"


class MixerTools:
    """Records and forwards tool calls to one `MixerSession`."""

    def __init__(
        self,
        session: MixerSession,
        trajectory: TrajectoryWriter,
        on_call: Callable[[dict], None] | None = None,
    ) -> None:
        self.session = session
        self.trajectory = trajectory
        self.on_call = on_call
        self.complete: str | None = None
        self.calls = 0
        self._tools = DJ.tools(session)
        self._events_seen = 0

    @property
    def names(self) -> list[str]:
        return list(self._tools)

    def call(self, name: str, args: dict[str, Any]) -> str:
        """Run one tool; re-raises `SetComplete` after recording it."""
        tool = self._tools.get(name)
        if tool is None:
            return json.dumps({"error": f"unknown tool {name!r}", "valid": self.names})
        start = time.perf_counter()
        keywords = {key: value for key, value in args.items() if key != POSITIONAL}
        try:
            result = tool(*args.get(POSITIONAL, ()), **keywords)
        except SetComplete as stop:
            self.complete = str(stop)
            self._record(name, args, json.dumps(stop.result), start)
            raise
        self._record(name, args, result, start)
        return result

    def functions(self) -> list[Callable[..., str]]:
        """The tools as plain functions with the session's signatures, for the sandbox."""
        return [self._function(name, tool) for name, tool in self._tools.items()]

    def table(self) -> dict[str, Callable[..., str]]:
        """Name -> recorded tool function (the reference and replays call through this)."""
        return {function.__name__: function for function in self.functions()}

    def energy(self) -> float:
        """0..1 energy of the current mix (1 = the reference full groove), before density limits."""
        layers = self.session.layers.values()
        return bar_energy({layer.role: layer.gain for layer in layers if not layer.muted})

    def stop_reason(self) -> str | None:
        return self.complete

    def _function(self, name: str, tool: Callable[..., str]) -> Callable[..., str]:
        signature = inspect.signature(tool)

        @functools.wraps(tool)
        def call(*args: Any, **kwargs: Any) -> str:
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError:  # recorded as made; the session answers with an error payload
                return self.call(name, {POSITIONAL: list(args), **kwargs} if args else dict(kwargs))
            return self.call(name, dict(bound.arguments))

        call.__name__ = name
        return call

    def _record(self, name: str, args: dict, result: str, start: float) -> None:
        self.calls += 1
        record = self.trajectory.write(
            "tool",
            tool=name,
            args=args,
            result=result if len(result) <= RESULT_CHARS else result[:RESULT_CHARS] + "...",
            bars=self.session.bars_played,
            energy=round(self.energy(), 3),
            wall_s=round(time.perf_counter() - start, 6),
        )
        new_events = self.session.events[self._events_seen :]
        self._events_seen = len(self.session.events)
        for event in new_events:
            self.trajectory.write("event", source="guardrail", **{"event": event})
        if self.on_call is not None:
            self.on_call({**record, "events": new_events})
