#!/usr/bin/env bash
# The main job on a fresh machine: set up, then execute the notebooks and write them as HTML to reports/.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$repo/scripts/setup.sh"
bash "$repo/scripts/run-notebooks.sh"
echo "reports written to $repo/reports/"
