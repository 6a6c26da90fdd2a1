//! Links loaded pages and sections into a `Library`: parents, ancestors, subsections,
//! section page order (Zola's `sort_by`), translations and per-language taxonomies.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::config::{Config, TaxonomyConfig};
use crate::diag::{self, Diagnostic};
use crate::text::slugify_path;

use super::{Item, Page, Section, virtual_home};

/// Everything in `content/`, linked together. Indices are stable for the whole build.
#[derive(Debug, Default)]
pub struct Library {
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    /// By path relative to `content/` (`blog/a.en.md`), as `@/` links and `get_page` name them.
    pub by_relative: HashMap<String, Item>,
    /// Items sharing a canonical path, one per language, default language first. Content-fallback
    /// copies are not translations and are not here.
    pub translations: HashMap<String, Vec<Item>>,
    /// Content-fallback copies by canonical path, in the config's language order.
    pub fallbacks: HashMap<String, Vec<Item>>,
    pub taxonomies: Vec<Taxonomy>,
    pub warnings: Vec<Diagnostic>,
    /// Pages left out because their `publish_at` is still to come: when, and the file, soonest
    /// first.
    pub scheduled: Vec<(chrono::DateTime<chrono::FixedOffset>, std::path::PathBuf)>,
    /// The units (`[extra.unit]` sections), by directory.
    pub units: Vec<super::Unit>,
}

/// One taxonomy in one language.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub config: TaxonomyConfig,
    pub slug: String,
    pub path: String,
    pub permalink: String,
    /// Sorted by slug, then name, as Zola sorts them.
    pub terms: Vec<Term>,
}

/// One term of a taxonomy with its pages, newest first.
#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub path: String,
    pub permalink: String,
    pub pages: Vec<usize>,
}

/// Zola's `sort_by` values (content/section.md, "Sorting").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    None,
    Date,
    UpdateDate,
    Title,
    TitleBytes,
    Weight,
    Slug,
    Permalink,
}

impl SortBy {
    pub fn parse(s: Option<&str>) -> SortBy {
        match s {
            Some("date") => SortBy::Date,
            Some("update_date") => SortBy::UpdateDate,
            Some("title") => SortBy::Title,
            Some("title_bytes") => SortBy::TitleBytes,
            Some("weight") => SortBy::Weight,
            Some("slug") => SortBy::Slug,
            Some("permalink") => SortBy::Permalink,
            _ => SortBy::None,
        }
    }
}

impl Library {
    /// The pages that get an HTML file: those listed by a section, and orphans. Like Zola,
    /// a page its section cannot sort (no date, weight…) is not written, though it stays in
    /// taxonomies, feeds and the sitemap (content/section.md, "Sorting"). A withdrawn page
    /// is listed nowhere but keeps its URL, where its notice is written.
    pub fn written_pages(&self) -> Vec<usize> {
        let mut listed = vec![false; self.pages.len()];
        for s in &self.sections {
            for &p in &s.pages {
                listed[p] = true;
            }
        }
        (0..self.pages.len())
            .filter(|&i| {
                let p = &self.pages[i];
                p.is_rendered() && (listed[i] || p.parent.is_none() || p.is_withdrawn())
            })
            .collect()
    }

    /// The unit an item belongs to: the deepest unit whose directory holds it.
    pub fn unit_of(&self, item: Item) -> Option<&super::Unit> {
        let components = match item {
            Item::Page(i) => &self.pages[i].source.components,
            Item::Section(i) => &self.sections[i].source.components,
        };
        super::unit::unit_of(&self.units, components).map(|u| &self.units[u])
    }

    /// A unit's home section in `lang` (its translation or content-fallback copy).
    pub fn unit_home(&self, unit: &super::Unit, lang: &str) -> Option<usize> {
        self.sections
            .iter()
            .position(|s| s.source.lang == lang && s.source.components.join("/") == unit.dir)
    }

    pub fn get(&self, relative: &str) -> Option<Item> {
        self.by_relative.get(relative).copied()
    }

    /// The home section of a language.
    pub fn home(&self, lang: &str) -> Option<usize> {
        self.sections
            .iter()
            .position(|s| s.is_home() && s.source.lang == lang)
    }

    pub fn item_lang(&self, item: Item) -> &str {
        match item {
            Item::Page(i) => &self.pages[i].source.lang,
            Item::Section(i) => &self.sections[i].source.lang,
        }
    }

    pub fn item_permalink(&self, item: Item) -> &str {
        match item {
            Item::Page(i) => &self.pages[i].permalink,
            Item::Section(i) => &self.sections[i].permalink,
        }
    }

    pub fn item_title(&self, item: Item) -> Option<&str> {
        match item {
            Item::Page(i) => self.pages[i].meta.title.as_deref(),
            Item::Section(i) => self.sections[i].meta.title.as_deref(),
        }
    }

    pub fn item_canonical(&self, item: Item) -> &str {
        match item {
            Item::Page(i) => &self.pages[i].source.canonical,
            Item::Section(i) => &self.sections[i].source.canonical,
        }
    }

    pub fn item_relative(&self, item: Item) -> &str {
        match item {
            Item::Page(i) => &self.pages[i].source.relative,
            Item::Section(i) => &self.sections[i].source.relative,
        }
    }

    /// The same content in every language it exists in, default language first.
    pub fn translations_of(&self, item: Item) -> &[Item] {
        self.translations
            .get(self.item_canonical(item))
            .map_or(&[], Vec::as_slice)
    }

    /// The content-fallback copies of the same content in other languages' URL spaces.
    pub fn fallbacks_of(&self, item: Item) -> &[Item] {
        self.fallbacks
            .get(self.item_canonical(item))
            .map_or(&[], Vec::as_slice)
    }

    /// The item showing the same content in `lang`'s URL space: its translation or its
    /// content-fallback copy.
    pub fn version_in(&self, item: Item, lang: &str) -> Option<Item> {
        self.translations_of(item)
            .iter()
            .chain(self.fallbacks_of(item))
            .copied()
            .find(|&it| self.item_lang(it) == lang)
    }

    /// Whether the item is a content-fallback copy.
    pub fn is_fallback(&self, item: Item) -> bool {
        match item {
            Item::Page(i) => self.pages[i].fallback.is_some(),
            Item::Section(i) => self.sections[i].fallback.is_some(),
        }
    }

    /// The language the item's text is written in (the source's, for a fallback copy).
    pub fn item_content_lang(&self, item: Item) -> &str {
        match item {
            Item::Page(i) => self.pages[i].content_lang(),
            Item::Section(i) => self.sections[i].content_lang(),
        }
    }

    pub fn taxonomy(&self, name: &str, lang: &str) -> Option<&Taxonomy> {
        self.taxonomies
            .iter()
            .find(|t| t.config.name == name && t.config.lang == lang)
    }
}

/// Links pages and sections; every problem found is returned at once.
pub(super) fn build(
    config: &Config,
    content_dir: &Path,
    pages: Vec<Page>,
    mut sections: Vec<Section>,
    warnings: Vec<Diagnostic>,
) -> Result<Library, Vec<Diagnostic>> {
    for lang in &config.languages {
        if !sections
            .iter()
            .any(|s| s.is_home() && s.source.lang == lang.code)
        {
            sections.push(virtual_home(config, &lang.code, content_dir));
        }
    }
    let mut lib = Library {
        pages,
        sections,
        warnings,
        ..Library::default()
    };
    index_paths(&mut lib);
    link_sections(&mut lib);
    link_pages(&mut lib);
    sort_sections(&mut lib);
    let mut errors = build_taxonomies(&mut lib, config);
    errors.extend(super::output_paths::check(&lib));
    errors.extend(super::output_paths::check_clashes(config, &lib));
    index_translations(&mut lib, config);
    if errors.is_empty() {
        Ok(lib)
    } else {
        diag::sort(&mut errors);
        Err(errors)
    }
}

/// Fills `by_relative`.
fn index_paths(lib: &mut Library) {
    for (i, s) in lib.sections.iter().enumerate() {
        lib.by_relative
            .insert(s.source.relative.clone(), Item::Section(i));
    }
    for (i, p) in lib.pages.iter().enumerate() {
        lib.by_relative
            .insert(p.source.relative.clone(), Item::Page(i));
    }
}

/// Key of a section's directory and language, to find parents by directory.
fn dir_key(components: &[String], lang: &str) -> (String, String) {
    (components.join("/"), lang.to_string())
}

fn link_sections(lib: &mut Library) {
    let by_dir: HashMap<(String, String), usize> = lib
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| (dir_key(&s.source.components, &s.source.lang), i))
        .collect();
    let n = lib.sections.len();
    for i in 0..n {
        let comps = lib.sections[i].source.components.clone();
        let lang = lib.sections[i].source.lang.clone();
        if comps.is_empty() {
            continue;
        }
        let mut ancestors = Vec::new();
        for depth in 0..comps.len() {
            if let Some(&a) = by_dir.get(&dir_key(&comps[..depth], &lang)) {
                ancestors.push(lib.sections[a].source.relative.clone());
            }
        }
        lib.sections[i].ancestors = ancestors;
        if let Some(&p) = by_dir.get(&dir_key(&comps[..comps.len() - 1], &lang)) {
            lib.sections[i].parent = Some(p);
            lib.sections[p].subsections.push(i);
        }
    }
    let weights: Vec<i64> = lib
        .sections
        .iter()
        .map(|s| s.meta.weight.unwrap_or(0))
        .collect();
    let rels: Vec<String> = lib
        .sections
        .iter()
        .map(|s| s.source.relative.clone())
        .collect();
    for s in &mut lib.sections {
        s.subsections.sort_by(|a, b| {
            weights[*a]
                .cmp(&weights[*b])
                .then_with(|| rels[*a].cmp(&rels[*b]))
        });
    }
}

fn link_pages(lib: &mut Library) {
    let by_dir: HashMap<(String, String), usize> = lib
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| (dir_key(&s.source.components, &s.source.lang), i))
        .collect();
    for pi in 0..lib.pages.len() {
        let page = &lib.pages[pi];
        let Some(&parent) = by_dir.get(&dir_key(&page.source.components, &page.source.lang)) else {
            continue;
        };
        let is_rendered = page.is_rendered();
        let mut ancestors = lib.sections[parent].ancestors.clone();
        ancestors.push(lib.sections[parent].source.relative.clone());
        let page = &mut lib.pages[pi];
        page.parent = Some(parent);
        page.ancestors = ancestors;
        // A withdrawn page keeps its URL and parent but leaves its section's lists.
        if !is_rendered || page.is_withdrawn() {
            continue;
        }
        if page_template_unset(&lib.pages[pi]) {
            lib.pages[pi].meta.template = inherited_template(lib, parent);
        }
        // Transparent sections pass their pages up (content/section.md, "transparent").
        // Zola then gives the page the ancestors of the last section it was passed to.
        let mut at = parent;
        loop {
            lib.sections[at].pages.push(pi);
            match lib.sections[at].parent {
                Some(up) if lib.sections[at].meta.transparent => at = up,
                _ => break,
            }
        }
        if at != parent {
            let mut ancestors = lib.sections[at].ancestors.clone();
            ancestors.push(lib.sections[at].source.relative.clone());
            lib.pages[pi].ancestors = ancestors;
        }
    }
}

/// The `page_template` a page in section `parent` gets when it names no template: the
/// nearest one set on the section or above it.
pub(super) fn inherited_template(lib: &Library, parent: usize) -> Option<String> {
    let section = lib.sections.get(parent)?;
    section
        .ancestors
        .iter()
        .chain(std::iter::once(&section.source.relative))
        .rev()
        .filter_map(|rel| lib.sections.iter().find(|s| &s.source.relative == rel))
        .find_map(|s| s.meta.page_template.clone())
}

/// Whether a section that lists page `pi` (its own, or one its transparent sections pass it
/// up to) sorts by title: then the title decides order and neighbours.
pub(super) fn is_sorted_by_title(lib: &Library, pi: usize) -> bool {
    let mut at = lib.pages.get(pi).and_then(|p| p.parent);
    while let Some(si) = at {
        let Some(s) = lib.sections.get(si) else { break };
        if matches!(s.sort_by(), SortBy::Title | SortBy::TitleBytes) {
            return true;
        }
        at = if s.meta.transparent { s.parent } else { None };
    }
    false
}

fn page_template_unset(p: &Page) -> bool {
    p.meta.template.is_none()
}

/// Whether page `pi`, as `fresh` (its dates changed), keeps its place in every list the
/// library sorts it in: each section listing it (and keeps the key it sorts by), each of its
/// terms. Then its neighbours and every order stay as a full load makes them.
pub(super) fn keeps_place(lib: &Library, pi: usize, fresh: &Page) -> bool {
    let fits = |list: &[usize], by: SortBy, needs_key: bool| {
        let Some(at) = list.iter().position(|&p| p == pi) else {
            return true;
        };
        let before = at.checked_sub(1).map(|j| &lib.pages[list[j]]);
        let after = list.get(at + 1).map(|&j| &lib.pages[j]);
        (!needs_key || has_sort_key(fresh, by))
            && before.is_none_or(|b| compare(b, fresh, by).is_lt())
            && after.is_none_or(|a| compare(fresh, a, by).is_lt())
    };
    lib.sections
        .iter()
        .all(|s| !s.ignored_pages.contains(&pi) && fits(&s.pages, s.sort_by(), true))
        && lib
            .taxonomies
            .iter()
            .flat_map(|t| &t.terms)
            .all(|term| fits(&term.pages, SortBy::Date, false))
}

/// Sorts each section's pages and links `lower`/`higher` neighbours.
fn sort_sections(lib: &mut Library) {
    for si in 0..lib.sections.len() {
        let sort_by = lib.sections[si].sort_by();
        let pages = std::mem::take(&mut lib.sections[si].pages);
        let (mut kept, ignored): (Vec<usize>, Vec<usize>) = pages
            .into_iter()
            .partition(|&p| has_sort_key(&lib.pages[p], sort_by));
        kept.sort_by(|&a, &b| compare(&lib.pages[a], &lib.pages[b], sort_by));
        // As in Zola, neighbours come from the non-transparent section a page ends up in: a
        // transparent section's pages get theirs from its parent's listing.
        if sort_by != SortBy::None && !lib.sections[si].meta.transparent {
            for (i, &p) in kept.iter().enumerate() {
                lib.pages[p].lower = i.checked_sub(1).and_then(|j| kept.get(j).copied());
                lib.pages[p].higher = kept.get(i + 1).copied();
            }
        }
        for &p in &ignored {
            lib.warnings.push(Diagnostic::warning(
                &lib.pages[p].source.file,
                None,
                format!("skipped: its section sorts by {sort_by:?} and the page has no such value")
                    .to_lowercase(),
            ));
        }
        lib.sections[si].pages = kept;
        lib.sections[si].ignored_pages = ignored;
    }
}

fn has_sort_key(p: &Page, by: SortBy) -> bool {
    match by {
        SortBy::Date | SortBy::UpdateDate => {
            p.date.is_some() || p.updated.is_some() && by == SortBy::UpdateDate
        }
        SortBy::Title | SortBy::TitleBytes => p.meta.title.is_some(),
        SortBy::Weight => p.meta.weight.is_some(),
        _ => true,
    }
}

/// Zola breaks ties by permalink.
fn compare(a: &Page, b: &Page, by: SortBy) -> Ordering {
    let primary = match by {
        SortBy::Date => b
            .date
            .as_ref()
            .map(|d| d.at)
            .cmp(&a.date.as_ref().map(|d| d.at)),
        // Zola sorts by the later of `date` and `updated`.
        SortBy::UpdateDate => {
            let au = a
                .date
                .as_ref()
                .map(|d| d.at)
                .max(a.updated.as_ref().map(|d| d.at));
            let bu = b
                .date
                .as_ref()
                .map(|d| d.at)
                .max(b.updated.as_ref().map(|d| d.at));
            bu.cmp(&au)
        }
        SortBy::Title => lexical_sort::natural_lexical_cmp(
            a.meta.title.as_deref().unwrap_or(""),
            b.meta.title.as_deref().unwrap_or(""),
        ),
        SortBy::TitleBytes => a.meta.title.cmp(&b.meta.title),
        SortBy::Weight => a.meta.weight.cmp(&b.meta.weight),
        SortBy::Slug => lexical_sort::natural_lexical_cmp(&a.slug, &b.slug),
        SortBy::Permalink | SortBy::None => Ordering::Equal,
    };
    let tie = if by == SortBy::None {
        a.source.relative.cmp(&b.source.relative)
    } else {
        a.permalink.cmp(&b.permalink)
    };
    primary.then(tie)
}

fn build_taxonomies(lib: &mut Library, config: &Config) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for lang in &config.languages {
        for tc in &lang.taxonomies {
            let slug = slugify_path(&tc.name, config.slugify.taxonomies);
            let mut path = config.lang_prefix(&lang.code);
            if let Some(root) = &config.taxonomy_root {
                path.push('/');
                path.push_str(root.trim_matches('/'));
            }
            path = format!("{path}/{slug}/");
            lib.taxonomies.push(Taxonomy {
                config: tc.clone(),
                permalink: config.permalink(&path),
                slug,
                path,
                terms: Vec::new(),
            });
        }
    }
    let mut terms: Vec<BTreeMap<String, Vec<usize>>> = vec![BTreeMap::new(); lib.taxonomies.len()];
    for (pi, page) in lib.pages.iter().enumerate() {
        // A fallback copy's terms are its source's, listed in the source's language.
        if !page.is_listed() || page.fallback.is_some() {
            continue;
        }
        for (name, values) in &page.meta.taxonomies {
            let Some(ti) = lib
                .taxonomies
                .iter()
                .position(|t| &t.config.name == name && t.config.lang == page.source.lang)
            else {
                errors.push(
                    Diagnostic::error(
                        &page.source.file,
                        None,
                        format!(
                            "taxonomy `{name}` is not defined for language `{}`",
                            page.source.lang
                        ),
                    )
                    .with_help(format!(
                        "add {{name = \"{name}\"}} to `taxonomies` in config.toml{}",
                        if page.source.lang == config.default_language {
                            String::new()
                        } else {
                            format!(" under [languages.{}]", page.source.lang)
                        }
                    )),
                );
                continue;
            };
            for v in values {
                terms[ti].entry(v.clone()).or_default().push(pi);
            }
        }
    }
    for (ti, map) in terms.into_iter().enumerate() {
        let base = lib.taxonomies[ti].path.clone();
        let mut list: Vec<Term> = map
            .into_iter()
            .map(|(name, mut pages)| {
                pages.sort_by(|&a, &b| compare(&lib.pages[a], &lib.pages[b], SortBy::Date));
                let slug = slugify_path(&name, config.slugify.taxonomies);
                let path = format!("{base}{slug}/");
                Term {
                    permalink: config.permalink(&path),
                    name,
                    slug,
                    path,
                    pages,
                }
            })
            .collect();
        list.sort_by(|a, b| a.slug.cmp(&b.slug).then_with(|| a.name.cmp(&b.name)));
        lib.taxonomies[ti].terms = merge_same_slug(list);
    }
    errors
}

/// Zola keeps one term per URL: of names with the same slug ("Rust", "rust") the first by
/// name stays, and the others' pages are appended to its own.
fn merge_same_slug(sorted: Vec<Term>) -> Vec<Term> {
    let mut merged: Vec<Term> = Vec::with_capacity(sorted.len());
    for term in sorted {
        match merged.last_mut() {
            Some(prev) if prev.slug == term.slug => prev.pages.extend(term.pages),
            _ => merged.push(term),
        }
    }
    merged
}

fn index_translations(lib: &mut Library, config: &Config) {
    let order: HashMap<&str, usize> = config
        .languages
        .iter()
        .enumerate()
        .map(|(i, l)| (l.code.as_str(), i))
        .collect();
    let mut map: HashMap<String, Vec<Item>> = HashMap::new();
    let mut copies: HashMap<String, Vec<Item>> = HashMap::new();
    for (i, s) in lib.sections.iter().enumerate() {
        let map = if s.fallback.is_some() {
            &mut copies
        } else {
            &mut map
        };
        map.entry(s.source.canonical.clone())
            .or_default()
            .push(Item::Section(i));
    }
    for (i, p) in lib.pages.iter().enumerate() {
        let map = if p.fallback.is_some() {
            &mut copies
        } else {
            &mut map
        };
        map.entry(p.source.canonical.clone())
            .or_default()
            .push(Item::Page(i));
    }
    for items in map.values_mut().chain(copies.values_mut()) {
        items.sort_by_key(|&it| order.get(lib.item_lang(it)).copied().unwrap_or(usize::MAX));
    }
    lib.translations = map;
    lib.fallbacks = copies;
}
