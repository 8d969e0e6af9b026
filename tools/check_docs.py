#!/usr/bin/env python3
"""Docs never drift from code.

A code block in docs/*.md that shows project code is preceded by a marker naming where it comes from:

    <!-- snippet: part1_sockets/fd.hpp -->              the whole file
    <!-- snippet: part1_sockets/socket_io.cpp#write_all -->  one region of it

and a region is delimited in the source by two comment lines (the marker lines themselves are not shown):

    // snippet-begin: write_all
    ...
    // snippet-end: write_all

Every ```cpp block must carry such a marker, or the marker <!-- sketch --> for code that is deliberately
not project code (a wrong example, pseudo-code). Run with --fix to rewrite the blocks from the source.
Exit status 0 when every block matches, 1 otherwise (with a diff).
"""
import argparse
import difflib
import pathlib
import re
import sys

MARKER = re.compile(r"^<!--\s*snippet:\s*(?P<file>[^#\s]+)(?:#(?P<region>[\w.-]+))?\s*-->\s*$")
SKETCH = re.compile(r"^<!--\s*sketch\b.*-->\s*$")
FENCE = re.compile(r"^```(?P<lang>[\w+-]*)\s*$")
REGION_LINE = re.compile(r"^\s*(//|#)\s*snippet-(begin|end):\s*[\w.-]+\s*$")


def region_text(root, file, region):
    path = root / file
    if not path.is_file():
        raise LookupError(f"{file}: no such file")
    lines = path.read_text().splitlines()
    if region is None:
        return [l for l in lines if not REGION_LINE.match(l)]
    begin = re.compile(rf"^\s*(//|#)\s*snippet-begin:\s*{re.escape(region)}\s*$")
    end = re.compile(rf"^\s*(//|#)\s*snippet-end:\s*{re.escape(region)}\s*$")
    starts = [i for i, l in enumerate(lines) if begin.match(l)]
    if len(starts) != 1:
        raise LookupError(f"{file}#{region}: expected one 'snippet-begin: {region}', found {len(starts)}")
    out = []
    for l in lines[starts[0] + 1:]:
        if end.match(l):
            break
        out.append(l)
    else:
        raise LookupError(f"{file}#{region}: no 'snippet-end: {region}'")
    out = [l for l in out if not REGION_LINE.match(l)]
    # Dedent by the region's common indentation so a snippet from inside a class reads naturally.
    indents = [len(l) - len(l.lstrip(" ")) for l in out if l.strip()]
    cut = min(indents, default=0)
    return [l[cut:] for l in out]


def check_file(root, md, fix):
    lines = md.read_text().splitlines()
    problems, blocks, out, i = [], 0, [], 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        fence = FENCE.match(line)
        if fence and fence.group("lang"):
            # Find the closing fence and the marker (the nearest non-blank line above the opening fence).
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            body = lines[i + 1:j]
            k = len(out) - 2
            while k >= 0 and not out[k].strip():
                k -= 1
            above = out[k] if k >= 0 else ""
            marker = MARKER.match(above)
            where = f"{md.name}:{i + 1}"
            if marker:
                blocks += 1
                try:
                    want = region_text(root, marker.group("file"), marker.group("region"))
                except LookupError as e:
                    problems.append(f"{where}: {e}")
                    want = body
                if want != body:
                    diff = "\n".join(difflib.unified_diff(want, body, "source", "docs", lineterm=""))
                    problems.append(f"{where}: block differs from {marker.group(0)[4:-3].strip()}\n{diff}")
                out.extend(want if fix else body)
            else:
                if fence.group("lang") in ("cpp", "c++", "cxx") and not SKETCH.match(above):
                    problems.append(f"{where}: cpp block without a '<!-- snippet: FILE#REGION -->' "
                                    "or '<!-- sketch -->' marker")
                out.extend(body)
            if j < len(lines):
                out.append(lines[j])
            i = j + 1
            continue
        i += 1
    if fix and out != lines:
        md.write_text("\n".join(out) + "\n")
    return blocks, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", default=pathlib.Path(__file__).resolve().parent.parent, type=pathlib.Path)
    ap.add_argument("--fix", action="store_true", help="rewrite marked blocks from the source")
    args = ap.parse_args()
    docs = sorted((args.root / "docs").rglob("*.md"))
    total, problems = 0, []
    for md in docs:
        n, p = check_file(args.root, md, args.fix)
        total += n
        problems += p
    for p in problems:
        print(p)
    print(f"{total} snippet blocks checked in {len(docs)} documents, {len(problems)} problems"
          + (" (rewritten from source)" if args.fix else ""))
    return 1 if problems and not args.fix else 0


if __name__ == "__main__":
    sys.exit(main())
