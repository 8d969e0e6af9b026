#!/usr/bin/env python3
"""Echo throughput of several servers side by side, in one run: for each connection count, each round
starts every server in turn, drives it with the same client and workload, and records the client's
messages/s and the server's CPU time (user+system from /proc/PID/stat). Prints medians and the ratio of
each server to the first.

usage: side_by_side.py CLIENT SERVER [SERVER...] [--connections 1,50,500] [--messages 20000] [--rounds 3]
CLIENT is coro_echo_client (flags --port --connections --messages --size). Servers follow the tutorial's
CLI contract (--port 0, 'listening on HOST:PORT').
"""
import argparse
import os
import re
import signal
import statistics
import subprocess

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def run_once(server, client, connections, total_messages):
    proc = subprocess.Popen([server, "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        port = proc.stdout.readline().rsplit(":", 1)[1].strip()
        before = cpu_seconds(proc.pid)
        messages = max(1, total_messages // connections)
        out = subprocess.run([client, "--port", port, "--connections", str(connections), "--messages",
                              str(messages), "--size", "64"], check=True, capture_output=True, text=True).stdout
        used = cpu_seconds(proc.pid) - before
        rate = float(re.search(r"([0-9.]+) messages/s", out).group(1))
        return rate, used * 1e6 / (messages * connections)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("client")
    parser.add_argument("servers", nargs="+")
    parser.add_argument("--connections", default="1,50,500")
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    names = [os.path.basename(s) for s in args.servers]
    for connections in [int(c) for c in args.connections.split(",")]:
        results = {s: [] for s in args.servers}
        for _ in range(args.rounds):
            for server in args.servers:
                results[server].append(run_once(server, args.client, connections, args.messages))
        base_rate = statistics.median(r for r, _ in results[args.servers[0]])
        base_cpu = statistics.median(c for _, c in results[args.servers[0]])
        print(f"{connections} connection(s), {args.messages} messages of 64 bytes, median of {args.rounds}:")
        for server, name in zip(args.servers, names):
            rate = statistics.median(r for r, _ in results[server])
            cpu = statistics.median(c for _, c in results[server])
            print(f"  {name:20} {rate:9.0f} messages/s ({rate / base_rate:4.2f}x)   "
                  f"server CPU {cpu:5.2f} us/message ({cpu / base_cpu:4.2f}x)")


if __name__ == "__main__":
    main()
