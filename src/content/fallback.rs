//! Content fallback: for each language with `content_fallback = true`, a copy of every page and
//! section it has no translation of, taken from the first language of its `fallback` chain that
//! has one (the default language last), and placed in its URL space. Runs on loaded items,
//! before the library links them, so copies join that language's sections like translations.

use std::collections::{HashMap, HashSet};

use crate::config::Config;

use super::{FallbackSource, Page, Section, SourceFile};

/// Appends the fallback copies to `pages` and `sections`. A copy whose URL a real item already
/// has (a `path` in front matter) is not made.
pub(super) fn add_copies(config: &Config, pages: &mut Vec<Page>, sections: &mut Vec<Section>) {
    let page_copies = copies(config, pages, |p| &p.source, |p| p.is_rendered(), copy_page);
    let section_copies = copies(config, sections, |s| &s.source, |_| true, copy_section);
    let mut taken: HashSet<String> = pages.iter().map(|p| p.path.clone()).collect();
    taken.extend(sections.iter().map(|s| s.path.clone()));
    pages.extend(
        page_copies
            .into_iter()
            .filter(|p| taken.insert(p.path.clone())),
    );
    sections.extend(
        section_copies
            .into_iter()
            .filter(|s| taken.insert(s.path.clone())),
    );
}

/// The languages a copy for `lang` may come from, in order: its chain, then the default.
pub fn chain<'c>(config: &'c Config, lang: &'c str) -> Vec<&'c str> {
    let mut chain: Vec<&str> = config
        .language(lang)
        .map(|l| l.fallback.iter().map(String::as_str).collect())
        .unwrap_or_default();
    chain.push(&config.default_language);
    let mut seen = HashSet::from([lang]);
    chain.retain(|l| seen.insert(*l));
    chain
}

/// For every language with content fallback and every canonical path it lacks, a copy of the
/// first item of its chain, in the order the items were loaded.
fn copies<T>(
    config: &Config,
    items: &[T],
    source: impl Fn(&T) -> &SourceFile,
    is_wanted: impl Fn(&T) -> bool,
    copy: impl Fn(&Config, &T, &str) -> T,
) -> Vec<T> {
    let mut by_canonical: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let s = source(item);
        by_canonical
            .entry(&s.canonical)
            .or_default()
            .insert(&s.lang, i);
    }
    let mut out = Vec::new();
    for lang in config.languages.iter().filter(|l| l.content_fallback) {
        let chain = chain(config, &lang.code);
        let mut done: HashSet<&str> = HashSet::new();
        for item in items {
            let canonical = source(item).canonical.as_str();
            let Some(versions) = by_canonical.get(canonical) else {
                continue;
            };
            if versions.contains_key(lang.code.as_str()) || !done.insert(canonical) {
                continue;
            }
            let from = chain
                .iter()
                .find_map(|l| versions.get(l).map(|&i| &items[i]));
            if let Some(from) = from.filter(|f| is_wanted(f)) {
                out.push(copy(config, from, &lang.code));
            }
        }
    }
    out
}

fn copy_page(config: &Config, src: &Page, lang: &str) -> Page {
    let m = Moved::new(config, &src.source, &src.path, lang);
    let mut p = src.clone();
    (p.fallback, p.source, p.path) = (Some(m.fallback), m.source, m.path);
    (p.components, p.permalink) = (m.components, m.permalink);
    // The source's aliases already redirect to the source.
    p.meta.aliases.clear();
    p
}

fn copy_section(config: &Config, src: &Section, lang: &str) -> Section {
    let m = Moved::new(config, &src.source, &src.path, lang);
    let mut s = src.clone();
    (s.fallback, s.source, s.path) = (Some(m.fallback), m.source, m.path);
    (s.components, s.permalink) = (m.components, m.permalink);
    s.meta.aliases.clear();
    s
}

/// Where a page or section's copy in `lang` lives, and what it was copied from.
struct Moved {
    fallback: FallbackSource,
    source: SourceFile,
    path: String,
    components: Vec<String>,
    permalink: String,
}

impl Moved {
    fn new(config: &Config, src: &SourceFile, path: &str, lang: &str) -> Self {
        let path = moved_path(config, path, &src.lang, lang);
        Moved {
            fallback: FallbackSource {
                lang: src.lang.clone(),
                relative: src.relative.clone(),
            },
            source: moved_source(config, src, lang),
            components: path
                .split('/')
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
            permalink: config.permalink(&path),
            path,
        }
    }
}

/// The source file as seen from `lang`: same file and text, and the relative path its
/// translation would have, so `@/` links and `get_page(lang=…)` find the copy.
fn moved_source(config: &Config, src: &SourceFile, lang: &str) -> SourceFile {
    let mut s = src.clone();
    s.relative = translation_relative(&src.canonical, lang, &config.default_language);
    s.lang = lang.to_string();
    s
}

/// `blog/a` in `en` → `blog/a.en.md`; the default language keeps the plain name.
pub fn translation_relative(canonical: &str, lang: &str, default_language: &str) -> String {
    if lang == default_language {
        format!("{canonical}.md")
    } else {
        format!("{canonical}.{lang}.md")
    }
}

/// `/en/a/` from `en` to `hnj` → `/hnj/a/`; a path outside its language's prefix (set by
/// `path` in front matter) gets the new prefix in front.
fn moved_path(config: &Config, path: &str, from: &str, to: &str) -> String {
    let prefix = config.lang_prefix(from);
    let rest = match path.strip_prefix(&prefix) {
        Some(rest) if !prefix.is_empty() && rest.starts_with('/') => rest,
        _ => path,
    };
    format!("{}{rest}", config.lang_prefix(to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translation_paths_follow_zola_file_names() {
        assert_eq!(translation_relative("blog/a", "en", "vi"), "blog/a.en.md");
        assert_eq!(translation_relative("blog/a", "vi", "vi"), "blog/a.md");
        assert_eq!(
            translation_relative("blog/b/index", "hnj", "vi"),
            "blog/b/index.hnj.md"
        );
    }
}
