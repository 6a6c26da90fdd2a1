//! The pulldown-cmark event pass: links, images, code blocks, headings, the summary marker,
//! shortcode placeholders and footnotes, then HTML. Void elements are written without the
//! `/>` that pulldown-cmark's own writer uses, so the output is plain HTML5.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::ptr;
use std::sync::LazyLock;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use regex::Regex;

use super::codeblock::{self, Fence, push_escaped, push_href};
use super::shortcode::{Piece, fill_placeholders, split_placeholders};
use super::{InsertAnchor, MarkdownConfig, Problem, RenderContext};
use crate::diag::Severity;
use crate::text;

// A `static`, not a `const`: the summary pass finds the marker event by its address.
static CONTINUE_READING: &str = "<span id=\"continue-reading\"></span>";

// Zola accepts any case and spacing inside the marker (content/page.md, "Summary").
/// GitHub's emoji names, as Zola's `render_emoji` uses them.
static EMOJI: LazyLock<gh_emoji::Replacer> = LazyLock::new(gh_emoji::Replacer::new);

#[allow(clippy::expect_used, reason = "constant pattern")]
static MORE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)<!--\s*more\s*-->").expect("valid regex"));

#[allow(clippy::expect_used, reason = "constant pattern")]
static ID_ATTR_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"#).expect("valid regex")
});

/// The opening `<a …>` of the anchor-link template, for `insert_anchor_links = "heading"`.
#[allow(clippy::expect_used, reason = "constant pattern")]
static A_OPEN_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)(<\s*a[^>]*>).*?<\s*/\s*a\s*>").expect("valid regex"));

/// Footnote references, which the summary drops (its footnotes are not in it).
#[allow(clippy::expect_used, reason = "constant pattern")]
static FOOTNOTE_REF_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<sup class="footnote-reference"[^>]*><a href=[^>]*>[^<]*</a></sup>"#)
        .expect("valid regex")
});

/// What the pass needs to know about the page.
pub(super) struct Page<'c> {
    pub permalink: &'c str,
    pub config: &'c MarkdownConfig,
    pub ctx: &'c dyn RenderContext,
}

pub(super) struct Output {
    pub html: String,
    pub summary: Option<String>,
    pub headings: Vec<HeadingInfo>,
    pub anchors: Vec<String>,
    pub links: Vec<LinkInfo>,
    pub external_links: Vec<String>,
    /// Offsets are in the text given to `render_events`.
    pub problems: Vec<Problem>,
}

pub(super) struct HeadingInfo {
    pub level: u8,
    pub id: String,
    pub title: String,
}

pub(super) struct LinkInfo {
    pub path: String,
    pub anchor: Option<String>,
    pub offset: usize,
}

/// Parses `text` (shortcodes already expanded; `shortcodes[n]` is the HTML for placeholder
/// `n`) and renders it.
pub(super) fn render_events(text: &str, shortcodes: &[String], page: &Page<'_>) -> Output {
    let mut pass = Pass {
        page,
        shortcodes,
        events: Vec::with_capacity(text.len() / 8),
        code: None,
        image: None,
        para: None,
        headings: Vec::new(),
        source_len: text.len(),
        has_summary: false,
        anchors: Vec::new(),
        links: Vec::new(),
        external_links: Vec::new(),
        problems: Vec::new(),
    };
    for (event, range) in Parser::new_ext(text, options(page.config)).into_offset_iter() {
        pass.event(event, range);
    }
    pass.finish()
}

fn options(config: &MarkdownConfig) -> Options {
    let mut opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if config.smart_punctuation {
        opts |= Options::ENABLE_SMART_PUNCTUATION;
    }
    if config.definition_list {
        opts |= Options::ENABLE_DEFINITION_LIST;
    }
    if config.github_alerts {
        opts |= Options::ENABLE_GFM;
    }
    opts
}

struct CodeState {
    info: String,
    offset: usize,
    text: String,
}

struct ImageState {
    /// The destination as written, before a colocated one is made absolute.
    written: String,
    src: String,
    title: String,
    alt: String,
    /// Images nested in the alt text, whose ends are not ours.
    depth: usize,
}

/// The paragraph being read: a paragraph holding only an HTML shortcode loses its `<p>`,
/// as in Zola.
struct ParaState {
    start: usize,
    shortcodes: usize,
    has_other: bool,
}

struct HeadingRef {
    start: usize,
    end: usize,
    level: u8,
    id: Option<String>,
    classes: Vec<String>,
}

struct Pass<'a, 'p> {
    page: &'p Page<'p>,
    shortcodes: &'p [String],
    events: Vec<Event<'a>>,
    code: Option<CodeState>,
    image: Option<ImageState>,
    para: Option<ParaState>,
    headings: Vec<HeadingRef>,
    /// The text without markup, for word counts.
    /// The Markdown's length, to size the HTML buffer.
    source_len: usize,
    has_summary: bool,
    anchors: Vec<String>,
    links: Vec<LinkInfo>,
    external_links: Vec<String>,
    problems: Vec<Problem>,
}

impl<'a> Pass<'a, '_> {
    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        if self.code.is_some() {
            return self.code_event(event);
        }
        if self.image.is_some() {
            return self.image_event(event);
        }
        match event {
            Event::Text(t) => {
                let t = self.with_emoji(t);
                self.push_text(t);
            }
            Event::Code(t) => {
                let t = match fill_placeholders(&t, self.shortcodes) {
                    Cow::Borrowed(_) => t,
                    Cow::Owned(s) => CowStr::from(s),
                };
                self.push(Event::Code(t));
            }
            Event::Html(t) | Event::InlineHtml(t) => self.push_html(t),
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.into_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some(CodeState {
                    info,
                    offset: range.start,
                    text: String::new(),
                });
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let dest_url = self.fill_dest(dest_url);
                self.image = Some(ImageState {
                    written: dest_url.to_string(),
                    src: self
                        .colocated(&dest_url)
                        .unwrap_or_else(|| dest_url.into_string()),
                    title: title.into_string(),
                    alt: String::new(),
                    depth: 0,
                });
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => self.start_link(link_type, dest_url, title, id, range.start),
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                self.headings.push(HeadingRef {
                    start: self.events.len(),
                    end: self.events.len(),
                    level: heading_level(level),
                    id: id.map(CowStr::into_string),
                    classes: classes.into_iter().map(CowStr::into_string).collect(),
                });
                self.push(Event::Html(CowStr::Borrowed("")));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = self.headings.last_mut() {
                    h.end = self.events.len();
                }
                self.push(Event::Html(CowStr::Borrowed("")));
            }
            Event::Start(Tag::Paragraph) => {
                self.para = Some(ParaState {
                    start: self.events.len(),
                    shortcodes: 0,
                    has_other: false,
                });
                self.events.push(event);
            }
            Event::End(TagEnd::Paragraph) => match self.para.take() {
                Some(p) if p.shortcodes == 1 && !p.has_other => {
                    if let Some(start) = self.events.get_mut(p.start) {
                        *start = Event::Html(CowStr::Borrowed(""));
                    }
                }
                _ => self.events.push(event),
            },
            Event::Start(Tag::FootnoteDefinition(ref name)) => {
                let id = if self.page.config.bottom_footnotes {
                    format!("fn-{name}")
                } else {
                    name.to_string()
                };
                self.anchors.push(id);
                self.push(event);
            }
            Event::Rule => self.push_static("<hr>\n"),
            Event::HardBreak => {
                self.push_static("<br>\n");
            }
            Event::SoftBreak => {
                self.push(event);
            }
            Event::TaskListMarker(checked) => self.push_static(if checked {
                "<input disabled=\"\" type=\"checkbox\" checked=\"\">\n"
            } else {
                "<input disabled=\"\" type=\"checkbox\">\n"
            }),
            other => self.push(other),
        }
    }

    fn push(&mut self, event: Event<'a>) {
        if let Some(p) = &mut self.para {
            p.has_other = true;
        }
        self.events.push(event);
    }

    fn push_static(&mut self, html: &'static str) {
        self.push(Event::Html(CowStr::Borrowed(html)));
    }

    /// `:smile:` → 😄 in text (not code) when `render_emoji` is on, with Zola's table.
    fn with_emoji(&self, t: CowStr<'a>) -> CowStr<'a> {
        if !self.page.config.render_emoji || !t.contains(':') {
            return t;
        }
        match EMOJI.replace_all(&t) {
            Cow::Borrowed(_) => t,
            Cow::Owned(s) => CowStr::from(s),
        }
    }

    fn push_text(&mut self, t: CowStr<'a>) {
        if self.shortcodes.is_empty() {
            return self.push_plain_text(t);
        }
        let pieces = split_placeholders(&t, self.shortcodes.len());
        if let [Piece::Text(_)] = pieces.as_slice() {
            return self.push_plain_text(t);
        }
        for piece in pieces {
            match piece {
                Piece::Text(s) => self.push_plain_text(CowStr::from(s.to_string())),
                Piece::Shortcode(n) => {
                    let html = self.shortcodes.get(n).map_or("", String::as_str);
                    self.collect_ids(html);
                    self.events
                        .push(Event::Html(CowStr::from(html.to_string())));
                    if let Some(p) = &mut self.para {
                        p.shortcodes += 1;
                    }
                }
            }
        }
    }

    fn push_plain_text(&mut self, t: CowStr<'a>) {
        let is_blank = t.trim().is_empty();
        self.events.push(Event::Text(t));
        if let Some(p) = &mut self.para {
            p.has_other |= !is_blank;
        }
    }

    fn push_html(&mut self, t: CowStr<'a>) {
        let t = match fill_placeholders(&t, self.shortcodes) {
            Cow::Borrowed(_) => t,
            Cow::Owned(s) => CowStr::from(s),
        };
        self.collect_ids(&t);
        if !self.has_summary
            && let Some(m) = MORE_RE.find(&t)
        {
            self.has_summary = true;
            let (before, after) = (&t[..m.start()], &t[m.end()..]);
            // Zola replaces the marker's whole HTML event, so the block's line break goes too:
            // `<span id="continue-reading"></span><h2>`. Only text beside it is kept.
            if !before.trim().is_empty() {
                self.push(Event::Html(CowStr::from(before.to_string())));
            }
            self.push_static(CONTINUE_READING);
            if !after.trim().is_empty() {
                self.push(Event::Html(CowStr::from(after.to_string())));
            }
            return;
        }
        self.push(Event::Html(t));
    }

    fn collect_ids(&mut self, html: &str) {
        if !html.contains("id") && !html.contains("ID") {
            return;
        }
        for c in ID_ATTR_RE.captures_iter(html) {
            if let Some(m) = c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3)) {
                self.anchors.push(m.as_str().to_string());
            }
        }
    }

    fn code_event(&mut self, event: Event<'a>) {
        match event {
            Event::Text(t) => {
                if let Some(code) = &mut self.code {
                    code.text.push_str(&fill_placeholders(&t, self.shortcodes));
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(code) = self.code.take() {
                    self.end_code_block(code);
                }
            }
            _ => {}
        }
    }

    fn end_code_block(&mut self, code: CodeState) {
        let fence = Fence::parse(&code.info);
        let highlighting = self.page.config.highlighting.as_ref();
        let rendered = codeblock::render(&fence, &code.text, highlighting);
        if rendered.unknown_language
            && let (Some(h), Some(lang)) = (highlighting, fence.language)
        {
            // Zola 0.22's giallo knows languages syntect's default set lacks; a Zola site
            // that sets `error_on_missing_language` builds with them, so they only warn here.
            let is_giallo = codeblock::is_giallo_language(lang);
            let severity = if h.error_on_missing_language && !is_giallo {
                Severity::Error
            } else {
                Severity::Warning
            };
            let help = if is_giallo {
                "Zola 0.22 highlights it, Tre shows it as plain text; only the colours differ"
            } else {
                "it is shown as plain text; use a language syntect knows (rust, python, js, html, sh…) or `text`"
            };
            self.problems.push(Problem {
                offset: code.offset,
                severity,
                message: format!("code block language `{lang}` is not known to the highlighter"),
                help: Some(help.to_string()),
            });
        }
        self.push(Event::Html(CowStr::from(rendered.html)));
    }

    fn image_event(&mut self, event: Event<'a>) {
        let Some(img) = &mut self.image else { return };
        match event {
            Event::Text(t) | Event::Code(t) => {
                img.alt.push_str(&fill_placeholders(&t, self.shortcodes))
            }
            Event::SoftBreak | Event::HardBreak => img.alt.push(' '),
            Event::Start(Tag::Image { .. }) => img.depth += 1,
            Event::End(TagEnd::Image) if img.depth > 0 => img.depth -= 1,
            Event::End(TagEnd::Image) => {
                if let Some(img) = self.image.take() {
                    let html = self.image_html(&img);
                    self.push(Event::Html(CowStr::from(html)));
                }
            }
            _ => {}
        }
    }

    fn image_html(&self, img: &ImageState) -> String {
        if let Some(picture) = self
            .page
            .ctx
            .render_picture(&img.written, &img.alt, &img.title)
        {
            return picture;
        }
        let mut html = String::with_capacity(img.src.len() + img.alt.len() + 48);
        html.push_str("<img src=\"");
        push_href(&mut html, &img.src);
        html.push_str("\" alt=\"");
        push_escaped(&mut html, &img.alt);
        html.push('"');
        if !img.title.is_empty() {
            html.push_str(" title=\"");
            push_escaped(&mut html, &img.title);
            html.push('"');
        }
        if self.page.config.lazy_async_image {
            html.push_str(" loading=\"lazy\" decoding=\"async\"");
        }
        html.push('>');
        html
    }

    fn start_link(
        &mut self,
        link_type: LinkType,
        dest: CowStr<'a>,
        title: CowStr<'a>,
        id: CowStr<'a>,
        offset: usize,
    ) {
        let link = |dest_url| {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title: title.clone(),
                id: id.clone(),
            })
        };
        let dest = self.fill_dest(dest);
        if link_type == LinkType::Email {
            return self.push(link(dest));
        }
        if dest.is_empty() {
            // Zola refuses links without a target (markdown.rs, "missing a URL").
            self.problems.push(
                Problem::error(offset, "link has no URL")
                    .with_help("write the target between the parentheses: [text](url)"),
            );
            return self.push(link(CowStr::Borrowed("#")));
        }
        if let Some(target) = dest.strip_prefix("@/") {
            let href = self.resolve_internal(target, offset);
            return self.push(link(href.map_or(dest, CowStr::from)));
        }
        if is_external(&dest) {
            self.external_links.push(dest.to_string());
            if self.page.config.has_external_link_attributes() {
                let tag = self.external_link_tag(&dest, &title);
                return self.push(Event::Html(CowStr::from(tag)));
            }
            return self.push(link(dest));
        }
        let href = match dest.strip_prefix('#') {
            Some(anchor) if !anchor.is_empty() && !self.page.permalink.is_empty() => {
                Some(format!("{}#{anchor}", self.page.permalink))
            }
            Some(_) => None,
            None => self.colocated(&dest),
        };
        self.push(link(href.map_or(dest, CowStr::from)));
    }

    /// A destination written as a shortcode (`[x]({{ url() }})`) gets the shortcode's output.
    fn fill_dest(&self, dest: CowStr<'a>) -> CowStr<'a> {
        match fill_placeholders(&dest, self.shortcodes) {
            Cow::Borrowed(_) => dest,
            Cow::Owned(s) => CowStr::from(s.trim().to_string()),
        }
    }

    /// `blog/post.md#sec` → the permalink with `#sec`; `None` (and an error) if no such page.
    fn resolve_internal(&mut self, target: &str, offset: usize) -> Option<String> {
        let (path, anchor) = match target.split_once('#') {
            Some((p, a)) => (p, Some(a.to_string())),
            None => (target, None),
        };
        let path = text::percent_decode(path);
        let resolved = self.page.ctx.resolve_internal(&path);
        if resolved.is_none() {
            self.problems.push(
                Problem::error(offset, format!("broken internal link `@/{target}`")).with_help(
                    "check the path under content/: it names the .md file, as in @/blog/post.md",
                ),
            );
        }
        let href = resolved.map(|mut href| {
            if let Some(a) = &anchor {
                href.push('#');
                href.push_str(a);
            }
            href
        });
        self.links.push(LinkInfo {
            path,
            anchor,
            offset,
        });
        href
    }

    /// The opening tag of an external link, with Zola's attributes (rel values in its order).
    fn external_link_tag(&self, url: &str, title: &str) -> String {
        let c = self.page.config;
        let mut html = String::from("<a");
        if let Some(class) = &c.external_links_class {
            html.push_str(" class=\"");
            push_escaped(&mut html, class);
            html.push('"');
        }
        let rel: Vec<&str> = [
            (c.external_links_target_blank, "noopener"),
            (c.external_links_no_follow, "nofollow"),
            (c.external_links_no_referrer, "noreferrer"),
            (c.external_links_external, "external"),
        ]
        .into_iter()
        .filter_map(|(on, value)| on.then_some(value))
        .collect();
        if !rel.is_empty() {
            html.push_str(" rel=\"");
            html.push_str(&rel.join(" "));
            html.push('"');
        }
        if c.external_links_target_blank {
            html.push_str(" target=\"_blank\"");
        }
        if !title.is_empty() {
            html.push_str(" title=\"");
            push_escaped(&mut html, title);
            html.push('"');
        }
        html.push_str(" href=\"");
        push_href(&mut html, url);
        html.push_str("\">");
        html
    }

    /// A link to a file beside the page (`photo.jpg`, `./a.pdf`) made absolute, as Zola does,
    /// so it still works where the page's summary is shown.
    fn colocated(&self, dest: &str) -> Option<String> {
        let permalink = self.page.permalink;
        if permalink.is_empty()
            || dest.is_empty()
            || dest.starts_with('/')
            || dest.starts_with("..")
            || dest.starts_with('#')
            || dest.starts_with("@/")
            || has_scheme(dest)
        {
            return None;
        }
        Some(format!("{permalink}{dest}"))
    }

    fn finish(mut self) -> Output {
        let headings = self.finish_headings();
        let mut events = std::mem::take(&mut self.events);
        if self.page.config.bottom_footnotes {
            events = move_footnotes_to_bottom(events);
        }
        let mut html = String::with_capacity(self.source_len * 3 / 2 + 256);
        let mut summary = None;
        if self.has_summary {
            self.anchors.push("continue-reading".to_string());
            let marker = events.iter().position(
                |e| matches!(e, Event::Html(CowStr::Borrowed(s)) if ptr::eq(*s, CONTINUE_READING)),
            );
            if let Some(at) = marker {
                let after = events.split_off(at);
                let open = open_tags(&events);
                pulldown_cmark::html::push_html(&mut html, events.drain(..));
                summary = Some(summary_of(&html, open));
                events = after;
            }
        }
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        Output {
            html,
            summary,
            headings,
            anchors: self.anchors,
            links: self.links,
            external_links: self.external_links,
            problems: self.problems,
        }
    }

    /// Gives each heading its id (explicit, or a unique slug of its text) and its HTML.
    fn finish_headings(&mut self) -> Vec<HeadingInfo> {
        let mut used: HashSet<String> = self.headings.iter().filter_map(|h| h.id.clone()).collect();
        let mut infos = Vec::with_capacity(self.headings.len());
        for h in std::mem::take(&mut self.headings) {
            let title = heading_text(self.events.get(h.start + 1..h.end).unwrap_or_default());
            let id = match &h.id {
                Some(id) => id.clone(),
                None => unique_id(
                    &used,
                    text::slugify_anchor(&title, self.page.config.slugify_anchors),
                ),
            };
            used.insert(id.clone());
            let (open, close) = self.heading_tags(&h, &id);
            if let Some(e) = self.events.get_mut(h.start) {
                *e = Event::Html(CowStr::from(open));
            }
            if let Some(e) = self.events.get_mut(h.end) {
                *e = Event::Html(CowStr::from(close));
            }
            self.anchors.push(id.clone());
            infos.push(HeadingInfo {
                level: h.level,
                id,
                title,
            });
        }
        infos
    }

    fn heading_tags(&self, h: &HeadingRef, id: &str) -> (String, String) {
        let mut open = format!("<h{} id=\"", h.level);
        push_escaped(&mut open, id);
        open.push('"');
        if !h.classes.is_empty() {
            open.push_str(" class=\"");
            push_escaped(&mut open, &h.classes.join(" "));
            open.push('"');
        }
        open.push('>');
        let mut close = String::new();
        let insert = self.page.config.insert_anchor_links;
        if insert != InsertAnchor::None {
            let anchor = self.page.ctx.render_anchor_link(id, h.level);
            match insert {
                InsertAnchor::Left => open.push_str(&anchor),
                InsertAnchor::Right => close.push_str(&anchor),
                InsertAnchor::Heading => {
                    if let Some(a) = A_OPEN_RE.captures(&anchor).and_then(|c| c.get(1)) {
                        open.push_str(a.as_str());
                        close.push_str("</a>");
                    }
                }
                InsertAnchor::None => {}
            }
        }
        close.push_str(&format!("</h{}>\n", h.level));
        (open, close)
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The text of a heading, without markup (Zola keeps text and inline code only).
fn heading_text(events: &[Event<'_>]) -> String {
    let mut title = String::new();
    for e in events {
        if let Event::Text(t) | Event::Code(t) = e {
            title.push_str(t);
        }
    }
    title
}

/// `slug`, or `slug-1`, `slug-2`… if already taken (Zola's `find_anchor`).
fn unique_id(used: &HashSet<String>, slug: String) -> String {
    // An empty id is invalid HTML; Zola would emit `id=""`.
    let slug = if slug.is_empty() {
        "heading".to_string()
    } else {
        slug
    };
    if !used.contains(&slug) {
        return slug;
    }
    (1..)
        .map(|n| format!("{slug}-{n}"))
        .find(|candidate| !used.contains(candidate))
        .unwrap_or(slug)
}

/// The tags `before` leaves open, innermost last.
fn open_tags(before: &[Event<'_>]) -> Vec<TagEnd> {
    let mut open: Vec<TagEnd> = Vec::new();
    for e in before {
        match e {
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
            Event::Start(tag) => open.push(tag.to_end()),
            Event::End(tag) => {
                if let Some(i) = open.iter().rposition(|t| t == tag) {
                    open.truncate(i);
                }
            }
            _ => {}
        }
    }
    open
}

/// The HTML before the marker, footnote references removed, unclosed tags closed.
fn summary_of(html: &str, open: Vec<TagEnd>) -> String {
    let mut summary = FOOTNOTE_REF_RE.replace_all(html, "").into_owned();
    summary.truncate(summary.trim_end().len());
    pulldown_cmark::html::push_html(&mut summary, open.into_iter().rev().map(Event::End));
    summary
}

/// Zola's rule (utils/net.rs): `http:` or `https:`; a protocol-relative `//host` is not.
fn is_external(link: &str) -> bool {
    link.starts_with("http:") || link.starts_with("https:")
}

/// `mailto:`, `tel:`, `https:`…: a scheme is `[0-9A-Za-z-]+:` at the start.
fn has_scheme(link: &str) -> bool {
    match link.find(':') {
        Some(i) if i > 0 => link[..i]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-'),
        _ => false,
    }
}

/// GitHub-style footnotes (`bottom_footnotes`): numbered in order of first reference, moved
/// to a `<footer>` at the end with back links; unreferenced ones are dropped (as in Zola).
fn move_footnotes_to_bottom(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len() + 8);
    let mut stack: Vec<Vec<Event>> = Vec::new();
    let mut definitions: Vec<(CowStr, Vec<Event>)> = Vec::new();
    // name → (number, how many references)
    let mut numbers: HashMap<CowStr, (usize, usize)> = HashMap::new();
    for event in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(_)) => stack.push(vec![event]),
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some(mut body) = stack.pop() {
                    if let Some(Event::Start(Tag::FootnoteDefinition(name))) = body.first() {
                        let name = name.clone();
                        body.push(event);
                        definitions.push((name, body));
                    }
                }
            }
            Event::FootnoteReference(name) => {
                let next = numbers.len() + 1;
                let entry = numbers.entry(name.clone()).or_insert((next, 0));
                entry.1 += 1;
                let mut html = String::from("<sup class=\"footnote-reference\" id=\"fr-");
                push_escaped(&mut html, &name);
                html.push_str(&format!("-{}\"><a href=\"#fn-", entry.1));
                push_escaped(&mut html, &name);
                html.push_str(&format!("\">{}</a></sup>", entry.0));
                let reference = Event::Html(CowStr::from(html));
                match stack.last_mut() {
                    Some(body) => body.push(reference),
                    None => out.push(reference),
                }
            }
            other => match stack.last_mut() {
                Some(body) => body.push(other),
                None => out.push(other),
            },
        }
    }
    let mut definitions: Vec<_> = definitions
        .into_iter()
        .filter_map(|(name, body)| numbers.get(&name).map(|&(n, count)| (n, count, name, body)))
        .collect();
    if definitions.is_empty() {
        return out;
    }
    definitions.sort_by_key(|d| d.0);
    out.push(Event::Html(CowStr::Borrowed(
        "<section class=\"footnotes\">\n<ol class=\"footnotes-list\">\n",
    )));
    for (_, count, name, body) in definitions {
        let mut backrefs = String::new();
        for k in 1..=count {
            backrefs.push_str(" <a href=\"#fr-");
            push_escaped(&mut backrefs, &name);
            backrefs.push_str(&format!("-{k}\">↩"));
            if k > 1 {
                backrefs.push_str(&k.to_string());
            }
            backrefs.push_str("</a>");
        }
        let len = body.len();
        let mut written = false;
        for (i, e) in body.into_iter().enumerate() {
            out.push(match e {
                Event::Start(Tag::FootnoteDefinition(_)) => {
                    let mut li = String::from("<li id=\"fn-");
                    push_escaped(&mut li, &name);
                    li.push_str("\">");
                    Event::Html(CowStr::from(li))
                }
                // Back links go inside the last paragraph when the note ends with one.
                Event::End(TagEnd::Paragraph) if !written && i + 2 == len => {
                    written = true;
                    Event::Html(CowStr::from(format!("{backrefs}</p>\n")))
                }
                Event::End(TagEnd::FootnoteDefinition) if !written => {
                    Event::Html(CowStr::from(format!("{backrefs}</li>\n")))
                }
                Event::End(TagEnd::FootnoteDefinition) => Event::Html(CowStr::Borrowed("</li>\n")),
                e => e,
            });
        }
    }
    out.push(Event::Html(CowStr::Borrowed("</ol>\n</section>\n")));
    out
}
