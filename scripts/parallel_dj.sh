#!/usr/bin/env bash
# A/B DJ runs: every prompt x model x replica on one shared palette, with bounded
# parallelism; then every WAV is scored and a summary per prompt and model is
# written (mean, 95% CI, Welch's t-test and Cohen's d against the first prompt,
# Holm-corrected p-values). Re-running with the same --outdir resumes.
#
# A resumed folder must be asked for with the same settings (config.json; --workers may change).
#
#   scripts/parallel_dj.sh --prompt prompts/baseline.txt --prompt prompts/v7_hypnotic_peak.txt \
#       --lm openai/gpt-4o-mini --replicas 5 --bars 64 --workers 4
set -euo pipefail

usage() {
  cat <<'EOF'
usage: scripts/parallel_dj.sh --prompt FILE [--prompt FILE ...] [--lm MODEL ...] [--replicas N]
       [--bars N] [--bpm N] [--palette FILE] [--workers N] [--scorer dsp|remote:URL|...]
       [--brief TEXT] [--temperature T] [--outdir DIR]
  --lm        litellm model, `reference` or `replay:TRAJECTORY.jsonl` (repeatable; default: reference)
  --replicas  runs per prompt and model (default 3); replica r uses --seed r
  --outdir    parent folder (default runs/ab); results go to OUTDIR/ab-TIMESTAMP,
              or into OUTDIR itself when it already holds a jobs.tsv (resume)
EOF
}

die() { echo "error: $*" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${VIBESYNTH_PYTHON:-$ROOT/.venv/bin/python}"
PROMPTS=() LMS=() REPLICAS=3 BARS=64 BPM="" PALETTE="" WORKERS=2 SCORER=dsp
BRIEF="dark warehouse techno, hypnotic" TEMPERATURE="" OUTDIR="runs/ab"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --prompt) PROMPTS+=("${2:?--prompt needs a file}"); shift 2 ;;
    --lm) LMS+=("${2:?--lm needs a model}"); shift 2 ;;
    --replicas) REPLICAS="${2:?}"; shift 2 ;;
    --bars) BARS="${2:?}"; shift 2 ;;
    --bpm) BPM="${2:?}"; shift 2 ;;
    --palette) PALETTE="${2:?}"; shift 2 ;;
    --workers) WORKERS="${2:?}"; shift 2 ;;
    --scorer) SCORER="${2:?}"; shift 2 ;;
    --brief) BRIEF="${2:?}"; shift 2 ;;
    --temperature) TEMPERATURE="${2:?}"; shift 2 ;;
    --outdir) OUTDIR="${2:?}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option $1" ;;
  esac
done

[[ ${#PROMPTS[@]} -gt 0 ]] || { usage >&2; die "give at least one --prompt FILE (two to compare)"; }
[[ ${#LMS[@]} -gt 0 ]] || LMS=(reference)
[[ "$REPLICAS" =~ ^[1-9][0-9]*$ ]] || die "--replicas must be a positive whole number, got $REPLICAS"
[[ "$WORKERS" =~ ^[1-9][0-9]*$ ]] || die "--workers must be a positive whole number, got $WORKERS"
[[ "$BARS" =~ ^[1-9][0-9]*$ ]] || die "--bars must be a positive whole number, got $BARS"
[[ -z "$BPM" || "$BPM" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--bpm must be a number, got $BPM"
[[ -z "$TEMPERATURE" || "$TEMPERATURE" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--temperature must be a number, got $TEMPERATURE"
for p in "${PROMPTS[@]}"; do [[ -f "$p" ]] || die "no prompt file $p"; done
if [[ -z "$PALETTE" ]]; then
  PALETTE="$(ls "$ROOT"/palettes/curated/*.json 2>/dev/null | head -n 1)"
  [[ -n "$PALETTE" ]] || die "no curated palette in palettes/curated/; pass --palette FILE"
fi
[[ -f "$PALETTE" ]] || die "no palette file $PALETTE"
PALETTE="$(cd "$(dirname "$PALETTE")" && pwd)/$(basename "$PALETTE")"

if [[ -f "$OUTDIR/jobs.tsv" ]]; then
  OUT="$OUTDIR"
else
  OUT="$OUTDIR/ab-$(date +%Y%m%d-%H%M%S)"
fi

# The settings that decide the results (all but --workers); a resume must repeat them.
CONFIG="$("$PY" - "$PALETTE" "$BARS" "$BPM" "$REPLICAS" "$SCORER" "$BRIEF" "$TEMPERATURE" "${#PROMPTS[@]}" \
  "${PROMPTS[@]}" "${LMS[@]}" <<'PYEOF'
import hashlib, json, sys
from pathlib import Path
palette, bars, bpm, replicas, scorer, brief, temperature, count = sys.argv[1:9]
prompts, lms = sys.argv[9:9 + int(count)], sys.argv[9 + int(count):]
sha = lambda path: hashlib.sha256(Path(path).read_bytes()).hexdigest()
print(json.dumps({"palette": palette, "palette_sha256": sha(palette), "bars": int(bars),
                  "bpm": float(bpm) if bpm else None, "replicas": int(replicas), "scorer": scorer, "brief": brief,
                  "temperature": float(temperature) if temperature else None,
                  "prompts": [{"file": Path(p).name, "sha256": sha(p)} for p in prompts], "lms": lms,
                  "lm_cache": False}, indent=2))
PYEOF
)"
if [[ -f "$OUT/jobs.tsv" ]]; then
  "$PY" - "$OUT/config.json" "$CONFIG" <<'PYEOF' || die "$OUT was started with other settings (above); repeat them to resume, or pass a new --outdir"
import json, sys
path, now = sys.argv[1], json.loads(sys.argv[2])
try:
    before = json.load(open(path))
except (OSError, ValueError) as err:
    sys.exit(f"{path} is missing or damaged ({err})")
before.pop("workers", None)
changed = sorted(key for key in before.keys() | now.keys() if before.get(key) != now.get(key))
for key in changed:
    print(f"  {key}: recorded {json.dumps(before.get(key))}, now {json.dumps(now.get(key))}", file=sys.stderr)
sys.exit(1 if changed else 0)
PYEOF
fi
mkdir -p "$OUT/prompts" "$OUT/logs" "$OUT/runs"
[[ -f "$OUT/jobs.tsv" ]] || cp "$PALETTE" "$OUT/palette.json"

# Short, unique, filesystem-safe labels: the prompt file's stem and the model string.
label() { printf '%s' "$1" | tr -c 'A-Za-z0-9._-' '_'; }

if [[ ! -f "$OUT/jobs.tsv" ]]; then
  printf 'run_dir\tprompt\tlm\treplica\n' > "$OUT/jobs.tsv.tmp"
  for i in "${!PROMPTS[@]}"; do
    prompt="${PROMPTS[$i]}"
    stem="$(label "$(basename "${prompt%.*}")")"
    cp "$prompt" "$OUT/prompts/$i-$stem.txt"
    for lm in "${LMS[@]}"; do
      for ((r = 1; r <= REPLICAS; r++)); do
        printf 'runs/%s__%s__r%d\t%s\t%s\t%d\n' "$i-$stem" "$(label "$lm")" "$r" "$i-$stem" "$lm" "$r" >> "$OUT/jobs.tsv.tmp"
      done
    done
  done
  "$PY" - "$OUT/config.json" "$CONFIG" "$WORKERS" <<'PYEOF'
import json, sys
path, config, workers = sys.argv[1:]
json.dump({**json.loads(config), "workers": int(workers)}, open(path, "w"), indent=2)
PYEOF
  mv "$OUT/jobs.tsv.tmp" "$OUT/jobs.tsv"
fi

run_one() {  # run_dir prompt_label lm replica
  local dir="$OUT/$1" log="$OUT/logs/$(basename "$1").log"
  [[ -f "$dir/summary.json" ]] && { echo "skip $1 (done)"; return 0; }
  local args=(dj "$BRIEF" --palette "$PALETTE" --bars "$BARS" --prompt "$OUT/prompts/$2.txt" --lm "$3"
              --seed "$4" --scorer none --out "$dir" --force --quiet)
  [[ -n "$BPM" ]] && args+=(--bpm "$BPM")
  [[ -n "$TEMPERATURE" ]] && args+=(--temperature "$TEMPERATURE")
  if "$ROOT/.venv/bin/vibesynth" "${args[@]}" > "$log" 2>&1; then
    echo "done $1"
  else
    echo "FAILED $1 (see $log)"
  fi
}

echo "A/B run -> $OUT ($(($(wc -l < "$OUT/jobs.tsv") - 1)) runs, $WORKERS at a time)"
running=0
while IFS=$'\t' read -r dir prompt lm replica; do
  run_one "$dir" "$prompt" "$lm" "$replica" &
  running=$((running + 1))
  if [[ $running -ge $WORKERS ]]; then wait -n || true; running=$((running - 1)); fi
done < <(tail -n +2 "$OUT/jobs.tsv")
wait

"$PY" -m agent.ab score "$OUT" --scorer "$SCORER"
"$PY" -m agent.ab summarize "$OUT"
