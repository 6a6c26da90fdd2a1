// Checks `tre report --format json` of the sample portal against the content itself: it reads
// every page's front matter here, independently of Tre, and recounts what each unit published,
// corrected and withdrew in the period, per language. The province's own pages are left out:
// their figures also come from the repository's git history, which this script does not read.
// Usage:
//   node tests/report/check.mjs REPORT.json FROM TO
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const [reportFile, from, to] = process.argv.slice(2);
const report = JSON.parse(readFileSync(reportFile, "utf8"));
const languages = ["vi", "en", "zh-Hans", "hnj"];

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".md") ? [p] : [];
  });
}

// The `key = value` lines of a TOML front matter, values unquoted, tables flattened.
function frontMatter(text) {
  const fm = text.split("+++")[1] ?? "";
  const out = {};
  let table = "";
  for (const line of fm.split("\n")) {
    const t = line.trim();
    const head = t.match(/^\[(.+)\]$/);
    if (head) { table = head[1] + "."; continue; }
    const kv = t.match(/^([A-Za-z_]+)\s*=\s*(.*)$/);
    if (kv) out[table + kv[1]] = kv[2].replace(/^"(.*)"$/, "$1");
  }
  return out;
}

const day = (v) => (v ? v.slice(0, 10) : null);
const within = (d) => d !== null && from <= d && d <= to;
const units = readdirSync("content/don-vi").filter((n) => statSync(join("content/don-vi", n)).isDirectory());
const expected = {};
for (const file of files("content")) {
  const name = file.split("/").pop();
  if (name.startsWith("_index")) continue;
  const fm = frontMatter(readFileSync(file, "utf8"));
  const parts = name.replace(/\.md$/, "").split(".");
  const lang = languages.includes(parts.at(-1)) ? parts.at(-1) : "vi";
  const rel = relative("content", file).split("/");
  if (!(rel[0] === "don-vi" && units.includes(rel[1]))) continue;
  const unit = `don-vi/${rel[1]}`;
  const status = fm.status ?? "published";
  if (fm.draft === "true" || status === "draft" || status === "review") continue;
  if (status === "approved" && !fm.publish_at) continue;
  const published = day(fm.publish_at ?? fm.date);
  if (published !== null && published > to) continue;
  const key = `${unit}|${lang}`;
  const c = (expected[key] ??= { published: 0, corrected: 0, withdrawn: 0, statements: 0 });
  if (within(published)) {
    c.published++;
    if (fm["extra.kind"] === "statement") c.statements++;
  }
  if (fm.change_note && within(day(fm.updated))) c.corrected++;
  if (status === "withdrawn" && within(day(fm.withdrawn_at))) c.withdrawn++;
}

const got = {};
for (const row of report.rows.filter((r) => r.unit !== "")) {
  const c = (got[`${row.unit}|${row.lang}`] ??= { published: 0, corrected: 0, withdrawn: 0, statements: 0 });
  for (const k of Object.keys(c)) c[k] += row[k];
}
let failures = 0;
for (const key of new Set([...Object.keys(expected), ...Object.keys(got)])) {
  const zero = { published: 0, corrected: 0, withdrawn: 0, statements: 0 };
  const [e, g] = [expected[key] ?? zero, got[key] ?? zero];
  for (const k of Object.keys(zero)) {
    const ok = e[k] === g[k];
    if (!ok) failures++;
    if (!ok || e[k] > 0) console.log(`${ok ? "ok" : "MISMATCH"} ${key} ${k}: report ${g[k]}, content ${e[k]}`);
  }
}
const published = Object.values(expected).reduce((n, c) => n + c.published, 0);
if (published === 0) { console.log("the period has nothing published: the check would prove nothing"); failures++; }
console.log(failures ? `report check: ${failures} figure(s) differ from the content` : `report check: the figures match the content (${published} items published)`);
process.exit(failures ? 1 : 0);
