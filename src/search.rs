//! `build_search_index`: a search index per language that asks for one. The Fuse.js shape Zola
//! writes (`search_index.<lang>.json`, or `.js` setting `window.searchIndex`): one item per
//! section and page in the index, with the fields `[search]` includes; language-agnostic, so it
//! serves Vietnamese, Chinese and languages no stemmer knows. Zola's elasticlunr formats, with
//! the `elasticlunr-rs` crate Zola uses, for the languages it stems; others get a warning.

use serde::Serialize;

use crate::config::{Config, Language, SearchConfig};
use crate::content::Library;
use crate::diag::Diagnostic;
use crate::output::{Contents, OutputFile};
use crate::render::Bodies;

/// `elasticlunr.min.js` of the npm package `elasticlunr` (tools/elasticlunr/), embedded by
/// build.rs; empty if the package was not installed when Tre was compiled.
const ELASTICLUNR_JS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/elasticlunr.min.js"));

/// The index files, and a warning per language whose format Tre cannot write.
pub fn indexes(
    config: &Config,
    lib: &Library,
    bodies: &Bodies,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    indexes_of(config, lib, bodies, &|_| true)
}

/// The same for the languages `is_wanted` accepts, for `tre serve` after an edit.
pub fn indexes_of(
    config: &Config,
    lib: &Library,
    bodies: &Bodies,
    is_wanted: &dyn Fn(&str) -> bool,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    let wanted = config
        .languages
        .iter()
        .filter(|l| l.build_search_index && is_wanted(&l.code));
    let mut needs_script = false;
    for lang in wanted {
        let items = index_items(lang, lib, bodies);
        let json = || serde_json::to_string(&items).unwrap_or_else(|_| "[]".into());
        let units = || unit_indexes(&lang.code, lib, &items);
        match lang.search.index_format.as_str() {
            "fuse_json" => {
                files.push(OutputFile::text(
                    format!("search_index.{}.json", lang.code),
                    json(),
                ));
                for (dir, json) in units() {
                    let name = format!("{dir}search_index.{}.json", lang.code);
                    files.push(OutputFile::text(name, json));
                }
            }
            "fuse_javascript" => {
                files.push(OutputFile::text(
                    format!("search_index.{}.js", lang.code),
                    format!("window.searchIndex = {};", json()),
                ));
                for (dir, json) in units() {
                    let name = format!("{dir}search_index.{}.js", lang.code);
                    files.push(OutputFile::text(
                        name,
                        format!("window.searchIndex = {json};"),
                    ));
                }
            }
            "elasticlunr_json" | "elasticlunr_javascript" => {
                needs_script = true;
                match elasticlunr_index(lang, lib, bodies) {
                    Some(json) if lang.search.index_format == "elasticlunr_json" => files.push(
                        OutputFile::text(format!("search_index.{}.json", lang.code), json),
                    ),
                    Some(json) => files.push(OutputFile::text(
                        format!("search_index.{}.js", lang.code),
                        format!("window.searchIndex = {json};"),
                    )),
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
/// item of the Fuse index, keyed by permalink, with the `[search]` fields in Zola's order; the
/// path split at `/`, `-` and spaces. `None` for a language elasticlunr cannot stem (Zola
/// stops the build there).
fn elasticlunr_index(lang: &Language, lib: &Library, bodies: &Bodies) -> Option<String> {
    let language = elasticlunr::lang::from_code(&lang.code)?;
    let s = &lang.search;
    let mut builder = elasticlunr::IndexBuilder::with_language(language);
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
    let json = serde_json::to_string(&index_items(lang, lib, bodies)).ok()?;
    let items: Vec<serde_json::Value> = serde_json::from_str(&json).ok()?;
    for item in items {
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
        index.add_doc(&text("url"), row);
    }
    Some(index.to_json())
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

/// Each section of the language in the index, followed by its pages in the index, as Zola
/// orders them. Redirecting sections are left out, their pages kept.
/// Each unit's own index in `lang`, beside its home (`don-vi/x/search_index.vi.json`): the
/// language's items under the unit's URL, so a unit's search page can search it alone.
fn unit_indexes(lang: &str, lib: &Library, items: &[Item]) -> Vec<(String, String)> {
    lib.units
        .iter()
        .filter(|u| !u.dir.is_empty())
        .filter_map(|u| {
            let home = &lib.sections[lib.unit_home(u, lang)?];
            let inside: Vec<&Item> = items
                .iter()
                .filter(|i| i.url.starts_with(&home.permalink))
                .collect();
            let json = serde_json::to_string(&inside).unwrap_or_else(|_| "[]".into());
            Some((home.path.trim_start_matches('/').to_string(), json))
        })
        .collect()
}

fn index_items<'l>(lang: &Language, lib: &'l Library, bodies: &Bodies) -> Vec<Item<'l>> {
    let s = &lang.search;
    let mut items = Vec::new();
    for (i, section) in lib.sections.iter().enumerate() {
        if section.source.lang != lang.code || !section.meta.in_search_index.unwrap_or(true) {
            continue;
        }
        if section.meta.redirect_to.is_none() && !section.is_virtual {
            items.push(item(
                s,
                &section.permalink,
                section.meta.title.as_deref(),
                section.meta.description.as_deref(),
                &bodies.sections[i].html.text(),
                &section.path,
            ));
        }
        for &p in &section.pages {
            let page = &lib.pages[p];
            if page.meta.in_search_index.unwrap_or(true) && page.is_rendered() {
                items.push(item(
                    s,
                    &page.permalink,
                    page.title(),
                    page.meta.description.as_deref(),
                    &bodies.pages[p].html.text(),
                    &page.path,
                ));
            }
        }
    }
    items
}

fn item<'a>(
    s: &SearchConfig,
    url: &'a str,
    title: Option<&'a str>,
    description: Option<&'a str>,
    html: &str,
    path: &'a str,
) -> Item<'a> {
    Item {
        url,
        title: s.include_title.then_some(title.unwrap_or_default()),
        description: s
            .include_description
            .then_some(description.unwrap_or_default()),
        body: s
            .include_content
            .then(|| plain_text(html, s.truncate_content_length)),
        path: s.include_path.then_some(path),
    }
}

/// The text of rendered HTML: tags dropped, `script`, `style` and `pre` left out with their
/// content, entities as written, each line's whitespace collapsed, empty lines dropped, at
/// most `limit` characters.
pub fn plain_text(html: &str, limit: Option<usize>) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
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
    text.push_str(rest);
    let mut out: String = text
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
    }
}
