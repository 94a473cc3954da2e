#!/usr/bin/env bash
# Runs the reference manifests at the main job's size (manifests/*-ci.json) and writes one paper-style report per
# study to reports/: NAME.html (self-contained), NAME.pdf and NAME.md (its short form, for docs/results.md). Results go to runs/NAME, so an interrupted main job
# resumes where it stopped. Each report re-runs two recorded runs per benchmark (--verify) and fails if they differ.
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$repo/reports"
mkdir -p "$out"
failed=0
for manifest in "$repo"/manifests/*-ci.json; do
  name="$(basename "$manifest" .json)"
  start=$(date +%s)
  if (cd "$repo" && ./naskit run "$manifest" --out "runs/$name" > "$out/$name.log" 2>&1 \
        && ./naskit report "runs/$name" --out "$out/$name.html" --pdf "$out/$name.pdf" --markdown "$out/$name.md" --verify 2 >> "$out/$name.log" 2>&1); then
    echo "report $name: ok in $(( $(date +%s) - start )) s ($(grep '^verify:' "$out/$name.log" | cut -c9-60)...)"
  else
    failed=$((failed + 1))
    echo "report $name: FAILED in $(( $(date +%s) - start )) s"; tail -5 "$out/$name.log"
  fi
done
exit $(( failed > 0 ))
