//! The site as JSON for Tera, built once per build and shared by every render job and every
//! template function: pages, sections, taxonomies and the per-language config, as Zola shapes them.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use serde_json::{Map, Value, json};

use crate::compressed::Compressed;
use crate::config::{Config, Language, TaxonomyConfig};
use crate::content::{Item, Library, Page, Section, Taxonomy, Term};
use crate::markdown::MarkdownConfig;
use crate::output::{Contents, OutputFile};

use super::body::{Bodies, Body};

/// Everything templates can reach, serialised once.
#[derive(Clone)]
pub struct SiteData {
    pub config: Config,
    /// The site's Markdown options, for the `markdown` filter.
    pub markdown: MarkdownConfig,
    /// `config` as templates see it, per language.
    pub config_json: HashMap<String, Value>,
    /// Each page as Zola's `Page`, without `lower`/`higher`, `content` and `toc`.
    pub pages: Vec<PageData>,
    /// Each page's `content` and `toc`, shared with the bodies: `page()` adds them.
    pub heavy: Vec<Heavy>,
    /// Each section without its pages; `section_full` adds them when a template needs them.
    pub sections_meta: Vec<Value>,
    /// The pages of each section, in order.
    pub section_pages: Vec<Vec<usize>>,
    /// `get_section`'s value, per section and per how much of its pages templates read, and
    /// `get_page`'s, per page: built once and cloned for every later call (see `Memo`).
    pub full_sections: Vec<SectionMemos>,
    pub full_pages: Vec<Memo>,
    pub by_relative: HashMap<String, Item>,
    /// Taxonomies by (name, lang); their JSON is built only when `get_taxonomy` asks.
    pub taxonomies: HashMap<(String, String), Taxonomy>,
    /// Term permalinks by (taxonomy, lang, term slug).
    pub term_urls: HashMap<(String, String, String), String>,
    /// Colocated assets by the path they are written to (`es/blog/card.jpg`), for functions
    /// that look a file up where the build writes it, as Zola's do.
    pub output_assets: HashMap<String, PathBuf>,
    /// Files the build makes before rendering (search indexes, `elasticlunr.min.js`) by
    /// output path, which `get_url(cachebust=true)` and `get_hash` find as Zola's find them
    /// in the output directory.
    pub generated: HashMap<String, Vec<u8>>,
}

impl SiteData {
    pub fn build(
        config: &Config,
        markdown: &MarkdownConfig,
        lib: &Library,
        bodies: &Bodies,
    ) -> SiteData {
        let config_json = config
            .languages
            .iter()
            .map(|l| (l.code.clone(), config_for(config, l)))
            .collect();
        let shared = SharedFields::new(lib);
        let pages: Vec<PageData> = lib
            .pages
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                let item = Item::Page(i);
                let json = page_json(lib, p, &bodies.pages[i], bodies, item, &shared);
                PageData::new(json, &shared, lib.item_canonical(item))
            })
            .collect();
        let sections_meta: Vec<Value> = lib
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| section_json(lib, s, &bodies.sections[i], bodies, Item::Section(i)))
            .collect();
        let mut term_urls = HashMap::new();
        for t in &lib.taxonomies {
            for term in &t.terms {
                term_urls.insert(
                    (
                        t.config.name.clone(),
                        t.config.lang.clone(),
                        term.slug.clone(),
                    ),
                    term.permalink.clone(),
                );
            }
        }
        SiteData {
            config: config.clone(),
            markdown: markdown.clone(),
            config_json,
            pages,
            heavy: bodies.pages.iter().map(Heavy::of).collect(),
            sections_meta,
            section_pages: lib.sections.iter().map(|s| s.pages.clone()).collect(),
            full_sections: lib
                .sections
                .iter()
                .map(|_| SectionMemos::default())
                .collect(),
            full_pages: lib.pages.iter().map(|_| Memo::default()).collect(),
            by_relative: lib.by_relative.clone(),
            taxonomies: lib
                .taxonomies
                .iter()
                .map(|t| ((t.config.name.clone(), t.config.lang.clone()), t.clone()))
                .collect(),
            term_urls,
            output_assets: output_assets(lib),
            generated: HashMap::new(),
        }
    }

    /// The same data with `files` as the files made before rendering.
    pub fn with_generated(mut self, files: &[OutputFile]) -> Self {
        self.generated = generated_map(files);
        self
    }

    /// The source of the colocated asset written to `path` (leading `/` and doubled `/`
    /// ignored): a section's assets go beside each of its languages' `index.html`.
    pub fn output_asset(&self, path: &str) -> Option<&PathBuf> {
        let parts: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
        self.output_assets.get(&parts.join("/"))
    }

    /// What a shortcode in the body of `item` sees of it, a view of the same JSON templates
    /// see: Zola gives shortcodes the page less what only rendering makes (content, summary,
    /// toc, word counts) and what the library links (lower, higher, translations).
    pub fn shortcode_view(&self, item: Item) -> Value {
        let view: Map<String, Value> = match item {
            Item::Page(i) => {
                let Some(page) = self.pages.get(i) else {
                    return Value::Null;
                };
                PAGE_SHORTCODE_KEYS
                    .iter()
                    .map(|k| (k.to_string(), page.get(k).into_owned()))
                    .collect()
            }
            Item::Section(i) => {
                let Some(Value::Object(full)) = self.sections_meta.get(i) else {
                    return Value::Null;
                };
                SECTION_SHORTCODE_KEYS
                    .iter()
                    .filter_map(|k| Some((k.to_string(), full.get(*k)?.clone())))
                    .collect()
            }
        };
        Value::Object(view)
    }

    /// Page `i` as Zola's `Page` (without `lower`/`higher`), with its `content` and `toc`.
    pub fn page(&self, i: usize) -> Value {
        self.page_only(i, u64::MAX)
    }

    /// Page `i` as the site data holds it, without `content` and `toc`.
    pub fn page_without_body(&self, i: usize) -> Value {
        self.page_only(i, !field_mask(["content", "toc"]))
    }

    /// `get_page`'s value: page `i`, shared between calls.
    pub fn shared_page(&self, i: usize) -> Value {
        match self.full_pages.get(i) {
            Some(memo) => memo.get_or(|| self.page(i)),
            None => self.page(i),
        }
    }

    /// `get_section`'s value without `metadata_only`: section `i` with its pages as `lists`
    /// says (the fields the calling template can read), shared between calls.
    pub fn shared_section(&self, i: usize, lists: Lists) -> Value {
        match self.full_sections.get(i) {
            Some(memos) => memos.of(lists).get_or(|| self.section_full(i, lists)),
            None => self.section_full(i, lists),
        }
    }

    /// Forgets the shared values `item`'s JSON went into: its own, and for a page, those of
    /// the sections that list it. Call it whenever `pages`, `heavy` or `sections_meta` change.
    pub fn forget_shared(&mut self, item: Item) {
        match item {
            Item::Page(i) => {
                if let Some(m) = self.full_pages.get_mut(i) {
                    *m = Memo::default();
                }
                for (s, pages) in self.section_pages.iter().enumerate() {
                    if pages.contains(&i)
                        && let Some(m) = self.full_sections.get_mut(s)
                    {
                        *m = SectionMemos::default();
                    }
                }
            }
            Item::Section(i) => {
                if let Some(m) = self.full_sections.get_mut(i) {
                    *m = SectionMemos::default();
                }
            }
        }
    }

    /// Page `i` with only the fields of `PAGE_FIELDS` set in `mask`.
    pub fn page_only(&self, i: usize, mask: u64) -> Value {
        let Some(page) = self.pages.get(i) else {
            return Value::Null;
        };
        let heavy = self.heavy.get(i);
        let mut out = Map::new();
        for (b, name) in PAGE_FIELDS.iter().enumerate() {
            if mask & (1 << b) == 0 {
                continue;
            }
            let value = match (*name, heavy) {
                ("content", Some(h)) => Value::String(h.content.text().into_owned()),
                ("toc", Some(h)) => toc_value(&h.toc),
                ("content" | "toc", None) => continue,
                _ => page.field(b).into_owned(),
            };
            out.insert((*name).to_string(), value);
        }
        Value::Object(out)
    }

    /// Page `i` as a list item, or nothing for `Lists::None`.
    pub fn list_page(&self, i: usize, lists: Lists) -> Option<Value> {
        match lists {
            Lists::None => None,
            Lists::Only(mask) => Some(self.page_only(i, mask)),
            Lists::Full => Some(self.page(i)),
        }
    }

    pub fn term_json(&self, term: &Term, lists: Lists) -> Value {
        let list: Vec<Value> = term
            .pages
            .iter()
            .filter_map(|&i| self.list_page(i, lists))
            .collect();
        json!({
            "name": term.name,
            "slug": term.slug,
            "path": term.path,
            "permalink": term.permalink,
            "pages": list,
            "page_count": term.pages.len(),
        })
    }

    /// A section as Zola's `Section`, with its pages as `lists` says.
    pub fn section_full(&self, i: usize, lists: Lists) -> Value {
        let mut v = self.sections_meta[i].clone();
        if let Some(obj) = v.as_object_mut() {
            let pages = self.section_pages[i]
                .iter()
                .filter_map(|&p| self.list_page(p, lists))
                .collect();
            obj.insert("pages".into(), Value::Array(pages));
        }
        v
    }

    /// `get_taxonomy`'s value.
    pub fn taxonomy_json(&self, t: &Taxonomy) -> Value {
        let items: Vec<Value> = t
            .terms
            .iter()
            .map(|term| self.term_json(term, Lists::Full))
            .collect();
        json!({
            "kind": taxonomy_config_json(&t.config),
            "items": items,
            "lang": t.config.lang,
            "permalink": t.permalink,
        })
    }

    pub fn permalink_of(&self, relative: &str) -> Option<&str> {
        match self.by_relative.get(relative)? {
            Item::Page(i) => self.pages[*i].get_str("permalink"),
            Item::Section(i) => self.sections_meta[*i]["permalink"].as_str(),
        }
    }
}

/// `config` in templates: the language's title, description and taxonomies, as Zola does.
/// Like Zola's, its `languages` lists the other languages, not the one being rendered.
fn config_for(config: &Config, lang: &Language) -> Value {
    let languages: Map<String, Value> = config
        .languages
        .iter()
        .filter(|l| l.code != lang.code)
        .map(|l| {
            (
                l.code.clone(),
                json!({
                    "title": l.title,
                    "description": l.description,
                    "generate_feeds": l.generate_feeds,
                    "feed_filenames": l.feed_filenames,
                    "taxonomies": l.taxonomies.iter().map(taxonomy_config_json).collect::<Vec<_>>(),
                    "build_search_index": l.build_search_index,
                    "translations": l.translations,
                    "fallback": l.fallback,
                }),
            )
        })
        .collect();
    json!({
        "base_url": config.base_url,
        "mode": config.mode,
        "title": lang.title,
        "description": lang.description,
        "languages": languages,
        "default_language": config.default_language,
        "generate_feeds": lang.generate_feeds,
        "feed_filenames": lang.feed_filenames,
        "taxonomies": lang.taxonomies.iter().map(taxonomy_config_json).collect::<Vec<_>>(),
        "author": config.author,
        "build_search_index": lang.build_search_index,
        "extra": config.extra,
        "markdown": config.markdown,
        "search": lang.search,
        // As Zola 0.22's serialized config: no top-level `translations` (a theme's
        // `{% if config.translations %}` must take the other branch), but the sitemap flags.
        "generate_feed": lang.generate_feeds,
        "generate_sitemap": config.generate_sitemap,
        "generate_robots_txt": config.generate_robots_txt,
        "exclude_paginated_pages_in_sitemap":
            if config.exclude_paginated_pages_in_sitemap { "all" } else { "none" },
    })
}

pub fn taxonomy_config_json(t: &TaxonomyConfig) -> Value {
    json!({
        "name": t.name,
        "slug": t.slug,
        "paginate_by": t.paginate_by,
        "paginate_path": t.paginate_path,
        "feed": t.feed,
        "render": t.render,
        "lang": t.lang,
    })
}

/// Zola's `TranslatedContent` list for an item, in the config's language order.
pub fn translations_json(lib: &Library, item: Item) -> Value {
    let list: Vec<Value> = lib
        .translations_of(item)
        .iter()
        .map(|&t| {
            json!({
                "lang": lib.item_lang(t),
                "permalink": lib.item_permalink(t),
                "title": lib.item_title(t),
                "path": lib.item_relative(t),
            })
        })
        .collect();
    Value::Array(list)
}

fn date_parts(p: &Page) -> (Value, Value, Value) {
    use chrono::Datelike;
    match &p.date {
        Some(d) => (json!(d.at.year()), json!(d.at.month()), json!(d.at.day())),
        None => (Value::Null, Value::Null, Value::Null),
    }
}

/// Files made in memory by output path, for `SiteData::generated`.
pub fn generated_map(files: &[OutputFile]) -> HashMap<String, Vec<u8>> {
    files
        .iter()
        .filter_map(|f| match &f.contents {
            Contents::Bytes(b) => Some((f.path.trim_start_matches('/').to_string(), b.clone())),
            Contents::CopyOf(_) => None,
        })
        .collect()
}

fn output_assets(lib: &Library) -> HashMap<String, PathBuf> {
    let items = lib
        .sections
        .iter()
        .map(|s| (&s.path, &s.assets))
        .chain(lib.pages.iter().map(|p| (&p.path, &p.assets)));
    let mut map = HashMap::new();
    for (dir, assets) in items {
        for a in assets {
            if let Some(name) = a.file_name() {
                let key = format!("{dir}{}", name.to_string_lossy());
                map.insert(key.trim_start_matches('/').to_string(), a.clone());
            }
        }
    }
    map
}

/// The fields of a page a shortcode sees, in the order Zola serialises them.
const PAGE_SHORTCODE_KEYS: &[&str] = &[
    "title",
    "permalink",
    "path",
    "lang",
    "extra",
    "relative_path",
    "colocated_path",
    "description",
    "date",
    "updated",
    "slug",
    "ancestors",
    "taxonomies",
    "authors",
    "components",
    "assets",
    "draft",
];

/// The same for a section.
const SECTION_SHORTCODE_KEYS: &[&str] = &[
    "title",
    "permalink",
    "path",
    "lang",
    "extra",
    "relative_path",
    "description",
    "ancestors",
    "components",
    "assets",
];

/// A page's `assets`: Zola gives their source paths under `content/`, with a leading slash.
fn page_assets(p: &Page) -> Vec<String> {
    p.assets
        .iter()
        .filter_map(|a| a.strip_prefix(&p.source.dir).ok())
        .map(|a| {
            let name = a.to_string_lossy().replace('\\', "/");
            match &p.source.colocated_path {
                Some(c) => format!("/{c}{name}"),
                None => format!("/{name}"),
            }
        })
        .collect()
}

/// A section's `assets`: the files beside its `_index.md`, under its path.
fn section_assets(s: &Section) -> Vec<String> {
    s.assets
        .iter()
        .filter_map(|a| a.file_name())
        .map(|n| format!("{}{}", s.path, n.to_string_lossy()))
        .collect()
}

/// Who links to the item at `relative`: (permalink, title) pairs, sorted, without repeats.
fn backlinks_json(lib: &Library, bodies: &Bodies, relative: &str) -> Value {
    let Some(from) = bodies.backlinks.get(relative) else {
        return Value::Array(Vec::new());
    };
    let mut list: Vec<(&str, Option<&str>)> = from
        .iter()
        .filter_map(|r| lib.get(r))
        .map(|it| (lib.item_permalink(it), lib.item_title(it)))
        .collect();
    list.sort();
    list.dedup();
    Value::Array(
        list.into_iter()
            .map(|(p, t)| json!({"permalink": p, "title": t}))
            .collect(),
    )
}

pub(super) fn page_json(
    lib: &Library,
    p: &Page,
    body: &Body,
    bodies: &Bodies,
    item: Item,
    shared: &SharedFields,
) -> Value {
    let (year, month, day) = date_parts(p);
    // `PageData::new` takes the list of the translation group from `shared` as it is.
    let translations = if shared.translations.contains_key(&p.source.canonical) {
        Value::Null
    } else {
        translations_json(lib, item)
    };
    let assets = page_assets(p);
    json!({
        "relative_path": p.source.relative,
        "colocated_path": p.source.colocated_path,
        "permalink": p.permalink,
        "slug": p.slug,
        "ancestors": p.ancestors,
        "title": p.meta.title,
        // A withdrawn page keeps its title for its notice; its description was its text.
        "description": p.meta.description.as_ref().filter(|_| !p.is_withdrawn()),
        "updated": p.updated.as_ref().map(|d| &d.text),
        "date": p.date.as_ref().map(|d| &d.text),
        "year": year, "month": month, "day": day,
        "taxonomies": p.meta.taxonomies,
        "authors": p.meta.authors,
        "extra": p.extra,
        "path": p.path,
        "components": p.components,
        "summary": body.summary,
        "word_count": body.word_count,
        "reading_time": body.reading_time,
        "assets": assets,
        "draft": p.meta.draft,
        "editorial": p.editorial.to_json(p.updated.as_ref()),
        "lang": p.content_lang(),
        "lower": Value::Null,
        "higher": Value::Null,
        "translations": translations,
        "backlinks": backlinks_json(lib, bodies, &p.source.relative),
    })
}

pub(super) fn section_json(
    lib: &Library,
    s: &Section,
    body: &Body,
    bodies: &Bodies,
    item: Item,
) -> Value {
    let subsections: Vec<&str> = s
        .subsections
        .iter()
        .map(|&i| lib.sections[i].source.relative.as_str())
        .collect();
    let assets = section_assets(s);
    json!({
        "relative_path": s.source.relative,
        "content": body.html.text(),
        "permalink": s.permalink,
        "ancestors": s.ancestors,
        "title": s.meta.title,
        "description": s.meta.description,
        "extra": s.extra,
        "path": s.path,
        "components": s.components,
        "toc": toc_value(&body.toc),
        "word_count": body.word_count,
        "reading_time": body.reading_time,
        "lang": s.content_lang(),
        "assets": assets,
        "pages": [],
        "subsections": subsections,
        "translations": translations_json(lib, item),
        "backlinks": backlinks_json(lib, bodies, &s.source.relative),
        "generate_feeds": s.meta.generate_feeds.or(s.meta.generate_feed).unwrap_or(false),
        "transparent": s.meta.transparent,
        "paginate_by": s.meta.paginate_by.filter(|n| *n > 0),
        "paginate_reversed": s.meta.paginate_reversed,
        "paginate_path": s.meta.paginate_path.clone().unwrap_or_else(|| "page".into()),
    })
}

/// A page's JSON as the site data holds it: its fields by position in `PAGE_FIELDS`, without
/// the keys each page's map would repeat, and with the values that are the same for many pages
/// (the translations list of its language versions, an editorial record with nothing set) held
/// once. That is about a third less memory than a map per page, which was the largest part of
/// a big build's peak.
#[derive(Clone, Debug)]
pub struct PageData {
    fields: Box<[Field]>,
}

/// One field of a page. A `Value` takes 72 bytes even for a null or a number; most fields
/// are scalars or strings, held here in 24, which at 50k articles is ~250 MB less.
#[derive(Clone, Debug)]
enum Field {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    Str(Box<str>),
    EmptyList,
    Json(Box<Value>),
    Shared(Arc<Value>),
}

impl Field {
    fn of(value: Value) -> Field {
        match value {
            Value::Null => Field::Null,
            Value::Bool(b) => Field::Bool(b),
            Value::Number(n) => Field::Number(n),
            Value::String(s) => Field::Str(s.into_boxed_str()),
            Value::Array(a) if a.is_empty() => Field::EmptyList,
            other => Field::Json(Box::new(other)),
        }
    }

    fn value(&self) -> Cow<'_, Value> {
        match self {
            Field::Null => Cow::Owned(Value::Null),
            Field::Bool(b) => Cow::Owned(Value::Bool(*b)),
            Field::Number(n) => Cow::Owned(Value::Number(n.clone())),
            Field::Str(s) => Cow::Owned(Value::String(s.to_string())),
            Field::EmptyList => Cow::Owned(Value::Array(Vec::new())),
            Field::Json(v) => Cow::Borrowed(v),
            Field::Shared(v) => Cow::Borrowed(v),
        }
    }
}

/// The values `PageData` shares: each translation group's list, and the empty editorial record.
pub struct SharedFields {
    translations: HashMap<String, Arc<Value>>,
    editorial: Arc<Value>,
}

impl SharedFields {
    pub fn new(lib: &Library) -> SharedFields {
        let translations = lib
            .translations
            .iter()
            .filter_map(|(canonical, items)| {
                let first = *items.first()?;
                Some((canonical.clone(), Arc::new(translations_json(lib, first))))
            })
            .collect();
        SharedFields {
            translations,
            editorial: Self::empty_editorial(),
        }
    }

    /// Nothing to share but the empty editorial record: for a few pages made again.
    pub fn none() -> SharedFields {
        SharedFields {
            translations: HashMap::new(),
            editorial: Self::empty_editorial(),
        }
    }

    fn empty_editorial() -> Arc<Value> {
        Arc::new(crate::content::Editorial::default().to_json(None))
    }
}

impl PageData {
    /// The fields of `json`, the map `page_json` made of a page whose translations are listed
    /// under `canonical`; shares the values `shared` holds.
    pub fn new(json: Value, shared: &SharedFields, canonical: &str) -> PageData {
        let Value::Object(mut map) = json else {
            return PageData {
                fields: Box::new([]),
            };
        };
        debug_assert!(
            map.keys().all(|k| PAGE_FIELDS.contains(&k.as_str())),
            "page_json makes a field PAGE_FIELDS does not name"
        );
        let fields = PAGE_FIELDS
            .iter()
            .map(|name| {
                let value = map.remove(*name).unwrap_or(Value::Null);
                match *name {
                    // The same for every page of a group: `page_json` left it out.
                    "translations" => match shared.translations.get(canonical) {
                        Some(v) => Field::Shared(Arc::clone(v)),
                        None => Field::of(value),
                    },
                    "editorial" if *shared.editorial == value => {
                        Field::Shared(Arc::clone(&shared.editorial))
                    }
                    _ => Field::of(value),
                }
            })
            .collect();
        PageData { fields }
    }

    /// The field at bit `b` of `PAGE_FIELDS`; null where the page has none.
    pub fn field(&self, b: usize) -> Cow<'_, Value> {
        match self.fields.get(b) {
            Some(f) => f.value(),
            None => Cow::Owned(Value::Null),
        }
    }

    /// The field named `name`; null where the page has none.
    pub fn get(&self, name: &str) -> Cow<'_, Value> {
        match PAGE_FIELDS.iter().position(|f| *f == name) {
            Some(b) => self.field(b),
            None => Cow::Owned(Value::Null),
        }
    }

    /// The text of the field named `name`, if it is text.
    pub fn get_str(&self, name: &str) -> Option<&str> {
        let b = PAGE_FIELDS.iter().position(|f| *f == name)?;
        match self.fields.get(b)? {
            Field::Str(s) => Some(s),
            Field::Json(v) => v.as_str(),
            Field::Shared(v) => v.as_str(),
            _ => None,
        }
    }
}

/// How much of each page a list in a context carries. Copying every page's HTML into every
/// list is most of a big build's time, so it is left out where no template could read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lists {
    /// No pages at all: the template never names `pages`.
    None,
    /// Pages with only the fields of `PAGE_FIELDS` whose bits are set: all that the
    /// template's chain can read of a listed page (see `reads`).
    Only(u64),
    Full,
}

/// Every field of a page's JSON (`page_json`, plus `content` and `toc`), in the order of the
/// bits of `Lists::Only` and of a whole page's keys. A field missing here would be left out of
/// every page: `PageData::new` checks in debug builds (every test) that `page_json` makes no other.
pub const PAGE_FIELDS: [&str; 30] = [
    "relative_path",
    "colocated_path",
    "permalink",
    "slug",
    "ancestors",
    "title",
    "description",
    "updated",
    "date",
    "year",
    "month",
    "day",
    "taxonomies",
    "authors",
    "extra",
    "path",
    "components",
    "summary",
    "word_count",
    "reading_time",
    "assets",
    "draft",
    "editorial",
    "lang",
    "lower",
    "higher",
    "translations",
    "backlinks",
    "content",
    "toc",
];

/// The `Lists::Only` bits of the fields named in `names`.
pub fn field_mask<'a>(names: impl IntoIterator<Item = &'a str>) -> u64 {
    names.into_iter().fold(0, |mask, n| {
        match PAGE_FIELDS.iter().position(|f| *f == n) {
            Some(b) => mask | (1 << b),
            None => mask,
        }
    })
}

/// A value templates ask for through a function, built at its first call and kept from its
/// second on: a build that asks once (a home's `get_section` of each section) keeps no copy
/// of every page's content, while a value asked for again (navigation on every page, a home
/// rendered again by serve) is cloned instead of being built from the pages again.
#[derive(Debug, Default)]
pub struct Memo {
    was_asked: AtomicBool,
    value: OnceLock<Value>,
}

impl Memo {
    pub fn get_or(&self, make: impl FnOnce() -> Value) -> Value {
        if let Some(v) = self.value.get() {
            return v.clone();
        }
        if self.was_asked.swap(true, Ordering::Relaxed) {
            self.value.get_or_init(make).clone()
        } else {
            make()
        }
    }
}

/// A section's shared `get_section` values, one per kind of list asked for: templates that
/// read few fields of listed pages do not pay for copying the rest.
#[derive(Debug, Default)]
pub struct SectionMemos(std::sync::Mutex<Vec<(Lists, Arc<Memo>)>>);

impl SectionMemos {
    fn of(&self, lists: Lists) -> Arc<Memo> {
        let mut memos = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, m)) = memos.iter().find(|(l, _)| *l == lists) {
            return Arc::clone(m);
        }
        let m = Arc::new(Memo::default());
        memos.push((lists, Arc::clone(&m)));
        m
    }
}

impl Clone for SectionMemos {
    /// A copy of each value, never the same memo: a clone is patched apart from its original.
    fn clone(&self) -> Self {
        let memos = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let copies = memos
            .iter()
            .map(|(l, m)| (*l, Arc::new((**m).clone())))
            .collect();
        Self(std::sync::Mutex::new(copies))
    }
}

impl Clone for Memo {
    fn clone(&self) -> Self {
        Self {
            was_asked: AtomicBool::new(self.was_asked.load(Ordering::Relaxed)),
            value: self.value.clone(),
        }
    }
}

/// A page's big body parts, shared rather than copied.
#[derive(Debug, Clone, Default)]
pub struct Heavy {
    pub content: Compressed,
    pub toc: Compressed,
}

/// A table of contents held as JSON (`Body::toc`) as a value; an empty list if none.
fn toc_value(toc: &Compressed) -> Value {
    serde_json::from_str(&toc.text()).unwrap_or_else(|_| Value::Array(Vec::new()))
}

impl Heavy {
    pub fn of(body: &Body) -> Self {
        Self {
            content: body.html.clone(),
            toc: body.toc.clone(),
        }
    }
}

/// The taxonomy's other-language versions, for alternates on taxonomy pages.
pub fn taxonomy_alternates(
    lib: &Library,
    t: &Taxonomy,
    term: Option<&Term>,
) -> Vec<(String, String)> {
    lib.taxonomies
        .iter()
        .filter(|o| o.config.name == t.config.name)
        .filter_map(|o| match term {
            None => Some((o.config.lang.clone(), o.permalink.clone())),
            Some(term) => o
                .terms
                .iter()
                .find(|x| x.slug == term.slug)
                .map(|x| (o.config.lang.clone(), x.permalink.clone())),
        })
        .collect()
}
