"""Same calls, same seed -> the same bits, in any process (whatever PYTHONHASHSEED is)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tools.errors import ConfigError
from tools.mixer import MixerSession

from dj_support import SR, kit

ROOT = Path(__file__).resolve().parents[1]
RENDER = """
import hashlib
import numpy as np
from tools.mixer import MixerSession, Sample
rng = np.random.default_rng(0)
def noise(name, role):  # one second of noise: kick and open hat tails overlap the hats and each other
    return Sample(name, role, rng.uniform(-0.3, 0.3, (8000, 2)), 8000, loop=False)
s = MixerSession({r: noise(r[0], r) for r in ("kick", "openhat", "hihat")}, 128, 2, seed=1, sample_rate=8000)
s.add("kick", 0.9)
s.add("openhat", 0.5, "offbeat_16ths")
s.add("hihat", 0.6, "sixteenth_drive")
s.play(1)
print(hashlib.sha256(s.render().tobytes()).hexdigest())
"""


def test_render_bits_do_not_depend_on_the_hash_seed():
    hashes = set()
    for hash_seed in ("0", "1", "3"):  # set order of {"kick", "openhat"} differs between these seeds
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", RENDER], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        hashes.add(out.stdout.strip())
    assert len(hashes) == 1


@pytest.mark.parametrize("rate", [0, -44100, 7999, 192001, 44100.0, "44100", True])
def test_session_refuses_a_sample_rate_it_cannot_render(rate):
    with pytest.raises(ConfigError, match="sample_rate"):
        MixerSession(kit(), 128, 4, sample_rate=rate)


def test_session_accepts_low_test_rates_and_numpy_ints():
    import numpy as np

    assert MixerSession(kit(), 128, 4, sample_rate=SR).sample_rate == 8000
    assert MixerSession(kit(), 128, 4, sample_rate=np.int64(48000)).sample_rate == 48000
