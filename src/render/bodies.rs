//! Renders Markdown bodies in parallel, with shortcodes rendered through the site's Tera
//! templates and `@/` links resolved against the library. One renderer for a whole build and
//! for the few items `tre serve` renders again.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Value, json};
use tera::{Context, Tera};

use crate::config::Config;
use crate::content::{Item, Library};
use crate::diag::{self, Diagnostic};
use crate::markdown::{
    self, Document, MarkdownConfig, RenderContext, ShortcodeCall, ShortcodeKind, SiteMarkdown,
};

use super::body::{Bodies, Body};
use super::data::SiteData;
use super::templates::{Templates, error_chain};

/// A body and its warnings, or its errors.
type BodyResult = Result<(Body, Vec<Diagnostic>), Vec<Diagnostic>>;

/// What rendering bodies needs besides the items: the stages' values, and `data`, the site as
/// shortcodes see it (pages and sections without content).
pub struct BodyInputs<'a> {
    pub config: &'a Config,
    pub lib: &'a Library,
    pub templates: &'a Templates,
    pub markdown: &'a SiteMarkdown,
    pub data: &'a SiteData,
    /// One Tera per language, its functions bound to `data`.
    pub teras: &'a HashMap<String, Tera>,
}

/// Renders all bodies and who links to whom; every problem of every page is returned at once.
pub fn render_all(inputs: &BodyInputs) -> Result<Bodies, Vec<Diagnostic>> {
    let lib = inputs.lib;
    let items: Vec<Item> = (0..lib.pages.len())
        .map(Item::Page)
        .chain((0..lib.sections.len()).map(Item::Section))
        .collect();
    let (mut all, mut warnings) = render_items(inputs, &items)?;
    let sections = all.split_off(lib.pages.len());
    let pages = all;
    let mut backlinks: HashMap<String, Vec<String>> = HashMap::new();
    // A fallback copy repeats its source's links; the source alone is listed as linking.
    let linking = items
        .iter()
        .zip(pages.iter().chain(&sections))
        .filter(|(it, _)| !lib.is_fallback(**it))
        .map(|(it, b)| (lib.item_relative(*it), b));
    for (from, body) in linking {
        for link in &body.internal_links {
            backlinks
                .entry(link.path.clone())
                .or_default()
                .push(from.to_string());
        }
    }
    warnings.extend(inputs.markdown.site.theme_warnings().into_iter().map(|m| {
        Diagnostic::warning(&inputs.config.file, None, m).with_help(format!(
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

/// Renders the bodies of `items`, in their order, and their warnings (sorted).
pub fn render_items(
    inputs: &BodyInputs,
    items: &[Item],
) -> Result<(Vec<Body>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let BodyInputs {
        config, lib, data, ..
    } = *inputs;
    let results: Vec<BodyResult> = items
        .par_iter()
        .map(|&item| {
            let (source, permalink, kind) = match item {
                Item::Page(i) => (&lib.pages[i].source, &lib.pages[i].permalink, "page"),
                Item::Section(i) => (
                    &lib.sections[i].source,
                    &lib.sections[i].permalink,
                    "section",
                ),
            };
            // A withdrawn page's text is not published any more: nothing renders it, so no
            // function, list, feed or search index can reach it (its notice needs none of it).
            if let Item::Page(i) = item
                && lib.pages[i].is_withdrawn()
            {
                return Ok((Body::default(), Vec::new()));
            }
            let lang = source.lang.as_str();
            let host = Host {
                tera: inputs.teras.get(lang).unwrap_or(&inputs.templates.tera),
                shortcodes: &inputs.templates.shortcodes,
                lib,
                space: lib.is_fallback(item).then(|| lang.to_string()),
                lang: lang.to_string(),
                config: shortcode_config(config, lang),
                page: data.shortcode_view(item),
                kind,
            };
            render_one(
                &source.file,
                &source.text,
                source.body_start,
                permalink,
                inputs.markdown.of(lib, item),
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
    diag::sort(&mut warnings);
    Ok((bodies, warnings))
}

/// `config` as shortcodes see it.
fn shortcode_config(config: &Config, lang: &str) -> Value {
    json!({"base_url": config.base_url, "extra": config.extra, "default_language": config.default_language, "title": config.language(lang).map(|l| &l.title)})
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
