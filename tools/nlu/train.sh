#!/bin/sh
# Rebuilds earshot's committed NLU model (models/nlu/) from scratch: generates the labelled data,
# trains the SentencePiece vocabulary and the transformer (seeded, one thread), exports f32 and
# int8 model files and the torch-logits parity fixture. Needs Debian's python3-torch (1.13.1),
# python3-sentencepiece (0.1.97), python3-numpy and python3-yaml, plus the tools venv for the
# generator (hassil, home-assistant-intents).
#   sh tools/nlu/train.sh            (about 20 minutes on one core)
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VENV=${EARSHOT_VENV:-$HOME/.cache/earshot/venv}
DATA=${EARSHOT_CACHE:-$HOME/.cache/earshot}/nlu
cd "$ROOT/tools"
"$VENV/bin/python" -m nlu.generate --out "$DATA"
PYTHONPATH="$ROOT/tools" nice -n 10 /usr/bin/python3 -m nlu.train --data "$DATA" --out "$DATA/model"
PYTHONPATH="$ROOT/tools" /usr/bin/python3 -m nlu.export --data "$DATA" --checkpoint "$DATA/model" \
  --out "$ROOT/models/nlu" --fixture "$ROOT/tests/nlp/fixtures/nlu_torch_logits.esm"
