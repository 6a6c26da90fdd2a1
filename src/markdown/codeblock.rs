//! Fenced code blocks: the fence annotations Zola reads (`linenos`, `linenostart=`,
//! `hl_lines=`, `hide_lines=`, `name=`) and syntect highlighting, inline styles or classes.
//! The syntax and theme sets load once per process.

use std::ops::RangeInclusive;
use std::sync::LazyLock;

use pulldown_cmark_escape::{escape_href, escape_html, escape_html_body_text};
use syntect::easy::HighlightLines;
use syntect::highlighting::{Color, FontStyle, Style, Theme, ThemeSet};
use syntect::html::{
    ClassStyle, IncludeBackground, append_highlighted_html_for_styled_line,
    css_for_theme_with_class_style, line_tokens_to_classed_spans,
};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::{HighlightStyle, Highlighting};

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);
static THEMES: LazyLock<ThemeSet> = LazyLock::new(ThemeSet::load_defaults);

/// Zola's class names before 0.22: `z-` and the scope atoms, `<span class="z-source z-rust">`.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "z-" };

/// Names that mean "no highlighting" and are never reported as unknown.
const PLAIN_NAMES: [&str; 5] = ["text", "txt", "plain", "plaintext", "none"];

/// Common names of languages giallo (Zola 0.22's highlighter) knows and syntect's default set
/// lacks. Tre shows them as plain text.
const GIALLO_ONLY_LANGUAGES: &[&str] = &[
    "astro",
    "bicep",
    "cmake",
    "cue",
    "dart",
    "docker",
    "dockerfile",
    "dotenv",
    "elixir",
    "elm",
    "ex",
    "exs",
    "fish",
    "fsharp",
    "gleam",
    "glsl",
    "gql",
    "graphql",
    "hcl",
    "hlsl",
    "http",
    "ini",
    "j2",
    "jinja",
    "liquid",
    "twig",
    "handlebars",
    "hbs",
    "jsonc",
    "json5",
    "jsx",
    "julia",
    "just",
    "kdl",
    "kotlin",
    "kt",
    "kts",
    "mdx",
    "mermaid",
    "nginx",
    "nix",
    "nu",
    "nushell",
    "powershell",
    "prisma",
    "proto",
    "protobuf",
    "ps1",
    "sass",
    "scss",
    "sol",
    "solidity",
    "svelte",
    "swift",
    "systemd",
    "terraform",
    "tf",
    "toml",
    "ts",
    "tsx",
    "typescript",
    "typst",
    "vim",
    "viml",
    "vue",
    "wasm",
    "wat",
    "wgsl",
    "zig",
    "zsh",
];

/// Whether giallo knows `lang` though syntect's default set does not (see `GIALLO_ONLY_LANGUAGES`).
pub(super) fn is_giallo_language(lang: &str) -> bool {
    GIALLO_ONLY_LANGUAGES.contains(&lang.to_ascii_lowercase().as_str())
}

/// The names of every built-in theme, sorted.
pub fn theme_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = THEMES.themes.keys().map(String::as_str).collect();
    names.sort_unstable();
    names
}

/// Whether syntect ships a theme of this name.
pub fn is_known_theme(name: &str) -> bool {
    THEMES.themes.contains_key(name)
}

/// The syntect theme that stands in for a name syntect lacks, such as one of giallo's
/// (`catppuccin-frappe`, `github-light`), which Zola 0.22 accepts: a light one for names that
/// say they are light, a dark one otherwise.
pub fn stand_in_theme(name: &str) -> &'static str {
    let name = name.to_ascii_lowercase();
    let is_light = ["light", "latte", "dawn", "day", "lotus", "lighter"]
        .iter()
        .any(|w| name.contains(w));
    if is_light {
        "InspiredGitHub"
    } else {
        "base16-ocean.dark"
    }
}

pub(super) fn theme(name: &str) -> Option<&'static Theme> {
    THEMES
        .themes
        .get(name)
        .or_else(|| THEMES.themes.get(stand_in_theme(name)))
}

/// The stylesheet for `style = "class"` output with this theme (or its stand-in).
pub fn highlight_css(theme_name: &str) -> Option<String> {
    css_for_theme_with_class_style(theme(theme_name)?, CLASS_STYLE).ok()
}

/// The stylesheets `style = "class"` output needs, as Zola 0.22 names them: `giallo.css`
/// for one theme, `giallo-light.css` and `giallo-dark.css` for a dual theme.
pub fn highlight_stylesheets(h: &Highlighting) -> Vec<(&'static str, String)> {
    if h.style != HighlightStyle::Class {
        return Vec::new();
    }
    let files = match &h.dark_theme {
        Some(dark) => vec![
            ("giallo-light.css", h.theme.as_str()),
            ("giallo-dark.css", dark),
        ],
        None => vec![("giallo.css", h.theme.as_str())],
    };
    files
        .into_iter()
        .filter_map(|(file, theme)| Some((file, highlight_css(theme)?)))
        .collect()
}

/// What a fence line like ```` ```rust,linenos,hl_lines=1 3-5 ```` asks for.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Fence<'a> {
    pub language: Option<&'a str>,
    pub line_numbers: bool,
    pub line_number_start: usize,
    pub highlight_lines: Vec<RangeInclusive<usize>>,
    pub hide_lines: Vec<RangeInclusive<usize>>,
    pub name: Option<&'a str>,
    /// The info string had something in it: Zola 0.22 then gives `data-lang`, empty if no
    /// language is named (```` ```linenos ````).
    pub has_info: bool,
}

impl<'a> Fence<'a> {
    /// Reads the info string as Zola does: comma-separated, the first bare word is the
    /// language, unknown `key=value` annotations are ignored.
    pub fn parse(info: &'a str) -> Self {
        let mut fence = Fence {
            line_number_start: 1,
            has_info: !info.trim().is_empty(),
            ..Fence::default()
        };
        for token in info.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            let (key, value) = match token.split_once('=') {
                Some((k, v)) => (k.trim(), Some(v.trim())),
                None => (token, None),
            };
            match (key, value) {
                ("linenos", _) => fence.line_numbers = true,
                ("linenostart", Some(v)) => {
                    if let Ok(n) = v.parse() {
                        fence.line_number_start = n;
                    }
                }
                ("hl_lines", Some(v)) => fence.highlight_lines.extend(parse_ranges(v)),
                ("hide_lines", Some(v)) => fence.hide_lines.extend(parse_ranges(v)),
                ("name", Some(v)) => fence.name = Some(v),
                (lang, None) if fence.language.is_none() => fence.language = Some(lang),
                _ => {}
            }
        }
        fence
    }

    fn has_line_markup(&self) -> bool {
        self.line_numbers || !self.highlight_lines.is_empty()
    }
}

fn parse_ranges(s: &str) -> impl Iterator<Item = RangeInclusive<usize>> + '_ {
    s.split_whitespace()
        .filter_map(|r| match r.split_once('-') {
            Some((a, b)) => {
                let (a, b): (usize, usize) = (a.parse().ok()?, b.parse().ok()?);
                Some(a.min(b)..=a.max(b))
            }
            None => r.parse().ok().map(|n| n..=n),
        })
}

/// A code block rendered to HTML, and whether its language was unknown to the highlighter.
pub(super) struct RenderedCode {
    pub html: String,
    pub unknown_language: bool,
}

/// Renders one code block. With `highlighting`, known languages get syntect spans;
/// unknown ones come out as escaped text, as when highlighting is off.
pub(super) fn render(
    fence: &Fence<'_>,
    code: &str,
    highlighting: Option<&Highlighting>,
) -> RenderedCode {
    let Some(highlighting) = highlighting else {
        return RenderedCode {
            html: render_unhighlighted(fence, code),
            unknown_language: false,
        };
    };
    let highlighting = Some(highlighting);
    let lang = fence
        .language
        .filter(|l| !PLAIN_NAMES.contains(&l.to_ascii_lowercase().as_str()));
    let syntax = match (highlighting, lang) {
        (Some(_), Some(l)) => SYNTAXES.find_syntax_by_token(l),
        _ => None,
    };
    let theme = highlighting.and_then(|h| theme(&h.theme));
    let dark = highlighting.and_then(|h| h.dark_theme.as_deref().and_then(self::theme));
    let style = highlighting.map(|h| h.style);
    let mut html = String::with_capacity(code.len() * 2 + 128);
    open_tags(&mut html, fence, theme, dark, style);
    let mut lines = match (syntax, theme, style) {
        (Some(syntax), Some(theme), Some(HighlightStyle::Inline)) => match dark {
            Some(dark) => LineHighlighter::Dual(Box::new((
                HighlightLines::new(syntax, theme),
                HighlightLines::new(syntax, dark),
            ))),
            None => LineHighlighter::Inline(HighlightLines::new(syntax, theme)),
        },
        (Some(syntax), Some(_), Some(HighlightStyle::Class)) => LineHighlighter::Class {
            state: ParseState::new(syntax),
            stack: ScopeStack::new(),
        },
        _ => LineHighlighter::Plain,
    };
    let mark = mark_open_tag(theme, dark, style);
    for (i, line) in LinesWithEndings::from(code).enumerate() {
        let n = i + 1;
        if fence.hide_lines.iter().any(|r| r.contains(&n)) {
            // Hidden lines still feed the parser so the next lines keep their state.
            lines.skip(line);
            continue;
        }
        if !fence.has_line_markup() {
            lines.push(line, &mut html);
            continue;
        }
        if fence.line_numbers {
            html.push_str("<span class=\"giallo-ln\">");
            html.push_str(&(fence.line_number_start + i).to_string());
            html.push_str("</span>");
        }
        let is_marked = fence.highlight_lines.iter().any(|r| r.contains(&n));
        if is_marked {
            html.push_str(&mark);
        }
        lines.push(line, &mut html);
        if is_marked {
            html.push_str("</mark>");
        }
    }
    // Zola 0.22 (giallo) ends the code without the last line's newline and writes nothing
    // after the block, so the text runs on into the next element's (seen on getzola/book).
    drop_last_newline(&mut html);
    html.push_str("</code></pre>");
    RenderedCode {
        html,
        unknown_language: highlighting.is_some() && lang.is_some() && syntax.is_none(),
    }
}

/// Removes the newline of the code's last line, which only closing tags may follow.
fn drop_last_newline(html: &mut String) {
    let Some(at) = html.rfind('\n') else {
        return;
    };
    let mut rest = &html[at + 1..];
    while let Some(after) = rest
        .strip_prefix("</span>")
        .or_else(|| rest.strip_prefix("</mark>"))
    {
        rest = after;
    }
    if rest.is_empty() {
        html.remove(at);
    }
}

/// Zola 0.22 without `[markdown.highlighting]`: `<pre><code data-lang="…">`, the whole text
/// escaped, every fence annotation ignored (hidden lines too). Only an empty fence or the
/// language `plain` leaves out `data-lang`.
fn render_unhighlighted(fence: &Fence<'_>, code: &str) -> String {
    let mut html = String::with_capacity(code.len() + 64);
    html.push_str("<pre><code");
    let lang = match fence.language {
        Some("plain") => None,
        Some(l) => Some(l),
        None if fence.has_info => Some(""),
        None => None,
    };
    if let Some(lang) = lang {
        html.push_str(" data-lang=\"");
        let _ = escape_html(&mut html, lang);
        html.push('"');
    }
    html.push('>');
    let _ = escape_html(&mut html, code);
    html.push_str("</code></pre>\n");
    html
}

/// `<pre …><code …>` in the shape Zola gave it before 0.22.
fn open_tags(
    html: &mut String,
    fence: &Fence<'_>,
    theme: Option<&Theme>,
    dark: Option<&Theme>,
    style: Option<HighlightStyle>,
) {
    html.push_str("<pre");
    if fence.line_numbers {
        html.push_str(" data-linenos");
    }
    let mut lang_attrs = String::new();
    if let Some(lang) = fence.language {
        lang_attrs.push_str(" data-lang=\"");
        let _ = escape_html(&mut lang_attrs, lang);
        lang_attrs.push('"');
    }
    if let Some(name) = fence.name {
        lang_attrs.push_str(" data-name=\"");
        let _ = escape_html(&mut lang_attrs, name);
        lang_attrs.push('"');
    }
    html.push_str(&lang_attrs);
    if let (Some(theme), Some(HighlightStyle::Inline)) = (theme, style) {
        html.push_str(" style=\"");
        let settings = dark.map(|d| &d.settings);
        if let Some(bg) = theme.settings.background {
            push_css_color(
                html,
                "background-color",
                bg,
                settings.and_then(|d| d.background),
            );
        }
        if let Some(fg) = theme.settings.foreground {
            push_css_color(html, "color", fg, settings.and_then(|d| d.foreground));
        }
        html.push('"');
    }
    let mut classes = Vec::new();
    let lang_class = fence.language.map(|l| format!("language-{l}"));
    if let Some(c) = &lang_class {
        classes.push(c.as_str());
    }
    if style == Some(HighlightStyle::Class) {
        classes.push("z-code");
    }
    if !classes.is_empty() {
        html.push_str(" class=\"");
        let _ = escape_html(&mut *html, &classes.join(" "));
        html.push('"');
    }
    html.push_str("><code");
    if let Some(c) = &lang_class {
        html.push_str(" class=\"");
        let _ = escape_html(&mut *html, c);
        html.push('"');
    }
    html.push_str(&lang_attrs);
    html.push('>');
}

/// `color:#rrggbb;`, or `color:light-dark(#light, #dark);` with a dual theme.
fn push_css_color(html: &mut String, property: &str, c: Color, dark: Option<Color>) {
    use std::fmt::Write;
    let hex = |c: Color| format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b);
    let _ = match dark {
        Some(d) => write!(html, "{property}:light-dark({}, {});", hex(c), hex(d)),
        None => write!(html, "{property}:{};", hex(c)),
    };
}

/// `<mark>` for `hl_lines`, coloured with the theme's line highlight in inline mode.
fn mark_open_tag(
    theme: Option<&Theme>,
    dark: Option<&Theme>,
    style: Option<HighlightStyle>,
) -> String {
    match (theme.and_then(|t| t.settings.line_highlight), style) {
        (Some(c), Some(HighlightStyle::Inline)) => {
            let mut s = String::from("<mark style=\"");
            let d = dark.and_then(|t| t.settings.line_highlight);
            push_css_color(&mut s, "background-color", c, d);
            s.push_str("\">");
            s
        }
        _ => "<mark>".to_string(),
    }
}

enum LineHighlighter<'t> {
    Plain,
    Inline(HighlightLines<'t>),
    /// Light and dark themes over the same line, merged into `light-dark()` colours.
    Dual(Box<(HighlightLines<'t>, HighlightLines<'t>)>),
    Class {
        state: ParseState,
        stack: ScopeStack,
    },
}

impl LineHighlighter<'_> {
    /// Appends one line; each line closes every span it opens, so lines can be wrapped.
    fn push(&mut self, line: &str, html: &mut String) {
        let done = match self {
            LineHighlighter::Plain => false,
            LineHighlighter::Inline(h) => h.highlight_line(line, &SYNTAXES).is_ok_and(|regions| {
                append_highlighted_html_for_styled_line(&regions, IncludeBackground::No, html)
                    .is_ok()
            }),
            LineHighlighter::Dual(pair) => {
                let (light, dark) = &mut **pair;
                match (
                    light.highlight_line(line, &SYNTAXES),
                    dark.highlight_line(line, &SYNTAXES),
                ) {
                    (Ok(l), Ok(d)) => {
                        push_dual_line(&l, &d, html);
                        true
                    }
                    _ => false,
                }
            }
            LineHighlighter::Class { state, stack } => push_classed_line(state, stack, line, html),
        };
        if !done {
            let _ = escape_html_body_text(&mut *html, line);
        }
    }

    fn skip(&mut self, line: &str) {
        match self {
            LineHighlighter::Plain => {}
            LineHighlighter::Inline(h) => {
                let _ = h.highlight_line(line, &SYNTAXES);
            }
            LineHighlighter::Dual(pair) => {
                let (light, dark) = &mut **pair;
                let _ = light.highlight_line(line, &SYNTAXES);
                let _ = dark.highlight_line(line, &SYNTAXES);
            }
            LineHighlighter::Class { state, stack } => {
                if let Ok(ops) = state.parse_line(line, &SYNTAXES) {
                    for (_, op) in ops {
                        let _ = stack.apply(&op);
                    }
                }
            }
        }
    }
}

/// One span per stretch of text where neither theme's style changes; font styles follow the
/// light theme.
fn push_dual_line(light: &[(Style, &str)], dark: &[(Style, &str)], html: &mut String) {
    let mut l = light.iter().filter(|(_, t)| !t.is_empty()).peekable();
    let mut d = dark.iter().filter(|(_, t)| !t.is_empty()).peekable();
    let (mut l_used, mut d_used) = (0, 0);
    while let (Some(&&(ls, lt)), Some(&&(ds, dt))) = (l.peek(), d.peek()) {
        let len = (lt.len() - l_used).min(dt.len() - d_used);
        let text = &lt[l_used..l_used + len];
        html.push_str("<span style=\"");
        push_css_color(html, "color", ls.foreground, Some(ds.foreground));
        if ls.font_style.contains(FontStyle::BOLD) {
            html.push_str("font-weight:bold;");
        }
        if ls.font_style.contains(FontStyle::ITALIC) {
            html.push_str("font-style:italic;");
        }
        if ls.font_style.contains(FontStyle::UNDERLINE) {
            html.push_str("text-decoration:underline;");
        }
        html.push_str("\">");
        let _ = escape_html(&mut *html, text);
        html.push_str("</span>");
        (l_used, d_used) = (l_used + len, d_used + len);
        if l_used == lt.len() {
            l.next();
            l_used = 0;
        }
        if d_used == dt.len() {
            d.next();
            d_used = 0;
        }
    }
}

fn push_classed_line(
    state: &mut ParseState,
    stack: &mut ScopeStack,
    line: &str,
    html: &mut String,
) -> bool {
    let Ok(ops) = state.parse_line(line, &SYNTAXES) else {
        return false;
    };
    let reopened = stack.as_slice().len();
    let mut prefix = String::new();
    for scope in stack.as_slice() {
        push_scope_span(&mut prefix, *scope);
    }
    let Ok((spans, delta)) = line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, stack) else {
        return false;
    };
    html.push_str(&prefix);
    html.push_str(&spans);
    let open = reopened as isize + delta;
    for _ in 0..open.max(0) {
        html.push_str("</span>");
    }
    true
}

fn push_scope_span(html: &mut String, scope: Scope) {
    html.push_str("<span class=\"");
    let name = scope.build_string();
    for (i, atom) in name.split('.').enumerate() {
        if i > 0 {
            html.push(' ');
        }
        html.push_str("z-");
        html.push_str(atom);
    }
    html.push_str("\">");
}

/// Escapes a URL for an `href`/`src` attribute.
pub(super) fn push_href(html: &mut String, url: &str) {
    let _ = escape_href(&mut *html, url);
}

/// Escapes text for an attribute value or element content.
pub(super) fn push_escaped(html: &mut String, text: &str) {
    let _ = escape_html(&mut *html, text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fence_reads_zola_annotations() {
        let f = Fence::parse(
            "rust, linenos, linenostart=20, hl_lines=1 3-5, hide_lines=2, name=mod.rs",
        );
        assert_eq!(f.language, Some("rust"));
        assert!(f.line_numbers);
        assert_eq!(f.line_number_start, 20);
        assert_eq!(f.highlight_lines, vec![1..=1, 3..=5]);
        assert_eq!(f.hide_lines, vec![2..=2]);
        assert_eq!(f.name, Some("mod.rs"));
        assert_eq!(Fence::parse("").language, None);
        assert_eq!(Fence::parse("hl_lines=5-3").highlight_lines, vec![3..=5]);
    }

    #[test]
    fn class_css_of_an_unknown_theme_is_its_stand_ins() {
        let css = highlight_css("base16-ocean.dark").unwrap();
        assert!(css.contains(".z-code"), "{css}");
        assert_eq!(highlight_css("catppuccin-frappe"), Some(css));
        assert_eq!(
            highlight_css("rose-pine-dawn"),
            highlight_css("InspiredGitHub")
        );
        assert!(theme_names().contains(&"InspiredGitHub"));
    }
}
