//! Translation status of content: which pages and sections of the default language each other
//! language translates, which translations are outdated (their `translated_from` is not the
//! hash of the source body as it is now) or untracked (no `translated_from`), and which are
//! missing, with the language content fallback shows them from. `confirm_page` writes the hash.

use std::fs;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use super::catalog::short_hash;
use crate::config::Config;
use crate::content::{self, Item, Library};
use crate::diag::{Diagnostic, LineIndex};
use crate::text;

/// The hash a translation records in `translated_from`: the first 16 hex digits of the SHA-256
/// of the source's body (the Markdown after the front matter, NFC as loaded), with line ends
/// as `\n` and without leading or trailing blank space, so re-saving the file with other line
/// ends or a final newline does not outdate its translations.
pub fn body_hash(body: &str) -> String {
    short_hash(body.replace("\r\n", "\n").trim())
}

/// Pages and sections of every language but the default, against the default language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PagesStatus {
    pub reference: String,
    /// Pages and sections with a file in the reference language, and the words of their bodies.
    pub reference_pages: usize,
    pub reference_words: usize,
    /// In configuration order.
    pub languages: Vec<LanguagePages>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LanguagePages {
    pub lang: String,
    /// Reference pages this language has a file for (outdated and untracked ones included).
    pub translated: usize,
    pub translated_words: usize,
    /// Percentages with one decimal.
    pub coverage_pages: f64,
    pub coverage_words: f64,
    pub counts: PageCounts,
    pub missing: Vec<MissingPage>,
    pub outdated: Vec<OutdatedPage>,
    pub untracked: Vec<PageRef>,
    /// The translators' queue: urgent pages (`urgent = true`) published in the reference
    /// language with no translation here, most recent first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub queue: Vec<QueuedPage>,
}

/// An urgent page waiting for its translation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueuedPage {
    pub source: String,
    pub title: Option<String>,
    /// `date` as written, if any.
    pub date: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PageCounts {
    pub missing: usize,
    pub outdated: usize,
    pub untracked: usize,
}

/// A reference page with no translation, and the language content fallback shows it in
/// (`None` when the language has no content fallback).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingPage {
    pub source: String,
    pub fallback_from: Option<String>,
}

/// A translation and its source, as paths from the site root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageRef {
    pub file: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutdatedPage {
    pub file: String,
    /// Where `translated_from` is written.
    pub line: usize,
    pub col: usize,
    pub source: String,
    pub translated_from: String,
    /// The hash of the source body now.
    pub source_hash: String,
}

/// One item as the status sees it.
struct Entry<'l> {
    file: String,
    relative: &'l str,
    lang: &'l str,
    canonical: &'l str,
    text: &'l str,
    body: &'l str,
    translated_from: Option<&'l str>,
}

fn entry(lib: &Library, item: Item) -> Option<Entry<'_>> {
    let (source, translated_from, is_real) = match item {
        Item::Page(i) => {
            let p = &lib.pages[i];
            let real = p.fallback.is_none();
            (&p.source, p.meta.translated_from.as_deref(), real)
        }
        Item::Section(i) => {
            let s = &lib.sections[i];
            let real = s.fallback.is_none() && !s.is_virtual;
            (&s.source, s.meta.translated_from.as_deref(), real)
        }
    };
    is_real.then(|| Entry {
        file: source.file.to_string_lossy().replace('\\', "/"),
        relative: &source.relative,
        lang: &source.lang,
        canonical: &source.canonical,
        text: &source.text,
        body: source.body(),
        translated_from,
    })
}

/// The status of every language but the default one, from a library loaded with its text.
pub fn compute(config: &Config, lib: &Library) -> PagesStatus {
    compute_with(config, lib, true)
}

/// [`compute`] without what `tre report` does not print: no word counts (the `*_words` fields
/// are 0) and no hashing of bodies (`outdated` and `untracked` are empty). Pages, coverage,
/// missing pages and the queue are the same.
pub fn coverage(config: &Config, lib: &Library) -> PagesStatus {
    compute_with(config, lib, false)
}

fn compute_with(config: &Config, lib: &Library, full: bool) -> PagesStatus {
    let items = (0..lib.sections.len())
        .map(Item::Section)
        .chain((0..lib.pages.len()).map(Item::Page));
    let mut references: Vec<Entry> = items
        .filter_map(|it| entry(lib, it))
        .filter(|e| e.lang == config.default_language)
        .collect();
    references.sort_by(|a, b| a.relative.cmp(b.relative));
    let words: Vec<usize> = if full {
        references
            .par_iter()
            .map(|e| text::markdown_word_count(e.body))
            .collect()
    } else {
        vec![0; references.len()]
    };
    let languages = config
        .languages
        .par_iter()
        .filter(|l| l.code != config.default_language)
        .map(|l| language_pages(config, lib, &l.code, &references, &words, full))
        .collect();
    PagesStatus {
        reference: config.default_language.clone(),
        reference_pages: references.len(),
        reference_words: words.iter().sum(),
        languages,
    }
}

fn language_pages(
    config: &Config,
    lib: &Library,
    lang: &str,
    references: &[Entry],
    words: &[usize],
    full: bool,
) -> LanguagePages {
    let has_fallback = config.language(lang).is_some_and(|l| l.content_fallback);
    let mut out = LanguagePages {
        lang: lang.to_owned(),
        translated: 0,
        translated_words: 0,
        coverage_pages: 0.0,
        coverage_words: 0.0,
        counts: PageCounts {
            missing: 0,
            outdated: 0,
            untracked: 0,
        },
        missing: Vec::new(),
        outdated: Vec::new(),
        untracked: Vec::new(),
        queue: Vec::new(),
    };
    let mut queue = Vec::new();
    for (source, &w) in references.iter().zip(words) {
        let Some(source_item) = lib.get(source.relative) else {
            continue;
        };
        let translation = lib
            .translations_of(source_item)
            .iter()
            .filter_map(|&it| entry(lib, it))
            .find(|e| e.lang == lang && e.canonical == source.canonical);
        let Some(translation) = translation else {
            let fallback_from = lib
                .version_in(source_item, lang)
                .filter(|_| has_fallback)
                .map(|copy| lib.item_content_lang(copy).to_owned());
            out.missing.push(MissingPage {
                source: source.file.clone(),
                fallback_from,
            });
            if let Item::Page(i) = source_item
                && lib.pages[i].editorial.is_urgent
            {
                queue.push(&lib.pages[i]);
            }
            continue;
        };
        out.translated += 1;
        out.translated_words += w;
        if !full {
            continue;
        }
        let current = body_hash(source.body);
        match translation.translated_from {
            None => out.untracked.push(PageRef {
                file: translation.file,
                source: source.file.clone(),
            }),
            Some(recorded) if recorded != current => {
                let at = translated_from_at(translation.text);
                out.outdated.push(OutdatedPage {
                    file: translation.file,
                    line: at.line,
                    col: at.col,
                    source: source.file.clone(),
                    translated_from: recorded.to_owned(),
                    source_hash: current,
                });
            }
            Some(_) => {}
        }
    }
    queue.sort_by(|a, b| {
        let at = |p: &crate::content::Page| p.date.as_ref().map(|d| d.at);
        at(b)
            .cmp(&at(a))
            .then(a.source.relative.cmp(&b.source.relative))
    });
    out.queue = queue
        .into_iter()
        .map(|p| QueuedPage {
            source: p.source.file.to_string_lossy().replace('\\', "/"),
            title: p.meta.title.clone(),
            date: p.date.as_ref().map(|d| d.text.clone()),
        })
        .collect();
    let total_words: usize = words.iter().sum();
    out.coverage_pages = percent(out.translated, references.len());
    out.coverage_words = if full {
        percent(out.translated_words, total_words)
    } else {
        0.0
    };
    out.counts = PageCounts {
        missing: out.missing.len(),
        outdated: out.outdated.len(),
        untracked: out.untracked.len(),
    };
    out
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        return 100.0;
    }
    (part as f64 * 1000.0 / whole as f64).round() / 10.0
}

/// The line `translated_from` is on, in the front matter; the file's start if not found.
fn translated_from_at(text: &str) -> crate::diag::LineCol {
    let offset = line_of_key(text).map_or(0, |(start, _)| start);
    LineIndex::new(text).locate(offset)
}

/// Byte range of the front-matter line setting `translated_from` (TOML or YAML), if any.
fn line_of_key(text: &str) -> Option<(usize, usize)> {
    let split = content::front_matter::split(Path::new(""), text).ok()?;
    let mut at = split.fm_start;
    for line in split.front_matter.split_inclusive('\n') {
        let key = line.trim_start();
        let is_key = key
            .strip_prefix("translated_from")
            .is_some_and(|rest| rest.trim_start().starts_with(['=', ':']));
        if is_key {
            return Some((at, at + line.trim_end_matches(['\n', '\r']).len()));
        }
        at += line.len();
    }
    None
}

/// Records that the translation at `file` (relative to the site root, as
/// `content/blog/a.en.md`) matches its default-language source as it is now: sets its
/// `translated_from` to the source's body hash, replacing that one front-matter line or adding
/// it before the closing fence. Nothing else in the file changes. Returns the hash.
pub fn confirm_page(
    root: &Path,
    config: &Config,
    lib: &Library,
    file: &str,
) -> Result<String, Vec<Diagnostic>> {
    let file = file.trim_start_matches("./").replace('\\', "/");
    let fail = |m: String| vec![Diagnostic::error(&file, None, m)];
    let relative = file.strip_prefix("content/").unwrap_or(&file);
    let item = lib
        .get(relative)
        .filter(|&it| !lib.is_fallback(it))
        .ok_or_else(|| fail("no such page or section under content/".into()))?;
    let this = entry(lib, item).ok_or_else(|| fail("not a content file".into()))?;
    if this.lang == config.default_language {
        return Err(fail(format!(
            "this is in the default language `{}`; confirm its translations instead",
            config.default_language
        )));
    }
    let source = lib
        .translations_of(item)
        .iter()
        .filter_map(|&it| entry(lib, it))
        .find(|e| e.lang == config.default_language)
        .ok_or_else(|| {
            fail(format!(
                "there is no `{}` version of this file to confirm against",
                config.default_language
            ))
        })?;
    let hash = body_hash(source.body);
    let path = root.join(&this.file);
    let text = fs::read_to_string(&path).map_err(|e| fail(format!("cannot read: {e}")))?;
    let updated = with_translated_from(&text, &hash).ok_or_else(|| {
        fail("the front matter must start with `+++` or `---` and be closed".into())
    })?;
    fs::write(&path, updated).map_err(|e| fail(format!("cannot write: {e}")))?;
    Ok(hash)
}

/// `text` with its `translated_from` set to `hash`, in the front matter's own syntax.
fn with_translated_from(text: &str, hash: &str) -> Option<String> {
    let split = content::front_matter::split(Path::new(""), text).ok()?;
    let line = if split.is_yaml {
        format!("translated_from: \"{hash}\"")
    } else {
        format!("translated_from = \"{hash}\"")
    };
    if let Some((start, end)) = line_of_key(text) {
        return Some(format!("{}{line}{}", &text[..start], &text[end..]));
    }
    // After the last key before the first `[table]` header: a TOML key after a header would
    // belong to that table. Blank lines before the header stay before it.
    let mut lines = split.front_matter.split_inclusive('\n');
    let fence_rest = lines.next().map_or(0, str::len);
    let (mut at, mut end) = (split.fm_start + fence_rest, split.fm_start + fence_rest);
    for l in lines {
        if !split.is_yaml && l.trim_start().starts_with('[') {
            break;
        }
        end += l.len();
        if !l.trim().is_empty() {
            at = end;
        }
    }
    let newline = if text[..at].ends_with('\n') { "" } else { "\n" };
    Some(format!("{}{newline}{line}\n{}", &text[..at], &text[at..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_hash_ignores_line_ends_and_outer_blank_space() {
        assert_eq!(body_hash("Xin chào.\r\n"), body_hash("\nXin chào."));
        assert_ne!(body_hash("Xin chào."), body_hash("Xin chào!"));
        assert_eq!(body_hash("x").len(), 16);
    }

    #[test]
    fn confirming_rewrites_only_the_translated_from_line() {
        let toml = "+++\ntitle = \"A\"\ntranslated_from = \"old\"\ndate = 2025-01-01\n+++\nBody\n";
        assert_eq!(
            with_translated_from(toml, "abc").unwrap(),
            "+++\ntitle = \"A\"\ntranslated_from = \"abc\"\ndate = 2025-01-01\n+++\nBody\n"
        );
        let bare = "+++\ntitle = \"A\"\n+++\nBody\n";
        assert_eq!(
            with_translated_from(bare, "abc").unwrap(),
            "+++\ntitle = \"A\"\ntranslated_from = \"abc\"\n+++\nBody\n"
        );
        let yaml = "---\ntitle: A\n---\nBody\n";
        assert_eq!(
            with_translated_from(yaml, "abc").unwrap(),
            "---\ntitle: A\ntranslated_from: \"abc\"\n---\nBody\n"
        );
        let table = "+++\ntranslated_from = \"x\"\n[extra]\nk = 1\n+++\n";
        assert_eq!(
            with_translated_from(table, "y").unwrap(),
            "+++\ntranslated_from = \"y\"\n[extra]\nk = 1\n+++\n"
        );
        // Added before the first table, where it stays a top-level key.
        let tags = "+++\ntitle = \"A\"\n\n[taxonomies]\ntags = [\"x\"]\n+++\nBody\n";
        assert_eq!(
            with_translated_from(tags, "y").unwrap(),
            "+++\ntitle = \"A\"\ntranslated_from = \"y\"\n\n[taxonomies]\ntags = [\"x\"]\n+++\nBody\n"
        );
        assert_eq!(
            with_translated_from("+++\n+++\nBody\n", "y").unwrap(),
            "+++\ntranslated_from = \"y\"\n+++\nBody\n"
        );
    }
}
