//! Walks `content/`, checks UTF-8 and NFC, reads front matter, and builds the `Library`:
//! pages, sections, translations and taxonomies, with Zola's paths and sort orders.
//! It renders no Markdown and does not know Tera exists.

pub mod editorial;
mod fallback;
pub mod front_matter;
mod library;
mod output_paths;
pub mod unit;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use rayon::prelude::*;
use regex::Regex;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diag::{self, Diagnostic, LineIndex};
use crate::text::{self, slugify_path};
pub use editorial::{Editorial, Status, Visibility};
pub use front_matter::{Date, PageFrontMatter, SectionFrontMatter};
pub use library::{Library, SortBy, Taxonomy, Term};
pub use unit::Unit;

/// A content file as read: where it is, its language, and its NFC text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the site root, for diagnostics: `content/blog/a.en.md`.
    pub file: PathBuf,
    /// Relative to `content/`, as Zola's `relative_path`: `blog/a.en.md`.
    pub relative: String,
    /// The directory names between `content/` and the file (the page's own dir excluded).
    pub components: Vec<String>,
    /// File stem without the language: `a` for `a.en.md`.
    pub name: String,
    pub lang: String,
    /// The key its translations share: `blog/a` (or `blog/_index`).
    pub canonical: String,
    /// The directory of a colocated `index.md`, relative to content, with a trailing `/`.
    pub colocated_path: Option<String>,
    /// Absolute path of the directory holding the file.
    pub dir: PathBuf,
    pub text: String,
    pub body_start: usize,
}

impl SourceFile {
    pub fn body(&self) -> &str {
        self.text.get(self.body_start..).unwrap_or("")
    }
}

/// A page: a Markdown file other than `_index.md`.
#[derive(Debug, Clone)]
pub struct Page {
    pub source: SourceFile,
    pub meta: PageFrontMatter,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub slug: String,
    /// Site path, starting and ending with `/`.
    pub path: String,
    pub permalink: String,
    pub components: Vec<String>,
    /// Absolute paths of colocated files, copied beside the page.
    pub assets: Vec<PathBuf>,
    /// Index into `Library::sections` of the section holding it, if any.
    pub parent: Option<usize>,
    /// Relative paths of the sections above it, from the home section down.
    pub ancestors: Vec<String>,
    /// Neighbours in the parent section's order (Zola's `lower`/`higher`).
    pub lower: Option<usize>,
    pub higher: Option<usize>,
    pub extra: serde_json::Value,
    /// Set on a content-fallback copy (see `fallback`): `source.lang` is then the language whose
    /// URL space the copy is in, and this names the language and file its text comes from.
    pub fallback: Option<FallbackSource>,
    pub editorial: Editorial,
}

/// The item a content-fallback copy shows: its language and its path relative to `content/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FallbackSource {
    pub lang: String,
    pub relative: String,
}

impl Page {
    /// The language the text is written in: the source's for a content-fallback copy.
    pub fn content_lang(&self) -> &str {
        self.fallback
            .as_ref()
            .map_or(&self.source.lang, |f| &f.lang)
    }

    pub fn title(&self) -> Option<&str> {
        self.meta.title.as_deref()
    }

    pub fn is_rendered(&self) -> bool {
        self.meta.render.unwrap_or(true)
    }

    /// What of the page decides how the library links it: its URL, the keys its sections and
    /// terms sort by (the title only where a section sorts by title), the lists and terms it
    /// is in, its template and aliases. Two parses of a file with the same shape link alike;
    /// what else differs (title, description, extra…) only shows where the page is shown.
    pub fn shape(&self, is_sorted_by_title: bool) -> impl PartialEq + '_ {
        let meta = PageFrontMatter {
            title: self.meta.title.clone().filter(|_| is_sorted_by_title),
            description: None,
            authors: Vec::new(),
            in_search_index: None,
            extra: toml::Table::new(),
            translated_from: None,
            ..self.meta.clone()
        };
        let links = (self.parent, &self.ancestors, self.lower, self.higher);
        let at = (&self.path, &self.permalink, &self.slug, &self.components);
        let when = (&self.date, &self.updated, &self.editorial);
        (meta, links, at, when, &self.assets)
    }

    /// Withdrawn: built as a notice at its URL, listed nowhere (see `Visibility::Withdrawn`).
    pub fn is_withdrawn(&self) -> bool {
        self.editorial.is_withdrawn()
    }

    /// Whether lists, feeds, taxonomies, search and the sitemap show the page.
    pub fn is_listed(&self) -> bool {
        self.is_rendered() && !self.is_withdrawn()
    }
}

/// A section: a directory with an `_index.md` (or the home, which always exists).
#[derive(Debug, Clone)]
pub struct Section {
    pub source: SourceFile,
    pub meta: SectionFrontMatter,
    pub path: String,
    pub permalink: String,
    pub components: Vec<String>,
    pub assets: Vec<PathBuf>,
    /// Pages in this section (and in transparent subsections), in `sort_by` order.
    pub pages: Vec<usize>,
    /// Pages skipped because they lack the key the section sorts by.
    pub ignored_pages: Vec<usize>,
    pub subsections: Vec<usize>,
    pub parent: Option<usize>,
    pub ancestors: Vec<String>,
    pub extra: serde_json::Value,
    /// True for a home section made up because `content/_index.md` does not exist.
    pub is_virtual: bool,
    /// As `Page::fallback`.
    pub fallback: Option<FallbackSource>,
}

impl Section {
    /// The language the text is written in: the source's for a content-fallback copy.
    pub fn content_lang(&self) -> &str {
        self.fallback
            .as_ref()
            .map_or(&self.source.lang, |f| &f.lang)
    }

    pub fn is_home(&self) -> bool {
        self.source.components.is_empty()
    }

    pub fn is_rendered(&self) -> bool {
        self.meta.render.unwrap_or(true)
    }

    pub fn sort_by(&self) -> SortBy {
        SortBy::parse(self.meta.sort_by.as_deref())
    }

    /// As `Page::shape`: all but what only shows where the section is shown.
    pub fn shape(&self) -> impl PartialEq + '_ {
        // `[extra.unit]` declares a unit, which the whole library links by.
        let unit = self.meta.extra.get("unit").cloned();
        let meta = SectionFrontMatter {
            title: None,
            description: None,
            in_search_index: None,
            extra: unit
                .map(|u| toml::Table::from_iter([("unit".to_string(), u)]))
                .unwrap_or_default(),
            translated_from: None,
            ..self.meta.clone()
        };
        let links = (self.parent, &self.ancestors, &self.subsections);
        let lists = (&self.pages, &self.ignored_pages, self.is_virtual);
        let at = (&self.path, &self.permalink, &self.components);
        (meta, links, lists, at, &self.assets)
    }
}

/// Either kind of content, as found by its relative path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Item {
    Page(usize),
    Section(usize),
}

/// Reads every Markdown file under `content/` and builds the library.
pub fn load(root: &Path, config: &Config) -> Result<Library, Vec<Diagnostic>> {
    let content_dir = root.join("content");
    let (md_files, problems) = walk(&content_dir, root, config);
    let (index_files, page_files): (Vec<PathBuf>, Vec<PathBuf>) =
        md_files.into_iter().partition(|p| is_section_file(p));
    // Zola reads `_index.md` and `_index.<other language>.md` only: `_index.fr.md` where `fr`
    // is the default language is skipped, so `_index.md` wins (components/site/src/lib.rs).
    let (index_files, unread): (Vec<PathBuf>, Vec<PathBuf>) = index_files
        .into_iter()
        .partition(|p| is_read_section_file(p, config));
    let mut warnings: Vec<Diagnostic> = unread
        .iter()
        .map(|p| {
            Diagnostic::warning(
                diag::relative(root, p),
                None,
                "skipped: a section file is `_index.md`, or `_index.<language>.md` for a language other than the default",
            )
            .with_help("rename it to `_index.md`, as Zola reads only that name for the default language")
        })
        .collect();
    // Sections first: a draft section takes its whole folder out, pages, subsections and the
    // other languages' `_index.*.md` included, as Zola skips the folder
    // (content/section.md, `draft`). Nothing in it is read, so nothing in it can fail the build.
    let sections: Vec<(&PathBuf, LoadResult)> = index_files
        .par_iter()
        .map(|path| (path, load_file(root, &content_dir, path, config)))
        .collect();
    let draft_dirs: Vec<&Path> = sections
        .iter()
        .filter(|(_, r)| matches!(r, Ok((Some(Loaded::DraftSection), _))))
        .filter_map(|(path, _)| path.parent())
        .collect();
    let is_kept = |path: &Path| !draft_dirs.iter().any(|d| path.starts_with(d));
    let pages: Vec<LoadResult> = page_files
        .par_iter()
        .filter(|path| is_kept(path))
        .map(|path| load_file(root, &content_dir, path, config))
        .collect();
    let read = sections
        .into_iter()
        .filter(|(path, _)| path.parent().is_some_and(is_kept))
        .map(|(_, r)| r)
        .chain(pages);
    let mut errors = problems;
    let mut loaded = Vec::new();
    for r in read {
        match r {
            Ok((item, mut w)) => {
                warnings.append(&mut w);
                loaded.extend(item);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        diag::sort(&mut errors);
        return Err(errors);
    }
    let mut pages = Vec::new();
    let mut sections = Vec::new();
    let mut scheduled = Vec::new();
    for l in loaded {
        match l {
            Loaded::Page(p) => pages.push(*p),
            Loaded::Section(s) => sections.push(*s),
            Loaded::DraftSection => {}
            Loaded::Scheduled(at, file) => scheduled.push((at, file)),
        }
    }
    let units = unit::find(config, &sections)?;
    check_unit_languages(&units, &pages, &sections)?;
    for s in &mut sections {
        // A unit has its own feeds, in each of its languages, unless its section says no. A
        // unit at the root (the province itself) has the site's feeds: its own would be written
        // at their paths, and replace them.
        let dir = s.source.components.join("/");
        let is_unit_home = !dir.is_empty() && units.iter().any(|u| u.dir == dir);
        if is_unit_home && s.meta.generate_feeds.or(s.meta.generate_feed).is_none() {
            s.meta.generate_feeds = Some(true);
        }
    }
    fallback::add_copies(config, &mut pages, &mut sections);
    let mut lib = library::build(config, &content_dir, pages, sections, warnings)?;
    scheduled.sort();
    lib.scheduled = scheduled;
    let broken = unit::check_links(&units, &lib.sections, &|p| lib.get(p).is_some());
    if !broken.is_empty() {
        return Err(broken);
    }
    lib.units = units;
    Ok(lib)
}

/// A unit with `languages` publishes in those only: a file of another language in it is an
/// error (readers of that language see the content-fallback copy, where it is enabled).
fn check_unit_languages(
    units: &[Unit],
    pages: &[Page],
    sections: &[Section],
) -> Result<(), Vec<Diagnostic>> {
    let sources = pages
        .iter()
        .map(|p| &p.source)
        .chain(sections.iter().filter(|s| !s.is_virtual).map(|s| &s.source));
    let mut errors = Vec::new();
    for src in sources {
        let Some(u) = unit::unit_of(units, &src.components).map(|i| &units[i]) else {
            continue;
        };
        if !u.has_language(&src.lang) {
            errors.push(
                Diagnostic::error(
                    &src.file,
                    None,
                    format!(
                        "unit `{}` does not publish in `{}` (its `languages` leave it out)",
                        u.dir, src.lang
                    ),
                )
                .with_help(format!(
                    "remove the file, or add \"{}\" to `languages` in [extra.unit] of {}",
                    src.lang,
                    u.file.display()
                )),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        diag::sort(&mut errors);
        Err(errors)
    }
}

/// An edited file parsed again, linked as its item was: what `Library::replace` swaps in.
pub struct Reparsed {
    item: Item,
    fresh: Loaded,
}

/// Parses the file of `item` again, without reading the rest of `content/`. `None` when the
/// edit can change how the library links (paths, order, neighbours, lists, terms,
/// translations, content-fallback copies, templates) or its load warnings: then only a full
/// `load` makes the right library.
pub fn reparse(
    root: &Path,
    config: &Config,
    lib: &Library,
    item: Item,
) -> Result<Option<Reparsed>, Vec<Diagnostic>> {
    let content_dir = root.join("content");
    let old_file = match item {
        Item::Page(i) => lib.pages.get(i).map(|p| &p.source.file),
        Item::Section(i) => lib.sections.get(i).map(|s| &s.source.file),
    };
    let Some(old_file) = old_file else {
        return Ok(None);
    };
    let has_warnings = lib.warnings.iter().any(|w| &w.file == old_file);
    if lib.is_fallback(item) || !lib.fallbacks_of(item).is_empty() || has_warnings {
        return Ok(None);
    }
    let path = content_dir.join(lib.item_relative(item));
    let (loaded, warnings) = load_file(root, &content_dir, &path, config)?;
    if !warnings.is_empty() {
        return Ok(None);
    }
    let fresh = match (item, loaded) {
        (Item::Page(i), Some(Loaded::Page(mut fresh))) => {
            let old = &lib.pages[i];
            fresh.parent = old.parent;
            fresh.ancestors.clone_from(&old.ancestors);
            fresh.lower = old.lower;
            fresh.higher = old.higher;
            if let Some(parent) = fresh.parent
                && fresh.is_rendered()
                && fresh.meta.template.is_none()
            {
                fresh.meta.template = library::inherited_template(lib, parent);
            }
            let by_title = library::is_sorted_by_title(lib, i);
            if fresh.shape(by_title) != old.shape(by_title)
                && !(is_shaped_alike_but_dates(&fresh, old, by_title)
                    && library::keeps_place(lib, i, &fresh))
            {
                return Ok(None);
            }
            Loaded::Page(fresh)
        }
        (Item::Section(i), Some(Loaded::Section(mut fresh))) => {
            let old = &lib.sections[i];
            fresh.pages.clone_from(&old.pages);
            fresh.ignored_pages.clone_from(&old.ignored_pages);
            fresh.subsections.clone_from(&old.subsections);
            fresh.parent = old.parent;
            fresh.ancestors.clone_from(&old.ancestors);
            if fresh.shape() != old.shape() {
                return Ok(None);
            }
            Loaded::Section(fresh)
        }
        _ => return Ok(None),
    };
    Ok(Some(Reparsed { item, fresh }))
}

/// Whether `fresh` has `old`'s shape but for its dates: a new date that moves the page in no
/// list (`library::keeps_place`) is then an edit of what the page shows, not of the links.
fn is_shaped_alike_but_dates(fresh: &Page, old: &Page, by_title: bool) -> bool {
    let mut probe = fresh.clone();
    probe.date.clone_from(&old.date);
    probe.updated.clone_from(&old.updated);
    probe.meta.date.clone_from(&old.meta.date);
    probe.meta.updated.clone_from(&old.meta.updated);
    probe.shape(by_title) == old.shape(by_title)
}

impl Library {
    /// Swaps in an item parsed again; the library is then as a full `load` would make it.
    pub fn replace(&mut self, r: Reparsed) {
        match (r.item, r.fresh) {
            (Item::Page(i), Loaded::Page(p)) => {
                if let Some(slot) = self.pages.get_mut(i) {
                    *slot = *p;
                }
            }
            (Item::Section(i), Loaded::Section(s)) => {
                if let Some(slot) = self.sections.get_mut(i) {
                    *slot = *s;
                }
            }
            _ => {}
        }
    }
}

fn is_section_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n == "_index.md" || n.starts_with("_index."))
}

fn is_read_section_file(path: &Path, config: &Config) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name == "_index.md"
        || name
            .strip_prefix("_index.")
            .and_then(|rest| rest.strip_suffix(".md"))
            .is_some_and(|lang| lang != config.default_language && config.language(lang).is_some())
}

enum Loaded {
    Page(Box<Page>),
    Section(Box<Section>),
    /// A section with `draft = true`, in a build without `--drafts`.
    DraftSection,
    /// A page whose `publish_at` is after the build's instant: when, and its file.
    Scheduled(chrono::DateTime<chrono::FixedOffset>, PathBuf),
}

/// Every `.md` file under `content/`, sorted for a stable order, minus `ignored_content` and
/// hidden files and folders (`.draft.md`, an editor's `.#page.md`), which Zola skips too.
fn walk(content_dir: &Path, root: &Path, config: &Config) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let walker = WalkDir::new(content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_skipped(e.path(), content_dir, config));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e
                    .path()
                    .map(|p| diag::relative(root, p))
                    .unwrap_or_default();
                problems.push(Diagnostic::error(p, None, format!("cannot read: {e}")));
                continue;
            }
        };
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        if path.to_str().is_none() {
            problems.push(
                Diagnostic::error(
                    diag::relative(root, path),
                    None,
                    "the file name is not valid UTF-8",
                )
                .with_help("rename the file using UTF-8 characters"),
            );
            continue;
        }
        files.push(path.to_path_buf());
    }
    (files, problems)
}

/// Whether the `.md` file at `path`, which the library does not hold, adds a page or section
/// to it: not skipped (nor a folder above it), not inside a draft section, and itself neither
/// a draft, unpublished nor scheduled. `tre serve` then knows before loading the content
/// again that the library's shape changes, and that everything is rendered again.
pub fn adds_an_item(root: &Path, config: &Config, path: &Path) -> bool {
    let content_dir = root.join("content");
    let Ok(rel) = path.strip_prefix(&content_dir) else {
        return false;
    };
    let mut at = content_dir.clone();
    for part in rel.components() {
        at.push(part);
        if is_skipped(&at, &content_dir, config) {
            return false;
        }
        let Some(dir) = at.parent().filter(|d| d.starts_with(&content_dir)) else {
            continue;
        };
        let is_draft_section = |p: &Path| {
            matches!(
                load_file(root, &content_dir, p, config),
                Ok((Some(Loaded::DraftSection), _))
            )
        };
        let indexes = fs::read_dir(dir).into_iter().flatten().flatten();
        if indexes
            .map(|e| e.path())
            .filter(|p| *p != at && is_section_file(p) && is_read_section_file(p, config))
            .any(|p| is_draft_section(&p))
        {
            return false;
        }
    }
    matches!(
        load_file(root, &content_dir, path, config),
        Ok((Some(Loaded::Page(_) | Loaded::Section(_)), _))
    )
}

/// A file or folder under `content/` that is not part of the site: hidden, an editor's
/// leftover, or matched by `ignored_content` (a matched folder takes its contents with it).
fn is_skipped(path: &Path, content_dir: &Path, config: &Config) -> bool {
    let hidden = path
        .file_name()
        .is_some_and(|n| text::is_hidden(&n.to_string_lossy()));
    hidden
        || config
            .ignored_content
            .is_match(path.strip_prefix(content_dir).unwrap_or(path))
}

type LoadResult = Result<(Option<Loaded>, Vec<Diagnostic>), Vec<Diagnostic>>;

fn load_file(root: &Path, content_dir: &Path, path: &Path, config: &Config) -> LoadResult {
    let file = diag::relative(root, path);
    let bytes = fs::read(path)
        .map_err(|e| vec![Diagnostic::error(&file, None, format!("cannot read: {e}"))])?;
    let mut warnings = Vec::new();
    let text = decode(&file, bytes, &mut warnings)?;
    let split = front_matter::split(&file, &text).map_err(|d| vec![d])?;
    let is_section = is_section_file(path);
    // The text moves into the source once parsing is done: at 10k pages a copy of every
    // file cost more than reading them.
    let mut source = source_file(
        &file,
        content_dir,
        path,
        config,
        String::new(),
        split.body_start,
    )?;
    if is_section {
        let meta: SectionFrontMatter =
            front_matter::parse(&file, &text, &split).map_err(|d| vec![d])?;
        let mut errors = take_errors(
            front_matter::unknown_keys(
                &file,
                &text,
                &split,
                front_matter::keys_of::<SectionFrontMatter>(),
            ),
            &mut warnings,
        );
        let is_hidden = editorial::is_section_hidden(meta.status.as_deref()).unwrap_or_else(|m| {
            let offset = front_matter::key_offset(split.front_matter, "status").unwrap_or(0);
            let at = LineIndex::new(&text).locate(split.fm_start + offset);
            errors.push(
                Diagnostic::error(&file, Some(at), format!("front matter: {m}"))
                    .with_help(editorial::STATUS_HELP),
            );
            false
        });
        if !errors.is_empty() {
            return Err(errors);
        }
        if (meta.draft || is_hidden) && !config.include_drafts {
            return Ok((Some(Loaded::DraftSection), warnings));
        }
        source.text = text;
        let section = new_section(source, meta, content_dir, config);
        return Ok((Some(Loaded::Section(Box::new(section))), warnings));
    }
    let meta: PageFrontMatter = front_matter::parse(&file, &text, &split).map_err(|d| vec![d])?;
    let key_errors = take_errors(
        front_matter::unknown_keys(
            &file,
            &text,
            &split,
            front_matter::keys_of::<PageFrontMatter>(),
        ),
        &mut warnings,
    );
    if meta.draft && !config.include_drafts && key_errors.is_empty() {
        return Ok((None, warnings));
    }
    let date = front_matter::check_date(&file, &text, &split, "date", &meta.date);
    let updated = front_matter::check_date(&file, &text, &split, "updated", &meta.updated);
    let editorial = editorial::read(&file, &text, &split, &meta, &config.editorial);
    let (date, updated, editorial) = match (date, updated, editorial) {
        (Ok(d), Ok(u), Ok(e)) if key_errors.is_empty() => (d, u, e),
        (d, u, e) => {
            let mut errors = key_errors;
            errors.extend(d.err().into_iter().chain(u.err()));
            errors.extend(e.err().into_iter().flatten());
            diag::sort(&mut errors);
            return Err(errors);
        }
    };
    match editorial.visibility(meta.draft, &config.editorial) {
        _ if config.include_drafts => {}
        Visibility::Live | Visibility::Withdrawn => {}
        Visibility::Unpublished => return Ok((None, warnings)),
        Visibility::Scheduled(at) => return Ok((Some(Loaded::Scheduled(at, file)), warnings)),
    }
    source.text = text;
    let mut page = new_page(source, meta, date, updated, config).map_err(|d| vec![d])?;
    page.editorial = editorial;
    Ok((Some(Loaded::Page(Box::new(page))), warnings))
}

/// Moves the warnings of `problems` into `warnings` and returns its errors.
fn take_errors(problems: Vec<Diagnostic>, warnings: &mut Vec<Diagnostic>) -> Vec<Diagnostic> {
    let (errors, rest): (Vec<_>, Vec<_>) = problems.into_iter().partition(Diagnostic::is_error);
    warnings.extend(rest);
    errors
}

/// A content file's text as `load` reads it (UTF-8 checked, NFC), for `tre serve` to tell a
/// body-only edit from one that changes the library.
pub fn read_text(root: &Path, path: &Path) -> Result<String, Vec<Diagnostic>> {
    let file = diag::relative(root, path);
    let bytes = fs::read(path)
        .map_err(|e| vec![Diagnostic::error(&file, None, format!("cannot read: {e}"))])?;
    decode(&file, bytes, &mut Vec::new())
}

/// UTF-8 check and NFC normalisation; NFD text is normalised with one warning for the file.
fn decode(
    file: &Path,
    bytes: Vec<u8>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<String, Vec<Diagnostic>> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..good]).into_owned();
        let at = LineIndex::new(&prefix).locate(prefix.len());
        vec![
            Diagnostic::error(file, Some(at), "the file is not valid UTF-8")
                .with_help("save the file as UTF-8 (not Windows-1258 or VNI)"),
        ]
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Ok(match text::nfc(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(n) => {
            warnings.push(
                Diagnostic::warning(
                    file,
                    None,
                    "the text is not in Unicode NFC; it was normalised",
                )
                .with_help(
                    "save the file in NFC (most editors have an option) so search and links match",
                ),
            );
            n
        }
    })
}

fn source_file(
    file: &Path,
    content_dir: &Path,
    path: &Path,
    config: &Config,
    text: String,
    body_start: usize,
) -> Result<SourceFile, Vec<Diagnostic>> {
    let rel = path.strip_prefix(content_dir).unwrap_or(path);
    let rel_str = rel.to_string_lossy().replace('\\', "/");
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut components: Vec<String> = rel_str.split('/').map(str::to_string).collect();
    components.pop();
    let (name, lang) = split_lang(&stem, config).map_err(|m| {
        vec![Diagnostic::error(file, None, m).with_help(format!(
            "add [languages.{}] to config.toml or rename the file",
            stem.split_once('.').map_or("", |(_, l)| l)
        ))]
    })?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut colocated_path = None;
    if name == "index" && !components.is_empty() {
        colocated_path = Some(format!("{}/", components.join("/")));
        components.pop();
    }
    let canonical = match &colocated_path {
        Some(c) => format!("{c}index"),
        None if components.is_empty() => name.clone(),
        None => format!("{}/{}", components.join("/"), name),
    };
    Ok(SourceFile {
        file: file.to_path_buf(),
        relative: rel_str,
        components,
        name,
        lang,
        canonical,
        colocated_path,
        dir,
        text,
        body_start,
    })
}

/// `post.en` → (`post`, `en`); Zola splits at the first dot and requires a known language.
fn split_lang(stem: &str, config: &Config) -> Result<(String, String), String> {
    if !config.is_multilingual() {
        return Ok((stem.to_string(), config.default_language.clone()));
    }
    match stem.split_once('.') {
        None => Ok((stem.to_string(), config.default_language.clone())),
        // Zola keeps the default language's code in the name: `foo.fr.md` with
        // `default_language = "fr"` is the page `foo.fr`, at `…/foo-fr/`
        // (components/content/src/file_info.rs, `find_language`).
        Some((_, lang)) if lang == config.default_language => {
            Ok((stem.to_string(), config.default_language.clone()))
        }
        Some((name, lang)) if config.language(lang).is_some() => {
            Ok((name.to_string(), lang.to_string()))
        }
        Some((_, lang)) => Err(format!(
            "the file name says its language is `{lang}`, which is not in config.toml `languages`"
        )),
    }
}

/// `2018-10-10-hello` or an RFC 3339 datetime, then `_`/`-` and a slug (content/page.md).
static DATED_NAME: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used, reason = "a constant pattern")]
    Regex::new(
        r"^(?P<datetime>(\d{4})-(\d{2})-(\d{2})([T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?)(\s?(_|-)(?P<slug>.+))?$",
    )
    .expect("valid regex")
});

fn new_page(
    source: SourceFile,
    meta: PageFrontMatter,
    mut date: Option<Date>,
    updated: Option<Date>,
    config: &Config,
) -> Result<Page, Diagnostic> {
    let name_for_slug = match &source.colocated_path {
        Some(c) => c
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_string(),
        None => source.name.clone(),
    };
    let mut dated_slug = None;
    if let Some(caps) = DATED_NAME.captures(&name_for_slug) {
        if let Some(s) = caps.name("slug")
            && !config.slugify.paths_keep_dates
        {
            dated_slug = Some(s.as_str().to_string());
        }
        if date.is_none() {
            date = caps.name("datetime").and_then(|d| Date::parse(d.as_str()));
        }
    }
    if meta.slug.as_deref().is_some_and(|s| s.trim().is_empty()) {
        return Err(
            Diagnostic::error(&source.file, None, "front matter: `slug` is empty")
                .with_help("remove `slug` or give it a value"),
        );
    }
    let slug_source = meta.slug.clone().or(dated_slug).unwrap_or(name_for_slug);
    let slug = slugify_path(&slug_source, config.slugify.paths);
    let mut path = match &meta.path {
        Some(p) if p.trim().is_empty() => {
            return Err(
                Diagnostic::error(&source.file, None, "front matter: `path` is empty")
                    .with_help("remove `path` or give it a value"),
            );
        }
        Some(p) => {
            let p = p.trim();
            if p.starts_with('/') {
                p.to_string()
            } else {
                format!("/{p}")
            }
        }
        None => {
            let mut p = if source.components.is_empty() {
                if source.name == "index" && source.colocated_path.is_none() {
                    String::new()
                } else {
                    slug.clone()
                }
            } else {
                format!("{}/{}", source.components.join("/"), slug)
            };
            if source.lang != config.default_language {
                p = format!("{}/{}", source.lang, p);
            }
            format!("/{p}")
        }
    };
    if !path.ends_with('/') {
        path.push('/');
    }
    let components = path
        .split('/')
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    let permalink = config.permalink(&path);
    let extra = front_matter::extra_json(&meta.extra);
    let assets = match &source.colocated_path {
        Some(_) => find_assets(&source.dir, true, config),
        None => Vec::new(),
    };
    Ok(Page {
        source,
        meta,
        date,
        updated,
        slug,
        path,
        permalink,
        components,
        assets,
        parent: None,
        ancestors: Vec::new(),
        lower: None,
        higher: None,
        extra,
        fallback: None,
        editorial: Editorial::default(),
    })
}

fn new_section(
    source: SourceFile,
    meta: SectionFrontMatter,
    _content: &Path,
    config: &Config,
) -> Section {
    let mut path = config.lang_prefix(&source.lang);
    for c in &source.components {
        path.push('/');
        path.push_str(c);
    }
    path.push('/');
    let components = path
        .split('/')
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    let permalink = config.permalink(&path);
    let extra = front_matter::extra_json(&meta.extra);
    let assets = find_assets(&source.dir, false, config);
    Section {
        source,
        meta,
        path,
        permalink,
        components,
        assets,
        pages: Vec::new(),
        ignored_pages: Vec::new(),
        subsections: Vec::new(),
        parent: None,
        ancestors: Vec::new(),
        extra,
        is_virtual: false,
        fallback: None,
    }
}

/// Non-Markdown files beside a colocated page (recursively) or a section (its own dir only),
/// without hidden files, editors' leftovers and `ignored_content`.
fn find_assets(dir: &Path, recursive: bool, config: &Config) -> Vec<PathBuf> {
    let content_dir = config.root.join("content");
    if !recursive {
        // A section's folder can hold thousands of pages: list it once, without sorting (or
        // matching `ignored_content` against) the Markdown files, which are not assets.
        let Ok(entries) = fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut found: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .filter(|e| {
                Path::new(&e.file_name())
                    .extension()
                    .is_none_or(|x| x != "md")
            })
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.path())
            .filter(|p| !is_skipped(p, &content_dir, config))
            .collect();
        found.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
        return found;
    }
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_skipped(e.path(), &content_dir, config))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_none_or(|e| e != "md"))
        .collect()
}

/// A home section for a language whose `content/_index.md` does not exist (Zola makes one too).
fn virtual_home(config: &Config, lang: &str, content_dir: &Path) -> Section {
    let relative = if lang == config.default_language {
        "_index.md".to_string()
    } else {
        format!("_index.{lang}.md")
    };
    let source = SourceFile {
        file: PathBuf::from("content").join(&relative),
        relative,
        components: Vec::new(),
        name: "_index".into(),
        lang: lang.to_string(),
        canonical: "_index".into(),
        colocated_path: None,
        dir: content_dir.to_path_buf(),
        text: String::new(),
        body_start: 0,
    };
    let mut s = new_section(source, SectionFrontMatter::default(), content_dir, config);
    s.assets.clear();
    s.is_virtual = true;
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dated_file_names_give_date_and_slug() {
        let caps = DATED_NAME.captures("2018-10-10-hello-world").unwrap();
        assert_eq!(&caps["datetime"], "2018-10-10");
        assert_eq!(&caps["slug"], "hello-world");
        assert!(
            DATED_NAME
                .captures("2018-10-10")
                .unwrap()
                .name("slug")
                .is_none()
        );
        assert!(DATED_NAME.captures("hello").is_none());
    }
}
