#!/usr/bin/env bash
# stack_trap.sh: compiles test_task_deep.cpp by hand with each compiler and flag set below and runs it.
# exit 0: the million-deep tests passed; exit 1: the probe saw the stack grow (symmetric transfer was not a
# tail call), and the tests failed with that explanation instead of overflowing. Run from the repository root:
#   bash part2_coroutines/stack_trap.sh
set -u
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
configs=(
    "g++ -O2"
    "g++ -O1"
    "g++ -O0"
    "g++ -O0 -foptimize-sibling-calls"
    "g++ -O2 -fsanitize=address"
    "g++ -O2 -fsanitize=address -fno-sanitize-address-use-after-scope"
    "g++ -O2 -fsanitize=undefined"
    "g++ -O2 -fsanitize=address,undefined -fno-sanitize-address-use-after-scope -fno-sanitize=null,alignment"
    "clang++ -O0"
    "clang++ -O2 -fsanitize=address,undefined"
)
for config in "${configs[@]}"; do
    read -r compiler flags <<<"$config"
    if ! $compiler -std=c++20 -g $flags -Ipart2_coroutines part2_coroutines/test_task_deep.cpp \
        tools/doctest_main.cpp -o "$out/deep" 2>"$out/err"; then
        echo "| \`$config\` | did not compile |"
        continue
    fi
    "$out/deep" >"$out/log" 2>&1
    status=$?
    used=$(grep -o 'chain used [0-9]* bytes' "$out/log" | head -1)
    echo "| \`$config\` | $status | ${used:-stack did not grow: both tests ran and passed} |"
done
