#!/usr/bin/env bash
# Executes every notebook in notebooks/ headlessly; writes the executed notebooks and HTML renderings to
# reports/. Exits non-zero if any cell of any notebook fails (the other notebooks still run).
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$PATH:$HOME/.dotnet/tools"
out="$repo/reports"
mkdir -p "$out/notebooks"
failed=0; passed=0
for nb in "$repo"/notebooks/*.ipynb; do
  name="$(basename "$nb" .ipynb)"
  start=$(date +%s)
  # Notebooks resolve their relative references (#r, #load) from their own folder.
  if (cd "$repo/notebooks" && dotnet-repl --run "$nb" --exit-after-run --output-format ipynb \
        --output-path "$out/notebooks/$name.ipynb" < /dev/null > "$out/notebooks/$name.log" 2>&1); then
    status=ok; passed=$((passed + 1))
  else
    status=FAILED; failed=$((failed + 1))
    python3 - "$out/notebooks/$name.ipynb" <<'PY' || tail -20 "$out/notebooks/$name.log"
import json, sys
nb = json.load(open(sys.argv[1]))
for i, c in enumerate(nb["cells"]):
    for o in c.get("outputs", []):
        if o.get("output_type") == "error":
            print(f"  cell {i}: {o.get('ename')}: {o.get('evalue', '')[:2000]}")
PY
  fi
  if [[ -f "$out/notebooks/$name.ipynb" ]]; then
    jupyter nbconvert --to html --log-level=WARN --output-dir "$out" "$out/notebooks/$name.ipynb" >/dev/null 2>&1 \
      || echo "  (could not render $name as HTML)"
  fi
  echo "notebook $name: $status in $(( $(date +%s) - start )) s"
done
echo "notebooks: $passed passed, $failed failed"
exit $(( failed > 0 ))
