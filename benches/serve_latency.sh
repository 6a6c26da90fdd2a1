#!/usr/bin/env bash
# Save → page-updated latency of `tre serve` on a generated site.
#
#   benches/serve_latency.sh [ARTICLES] [TRE_BIN]
#
# ARTICLES defaults to 1000, TRE_BIN to target/release/tre. Generates the site with
# benches/gen_site.py (seed 1) in $BENCH_DIR/serve-N (default target/bench-sites), adds a Fluent
# message (locales/*/bench.ftl) to templates/page.html so that an .ftl edit shows, starts `tre serve` on a free port,
# then edits one article body, one article title, templates/page.html and locales/vi/bench.ftl,
# each REPEAT times (default 3), polling the article over HTTP on loopback until the edit shows
# (at most 60 s each). Prints the median and worst latency of each kind, in milliseconds, then
# the same until the server reports the whole rebuild done (lists that show an edited page are
# rendered after the page itself is served), and the server's resident memory (now and peak)
# once started and after the edits. Each edit waits for the previous rebuild to end.
# KINDS=body,title runs only those kinds (default: body,title,template,ftl; `date` moves the
# article's date by a second, `new` adds a new article beside it each time). SEARCH=1 turns on
# the search index of the default language (Fuse, as the sample portal), the language of the
# edited article.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ARTICLES=${1:-1000}
TRE_BIN=${2:-$ROOT/target/release/tre}
REPEAT=${REPEAT:-3}
KINDS=${KINDS:-body,title,template,ftl}
BENCH_DIR=${BENCH_DIR:-$ROOT/target/bench-sites}
SITE="$BENCH_DIR/serve-$ARTICLES"

[ -x "$TRE_BIN" ] || { echo "error: no tre binary at $TRE_BIN (cargo build --release)" >&2; exit 2; }
mkdir -p "$BENCH_DIR"
python3 "$ROOT/benches/gen_site.py" --articles "$ARTICLES" --seed 1 --out "$SITE" --force >/dev/null
if [ "${SEARCH:-0}" = 1 ]; then
    sed -i '0,/^build_search_index = false/s//build_search_index = true/' "$SITE/config.toml"
    # As the sample portal: Fuse's format, which suits Vietnamese (elasticlunr has no stemmer
    # for it and writes no index), with descriptions and 2 000 characters of each body.
    sed -i 's/^\[markdown\]$/[search]\nindex_format = "fuse_json"\ninclude_description = true\ntruncate_content_length = 2000\n\n[markdown]/' "$SITE/config.toml"
fi
rm -rf "$SITE/locales"
for lang in vi en zh-Hans tyz hnj; do
    mkdir -p "$SITE/locales/$lang"
    printf 'bench-marker = mốc 0\n' > "$SITE/locales/$lang/bench.ftl"
done
python3 - "$SITE/templates/page.html" <<'EOF'
import sys
p = sys.argv[1]
t = open(p, encoding="utf-8").read()
at = t.rfind("{% endblock")
open(p, "w", encoding="utf-8").write(t[:at] + '<p class="bench">{{ t(key="bench-marker") }}</p>\n' + t[at:])
EOF

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
LOG="$BENCH_DIR/serve-$ARTICLES.log"
"$TRE_BIN" --root "$SITE" serve --port "$PORT" >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT

python3 - "$SITE" "$PORT" "$REPEAT" "$LOG" "$KINDS" "$PID" <<'EOF'
import http.client, os, re, statistics, sys, time
site, port, repeat, log = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
wanted = sys.argv[5].split(",")
pid = sys.argv[6]

def memory():
    """The server's resident memory now and at its peak, in MiB (Linux)."""
    try:
        status = open(f"/proc/{pid}/status").read().splitlines()
    except OSError:
        return "memory: unknown"
    kb = {l.split(":")[0]: int(l.split()[1]) for l in status if l.startswith(("VmRSS", "VmHWM"))}
    return f"resident {kb.get('VmRSS', 0) // 1024} MiB, peak {kb.get('VmHWM', 0) // 1024} MiB"

def get(path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    finally:
        c.close()

t0 = time.monotonic()
while True:
    try:
        if get("/")[0] == 200:
            break
    except OSError:
        pass
    if time.monotonic() - t0 > 600:
        sys.exit("tre serve did not start; see " + log)
    time.sleep(0.05)
print(f"first build and start: {time.monotonic() - t0:.1f} s; {memory()}")

# A Vietnamese article: content/<section>/<name>.md is served at /<section>/<name>/.
articles = sorted(
    os.path.join(d, f)
    for d, _, fs in os.walk(os.path.join(site, "content"))
    for f in fs
    if f.endswith(".md") and not f.startswith("_index") and f.count(".") == 1
)
article = articles[len(articles) // 2]
rel = os.path.relpath(article, os.path.join(site, "content"))[:-3]
url = "/" + rel + "/"
assert get(url)[0] == 200, url

def save(path, text):
    """As an editor saves: a temporary file beside it (hidden, so serve ignores it), renamed."""
    tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".bench-tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)

def rebuilds():
    """How many rebuilds the server has reported: it prints a line once every output is done."""
    with open(log, encoding="utf-8", errors="replace") as f:
        return sum(1 for line in f if line.startswith("Rebuilt"))

def measure(path, change, marker, url=url):
    """Save → the article served with the edit, and save → the whole rebuild reported, in ms.
    The next edit waits for the rebuild, so that no edit queues behind the one before."""
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    before = rebuilds()
    start = time.monotonic()
    save(path, change(text))
    while marker not in (get(url)[1] if url else ""):
        if time.monotonic() - start > 60:
            sys.exit(f"the edit of {path} never showed at {url}")
        time.sleep(0.001)
    served = (time.monotonic() - start) * 1000
    while rebuilds() <= before:
        if time.monotonic() - start > 120:
            sys.exit(f"the rebuild after the edit of {path} was never reported")
        time.sleep(0.005)
    return served, (time.monotonic() - start) * 1000

def before_endblock(t, s):
    at = t.rfind("{% endblock")
    return t[:at] + s + t[at:]

page_tpl = os.path.join(site, "templates", "page.html")
ftl = os.path.join(site, "locales", "vi", "bench.ftl")
kinds = {
    "body": lambda n: (article, lambda t: t + f"\nbench-body-{n}\n", f"bench-body-{n}"),
    "title": lambda n: (article, lambda t: t.replace('title = "', f'title = "bench-title-{n} ', 1), f"bench-title-{n}"),
    "template": lambda n: (page_tpl, lambda t: before_endblock(t, f"<i>bench-tpl-{n}</i>"), f"bench-tpl-{n}"),
    "ftl": lambda n: (ftl, lambda t: f"bench-marker = mốc {n + 1}\n", f"mốc {n + 1}"),
    # The publication date a few seconds later (the order stays), with a line to see it by.
    "date": lambda n: (
        article,
        lambda t: re.sub(r"(date = \d{4}-\d\d-\d\dT\d\d:\d\d:)\d\d", lambda m: m.group(1) + f"{n + 1:02d}", t, count=1)
        + f"\nbench-date-{n}\n",
        f"bench-date-{n}",
    ),
    # A new article beside the edited one: a copy of it under another name and title.
    "new": lambda n: (
        os.path.join(os.path.dirname(article), f"bench-new-{n}.md"),
        lambda _: open(article, encoding="utf-8").read().replace('title = "', f'title = "bench-new-{n} ', 1),
        f"bench-new-{n}",
        os.path.dirname(url.rstrip("/")) + f"/bench-new-{n}/",
    ),
}
print(f"article {url} of {len(articles)} vi articles")
for kind, make in kinds.items():
    if kind not in wanted:
        continue
    times, alls = [], []
    for n in range(repeat):
        path, change, marker, *page = make(n)
        served, whole = measure(path, change, marker, *page)
        times.append(served)
        alls.append(whole)
        time.sleep(0.3)
    print(f"{kind:9} median {statistics.median(times):8.1f} ms   worst {max(times):8.1f} ms   ({', '.join(f'{t:.0f}' for t in times)})"
          f"   whole rebuild: median {statistics.median(alls):.0f} ms, worst {max(alls):.0f} ms")
print(f"after the edits: {memory()}")
EOF
echo "server log: $LOG"
grep -E "^Rebuilt|^Built" "$LOG" | tail -n 20 || true
