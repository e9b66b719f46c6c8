#!/usr/bin/env bash
# Installs the build into a temporary prefix and builds hosts against the installed tree
# alone: the C example with pkg-config, a C++ program with find_package(earshot). Runs both
# on a spoken command. Also checks that libearshot.so exports the C ABI and nothing else.
#   test_install.sh BUILD_DIR SOURCE_DIR SPEECH_WAV MODELS_DIR
set -euo pipefail
build=$1 src=$2 wav=$3 models=$4
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in include/earshot/earshot.h include/earshot/pipeline.hpp lib/libearshot.a \
         lib/pkgconfig/earshot.pc lib/cmake/earshot/earshotConfig.cmake bin/earshot; do
  [ -e "$prefix/$f" ] || { echo "not installed: $f"; exit 1; }
done
ls "$prefix"/lib/libearshot.so* >/dev/null
others=$(nm -D --defined-only "$prefix/lib/libearshot.so" | awk '{print $3}' | grep -v '^earshot_' || true)
if [ -n "$others" ]; then echo "libearshot.so exports more than the C ABI:"; echo "$others" | head; exit 1; fi
if grep -rq "$src" "$prefix/lib/cmake" "$prefix/lib/pkgconfig"; then
  echo "the installed package names the source tree"; exit 1
fi

# C, with pkg-config only.
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
cc -std=c99 -Wall -Wextra -Werror "$src/examples/c/earshot_events.c" \
   $(pkg-config --cflags --libs earshot) -o "$prefix/earshot_events"
out=$(LD_LIBRARY_PATH="$prefix/lib" EARSHOT_MODELS="$models" "$prefix/earshot_events" "$wav" alexa)
echo "$out"
echo "$out" | grep -q '"type":"wake"' || { echo "C example: no wake event"; exit 1; }
echo "$out" | grep -q '"type":"intent","time":[0-9.]*,"sample":[0-9]*,"intent":"HassTurnOff"' ||
  { echo "C example: no HassTurnOff intent"; exit 1; }
# Raw PCM on stdin works too, and a missing file is an error with a message, not a crash.
# (Outputs are captured before grep: `grep -q` in a pipe would end the writer with SIGPIPE.)
out=$(sox "$wav" -t raw -r 16000 -c 1 -b 16 -e signed-integer - |
  LD_LIBRARY_PATH="$prefix/lib" EARSHOT_MODELS="$models" "$prefix/earshot_events" - alexa)
echo "$out" | grep -q '"intent":"HassTurnOff"' || { echo "C example on stdin: no intent"; exit 1; }
if LD_LIBRARY_PATH="$prefix/lib" EARSHOT_MODELS="$models" "$prefix/earshot_events" /nonexistent.wav \
   2>"$prefix/err"; then
  echo "C example: a missing file succeeded"; exit 1
fi
grep -q nonexistent "$prefix/err"

# C++, with find_package(earshot) only.
cmake -S "$src/tests/install/consumer" -B "$prefix/consumer" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$prefix/consumer" >/dev/null
out=$(LD_LIBRARY_PATH="$prefix/lib" "$prefix/consumer/earshot_consumer" "$models" "$wav" alexa)
echo "$out" | grep -q '^intent HassTurnOff' || { echo "C++ consumer: no intent"; exit 1; }
echo "install test: ok"
