#!/usr/bin/env bash
# measure_syscalls.sh BUILD_DIR [server flags...]: syscalls per echoed message of epoll_echo_server.
# Runs the server under `strace -c -f`, drives a fixed ping-pong workload with echo_load at 1, 50 and 500
# connections (64-byte messages, 60,000 messages in total each), and prints the count of each syscall the
# server made, and that count divided by the number of messages. strace slows the server down; the counts are what matter.
set -euo pipefail
build=${1:?usage: measure_syscalls.sh BUILD_DIR [server flags...]}
shift
server=$build/part3_epoll/epoll_echo_server
load=$build/part3_epoll/echo_load
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for conns in 1 50 500; do
    msgs=$((60000 / conns))
    strace -c -f -o "$work/strace.txt" "$server" --port 0 "$@" >"$work/out" 2>"$work/err" &
    strace_pid=$!
    for _ in $(seq 100); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
    port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/out")
    server_pid=$(pgrep -P "$strace_pid")
    "$load" --port "$port" --connections "$conns" --messages "$msgs" --size 64 >/dev/null
    kill -TERM "$server_pid"
    wait "$strace_pid"
    total=$((conns * msgs))
    echo "== $conns connection(s), $total messages, server flags: ${*:-(none)}"
    awk -v total="$total" '
        NF >= 5 && $1 ~ /^[0-9.]+$/ { # % time, seconds, usecs/call, calls, [errors,] syscall
            name = $NF; calls = $4
            if (name == "total") next
            sum += calls
            if (calls / total >= 0.0005) printf "  %-14s %8d calls  %6.3f per message\n", name, calls, calls / total
        }
        END { printf "  %-14s %8d calls  %6.3f per message (the rest: start-up, under 0.001 each)\n", "all", sum, sum / total }
    ' "$work/strace.txt"
done
