//! The translator workflow on disk: `locales/translations.lock` (the reference hash each
//! translation was confirmed against), `sync` (lists missing messages in the translation files,
//! baselines the lockfile), `confirm`, and Pontoon's `l10n.toml`. Only appends to `.ftl` files.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::catalog::{self, Entry};
use super::{Language, Locales};
use crate::diag::{Diagnostic, LineIndex};

/// Relative to the site root.
pub(super) const LOCKFILE: &str = "locales/translations.lock";
const VERSION: u32 = 1;
const HEADER: &str = "# Written by `tre`. For each language and message: the first 16 hex digits of\n\
# the SHA-256 of the reference message when its translation was last confirmed.\n\
# A translation is outdated when the reference message no longer has that hash.\n\n";

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Lockfile {
    pub version: u32,
    #[serde(default)]
    pub reference: String,
    /// Language → message id → hash.
    #[serde(default)]
    pub hashes: BTreeMap<String, BTreeMap<String, String>>,
}

/// Reads the lockfile; a missing one is empty. Problems are errors at their position.
pub(super) fn read(root: &Path) -> (Lockfile, Vec<Diagnostic>) {
    let path = root.join(LOCKFILE);
    if !path.exists() {
        return (Lockfile::default(), Vec::new());
    }
    let (text, mut problems) = match catalog::load_text(&path, Path::new(LOCKFILE)) {
        Ok(read) => read,
        Err(d) => return (Lockfile::default(), vec![d]),
    };
    match toml::from_str::<Lockfile>(&text) {
        Ok(lock) if lock.version == VERSION => (lock, problems),
        Ok(lock) => {
            problems.push(
                Diagnostic::error(
                    LOCKFILE,
                    None,
                    format!("unsupported lockfile version {}", lock.version),
                )
                .with_help(format!("this version of tre writes version {VERSION}")),
            );
            (Lockfile::default(), problems)
        }
        Err(e) => {
            let at = e.span().map(|s| LineIndex::new(&text).locate(s.start));
            let message = e.message().trim_end_matches('\n').to_owned();
            problems.push(Diagnostic::error(LOCKFILE, at, message));
            (Lockfile::default(), problems)
        }
    }
}

/// Writes the lockfile beside itself first, then renames it over the old one.
fn write(root: &Path, lock: &Lockfile) -> Result<(), Diagnostic> {
    let body = toml::to_string(lock)
        .map_err(|e| Diagnostic::error(LOCKFILE, None, format!("cannot write: {e}")))?;
    let path = root.join(LOCKFILE);
    let temp = path.with_extension("lock.tmp");
    let io = |e: std::io::Error| Diagnostic::error(LOCKFILE, None, format!("cannot write: {e}"));
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(io)?;
    }
    fs::write(&temp, format!("{HEADER}{body}")).map_err(io)?;
    fs::rename(&temp, &path).map_err(io)
}

/// What [`sync`] changed.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    /// Language → file (relative to the site root) → ids appended as `# MISSING:` comments.
    pub appended: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// Language → ids whose reference hash was recorded in the lockfile for the first time.
    pub baselined: BTreeMap<String, Vec<String>>,
}

/// Lists every missing message at the end of the matching file of each language (the file with
/// the same name as the reference file that defines it, created if needed) as a comment:
/// `# MISSING: welcome = Chào mừng { $name }`. Ids already listed so are not listed again, and
/// nothing existing is rewritten. Then records in the lockfile the current reference hash of
/// every translated message that has none yet, so the first sync is the baseline.
pub fn sync(root: &Path, locales: &Locales) -> Result<SyncReport, Vec<Diagnostic>> {
    let (mut lock, reference) = open(root, locales)?;
    let mut report = SyncReport::default();
    let mut problems = Vec::new();
    for language in targets(locales, reference) {
        for (file_name, missing) in missing_by_file(language, reference) {
            match append_missing(root, &language.lang, &file_name, &missing) {
                Ok((rel, ids)) if !ids.is_empty() => {
                    let files = report.appended.entry(language.lang.clone()).or_default();
                    files.insert(rel, ids);
                }
                Ok(_) => {}
                Err(d) => problems.push(d),
            }
        }
        let hashes = lock.hashes.entry(language.lang.clone()).or_default();
        let mut baselined = Vec::new();
        for id in language.entries.keys() {
            if let Some(source) = reference.entries.get(id) {
                if !hashes.contains_key(id) {
                    hashes.insert(id.clone(), source.hash.clone());
                    baselined.push(id.clone());
                }
            }
        }
        if !baselined.is_empty() {
            report.baselined.insert(language.lang.clone(), baselined);
        }
    }
    if !report.baselined.is_empty() || !root.join(LOCKFILE).exists() {
        if let Err(d) = write(root, &lock) {
            problems.push(d);
        }
    }
    if problems.is_empty() {
        Ok(report)
    } else {
        Err(problems)
    }
}

/// Which messages [`confirm`] marks as up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection<'a> {
    /// Every message the language translates.
    All,
    Only(&'a [&'a str]),
}

/// Records that the translations of `which` in `lang` match the reference as it is now, so
/// they are no longer outdated. Returns the ids confirmed.
pub fn confirm(
    root: &Path,
    locales: &Locales,
    lang: &str,
    which: Selection<'_>,
) -> Result<Vec<String>, Vec<Diagnostic>> {
    let (mut lock, reference) = open(root, locales)?;
    let cannot = |m: String| Diagnostic::error(LOCKFILE, None, m);
    let language = locales
        .languages
        .iter()
        .find(|l| l.lang == lang && l.lang != reference.lang)
        .ok_or_else(|| {
            vec![cannot(format!(
                "cannot confirm translations of `{lang}`: it is not a configured language other than the reference"
            ))]
        })?;
    let ids: Vec<&str> = match which {
        Selection::All => language
            .entries
            .keys()
            .filter(|id| reference.entries.contains_key(*id))
            .map(String::as_str)
            .collect(),
        Selection::Only(ids) => ids.to_vec(),
    };
    let mut problems = Vec::new();
    let hashes = lock.hashes.entry(lang.to_owned()).or_default();
    for id in &ids {
        match (
            reference.entries.get(*id),
            language.entries.contains_key(*id),
        ) {
            (Some(source), true) => {
                hashes.insert((*id).to_owned(), source.hash.clone());
            }
            (None, _) => problems.push(cannot(format!(
                "cannot confirm `{id}` in `{lang}`: the reference `{}` does not have it",
                reference.lang
            ))),
            (Some(_), false) => problems.push(cannot(format!(
                "cannot confirm `{id}` in `{lang}`: it is not translated"
            ))),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    write(root, &lock).map_err(|d| vec![d])?;
    Ok(ids.into_iter().map(str::to_owned).collect())
}

/// Reads the lockfile for changing it: any problem in it, or a lockfile made against another
/// reference language, stops the change instead of overwriting what we could not read.
fn open<'l>(
    root: &Path,
    locales: &'l Locales,
) -> Result<(Lockfile, &'l Language), Vec<Diagnostic>> {
    let (mut lock, problems) = read(root);
    if !problems.is_empty() {
        return Err(problems);
    }
    let reference = locales.reference();
    if !lock.reference.is_empty() && lock.reference != reference.lang {
        return Err(vec![
            Diagnostic::error(
                LOCKFILE,
                None,
                format!(
                    "the lockfile was written against `{}`, not `{}`",
                    lock.reference, reference.lang
                ),
            )
            .with_help("move it away and run sync again to start a new baseline"),
        ]);
    }
    lock.version = VERSION;
    lock.reference.clone_from(&reference.lang);
    Ok((lock, reference))
}

fn targets<'l>(
    locales: &'l Locales,
    reference: &'l Language,
) -> impl Iterator<Item = &'l Language> {
    locales
        .languages
        .iter()
        .filter(move |l| l.lang != reference.lang)
}

/// Reference messages `language` neither defines nor has a broken entry for, grouped by the
/// name of the reference file that defines them, in the order of that file.
fn missing_by_file<'r>(
    language: &Language,
    reference: &'r Language,
) -> BTreeMap<String, Vec<(&'r str, &'r Entry)>> {
    let broken: BTreeSet<&str> = language
        .junk
        .iter()
        .filter_map(|j| j.id.as_deref())
        .collect();
    let mut by_file: BTreeMap<String, Vec<(&str, &Entry)>> = BTreeMap::new();
    for (id, entry) in &reference.entries {
        if !language.entries.contains_key(id) && !broken.contains(id.as_str()) {
            let list = by_file.entry(entry.file_name.clone()).or_default();
            list.push((id.as_str(), entry));
        }
    }
    for list in by_file.values_mut() {
        list.sort_by_key(|(_, e)| e.at);
    }
    by_file
}

const MARKER: &str = "# MISSING: ";

/// Appends the `# MISSING:` blocks not yet in the file; returns its relative path and the ids.
fn append_missing(
    root: &Path,
    lang: &str,
    file_name: &str,
    missing: &[(&str, &Entry)],
) -> Result<(String, Vec<String>), Diagnostic> {
    let rel = PathBuf::from("locales").join(lang).join(file_name);
    let rel_text = rel.to_string_lossy().replace('\\', "/");
    let path = root.join(&rel);
    let existing = if path.exists() {
        catalog::load_text(&path, &rel)?.0
    } else {
        String::new()
    };
    let listed: BTreeSet<&str> = existing
        .lines()
        .filter_map(|l| l.strip_prefix(MARKER))
        .filter_map(|rest| rest.split([' ', '=']).next())
        .collect();
    let mut block = String::new();
    let mut ids = Vec::new();
    for (id, entry) in missing.iter().filter(|(id, _)| !listed.contains(id)) {
        block.push('\n');
        for (i, line) in entry.source.lines().enumerate() {
            block.push_str(if i == 0 { MARKER } else { "# " });
            block.push_str(line);
            block.push('\n');
        }
        ids.push((*id).to_owned());
    }
    if ids.is_empty() {
        return Ok((rel_text, ids));
    }
    let lead = match existing.is_empty() || existing.ends_with('\n') {
        true => "",
        false => "\n",
    };
    let block = if existing.is_empty() {
        block.trim_start_matches('\n').to_owned()
    } else {
        format!("{lead}{block}")
    };
    let io = |e: std::io::Error| Diagnostic::error(&rel, None, format!("cannot write: {e}"));
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(io)?;
    }
    let mut file = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(io)?;
    file.write_all(block.as_bytes()).map_err(io)?;
    Ok((rel_text, ids))
}

/// Writes `l10n.toml` at the site root: the project configuration Pontoon (and Mozilla's
/// compare-locales) read, naming the reference directory explicitly so Pontoon accepts `vi`
/// as the source language. Returns the path written, relative to the root.
pub fn write_l10n_toml(root: &Path, locales: &Locales) -> Result<PathBuf, Vec<Diagnostic>> {
    #[derive(Serialize)]
    struct Config<'a> {
        basepath: &'a str,
        locales: Vec<&'a str>,
        paths: Vec<Paths>,
    }
    #[derive(Serialize)]
    struct Paths {
        reference: String,
        l10n: &'static str,
    }
    let reference = locales.reference();
    let config = Config {
        basepath: ".",
        locales: targets(locales, reference)
            .map(|l| l.lang.as_str())
            .collect(),
        paths: vec![Paths {
            reference: format!("locales/{}/**", reference.lang),
            l10n: "locales/{locale}/**",
        }],
    };
    let rel = PathBuf::from("l10n.toml");
    let cannot = |e: String| vec![Diagnostic::error(&rel, None, format!("cannot write: {e}"))];
    let body = toml::to_string(&config).map_err(|e| cannot(e.to_string()))?;
    let text = format!("# Written by `tre`: Pontoon project configuration.\n\n{body}");
    fs::write(root.join(&rel), text).map_err(|e| cannot(e.to_string()))?;
    Ok(rel)
}
