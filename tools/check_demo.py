#!/usr/bin/env python3
"""Prove the README's demo command works as written: run it, wait for its 'listening on HOST:PORT' line,
talk to the server with nc exactly as the README says, then stop it with SIGINT (Ctrl-C) and require exit
status 0. Used by .ci/run; prints one line of verdict."""
import os
import pathlib
import re
import signal
import subprocess
import sys
import time


def readme_command(readme, marker):
    lines = readme.read_text().splitlines()
    for i, line in enumerate(lines):
        if line.strip() == f"<!-- ci: {marker} -->":
            return lines[i + 2].strip()
    raise SystemExit(f"README.md: no '<!-- ci: {marker} -->' block")


def main():
    root = pathlib.Path(__file__).resolve().parent.parent
    command = readme_command(root / "README.md", "demo-command")
    print(f"demo command: {command}")
    demo = subprocess.Popen(["bash", "-c", command], cwd=root, stdout=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 600  # the first run also builds everything
        host = port = None
        for line in demo.stdout:
            match = re.fullmatch(r"listening on (\S+):(\d+)", line.strip())
            if match:
                host, port = match.group(1), match.group(2)
                break
            if time.monotonic() > deadline:
                break
        if port is None:
            print("FAIL: the demo never printed 'listening on HOST:PORT'")
            return 1
        message = "hello from the README\n"
        nc = subprocess.run(["nc", "-q", "1", host, port], input=message, capture_output=True, text=True,
                            timeout=30)
        if nc.stdout != message:
            print(f"FAIL: nc got {nc.stdout!r}, expected {message!r}")
            return 1
        os.killpg(demo.pid, signal.SIGINT)
        status = demo.wait(timeout=30)
        if status != 0:
            print(f"FAIL: after Ctrl-C the demo exited with status {status}, expected 0")
            return 1
        print(f"ok: the demo echoed over nc on {host}:{port} and exited 0 on Ctrl-C")
        return 0
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait()


if __name__ == "__main__":
    sys.exit(main())
