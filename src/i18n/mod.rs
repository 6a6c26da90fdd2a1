//! UI strings in Fluent: loads `locales/<lang>/*.ftl` into one concurrent bundle per language,
//! walks fallback chains when formatting, and serves the translator workflow (status against
//! the reference language, `translations.lock`, `sync`, Pontoon's `l10n.toml`).
//! Knows nothing of Tera or templates: `render` calls [`Locales::format`].

mod catalog;
mod functions;
mod lock;
pub mod pages;
mod plural;
mod status;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use rayon::prelude::*;
use unic_langid::LanguageIdentifier;

use crate::diag::{self, Diagnostic};
use catalog::{Catalog, Entry, Junk};
use functions::Style;

pub use lock::{Selection, SyncReport, confirm, sync, write_l10n_toml};
pub use pages::{
    LanguagePages, MissingPage, OutdatedPage, PageCounts, PageRef, PagesStatus, body_hash,
    confirm_page,
};
pub use status::{
    Erroneous, LanguageStatus, Located, Status, render_html, render_json, render_text,
};

/// One configured language, as the engine builds it from `config.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocaleSpec {
    /// BCP 47 tag as written in the config, and the name of its `locales/` directory.
    pub lang: String,
    /// Where a message missing in `lang` is looked for next, in order.
    pub fallback: Vec<String>,
    /// Language whose CLDR plural rules to use. `None` means `lang` itself; if CLDR has no data
    /// for it, `load` warns once and uses the first language of `fallback` that has.
    pub plural_rules: Option<String>,
    /// Language whose number and date formatting to use; `None` means the plural-rule language.
    pub number_locale: Option<String>,
    /// Wrap placeables in U+2068 FIRST STRONG ISOLATE / U+2069 POP DIRECTIONAL ISOLATE.
    pub use_isolating: bool,
}

/// Every configured language's bundle, ready to format from many threads at once.
pub struct Locales {
    /// Index of the reference language in `languages`.
    reference: usize,
    /// In the order of the specs.
    languages: Vec<Language>,
    warnings: Vec<Diagnostic>,
}

struct Language {
    lang: String,
    /// Indexes into `Locales::languages`: this language first, then its fallbacks.
    chain: Vec<usize>,
    bundle: FluentBundle<FluentResource>,
    entries: BTreeMap<String, Entry>,
    junk: Vec<Junk>,
}

/// A formatted message and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formatted {
    pub text: String,
    /// The language whose files supplied the message.
    pub from_lang: String,
    /// Whether `from_lang` is not the language that was asked for.
    pub used_fallback: bool,
}

/// Why [`Locales::format`] could not give a text.
#[derive(Debug, Clone, PartialEq)]
pub enum LookupError {
    UnknownLanguage {
        lang: String,
    },
    /// No language of the chain has the message (or the attribute).
    MissingMessage {
        key: String,
        tried: Vec<String>,
    },
    /// An argument Fluent cannot take (an array or an object).
    BadArgument {
        name: String,
    },
    /// The message was found but formatting it went wrong (a missing `$variable`, an unknown
    /// message reference). `text` is what Fluent produced anyway, with `{$name}` in the gaps.
    Format {
        key: String,
        lang: String,
        text: String,
        errors: Vec<String>,
    },
}

impl fmt::Display for LookupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownLanguage { lang } => write!(f, "`{lang}` is not a configured language"),
            Self::MissingMessage { key, tried } => {
                write!(f, "no translation of `{key}` in {}", tried.join(", "))
            }
            Self::BadArgument { name } => write!(
                f,
                "argument `{name}` is a list or a map; translations take only text and numbers"
            ),
            Self::Format {
                key, lang, errors, ..
            } => write!(f, "`{key}` in `{lang}`: {}", errors.join("; ")),
        }
    }
}

impl std::error::Error for LookupError {}

/// Reads the `.ftl` files of every language in `specs`.
///
/// Broken entries, duplicates and NFD text are warnings (see [`Locales::warnings`]): a broken
/// message falls back along its chain. Unreadable or non-UTF-8 files and a bad language
/// configuration (an unknown language in a fallback chain, an invalid tag) are errors; then
/// every problem found, warnings included, is returned, sorted.
pub fn load(
    root: &Path,
    specs: &[LocaleSpec],
    reference: &str,
) -> Result<Locales, Vec<Diagnostic>> {
    load_with_theme(root, None, specs, reference)
}

/// [`load`], with a theme's `locales/<lang>/*.ftl` (in `theme_dir`) under the site's: a
/// message the site defines replaces the theme's, as a site's template replaces a theme's.
pub fn load_with_theme(
    root: &Path,
    theme_dir: Option<&Path>,
    specs: &[LocaleSpec],
    reference: &str,
) -> Result<Locales, Vec<Diagnostic>> {
    let (plans, mut problems) = plan_all(specs, reference);
    let Some(plans) = plans else {
        diag::sort(&mut problems);
        return Err(problems);
    };
    let catalogs: Vec<_> = specs
        .par_iter()
        .map(|s| catalog::load_catalog(root, theme_dir, &s.lang))
        .collect();
    let mut languages = Vec::with_capacity(specs.len());
    for ((spec, plan), (catalog, mut found)) in specs.iter().zip(plans.list).zip(catalogs) {
        problems.append(&mut found);
        languages.push(Language::new(spec, plan, catalog));
    }
    problems.extend(junk_warnings(&languages));
    problems.extend(theme_warnings(&languages, plans.reference));
    diag::sort(&mut problems);
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    Ok(Locales {
        reference: plans.reference,
        languages,
        warnings: problems,
    })
}

/// What `load` decided for one language before reading its files.
struct Plan {
    chain: Vec<usize>,
    plural: LanguageIdentifier,
    style: Style,
}

struct Plans {
    reference: usize,
    list: Vec<Plan>,
}

/// Checks the language configuration and decides chains, plural rules and number styles.
/// Returns no plans if any of it is an error.
fn plan_all(specs: &[LocaleSpec], reference: &str) -> (Option<Plans>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let config_error = |m: String| Diagnostic::error("config.toml", None, m);
    let mut ids = Vec::with_capacity(specs.len());
    for (i, spec) in specs.iter().enumerate() {
        if specs[..i].iter().any(|s| s.lang == spec.lang) {
            problems.push(config_error(format!(
                "language `{}` is configured twice",
                spec.lang
            )));
        }
        match parse_tag(&spec.lang) {
            Ok(id) => ids.push(id),
            Err(d) => problems.push(d),
        }
    }
    let reference_index = specs.iter().position(|s| s.lang == reference);
    if reference_index.is_none() {
        problems.push(config_error(format!(
            "the reference language `{reference}` is not a configured language"
        )));
    }
    let chains: Vec<_> = (0..specs.len())
        .map(|i| chain_of(i, specs, &mut problems))
        .collect();
    if problems.iter().any(Diagnostic::is_error) {
        return (None, problems);
    }
    let mut list = Vec::with_capacity(specs.len());
    for ((spec, own), chain) in specs.iter().zip(&ids).zip(chains) {
        let chain_ids: Vec<_> = chain
            .iter()
            .skip(1)
            .filter_map(|&j| ids.get(j))
            .cloned()
            .collect();
        let wanted = match spec.plural_rules.as_deref().map(parse_tag) {
            Some(Ok(id)) => id,
            Some(Err(d)) => {
                problems.push(d);
                continue;
            }
            None => own.clone(),
        };
        let plural = match plural::choose(&wanted, &chain_ids) {
            plural::Choice::Found(id) => id,
            plural::Choice::Substituted { wanted, used } => {
                problems.push(plural_warning(spec, &wanted, &used));
                used
            }
        };
        let number = match spec.number_locale.as_deref().map(parse_tag) {
            Some(Ok(id)) => id,
            Some(Err(d)) => {
                problems.push(d);
                continue;
            }
            None => plural.clone(),
        };
        list.push(Plan {
            chain,
            plural,
            style: Style::of(&number),
        });
    }
    let plans = match reference_index {
        Some(reference) if !problems.iter().any(Diagnostic::is_error) => {
            Some(Plans { reference, list })
        }
        _ => None,
    };
    (plans, problems)
}

/// Whether `tag` is a valid language tag that CLDR has plural rules for (`tre init` borrows
/// Vietnamese rules for the others, as the sample portal does for `hnj`).
pub fn has_plural_rules(tag: &str) -> bool {
    tag.parse::<LanguageIdentifier>()
        .is_ok_and(|id| plural::has_plural_data(&id))
}

fn parse_tag(tag: &str) -> Result<LanguageIdentifier, Diagnostic> {
    tag.parse().map_err(|_| {
        Diagnostic::error(
            "config.toml",
            None,
            format!("`{tag}` is not a valid BCP 47 language tag"),
        )
        .with_help("write tags like `vi`, `en`, `zh-Hans` or `hnj`")
    })
}

/// `specs[i]`'s language followed by its fallbacks, as indexes, each once.
fn chain_of(i: usize, specs: &[LocaleSpec], problems: &mut Vec<Diagnostic>) -> Vec<usize> {
    let mut chain = vec![i];
    let Some(spec) = specs.get(i) else {
        return chain;
    };
    for next in &spec.fallback {
        match specs.iter().position(|s| &s.lang == next) {
            Some(j) if !chain.contains(&j) => chain.push(j),
            Some(_) => {}
            None => problems.push(
                Diagnostic::error(
                    "config.toml",
                    None,
                    format!(
                        "`{}` falls back to `{next}`, which is not a configured language",
                        spec.lang
                    ),
                )
                .with_help(format!(
                    "add `{next}` to the languages, or remove it from the fallback of `{}`",
                    spec.lang
                )),
            ),
        }
    }
    chain
}

fn plural_warning(
    spec: &LocaleSpec,
    wanted: &LanguageIdentifier,
    used: &LanguageIdentifier,
) -> Diagnostic {
    let message = if spec.plural_rules.is_some() {
        format!(
            "`{}` asks for the plural rules of `{wanted}`, which CLDR does not have; using those of `{used}`",
            spec.lang
        )
    } else {
        format!(
            "CLDR has no plural rules for `{}`; using those of `{used}`",
            spec.lang
        )
    };
    Diagnostic::warning("config.toml", None, message).with_help(format!(
        "set the plural rules of `{}` to a language with the same plural forms",
        spec.lang
    ))
}

/// A theme's message: one from a theme's `locales/`, or from a site's `theme.ftl` (a site
/// that carries its theme's files at the top level, as `tre init` writes it).
fn is_theme_entry(entry: &Entry) -> bool {
    entry.file.starts_with("themes") || entry.file_name == "theme.ftl"
}

/// One warning per language that lacks some of the theme's messages (those of the reference
/// language), naming them and where pages get them from instead.
fn theme_warnings(languages: &[Language], reference: usize) -> Vec<Diagnostic> {
    const SHOWN: usize = 6;
    let Some(reference_language) = languages.get(reference) else {
        return Vec::new();
    };
    let theme_entries: Vec<(&String, &Entry)> = reference_language
        .entries
        .iter()
        .filter(|(_, e)| is_theme_entry(e))
        .collect();
    let theme_ids: Vec<&str> = theme_entries.iter().map(|(id, _)| id.as_str()).collect();
    let Some((_, first)) = theme_entries.first() else {
        return Vec::new();
    };
    let model = first.file.display().to_string();
    let mut out = Vec::new();
    for (i, language) in languages.iter().enumerate() {
        if i == reference {
            continue;
        }
        let missing: Vec<&str> = theme_ids
            .iter()
            .copied()
            .filter(|id| !language.entries.contains_key(*id))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let mut named = missing
            .iter()
            .take(SHOWN)
            .map(|id| format!("`{id}`"))
            .collect::<Vec<_>>()
            .join(", ");
        if missing.len() > SHOWN {
            named.push_str(&format!(" and {} more", missing.len() - SHOWN));
        }
        let chain: Vec<&str> = language
            .chain
            .iter()
            .skip(1)
            .filter_map(|&j| languages.get(j))
            .map(|l| l.lang.as_str())
            .collect();
        let shown_in = if chain.is_empty() {
            "pages cannot show them".to_owned()
        } else {
            format!("pages show them in {}", chain.join(", then "))
        };
        out.push(
            Diagnostic::warning(
                format!("locales/{}", language.lang),
                None,
                format!(
                    "{} of the theme's {} messages have no `{}` translation ({named}); {shown_in}",
                    missing.len(),
                    theme_ids.len(),
                    language.lang
                ),
            )
            .with_help(format!(
                "translate them in locales/{}/theme.ftl, starting from a copy of {model}; `tre i18n status` lists them all",
                language.lang
            )),
        );
    }
    out
}

/// One warning per broken entry, naming the language its message now comes from.
fn junk_warnings(languages: &[Language]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for language in languages {
        for junk in &language.junk {
            let from = junk.id.as_deref().and_then(|id| {
                language
                    .chain
                    .iter()
                    .skip(1)
                    .filter_map(|&j| languages.get(j))
                    .find(|l| l.entries.contains_key(id))
                    .map(|l| l.lang.as_str())
            });
            out.push(junk.diagnostic(from));
        }
    }
    out
}

impl Language {
    /// Ids whose entry differs from `old`'s, added or removed. A changed term, or a changed
    /// message another one references, can change any message of the language: then all.
    fn changed_ids<'a>(&'a self, old: &'a Language) -> BTreeSet<&'a str> {
        let mut ids: BTreeSet<&str> = self
            .entries
            .iter()
            .filter(|(id, e)| old.entries.get(*id).map(|o| &o.source) != Some(&e.source))
            .map(|(id, _)| id.as_str())
            .chain(
                old.entries
                    .keys()
                    .filter(|id| !self.entries.contains_key(*id))
                    .map(String::as_str),
            )
            .collect();
        // Fluent's serializer writes a reference as `{ id }`, `{ id.attr }` or `{ -term(…) }`.
        let is_referenced = |id: &str| {
            let pattern = format!("{{ {id}");
            let refers = |source: &str| {
                source.match_indices(&pattern).any(|(at, _)| {
                    let next = source[at + pattern.len()..].chars().next();
                    !next.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_')
                })
            };
            self.entries
                .values()
                .chain(old.entries.values())
                .any(|e| refers(&e.source))
        };
        if ids.iter().any(|id| is_referenced(id)) {
            ids.extend(self.entries.keys().map(String::as_str));
            ids.extend(old.entries.keys().map(String::as_str));
        }
        ids
    }

    fn new(spec: &LocaleSpec, plan: Plan, catalog: Catalog) -> Self {
        // The bundle is created with the plural-rule language, not `spec.lang`: fluent-bundle
        // uses its bundle's locale only to pick plural rules, and would silently pick English
        // ones for a language CLDR lacks. The messages still come from `spec.lang`'s files.
        let mut bundle = FluentBundle::new_concurrent(vec![plan.plural]);
        bundle.set_use_isolating(spec.use_isolating);
        functions::install(&mut bundle, plan.style);
        for resource in catalog.resources {
            // Duplicates were already reported by the catalog, and Fluent keeps the first
            // definition just as the warning says; there is no other error here.
            let _ = bundle.add_resource(resource);
        }
        Self {
            lang: spec.lang.clone(),
            chain: plan.chain,
            bundle,
            entries: catalog.entries,
            junk: catalog.junk,
        }
    }

    /// Formats `id` (or its attribute) from this language's own files only.
    /// `None` when this language does not define it.
    fn format_own(
        &self,
        id: &str,
        attribute: Option<&str>,
        args: Option<&FluentArgs<'_>>,
    ) -> Option<(String, Vec<fluent_bundle::FluentError>)> {
        let message = self.bundle.get_message(id)?;
        let pattern = match attribute {
            Some(name) => message.get_attribute(name)?.value(),
            None => message.value()?,
        };
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        Some((text.into_owned(), errors))
    }
}

impl Locales {
    /// Problems found while loading that did not stop it: broken entries, duplicates, NFD
    /// text, languages without CLDR plural rules. Sorted by file and position.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    pub fn has_language(&self, lang: &str) -> bool {
        self.language(lang).is_some()
    }

    /// Formats `key` (`id` or `id.attribute`) for `lang`, walking its fallback chain until a
    /// language defines it. JSON numbers become Fluent numbers, so they select plural variants
    /// and are written with the language's separators (`1.234,5` in Vietnamese); a number that
    /// must not be grouped, like a year, is best passed as a string.
    pub fn format(
        &self,
        lang: &str,
        key: &str,
        args: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<Formatted, LookupError> {
        let start = self
            .language(lang)
            .ok_or_else(|| LookupError::UnknownLanguage {
                lang: lang.to_owned(),
            })?;
        let args = fluent_args(args)?;
        let (id, attribute) = match key.split_once('.') {
            Some((id, attribute)) => (id, Some(attribute)),
            None => (key, None),
        };
        let chain = self.chain(start);
        for language in &chain {
            let Some((text, errors)) = language.format_own(id, attribute, Some(&args)) else {
                continue;
            };
            if !errors.is_empty() {
                return Err(LookupError::Format {
                    key: key.to_owned(),
                    lang: language.lang.clone(),
                    text,
                    errors: errors.iter().map(describe_error).collect(),
                });
            }
            return Ok(Formatted {
                text,
                from_lang: language.lang.clone(),
                used_fallback: language.lang != lang,
            });
        }
        Err(LookupError::MissingMessage {
            key: key.to_owned(),
            tried: chain.iter().map(|l| l.lang.clone()).collect(),
        })
    }

    /// Translation status of every language against the reference, reading the lockfile
    /// `locales/translations.lock` under `root` as it is now.
    pub fn status(&self, root: &Path) -> Status {
        status::compute(self, root)
    }

    /// [`Locales::status`] with the pages part: the translations of `library`'s content.
    pub fn status_with_pages(
        &self,
        root: &Path,
        config: &crate::config::Config,
        library: &crate::content::Library,
    ) -> Status {
        Status {
            pages: Some(pages::compute(config, library)),
            ..status::compute(self, root)
        }
    }

    /// The languages whose messages can format differently from `old`'s: a message changed,
    /// appeared or went where the language finds it along its chain. `None` when the
    /// languages or their chains differ, so everything may have changed.
    pub fn languages_changed_from(&self, old: &Locales) -> Option<BTreeSet<String>> {
        self.messages_changed_from(old)
            .map(|by_lang| by_lang.into_keys().collect())
    }

    /// For each language, the messages that a lookup in it can format differently from
    /// `old`'s (languages with none are left out); `None` as `languages_changed_from`. Serve
    /// re-renders only the targets whose templates read one of them.
    pub fn messages_changed_from(
        &self,
        old: &Locales,
    ) -> Option<BTreeMap<String, BTreeSet<String>>> {
        let same_shape = self.languages.len() == old.languages.len()
            && self
                .languages
                .iter()
                .zip(&old.languages)
                .all(|(a, b)| a.lang == b.lang && a.chain == b.chain);
        if !same_shape {
            return None;
        }
        let changed: Vec<BTreeSet<&str>> = self
            .languages
            .iter()
            .zip(&old.languages)
            .map(|(new, old)| new.changed_ids(old))
            .collect();
        let finder = |languages: &'_ [Language], chain: &[usize], id: &str| {
            chain
                .iter()
                .copied()
                .find(|&j| languages[j].entries.contains_key(id))
        };
        let mut out = BTreeMap::new();
        for l in &self.languages {
            let ids: BTreeSet<String> = l
                .chain
                .iter()
                .flat_map(|&c| changed[c].iter().map(move |id| (c, *id)))
                .filter(|&(c, id)| {
                    let now = finder(&self.languages, &l.chain, id);
                    let before = finder(&old.languages, &l.chain, id);
                    now != before || now == Some(c)
                })
                .map(|(_, id)| id.to_string())
                .collect();
            if !ids.is_empty() {
                out.insert(l.lang.clone(), ids);
            }
        }
        Some(out)
    }

    fn language(&self, lang: &str) -> Option<usize> {
        self.languages.iter().position(|l| l.lang == lang)
    }

    fn chain(&self, start: usize) -> Vec<&Language> {
        self.languages
            .get(start)
            .map(|l| {
                l.chain
                    .iter()
                    .filter_map(|&i| self.languages.get(i))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[allow(
        clippy::expect_used,
        reason = "`load` only builds `Locales` with the index of a loaded reference language"
    )]
    fn reference(&self) -> &Language {
        self.languages
            .get(self.reference)
            .expect("reference index is valid")
    }
}

/// A formatting error in the user's words: `unknown variable: $name`.
fn describe_error(e: &fluent_bundle::FluentError) -> String {
    match e {
        fluent_bundle::FluentError::ResolverError(r) => catalog::lower_first(&r.to_string()),
        other => catalog::lower_first(&other.to_string()),
    }
}

fn fluent_args(
    args: &serde_json::Map<String, serde_json::Value>,
) -> Result<FluentArgs<'_>, LookupError> {
    use serde_json::Value;
    let mut out = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        match value {
            Value::Number(n) => {
                if let Some(f) = n.as_f64() {
                    out.set(name.as_str(), FluentValue::from(f));
                }
            }
            Value::String(s) => out.set(name.as_str(), FluentValue::from(s.as_str())),
            Value::Bool(b) => out.set(name.as_str(), FluentValue::from(b.to_string())),
            Value::Null => {}
            Value::Array(_) | Value::Object(_) => {
                return Err(LookupError::BadArgument { name: name.clone() });
            }
        }
    }
    Ok(out)
}

/// Removes the U+2068/U+2069 marks Fluent puts around placeables, for text that ends up in
/// attributes, `<title>` and feeds, where the marks are only noise.
pub fn strip_isolation(s: &str) -> Cow<'_, str> {
    if s.contains(['\u{2068}', '\u{2069}']) {
        Cow::Owned(s.replace(['\u{2068}', '\u{2069}'], ""))
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests;
