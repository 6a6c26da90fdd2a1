//! Turns the `Library` into output files in memory: Tera with Zola's contexts, functions and
//! filters; pages, sections with pagination, taxonomies, feeds, sitemaps, aliases, 404 and
//! robots.txt. Writes nothing to disk.

mod bodies;
mod body;
mod builtins;
mod calendar;
mod data;
mod functions;
mod kinds;
mod load_data;
mod minify;
mod partial;
mod reads;
mod recursion;
mod structured;
mod templates;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Value, json};
use tera::{Context, Tera};

use crate::assets::{ImageJob, ImageQueue};
use crate::config::Config;
use crate::content::{Item, Library, Page, Section, Taxonomy, Term};
use crate::diag::{self, Diagnostic};
use crate::i18n::Locales;
use crate::markdown::SiteMarkdown;
use crate::output::OutputFile;

pub use body::{Bodies, Body};
pub use functions::format_number;
pub use partial::{
    BodiesResult, BodyField, BodyState, SiteState, Target, TemplateUse, all_targets,
    render_some_bodies, site_targets,
};
pub use templates::{Templates, error_chain};

use data::{Lists, SiteData};

/// Takes each job's files as soon as they are rendered, so the build can write them at once.
pub type Sink<'a> = &'a (dyn Fn(Vec<OutputFile>) + Sync);

/// The rendered site: files to write (unless they went to a sink) and images to produce.
pub struct RenderedSite {
    pub files: Vec<OutputFile>,
    pub images: Vec<ImageJob>,
    pub warnings: Vec<Diagnostic>,
    /// Total thread time per kind of job, for `-v`.
    pub job_times: Vec<(&'static str, std::time::Duration)>,
}

/// The `markdown` filter: no page context, so shortcodes see only `config`.
fn render_markdown_filter(data: &SiteData, text: &str, inline: bool) -> Result<String, String> {
    crate::markdown::render_str(text, inline, &data.markdown, &Detached(data))
}

/// What the `markdown` filter's Markdown sees: no page and no shortcodes. Its `@/` links
/// resolve against the site, as in Zola.
struct Detached<'a>(&'a SiteData);

impl crate::markdown::RenderContext for Detached<'_> {
    fn resolve_internal(&self, path: &str) -> Option<String> {
        self.0.permalink_of(path).map(str::to_string)
    }

    fn shortcode_kind(&self, _name: &str) -> Option<crate::markdown::ShortcodeKind> {
        None
    }

    fn render_shortcode(&self, call: &crate::markdown::ShortcodeCall) -> Result<String, String> {
        Err(format!(
            "shortcode `{}` is not available in the markdown filter",
            call.name
        ))
    }

    fn render_anchor_link(&self, _id: &str, _level: u8) -> String {
        String::new()
    }
}

/// Whether to render the pager of a target that shows these pages (a full build keeps all).
pub type PagerFilter<'a> = &'a (dyn Fn(Target, &[usize]) -> bool + Sync);

/// One language version of a page, for hreflang: (lang, permalink, title).
type Alternate = (String, String, Option<String>);

struct Renderer<'a> {
    /// `tre serve` renders only the pagers an edit can change.
    keep_pager: PagerFilter<'a>,
    config: &'a Config,
    lib: &'a Library,
    data: Arc<SiteData>,
    /// One Tera per language, with `t` bound to that language.
    teras: HashMap<String, Tera>,
    templates: &'a Templates,
}

/// One Tera per language with every function bound to `data`. The languages share one
/// `Remote`, so a URL is requested at most once per render pass.
fn bind(
    config: &Config,
    templates: &Templates,
    data: &Arc<SiteData>,
    locales: &Arc<Locales>,
    images: &Arc<ImageQueue>,
) -> HashMap<String, Tera> {
    let remote = Arc::new(crate::remote::Remote::new(
        &config.root,
        config.load_data_timeout,
        config.is_offline,
    ));
    config
        .languages
        .iter()
        .map(|l| {
            let mut t = templates.tera.clone();
            functions::register(&mut t, data, locales, images, &remote, &l.code);
            (l.code.clone(), t)
        })
        .collect()
}

/// The values of the earlier stages that rendering reads.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    pub config: &'a Config,
    pub lib: &'a Library,
    pub locales: &'a Arc<Locales>,
    pub templates: &'a Templates,
    pub markdown: &'a SiteMarkdown,
}

/// Renders every Markdown body. Shortcodes get Zola's functions, with pages and sections
/// seen without their content (as in Zola, content is not rendered yet at that point).
pub fn render_bodies(inputs: Inputs, images: &Arc<ImageQueue>) -> Result<Bodies, Vec<Diagnostic>> {
    let Inputs {
        config,
        lib,
        locales,
        templates,
        markdown,
    } = inputs;
    let data = Arc::new(body_data(config, markdown, lib, templates));
    let teras = bind(config, templates, &data, locales, images);
    bodies::render_all(&bodies::BodyInputs {
        config,
        lib,
        templates,
        markdown,
        data: &data,
        teras: &teras,
        images,
    })
}

/// The site as shortcodes see it: pages and sections without their content. Without a
/// template that can read it (`Templates::bodies_reach_site`), no body needs the site as JSON,
/// which on a big site is most of the Markdown stage's memory (a GB at 50k articles): then it
/// holds no pages or sections.
pub fn body_data(
    config: &Config,
    markdown: &SiteMarkdown,
    lib: &Library,
    templates: &Templates,
) -> SiteData {
    if templates.bodies_reach_site() {
        SiteData::build(config, &markdown.site, lib, &Bodies::blank(lib))
    } else {
        let nothing = Library::default();
        SiteData::build(config, &markdown.site, &nothing, &Bodies::default())
    }
}

/// Renders every output of the site. Every template error is returned at once. `generated`
/// are the files made before rendering (search indexes), which templates may hash.
pub fn site(
    inputs: Inputs,
    bodies: &Bodies,
    generated: &[OutputFile],
    images: &Arc<ImageQueue>,
    sink: Option<Sink>,
) -> Result<RenderedSite, Vec<Diagnostic>> {
    let Inputs {
        config,
        lib,
        locales,
        templates,
        markdown,
    } = inputs;
    let data =
        Arc::new(SiteData::build(config, &markdown.site, lib, bodies).with_generated(generated));
    let teras = bind(config, templates, &data, locales, images);
    let r = Renderer {
        keep_pager: &|_, _| true,
        config,
        lib,
        data,
        teras,
        templates,
    };
    let jobs = partial::jobs(lib);
    let (results, job_times) = run_jobs(&r, &jobs, sink);
    let files: Vec<OutputFile> = diag::collect_all(results)?.into_iter().flatten().collect();
    Ok(RenderedSite {
        files,
        images: images.take(),
        warnings: Vec::new(),
        job_times,
    })
}

/// What each job made, in job order.
type JobResults = Vec<Result<Vec<OutputFile>, Vec<Diagnostic>>>;

/// Runs `jobs` in parallel; with a sink, each job's files go to it as soon as they are made.
/// Also returns the thread time per kind of job, slowest first, for `-v`.
fn run_jobs(
    r: &Renderer,
    jobs: &[Target],
    sink: Option<Sink>,
) -> (JobResults, Vec<(&'static str, std::time::Duration)>) {
    let times: std::sync::Mutex<HashMap<&'static str, std::time::Duration>> = Default::default();
    let config = r.config;
    let minifies = config.minify_html;
    let results: JobResults = jobs
        .par_iter()
        .map(|j| {
            let t = std::time::Instant::now();
            let mut r = r.run(*j);
            if let (Ok(files), true) = (&mut r, minifies) {
                let errors = minify::files(&config.file, files);
                if !errors.is_empty() {
                    r = Err(errors);
                }
            }
            if let Ok(mut m) = times.lock() {
                *m.entry(j.kind()).or_default() += t.elapsed();
            }
            match (r, sink) {
                (Ok(files), Some(sink)) => {
                    sink(files);
                    Ok(Vec::new())
                }
                (r, _) => r,
            }
        })
        .collect();
    let mut job_times: Vec<_> = times.into_inner().unwrap_or_default().into_iter().collect();
    job_times.sort_by_key(|b| std::cmp::Reverse(b.1));
    (results, job_times)
}

/// The sitemap URLs of a paginated list, `page/1/` included: Zola lists every pager under
/// its paginated URL, even the first, which is only a redirect (templates/sitemap.md).
fn pager_permalinks(permalink: &str, paginate_path: &str, pages: usize, per: usize) -> Vec<String> {
    (1..=pages.div_ceil(per))
        .map(|n| crate::paths::pager_url(permalink, paginate_path, n))
        .collect()
}

use crate::paths::index_file as index_html;

/// One URL of the sitemap; a page's or section's knows its item, for its language versions.
struct SitemapEntry<'a> {
    permalink: String,
    updated: Option<&'a str>,
    of: Option<(Item, &'a Value)>,
}

/// A feed `Target::Feeds` writes: a language's, or a section's that asks for one.
struct SiteFeed<'a> {
    lang: &'a str,
    section: Option<usize>,
    /// Candidates, before `feed_selection`.
    pages: Vec<usize>,
}

fn site_feeds<'a>(config: &'a Config, lib: &'a Library) -> Vec<SiteFeed<'a>> {
    let mut out = Vec::new();
    for l in config.languages.iter().filter(|l| l.generate_feeds) {
        let pages = (0..lib.pages.len())
            .filter(|&i| is_in_lang_feed(&lib.pages[i], &l.code))
            .collect();
        out.push(SiteFeed {
            lang: &l.code,
            section: None,
            pages,
        });
    }
    for (i, s) in lib.sections.iter().enumerate() {
        if has_feed(s) {
            let pages = s
                .pages
                .iter()
                .copied()
                .filter(|&p| is_in_section_feed(&lib.pages[p]))
                .collect();
            out.push(SiteFeed {
                lang: &s.source.lang,
                section: Some(i),
                pages,
            });
        }
    }
    out
}

/// Feed order: newest first, then by permalink.
fn feed_order(lib: &Library, a: usize, b: usize) -> std::cmp::Ordering {
    let (pa, pb) = (&lib.pages[a], &lib.pages[b]);
    pb.date
        .as_ref()
        .map(|d| d.at)
        .cmp(&pa.date.as_ref().map(|d| d.at))
        .then(pa.permalink.cmp(&pb.permalink))
}

/// The pages a feed of `pages` shows: newest first, at most `feed_limit`.
fn feed_selection(config: &Config, lib: &Library, pages: &[usize]) -> Vec<usize> {
    let mut sorted: Vec<usize> = pages.to_vec();
    sorted.sort_by(|&a, &b| feed_order(lib, a, b));
    if let Some(limit) = config.feed_limit {
        sorted.truncate(limit);
    }
    sorted
}

/// Whether a language's feed lists the page, before `feed_selection`.
/// A content-fallback copy is canonically its source: never in a feed.
fn is_in_lang_feed(p: &Page, lang: &str) -> bool {
    p.source.lang == lang && p.is_listed() && p.date.is_some() && p.fallback.is_none()
}

fn is_in_section_feed(p: &Page) -> bool {
    p.is_listed() && p.date.is_some() && p.fallback.is_none()
}

fn has_feed(s: &Section) -> bool {
    s.fallback.is_none()
        && s.meta
            .generate_feeds
            .or(s.meta.generate_feed)
            .unwrap_or(false)
}

/// Whether `Target::Feeds` shows any of `pages`: an edit of any other page's body leaves it
/// as it is. Ranks each page among the feed's candidates, as `site_feeds` lists them, instead
/// of listing and sorting every feed.
pub fn site_feeds_show(config: &Config, lib: &Library, pages: &HashSet<usize>) -> bool {
    let limit = config.feed_limit.unwrap_or(usize::MAX);
    let ranks = |candidates: &mut dyn Iterator<Item = usize>, p: usize| {
        candidates
            .filter(|&q| feed_order(lib, q, p).is_lt())
            .take(limit)
            .count()
            < limit
    };
    pages.iter().any(|&p| {
        let page = &lib.pages[p];
        let lang = page.source.lang.as_str();
        let has_lang_feed = config.language(lang).is_some_and(|l| l.generate_feeds);
        let in_lang_feed = has_lang_feed
            && is_in_lang_feed(page, lang)
            && ranks(
                &mut (0..lib.pages.len()).filter(|&q| is_in_lang_feed(&lib.pages[q], lang)),
                p,
            );
        in_lang_feed
            || (page.date.is_some()
                && lib
                    .sections
                    .iter()
                    .filter(|s| has_feed(s) && s.pages.contains(&p))
                    .any(|s| {
                        let dated = s.pages.iter().copied();
                        ranks(&mut dated.filter(|&q| is_in_section_feed(&lib.pages[q])), p)
                    }))
    })
}

impl Renderer<'_> {
    fn run(&self, target: Target) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        let lib = self.lib;
        match target {
            Target::Page(i) => self.page(i).map(|f| vec![f]),
            Target::Section(i) => self.section(i),
            Target::TaxonomyList(t) => self.taxonomy_list(&lib.taxonomies[t]).map(|f| vec![f]),
            Target::TaxonomyTerm(t, k) => {
                let tax = &lib.taxonomies[t];
                self.taxonomy_term(target, tax, &tax.terms[k])
            }
            Target::Feeds => self.feeds(),
            Target::Sitemap => self.sitemap(),
            Target::Robots => {
                self.simple("robots.txt", "robots.txt", self.config.generate_robots_txt)
            }
            Target::NotFound => self.not_found(),
            Target::Aliases => self.aliases(),
        }
    }

    fn tera(&self, lang: &str) -> &Tera {
        self.teras
            .get(lang)
            .or_else(|| self.teras.get(&self.config.default_language))
            .unwrap_or(&self.templates.tera)
    }

    /// Context every HTML template gets (templates/overview.md) plus Tre's alternates.
    fn base_context(&self, lang: &str, path: &str, alternates: &[Alternate]) -> Context {
        let mut ctx = Context::new();
        ctx.insert("config", &self.data.config_json[lang]);
        ctx.insert("lang", lang);
        self.move_to(&mut ctx, path);
        let alts: Vec<Value> = alternates
            .iter()
            .map(|(l, p, t)| json!({"lang": l, "permalink": p, "title": t}))
            .collect();
        let x_default = alternates
            .iter()
            .find(|(l, _, _)| *l == self.config.default_language)
            .map(|(_, p, _)| p.clone());
        ctx.insert("alternates", &alts);
        // Tre's own variable; absent, not null, without a default-language version, so
        // `x_default is defined` says whether there is one.
        if let Some(x) = &x_default {
            ctx.insert("x_default", x);
        }
        ctx.insert("fallbacks", &Vec::<Value>::new());
        ctx
    }

    /// Points a base context at `path`: what differs between the pagers of one list, so they
    /// share one context and its large values (a term's `term.pages`) instead of a copy each.
    fn move_to(&self, ctx: &mut Context, path: &str) {
        let url = self.config.permalink(path);
        ctx.insert("current_path", path);
        ctx.insert("current_url", &url);
        ctx.insert("canonical_url", &url);
    }

    /// The base context of a page or section, with Tre's content-fallback values: `fallbacks`
    /// (copies of it in other languages' URL spaces, for language switchers) and, on a copy,
    /// `fallback_lang` (the language of its text) and `canonical_url` (its source's URL).
    fn item_context(&self, item: Item, path: &str, alternates: &[Alternate]) -> Context {
        let lib = self.lib;
        let mut ctx = self.base_context(lib.item_lang(item), path, alternates);
        let fallbacks: Vec<Value> = lib
            .fallbacks_of(item)
            .iter()
            .map(|&f| json!({"lang": lib.item_lang(f), "permalink": lib.item_permalink(f), "title": lib.item_title(f)}))
            .collect();
        ctx.insert("fallbacks", &fallbacks);
        let source = match item {
            Item::Page(i) => lib.pages[i].fallback.as_ref(),
            Item::Section(i) => lib.sections[i].fallback.as_ref(),
        };
        if let Some(source) = source {
            ctx.insert("fallback_lang", &source.lang);
            if let Some(from) = lib.get(&source.relative) {
                ctx.insert("canonical_url", lib.item_permalink(from));
            }
        }
        let lang = lib.item_lang(item);
        if let Some(unit) = lib.unit_of(item) {
            ctx.insert("unit", &self.unit_json(unit, lang));
        }
        // The home lists the units; the search page offers to search one of them.
        let is_search_page = matches!(item, Item::Page(i)
            if lib.pages[i].meta.template.as_deref() == Some("search.html"));
        if is_search_page || matches!(item, Item::Section(i) if lib.sections[i].is_home()) {
            let units: Vec<Value> = lib
                .units
                .iter()
                .filter(|u| !u.dir.is_empty())
                .map(|u| self.unit_json(u, lang))
                .collect();
            ctx.insert("units", &units);
        }
        ctx
    }

    /// A unit as templates see it in `lang` (`unit` on its pages, `units` on the home):
    /// `[extra.unit]` with `name` in `lang`, `dir`, the `permalink` of its home in `lang`, and
    /// `feed` (its Atom feed's URL, when `lang` has the unit's section).
    fn unit_json(&self, unit: &crate::content::Unit, lang: &str) -> Value {
        let mut v = unit.to_json(lang, &self.config.default_language);
        let home = self.lib.unit_home(unit, lang);
        if let Value::Object(m) = &mut v {
            let permalink = home.map(|h| self.lib.sections[h].permalink.clone());
            let has_feed = home.is_some_and(|h| has_feed(&self.lib.sections[h]));
            let feed = permalink.as_ref().filter(|_| has_feed).and_then(|p| {
                let name = self.config.language(lang)?.feed_filenames.first()?;
                Some(format!("{p}{name}"))
            });
            m.insert("permalink".into(), permalink.clone().into());
            m.insert("feed".into(), feed.into());
            m.insert("has_language".into(), unit.has_language(lang).into());
            // Its own index (`search::unit_indexes`), which the search page's unit filter reads.
            let search_index = permalink.as_ref().filter(|_| {
                self.config
                    .language(lang)
                    .is_some_and(|l| l.build_search_index && l.search.index_format == "fuse_json")
            });
            let search_index = search_index.map(|p| format!("{p}search_index.{lang}.json"));
            m.insert("search_index".into(), search_index.into());
            m.insert("menu".into(), self.unit_menu(unit, lang).into());
            m.insert("blocks".into(), self.unit_blocks(unit, lang).into());
        }
        v
    }

    /// A unit's menu in `lang`: `{href, title, key}` for each entry that has a version in
    /// `lang` (its translation or content-fallback copy); `key` names the message to show
    /// instead of `title`.
    fn unit_menu(&self, unit: &crate::content::Unit, lang: &str) -> Vec<Value> {
        let lib = self.lib;
        let default = &self.config.default_language;
        unit.menu
            .iter()
            .filter_map(|entry| {
                let here = lib.version_in(lib.get(&entry.path)?, lang)?;
                let title = entry
                    .name
                    .as_ref()
                    .and_then(|n| crate::content::unit::localized(n, lang, default))
                    .or_else(|| lib.item_title(here));
                Some(json!({
                    "href": lib.item_permalink(here),
                    "title": title,
                    "key": entry.key,
                }))
            })
            .collect()
    }

    /// A unit's home page blocks in `lang`: `{type, title, pages}`, `title` in `lang` (or
    /// null for the theme's heading), `pages` the paths for `get_page` of the pages to show.
    fn unit_blocks(&self, unit: &crate::content::Unit, lang: &str) -> Vec<Value> {
        use crate::content::unit::BlockKind;
        let lib = self.lib;
        let default = &self.config.default_language;
        unit.blocks
            .iter()
            .map(|b| {
                let title = b
                    .title
                    .as_ref()
                    .and_then(|t| crate::content::unit::localized(t, lang, default));
                let (kind, pages): (&str, Vec<&str>) = match &b.kind {
                    BlockKind::Latest { count, kind } => {
                        let mut pages: Vec<&crate::content::Page> = lib
                            .pages
                            .iter()
                            .enumerate()
                            .filter(|(i, p)| {
                                p.source.lang == lang
                                    && p.is_listed()
                                    && lib
                                        .unit_of(Item::Page(*i))
                                        .is_some_and(|u| u.dir == unit.dir)
                                    && kind.as_ref().is_none_or(|k| {
                                        p.extra.get("kind").and_then(Value::as_str)
                                            == Some(k.as_str())
                                    })
                            })
                            .map(|(_, p)| p)
                            .collect();
                        pages.sort_by(|a, b| {
                            let at = |p: &crate::content::Page| p.date.as_ref().map(|d| d.at);
                            at(b).cmp(&at(a)).then_with(|| a.path.cmp(&b.path))
                        });
                        let paths = pages
                            .iter()
                            .take(*count)
                            .map(|p| p.source.relative.as_str());
                        ("latest", paths.collect())
                    }
                    BlockKind::Pages(paths) => {
                        let here = paths.iter().filter_map(|p| {
                            let v = lib.version_in(lib.get(p)?, lang)?;
                            matches!(v, Item::Page(i) if lib.pages[i].is_listed())
                                .then(|| lib.item_relative(v))
                        });
                        ("pages", here.collect())
                    }
                    BlockKind::Contact => ("contact", Vec::new()),
                };
                json!({"type": kind, "title": title, "pages": pages})
            })
            .collect()
    }

    fn render(
        &self,
        lang: &str,
        template: &str,
        ctx: &Context,
        file: &std::path::Path,
    ) -> Result<String, Vec<Diagnostic>> {
        let lists = self.templates.list_fields(template);
        functions::with_section_lists(lists, || self.tera(lang).render(template, ctx)).map_err(
            |e| {
                vec![Diagnostic::error(
                    file,
                    None,
                    format!("template {template}: {}", error_chain(&e)),
                )]
            },
        )
    }

    fn item_alternates(&self, item: Item) -> Vec<Alternate> {
        self.lib
            .translations_of(item)
            .iter()
            .map(|&t| {
                (
                    self.lib.item_lang(t).to_string(),
                    self.lib.item_permalink(t).to_string(),
                    self.lib.item_title(t).map(str::to_string),
                )
            })
            .collect()
    }

    fn template_or_missing(
        &self,
        wanted: Option<&str>,
        default: &str,
        file: &std::path::Path,
    ) -> Result<Option<String>, Vec<Diagnostic>> {
        match wanted {
            Some(t) if self.templates.has(t) => Ok(Some(t.to_string())),
            Some(t) => Err(vec![
                Diagnostic::error(file, None, format!("template `{t}` not found")).with_help(
                    format!("create templates/{t} or fix `template` in the front matter"),
                ),
            ]),
            None if self.templates.has(default) => Ok(Some(default.to_string())),
            // Zola writes a placeholder page when index/section/page.html is missing.
            None => Ok(None),
        }
    }

    fn page(&self, i: usize) -> Result<OutputFile, Vec<Diagnostic>> {
        let p: &Page = &self.lib.pages[i];
        let lang = &p.source.lang;
        let mut page = self.data.page(i);
        let template = if p.is_withdrawn() {
            // The notice replaces the page: its text is not published any more.
            page["content"] = Value::String(String::new());
            page["summary"] = Value::Null;
            page["toc"] = Value::Array(Vec::new());
            Some("withdrawn.html".to_string())
        } else {
            self.template_or_missing(p.meta.template.as_deref(), "page.html", &p.source.file)?
        };
        let name = template.as_deref().unwrap_or("page.html");
        // Neighbours are listed pages too: they carry what the template can read of them.
        let neighbour = |n: Option<usize>, field: &str| match n {
            Some(j) if self.templates.uses(name, field) => self
                .data
                .list_page(j, self.templates.list_fields(name))
                .unwrap_or(Value::Null),
            _ => Value::Null,
        };
        page["lower"] = neighbour(p.lower, "lower");
        page["higher"] = neighbour(p.higher, "higher");
        let mut ctx =
            self.item_context(Item::Page(i), &p.path, &self.item_alternates(Item::Page(i)));
        put(&mut ctx, "page", page);
        let html = match &template {
            Some(t) => self.render(lang, t, &ctx, &p.source.file)?,
            None => builtins::missing_template_page("page.html", lang),
        };
        Ok(OutputFile::text(index_html(&p.path), html))
    }

    fn section(&self, i: usize) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        let s: &Section = &self.lib.sections[i];
        let lang = &s.source.lang;
        let mut out = Vec::new();
        if let Some(target) = &s.meta.redirect_to {
            let url = if target.starts_with("http") {
                target.clone()
            } else {
                self.config
                    .permalink(&format!("/{}", target.trim_start_matches('/')))
            };
            out.push(self.redirect(&s.path, &url, lang)?);
            return Ok(out);
        }
        if !s.is_rendered() {
            return Ok(out);
        }
        let default = if s.is_home() {
            "index.html"
        } else {
            "section.html"
        };
        let Some(template) =
            self.template_or_missing(s.meta.template.as_deref(), default, &s.source.file)?
        else {
            out.push(OutputFile::text(
                index_html(&s.path),
                builtins::missing_template_page(default, lang),
            ));
            return Ok(out);
        };
        let alternates = self.item_alternates(Item::Section(i));
        let per = s.meta.paginate_by.unwrap_or(0);
        if per == 0 {
            let mut ctx = self.item_context(Item::Section(i), &s.path, &alternates);
            put(
                &mut ctx,
                "section",
                self.data.section_full(i, self.lists(&template)),
            );
            out.push(OutputFile::text(
                index_html(&s.path),
                self.render(lang, &template, &ctx, &s.source.file)?,
            ));
            return Ok(out);
        }
        let mut pages: Vec<usize> = s.pages.clone();
        if s.meta.paginate_reversed {
            pages.reverse();
        }
        let paginate_path = s
            .meta
            .paginate_path
            .clone()
            .unwrap_or_else(|| "page".into());
        let pagers = self.paginate(&s.path, &paginate_path, &pages, per);
        for (n, pager) in pagers.iter().enumerate() {
            if !(self.keep_pager)(Target::Section(i), &pager.pages) {
                continue;
            }
            let mut ctx = self.item_context(Item::Section(i), &pager.path, &alternates);
            ctx.insert("section", &self.data.sections_meta[i]);
            put(
                &mut ctx,
                "paginator",
                self.paginator_json(
                    &template,
                    &Pagination {
                        pagers: &pagers,
                        per,
                        permalink: &s.permalink,
                        paginate_path: &paginate_path,
                        total: pages.len(),
                    },
                    n,
                ),
            );
            out.push(OutputFile::text(
                index_html(&pager.path),
                self.render(lang, &template, &ctx, &s.source.file)?,
            ));
        }
        // Zola also writes `page/1/` as a redirect to the first pager.
        out.push(self.redirect(
            &crate::paths::pager_url(&s.path, &paginate_path, 1),
            &s.permalink,
            lang,
        )?);
        Ok(out)
    }

    fn paginate(
        &self,
        base_path: &str,
        paginate_path: &str,
        pages: &[usize],
        per: usize,
    ) -> Vec<Pager> {
        let chunks: Vec<&[usize]> = if pages.is_empty() {
            vec![&[][..]]
        } else {
            pages.chunks(per).collect()
        };
        chunks
            .into_iter()
            .enumerate()
            .map(|(n, chunk)| {
                let path = if n == 0 {
                    base_path.to_string()
                } else {
                    crate::paths::pager_url(base_path, paginate_path, n + 1)
                };
                Pager {
                    permalink: self.config.permalink(&path),
                    path,
                    pages: chunk.to_vec(),
                }
            })
            .collect()
    }

    /// How much of each listed page `template` can read.
    fn lists(&self, template: &str) -> Lists {
        if self.templates.uses(template, "pages") {
            self.templates.list_fields(template)
        } else {
            Lists::None
        }
    }

    /// The list a paginated term's `term.pages` carries: empty unless its templates mention
    /// it, since every pager gets a copy (10k articles: 27 s of thread time for categories).
    fn term_lists(&self, template: &str) -> Lists {
        let reads = templates::TERM_PAGES
            .iter()
            .any(|f| self.templates.uses(template, f));
        if reads {
            self.lists(template)
        } else {
            Lists::None
        }
    }

    fn paginator_json(&self, template: &str, p: &Pagination, n: usize) -> Value {
        let Pagination {
            pagers,
            per,
            permalink,
            paginate_path,
            total,
        } = *p;
        let lists = self.templates.list_fields(template);
        let pages: Vec<Value> = pagers[n]
            .pages
            .iter()
            .filter_map(|&p| self.data.list_page(p, lists))
            .collect();
        let base_url = if paginate_path.is_empty() {
            permalink.to_string()
        } else {
            format!("{permalink}{paginate_path}/")
        };
        json!({
            "paginate_by": per,
            "first": pagers[0].permalink,
            "last": pagers[pagers.len() - 1].permalink,
            "previous": n.checked_sub(1).map(|j| &pagers[j].permalink),
            "next": pagers.get(n + 1).map(|p| &p.permalink),
            "number_pagers": pagers.len(),
            "base_url": base_url,
            "pages": pages,
            "current_index": n + 1,
            "total_pages": total,
        })
    }

    fn taxonomy_template(&self, t: &Taxonomy, kind: &str) -> Result<String, Vec<Diagnostic>> {
        let specific = format!("{}/{kind}.html", t.config.name);
        let generic = format!("taxonomy_{kind}.html");
        if self.templates.has(&specific) {
            Ok(specific)
        } else if self.templates.has(&generic) {
            Ok(generic)
        } else {
            Err(vec![Diagnostic::error(&self.config.file, None, format!("taxonomy `{}` has no template {generic}", t.config.name))
                .with_help(format!("create templates/{generic} or templates/{specific}, or set `render = false` on the taxonomy"))])
        }
    }

    fn taxonomy_alternates(
        &self,
        t: &Taxonomy,
        term: Option<&Term>,
    ) -> Vec<(String, String, Option<String>)> {
        data::taxonomy_alternates(self.lib, t, term)
            .into_iter()
            .map(|(l, p)| (l, p, None))
            .collect()
    }

    fn taxonomy_list(&self, t: &Taxonomy) -> Result<OutputFile, Vec<Diagnostic>> {
        let template = self.taxonomy_template(t, "list")?;
        let lang = &t.config.lang;
        let mut ctx = self.base_context(lang, &t.path, &self.taxonomy_alternates(t, None));
        ctx.insert("taxonomy", &data::taxonomy_config_json(&t.config));
        let terms: Vec<Value> = t
            .terms
            .iter()
            .map(|term| self.data.term_json(term, self.lists(&template)))
            .collect();
        put(&mut ctx, "terms", Value::Array(terms));
        Ok(OutputFile::text(
            index_html(&t.path),
            self.render(lang, &template, &ctx, &self.config.file)?,
        ))
    }

    fn taxonomy_term(
        &self,
        target: Target,
        t: &Taxonomy,
        term: &Term,
    ) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        let template = self.taxonomy_template(t, "single")?;
        let lang = &t.config.lang;
        let alternates = self.taxonomy_alternates(t, Some(term));
        let tax = data::taxonomy_config_json(&t.config);
        let mut out = Vec::new();
        let per = t.config.paginate_by.unwrap_or(0);
        if per == 0 {
            let mut ctx = self.base_context(lang, &term.path, &alternates);
            ctx.insert("taxonomy", &tax);
            put(
                &mut ctx,
                "term",
                self.data.term_json(term, self.lists(&template)),
            );
            out.push(OutputFile::text(
                index_html(&term.path),
                self.render(lang, &template, &ctx, &self.config.file)?,
            ));
        } else {
            let paginate_path = t
                .config
                .paginate_path
                .clone()
                .unwrap_or_else(|| "page".into());
            let pagers = self.paginate(&term.path, &paginate_path, &term.pages, per);
            // Zola gives a paginated term's pages in `term.pages` too, beside `paginator`.
            // One context serves every pager: only its path and `paginator` change.
            let mut ctx = self.base_context(lang, &term.path, &alternates);
            ctx.insert("taxonomy", &tax);
            put(
                &mut ctx,
                "term",
                self.data.term_json(term, self.term_lists(&template)),
            );
            for (n, pager) in pagers.iter().enumerate() {
                if !(self.keep_pager)(target, &pager.pages) {
                    continue;
                }
                self.move_to(&mut ctx, &pager.path);
                put(
                    &mut ctx,
                    "paginator",
                    self.paginator_json(
                        &template,
                        &Pagination {
                            pagers: &pagers,
                            per,
                            permalink: &term.permalink,
                            paginate_path: &paginate_path,
                            total: term.pages.len(),
                        },
                        n,
                    ),
                );
                out.push(OutputFile::text(
                    index_html(&pager.path),
                    self.render(lang, &template, &ctx, &self.config.file)?,
                ));
            }
            // As for sections, Zola writes the term's `page/1/` as a redirect to its first pager.
            out.push(self.redirect(
                &crate::paths::pager_url(&term.path, &paginate_path, 1),
                &term.permalink,
                lang,
            )?);
        }
        if t.config.feed {
            let pages: Vec<usize> = term
                .pages
                .iter()
                .copied()
                .filter(|&p| self.lib.pages[p].date.is_some())
                .collect();
            let term_meta = self.data.term_json(term, Lists::None);
            for name in &self.lang_feeds(lang) {
                let extra = [("taxonomy", tax.clone()), ("term", term_meta.clone())];
                out.push(self.feed(lang, name, &format!("{}{name}", term.path), &pages, &extra)?);
            }
        }
        Ok(out)
    }

    fn lang_feeds(&self, lang: &str) -> Vec<String> {
        self.config
            .language(lang)
            .map(|l| l.feed_filenames.clone())
            .unwrap_or_default()
    }

    fn feed(
        &self,
        lang: &str,
        template: &str,
        path: &str,
        pages: &[usize],
        extra: &[(&str, Value)],
    ) -> Result<OutputFile, Vec<Diagnostic>> {
        let sorted = feed_selection(self.config, self.lib, pages);
        let last_updated = sorted
            .iter()
            .filter_map(|&p| {
                let page = &self.lib.pages[p];
                page.updated
                    .as_ref()
                    .or(page.date.as_ref())
                    .map(|d| (d.at, d.text.clone()))
            })
            .max()
            .map(|(_, t)| t);
        let mut ctx = Context::new();
        ctx.insert("config", &self.data.config_json[lang]);
        ctx.insert("lang", lang);
        ctx.insert("feed_url", &self.config.permalink(path));
        ctx.insert("last_updated", &last_updated);
        let list: Vec<Value> = sorted.iter().map(|&p| self.data.page(p)).collect();
        put(&mut ctx, "pages", Value::Array(list));
        for (k, v) in extra {
            ctx.insert(*k, v);
        }
        if !self.templates.has(template) {
            return Err(vec![
                Diagnostic::error(
                    &self.config.file,
                    None,
                    format!("no template for the feed `{template}`"),
                )
                .with_help("use atom.xml or rss.xml, or create the template in templates/"),
            ]);
        }
        let xml = self.render(lang, template, &ctx, &self.config.file)?;
        Ok(OutputFile::text(path.trim_start_matches('/'), xml))
    }

    fn feeds(&self) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        let mut out = Vec::new();
        for f in site_feeds(self.config, self.lib) {
            for name in &self.lang_feeds(f.lang) {
                let (path, extra) = match f.section {
                    Some(i) => (
                        format!("{}{name}", self.lib.sections[i].path),
                        vec![("section", self.data.sections_meta[i].clone())],
                    ),
                    None => (
                        format!("{}/{name}", self.config.lang_prefix(f.lang)),
                        Vec::new(),
                    ),
                };
                out.push(self.feed(f.lang, name, &path, &f.pages, &extra)?);
            }
        }
        Ok(out)
    }

    fn sitemap(&self) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        if !self.config.generate_sitemap {
            return Ok(Vec::new());
        }
        let mut entries = self.sitemap_entries();
        entries.sort_by(|a, b| a.permalink.cmp(&b.permalink));
        entries.dedup_by(|a, b| a.permalink == b.permalink);
        let lang = self.config.default_language.clone();
        const PER_FILE: usize = 30_000;
        // One file's entries as JSON at a time: with their alternates, all of a 50k-article
        // portal's took hundreds of MB.
        let render = |name: &str, chunk: &[SitemapEntry]| {
            let mut ctx = Context::new();
            let list = chunk.iter().map(|e| self.sitemap_json(e)).collect();
            put(&mut ctx, "entries", Value::Array(list));
            ctx.insert("config", &self.data.config_json[&lang]);
            let xml = self.render(&lang, "sitemap.xml", &ctx, &self.config.file)?;
            Ok::<_, Vec<Diagnostic>>(OutputFile::text(name, xml))
        };
        if entries.len() <= PER_FILE {
            return Ok(vec![render("sitemap.xml", &entries)?]);
        }
        let mut out = Vec::new();
        let mut maps = Vec::new();
        for (n, chunk) in entries.chunks(PER_FILE).enumerate() {
            let name = format!("sitemap{}.xml", n + 1);
            maps.push(self.config.permalink(&format!("/{name}")));
            out.push(render(&name, chunk)?);
        }
        let mut ctx = Context::new();
        ctx.insert("sitemaps", &maps);
        ctx.insert("config", &self.data.config_json[&lang]);
        out.push(OutputFile::text(
            "sitemap.xml",
            self.render(&lang, "split_sitemap_index.xml", &ctx, &self.config.file)?,
        ));
        Ok(out)
    }

    /// Every URL of the sitemap, in the order Zola finds them (equal URLs keep the first).
    /// A content-fallback copy names its source as canonical; search engines are told of
    /// the source only.
    fn sitemap_entries(&self) -> Vec<SitemapEntry<'_>> {
        let mut entries = Vec::new();
        let plain = |permalink: String| SitemapEntry {
            permalink,
            updated: None,
            of: None,
        };
        for (i, p) in self.lib.pages.iter().enumerate() {
            if p.is_listed() && p.fallback.is_none() {
                entries.push(SitemapEntry {
                    permalink: p.permalink.clone(),
                    updated: p.updated.as_ref().or(p.date.as_ref()).map(|d| &*d.text),
                    of: Some((Item::Page(i), &p.extra)),
                });
            }
        }
        for (i, s) in self.lib.sections.iter().enumerate() {
            if !s.is_rendered() || s.meta.redirect_to.is_some() || s.fallback.is_some() {
                continue;
            }
            entries.push(SitemapEntry {
                permalink: s.permalink.clone(),
                updated: None,
                of: Some((Item::Section(i), &s.extra)),
            });
            let per = s.meta.paginate_by.unwrap_or(0);
            if per > 0 && !self.config.exclude_paginated_pages_in_sitemap {
                let pp = s.meta.paginate_path.as_deref().unwrap_or("page");
                let pagers = pager_permalinks(&s.permalink, pp, s.pages.len(), per);
                entries.extend(pagers.into_iter().map(plain));
            }
        }
        for t in self.lib.taxonomies.iter().filter(|t| t.config.render) {
            entries.push(plain(t.permalink.clone()));
            let per = t.config.paginate_by.unwrap_or(0);
            let pp = t.config.paginate_path.as_deref().unwrap_or("page");
            for term in &t.terms {
                entries.push(plain(term.permalink.clone()));
                if per > 0 && !self.config.exclude_paginated_pages_in_sitemap {
                    let pagers = pager_permalinks(&term.permalink, pp, term.pages.len(), per);
                    entries.extend(pagers.into_iter().map(plain));
                }
            }
        }
        entries
    }

    /// A sitemap entry as the sitemap template sees it: a page or section has its `extra`,
    /// and its language versions when it has more than one (with `x-default`).
    fn sitemap_json(&self, e: &SitemapEntry) -> Value {
        let Some((item, extra)) = e.of else {
            return json!({"permalink": e.permalink, "updated": Value::Null, "alternates": []});
        };
        let list = self.item_alternates(item);
        let mut alternates: Vec<Value> = Vec::new();
        if list.len() >= 2 {
            alternates = list
                .iter()
                .map(|(l, p, _)| json!({"lang": l, "permalink": p}))
                .collect();
            let default = list
                .iter()
                .find(|(l, _, _)| *l == self.config.default_language);
            if let Some((_, p, _)) = default {
                alternates.push(json!({"lang": "x-default", "permalink": p}));
            }
        }
        json!({"permalink": e.permalink, "updated": e.updated, "extra": extra, "alternates": alternates})
    }

    fn simple(
        &self,
        template: &str,
        out: &str,
        enabled: bool,
    ) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        if !enabled {
            return Ok(Vec::new());
        }
        let lang = &self.config.default_language;
        let mut ctx = Context::new();
        ctx.insert("config", &self.data.config_json[lang]);
        ctx.insert("lang", lang);
        ctx.insert("alternates", &Vec::<Value>::new());
        Ok(vec![OutputFile::text(
            out,
            self.render(lang, template, &ctx, &self.config.file)?,
        )])
    }

    /// Zola renders one 404 page, in the default language. With `[hosting] server_configs`,
    /// Tre renders one per language too (`en/404.html`), which the server configurations
    /// send for missing pages under that language's prefix.
    fn not_found(&self) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        let mut out = self.simple("404.html", "404.html", true)?;
        if !self.config.hosting.server_configs {
            return Ok(out);
        }
        for l in &self.config.languages {
            let prefix = self.config.lang_prefix(&l.code);
            if prefix.is_empty() {
                continue;
            }
            let mut ctx = Context::new();
            ctx.insert("config", &self.data.config_json[&l.code]);
            ctx.insert("lang", &l.code);
            ctx.insert("alternates", &Vec::<Value>::new());
            ctx.insert("x_default", &Value::Null);
            out.push(OutputFile::text(
                format!("{}/404.html", prefix.trim_start_matches('/')),
                self.render(&l.code, "404.html", &ctx, &self.config.file)?,
            ));
        }
        Ok(out)
    }

    fn redirect(&self, from: &str, url: &str, lang: &str) -> Result<OutputFile, Vec<Diagnostic>> {
        let mut ctx = Context::new();
        ctx.insert("url", url);
        ctx.insert("lang", lang);
        ctx.insert("config", &self.data.config_json[lang]);
        Ok(OutputFile::text(
            index_html(from),
            self.render(lang, "internal/alias.html", &ctx, &self.config.file)?,
        ))
    }

    fn aliases(&self) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        let mut out = Vec::new();
        let pages = self
            .lib
            .pages
            .iter()
            .filter(|p| p.is_rendered())
            .map(|p| (&p.meta.aliases, &p.permalink, &p.source.lang));
        let sections = self
            .lib
            .sections
            .iter()
            .map(|s| (&s.meta.aliases, &s.permalink, &s.source.lang));
        for (aliases, permalink, lang) in pages.chain(sections) {
            for a in aliases {
                out.push(self.redirect(a, permalink, lang)?);
            }
        }
        Ok(out)
    }
}

/// Moves an owned value into a context; `Context::insert` would copy it through serde.
fn put(ctx: &mut Context, key: &str, value: Value) {
    let mut m = serde_json::Map::new();
    m.insert(key.to_string(), value);
    if let Ok(c) = Context::from_value(Value::Object(m)) {
        ctx.extend(c);
    }
}

/// One section's or term's pagers and what its paginator reports.
struct Pagination<'a> {
    pagers: &'a [Pager],
    per: usize,
    permalink: &'a str,
    paginate_path: &'a str,
    total: usize,
}

struct Pager {
    path: String,
    permalink: String,
    pages: Vec<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_lists_every_pager_from_the_first() {
        assert_eq!(
            pager_permalinks("https://x.org/blog/", "page", 3, 2),
            ["https://x.org/blog/page/1/", "https://x.org/blog/page/2/"]
        );
        assert!(pager_permalinks("https://x.org/blog/", "page", 0, 2).is_empty());
    }
}
