#!/usr/bin/env bash
# The main job: the earshot stages, one after the other, on sample recordings.
#   1. a real recording (Debian's pocketsphinx-testdata): speech segments and transcript;
#   2. a spoken command ("Alexa, turn off the kitchen light", synthesised with espeak-ng unless
#      a file is given): wake word -> transcript of what follows it -> intent and slots.
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

step "speech segments (neural VAD, int8) of $(basename "$speech")"
"$bin" vad --format json "$speech"
step "speech segments (tier-0 fixed-point VAD)"
"$bin" vad --engine fixed --format json "$speech"
step "transcript (Whisper tiny.en, int8)"
"$bin" transcribe --no-progress --format json "$speech"

command_wav=${1:-}
if [ -z "$command_wav" ]; then
  command_wav="$work/command.wav"
  espeak-ng -v en-us -s 150 -w "$command_wav" "Alexa. Turn off the kitchen light."
fi
step "wake word in $(basename "$command_wav")"
detections=$("$bin" kws --keyword alexa hey_jarvis okay_nabu hey_mycroft --format json "$command_wav")
echo "$detections"
wake_end=$(printf '%s' "$detections" | sed -n 's/.*"time":\([0-9.]*\).*/\1/p' | head -n 1)
if [ -z "$wake_end" ]; then
  echo "no wake word heard: the speaker stays asleep"
  exit 0
fi
step "what follows the wake word (from ${wake_end} s)"
sox "$command_wav" "$work/after_wake.wav" trim "$wake_end"
text=$("$bin" transcribe --no-progress --format text "$work/after_wake.wav")
echo "$text"
step "the same, streamed (partials, then the final at the endpoint)"
"$bin" listen "$work/after_wake.wav"
step "intent and slots"
"$bin" nlu --format json "$text"
