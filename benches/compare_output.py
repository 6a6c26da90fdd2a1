#!/usr/bin/env python3
r"""Compare two built sites file by file: Zola's output against Tre's.

    python3 benches/compare_output.py ZOLA_OUT TRE_OUT [--diff-lines N] [--quiet]
                                      [--ignore REGEX]... [--skip GLOB]...

Lists the files found on one side only, then sorts every common file into
byte-identical, identical after whitespace normalisation (runs of whitespace collapsed,
whitespace between tags dropped), or different, with a short unified diff of each
different file. Ends with a summary of the counts. Standard library only.

--ignore REGEX (repeatable) deletes every match from both sides before the whitespace
comparison, to set known, deliberate differences aside (e.g. --ignore ' /(?=>)' for
`<img />`). Files that then compare equal are counted as "identical-ignoring" rather
than "different". --skip GLOB leaves matching paths out of the comparison altogether.

Tre differs from Zola on purpose in a few places; to set them aside:

    python3 benches/compare_output.py ZOLA_OUT TRE_OUT \
        --ignore ' ?/(?=>)' --ignore ' ?&#x2F;(?=&gt;)'

(void elements without `/>`, also inside escaped feed content). What is left is then Tre's own built-in templates: feeds,
sitemap (hreflang alternates), 404 and redirect pages (`aliases`, `page/1/`).

Exit status: 0 when every file is identical (possibly after normalisation) and no file is
missing or extra, 1 otherwise.
"""

import argparse
import difflib
import fnmatch
import os
import re
import sys


def walk(root):
    """Every file under `root`, as `/`-separated paths relative to it."""
    out = set()
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            full = os.path.join(dirpath, name)
            out.add(os.path.relpath(full, root).replace(os.sep, "/"))
    return out


_WS = re.compile(rb"\s+")
_BETWEEN_TAGS = re.compile(rb">\s+<")


def normalise(data):
    """Whitespace-insensitive form of a file: runs collapsed, gaps between tags removed."""
    data = _WS.sub(b" ", data).strip()
    return _BETWEEN_TAGS.sub(b"><", data)


def split_for_diff(data):
    """Lines to diff. Whole-page one-liners are split at tags so the diff stays short."""
    text = data.decode("utf-8", errors="replace")
    lines = text.splitlines()
    if len(lines) < 5 and len(text) > 400:
        lines = re.sub(r">\s*<", ">\n<", text).splitlines()
    return lines


def excerpt(path, a, b, max_lines):
    diff = difflib.unified_diff(
        split_for_diff(a), split_for_diff(b), f"zola/{path}", f"tre/{path}", n=1, lineterm=""
    )
    lines = []
    for i, line in enumerate(diff):
        if i >= max_lines:
            lines.append("    ...")
            break
        lines.append("    " + (line if len(line) <= 200 else line[:200] + " [...]"))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("zola_out")
    ap.add_argument("tre_out")
    ap.add_argument("--diff-lines", type=int, default=16, help="lines of diff per file")
    ap.add_argument("--quiet", action="store_true", help="print only the summary")
    ap.add_argument("--ignore", action="append", default=[], metavar="REGEX",
                    help="delete matches from both sides before comparing (repeatable)")
    ap.add_argument("--skip", action="append", default=[], metavar="GLOB",
                    help="leave matching paths out (repeatable)")
    args = ap.parse_args()

    for d in (args.zola_out, args.tre_out):
        if not os.path.isdir(d):
            sys.exit(f"error: not a directory: {d}")

    ignores = [re.compile(r.encode()) for r in args.ignore]

    def kept(paths):
        return {p for p in paths if not any(fnmatch.fnmatch(p, g) for g in args.skip)}

    def without_ignored(data):
        for r in ignores:
            data = r.sub(b"", data)
        return normalise(data)

    zola, tre = kept(walk(args.zola_out)), kept(walk(args.tre_out))
    missing = sorted(zola - tre)  # Zola wrote them, Tre did not
    extra = sorted(tre - zola)  # Tre wrote them, Zola did not
    identical, normalised, ignoring, different = [], [], [], []
    for path in sorted(zola & tre):
        with open(os.path.join(args.zola_out, path), "rb") as f:
            a = f.read()
        with open(os.path.join(args.tre_out, path), "rb") as f:
            b = f.read()
        if a == b:
            identical.append(path)
        elif normalise(a) == normalise(b):
            normalised.append(path)
        elif ignores and without_ignored(a) == without_ignored(b):
            ignoring.append(path)
        else:
            different.append((path, a, b))

    if not args.quiet:
        if missing:
            print(f"== only in Zola's output ({len(missing)}):")
            for p in missing:
                print(f"  {p}")
        if extra:
            print(f"== only in Tre's output ({len(extra)}):")
            for p in extra:
                print(f"  {p}")
        if normalised:
            print(f"== identical after whitespace normalisation ({len(normalised)}):")
            for p in normalised:
                print(f"  {p}")
        if ignoring:
            print(f"== identical after deleting --ignore matches ({len(ignoring)}):")
            for p in ignoring:
                print(f"  {p}")
        if different:
            print(f"== different ({len(different)}):")
            for path, a, b in different:
                print(f"  {path}")
                print(excerpt(path, a, b, args.diff_lines))

    counts = [
        f"identical {len(identical)}",
        f"normalised-identical {len(normalised)}",
        *([f"identical-ignoring {len(ignoring)}"] if ignores else []),
        f"different {len(different)}",
        f"missing {len(missing)}",
        f"extra {len(extra)}",
    ]
    print("== summary: " + ", ".join(counts))
    return 0 if not (different or missing or extra) else 1


if __name__ == "__main__":
    sys.exit(main())
