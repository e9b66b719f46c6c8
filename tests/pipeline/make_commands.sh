#!/usr/bin/env bash
# Spoken "alexa, <command>" test recordings for the pipeline tests, synthesised with
# espeak-ng (Debian) and assembled with sox: 16 kHz mono WAVs in OUTDIR.
#   no_pause.wav      the command right after the wake word
#   pause.wav         the same with 1 s between them
#   wake_only.wav     the wake word, then 6 s of silence
#   cut.wav           the command cut off mid-word, no silence after it
#   command_only.wav  the command alone (a follow-up without the wake word)
set -euo pipefail
out=${1:?usage: make_commands.sh OUTDIR}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
say() { espeak-ng -v en-us -s 150 -w "$tmp/$1.raw.wav" "$2" && sox "$tmp/$1.raw.wav" -r 16000 -c 1 -b 16 "$tmp/$1.wav"; }
silence() { sox -n -r 16000 -c 1 -b 16 "$tmp/sil$1.wav" trim 0 "$1"; }
say wake "Alexa"
say command "turn off the kitchen light"
# espeak-ng runs "Alexa turn" together into one word; the comma gives the short break a
# speaker makes without pausing.
say both "Alexa, turn off the kitchen light"
silence 1
silence 1.5
silence 6
sox "$tmp/sil1.wav" "$tmp/both.wav" "$tmp/sil1.5.wav" "$out/no_pause.wav"
sox "$tmp/sil1.wav" "$tmp/wake.wav" "$tmp/sil1.wav" "$tmp/command.wav" "$tmp/sil1.5.wav" "$out/pause.wav"
sox "$tmp/sil1.wav" "$tmp/wake.wav" "$tmp/sil6.wav" "$out/wake_only.wav"
sox "$tmp/command.wav" "$tmp/sil1.5.wav" "$out/command_only.wav"
# Up to about the middle of "kitchen".
cut=$(awk -v w="$(soxi -D "$tmp/wake.wav")" -v c="$(soxi -D "$tmp/command.wav")" \
  'BEGIN { printf "%.3f", 2 + w + 0.6 * c }')
sox "$out/pause.wav" "$out/cut.wav" trim 0 "$cut"
