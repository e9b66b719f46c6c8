#!/usr/bin/env bash
# The main job: runs the pipeline, as far as it exists, on a sample recording from Debian's
# pocketsphinx-testdata. Run scripts/setup.sh first (the README's first command does both).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin="$root/build/bin/earshot"
sample=${1:-/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav}
"$bin" info
