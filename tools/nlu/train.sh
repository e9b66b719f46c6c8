#!/bin/sh
# Rebuilds earshot's committed NLU model (models/nlu/) from scratch: generates the labelled data,
# trains the SentencePiece vocabulary and the transformer (seeded, one thread), exports f32 and
# int8 model files and the torch-logits parity fixture (with the slot spans
# tools/nlu/train_decode.py decodes, which the C++ decoder must reproduce). Needs Debian's
# python3-torch (1.13.1), python3-sentencepiece (0.1.97), python3-numpy and python3-yaml, plus
# the tools venv for the generator (hassil, home-assistant-intents).
#   sh tools/nlu/train.sh            (about an hour on one free core)
# Two steps, as the committed model was made: a short run on 12k examples (vocabulary of 800
# pieces), then all examples warm-started from it. The committed model's second step ran with
# `--budget-s 2300` (learning rate decayed over wall time on a loaded machine; its
# checkpoint metadata records the steps it reached); --epochs below is the reproducible
# equivalent.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VENV=${EARSHOT_VENV:-$HOME/.cache/earshot/venv}
DATA=${EARSHOT_CACHE:-$HOME/.cache/earshot}/nlu
cd "$ROOT/tools"
"$VENV/bin/python" -m nlu.generate --out "$DATA"
PYTHONPATH="$ROOT/tools" nice -n 10 /usr/bin/python3 -m nlu.train --data "$DATA" \
  --out "$DATA/model-small" --limit 12000 --epochs 2 --vocab 800
PYTHONPATH="$ROOT/tools" nice -n 10 /usr/bin/python3 -m nlu.train --data "$DATA" \
  --init "$DATA/model-small" --out "$DATA/model" --lr 2e-3 --epochs ${EARSHOT_NLU_EPOCHS:-8} \
  --eval-every 150
PYTHONPATH="$ROOT/tools" /usr/bin/python3 -m nlu.export --data "$DATA" --checkpoint "$DATA/model" \
  --out "$ROOT/models/nlu" --fixture "$ROOT/tests/nlp/fixtures/nlu_torch_logits.esm"
