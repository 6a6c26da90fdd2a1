//! `build_search_index`: a search index per language that asks for one. The Fuse.js shape Zola
//! writes (`search_index.<lang>.json`, or `.js` setting `window.searchIndex`): one item per
//! section and page in the index, with the fields `[search]` includes; language-agnostic, so it
//! serves Vietnamese, Chinese and languages no stemmer knows. Zola's elasticlunr formats, with
//! the `elasticlunr-rs` crate Zola uses, for the languages it stems; others get a warning.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::compressed::Compressed;
use crate::config::{Config, Language, SearchConfig};
use crate::content::Library;
use crate::diag::Diagnostic;
use crate::output::{Contents, OutputFile};
use crate::render::Bodies;

/// `elasticlunr.min.js` of the npm package `elasticlunr` (tools/elasticlunr/), embedded by
/// build.rs; empty if the package was not installed when Tre was compiled.
const ELASTICLUNR_JS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/elasticlunr.min.js"));

/// Each item's entry of a language's index as JSON, by language and URL. `tre serve` keeps it
/// between rebuilds so that an edit makes again only the entries of the items it changed:
/// turning every body into plain text was most of an index's time (0.45 s at 10k pages).
#[derive(Default)]
pub struct Entries {
    by_lang: HashMap<String, HashMap<Box<str>, Entry>>,
    made: usize,
    /// A build's: made once and dropped, so neither kept nor compressed (a tenth of the
    /// index's time).
    is_once: bool,
}

/// An entry, and what it was made of: it is reused while all of that is the same.
struct Entry {
    title: Option<Box<str>>,
    description: Option<Box<str>>,
    path: Option<Box<str>>,
    /// The rendered body (a clone shares its bytes) and the length the text is cut to.
    body: Option<(Compressed, Option<usize>)>,
    json: Compressed,
}

/// What an item gives its entry, borrowed from the library and the bodies.
struct Source<'l> {
    url: &'l str,
    title: Option<&'l str>,
    description: Option<&'l str>,
    path: Option<&'l str>,
    body: Option<(&'l Compressed, Option<usize>)>,
}

impl Entry {
    fn make(s: &Source, is_once: bool) -> Entry {
        let item = Item {
            url: s.url,
            title: s.title,
            description: s.description,
            body: s.body.map(|(html, limit)| plain_text(&html.text(), limit)),
            path: s.path,
        };
        let json = serde_json::to_vec(&item).unwrap_or_else(|_| b"{}".to_vec());
        Entry {
            title: s.title.map(Into::into),
            description: s.description.map(Into::into),
            path: s.path.map(Into::into),
            body: s.body.map(|(html, limit)| (html.clone(), limit)),
            json: match is_once {
                true => Compressed::from_raw(json, false),
                false => Compressed::pack(json),
            },
        }
    }

    /// Whether `s` would make this entry again. Bodies compare by their bytes, which are
    /// shared until the body is rendered again.
    fn is_made_from(&self, s: &Source) -> bool {
        self.title.as_deref() == s.title
            && self.description.as_deref() == s.description
            && self.path.as_deref() == s.path
            && match (&self.body, s.body) {
                (None, None) => true,
                (Some((html, limit)), Some((new, new_limit))) => limit == &new_limit && html == new,
                _ => false,
            }
    }
}

/// The index files, and a warning per language whose format Tre cannot write.
pub fn indexes(
    config: &Config,
    lib: &Library,
    bodies: &Bodies,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut once = Entries {
        is_once: true,
        ..Entries::default()
    };
    indexes_of(config, lib, bodies, &|_| true, &mut once)
}

/// The same for the languages `is_wanted` accepts, reusing the `entries` of items unchanged
/// since they were made (`tre serve` after an edit).
pub fn indexes_of(
    config: &Config,
    lib: &Library,
    bodies: &Bodies,
    is_wanted: &dyn Fn(&str) -> bool,
    entries: &mut Entries,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    let wanted = config
        .languages
        .iter()
        .filter(|l| l.build_search_index && is_wanted(&l.code));
    let mut needs_script = false;
    entries.made = 0;
    for lang in wanted {
        let format = lang.search.index_format.as_str();
        let is_script = format.ends_with("_javascript");
        let file = |dir: &str, json: String| {
            let name = format!(
                "{dir}search_index.{}.{}",
                lang.code,
                if is_script { "js" } else { "json" }
            );
            match is_script {
                true => OutputFile::text(name, format!("window.searchIndex = {json};")),
                false => OutputFile::text(name, json),
            }
        };
        match format {
            "fuse_json" | "fuse_javascript" => {
                let list = entries.of(lang, lib, bodies);
                files.push(file("", json_list(list.iter().map(|(_, json)| json))));
                for (dir, json) in unit_indexes(&lang.code, lib, &list) {
                    files.push(file(&dir, json));
                }
            }
            "elasticlunr_json" | "elasticlunr_javascript" => {
                needs_script = true;
                match elasticlunr::lang::from_code(&lang.code) {
                    Some(stemmer) => {
                        let list = entries.of(lang, lib, bodies);
                        files.push(file("", elasticlunr_index(lang, stemmer, &list)));
                    }
                    None => warnings.push(
                        Diagnostic::warning(
                            "config.toml",
                            None,
                            format!(
                                "elasticlunr has no stemmer for `{}`; no search index for it",
                                lang.code
                            ),
                        )
                        .with_help("set `[search] index_format = \"fuse_javascript\"`, which suits every language"),
                    ),
                }
            }
            other => warnings.push(
                Diagnostic::warning(
                    "config.toml",
                    None,
                    format!(
                        "search index format `{other}` is not supported; no search index for `{}`",
                        lang.code
                    ),
                )
                .with_help("set `[search] index_format = \"fuse_javascript\"` (or \"fuse_json\")"),
            ),
        }
    }
    if needs_script {
        match elasticlunr_script(config) {
            Ok(Some(file)) => files.push(file),
            Ok(None) => {}
            Err(warning) => warnings.push(warning),
        }
    }
    (files, warnings)
}

impl Entries {
    /// How many entries the last `indexes_of` made rather than reused.
    pub fn made(&self) -> usize {
        self.made
    }

    /// The entries of `lang`'s index in order, each with its URL: those of unchanged items
    /// as they were, the others made again (in parallel). Entries of items no longer in the
    /// index are dropped.
    fn of<'l>(
        &mut self,
        lang: &Language,
        lib: &'l Library,
        bodies: &'l Bodies,
    ) -> Vec<(&'l str, Compressed)> {
        let sources = sources(lang, lib, bodies);
        let mut old = self.by_lang.remove(&lang.code).unwrap_or_default();
        let kept: Vec<Option<Entry>> = sources
            .iter()
            .map(|s| old.remove(s.url).filter(|e| e.is_made_from(s)))
            .collect();
        self.made += kept.iter().filter(|e| e.is_none()).count();
        let made: Vec<Entry> = sources
            .par_iter()
            .zip(kept)
            .map(|(s, e)| e.unwrap_or_else(|| Entry::make(s, self.is_once)))
            .collect();
        let list = sources
            .iter()
            .zip(&made)
            .map(|(s, e)| (s.url, e.json.clone()))
            .collect();
        if !self.is_once {
            let entries = sources.iter().map(|s| Box::from(s.url)).zip(made).collect();
            self.by_lang.insert(lang.code.clone(), entries);
        }
        list
    }
}

/// A JSON list of entries, as `serde_json` writes a list of their values.
fn json_list<'a>(entries: impl Iterator<Item = &'a Compressed>) -> String {
    let mut out = b"[".to_vec();
    for (n, json) in entries.enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.extend_from_slice(&json.bytes());
    }
    out.push(b']');
    crate::compressed::as_text(std::borrow::Cow::Owned(out)).into_owned()
}

/// `elasticlunr.min.js` at the root of the output, as Zola writes it beside an elasticlunr
/// index; nothing when the site has its own in `static/` (which would replace it anyway), a
/// warning when this Tre was compiled without the script.
fn elasticlunr_script(config: &Config) -> Result<Option<OutputFile>, Diagnostic> {
    let own = |dir: &std::path::Path| dir.join("static").join("elasticlunr.min.js").is_file();
    if own(&config.root) || config.theme_dir().is_some_and(|t| own(&t)) {
        return Ok(None);
    }
    if ELASTICLUNR_JS.is_empty() {
        return Err(Diagnostic::warning(
            "config.toml",
            None,
            "this Tre was compiled without `elasticlunr.min.js`; the search index has no script beside it",
        )
        .with_help(
            "put elasticlunr.min.js in static/, or compile Tre after `npm ci --prefix tools/elasticlunr`",
        ));
    }
    Ok(Some(OutputFile {
        path: "elasticlunr.min.js".into(),
        contents: Contents::Bytes(ELASTICLUNR_JS.to_vec()),
    }))
}

/// The elasticlunr index Zola writes (components/search/src/elasticlunr.rs): one document per
/// entry of the Fuse index, keyed by permalink, with the `[search]` fields in Zola's order;
/// the path split at `/`, `-` and spaces.
fn elasticlunr_index(
    lang: &Language,
    stemmer: Box<dyn elasticlunr::Language>,
    list: &[(&str, Compressed)],
) -> String {
    let s = &lang.search;
    let mut builder = elasticlunr::IndexBuilder::with_language(stemmer);
    let fields = [
        (s.include_title, "title"),
        (s.include_description, "description"),
        (s.include_path, "path"),
        (s.include_content, "body"),
    ];
    for (_, name) in fields.iter().filter(|(on, _)| *on) {
        builder = if *name == "path" {
            builder.add_field_with_tokenizer(name, Box::new(path_tokens))
        } else {
            builder.add_field(name)
        };
    }
    let mut index = builder.build();
    for (url, json) in list {
        let item: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&json.text()).unwrap_or_default();
        let text = |k: &str| {
            item.get(k)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let row: Vec<String> = fields
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, name)| text(name))
            .collect();
        index.add_doc(url, row);
    }
    index.to_json()
}

fn path_tokens(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '-' || c == '/')
        .filter(|t| !t.is_empty())
        .map(|t| t.trim().to_lowercase())
        .collect()
}

/// A Fuse.js document; fields `[search]` leaves out are not written.
#[derive(Serialize)]
struct Item<'a> {
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
}

/// Each unit's own index in `lang`, beside its home (`don-vi/x/search_index.vi.json`): the
/// language's entries under the unit's URL, so a unit's search page can search it alone.
fn unit_indexes(lang: &str, lib: &Library, list: &[(&str, Compressed)]) -> Vec<(String, String)> {
    lib.units
        .iter()
        .filter(|u| !u.dir.is_empty())
        .filter_map(|u| {
            let home = &lib.sections[lib.unit_home(u, lang)?];
            let inside = list
                .iter()
                .filter(|(url, _)| url.starts_with(&home.permalink))
                .map(|(_, json)| json);
            Some((
                home.path.trim_start_matches('/').to_string(),
                json_list(inside),
            ))
        })
        .collect()
}

/// Each section of the language in the index, followed by its pages in the index, as Zola
/// orders them. Redirecting sections are left out, their pages kept.
fn sources<'l>(lang: &Language, lib: &'l Library, bodies: &'l Bodies) -> Vec<Source<'l>> {
    let s = &lang.search;
    let mut items = Vec::new();
    for (i, section) in lib.sections.iter().enumerate() {
        if section.source.lang != lang.code || !section.meta.in_search_index.unwrap_or(true) {
            continue;
        }
        if section.meta.redirect_to.is_none() && !section.is_virtual {
            items.push(source(
                s,
                &section.permalink,
                section.meta.title.as_deref(),
                section.meta.description.as_deref(),
                &bodies.sections[i].html,
                &section.path,
            ));
        }
        for &p in &section.pages {
            let page = &lib.pages[p];
            if page.meta.in_search_index.unwrap_or(true) && page.is_rendered() {
                items.push(source(
                    s,
                    &page.permalink,
                    page.title(),
                    page.meta.description.as_deref(),
                    &bodies.pages[p].html,
                    &page.path,
                ));
            }
        }
    }
    items
}

fn source<'a>(
    s: &SearchConfig,
    url: &'a str,
    title: Option<&'a str>,
    description: Option<&'a str>,
    html: &'a Compressed,
    path: &'a str,
) -> Source<'a> {
    Source {
        url,
        title: s.include_title.then_some(title.unwrap_or_default()),
        description: s
            .include_description
            .then_some(description.unwrap_or_default()),
        body: s
            .include_content
            .then_some((html, s.truncate_content_length)),
        path: s.include_path.then_some(path),
    }
}

/// The text of rendered HTML: tags dropped, `script`, `style` and `pre` left out with their
/// content, entities as written, each line's whitespace collapsed, empty lines dropped, at
/// most `limit` characters. Made in one pass that stops at the limit: a portal's index cuts
/// bodies to a few thousand characters, a small part of their HTML.
pub fn plain_text(html: &str, limit: Option<usize>) -> String {
    let mut text = PlainText {
        out: String::with_capacity(limit.map_or(html.len(), |n| n.min(html.len()))),
        room: limit.unwrap_or(usize::MAX),
        has_word: false,
        has_space: false,
    };
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        if !text.push(&rest[..lt]) {
            return text.out;
        }
        rest = &rest[lt..];
        let end = rest.find('>').map_or(rest.len(), |i| i + 1);
        let tag = tag_name(&rest[1..end]);
        rest = &rest[end..];
        if let Some(skipped) = ["script", "style", "pre"]
            .iter()
            .find(|t| tag.eq_ignore_ascii_case(t))
        {
            let close = format!("</{skipped}");
            let at = find_ignore_case(rest, &close).unwrap_or(rest.len());
            rest = &rest[at..];
        }
    }
    text.push(rest);
    text.out
}

/// `plain_text`'s output as it grows: words of a line joined by one space, lines with words
/// joined by one line break.
struct PlainText {
    out: String,
    /// Characters still allowed.
    room: usize,
    /// The current line has a word.
    has_word: bool,
    /// Whitespace followed the current line's last word.
    has_space: bool,
}

impl PlainText {
    /// Adds the text between two tags; false once the limit is reached.
    fn push(&mut self, piece: &str) -> bool {
        for c in piece.chars() {
            if c == '\n' {
                self.has_word = false;
                self.has_space = false;
            } else if c.is_whitespace() {
                self.has_space = self.has_word;
            } else {
                let gap = match (self.has_word, self.has_space) {
                    (false, _) if !self.out.is_empty() => Some('\n'),
                    (true, true) => Some(' '),
                    _ => None,
                };
                for c in gap.into_iter().chain([c]) {
                    if self.room == 0 {
                        return false;
                    }
                    self.room -= 1;
                    self.out.push(c);
                }
                self.has_word = true;
                self.has_space = false;
            }
        }
        true
    }
}

/// `p` from `p class="x"`; empty for closing tags, comments and doctypes.
fn tag_name(inside: &str) -> &str {
    let end = inside
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(inside.len());
    &inside[..end]
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::plain_text;

    #[test]
    fn text_keeps_words_and_drops_code_scripts_and_tags() {
        let html = "<h1 id=\"a\">Lịch sử</h1>\n<p>Đình <em>làng</em> &amp; chợ</p>\n\
                    <pre><code>let x = 1;</code></pre>\n<script>alert(1)</script>\n\n<p>  hết   </p>";
        assert_eq!(plain_text(html, None), "Lịch sử\nĐình làng &amp; chợ\nhết");
    }

    #[test]
    fn truncation_counts_characters_not_bytes() {
        assert_eq!(plain_text("<p>山云省对外</p>", Some(3)), "山云省");
        assert_eq!(plain_text("<p>ab</p>", Some(10)), "ab");
        assert_eq!(plain_text("<p>ab cd</p>\n<p>e</p>", Some(3)), "ab ");
        assert_eq!(plain_text("<p>ab</p>\n<p>e</p>", Some(3)), "ab\n");
    }

    /// The text as first written: all of it, line by line, then cut.
    fn by_lines(html: &str, limit: Option<usize>) -> String {
        let mut text = String::new();
        let mut rest = html;
        while let Some(lt) = rest.find('<') {
            text.push_str(&rest[..lt]);
            rest = &rest[lt..];
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            let tag = super::tag_name(&rest[1..end]);
            rest = &rest[end..];
            if let Some(skipped) = ["script", "style", "pre"]
                .iter()
                .find(|t| tag.eq_ignore_ascii_case(t))
            {
                let at = super::find_ignore_case(rest, &format!("</{skipped}"));
                rest = &rest[at.unwrap_or(rest.len())..];
            }
        }
        text.push_str(rest);
        let mut out = text
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        if let Some((cut, _)) = limit.and_then(|n| out.char_indices().nth(n)) {
            out.truncate(cut);
        }
        out
    }

    proptest! {
        #[test]
        fn one_pass_gives_the_text_line_by_line_gave(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "<p>", "</p>", "<pre>", "</pre>", "<em>", " ", "  ", "\n", "\r\n", "\t",
                    "\u{2028}", "\u{a0}", "a", "đình", "山", "&amp;", "<", ">",
                ]),
                0..40,
            ),
            limit in proptest::option::of(0usize..30),
        ) {
            let html = parts.concat();
            prop_assert_eq!(plain_text(&html, limit), by_lines(&html, limit));
        }
    }
}
