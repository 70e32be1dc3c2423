"""`pip install .` outside the checkout: the wheel renders, plays a reference set and scores.

Builds the wheel offline (no build isolation: setuptools comes with the dev
extra), installs it with --no-deps --no-index into a fresh venv, and borrows
the already installed dependencies through PYTHONPATH (which, unlike a site
directory, does not run the checkout's editable-install hook). Runs from a
temporary folder with the user cache dir moved there, so nothing can come
from the checkout, and checks that nothing is written into site-packages.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.install


def _run(command: list, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_wheel_installs_and_works_outside_the_checkout(tmp_path):
    wheels = tmp_path / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", wheels, ROOT])
    (wheel,) = wheels.glob("vibesynth-*.whl")
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel])
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    before = sorted(str(p) for p in site.rglob("*") if "__pycache__" not in p.parts)

    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("VIBESYNTH_CACHE", "PYTHONPATH")}
    env.update(PYTHONPATH=sysconfig.get_paths()["purelib"], XDG_CACHE_HOME=str(tmp_path / "xdg"), HOME=str(tmp_path))
    vibesynth = venv / "bin" / "vibesynth"
    where = _run(
        [python, "-c", "import tools, prompts, palettes; print(tools.__file__); print(palettes.curated_palettes()[0])"], cwd=work, env=env
    ).stdout.split()
    assert all(line.startswith(str(site)) for line in where)
    _run([vibesynth, "render", "--vibe", "rain", "--duration", "2", "-o", "rain.wav"], cwd=work, env=env)
    _run([vibesynth, "palettes", "build"], cwd=work, env=env)
    _run([vibesynth, "reference", "--palette", "palette_001", "--bars", "32", "-o", "set.wav"], cwd=work, env=env)
    scores = _run([vibesynth, "score", "rain.wav", "set.wav", "--json"], cwd=work, env=env).stdout.splitlines()
    assert [json.loads(line)["backend"] for line in scores] == ["dsp", "dsp"]
    assert (tmp_path / "xdg" / "vibesynth" / "samples" / "manifest.json").is_file()
    after = sorted(str(p) for p in site.rglob("*") if "__pycache__" not in p.parts)
    assert after == before  # the cache is not in site-packages
