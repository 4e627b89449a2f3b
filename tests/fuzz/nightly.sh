#!/usr/bin/env bash
# Longer fuzz run for nightly use: 20,000 random (not derandomised) cases per target.
#   tests/fuzz/nightly.sh [EXAMPLES]
# A failure prints the falsifying input; crashers are saved under tests/regressions/ (CONTRACTREVIEW_FUZZ_SAVE=1) and replayed by every run.
set -eu
cd "$(dirname "$0")/../.."
CONTRACTREVIEW_FUZZ_SAVE=1 CONTRACTREVIEW_FUZZ_EXAMPLES="${1:-20000}" .venv/bin/python -m pytest tests/test_fuzz.py -q -p no:cacheprovider
