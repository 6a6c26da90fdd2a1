#!/usr/bin/env python3
"""Builds public Zola themes with Zola and with Tre and compares the text of every HTML page.

Run by hand (CI cannot reach the repositories); see tools/compat/README.md.

    python3 tools/compat/run.py --zola /path/to/zola --tre target/debug/tre \
        [--mirrors /work/.mirror] [--work /tmp/tre-compat] [--only tabi,hook]

Nothing of the themes is kept in this repository: each one is exported from its git
repository at the commit pinned in themes.txt into --work, and built there.
"""

import argparse
import html.parser
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


class Theme:
    def __init__(self, name, repo, commit, site):
        self.name, self.repo, self.commit, self.site = name, repo, commit, site


def read_list(path):
    themes = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 4 or not re.fullmatch(r"[0-9a-f]{40}", parts[2]):
            sys.exit(f"{path}:{n}: expected `name owner/repo <40-hex commit> site`, found {line!r}")
        themes.append(Theme(*parts))
    return themes


def git_dir(theme, mirrors, clones):
    """A git directory holding the pinned commit: the mirror's, or a clone made from GitHub."""
    owner_name = theme.repo.replace("/", "+")
    if mirrors:
        for d in (mirrors / owner_name / "repo", mirrors / owner_name):
            if (d / "HEAD").exists() or (d / ".git").exists():
                return d
    d = clones / owner_name
    if not d.exists():
        clones.mkdir(parents=True, exist_ok=True)
        url = f"https://github.com/{theme.repo}.git"
        subprocess.run(["git", "clone", "--quiet", "--bare", url, str(d)], check=True)
    has = subprocess.run(
        ["git", "--git-dir", str(d), "cat-file", "-e", theme.commit + "^{commit}"],
        capture_output=True,
    )
    if has.returncode != 0:
        subprocess.run(
            ["git", "--git-dir", str(d), "fetch", "--quiet", "origin", theme.commit], check=True
        )
    return d


def export(gitdir, commit, dest):
    """The tree of `commit` in `dest`. A blob the repository lacks (a mirror may leave out large
    files) is skipped and named on stderr; submodules are left out, as `git archive` does."""
    dest.mkdir(parents=True)
    listing = subprocess.run(
        ["git", "--git-dir", str(gitdir), "ls-tree", "-r", "-z", commit],
        check=True,
        capture_output=True,
    ).stdout
    entries = []
    for item in listing.split(b"\0"):
        if not item:
            continue
        meta, path = item.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind == b"blob":
            entries.append((mode.decode(), sha.decode(), os.fsdecode(path)))
    batch = subprocess.Popen(
        ["git", "--git-dir", str(gitdir), "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    for mode, sha, path in entries:
        batch.stdin.write(sha.encode() + b"\n")
        batch.stdin.flush()
        header = batch.stdout.readline().split()
        if len(header) < 3:  # "<sha> missing"
            print(f"  {gitdir}: {path} is not in the repository; skipped", file=sys.stderr)
            continue
        data = batch.stdout.read(int(header[2]))
        batch.stdout.read(1)
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if mode == "120000":
            os.symlink(os.fsdecode(data), target)
        else:
            target.write_bytes(data)
            if mode == "100755":
                target.chmod(0o755)
    batch.stdin.close()
    batch.wait()


def make_site(theme, gitdir, work):
    """The site directory to build: the repository itself, or an empty site using it as theme."""
    tree = work / "src"
    export(gitdir, theme.commit, tree)
    if theme.site == ".":
        return tree
    if theme.site.startswith("theme:"):
        site = work / "site"
        (site / "themes").mkdir(parents=True)
        (site / "content").mkdir()
        shutil.copy(tree / theme.site[len("theme:"):], site / "config.toml")
        shutil.move(str(tree), str(site / "themes" / theme.name))
        return site
    return tree / theme.site


def build(cmd, log):
    t = time.monotonic()
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
        ok, out = r.returncode == 0, r.stdout + r.stderr
    except subprocess.TimeoutExpired:
        ok, out = False, "timed out after 900 s\n"
    log.write_text(" ".join(cmd) + "\n" + out, encoding="utf-8")
    return ok, time.monotonic() - t


class Text(html.parser.HTMLParser):
    """The text of a page: no tags, no comments, nothing inside script, style or template."""

    SKIP = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def page_text(path):
    p = Text()
    p.feed(path.read_text(encoding="utf-8", errors="replace"))
    p.close()
    return " ".join("".join(p.parts).split())


REFRESH = re.compile(rb"http-equiv=[\"']?refresh", re.I)


PLACEHOLDER = b"because we couldn't find a template to render"


def is_redirect(path):
    """A redirect page (aliases, the first pager): Tre writes its own; excluded by rule."""
    return REFRESH.search(path.read_bytes()[:2048]) is not None


def is_excluded(path):
    """Redirect pages, and Zola's placeholder for a missing template (Tre writes its own)."""
    return is_redirect(path) or PLACEHOLDER in path.read_bytes()


def tre_config(site):
    """Tre's config for the site: the site's own, plus Zola's way with a shortcode call that
    cannot be parsed (left as text; Tre stops the build by default). Tre reads it with
    `--config`, so Zola never sees the key it would reject."""
    name = next((n for n in ("config.toml", "zola.toml") if (site / n).exists()), None)
    if name is None:
        return []
    text = (site / name).read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next((i for i, l in enumerate(lines) if l.strip() == "[markdown]"), None)
    if at is None:
        lines += ["", "[markdown]", 'invalid_shortcodes = "text"']
    else:
        lines.insert(at + 1, 'invalid_shortcodes = "text"')
    out = site / "config.tre-compat.toml"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ["--config", out.name]


def html_pages(out):
    return {str(p.relative_to(out)): p for p in out.rglob("*.html") if p.is_file()}


def first_difference(a, b):
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    lo = max(0, i - 60)
    return f"  zola: …{a[lo:i + 80]}…\n  tre:  …{b[lo:i + 80]}…"


def compare(zola_out, tre_out, report):
    """(pages, matching, extra in Tre): Zola's HTML pages other than redirects."""
    zola, tre = html_pages(zola_out), html_pages(tre_out)
    pages = matching = 0
    lines = []
    for rel in sorted(zola):
        if is_excluded(zola[rel]):
            continue
        pages += 1
        if rel not in tre:
            lines.append(f"{rel}: missing in Tre")
            continue
        a, b = page_text(zola[rel]), page_text(tre[rel])
        if a == b:
            matching += 1
        else:
            lines.append(f"{rel}: text differs\n{first_difference(a, b)}")
    extra = sorted(r for r in tre if r not in zola and not is_redirect(tre[r]))
    lines += [f"{rel}: only in Tre" for rel in extra]
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return pages, matching, len(extra)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--zola", required=True, help="a Zola 0.22.1 binary")
    ap.add_argument("--tre", required=True, help="a Tre binary")
    ap.add_argument("--list", type=Path, default=HERE / "themes.txt")
    ap.add_argument("--mirrors", type=Path, help="bare git mirrors, as <owner>+<name>[/repo]")
    ap.add_argument("--clones", type=Path, default=Path.home() / ".cache" / "tre-compat",
                    help="where repositories not in --mirrors are cloned from GitHub")
    ap.add_argument("--work", type=Path, default=Path("/tmp/tre-compat"))
    ap.add_argument("--only", help="comma-separated theme names")
    args = ap.parse_args()
    zola, tre = os.path.abspath(args.zola), os.path.abspath(args.tre)
    themes = read_list(args.list)
    if args.only:
        wanted = set(args.only.split(","))
        themes = [t for t in themes if t.name in wanted]
    rows = []
    for t in themes:
        work = args.work / t.name
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        try:
            site = make_site(t, git_dir(t, args.mirrors, args.clones), work)
        except (subprocess.CalledProcessError, OSError) as e:
            print(f"{t.name}: cannot get {t.repo}@{t.commit}: {e}", file=sys.stderr)
            rows.append((t, None, None, 0, 0, 0))
            continue
        z_out, t_out = work / "zola-out", work / "tre-out"
        z_ok, z_s = build([zola, "--root", str(site), "build", "--force",
                           "--output-dir", str(z_out)], work / "zola.log")
        t_ok, t_s = build([tre, "--root", str(site), *tre_config(site), "build", "--force",
                           "--output-dir", str(t_out)], work / "tre.log")
        pages = matching = extra = 0
        if z_ok:
            # A site Tre cannot build counts all of Zola's pages as not matching.
            tre_pages = t_out if t_ok else work / "no-output"
            pages, matching, extra = compare(z_out, tre_pages, work / "diff.txt")
        rows.append((t, z_ok, t_ok, pages, matching, extra))
        print(f"{t.name}: zola {'ok' if z_ok else 'FAILED'} ({z_s:.1f} s), "
              f"tre {'ok' if t_ok else 'FAILED'} ({t_s:.1f} s), {matching}/{pages}",
              file=sys.stderr)
    print_table(rows)


def print_table(rows):
    yes = {True: "yes", False: "**no**", None: "-"}
    print("| theme | commit | zola builds | tre builds | pages | matching | % | only in Tre |")
    print("|---|---|---|---|---:|---:|---:|---:|")
    tp = tm = 0
    for t, z_ok, t_ok, pages, matching, extra in rows:
        pct = f"{100 * matching / pages:.1f}" if pages else "-"
        print(f"| {t.name} | {t.commit[:10]} | {yes[z_ok]} | {yes[t_ok]} | {pages} | {matching} "
              f"| {pct} | {extra} |")
        tp, tm = tp + pages, tm + matching
    built = sum(1 for r in rows if r[1])
    both = sum(1 for r in rows if r[1] and r[2])
    pct = f"{100 * tm / tp:.1f}" if tp else "-"
    print(f"| **all {len(rows)}** | | {built} | {both} of {built} | {tp} | {tm} | {pct} | |")


if __name__ == "__main__":
    main()
