#!/usr/bin/env python3
"""Syscalls per echoed message: attach `strace -c -f` to an echo server, run a fixed client workload,
divide the server's syscall count by the number of messages.

usage: syscalls_per_message.py SERVER_BINARY CLIENT_BINARY [--connections 50] [--messages 1000] [--size 64]
CLIENT_BINARY is coro_echo_client (or anything with its flags). Needs strace (and ptrace permission).
"""
import argparse
import signal
import subprocess
import sys
import tempfile
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("server")
    parser.add_argument("client")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--size", type=int, default=64)
    args = parser.parse_args()

    server = subprocess.Popen([args.server, "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline().rsplit(":", 1)[1])
        with tempfile.NamedTemporaryFile("r", suffix=".strace") as out:
            strace = subprocess.Popen(["strace", "-c", "-f", "-o", out.name, "-p", str(server.pid)],
                                      stderr=subprocess.DEVNULL)
            time.sleep(0.5)  # strace attaches asynchronously; there is no event to wait for
            subprocess.run([args.client, "--port", str(port), "--connections", str(args.connections),
                            "--messages", str(args.messages), "--size", str(args.size)], check=True,
                           stdout=subprocess.DEVNULL)
            strace.send_signal(signal.SIGINT)
            strace.wait(timeout=30)
            report = out.read()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    # Rows: % time, seconds, usecs/call, calls, [errors,] syscall
    calls = {}
    for line in report.splitlines():
        fields = line.split()
        if len(fields) >= 5 and fields[3].isdigit() and fields[-1] != "total":
            calls[fields[-1]] = int(fields[3])
    messages = args.connections * args.messages
    total = sum(calls.values())
    if total == 0:
        sys.exit("could not parse the strace summary:\n" + report)
    detail = ", ".join(f"{name} {count / messages:.3f}" for name, count in
                       sorted(calls.items(), key=lambda kv: -kv[1])[:6])
    print(f"{args.server.rsplit('/', 1)[-1]}: {total} syscalls for {messages} messages "
          f"({args.connections} connections): {total / messages:.3f} per message ({detail})")


if __name__ == "__main__":
    main()
