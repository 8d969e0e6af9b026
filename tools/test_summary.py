#!/usr/bin/env python3
"""Sum Meson test results over build directories and print one closing line: 'N passed, N failed'.

    test_summary.py build build-sanitize            tests that must pass
    test_summary.py --expect-fail build-starter     tests that must fail (untouched exercise starters)

Reads each directory's meson-logs/testlog.json (one JSON object per test). With several invocations, pass
--state FILE to accumulate counts across them and --final to print the closing line.
"""
import argparse
import json
import pathlib
import sys

PASSING = {"OK", "EXPECTEDFAIL"}
SKIPPED = {"SKIP"}


def results(build):
    log = pathlib.Path(build) / "meson-logs" / "testlog.json"
    if not log.is_file():
        raise SystemExit(f"{log}: missing (did 'meson test' run in {build}?)")
    for line in log.read_text().splitlines():
        if line.strip():
            entry = json.loads(line)
            yield entry["name"], entry["result"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("builds", nargs="*")
    ap.add_argument("--expect-fail", action="store_true", help="a test counts as passed when it failed")
    ap.add_argument("--state", help="JSON file accumulating counts across calls")
    ap.add_argument("--final", action="store_true", help="print the closing line from --state")
    args = ap.parse_args()

    state = {"passed": 0, "failed": 0, "skipped": 0}
    if args.state and pathlib.Path(args.state).is_file():
        state = json.loads(pathlib.Path(args.state).read_text())

    for build in args.builds:
        passed = failed = skipped = 0
        for name, result in results(build):
            if result in SKIPPED:
                skipped += 1
                continue
            ok = (result not in PASSING) if args.expect_fail else (result in PASSING)
            if ok:
                passed += 1
            else:
                failed += 1
                verdict = "passed but must fail (the starter is already a solution?)" if args.expect_fail \
                    else f"result {result}"
                print(f"{build}: {name}: {verdict}")
        kind = "starters failing as they must" if args.expect_fail else "tests"
        print(f"{build}: {passed} {kind} ok, {failed} not, {skipped} skipped")
        if passed + failed == 0:
            print(f"{build}: ran no test")
            failed += 1
        state["passed"] += passed
        state["failed"] += failed
        state["skipped"] += skipped

    if args.state:
        pathlib.Path(args.state).write_text(json.dumps(state))
    if args.final or not args.state:
        print(f"{state['passed']} passed, {state['failed']} failed, {state['skipped']} skipped")
    return 1 if state["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
