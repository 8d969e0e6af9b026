#!/usr/bin/env python3
"""Memory per idle connection of an echo server: start it, read its VmRSS, open N idle connections, wait
until the server holds them all (its fd count in /proc), read VmRSS again, print (after - before) / N.

usage: idle_memory.py SERVER_BINARY [--connections 5000] [server args...]
The server must follow the tutorial's CLI contract (--port 0, prints 'listening on HOST:PORT').
"""
import argparse
import os
import resource
import signal
import socket
import subprocess
import sys
import time


def vm_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("server")
    parser.add_argument("--connections", type=int, default=5000)
    args, server_args = parser.parse_known_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < args.connections + 100:
        sys.exit(f"RLIMIT_NOFILE hard limit {hard} is too low for {args.connections} connections")

    server = subprocess.Popen([args.server, "--port", "0", *server_args], stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        port = int(line.rsplit(":", 1)[1])
        # Warm up: one echoed message, so buffers the server allocates once are in "before", not "after".
        with socket.create_connection(("127.0.0.1", port)) as warm:
            warm.sendall(b"x")
            warm.recv(1)
        time.sleep(0.2)
        fds_before = open_fds(server.pid)
        before = vm_rss_kib(server.pid)
        clients = []
        for _ in range(args.connections):
            clients.append(socket.create_connection(("127.0.0.1", port)))
        deadline = time.time() + 60
        while open_fds(server.pid) < fds_before + args.connections and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # let every connection reach its idle state (a thread its blocking read)
        after = vm_rss_kib(server.pid)
        held = open_fds(server.pid) - fds_before
        print(f"{os.path.basename(args.server)}: {held} idle connections, VmRSS {before} KiB -> {after} KiB, "
              f"{(after - before) * 1024 / args.connections:.0f} bytes per connection")
        for c in clients:
            c.close()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
