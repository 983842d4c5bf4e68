#!/usr/bin/env bash
# Measures issue 16's static target: calibrate on ../shared/data/cascades-train.csv, replay the plans on outcomes of the
# same benchmarks and model chains that the calibration never saw (the source's test split), and print the replay.
#
#   eng/measure-unseen.sh                              # the calibration's defaults (target 0.95)
#   eng/measure-unseen.sh --bound Betting              # any `routing calibrate` options, passed on as they are
#   CASCADES_GIT=/path/to/bare-or-mirror eng/measure-unseen.sh
#
# The unseen outcomes are not in this repository. They are converted from the per-query results of
# github.com/mzelling/rational-llm-cascades (a bare clone is made under $CACHE when CASCADES_GIT is not set) by
# eng/convert-cascades-split.py, which needs Debian's python3 with python3-pandas (the results are pandas pickles);
# the converted file is kept under $CACHE. The script first checks that the same converter turns the source's training
# split into exactly ../shared/data/cascades-train.csv, so the two files come from one source by one rule.
# Keep the number of looks small: every option measured here is a look at data the target is meant to be unseen by;
# choose candidates on the training file (`routing evaluate --cross-validate 5`) first (docs/calibration.md).
set -euo pipefail
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

REPO="$(cd "$(dirname "$0")/.." && pwd)"
TRAIN="${TRAIN:-$REPO/../shared/data/cascades-train.csv}"
CACHE="${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/routingsdk-unseen}"
PYTHON="${PYTHON:-/usr/bin/python3}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/routingsdk-unseen.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

[ -f "$TRAIN" ] || { echo "measure-unseen: no training file at $TRAIN (set TRAIN=...)" >&2; exit 1; }
"$PYTHON" -c 'import pandas' 2>/dev/null \
  || { echo "measure-unseen: $PYTHON cannot import pandas; install it with: apt-get install -y python3-pandas (or set PYTHON=...)" >&2; exit 1; }

mkdir -p "$CACHE"
SOURCE="${CASCADES_GIT:-$CACHE/rational-llm-cascades.git}"
if [ ! -d "$SOURCE" ]; then
  echo "measure-unseen: cloning the source of the outcomes into $SOURCE" >&2
  git clone --quiet --bare https://github.com/mzelling/rational-llm-cascades "$SOURCE"
fi

UNSEEN="$CACHE/cascades-test.csv"
if [ ! -s "$UNSEEN" ]; then
  "$PYTHON" "$REPO/eng/convert-cascades-split.py" "$SOURCE" train > "$WORK/train-check.csv"
  cmp -s "$WORK/train-check.csv" "$TRAIN" \
    || { echo "measure-unseen: the converter's training split differs from $TRAIN; the unseen split would not be comparable" >&2; exit 1; }
  "$PYTHON" "$REPO/eng/convert-cascades-split.py" "$SOURCE" test > "$WORK/test.csv"
  mv "$WORK/test.csv" "$UNSEEN"
fi

dotnet build "$REPO/src/RoutingSdk.Cli" -c Release -v:q -nologo > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
ROUTING=(dotnet "$REPO/src/RoutingSdk.Cli/bin/Release/net10.0/routing.dll")
"${ROUTING[@]}" calibrate --outcomes "$TRAIN" --target 0.95 --out "$WORK/routing.calibration.json" "$@" > "$WORK/calibrate.txt"
echo "calibrated on $(basename "$TRAIN") with: --target 0.95 $*"
echo "replayed on $UNSEEN (never seen by the calibration):"
"${ROUTING[@]}" evaluate --outcomes "$UNSEEN" --calibration "$WORK/routing.calibration.json"
