//! Renders every page's and section's Markdown in parallel, with shortcodes rendered through
//! the site's Tera templates and `@/` links resolved against the library.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Value, json};
use tera::{Context, Tera};

use crate::config::Config;
use crate::content::Library;
use crate::diag::{self, Diagnostic};
use crate::markdown::{
    self, Document, Heading, MarkdownConfig, RenderContext, ShortcodeCall, ShortcodeKind,
};

use super::data::SiteData;
use super::templates::{Templates, error_chain};

/// A rendered Markdown body and what the rest of the build needs from it.
#[derive(Debug, Default, Clone)]
pub struct Body {
    /// Shared with the site data, which copies it into a context only where a template reads it.
    pub html: Arc<str>,
    pub summary: Option<String>,
    pub toc: Arc<Vec<Heading>>,
    pub anchors: Vec<String>,
    pub internal_links: Vec<markdown::InternalLink>,
    pub word_count: usize,
    pub reading_time: usize,
}

/// Bodies of all pages and sections, indexed like the library, plus who links to whom.
#[derive(Debug, Default)]
pub struct Bodies {
    pub pages: Vec<Body>,
    pub sections: Vec<Body>,
    /// Relative path of a target → relative paths of the items linking to it.
    pub backlinks: HashMap<String, Vec<String>>,
    pub warnings: Vec<Diagnostic>,
}

impl Bodies {
    pub fn backlinks_json(&self, _config: &Config, lib: &Library, relative: &str) -> Value {
        let Some(from) = self.backlinks.get(relative) else {
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
}

/// A body and its warnings, or its errors.
type BodyResult = Result<(Body, Vec<Diagnostic>), Vec<Diagnostic>>;

/// Markdown options from `[markdown]` and `[slugify]`.
pub fn markdown_config(config: &Config) -> Result<MarkdownConfig, Vec<Diagnostic>> {
    markdown::MarkdownConfig::from_settings(&config.markdown, &config.slugify)
        .map_err(|m| vec![Diagnostic::error(&config.file, None, m)])
}

/// Renders all bodies; every problem of every page is returned at once.
pub fn render_all(
    config: &Config,
    lib: &Library,
    templates: &Templates,
    teras: &HashMap<String, Tera>,
) -> Result<Bodies, Vec<Diagnostic>> {
    let md = markdown_config(config)?;
    let config_json: HashMap<&str, Value> = config
        .languages
        .iter()
        .map(|l| (l.code.as_str(), json!({"base_url": config.base_url, "extra": config.extra, "default_language": config.default_language, "title": l.title})))
        .collect();
    let host = |lang: &str, page: Value, kind: &'static str, is_fallback: bool| Host {
        tera: teras.get(lang).unwrap_or(&templates.tera),
        shortcodes: &templates.shortcodes,
        lib,
        space: is_fallback.then(|| lang.to_string()),
        lang: lang.to_string(),
        config: config_json.get(lang).cloned().unwrap_or(Value::Null),
        page,
        kind,
    };
    // A section's `insert_anchor_links` applies to its own body and its pages' bodies;
    // Zola looks no further up than the page's own section (content/section.md).
    let md_by_section: Vec<Option<MarkdownConfig>> = lib
        .sections
        .iter()
        .map(|s| {
            let insert = s.meta.insert_anchor_links.as_deref()?.parse().ok()?;
            (insert != md.insert_anchor_links).then(|| MarkdownConfig {
                insert_anchor_links: insert,
                ..md.clone()
            })
        })
        .collect();
    let md_for = |section: Option<usize>| {
        section
            .and_then(|i| md_by_section.get(i)?.as_ref())
            .unwrap_or(&md)
    };
    let pages: Vec<BodyResult> = lib
        .pages
        .par_iter()
        .map(|p| {
            // Zola gives shortcodes the whole page, less what only rendering makes
            // (content, summary, toc, word counts) and what the library links (lower, higher).
            let meta = json!({"title": p.meta.title, "permalink": p.permalink, "path": p.path, "lang": p.content_lang(), "extra": p.extra, "relative_path": p.source.relative, "colocated_path": p.source.colocated_path, "description": p.meta.description, "date": p.date.as_ref().map(|d| &d.text), "updated": p.updated.as_ref().map(|d| &d.text), "slug": p.slug, "ancestors": p.ancestors, "taxonomies": p.meta.taxonomies, "authors": p.meta.authors, "components": p.components, "assets": super::data::page_assets(p), "draft": p.meta.draft});
            render_one(
                &p.source.file,
                &p.source.text,
                p.source.body_start,
                &p.permalink,
                md_for(p.parent),
                &host(&p.source.lang, meta, "page", p.fallback.is_some()),
            )
        })
        .collect();
    let sections: Vec<BodyResult> = lib
        .sections
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            let meta = json!({"title": s.meta.title, "permalink": s.permalink, "path": s.path, "lang": s.content_lang(), "extra": s.extra, "relative_path": s.source.relative, "description": s.meta.description, "ancestors": s.ancestors, "components": s.components, "assets": super::data::section_assets(s)});
            render_one(
                &s.source.file,
                &s.source.text,
                s.source.body_start,
                &s.permalink,
                md_for(Some(i)),
                &host(&s.source.lang, meta, "section", s.fallback.is_some()),
            )
        })
        .collect();
    let mut warnings = Vec::new();
    let mut split = |v: Vec<BodyResult>| {
        diag::collect_all(
            v.into_iter()
                .map(|r| {
                    r.map(|(b, mut w)| {
                        warnings.append(&mut w);
                        b
                    })
                })
                .collect(),
        )
    };
    let pages = split(pages);
    let sections = split(sections);
    let (pages, sections) = match (pages, sections) {
        (Ok(p), Ok(s)) => (p, s),
        (p, s) => {
            let mut all: Vec<Diagnostic> = p.err().into_iter().chain(s.err()).flatten().collect();
            diag::sort(&mut all);
            return Err(all);
        }
    };
    let mut backlinks: HashMap<String, Vec<String>> = HashMap::new();
    // A fallback copy repeats its source's links; the source alone is listed as linking.
    let items = lib
        .pages
        .iter()
        .zip(&pages)
        .filter(|(p, _)| p.fallback.is_none())
        .map(|(p, b)| (&p.source.relative, b))
        .chain(
            lib.sections
                .iter()
                .zip(&sections)
                .filter(|(s, _)| s.fallback.is_none())
                .map(|(s, b)| (&s.source.relative, b)),
        );
    for (from, body) in items {
        for link in &body.internal_links {
            backlinks
                .entry(link.path.clone())
                .or_default()
                .push(from.clone());
        }
    }
    warnings.extend(md.theme_warnings().into_iter().map(|m| {
        Diagnostic::warning(&config.file, None, m).with_help(format!(
            "only the colours differ; syntect's themes are: {}",
            markdown::theme_names().join(", ")
        ))
    }));
    diag::sort(&mut warnings);
    Ok(Bodies {
        pages,
        sections,
        backlinks,
        warnings,
    })
}

fn render_one(
    file: &Path,
    text: &str,
    body_start: usize,
    permalink: &str,
    md: &MarkdownConfig,
    host: &Host,
) -> BodyResult {
    if text.get(body_start..).is_none_or(|b| b.trim().is_empty()) {
        return Ok((Body { ..Body::default() }, Vec::new()));
    }
    let doc = Document {
        file,
        text,
        body_start,
        permalink,
    };
    let mut r = markdown::render(&doc, md, host)?;
    // Bodies live for the whole build; growing strings leave up to half their capacity unused.
    if let Some(s) = r.summary.as_mut() {
        s.shrink_to_fit();
    }
    r.anchors.shrink_to_fit();
    let warnings = r.warnings;
    Ok((
        Body {
            html: Arc::from(r.html),
            summary: r.summary,
            toc: Arc::new(r.toc),
            anchors: r.anchors,
            internal_links: r.internal_links,
            word_count: r.word_count,
            reading_time: r.reading_time,
        },
        warnings,
    ))
}

/// What shortcodes see: the page or section (without content), `lang`, `config`, and the args.
struct Host<'a> {
    tera: &'a Tera,
    shortcodes: &'a HashMap<String, ShortcodeKind>,
    /// Resolves `@/` links.
    lib: &'a Library,
    /// For a content-fallback copy, the language whose URL space its `@/` links stay in when
    /// the target has a version there.
    space: Option<String>,
    lang: String,
    config: Value,
    page: Value,
    kind: &'static str,
}

impl RenderContext for Host<'_> {
    fn resolve_internal(&self, path: &str) -> Option<String> {
        let item = self.lib.get(path)?;
        let local = self
            .space
            .as_deref()
            .and_then(|lang| self.lib.version_in(item, lang));
        Some(self.lib.item_permalink(local.unwrap_or(item)).to_string())
    }

    fn shortcode_kind(&self, name: &str) -> Option<ShortcodeKind> {
        self.shortcodes.get(name).copied()
    }

    fn render_shortcode(&self, call: &ShortcodeCall) -> Result<String, String> {
        let ext = match self.shortcode_kind(call.name) {
            Some(ShortcodeKind::Markdown) => "md",
            _ => "html",
        };
        let mut ctx = Context::new();
        for (k, v) in &call.args {
            ctx.insert(k.as_str(), v);
        }
        ctx.insert("nth", &call.nth);
        ctx.insert("lang", &self.lang);
        ctx.insert("config", &self.config);
        ctx.insert(self.kind, &self.page);
        if let Some(body) = call.body {
            ctx.insert("body", body);
        }
        self.tera
            .render(&format!("shortcodes/{}.{ext}", call.name), &ctx)
            .map_err(|e| error_chain(&e))
    }

    fn render_anchor_link(&self, id: &str, level: u8) -> String {
        let mut ctx = Context::new();
        ctx.insert("id", id);
        ctx.insert("level", &level);
        ctx.insert("lang", &self.lang);
        self.tera
            .render("anchor-link.html", &ctx)
            .unwrap_or_default()
    }
}

/// What the `markdown` filter's Markdown sees: no page and no shortcodes. Its `@/` links
/// resolve against the site, as in Zola, when the site is known.
pub struct Detached<'a>(pub Option<&'a SiteData>);

impl RenderContext for Detached<'_> {
    fn resolve_internal(&self, path: &str) -> Option<String> {
        self.0?.permalink_of(path).map(str::to_string)
    }

    fn shortcode_kind(&self, _name: &str) -> Option<ShortcodeKind> {
        None
    }

    fn render_shortcode(&self, call: &ShortcodeCall) -> Result<String, String> {
        Err(format!(
            "shortcode `{}` is not available in the markdown filter",
            call.name
        ))
    }

    fn render_anchor_link(&self, _id: &str, _level: u8) -> String {
        String::new()
    }
}

/// Renders the bodies of `items` only, for `tre serve`; same output as `render_all` gives them.
pub fn render_items(
    config: &Config,
    lib: &Library,
    templates: &Templates,
    teras: &HashMap<String, Tera>,
    items: &[crate::content::Item],
) -> Result<(Vec<Body>, Vec<Diagnostic>), Vec<Diagnostic>> {
    use crate::content::Item;
    let md = markdown_config(config)?;
    let results: Vec<BodyResult> = items
        .par_iter()
        .map(|&item| {
            let (source, permalink, meta, kind) = match item {
                Item::Page(i) => {
                    let p = &lib.pages[i];
                    // Zola gives shortcodes the whole page, less what only rendering makes
            // (content, summary, toc, word counts) and what the library links (lower, higher).
            let meta = json!({"title": p.meta.title, "permalink": p.permalink, "path": p.path, "lang": p.content_lang(), "extra": p.extra, "relative_path": p.source.relative, "colocated_path": p.source.colocated_path, "description": p.meta.description, "date": p.date.as_ref().map(|d| &d.text), "updated": p.updated.as_ref().map(|d| &d.text), "slug": p.slug, "ancestors": p.ancestors, "taxonomies": p.meta.taxonomies, "authors": p.meta.authors, "components": p.components, "assets": super::data::page_assets(p), "draft": p.meta.draft});
                    (&p.source, &p.permalink, meta, "page")
                }
                Item::Section(i) => {
                    let s = &lib.sections[i];
                    let meta = json!({"title": s.meta.title, "permalink": s.permalink, "path": s.path, "lang": s.content_lang(), "extra": s.extra, "relative_path": s.source.relative, "description": s.meta.description, "ancestors": s.ancestors, "components": s.components, "assets": super::data::section_assets(s)});
                    (&s.source, &s.permalink, meta, "section")
                }
            };
            let lang = source.lang.as_str();
            let host = Host {
                tera: teras.get(lang).unwrap_or(&templates.tera),
                shortcodes: &templates.shortcodes,
                lib,
                space: lib.is_fallback(item).then(|| lang.to_string()),
                lang: lang.to_string(),
                config: json!({"base_url": config.base_url, "extra": config.extra, "default_language": config.default_language, "title": config.language(lang).map(|l| &l.title)}),
                page: meta,
                kind,
            };
            render_one(
                &source.file,
                &source.text,
                source.body_start,
                permalink,
                &md,
                &host,
            )
        })
        .collect();
    let mut warnings = Vec::new();
    let bodies = diag::collect_all(
        results
            .into_iter()
            .map(|r| {
                r.map(|(b, mut w)| {
                    warnings.append(&mut w);
                    b
                })
            })
            .collect(),
    )?;
    Ok((bodies, warnings))
}
