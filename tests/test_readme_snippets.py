"""Every command and Python snippet of the README runs, in the README's order, in one temporary folder.

The fenced ```bash blocks are run line by line (trailing comments stripped) with this
environment's `vibesynth` first on PATH; the ```python blocks are run with this interpreter.
Later snippets use what earlier ones wrote (rain.json, set.wav), as a reader following the
README would. A snippet that rots (a renamed option, a moved file, a changed API) fails here.
The only lines not run are in SKIPPED, each with its reason. The sample library is built in
the user cache, as the quick start does (`palettes build` is idempotent).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BIN = Path(sys.executable).parent

# Lines of the README's shell blocks that are not run here, and why. Keep this tiny.
SKIPPED = {
    "make setup": "it builds the environments this test runs in (minutes, network); CI runs it before make test",
    "make test": "it runs this test; CI runs it",
}

FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks(text: str) -> list[tuple[str, str]]:
    """(language, body) of every fenced block, in order."""
    return FENCE.findall(text)


def commands(body: str) -> list[str]:
    """The commands of a shell block: one a line, trailing `# comments` and blank lines dropped."""
    lines = (re.sub(r"\s+#\s.*$", "", line).strip() for line in body.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def run_snippets(text: str, folder: Path) -> int:
    """Run every snippet of `text` in `folder`, failing on the first that exits non-zero; returns how many ran."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "PYTHONPATH": str(ROOT)}
    ran = 0
    for lang, body in blocks(text):
        if lang == "python":
            script = folder / f"snippet_{ran}.py"
            script.write_text(body)
            done = subprocess.run([sys.executable, script.name], cwd=folder, env=env, capture_output=True, text=True, timeout=180)
            assert done.returncode == 0, f"README Python block failed:\n{body}\n--- stderr:\n{done.stderr[-3000:]}"
            ran += 1
            continue
        for command in commands(body):
            if command in SKIPPED:
                continue
            done = subprocess.run(["bash", "-c", command], cwd=folder, env=env, capture_output=True, text=True, timeout=180)
            assert done.returncode == 0, f"README command failed: {command}\n--- stderr:\n{done.stderr[-3000:]}"
            ran += 1
    return ran


def test_readme_blocks_are_all_runnable_kinds():
    found = blocks(README.read_text())
    langs = [lang for lang, _ in found]
    assert set(langs) <= {"bash", "python"}, f"a README block in a language this test does not run: {langs}"
    skipped = [c for lang, body in found if lang == "bash" for c in commands(body) if c in SKIPPED]
    assert sorted(skipped) == sorted(SKIPPED), "SKIPPED names a line the README no longer has"


def test_readme_snippets_run(tmp_path):
    assert run_snippets(README.read_text(), tmp_path) == 11  # the 9 quick-start commands, the Python block, the student
    for made in ("rain.wav", "rain.json", "faster.wav", "set.wav", "run/summary.json", "epiano.wav", "hammock.wav"):
        assert (tmp_path / made).is_file(), f"the README's commands did not write {made}"


@pytest.mark.parametrize(
    "snippet",
    [
        "```bash\nvibesynth render --vibe rain --duration 1 --no-such-option -o x.wav\n```\n",
        "```python\nimport vibesynth\nvibesynth.render('rain', duration=1, no_such_argument=1)\n```\n",
    ],
)
def test_a_rotten_snippet_fails(tmp_path, snippet):
    with pytest.raises(AssertionError, match="README"):
        run_snippets(snippet, tmp_path)
