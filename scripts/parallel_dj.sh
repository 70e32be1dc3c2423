#!/usr/bin/env bash
# A/B DJ runs: every prompt x model x replica on one shared palette, with bounded
# parallelism; then every WAV is scored through the one metric (agent.metric) and
# each arm is compared with the control, paired by replica (replica r plays with
# seed r in every arm), Holm-corrected across arms, with a verdict per arm.
# Re-running with the same --outdir resumes (and may add --replicas).
#
#   scripts/parallel_dj.sh --prompt prompts/baseline.txt --prompt prompts/v7_hypnotic_peak.txt \
#       --lm openai/gpt-4o-mini --replicas 5 --bars 64 --workers 4 [--api-base URL] [--alpha 0.05]
#
# This is a thin entry point: the runner is agent/ab/runner.py (one interpreter;
# `python -m agent.ab run --help` lists every option). Exit status: 0 when every
# run finished, 1 when some failed (their logs are named), 2 on bad options.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${VIBESYNTH_PYTHON:-$ROOT/.venv/bin/python}"
[[ -x "$PY" ]] || { echo "error: no Python at $PY; run \`make setup\` or set VIBESYNTH_PYTHON" >&2; exit 2; }
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
exec "$PY" -m agent.ab run "$@"
