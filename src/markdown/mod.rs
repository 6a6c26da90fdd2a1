//! Markdown bodies to HTML, as Zola renders them: pulldown-cmark, syntect highlighting,
//! shortcodes, `@/` internal links, heading ids, the table of contents and the summary.
//! Reads no files: templates are reached only through the `RenderContext` trait.

mod codeblock;
mod html;
mod shortcode;

use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::config::{MarkdownSettings, SlugifyConfig};
use crate::content::{Item, Library};
use crate::diag::{Diagnostic, LineCol, LineIndex, Severity};
use crate::text::{self, SlugifyMode};

pub use codeblock::{highlight_css, highlight_stylesheets, theme_names};

/// Render options, built once from `config.toml`'s `[markdown]` and `[slugify]`.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkdownConfig {
    pub smart_punctuation: bool,
    pub definition_list: bool,
    pub github_alerts: bool,
    pub bottom_footnotes: bool,
    pub lazy_async_image: bool,
    /// `:name:` becomes the emoji in text, as in Zola.
    pub render_emoji: bool,
    pub external_links_class: Option<String>,
    pub external_links_target_blank: bool,
    pub external_links_no_follow: bool,
    pub external_links_no_referrer: bool,
    /// `rel="external"`; on by default in Zola 0.22.
    pub external_links_external: bool,
    pub insert_anchor_links: InsertAnchor,
    /// `None`: code blocks are escaped text in `<pre><code data-lang="x">`, as in Zola 0.22.
    pub highlighting: Option<Highlighting>,
    pub slugify_anchors: SlugifyMode,
    /// What a shortcode call that cannot be parsed becomes (`[markdown] invalid_shortcodes`).
    pub invalid_shortcodes: InvalidShortcodes,
}

/// What happens to a call of a known shortcode that cannot be parsed: arguments Zola's
/// grammar rejects, a missing `)` or `}}`, a body shortcode without `{% end %}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InvalidShortcodes {
    /// A build error at the call (Tre's default): a broken call is never published as text.
    #[default]
    Error,
    /// Printed as text with a warning, as Zola does (content/shortcodes.md), for sites that
    /// rely on it.
    Text,
}

impl FromStr for InvalidShortcodes {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "error" => Ok(Self::Error),
            "text" => Ok(Self::Text),
            other => Err(format!(
                "markdown.invalid_shortcodes must be \"error\" or \"text\", found {other:?}"
            )),
        }
    }
}

/// The options of one build, computed once: the site's, and a section's own where its
/// `insert_anchor_links` differs. Zola applies a section's setting to its own body and its
/// pages' bodies, and looks no further up (content/section.md).
#[derive(Debug, Clone, PartialEq)]
pub struct SiteMarkdown {
    pub site: MarkdownConfig,
    by_section: Vec<Option<MarkdownConfig>>,
}

impl SiteMarkdown {
    pub fn new(config: &crate::config::Config, lib: &Library) -> Result<Self, Vec<Diagnostic>> {
        let site = MarkdownConfig::of_site(config)?;
        let by_section = lib
            .sections
            .iter()
            .map(|s| {
                let insert = s.meta.insert_anchor_links.as_deref()?.parse().ok()?;
                (insert != site.insert_anchor_links).then(|| MarkdownConfig {
                    insert_anchor_links: insert,
                    ..site.clone()
                })
            })
            .collect();
        Ok(Self { site, by_section })
    }

    /// The options the body of `item` renders with.
    pub fn of(&self, lib: &Library, item: Item) -> &MarkdownConfig {
        let section = match item {
            Item::Page(i) => lib.pages.get(i).and_then(|p| p.parent),
            Item::Section(i) => Some(i),
        };
        section
            .and_then(|i| self.by_section.get(i)?.as_ref())
            .unwrap_or(&self.site)
    }
}

impl Default for MarkdownConfig {
    /// Zola's defaults (getting-started/configuration.md, `[markdown]`).
    fn default() -> Self {
        Self {
            smart_punctuation: false,
            definition_list: false,
            github_alerts: false,
            bottom_footnotes: false,
            lazy_async_image: false,
            render_emoji: false,
            external_links_class: None,
            external_links_target_blank: false,
            external_links_no_follow: false,
            external_links_no_referrer: false,
            external_links_external: true,
            insert_anchor_links: InsertAnchor::None,
            highlighting: None,
            slugify_anchors: SlugifyMode::On,
            invalid_shortcodes: InvalidShortcodes::Error,
        }
    }
}

impl MarkdownConfig {
    /// Builds render options from the raw `[markdown]` and `[slugify]` tables. Errors name
    /// the key at fault, ready for a config diagnostic.
    pub fn from_settings(md: &MarkdownSettings, slugify: &SlugifyConfig) -> Result<Self, String> {
        let insert_anchor_links = md.insert_anchor_links.parse()?;
        let invalid_shortcodes = md.invalid_shortcodes.parse()?;
        let highlighting = match &md.highlighting {
            None => None,
            Some(h) => {
                let style = match h.style.as_deref() {
                    None | Some("inline") => HighlightStyle::Inline,
                    Some("class") => HighlightStyle::Class,
                    Some(other) => {
                        return Err(format!(
                            "markdown.highlighting.style must be \"inline\" or \"class\", found {other:?}"
                        ));
                    }
                };
                // `light_theme` + `dark_theme` make a dual theme; `theme` alone a single one.
                let (theme, dark_theme) = match (&h.theme, &h.light_theme, &h.dark_theme) {
                    (None, Some(light), Some(dark)) => (light.clone(), Some(dark.clone())),
                    (theme, light, dark) => (
                        theme
                            .clone()
                            .or_else(|| light.clone())
                            .or_else(|| dark.clone())
                            .unwrap_or_else(|| "base16-ocean.dark".to_string()),
                        None,
                    ),
                };
                Some(Highlighting {
                    theme,
                    dark_theme,
                    style,
                    error_on_missing_language: h.error_on_missing_language,
                })
            }
        };
        let config = Self {
            smart_punctuation: md.smart_punctuation,
            definition_list: md.definition_list,
            github_alerts: md.github_alerts,
            bottom_footnotes: md.bottom_footnotes,
            lazy_async_image: md.lazy_async_image,
            render_emoji: md.render_emoji,
            external_links_class: md.external_links_class.clone().filter(|c| !c.is_empty()),
            external_links_target_blank: md.external_links_target_blank,
            external_links_no_follow: md.external_links_no_follow,
            external_links_no_referrer: md.external_links_no_referrer,
            external_links_external: md.external_links_external,
            insert_anchor_links,
            highlighting,
            slugify_anchors: slugify.anchors,
            invalid_shortcodes,
        };
        Ok(config)
    }

    /// The options of the site's config, or its error as a config diagnostic.
    pub fn of_site(config: &crate::config::Config) -> Result<Self, Vec<Diagnostic>> {
        Self::from_settings(&config.markdown, &config.slugify)
            .map_err(|m| vec![Diagnostic::error(&config.file, None, m)])
    }

    /// One message for each highlighting theme syntect lacks and the theme standing in for
    /// it. Zola 0.22 highlights with giallo, whose theme names differ from syntect's, so an
    /// unknown name is a warning rather than a reason to stop the build.
    pub fn theme_warnings(&self) -> Vec<String> {
        let Some(h) = &self.highlighting else {
            return Vec::new();
        };
        std::iter::once(&h.theme)
            .chain(&h.dark_theme)
            .filter(|t| !codeblock::is_known_theme(t))
            .map(|t| {
                format!(
                    "highlighting theme `{t}` is not one of syntect's; code is coloured with `{}` instead",
                    codeblock::stand_in_theme(t)
                )
            })
            .collect()
    }

    fn has_external_link_attributes(&self) -> bool {
        self.external_links_class.is_some()
            || self.external_links_target_blank
            || self.external_links_no_follow
            || self.external_links_no_referrer
            || self.external_links_external
    }
}

/// Where heading anchor links go (`insert_anchor_links`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InsertAnchor {
    #[default]
    None,
    Left,
    Right,
    /// The whole heading text becomes the link.
    Heading,
}

impl FromStr for InsertAnchor {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "none" => Ok(Self::None),
            "left" => Ok(Self::Left),
            "right" => Ok(Self::Right),
            "heading" => Ok(Self::Heading),
            other => Err(format!(
                "insert_anchor_links must be \"none\", \"left\", \"right\" or \"heading\", found {other:?}"
            )),
        }
    }
}

/// `[markdown.highlighting]` with a syntect theme name.
#[derive(Debug, Clone, PartialEq)]
pub struct Highlighting {
    /// A syntect theme name such as `base16-ocean.dark` or `InspiredGitHub`; the light one
    /// of a dual theme.
    pub theme: String,
    /// With `light_theme` and `dark_theme`: colours become `light-dark(light, dark)` inline,
    /// or `giallo-light.css` and `giallo-dark.css` with classes.
    pub dark_theme: Option<String>,
    pub style: HighlightStyle,
    /// Whether a code block in a language syntect does not know is an error (else a warning).
    pub error_on_missing_language: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HighlightStyle {
    /// `<span style="color:#…">`
    Inline,
    /// `<span class="z-…">`, styled by `highlight_css`.
    Class,
}

/// What the Markdown renderer needs from templates and the content library.
pub trait RenderContext: Sync {
    /// `@/blog/post.md` → its permalink. `path` has no `@/` and no `#anchor`. None = no such file.
    fn resolve_internal(&self, path: &str) -> Option<String>;
    /// Whether a shortcode exists, and whether it is a Markdown (`.md`) or HTML (`.html`) one.
    fn shortcode_kind(&self, name: &str) -> Option<ShortcodeKind>;
    /// Renders one shortcode call through its template. Err(message) = Tera error text.
    fn render_shortcode(&self, call: &ShortcodeCall) -> Result<String, String>;
    /// Renders the anchor link for a heading (templates/anchor-link.html if the site has one, else the built-in).
    fn render_anchor_link(&self, id: &str, level: u8) -> String;
    /// A Markdown image `![alt](src "title")` as a responsive `<picture>`, when the site asks
    /// for them and `src` is a picture of the site; `None` keeps the plain `<img>`. `alt` and
    /// `title` are text, not yet escaped.
    fn render_picture(&self, _src: &str, _alt: &str, _title: &str) -> Option<String> {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShortcodeKind {
    /// `templates/shortcodes/name.md`: its output is Markdown, parsed with the page.
    Markdown,
    /// `templates/shortcodes/name.html`: its output is inserted as is.
    Html,
}

/// One shortcode call as written in a page.
#[derive(Debug, Clone, PartialEq)]
pub struct ShortcodeCall<'a> {
    pub name: &'a str,
    pub args: serde_json::Map<String, serde_json::Value>,
    /// The text between `{% name() %}` and `{% end %}`, trimmed.
    pub body: Option<&'a str>,
    /// 1-based count of this shortcode name in this document.
    pub nth: usize,
}

/// A Markdown file to render.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    /// Relative to the site root, for diagnostics, e.g. `content/blog/a.md`.
    pub file: &'a Path,
    /// The whole file text (NFC).
    pub text: &'a str,
    /// Byte offset where the Markdown body starts (after front matter).
    pub body_start: usize,
    /// The page's permalink, for TOC links `permalink#id` and colocated assets.
    pub permalink: &'a str,
}

/// A heading in the table of contents, nested as Zola nests them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    /// The heading's text, without markup.
    pub title: String,
    pub permalink: String,
    pub children: Vec<Heading>,
}

/// A rendered body and what the later stages need to know about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub html: String,
    /// HTML before `<!-- more -->`, unclosed tags closed; `None` if there is no marker.
    pub summary: Option<String>,
    pub toc: Vec<Heading>,
    /// Every id in the page: headings, `continue-reading`, footnotes and ids in raw HTML.
    pub anchors: Vec<String>,
    /// Every `@/…` link, resolved or not.
    pub internal_links: Vec<InternalLink>,
    pub external_links: Vec<String>,
    pub word_count: usize,
    pub reading_time: usize,
    /// Problems that did not stop the page (unknown code block languages).
    pub warnings: Vec<Diagnostic>,
}

/// An `@/path.md#anchor` link, where the page wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalLink {
    /// Relative to `content/`, percent-decoded, without `@/` and `#anchor`.
    pub path: String,
    pub anchor: Option<String>,
    pub at: LineCol,
}

/// A problem found while rendering, at a byte offset in whichever text the finder was
/// reading; `render` turns it into a `Diagnostic` in file coordinates.
#[derive(Debug)]
struct Problem {
    offset: usize,
    severity: Severity,
    message: String,
    help: Option<String>,
}

impl Problem {
    fn error(offset: usize, message: impl Into<String>) -> Self {
        Self {
            offset,
            severity: Severity::Error,
            message: message.into(),
            help: None,
        }
    }

    fn warning(offset: usize, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(offset, message)
        }
    }

    fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Renders a page or section body. Errors (broken `@/` links, unknown or failing
/// shortcodes, unknown code languages when configured so) come back all together.
pub fn render(
    doc: &Document,
    config: &MarkdownConfig,
    ctx: &dyn RenderContext,
) -> Result<Rendered, Vec<Diagnostic>> {
    let Some(body) = doc.text.get(doc.body_start..) else {
        return Err(vec![Diagnostic::error(
            doc.file,
            None,
            "the Markdown body starts outside the file text",
        )]);
    };
    let mut sc_problems = Vec::new();
    let expanded = shortcode::expand(body, ctx, config.invalid_shortcodes, &mut sc_problems);
    let out = html::render_events(
        &expanded.text,
        &expanded.html,
        &html::Page {
            permalink: doc.permalink,
            config,
            ctx,
        },
    );
    let needs_index = !sc_problems.is_empty() || !out.problems.is_empty() || !out.links.is_empty();
    let index = needs_index.then(|| LineIndex::new(doc.text));
    let locate = |body_offset: usize| {
        index.as_ref().map_or(LineCol { line: 1, col: 1 }, |i| {
            i.locate(doc.body_start + body_offset)
        })
    };
    let mut problems: Vec<Diagnostic> = sc_problems
        .into_iter()
        .map(|p| (p.offset, p))
        .chain(
            out.problems
                .into_iter()
                .map(|p| (expanded.map.to_source(p.offset), p)),
        )
        .map(|(offset, p)| {
            let d = Diagnostic {
                file: doc.file.to_path_buf(),
                at: Some(locate(offset)),
                severity: p.severity,
                message: p.message,
                help: None,
            };
            match p.help {
                Some(h) => d.with_help(h),
                None => d,
            }
        })
        .collect();
    crate::diag::sort(&mut problems);
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    let internal_links = out
        .links
        .into_iter()
        .map(|l| InternalLink {
            path: l.path,
            anchor: l.anchor,
            at: locate(expanded.map.to_source(l.offset)),
        })
        .collect();
    let word_count = text::markdown_word_count(doc.text.get(doc.body_start..).unwrap_or(""));
    Ok(Rendered {
        html: out.html,
        summary: out.summary,
        toc: make_table_of_contents(out.headings, doc.permalink),
        anchors: out.anchors,
        internal_links,
        external_links: out.external_links,
        word_count,
        reading_time: text::reading_time(word_count),
        warnings: problems,
    })
}

/// Renders Markdown for Tera's `markdown` filter: shortcodes work, but there is no page, so
/// no permalink. With `inline`, the wrapping `<p>` is dropped, as Zola does.
pub fn render_str(
    text: &str,
    inline: bool,
    config: &MarkdownConfig,
    ctx: &dyn RenderContext,
) -> Result<String, String> {
    let doc = Document {
        file: Path::new(""),
        text,
        body_start: 0,
        permalink: "",
    };
    match render(&doc, config, ctx) {
        Ok(r) if inline => Ok(r
            .html
            .trim_start_matches("<p>")
            .trim_end_matches("</p>\n")
            .to_string()),
        Ok(r) => Ok(r.html),
        Err(problems) => Err(problems
            .iter()
            .filter(|p| p.is_error())
            .map(|p| match p.at {
                Some(at) => format!("{}:{}: {}", at.line, at.col, p.message),
                None => p.message.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ")),
    }
}

/// Nests flat headings: each goes under the nearest earlier heading of a lower level
/// (Zola's `make_table_of_contents`).
fn make_table_of_contents(flat: Vec<html::HeadingInfo>, permalink: &str) -> Vec<Heading> {
    let mut toc: Vec<Heading> = Vec::new();
    for h in flat {
        let heading = Heading {
            level: h.level,
            permalink: format!("{permalink}#{}", h.id),
            id: h.id,
            title: h.title,
            children: Vec::new(),
        };
        if let Some(h) = insert_into(toc.last_mut(), heading) {
            toc.push(h);
        }
    }
    toc
}

/// Puts `heading` somewhere under `parent`, or gives it back if it cannot go there.
fn insert_into(parent: Option<&mut Heading>, heading: Heading) -> Option<Heading> {
    let Some(parent) = parent else {
        return Some(heading);
    };
    if heading.level <= parent.level {
        return Some(heading);
    }
    if heading.level == parent.level + 1 {
        parent.children.push(heading);
        return None;
    }
    if let Some(h) = insert_into(parent.children.last_mut(), heading) {
        parent.children.push(h);
    }
    None
}

#[cfg(test)]
mod tests;
