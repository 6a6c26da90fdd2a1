//! Rendering part of the site again, for `tre serve`: the site data templates read is kept
//! between renders and patched for the items an edit changed, and only the chosen targets are
//! rendered. Which templates a target reaches is read from the template sources.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::{Arc, LazyLock};

use regex::Regex;

use crate::assets::ImageQueue;
use crate::config::Config;
use crate::content::{Item, Library};
use crate::diag::{self, Diagnostic};
use crate::markdown::SiteMarkdown;

use super::bodies;
use super::body::{Bodies, Body};
use super::data::{self, SiteData};
use super::{Inputs, PagerFilter, RenderedSite, Renderer, Templates, bind, run_jobs};

/// One render job of `site`, named by indices so it outlives a render; the list of jobs is
/// made first so they can run in parallel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Page(usize),
    Section(usize),
    TaxonomyList(usize),
    /// Taxonomy index, term index.
    TaxonomyTerm(usize, usize),
    Feeds,
    Sitemap,
    Robots,
    NotFound,
    Aliases,
}

impl Target {
    /// The kind of job, for `-v` timings.
    pub fn kind(self) -> &'static str {
        match self {
            Target::Page(_) => "pages",
            Target::Section(_) => "sections",
            Target::TaxonomyList(_) => "taxonomy lists",
            Target::TaxonomyTerm(..) => "taxonomy terms",
            Target::Feeds => "feeds",
            Target::Sitemap => "sitemap",
            Target::Robots => "robots.txt",
            Target::NotFound => "404",
            Target::Aliases => "aliases",
        }
    }
}

/// Every job `site` runs, in its order.
pub(super) fn jobs(lib: &Library) -> Vec<Target> {
    let mut jobs: Vec<Target> = lib.written_pages().into_iter().map(Target::Page).collect();
    jobs.extend((0..lib.sections.len()).map(Target::Section));
    // Zola writes no list page for a taxonomy no page of that language uses, though its
    // sitemap still lists the URL.
    for (ti, t) in lib.taxonomies.iter().enumerate() {
        if !t.config.render || t.terms.is_empty() {
            continue;
        }
        jobs.push(Target::TaxonomyList(ti));
        jobs.extend((0..t.terms.len()).map(|k| Target::TaxonomyTerm(ti, k)));
    }
    jobs.extend([
        Target::Feeds,
        Target::Sitemap,
        Target::Robots,
        Target::NotFound,
        Target::Aliases,
    ]);
    jobs
}

/// Every target of the library.
pub fn all_targets(lib: &Library) -> Vec<Target> {
    jobs(lib)
}

/// The data page templates read (`page`, `section`, `get_page`…), kept between renders.
/// Render jobs share it; an edit patches it in place once they are done.
pub struct SiteState {
    data: Arc<SiteData>,
}

/// The same for shortcodes, which see pages and sections without their content.
pub struct BodyState {
    data: Arc<SiteData>,
}

impl SiteState {
    pub fn new(config: &Config, markdown: &SiteMarkdown, lib: &Library, bodies: &Bodies) -> Self {
        Self {
            data: Arc::new(SiteData::build(config, &markdown.site, lib, bodies)),
        }
    }

    /// Replaces the files among `files` whose bytes changed; true if any did.
    pub fn update_generated(&mut self, files: &[crate::output::OutputFile]) -> bool {
        let new = super::data::generated_map(files);
        if new
            .iter()
            .all(|(k, v)| self.data.generated.get(k) == Some(v))
        {
            return false;
        }
        Arc::make_mut(&mut self.data).generated.extend(new);
        true
    }

    /// Sets the files made before rendering (search indexes), which templates may hash.
    pub fn set_generated(&mut self, files: &[crate::output::OutputFile]) {
        Arc::make_mut(&mut self.data).generated = super::data::generated_map(files);
    }

    /// Recomputes the JSON of `items` and every list that holds it.
    pub fn patch(&mut self, lib: &Library, bodies: &Bodies, items: &[Item]) {
        if !items.is_empty() {
            patch(Arc::make_mut(&mut self.data), lib, bodies, items);
        }
    }
}

impl BodyState {
    pub fn new(
        config: &Config,
        markdown: &SiteMarkdown,
        lib: &Library,
        templates: &super::Templates,
    ) -> Self {
        Self {
            data: Arc::new(super::body_data(config, markdown, lib, templates)),
        }
    }

    /// Recomputes the JSON of `items`, if the bodies' templates can read any (see `body_data`).
    pub fn patch(&mut self, lib: &Library, items: &[Item]) {
        if !items.is_empty() && self.data.pages.len() == lib.pages.len() {
            let blank = Bodies::blank(lib);
            patch(Arc::make_mut(&mut self.data), lib, &blank, items);
        }
    }
}

/// Section and taxonomy JSON is built from `pages` when a template asks for it, so patching
/// the items' own JSON is enough.
fn patch(data: &mut SiteData, lib: &Library, bodies: &Bodies, items: &[Item]) {
    for &item in items {
        data.forget_shared(item);
        match item {
            Item::Page(i) => {
                let shared = data::SharedFields::none();
                let json =
                    data::page_json(lib, &lib.pages[i], &bodies.pages[i], bodies, item, &shared);
                data.pages[i] = data::PageData::new(json, &shared, lib.item_canonical(item));
                data.heavy[i] = data::Heavy::of(&bodies.pages[i]);
            }
            Item::Section(i) => {
                data.sections_meta[i] =
                    data::section_json(lib, &lib.sections[i], &bodies.sections[i], bodies, item);
            }
        }
    }
}

/// Renders the bodies of `items` with shortcodes reading `state`, as a build renders them.
pub fn render_some_bodies(
    inputs: Inputs,
    images: &Arc<ImageQueue>,
    state: &BodyState,
    items: &[Item],
) -> BodiesResult {
    let Inputs {
        config,
        lib,
        locales,
        templates,
        markdown,
    } = inputs;
    let teras = bind(config, templates, &state.data, locales, images);
    bodies::render_items(
        &bodies::BodyInputs {
            config,
            lib,
            templates,
            markdown,
            data: &state.data,
            teras: &teras,
            images,
        },
        items,
    )
}

/// Bodies of the items asked for, in their order, and the warnings.
pub type BodiesResult = Result<(Vec<Body>, Vec<Diagnostic>), Vec<Diagnostic>>;

/// Runs the jobs of `targets` (from `all_targets`), with templates reading `state`; of
/// a paginated list, only the pagers `keep_pager` accepts. With a sink, each job's files go to
/// it from the thread that rendered them, and the result holds none.
pub fn site_targets(
    inputs: Inputs,
    images: &Arc<ImageQueue>,
    state: &SiteState,
    targets: &[Target],
    keep_pager: PagerFilter,
    sink: Option<super::Sink>,
) -> Result<RenderedSite, Vec<Diagnostic>> {
    let Inputs {
        config,
        lib,
        locales,
        templates,
        ..
    } = inputs;
    let data = Arc::clone(&state.data);
    let teras = bind(config, templates, &data, locales, images);
    let r = Renderer {
        keep_pager,
        config,
        lib,
        data,
        teras,
        templates,
    };
    let (results, job_times) = run_jobs(&r, targets, sink);
    diag::collect_all(results).map(|files| RenderedSite {
        files: files.into_iter().flatten().collect(),
        images: images.take(),
        warnings: Vec::new(),
        job_times,
    })
}

/// What each template reaches (through `extends`, `include` and `import`) and what site data
/// it reads through functions, from the template sources.
pub struct TemplateUse {
    /// Template name → itself and every template it reaches.
    closure: HashMap<String, HashSet<String>>,
    reads_pages: HashSet<String>,
    reads_sections: HashSet<String>,
    reads_files: HashSet<String>,
    /// Templates that read each field a body edit changes, of an item other than the section
    /// being rendered (whose own body changes only when it is itself edited).
    reads_fields: HashMap<BodyField, HashSet<String>>,
    /// Templates that read a list of pages (`section.pages`, `paginator.pages`, `term.pages`).
    reads_lists: HashSet<String>,
    /// The messages each template reads (`t`, `t_html`, `trans`).
    reads_messages: HashMap<String, Vec<MessageRead>>,
}

/// A call of `t`, `t_html` or `trans` in a template.
#[derive(Debug, Clone, PartialEq)]
struct MessageRead {
    /// The messages it may read: those whose id starts with this text, which is the whole
    /// key where it is written out (`key="news"`), the text before the first `~` where it is
    /// computed from one (`key="section_" ~ name`), else empty.
    key: String,
    /// Whether the key is written out whole.
    is_exact: bool,
    /// Looked up in the language of the target rendered: `t` or `t_html` without `lang`, or
    /// with `lang=lang` outside macros in a template that never binds `lang` itself. Else
    /// (another language, `trans` without `lang`, which reads the default one) any language.
    is_own_lang: bool,
}

impl MessageRead {
    fn reads_any_of(&self, ids: &BTreeSet<String>) -> bool {
        match self.is_exact {
            true => ids.contains(&self.key),
            false => ids.iter().any(|id| id.starts_with(&self.key)),
        }
    }
}

/// The calls of `t`, `t_html` and `trans` in a template's source. Arguments are split at
/// commas outside brackets and quotes; a call whose arguments cannot be read reads any
/// message in any language.
fn message_reads(text: &str) -> Vec<MessageRead> {
    let rebinds_lang = REBINDS_LANG.is_match(text);
    let macro_starts: Vec<usize> = MACRO_START.find_iter(text).map(|m| m.start()).collect();
    let macro_ends: Vec<usize> = MACRO_END.find_iter(text).map(|m| m.start()).collect();
    let in_macro = |at: usize| {
        let last = |marks: &[usize]| marks.iter().rev().find(|&&m| m < at).copied();
        match (last(&macro_starts), last(&macro_ends)) {
            (Some(start), end) => end.is_none_or(|end| end < start),
            (None, _) => false,
        }
    };
    MESSAGE_CALL
        .captures_iter(text)
        .map(|c| {
            let is_trans = &c[1] == "trans";
            let (at, after) = c.get(0).map_or((0, text.len()), |m| (m.start(), m.end()));
            let Some(args) = call_args(&text[after..]) else {
                return MessageRead {
                    key: String::new(),
                    is_exact: false,
                    is_own_lang: false,
                };
            };
            let value = |name: &str| {
                args.iter().find_map(|a| {
                    let (n, v) = a.split_once('=')?;
                    (n.trim() == name).then_some(v.trim())
                })
            };
            let (key, is_exact) = value("key").map_or((String::new(), false), key_prefix);
            let is_own_lang = match value("lang") {
                None => !is_trans,
                Some("lang") => !rebinds_lang && !in_macro(at),
                Some(_) => false,
            };
            MessageRead {
                key,
                is_exact,
                is_own_lang,
            }
        })
        .collect()
}

/// What a `key` argument tells of the key: the literal it starts with, and whether that is
/// all of it (no `~` after it).
fn key_prefix(value: &str) -> (String, bool) {
    let Some(quote) = value
        .chars()
        .next()
        .filter(|q| matches!(q, '"' | '\'' | '`'))
    else {
        return (String::new(), false);
    };
    let Some((inner, rest)) = value[1..].split_once(quote) else {
        return (String::new(), false);
    };
    let rest = rest.trim_start();
    match rest.is_empty() {
        true => (inner.to_string(), true),
        false if rest.starts_with('~') => (inner.to_string(), false),
        false => (String::new(), false),
    }
}

/// The arguments of a call whose `(` was just read, split at top-level commas; `None` if
/// the call does not close.
fn call_args(text: &str) -> Option<Vec<&str>> {
    let mut args = Vec::new();
    let (mut depth, mut quote, mut start) = (0usize, None, 0);
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')') if depth == 0 => {
                args.push(&text[start..i]);
                return Some(args);
            }
            (None, ')' | ']' | '}') => depth = depth.checked_sub(1)?,
            (None, ',') if depth == 0 => {
                args.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    None
}

static INCLUDE: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used, reason = "a constant pattern")]
    Regex::new(r#"\{%-?\s*(?:include|extends|import)\s+(\[[^\]]*\]|"[^"]*"|'[^']*')"#)
        .expect("valid regex")
});
static QUOTED: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used, reason = "a constant pattern")]
    Regex::new(r#""([^"]*)"|'([^']*)'"#).expect("valid regex")
});
static PAGE_DATA: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used, reason = "a constant pattern")]
    Regex::new(r"\b(?:get_page|get_taxonomy|get_taxonomy_term)\s*\(").expect("valid regex")
});
static GET_SECTION: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used, reason = "a constant pattern")]
    Regex::new(r"\bget_section\s*\(([^)]*)\)").expect("valid regex")
});
/// A read of a body field: `x.content` (group 1 the receiver, 2 the field), `["toc"]` or
/// `get(key="summary")` (group 3), or `json_encode`, which reads them all.
static BODY_FIELDS: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used, reason = "a constant pattern")]
    Regex::new(
        r#"(?:\b([A-Za-z_]\w*)\s*)?\.\s*(content|summary|toc|word_count|reading_time)\b|(?:\[\s*|\bkey\s*=\s*)["'](content|summary|toc|word_count|reading_time)["']|\bjson_encode\b"#,
    )
    .expect("valid regex")
});
/// A template that binds `section` to something other than the section being rendered.
static REBINDS_SECTION: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used, reason = "a constant pattern")]
    Regex::new(r"\b(?:for\s+(?:\w+\s*,\s*)?section|set(?:_global)?\s+section)\b|\bmacro\s+\w+\s*\([^)]*\bsection\b")
        .expect("valid regex")
});
static PAGE_LISTS: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used, reason = "a constant pattern")]
    Regex::new(r"\bpages\b|\bjson_encode\b").expect("valid regex")
});
static MESSAGE_CALL: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used, reason = "a constant pattern")]
    Regex::new(r"\b(t|t_html|trans)\s*\(").expect("valid regex")
});
/// A template that binds `lang` itself, so that its `lang=lang` may be any language.
static REBINDS_LANG: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used, reason = "a constant pattern")]
    Regex::new(r"\bfor\s+(?:\w+\s*,\s*)?lang\s+in\b|\bset(?:_global)?\s+lang\s*=")
        .expect("valid regex")
});
static MACRO_START: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used, reason = "a constant pattern")]
    Regex::new(r"\{%-?\s*macro\b").expect("valid regex")
});
static MACRO_END: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used, reason = "a constant pattern")]
    Regex::new(r"\{%-?\s*endmacro\b").expect("valid regex")
});
static FILE_DATA: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used, reason = "a constant pattern")]
    Regex::new(r"\b(?:get_hash|resize_image|get_image_metadata|load_data|cachebust)\b")
        .expect("valid regex")
});

/// A field of a page or section that a body edit can change without changing its metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BodyField {
    Content,
    Summary,
    Toc,
    /// `word_count` and `reading_time`.
    Counts,
}

impl BodyField {
    pub const ALL: [BodyField; 4] = [Self::Content, Self::Summary, Self::Toc, Self::Counts];

    fn named(name: &str) -> Option<Self> {
        match name {
            "content" => Some(Self::Content),
            "summary" => Some(Self::Summary),
            "toc" => Some(Self::Toc),
            "word_count" | "reading_time" => Some(Self::Counts),
            _ => None,
        }
    }

    /// The fields in which two bodies differ.
    pub fn changed(old: &Body, new: &Body) -> HashSet<BodyField> {
        let mut out = HashSet::new();
        if old.html != new.html {
            out.insert(Self::Content);
        }
        if old.summary != new.summary {
            out.insert(Self::Summary);
        }
        if old.toc != new.toc {
            out.insert(Self::Toc);
        }
        if (old.word_count, old.reading_time) != (new.word_count, new.reading_time) {
            out.insert(Self::Counts);
        }
        out
    }
}

/// The body fields a template source reads. `section.content` and the like read the body of
/// the section being rendered, unless some template binds `section` to something else.
fn body_fields_read(text: &str, rebinds_section: bool) -> HashSet<BodyField> {
    let mut out = HashSet::new();
    for c in BODY_FIELDS.captures_iter(text) {
        let receiver = c.get(1);
        let is_own_section = !rebinds_section
            && receiver.is_some_and(|r| {
                r.as_str() == "section"
                    && !text
                        .get(..r.start())
                        .is_some_and(|before| before.trim_end().ends_with('.'))
            });
        match c
            .get(2)
            .or(c.get(3))
            .and_then(|m| BodyField::named(m.as_str()))
        {
            Some(_) if is_own_section => {}
            Some(f) => {
                out.insert(f);
            }
            None => out.extend(BodyField::ALL),
        }
    }
    out
}

impl TemplateUse {
    pub fn new(templates: &Templates) -> Self {
        let direct: HashMap<&str, Vec<String>> = templates
            .sources
            .iter()
            .map(|(name, text)| {
                let mut deps: Vec<String> = INCLUDE
                    .captures_iter(text)
                    .flat_map(|c| {
                        let list = c.get(1).map_or("", |m| m.as_str());
                        QUOTED
                            .captures_iter(list)
                            .filter_map(|q| q.get(1).or(q.get(2)).map(|m| m.as_str().to_string()))
                            .collect::<Vec<_>>()
                    })
                    .collect();
                if let Some(t) = templates.tera.templates.get(name) {
                    deps.extend(t.parents.iter().cloned());
                    deps.extend(t.imported_macro_files.iter().map(|(f, _)| f.clone()));
                }
                (name.as_str(), deps)
            })
            .collect();
        let mut closure = HashMap::new();
        for name in direct.keys() {
            let mut seen: HashSet<String> = HashSet::new();
            let mut stack = vec![name.to_string()];
            while let Some(n) = stack.pop() {
                if seen.insert(n.clone()) {
                    stack.extend(direct.get(n.as_str()).into_iter().flatten().cloned());
                }
            }
            closure.insert(name.to_string(), seen);
        }
        let matching = |f: &dyn Fn(&str) -> bool| -> HashSet<String> {
            templates
                .sources
                .iter()
                .filter(|(_, text)| f(text))
                .map(|(n, _)| n.clone())
                .collect()
        };
        let reads_pages = matching(&|t| {
            PAGE_DATA.is_match(t)
                || GET_SECTION.captures_iter(t).any(|c| {
                    let args: String = c[1].split_whitespace().collect();
                    !args.contains("metadata_only=true")
                })
        });
        let reads_sections = matching(&|t| GET_SECTION.is_match(t));
        let reads_files = matching(&|t| FILE_DATA.is_match(t));
        let rebinds_section = templates
            .sources
            .values()
            .any(|t| REBINDS_SECTION.is_match(t));
        let mut reads_fields: HashMap<BodyField, HashSet<String>> = HashMap::new();
        for (name, text) in &templates.sources {
            for f in body_fields_read(text, rebinds_section) {
                reads_fields.entry(f).or_default().insert(name.clone());
            }
        }
        let reads_lists = matching(&|t| PAGE_LISTS.is_match(t));
        let reads_messages = templates
            .sources
            .iter()
            .map(|(n, t)| (n.clone(), message_reads(t)))
            .filter(|(_, reads)| !reads.is_empty())
            .collect();
        Self {
            closure,
            reads_pages,
            reads_sections,
            reads_files,
            reads_fields,
            reads_lists,
            reads_messages,
        }
    }

    /// The templates a target renders directly; `closure_of` gives what each one reaches.
    pub fn names<'a>(
        &self,
        config: &'a Config,
        lib: &'a Library,
        target: Target,
    ) -> Vec<Cow<'a, str>> {
        let feeds = |lang: &str| -> Vec<Cow<'a, str>> {
            config
                .language(lang)
                .map(|l| {
                    l.feed_filenames
                        .iter()
                        .map(|n| Cow::Borrowed(n.as_str()))
                        .collect()
                })
                .unwrap_or_default()
        };
        let named = |template: &'a Option<String>, default: &'static str| {
            Cow::Borrowed(template.as_deref().unwrap_or(default))
        };
        match target {
            Target::Page(i) => vec![named(&lib.pages[i].meta.template, "page.html")],
            Target::Section(i) => {
                let s = &lib.sections[i];
                let default = if s.is_home() {
                    "index.html"
                } else {
                    "section.html"
                };
                vec![
                    named(&s.meta.template, default),
                    "internal/alias.html".into(),
                ]
            }
            Target::TaxonomyList(t) | Target::TaxonomyTerm(t, _) => {
                let t = &lib.taxonomies[t];
                let kind = match target {
                    Target::TaxonomyList(_) => "list",
                    _ => "single",
                };
                let mut names: Vec<Cow<str>> = vec![
                    format!("{}/{kind}.html", t.config.name).into(),
                    format!("taxonomy_{kind}.html").into(),
                ];
                // A term's job also writes its feed; the list's does not.
                if kind == "single" && t.config.feed {
                    names.extend(feeds(&t.config.lang));
                }
                names
            }
            Target::Feeds => config
                .languages
                .iter()
                .flat_map(|l| l.feed_filenames.iter().map(|n| Cow::Borrowed(n.as_str())))
                .collect(),
            Target::Sitemap => vec!["sitemap.xml".into(), "split_sitemap_index.xml".into()],
            Target::Robots => vec!["robots.txt".into()],
            Target::NotFound => vec!["404.html".into()],
            Target::Aliases => vec!["internal/alias.html".into()],
        }
    }

    /// Every template that reaches one for which `is_trigger` holds.
    pub fn reaching(&self, is_trigger: impl Fn(&str) -> bool) -> HashSet<&str> {
        self.closure
            .iter()
            .filter(|(_, reached)| reached.iter().any(|n| is_trigger(n)))
            .map(|(n, _)| n.as_str())
            .collect()
    }

    /// Templates that shortcodes and anchor links reach: a change there changes bodies.
    pub fn body_templates(&self) -> HashSet<&str> {
        self.closure
            .iter()
            .filter(|(n, _)| n.starts_with("shortcodes/") || n.as_str() == "anchor-link.html")
            .flat_map(|(_, c)| c.iter().map(String::as_str))
            .collect()
    }

    /// `name` and every template it reaches.
    pub fn closure_of(&self, name: &str) -> impl Iterator<Item = &str> {
        self.closure
            .get(name)
            .into_iter()
            .flatten()
            .map(String::as_str)
    }

    pub fn reads_pages(&self, name: &str) -> bool {
        self.reads_pages.contains(name)
    }

    pub fn reads_sections(&self, name: &str) -> bool {
        self.reads_sections.contains(name)
    }

    /// Whether the template reads one of `fields` of some page or section other than the
    /// section it renders (`page.content`, `p.summary`…).
    pub fn reads_bodies(&self, name: &str, fields: &HashSet<BodyField>) -> bool {
        fields
            .iter()
            .any(|f| self.reads_fields.get(f).is_some_and(|s| s.contains(name)))
    }

    pub fn reads_lists(&self, name: &str) -> bool {
        self.reads_lists.contains(name)
    }

    pub fn reads_files(&self, name: &str) -> bool {
        self.reads_files.contains(name)
    }

    /// Whether `name` itself reads a message that `changed` (per language, as
    /// `Locales::messages_changed_from` gives) when it renders a target in `lang`.
    pub fn reads_changed_message(
        &self,
        name: &str,
        lang: &str,
        changed: &BTreeMap<String, BTreeSet<String>>,
    ) -> bool {
        let reads = self.reads_messages.get(name).into_iter().flatten();
        reads.into_iter().any(|r| match r.is_own_lang {
            true => changed.get(lang).is_some_and(|ids| r.reads_any_of(ids)),
            false => changed.values().any(|ids| r.reads_any_of(ids)),
        })
    }

    /// Whether any template may read a file's bytes (a hash of a search index among them).
    pub fn reads_any_files(&self) -> bool {
        !self.reads_files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::{MessageRead, message_reads};

    fn read(key: &str, is_exact: bool, is_own_lang: bool) -> MessageRead {
        MessageRead {
            key: key.to_string(),
            is_exact,
            is_own_lang,
        }
    }

    #[test]
    fn message_calls_give_their_key_and_whose_language() {
        let text = r#"{{ t(key="skip-link") }} {{ t_html(key='notice', n=f(x, y), lang="en") }}
            {{ trans(key="news") }} {{ trans(key="section_" ~ s, lang=lang) }}
            {{ t(key=`a,b`) }} {{ t(key=name) }}
            {% macro m(lang) %}{{ trans(key="home", lang=lang) }}{% endmacro m %}
            {{ trans(key="home", lang=lang) }} {{ not(x) }} {{ t(key="open""#;
        assert_eq!(
            message_reads(text),
            [
                read("skip-link", true, true),
                read("notice", true, false),
                read("news", true, false),
                read("section_", false, true),
                read("a,b", true, true),
                read("", false, true),
                read("home", true, false),
                read("home", true, true),
                read("", false, false),
            ]
        );
        // A template that binds `lang` may pass any language as `lang=lang`.
        let looped =
            r#"{% for lang in config.languages %}{{ trans(key="x", lang=lang) }}{% endfor %}"#;
        assert_eq!(message_reads(looped), [read("x", true, false)]);
    }
}
