"""A policy that takes its time: for tests that kill the A/B runner while its workers play."""

from __future__ import annotations

import time

from reference.policies import ReferencePolicy
from reference.policy import Played, Stage


class SlowPolicy(ReferencePolicy):
    label = "slow"

    def play(self, stage: Stage) -> Played:
        time.sleep(120)
        return super().play(stage)
