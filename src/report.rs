//! `tre report`: what a site published in a period, per unit, language and kind, from the
//! content (dates and editorial statuses) and, when the site is in a git repository, from its
//! history (first published, last changed, by whom), read with libgit2. Renders no page.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use rayon::prelude::*;
use serde::Serialize;

use crate::config::{BuildOptions, Config};
use crate::content::{self, Library, Page};
use crate::diag::Diagnostic;
use crate::{i18n, text};

/// The days a report covers, both included, in the site's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// A period; `from` after `to` is the caller's mistake, described in the error.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Period, String> {
        if from > to {
            return Err(format!("--from {from} is after --to {to}"));
        }
        Ok(Period { from, to })
    }

    /// `2026-Q4`: the first day of October to the last of December.
    pub fn quarter(s: &str) -> Result<Period, String> {
        let bad = || format!("{s:?} is not a quarter; write it as 2026-Q4 (Q1 to Q4)");
        let (year, q) = s.trim().split_once(['-']).ok_or_else(bad)?;
        let q: u32 = q
            .strip_prefix(['Q', 'q'])
            .and_then(|q| q.parse().ok())
            .filter(|q| (1..=4).contains(q))
            .ok_or_else(bad)?;
        let year = parse_year(year).ok_or_else(bad)?;
        Period::months(year, 3 * q - 2, 3).ok_or_else(bad)
    }

    /// `2026-11`: that month, first to last day.
    pub fn month(s: &str) -> Result<Period, String> {
        let bad = || format!("{s:?} is not a month; write it as 2026-11");
        let (year, month) = s.trim().split_once('-').ok_or_else(bad)?;
        let month: u32 = month
            .parse()
            .ok()
            .filter(|m| (1..=12).contains(m) && month.len() == 2)
            .ok_or_else(bad)?;
        let year = parse_year(year).ok_or_else(bad)?;
        Period::months(year, month, 1).ok_or_else(bad)
    }

    /// `2026`: 1 January to 31 December.
    pub fn year(s: &str) -> Result<Period, String> {
        let year =
            parse_year(s.trim()).ok_or_else(|| format!("{s:?} is not a year; write it as 2026"))?;
        Period::months(year, 1, 12).ok_or_else(|| format!("{s:?} is not a year; write it as 2026"))
    }

    /// `count` whole months from `first` (1-based) of `year`.
    fn months(year: i32, first: u32, count: u32) -> Option<Period> {
        let from = NaiveDate::from_ymd_opt(year, first, 1)?;
        let to = from
            .checked_add_months(chrono::Months::new(count))?
            .pred_opt()?;
        Some(Period { from, to })
    }

    fn contains(&self, at: DateTime<FixedOffset>, zone: FixedOffset) -> bool {
        let day = at.with_timezone(&zone).date_naive();
        self.from <= day && day <= self.to
    }

    /// The last instant of `to` in `zone`.
    fn end(&self, zone: FixedOffset) -> Option<DateTime<FixedOffset>> {
        let next = self.to.succ_opt()?.and_hms_opt(0, 0, 0)?;
        next.and_local_timezone(zone)
            .single()
            .map(|d| d - chrono::Duration::seconds(1))
    }
}

/// Four digits, as the shortcuts write a year.
fn parse_year(s: &str) -> Option<i32> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// Items of one unit, language and kind in the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub published: usize,
    pub updated: usize,
    pub corrected: usize,
    pub withdrawn: usize,
    /// Published items of kind `statement` (`[extra] kind = "statement"`).
    pub statements: usize,
    /// Words of the items published in the period.
    pub words: usize,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.published += o.published;
        self.updated += o.updated;
        self.corrected += o.corrected;
        self.withdrawn += o.withdrawn;
        self.statements += o.statements;
        self.words += o.words;
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The unit's directory under `content/`; empty for the province's own pages.
    pub unit: String,
    pub lang: String,
    /// `[extra] kind`, or `article`.
    pub kind: String,
    #[serde(flatten)]
    pub counts: Counts,
}

/// A correction made in the period: the page, when, and what it corrected (`change_note`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    pub file: String,
    pub unit: String,
    pub lang: String,
    pub title: String,
    pub date: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Withdrawal {
    pub file: String,
    pub unit: String,
    pub lang: String,
    pub title: String,
    pub date: String,
    pub reason: String,
}

/// Items published in one month by one unit, for the chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Month {
    pub unit: String,
    /// `2026-11`.
    pub month: String,
    pub published: usize,
}

/// Translation coverage of a language now, and its queue of urgent pages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub lang: String,
    pub coverage_pages: f64,
    pub missing: usize,
    pub queue: Vec<String>,
}

/// A commit as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub date: String,
    pub author: String,
}

/// What git says about a page the period touched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct History {
    pub file: String,
    pub first: Change,
    pub last: Change,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub site: String,
    pub from: String,
    pub to: String,
    pub unit: Option<String>,
    pub units: BTreeMap<String, String>,
    pub rows: Vec<Row>,
    pub totals: Counts,
    pub corrections: Vec<Correction>,
    pub withdrawals: Vec<Withdrawal>,
    pub months: Vec<Month>,
    pub translation: Vec<Coverage>,
    /// `None` when the site is not in a git repository.
    pub history: Option<Vec<History>>,
    /// Wall time per stage, for `-v`.
    #[serde(skip)]
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// Reads the site at `root` and counts what it published in `period`, for one unit (its
/// directory under `content/` or its last part) or all.
pub fn report(
    root: &Path,
    opts: &BuildOptions,
    period: Period,
    unit: Option<&str>,
) -> Result<Report, Vec<Diagnostic>> {
    let mut timings = Vec::new();
    let mut started = std::time::Instant::now();
    let mut lap = |stage: &'static str| {
        timings.push((stage, started.elapsed()));
        started = std::time::Instant::now();
    };
    let mut config = crate::config::load(root, opts)?;
    let zone = config.editorial.time_zone;
    // What was published by the end of the period: later scheduled pages are not.
    if let Some(end) = period.end(zone) {
        config.editorial.now = config.editorial.now.min(end);
    }
    // The history is read beside the content: each takes a second at 10k articles.
    let (lib, git) = std::thread::scope(|s| {
        let git = s.spawn(|| git_history(root));
        let lib = crate::load_content(root, &config);
        let git = git.join().unwrap_or_else(|_| {
            Err(Diagnostic::error(
                ".git",
                None,
                "cannot read the git history: the reader stopped unexpectedly",
            ))
        });
        (lib, git)
    });
    let lib = lib?;
    let git = git.map_err(|e| vec![e])?;
    lap("load content and git history");
    let mut report = compute(&config, &lib, git.as_ref(), period, unit);
    lap("count");
    report.timings = timings;
    Ok(report)
}

/// A page's unit: its directory and its name in the default language.
fn unit_of(config: &Config, lib: &Library, i: usize) -> Option<(String, String)> {
    let u = lib.unit_of(content::Item::Page(i))?;
    let name = u.name(&config.default_language, &config.default_language);
    Some((u.dir.clone(), name.unwrap_or_default().to_string()))
}

fn kind_of(page: &Page) -> String {
    page.extra
        .get("kind")
        .and_then(|k| k.as_str())
        .unwrap_or("article")
        .to_string()
}

fn compute(
    config: &Config,
    lib: &Library,
    git: Option<&GitHistory>,
    period: Period,
    only: Option<&str>,
) -> Report {
    let zone = config.editorial.time_zone;
    let mut rows: BTreeMap<(String, String, String), Counts> = BTreeMap::new();
    let mut units = BTreeMap::new();
    let mut corrections = Vec::new();
    let mut withdrawals = Vec::new();
    let mut months: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut history = Vec::new();
    // Pages published in the period (by index) and their rows, for the word counts.
    let mut counted: Vec<usize> = Vec::new();
    let mut words_of = Vec::new();
    let in_period = |d: Option<DateTime<FixedOffset>>| d.is_some_and(|d| period.contains(d, zone));
    let day = |d: DateTime<FixedOffset>| d.with_timezone(&zone).format("%Y-%m-%d").to_string();
    for (i, page) in lib.pages.iter().enumerate() {
        if page.fallback.is_some() {
            continue;
        }
        let (unit, unit_name) = unit_of(config, lib, i).unwrap_or_default();
        if only.is_some_and(|u| u != unit && unit.rsplit('/').next() != Some(u)) {
            continue;
        }
        let file = page.source.file.to_string_lossy().replace('\\', "/");
        let changes = git.and_then(|g| g.files.get(&page.source.file));
        let e = &page.editorial;
        let published_at = e
            .publish_at
            .as_ref()
            .or(page.date.as_ref())
            .map(|d| d.at)
            .or(changes.map(|c| c.0.time));
        let updated_at = page
            .updated
            .as_ref()
            .map(|d| d.at)
            .or(changes.filter(|c| c.1.time != c.0.time).map(|c| c.1.time));
        let title = page.meta.title.clone().unwrap_or_default();
        let lang = page.source.lang.clone();
        let mut c = Counts::default();
        if in_period(published_at) {
            c.published = 1;
            counted.push(i);
            c.statements = usize::from(kind_of(page) == "statement");
            if let Some(at) = published_at {
                let month = at.with_timezone(&zone).format("%Y-%m").to_string();
                *months.entry((unit.clone(), month)).or_default() += 1;
            }
        }
        if in_period(updated_at) {
            match (&e.change_note, updated_at) {
                (Some(note), Some(at)) => {
                    c.corrected = 1;
                    corrections.push(Correction {
                        file: file.clone(),
                        unit: unit.clone(),
                        lang: lang.clone(),
                        title: title.clone(),
                        date: day(at),
                        note: note.clone(),
                    });
                }
                _ => c.updated = 1,
            }
        }
        let withdrawn_at = e.withdrawn_at.as_ref().map(|d| d.at);
        if let Some(at) = withdrawn_at.filter(|&at| in_period(Some(at))) {
            c.withdrawn = 1;
            withdrawals.push(Withdrawal {
                file: file.clone(),
                unit: unit.clone(),
                lang: lang.clone(),
                title,
                date: day(at),
                reason: e.withdrawn_reason.clone().unwrap_or_default(),
            });
        }
        if c == Counts::default() {
            continue;
        }
        if let Some((first, last)) = changes {
            history.push(History {
                file,
                first: first.to_change(zone),
                last: last.to_change(zone),
            });
        }
        units.insert(unit.clone(), unit_name);
        let key = (unit, lang, kind_of(page));
        if counted.last() == Some(&i) {
            words_of.push(key.clone());
        }
        rows.entry(key).or_default().add(&c);
    }
    // Words of the pages published in the period, counted in parallel once the rows are known.
    let words: Vec<usize> = counted
        .par_iter()
        .map(|&i| text::markdown_word_count(lib.pages[i].source.body()))
        .collect();
    for (key, w) in words_of.iter().zip(words) {
        if let Some(row) = rows.get_mut(key) {
            row.words += w;
        }
    }
    let mut totals = Counts::default();
    let rows: Vec<Row> = rows
        .into_iter()
        .map(|((unit, lang, kind), counts)| {
            totals.add(&counts);
            Row {
                unit,
                lang,
                kind,
                counts,
            }
        })
        .collect();
    corrections.sort_by(|a, b| a.date.cmp(&b.date).then(a.file.cmp(&b.file)));
    withdrawals.sort_by(|a, b| a.date.cmp(&b.date).then(a.file.cmp(&b.file)));
    history.sort_by(|a, b| a.file.cmp(&b.file));
    let pages = i18n::pages::coverage(config, lib);
    let translation = pages
        .languages
        .iter()
        .map(|l| Coverage {
            lang: l.lang.clone(),
            coverage_pages: l.coverage_pages,
            missing: l.counts.missing,
            queue: l.queue.iter().map(|q| q.source.clone()).collect(),
        })
        .collect();
    Report {
        site: config.title.clone().unwrap_or_default(),
        from: period.from.to_string(),
        to: period.to.to_string(),
        unit: only.map(str::to_string),
        units,
        rows,
        totals,
        corrections,
        withdrawals,
        months: month_list(period, &months),
        translation,
        history: git.map(|_| history),
        timings: Vec::new(),
    }
}

/// Every month of the period for every unit that published in it, zeros included, so the
/// chart has a bar slot for each.
fn month_list(period: Period, counts: &BTreeMap<(String, String), usize>) -> Vec<Month> {
    let mut names = Vec::new();
    let mut m = (period.from.year(), period.from.month());
    while (m.0, m.1) <= (period.to.year(), period.to.month()) {
        names.push(format!("{:04}-{:02}", m.0, m.1));
        m = if m.1 == 12 {
            (m.0 + 1, 1)
        } else {
            (m.0, m.1 + 1)
        };
    }
    let mut units: Vec<&String> = counts.keys().map(|(u, _)| u).collect();
    units.dedup();
    let mut out = Vec::new();
    for unit in units {
        for month in &names {
            out.push(Month {
                unit: unit.clone(),
                month: month.clone(),
                published: counts
                    .get(&(unit.clone(), month.clone()))
                    .copied()
                    .unwrap_or(0),
            });
        }
    }
    out
}

/// One commit: when and by whom.
#[derive(Debug, Clone)]
struct Commit {
    time: DateTime<FixedOffset>,
    author: String,
}

impl Commit {
    fn to_change(&self, zone: FixedOffset) -> Change {
        Change {
            date: self.time.with_timezone(&zone).to_rfc3339(),
            author: self.author.clone(),
        }
    }
}

/// The first and last commit that changed each file under `content/`, by path from the site
/// root (`content/a.md`).
struct GitHistory {
    files: HashMap<PathBuf, (Commit, Commit)>,
}

/// Reads the history of the repository holding `root`, following first parents from HEAD;
/// `None` when the site is not in a repository or it has no commit yet.
fn git_history(root: &Path) -> Result<Option<GitHistory>, Diagnostic> {
    // The history is only read, and git itself does not re-hash objects it reads: libgit2's
    // check took a third of this reader's time at 10k pages.
    git2::opts::strict_hash_verification(false);
    let Ok(repo) = git2::Repository::discover(root) else {
        return Ok(None);
    };
    let fail = |what: &str, e: git2::Error| {
        Diagnostic::error(
            ".git",
            None,
            format!("cannot read the git history: {what}: {e}"),
        )
    };
    let Some(workdir) = repo.workdir() else {
        return Ok(None);
    };
    let root_abs = root
        .canonicalize()
        .map_err(|e| Diagnostic::error(".", None, format!("cannot read the site root: {e}")))?;
    let workdir = workdir
        .canonicalize()
        .unwrap_or_else(|_| workdir.to_path_buf());
    let prefix = root_abs
        .strip_prefix(&workdir)
        .unwrap_or(Path::new(""))
        .to_path_buf();
    let content = prefix.join("content");
    if repo.head().is_err() {
        return Ok(None);
    }
    let mut walk = repo.revwalk().map_err(|e| fail("revwalk", e))?;
    walk.push_head().map_err(|e| fail("HEAD", e))?;
    walk.simplify_first_parent()
        .map_err(|e| fail("revwalk", e))?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)
        .map_err(|e| fail("revwalk", e))?;
    let mut files: HashMap<PathBuf, (Commit, Commit)> = HashMap::new();
    let mut opts = git2::DiffOptions::new();
    opts.pathspec(content.to_string_lossy().replace('\\', "/"));
    for oid in walk {
        let oid = oid.map_err(|e| fail("revwalk", e))?;
        let commit = repo.find_commit(oid).map_err(|e| fail("commit", e))?;
        let tree = commit.tree().map_err(|e| fail("tree", e))?;
        let parent = match commit.parent(0) {
            Ok(p) => Some(p.tree().map_err(|e| fail("tree", e))?),
            Err(_) => None,
        };
        let diff = repo
            .diff_tree_to_tree(parent.as_ref(), Some(&tree), Some(&mut opts))
            .map_err(|e| fail("diff", e))?;
        let author = commit.author();
        let offset =
            FixedOffset::east_opt(author.when().offset_minutes() * 60).unwrap_or_else(config_utc);
        let Some(time) = DateTime::from_timestamp(author.when().seconds(), 0) else {
            continue;
        };
        let c = Commit {
            time: time.with_timezone(&offset),
            author: author.name().unwrap_or("").to_string(),
        };
        for delta in diff.deltas() {
            if delta.status() == git2::Delta::Deleted {
                continue;
            }
            let Some(path) = delta.new_file().path() else {
                continue;
            };
            let rel = path.strip_prefix(&prefix).unwrap_or(path).to_path_buf();
            files
                .entry(rel)
                .and_modify(|e| e.1 = c.clone())
                .or_insert_with(|| (c.clone(), c.clone()));
        }
    }
    Ok(Some(GitHistory { files }))
}

fn config_utc() -> FixedOffset {
    chrono::Offset::fix(&chrono::Utc)
}

fn unit_label(r: &Report, unit: &str) -> String {
    match r.units.get(unit) {
        _ if unit.is_empty() => "(tỉnh / province)".to_string(),
        Some(name) if !name.is_empty() => format!("{name} ({unit})"),
        _ => unit.to_string(),
    }
}

/// The report as plain text, for a terminal.
pub fn render_text(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Báo cáo / Report: {} — {} → {}", r.site, r.from, r.to);
    if let Some(u) = &r.unit {
        let _ = writeln!(out, "unit: {u}");
    }
    let _ = writeln!(
        out,
        "\n{:<40} {:<8} {:<10} {:>9} {:>7} {:>9} {:>9} {:>10} {:>7}",
        "unit",
        "lang",
        "kind",
        "published",
        "updated",
        "corrected",
        "withdrawn",
        "statements",
        "words"
    );
    let line = |out: &mut String, u: &str, l: &str, k: &str, c: &Counts| {
        let _ = writeln!(
            out,
            "{u:<40} {l:<8} {k:<10} {:>9} {:>7} {:>9} {:>9} {:>10} {:>7}",
            c.published, c.updated, c.corrected, c.withdrawn, c.statements, c.words
        );
    };
    for row in &r.rows {
        line(
            &mut out,
            &unit_label(r, &row.unit),
            &row.lang,
            &row.kind,
            &row.counts,
        );
    }
    line(&mut out, "total", "", "", &r.totals);
    if !r.corrections.is_empty() {
        out.push_str("\ncorrections:\n");
        for c in &r.corrections {
            let _ = writeln!(out, "  {} {} ({}): {}", c.date, c.file, c.title, c.note);
        }
    }
    if !r.withdrawals.is_empty() {
        out.push_str("\nwithdrawn:\n");
        for w in &r.withdrawals {
            let _ = writeln!(out, "  {} {} ({}): {}", w.date, w.file, w.title, w.reason);
        }
    }
    out.push_str("\nper month (published):\n");
    for m in &r.months {
        let _ = writeln!(
            out,
            "  {} {:<40} {}",
            m.month,
            unit_label(r, &m.unit),
            m.published
        );
    }
    out.push_str("\ntranslation:\n");
    for t in &r.translation {
        let _ = writeln!(
            out,
            "  {}: {}% of pages, {} missing, {} in the queue",
            t.lang,
            t.coverage_pages,
            t.missing,
            t.queue.len()
        );
        for q in &t.queue {
            let _ = writeln!(out, "    urgent {q}");
        }
    }
    if let Some(history) = &r.history {
        out.push_str("\ngit history:\n");
        for h in history {
            let _ = writeln!(
                out,
                "  {}: first {} by {}, last {} by {}",
                h.file, h.first.date, h.first.author, h.last.date, h.last.author
            );
        }
    }
    out
}

/// The rows as CSV, one line per unit, language and kind.
pub fn render_csv(r: &Report) -> String {
    let mut out =
        String::from("unit,lang,kind,published,updated,corrected,withdrawn,statements,words\n");
    for row in &r.rows {
        let c = &row.counts;
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{}",
            csv_field(&row.unit),
            csv_field(&row.lang),
            csv_field(&row.kind),
            c.published,
            c.updated,
            c.corrected,
            c.withdrawn,
            c.statements,
            c.words
        );
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn render_json(r: &Report) -> String {
    serde_json::to_string_pretty(r).unwrap_or_else(|_| "{}".into())
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A page an official can attach to the periodic report: the figures as tables and a chart of
/// items per month per unit as inline SVG (no JavaScript), Vietnamese first, then English.
pub fn render_html(r: &Report) -> String {
    let mut out = String::new();
    let title = format!(
        "Báo cáo thông tin đã đăng từ {} đến {} — {}",
        r.from, r.to, r.site
    );
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{t}</title>\n<style>\nbody{{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#1a1a1a;background:#fff}}\n\
         table{{border-collapse:collapse;margin:1rem 0}}th,td{{border:1px solid #666;padding:.25rem .5rem;text-align:left}}\n\
         td.n{{text-align:right}}caption{{font-weight:bold;text-align:left}}\n</style>\n</head>\n<body>\n<main>\n\
         <h1>{t}</h1>\n<p lang=\"en\">Report of published information, {f} to {to}.</p>\n",
        t = esc(&title),
        f = esc(&r.from),
        to = esc(&r.to)
    );
    if let Some(u) = &r.unit {
        let _ = writeln!(
            out,
            "<p>Đơn vị / <span lang=\"en\">Unit</span>: {}</p>",
            esc(u)
        );
    }
    let head = "<th scope=\"col\">Đăng mới <span lang=\"en\">(published)</span></th>\
                <th scope=\"col\">Cập nhật <span lang=\"en\">(updated)</span></th>\
                <th scope=\"col\">Đính chính <span lang=\"en\">(corrected)</span></th>\
                <th scope=\"col\">Gỡ bỏ <span lang=\"en\">(withdrawn)</span></th>\
                <th scope=\"col\">Thông cáo <span lang=\"en\">(statements)</span></th>\
                <th scope=\"col\">Số từ <span lang=\"en\">(words)</span></th>";
    let _ = writeln!(
        out,
        "<table>\n<caption>Số liệu theo đơn vị, ngôn ngữ và loại tin <span lang=\"en\">(by unit, language and kind)</span></caption>\n\
         <thead><tr><th scope=\"col\">Đơn vị <span lang=\"en\">(unit)</span></th><th scope=\"col\">Ngôn ngữ <span lang=\"en\">(language)</span></th>\
         <th scope=\"col\">Loại <span lang=\"en\">(kind)</span></th>{head}</tr></thead>\n<tbody>"
    );
    let cells = |c: &Counts| {
        format!(
            "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
            c.published, c.updated, c.corrected, c.withdrawn, c.statements, c.words
        )
    };
    for row in &r.rows {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td><code>{}</code></td><td>{}</td>{}</tr>",
            esc(&unit_label(r, &row.unit)),
            esc(&row.lang),
            esc(&row.kind),
            cells(&row.counts)
        );
    }
    let _ = writeln!(
        out,
        "</tbody>\n<tfoot><tr><th scope=\"row\" colspan=\"3\">Tổng <span lang=\"en\">(total)</span></th>{}</tr></tfoot>\n</table>",
        cells(&r.totals)
    );
    html_chart(&mut out, r);
    if !r.corrections.is_empty() {
        out.push_str("<h2>Đính chính <span lang=\"en\">(corrections)</span></h2>\n<ul>\n");
        for c in &r.corrections {
            let _ = writeln!(
                out,
                "<li><time datetime=\"{d}\">{d}</time> — {} (<code>{}</code>): {}</li>",
                esc(&c.title),
                esc(&c.file),
                esc(&c.note),
                d = esc(&c.date)
            );
        }
        out.push_str("</ul>\n");
    }
    if !r.withdrawals.is_empty() {
        out.push_str("<h2>Gỡ bỏ <span lang=\"en\">(withdrawn)</span></h2>\n<ul>\n");
        for w in &r.withdrawals {
            let _ = writeln!(
                out,
                "<li><time datetime=\"{d}\">{d}</time> — {} (<code>{}</code>): {}</li>",
                esc(&w.title),
                esc(&w.file),
                esc(&w.reason),
                d = esc(&w.date)
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str(
        "<h2>Bản dịch <span lang=\"en\">(translation)</span></h2>\n<table>\n<caption>Tỉ lệ trang đã dịch và hàng đợi dịch <span lang=\"en\">(coverage and queue)</span></caption>\n\
         <thead><tr><th scope=\"col\">Ngôn ngữ</th><th scope=\"col\">Đã dịch <span lang=\"en\">(coverage)</span></th><th scope=\"col\">Còn thiếu <span lang=\"en\">(missing)</span></th><th scope=\"col\">Tin khẩn chờ dịch <span lang=\"en\">(urgent queue)</span></th></tr></thead>\n<tbody>\n",
    );
    for t in &r.translation {
        let queue: Vec<String> = t
            .queue
            .iter()
            .map(|q| format!("<code>{}</code>", esc(q)))
            .collect();
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\"><code>{}</code></th><td class=\"n\">{}%</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&t.lang),
            t.coverage_pages,
            t.missing,
            queue.join(", ")
        );
    }
    out.push_str("</tbody>\n</table>\n</main>\n</body>\n</html>\n");
    out
}

/// Grouped bars: one group per month, one bar per unit, labelled, with the numbers as text.
fn html_chart(out: &mut String, r: &Report) {
    const COLOURS: [&str; 6] = [
        "#1f5f99", "#a3341c", "#2e6b30", "#6b3f99", "#7a5a00", "#1a6670",
    ];
    let mut months: Vec<&str> = r.months.iter().map(|m| m.month.as_str()).collect();
    months.dedup();
    let mut units: Vec<&str> = r.months.iter().map(|m| m.unit.as_str()).collect();
    units.sort_unstable();
    units.dedup();
    if months.is_empty() || units.is_empty() {
        return;
    }
    let max = r
        .months
        .iter()
        .map(|m| m.published)
        .max()
        .unwrap_or(0)
        .max(1);
    let (bar, gap, plot_h, left, top) = (22usize, 18usize, 160usize, 40usize, 20usize);
    let group = units.len() * bar + gap;
    let width = left + months.len() * group + 20;
    let height = top + plot_h + 50 + units.len() * 20;
    let desc: Vec<String> = r
        .months
        .iter()
        .map(|m| format!("{} {}: {}", m.month, unit_label(r, &m.unit), m.published))
        .collect();
    let _ = writeln!(
        out,
        "<h2 id=\"chart-title\">Số tin đăng mỗi tháng theo đơn vị <span lang=\"en\">(items published per month per unit)</span></h2>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n\
         <desc id=\"chart-desc\">{}</desc>",
        esc(&desc.join("; "))
    );
    let base = top + plot_h;
    let _ = writeln!(
        out,
        "<line x1=\"{left}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\" stroke=\"#1a1a1a\"/>\n<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\" fill=\"#1a1a1a\">{max}</text>\n<text x=\"{}\" y=\"{base}\" font-size=\"12\" text-anchor=\"end\" fill=\"#1a1a1a\">0</text>",
        width - 10,
        left - 4,
        top + 4,
        left - 4
    );
    for (mi, month) in months.iter().enumerate() {
        let x0 = left + mi * group + gap / 2;
        for (ui, unit) in units.iter().enumerate() {
            let n = r
                .months
                .iter()
                .find(|m| m.month == *month && m.unit == *unit)
                .map_or(0, |m| m.published);
            let h = n * plot_h / max;
            let x = x0 + ui * bar;
            let colour = COLOURS[ui % COLOURS.len()];
            let _ = writeln!(
                out,
                "<rect x=\"{x}\" y=\"{}\" width=\"{}\" height=\"{h}\" fill=\"{colour}\"/><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1a1a1a\">{n}</text>",
                base - h,
                bar - 2,
                x + bar / 2,
                base - h - 3
            );
        }
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1a1a1a\">{month}</text>",
            x0 + units.len() * bar / 2,
            base + 16
        );
    }
    for (ui, unit) in units.iter().enumerate() {
        let y = base + 36 + ui * 20;
        let _ = writeln!(
            out,
            "<rect x=\"{left}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"{y}\" font-size=\"12\" fill=\"#1a1a1a\">{}</text>",
            y - 10,
            COLOURS[ui % COLOURS.len()],
            left + 18,
            esc(&unit_label(r, unit))
        );
    }
    out.push_str("</svg>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_after_to_is_refused() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(Period::new(d("2026-12-01"), d("2026-11-01")).is_err());
        let p = Period::new(d("2026-11-01"), d("2026-11-30")).unwrap();
        let zone = FixedOffset::east_opt(7 * 3600).unwrap();
        // 23:30 UTC on 30 Nov is 1 Dec in Hà Nội.
        let late = DateTime::parse_from_rfc3339("2026-11-30T23:30:00Z").unwrap();
        assert!(!p.contains(late, zone));
        assert_eq!(
            p.end(zone).unwrap().to_rfc3339(),
            "2026-11-30T23:59:59+07:00"
        );
    }

    #[test]
    fn months_cover_the_period_with_zeros() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let p = Period::new(d("2026-11-15"), d("2027-01-02")).unwrap();
        let counts = BTreeMap::from([(("u".to_string(), "2026-12".to_string()), 3)]);
        let got: Vec<(String, usize)> = month_list(p, &counts)
            .into_iter()
            .map(|m| (m.month, m.published))
            .collect();
        assert_eq!(
            got,
            [
                ("2026-11".to_string(), 0),
                ("2026-12".to_string(), 3),
                ("2027-01".to_string(), 0)
            ]
        );
    }

    #[test]
    fn shortcuts_name_whole_quarters_months_and_years() {
        let span = |p: Period| format!("{}..{}", p.from, p.to);
        assert_eq!(
            span(Period::quarter("2026-Q4").unwrap()),
            "2026-10-01..2026-12-31"
        );
        assert_eq!(
            span(Period::quarter("2028-Q1").unwrap()),
            "2028-01-01..2028-03-31"
        );
        assert_eq!(
            span(Period::month("2028-02").unwrap()),
            "2028-02-01..2028-02-29"
        );
        assert_eq!(
            span(Period::month("2026-11").unwrap()),
            "2026-11-01..2026-11-30"
        );
        assert_eq!(
            span(Period::year("2026").unwrap()),
            "2026-01-01..2026-12-31"
        );
        for bad in ["2026-Q5", "2026-Q0", "2026Q4", "26-Q1", "Q4-2026"] {
            assert!(Period::quarter(bad).is_err(), "{bad}");
        }
        for bad in ["2026-13", "2026-1", "2026/11", "2026-00", "2026"] {
            assert!(Period::month(bad).is_err(), "{bad}");
        }
        for bad in ["26", "2026-11", "năm 2026"] {
            assert!(Period::year(bad).is_err(), "{bad}");
        }
    }
}
