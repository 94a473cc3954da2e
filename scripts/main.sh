#!/usr/bin/env bash
# The main job on a fresh machine: set up (with Chromium for the PDFs and the PyTorch peer for the benches), run the reference manifests into paper-style
# reports (and docs/results.md from them), execute the notebooks; everything else is written to reports/.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
start=$(date +%s)
bash "$repo/scripts/setup.sh" --reports --bench
rc=0
bash "$repo/scripts/run-reports.sh" || rc=1
bash "$repo/scripts/results.sh" || rc=1
NASKIT_SIZE=full bash "$repo/scripts/run-notebooks.sh" || rc=1 # the chapters at the sizes their conclusions need
# Speed and memory against PyTorch on this machine, one table (docs/measurements.md quotes it).
"$repo/naskit" bench all --out "$repo/reports/bench.csv" | tee "$repo/reports/bench.txt" || rc=1
echo "main job: reports written to $repo/reports/ in $(( $(date +%s) - start )) s"
ls "$repo"/reports/*.html "$repo"/reports/*.pdf 2>/dev/null | sed "s|$repo/||"
exit $rc
