#!/usr/bin/env bash
# The main job: the voice pipeline on a spoken command, then offline transcription of a real
# recording.
#   1. "Alexa, turn off the kitchen light" (synthesised with espeak-ng unless a file is
#      given) through `earshot run`: tier-0 VAD -> wake word -> streaming ASR -> intent;
#   2. a real recording (Debian's pocketsphinx-testdata) transcribed with `earshot transcribe`.
# Run scripts/setup.sh first (the README's first command does both).
#   scripts/demo.sh [COMMAND.wav]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin="$root/build/bin/earshot"
speech=/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
step() { printf '\n== %s\n' "$*"; }

step "earshot info"
"$bin" info

command_wav=${1:-}
if [ -z "$command_wav" ]; then
  command_wav="$work/command.wav"
  espeak-ng -v en-us -s 150 -w "$work/said.wav" "Alexa, turn off the kitchen light."
  sox -n -r 22050 -c 1 -b 16 "$work/silence.wav" trim 0 1
  sox "$work/silence.wav" "$work/said.wav" "$work/silence.wav" "$command_wav"
fi
step "the voice pipeline on $(basename "$command_wav"): one line per wake word, final and intent"
"$bin" run --keyword hey_jarvis,alexa,okay_nabu,hey_mycroft --stats "$command_wav"
step "the same as events, one JSON object per line"
"$bin" run --keyword hey_jarvis,alexa,okay_nabu,hey_mycroft --format json "$command_wav"

step "offline transcription of a real recording: $(basename "$speech")"
"$bin" transcribe --no-progress --format text "$speech"
