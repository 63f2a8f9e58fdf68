#!/usr/bin/env bash
# fuzz/run.sh N [TARGET...]: fuzz each target (text, html, pipeline, article; default all) for N SECONDS with atheris,
# starting from the seed corpus; REPLAY=1 then runs every seed once (BIG=1 also the 50 MB line).
# Prints the inputs tried, crashes and hangs per target and in total; exits 1 on any crash or hang.
# Findings (crash-*, timeout-*, oom-*) and the grown corpus stay in $FUZZ_WORK (default: a new temp folder).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:?usage: fuzz/run.sh SECONDS_PER_TARGET [text|html|pipeline ...]}"
shift
[ $# -gt 0 ] && TARGETS=("$@") || TARGETS=(text html pipeline article)
PY="${PYTHON:-python}"
WORK="${FUZZ_WORK:-$(mktemp -d -t unspun-fuzz.XXXXXX)}"
export HF_HUB_OFFLINE=1 UNSPUN_THREADS=1 PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}"
mkdir -p "$WORK/seeds"
"$PY" fuzz/seeds.py "$WORK/seeds" --small

total_runs=0; total_crashes=0; total_hangs=0
for t in "${TARGETS[@]}"; do
  mkdir -p "$WORK/corpus-$t"
  # -timeout: a hang is one input over 60 s (the per-document time limit, 10 s, must fire first).
  "$PY" fuzz/harness.py "$t" -max_total_time="$N" -timeout=60 -rss_limit_mb=6144 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="$WORK/$t-" "$WORK/corpus-$t" "$WORK/seeds" >"$WORK/$t.log" 2>&1 || true
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$WORK/$t.log" | grep -o '[0-9]*$' || echo 0)
  crashes=$(find "$WORK" -maxdepth 1 -name "$t-crash-*" -o -maxdepth 1 -name "$t-oom-*" | wc -l)
  hangs=$(find "$WORK" -maxdepth 1 -name "$t-timeout-*" | wc -l)
  if [ "${runs:-0}" = 0 ] && [ "$crashes" = 0 ]; then
    echo "fuzz $t: did not run; see $WORK/$t.log" >&2; tail -5 "$WORK/$t.log" >&2; crashes=1
  fi
  echo "fuzz $t: ${runs:-0} inputs in ${N} s, $crashes crashes, $hangs hangs"
  total_runs=$((total_runs + ${runs:-0})); total_crashes=$((total_crashes + crashes)); total_hangs=$((total_hangs + hangs))
done
if [ "${REPLAY:-0}" = 1 ] || [ "${BIG:-0}" = 1 ]; then  # slow: every seed once, big ones included
  replay_args=(); [ "${BIG:-0}" = 1 ] && replay_args=(--big)
  "$PY" fuzz/replay.py "${replay_args[@]}" | tail -20 || total_crashes=$((total_crashes + 1))
fi
echo "fuzz total: $total_runs inputs tried, $total_crashes crashes, $total_hangs hangs (work folder: $WORK)"
[ "$total_crashes" = 0 ] && [ "$total_hangs" = 0 ]
