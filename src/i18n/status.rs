//! Translation status of every language against the reference language: what is missing,
//! outdated, broken or obsolete, and how much is covered, as text, JSON or an HTML page.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use fluent_bundle::FluentError;
use fluent_bundle::resolver::ResolverError;
use fluent_bundle::resolver::errors::ReferenceKind;
use serde::Serialize;

use super::catalog::Entry;
use super::pages::{LanguagePages, PagesStatus};
use super::{Language, Locales, lock};
use crate::diag::{Diagnostic, LineCol};

/// The answer to "what is left to translate", for every language but the reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Status {
    pub reference: String,
    /// Messages and terms of the reference language.
    pub reference_messages: usize,
    pub reference_words: usize,
    /// In configuration order.
    pub languages: Vec<LanguageStatus>,
    /// Problems with `locales/translations.lock`, printed as diagnostics; while there are any,
    /// nothing is reported as outdated.
    pub problems: Vec<String>,
    /// Pages and sections, when the status was made with the site's content.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<PagesStatus>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LanguageStatus {
    pub lang: String,
    /// Reference messages this language defines (outdated ones included).
    pub translated: usize,
    /// Words of the reference text of the translated messages.
    pub translated_words: usize,
    /// Percentages with one decimal.
    pub coverage_messages: f64,
    pub coverage_words: f64,
    pub counts: Counts,
    /// In the reference, not here; located in the reference file.
    pub missing: Vec<Located>,
    /// Translated, but the reference changed since the translation was confirmed.
    pub outdated: Vec<Located>,
    /// Broken entries and messages that do not format.
    pub erroneous: Vec<Erroneous>,
    /// Here, not in the reference.
    pub obsolete: Vec<Located>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub missing: usize,
    pub outdated: usize,
    pub erroneous: usize,
    pub obsolete: usize,
}

/// A message id and where it is defined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Located {
    pub id: String,
    pub file: String,
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Erroneous {
    /// `None` when a broken entry does not say which message it was meant to be.
    pub id: Option<String>,
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub problem: String,
}

impl Located {
    fn new(id: &str, entry: &Entry) -> Self {
        Self {
            id: id.to_owned(),
            file: slash_path(&entry.file),
            line: entry.at.line,
            col: entry.at.col,
        }
    }
}

fn slash_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

pub(super) fn compute(locales: &Locales, root: &Path) -> Status {
    let (lock, lock_problems) = lock::read(root);
    let mut problems: Vec<String> = lock_problems.iter().map(Diagnostic::to_string).collect();
    let reference = locales.reference();
    if !lock.reference.is_empty() && lock.reference != reference.lang {
        problems.push(
            Diagnostic::error(
                lock::LOCKFILE,
                None,
                format!(
                    "the lockfile was written against `{}`, not `{}`",
                    lock.reference, reference.lang
                ),
            )
            .to_string(),
        );
    }
    let hashes = |lang: &str| {
        if problems.is_empty() {
            lock.hashes.get(lang)
        } else {
            None
        }
    };
    let languages = locales
        .languages
        .iter()
        .filter(|l| l.lang != reference.lang)
        .map(|l| language_status(l, reference, hashes(&l.lang)))
        .collect();
    Status {
        reference: reference.lang.clone(),
        reference_messages: reference.entries.len(),
        reference_words: reference.entries.values().map(|e| e.words).sum(),
        languages,
        problems,
        pages: None,
    }
}

fn language_status(
    language: &Language,
    reference: &Language,
    hashes: Option<&BTreeMap<String, String>>,
) -> LanguageStatus {
    let broken: BTreeSet<&str> = language
        .junk
        .iter()
        .filter_map(|j| j.id.as_deref())
        .collect();
    let (mut missing, mut outdated) = (Vec::new(), Vec::new());
    let (mut translated, mut translated_words) = (0, 0);
    for (id, source) in &reference.entries {
        match language.entries.get(id) {
            Some(entry) => {
                translated += 1;
                translated_words += source.words;
                let confirmed = hashes.and_then(|h| h.get(id));
                if confirmed.is_some_and(|hash| *hash != source.hash) {
                    outdated.push(Located::new(id, entry));
                }
            }
            None if broken.contains(id.as_str()) => {}
            None => missing.push(Located::new(id, source)),
        }
    }
    let obsolete: Vec<_> = language
        .entries
        .iter()
        .filter(|(id, _)| !reference.entries.contains_key(*id))
        .map(|(id, e)| Located::new(id, e))
        .collect();
    let erroneous = erroneous(language, reference);
    let all_words: usize = reference.entries.values().map(|e| e.words).sum();
    sort_by_place(&mut missing);
    sort_by_place(&mut outdated);
    LanguageStatus {
        lang: language.lang.clone(),
        translated,
        translated_words,
        coverage_messages: percent(translated, reference.entries.len()),
        coverage_words: percent(translated_words, all_words),
        counts: Counts {
            missing: missing.len(),
            outdated: outdated.len(),
            erroneous: erroneous.len(),
            obsolete: obsolete.len(),
        },
        missing,
        outdated,
        erroneous,
        obsolete,
    }
}

fn sort_by_place(list: &mut [Located]) {
    list.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        return 100.0;
    }
    (part as f64 * 1000.0 / whole as f64).round() / 10.0
}

/// Broken entries, messages using a `$variable` the reference does not pass, and messages
/// Fluent cannot format from this language's own files (an unknown message or term, a cycle).
fn erroneous(language: &Language, reference: &Language) -> Vec<Erroneous> {
    let at = |file: &Path, at: LineCol| (slash_path(file), at.line, at.col);
    let mut out: Vec<Erroneous> = language
        .junk
        .iter()
        .map(|j| {
            let (file, line, col) = at(&j.file, j.at);
            Erroneous {
                id: j.id.clone(),
                file,
                line,
                col,
                problem: j.problem.clone(),
            }
        })
        .collect();
    for (id, entry) in &language.entries {
        let mut problems = Vec::new();
        if let Some(source) = reference.entries.get(id) {
            for extra in entry.variables.difference(&source.variables) {
                problems.push(format!(
                    "uses `${extra}`, which the reference message does not have"
                ));
            }
        }
        problems.extend(format_problems(language, id));
        let (file, line, col) = at(&entry.file, entry.at);
        out.extend(problems.into_iter().map(|problem| Erroneous {
            id: Some(id.clone()),
            file: file.clone(),
            line,
            col,
            problem,
        }));
    }
    out.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
    out
}

/// Formats a message's value and attributes with no arguments and keeps every error except
/// the missing arguments themselves.
fn format_problems(language: &Language, id: &str) -> Vec<String> {
    let Some(message) = language.bundle.get_message(id) else {
        return Vec::new();
    };
    let attributes: Vec<&str> = message.attributes().map(|a| a.id()).collect();
    let parts = std::iter::once(None).chain(attributes.into_iter().map(Some));
    let mut problems = BTreeSet::new();
    for attribute in parts {
        let Some((_, errors)) = language.format_own(id, attribute, None) else {
            continue;
        };
        for e in errors {
            let is_missing_argument = matches!(
                e,
                FluentError::ResolverError(ResolverError::Reference(
                    ReferenceKind::Variable { .. }
                ))
            );
            if !is_missing_argument {
                problems.insert(super::describe_error(&e));
            }
        }
    }
    problems.into_iter().collect()
}

/// The status as the CLI prints it.
pub fn render_text(status: &Status) -> String {
    let mut out = format!(
        "reference {}: {} messages, {} words\n",
        status.reference, status.reference_messages, status.reference_words
    );
    for l in &status.languages {
        let c = &l.counts;
        let _ = writeln!(
            out,
            "{}: {}% of messages, {}% of words; {} missing, {} outdated, {} erroneous, {} obsolete",
            l.lang,
            l.coverage_messages,
            l.coverage_words,
            c.missing,
            c.outdated,
            c.erroneous,
            c.obsolete
        );
        let lists = [
            ("missing", &l.missing),
            ("outdated", &l.outdated),
            ("obsolete", &l.obsolete),
        ];
        for (label, list) in lists {
            for m in list {
                let _ = writeln!(out, "  {label} {} ({}:{}:{})", m.id, m.file, m.line, m.col);
            }
        }
        for e in &l.erroneous {
            let id = e.id.as_deref().unwrap_or("?");
            let _ = writeln!(
                out,
                "  erroneous {id} ({}:{}:{}): {}",
                e.file, e.line, e.col, e.problem
            );
        }
    }
    for p in &status.problems {
        let _ = writeln!(out, "{p}");
    }
    if let Some(pages) = &status.pages {
        text_pages(&mut out, pages);
    }
    out
}

fn text_pages(out: &mut String, pages: &PagesStatus) {
    let _ = writeln!(
        out,
        "pages: reference {}: {} pages and sections, {} words",
        pages.reference, pages.reference_pages, pages.reference_words
    );
    for l in &pages.languages {
        let c = &l.counts;
        let _ = writeln!(
            out,
            "{}: {}% of pages, {}% of words; {} missing, {} outdated, {} untracked",
            l.lang, l.coverage_pages, l.coverage_words, c.missing, c.outdated, c.untracked
        );
        for (kind, what) in page_rows(l) {
            let _ = writeln!(out, "  {kind} {what}");
        }
    }
}

/// Each missing, outdated and untracked page of a language as (state, description).
fn page_rows(l: &LanguagePages) -> Vec<(&'static str, String)> {
    let mut rows = Vec::new();
    for q in &l.queue {
        let date = q
            .date
            .as_deref()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        rows.push(("urgent", format!("{}{date}", q.source)));
    }
    for m in &l.missing {
        let shown = match &m.fallback_from {
            Some(from) => format!(" (shown from {from})"),
            None => String::new(),
        };
        rows.push(("missing", format!("{}{shown}", m.source)));
    }
    for o in &l.outdated {
        rows.push((
            "outdated",
            format!(
                "{}:{}:{}: {} changed since translated_from = \"{}\" (now \"{}\")",
                o.file, o.line, o.col, o.source, o.translated_from, o.source_hash
            ),
        ));
    }
    for u in &l.untracked {
        rows.push((
            "untracked",
            format!("{}: no translated_from (source {})", u.file, u.source),
        ));
    }
    rows
}

/// The status as pretty-printed JSON, for tools and dashboards.
pub fn render_json(status: &Status) -> String {
    // Serializing plain structs of strings and numbers cannot fail.
    serde_json::to_string_pretty(status).unwrap_or_default()
}

/// The status as one standalone, accessible HTML page: no scripts, no external resources.
pub fn render_html(status: &Status) -> String {
    let mut out = String::from(HTML_HEAD);
    let _ = write!(
        out,
        "<main>\n<h1>Translation status</h1>\n<p>Reference language: <code>{}</code>, {} messages, {} words.</p>\n",
        esc(&status.reference),
        status.reference_messages,
        status.reference_words
    );
    for p in &status.problems {
        let _ = writeln!(out, "<p role=\"alert\">{}</p>", esc(p));
    }
    out.push_str(
        "<table>\n<caption>Summary</caption>\n<thead><tr><th scope=\"col\">Language</th>\
         <th scope=\"col\">Messages</th><th scope=\"col\">Words</th><th scope=\"col\">Missing</th>\
         <th scope=\"col\">Outdated</th><th scope=\"col\">Erroneous</th><th scope=\"col\">Obsolete</th></tr></thead>\n<tbody>\n",
    );
    for l in &status.languages {
        let c = &l.counts;
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\"><a href=\"#lang-{id}\"><code>{lang}</code></a></th>\
             <td>{}%</td><td>{}%</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            l.coverage_messages,
            l.coverage_words,
            c.missing,
            c.outdated,
            c.erroneous,
            c.obsolete,
            id = esc(&l.lang),
            lang = esc(&l.lang),
        );
    }
    out.push_str("</tbody>\n</table>\n");
    for l in &status.languages {
        html_language(&mut out, l);
    }
    if let Some(pages) = &status.pages {
        html_pages(&mut out, pages);
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn html_pages(out: &mut String, pages: &PagesStatus) {
    let _ = write!(
        out,
        "<section id=\"pages\" aria-labelledby=\"h-pages\">\n<h2 id=\"h-pages\">Pages</h2>\n\
         <p>Reference language: <code>{}</code>, {} pages and sections, {} words.</p>\n\
         <table>\n<caption>Pages per language</caption>\n<thead><tr><th scope=\"col\">Language</th>\
         <th scope=\"col\">Pages</th><th scope=\"col\">Words</th><th scope=\"col\">Missing</th>\
         <th scope=\"col\">Outdated</th><th scope=\"col\">Untracked</th></tr></thead>\n<tbody>\n",
        esc(&pages.reference),
        pages.reference_pages,
        pages.reference_words
    );
    for l in &pages.languages {
        let c = &l.counts;
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\"><code>{}</code></th><td>{}%</td><td>{}%</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&l.lang),
            l.coverage_pages,
            l.coverage_words,
            c.missing,
            c.outdated,
            c.untracked
        );
    }
    out.push_str("</tbody>\n</table>\n");
    for l in &pages.languages {
        let rows = page_rows(l);
        if rows.is_empty() {
            continue;
        }
        let lang = esc(&l.lang);
        let _ = writeln!(
            out,
            "<table>\n<caption>Pages left in <code>{lang}</code></caption>\n<thead><tr>\
             <th scope=\"col\">State</th><th scope=\"col\">Page</th></tr></thead>\n<tbody>"
        );
        for (kind, what) in rows {
            let _ = writeln!(out, "<tr><td>{kind}</td><td>{}</td></tr>", esc(&what));
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");
}

fn html_language(out: &mut String, l: &LanguageStatus) {
    let lang = esc(&l.lang);
    let _ = writeln!(
        out,
        "<section id=\"lang-{lang}\" aria-labelledby=\"h-{lang}\">\n<h2 id=\"h-{lang}\"><code>{lang}</code></h2>\n\
         <p>{} of the reference messages translated ({}%), {} words ({}%).</p>",
        l.translated, l.coverage_messages, l.translated_words, l.coverage_words
    );
    let mut rows: Vec<[String; 4]> = Vec::new();
    let lists = [
        ("missing", &l.missing),
        ("outdated", &l.outdated),
        ("obsolete", &l.obsolete),
    ];
    for (kind, list) in lists {
        for m in list {
            let place = format!("{}:{}:{}", m.file, m.line, m.col);
            rows.push([kind.to_owned(), m.id.clone(), place, String::new()]);
        }
    }
    for e in &l.erroneous {
        let place = format!("{}:{}:{}", e.file, e.line, e.col);
        let id = e.id.clone().unwrap_or_default();
        rows.push(["erroneous".to_owned(), id, place, e.problem.clone()]);
    }
    if rows.is_empty() {
        out.push_str("<p>Nothing to do.</p>\n</section>\n");
        return;
    }
    let _ = writeln!(
        out,
        "<table>\n<caption>Work left in <code>{lang}</code></caption>\n<thead><tr><th scope=\"col\">State</th>\
         <th scope=\"col\">Message</th><th scope=\"col\">Where</th><th scope=\"col\">Problem</th></tr></thead>\n<tbody>"
    );
    for [kind, id, place, problem] in rows {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td></tr>",
            esc(&kind),
            esc(&id),
            esc(&place),
            esc(&problem)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

const HTML_HEAD: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Translation status</title>\n\
<style>\nbody{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1a1a1a;background:#fff}\n\
table{border-collapse:collapse;margin:1rem 0;width:100%}\ncaption{text-align:left;font-weight:bold;padding:.25rem 0}\n\
th,td{border:1px solid #767676;padding:.25rem .5rem;text-align:left;vertical-align:top}\n\
a{color:#0b57d0}\na:focus{outline:3px solid #0b57d0;outline-offset:2px}\n</style>\n</head>\n<body>\n";

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_have_one_decimal_and_empty_is_complete() {
        assert_eq!(percent(2, 3), 66.7);
        assert_eq!(percent(0, 0), 100.0);
        assert_eq!(percent(5, 5), 100.0);
    }

    #[test]
    fn html_escapes_what_it_prints() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
