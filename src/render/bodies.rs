//! Renders Markdown bodies in parallel, with shortcodes rendered through the site's Tera
//! templates and `@/` links resolved against the library. One renderer for a whole build and
//! for the few items `tre serve` renders again.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use serde_json::{Value, json};
use tera::{Context, Tera};

use crate::assets::ImageQueue;
use crate::compressed::Compressed;
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
    /// Where `resize_image` plans pictures; Markdown images use it too with
    /// `[hosting] responsive_images`.
    pub images: &'a ImageQueue,
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
                pictures: config.hosting.responsive_images.then_some(inputs.images),
                colocated: source.colocated_path.as_deref(),
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
            html: Compressed::from(r.html),
            summary: r.summary,
            toc: toc_json(&r.toc),
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
    /// With `[hosting] responsive_images`: the queue Markdown images' pictures go to.
    pictures: Option<&'a ImageQueue>,
    /// The directory of a page with colocated files (`tin-tuc/cau-moi/`), relative to content/.
    colocated: Option<&'a str>,
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

    fn render_picture(&self, src: &str, alt: &str, title: &str) -> Option<String> {
        let path = picture_path(src, self.colocated)?;
        render_picture(self.pictures?, &path, alt, title)
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

/// The path `resize_image` takes for a Markdown image's destination: `/images/a.jpg` (static/
/// or content/), `@/tin-tuc/a.jpg`, or `a.jpg` beside a page with colocated files. `None`
/// for a remote picture, a data URL, one with a query or fragment, or a relative one on a
/// page without a directory of its own (it is relative to the page's URL, not to a file).
fn picture_path(src: &str, colocated: Option<&str>) -> Option<String> {
    if src.is_empty() || src.starts_with("//") || src.contains([':', '?', '#']) {
        return None;
    }
    if let Some(rest) = src.strip_prefix('/') {
        return Some(rest.to_string());
    }
    if src.starts_with("@/") {
        return Some(src.to_string());
    }
    colocated.map(|dir| format!("{dir}{src}"))
}

/// What the portal theme's `figure` shortcode makes, for a Markdown image: lossy WebP and a
/// JPEG (a PNG for a PNG, which may be transparent) at 480 and 960 px wide, never upscaled,
/// with the same sizes and qualities, so a picture used by both is encoded once. `None` for
/// SVG, GIF and anything that is not a picture the site has.
fn render_picture(queue: &ImageQueue, path: &str, alt: &str, title: &str) -> Option<String> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    let fallback = match ext.as_str() {
        "jpg" | "jpeg" | "webp" => "jpg",
        "png" => "png",
        _ => return None,
    };
    let resize = |width: u32, format: &str, quality: u8| {
        let args = HashMap::from([
            ("path".to_string(), json!(path)),
            ("width".to_string(), json!(width)),
            ("op".to_string(), json!("fit_width")),
            ("format".to_string(), json!(format)),
            ("quality".to_string(), json!(quality)),
        ]);
        let v = queue.enqueue(&args).ok()?;
        let url = v
            .get("url")?
            .as_str()?
            .replace('&', "&amp;")
            .replace('"', "&quot;");
        let size = |k: &str| v.get(k).and_then(Value::as_u64);
        Some((url, size("width")?, size("height")?, size("orig_width")?))
    };
    let small = resize(480, fallback, 70)?;
    let small_webp = resize(480, "webp", 70)?;
    let sizes = "(max-width: 50rem) calc(100vw - 2rem), 48rem";
    let mut html = String::from("<picture>");
    let img = if small.3 <= 480 {
        // No wider than the small size: one picture of its own width.
        html.push_str(&format!(
            "<source type=\"image/webp\" srcset=\"{}\">\n",
            small_webp.0
        ));
        format!(
            "<img src=\"{}\" width=\"{}\" height=\"{}\"",
            small.0, small.1, small.2
        )
    } else {
        let large = resize(960, fallback, 60)?;
        let large_webp = resize(960, "webp", 65)?;
        html.push_str(&format!(
            "<source type=\"image/webp\" srcset=\"{} {}w, {} {}w\" sizes=\"{sizes}\">\n",
            small_webp.0, small_webp.1, large_webp.0, large_webp.1
        ));
        format!(
            "<img src=\"{}\" srcset=\"{} {}w, {} {}w\" sizes=\"{sizes}\" width=\"{}\" height=\"{}\"",
            large.0, small.0, small.1, large.0, large.1, large.1, large.2
        )
    };
    html.push_str(&img);
    html.push_str(&format!(" alt=\"{}\"", tera::escape_html(alt)));
    if !title.is_empty() {
        html.push_str(&format!(" title=\"{}\"", tera::escape_html(title)));
    }
    html.push_str(" loading=\"lazy\" decoding=\"async\"></picture>");
    Some(html)
}

/// A table of contents as the JSON templates read, compressed (see `Body::toc`).
pub fn toc_json(toc: &[markdown::Heading]) -> Compressed {
    Compressed::from(serde_json::to_string(toc).unwrap_or_else(|_| "[]".to_string()))
}
