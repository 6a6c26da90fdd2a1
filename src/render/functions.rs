//! Zola's Tera functions and filters (templates/overview.md), plus Tre's `t` and `t_html`.
//! Each function holds an `Arc` of the site data; `t` is bound once per language.

use std::collections::HashMap;
use std::fs;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use base64::Engine;
use serde_json::Value;
use sha2::Digest;
use tera::{Error, Result, Tera};

use crate::content::Item;
use crate::i18n::{Locales, LookupError};
use crate::text::slugify_path;

use crate::assets::{ImageQueue, NotFound, find_file as search_for_file};

use super::data::{Lists, SiteData};

fn arg_str<'a>(args: &'a HashMap<String, Value>, name: &str, func: &str) -> Result<&'a str> {
    args.get(name).and_then(Value::as_str).ok_or_else(|| {
        Error::msg(format!(
            "`{func}` requires a `{name}` argument with a string value"
        ))
    })
}

fn opt_str<'a>(args: &'a HashMap<String, Value>, name: &str) -> Option<&'a str> {
    args.get(name).and_then(Value::as_str)
}

fn opt_bool(args: &HashMap<String, Value>, name: &str) -> Option<bool> {
    args.get(name).and_then(Value::as_bool)
}

/// `blog/a.md` in `lang` → `blog/a.en.md` (the default language keeps the plain name).
fn path_with_lang(data: &SiteData, path: &str, lang: Option<&str>) -> Result<String> {
    let path = path.trim_start_matches("@/").trim_start_matches('/');
    let Some(lang) = lang.filter(|l| *l != data.config.default_language) else {
        return Ok(path.to_string());
    };
    if data.config.language(lang).is_none() {
        return Err(Error::msg(format!(
            "'{lang}' is not an authorized language (check config.languages)."
        )));
    }
    Ok(match path.strip_suffix(".md") {
        Some(stem) => format!("{stem}.{lang}.md"),
        None => path.to_string(),
    })
}

/// A function whose result Tera does not escape. Zola marks `get_url` and `get_taxonomy_url`
/// safe, so `href="{{ get_url(path='a/') }}"` keeps its slashes instead of `&#x2F;`.
struct Safe<F>(F);

impl<F> tera::Function for Safe<F>
where
    F: Fn(&HashMap<String, Value>) -> Result<Value> + Sync + Send,
{
    fn call(&self, args: &HashMap<String, Value>) -> Result<Value> {
        (self.0)(args)
    }

    fn is_safe(&self) -> bool {
        true
    }
}

thread_local! {
    /// How much of its pages `get_section` gives to the template rendering on this thread.
    static SECTION_LISTS: std::cell::Cell<Lists> = const { std::cell::Cell::new(Lists::Full) };
}

/// Runs `render` with `get_section` giving its pages as `lists` says: only the fields the
/// rendering template can read (`Templates::list_fields`). Elsewhere (shortcodes) it gives
/// them whole.
pub fn with_section_lists<R>(lists: Lists, render: impl FnOnce() -> R) -> R {
    let before = SECTION_LISTS.replace(lists);
    let out = render();
    SECTION_LISTS.set(before);
    out
}

/// Registers every Zola function and filter, and Tre's, on `tera` for pages in `lang`.
pub fn register(
    tera: &mut Tera,
    data: &Arc<SiteData>,
    locales: &Arc<Locales>,
    images: &Arc<ImageQueue>,
    remote: &Arc<crate::remote::Remote>,
    lang: &str,
) {
    let d = Arc::clone(data);
    tera.register_function("get_page", move |args: &HashMap<String, Value>| {
        let path = path_with_lang(
            &d,
            arg_str(args, "path", "get_page")?,
            opt_str(args, "lang"),
        )?;
        match d.by_relative.get(&path) {
            Some(Item::Page(i)) => Ok(d.shared_page(*i)),
            _ => Err(Error::msg(format!("page `{path}` not found"))),
        }
    });
    let d = Arc::clone(data);
    tera.register_function("get_section", move |args: &HashMap<String, Value>| {
        let path = path_with_lang(
            &d,
            arg_str(args, "path", "get_section")?,
            opt_str(args, "lang"),
        )?;
        let metadata_only = opt_bool(args, "metadata_only").unwrap_or(false);
        match d.by_relative.get(&path) {
            Some(Item::Section(i)) if metadata_only => Ok(d.sections_meta[*i].clone()),
            Some(Item::Section(i)) => Ok(d.shared_section(*i, SECTION_LISTS.get())),
            _ => Err(Error::msg(format!("section `{path}` not found"))),
        }
    });
    // Stylesheets compiled from Sass for `cachebust`/`get_hash`, once per template set.
    let compiled = CompiledCss::default();
    let d = Arc::clone(data);
    let css = Arc::clone(&compiled);
    tera.register_function(
        "get_url",
        Safe(move |args: &HashMap<String, Value>| get_url(&d, &css, args)),
    );
    let d = Arc::clone(data);
    let default_lang = data.config.default_language.clone();
    tera.register_function("get_taxonomy", move |args: &HashMap<String, Value>| {
        let kind = arg_str(args, "kind", "get_taxonomy")?;
        let lang = opt_str(args, "lang").unwrap_or(&default_lang);
        match d.taxonomies.get(&(kind.to_string(), lang.to_string())) {
            Some(t) => Ok(d.taxonomy_json(t)),
            None if opt_bool(args, "required") == Some(false) => Ok(Value::Null),
            None => Err(Error::msg(format!(
                "`get_taxonomy` received an unknown taxonomy as kind: {kind}"
            ))),
        }
    });
    let d = Arc::clone(data);
    let default_lang = data.config.default_language.clone();
    tera.register_function(
        "get_taxonomy_url",
        Safe(move |args: &HashMap<String, Value>| {
            let kind = arg_str(args, "kind", "get_taxonomy_url")?;
            let name = arg_str(args, "name", "get_taxonomy_url")?;
            let lang = opt_str(args, "lang").unwrap_or(&default_lang);
            let slug = slugify_path(name, d.config.slugify.taxonomies);
            match d.term_urls.get(&(kind.to_string(), lang.to_string(), slug)) {
                Some(u) => Ok(Value::String(u.clone())),
                None if opt_bool(args, "required") == Some(false) => Ok(Value::Null),
                None => Err(Error::msg(format!(
                    "`get_taxonomy_url`: couldn't find `{name}` in `{kind}` taxonomy"
                ))),
            }
        }),
    );
    let d = Arc::clone(data);
    let default_lang = data.config.default_language.clone();
    tera.register_function("get_taxonomy_term", move |args: &HashMap<String, Value>| {
        let kind = arg_str(args, "kind", "get_taxonomy_term")?;
        let term = arg_str(args, "term", "get_taxonomy_term")?;
        let lang = opt_str(args, "lang").unwrap_or(&default_lang);
        let include_pages = opt_bool(args, "include_pages").unwrap_or(true);
        let found = d
            .taxonomies
            .get(&(kind.to_string(), lang.to_string()))
            .and_then(|t| t.terms.iter().find(|x| x.name == term));
        match found {
            Some(t) => Ok(d.term_json(
                t,
                if include_pages {
                    Lists::Full
                } else {
                    Lists::None
                },
            )),
            None if opt_bool(args, "required") == Some(false) => Ok(Value::Null),
            None => Err(Error::msg(format!(
                "`get_taxonomy_term`: term `{term}` not found in `{kind}`"
            ))),
        }
    });
    let d = Arc::clone(data);
    tera.register_function("get_hash", move |args: &HashMap<String, Value>| {
        let bytes = match (opt_str(args, "path"), opt_str(args, "literal")) {
            (Some(p), _) => read_site_file(&d, &compiled, p, "get_hash")?,
            (None, Some(l)) => l.as_bytes().to_vec(),
            (None, None) => {
                return Err(Error::msg("`get_hash` requires either `path` or `literal`"));
            }
        };
        let sha = args.get("sha_type").and_then(Value::as_u64).unwrap_or(384);
        let digest: Vec<u8> = match sha {
            256 => sha2::Sha256::digest(&bytes).to_vec(),
            384 => sha2::Sha384::digest(&bytes).to_vec(),
            512 => sha2::Sha512::digest(&bytes).to_vec(),
            _ => return Err(Error::msg("`get_hash`: `sha_type` must be 256, 384 or 512")),
        };
        Ok(Value::String(if opt_bool(args, "base64").unwrap_or(true) {
            base64::engine::general_purpose::STANDARD.encode(digest)
        } else {
            hex(&digest)
        }))
    });
    let root = data.config.root.clone();
    let theme = data.config.theme.clone();
    let cache: Arc<super::load_data::Cache> = Arc::default();
    let remote = Arc::clone(remote);
    tera.register_function("load_data", move |args: &HashMap<String, Value>| {
        super::load_data::call(&root, theme.as_deref(), &cache, &remote, args)
    });
    let d = Arc::clone(data);
    tera.register_function(
        "get_image_metadata",
        move |args: &HashMap<String, Value>| {
            let p = arg_str(args, "path", "get_image_metadata")?;
            let file = match find_site_file(&d, p) {
                Ok(f) => f,
                Err(crate::assets::NotFound::Missing(_))
                    if opt_bool(args, "allow_missing") == Some(true) =>
                {
                    return Ok(Value::Null);
                }
                Err(e) => return Err(Error::msg(format!("`get_image_metadata`: {e}"))),
            };
            crate::assets::metadata(&file).map_err(Error::msg)
        },
    );
    let d = Arc::clone(data);
    // file_size(path="files/nq-15.pdf") → the file's size in bytes, for a document's
    // attachments; found as `get_image_metadata` finds a picture. Tre's, not Zola's.
    tera.register_function("file_size", move |args: &HashMap<String, Value>| {
        let p = arg_str(args, "path", "file_size")?;
        let file = match find_site_file(&d, p) {
            Ok(f) => f,
            Err(crate::assets::NotFound::Missing(_))
                if opt_bool(args, "allow_missing") == Some(true) =>
            {
                return Ok(Value::Null);
            }
            Err(e) => return Err(Error::msg(format!("`file_size`: {e}"))),
        };
        fs::metadata(&file)
            .map(|m| Value::from(m.len()))
            .map_err(|e| Error::msg(format!("`file_size`: cannot read `{p}`: {e}")))
    });
    let q = Arc::clone(images);
    tera.register_function("resize_image", move |args: &HashMap<String, Value>| {
        q.enqueue(args)
    });
    register_i18n(tera, data, locales, lang);
    super::calendar::register(tera, data);
    super::kinds::register(tera, data);
    super::structured::register(tera, data);
    register_filters(tera, data);
}

fn register_i18n(tera: &mut Tera, data: &Arc<SiteData>, locales: &Arc<Locales>, lang: &str) {
    for (name, is_html) in [("t", false), ("t_html", true)] {
        let l = Arc::clone(locales);
        let bound = lang.to_string();
        tera.register_function(name, move |args: &HashMap<String, Value>| {
            let key = arg_str(args, "key", "t")?;
            let lang = opt_str(args, "lang").unwrap_or(&bound);
            let mut named = serde_json::Map::new();
            for (k, v) in args {
                if k != "key" && k != "lang" && k != "mark" && k != "default" {
                    let v = match (is_html, v) {
                        (true, Value::String(s)) => Value::String(tera::escape_html(s)),
                        _ => v.clone(),
                    };
                    named.insert(k.clone(), v);
                }
            }
            let f = match (l.format(lang, key, &named), args.get("default")) {
                (Ok(f), _) => f,
                // Tre: `default` is for a message a theme reads when the site has it (the
                // site's name, a notice): missing from the whole chain, it gives the default,
                // as text (escaped) for `t` and as HTML for `t_html`.
                (Err(LookupError::MissingMessage { .. }), Some(d)) => {
                    let d = match d {
                        Value::String(s) => s.clone(),
                        Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    return Ok(Value::String(if is_html {
                        d
                    } else {
                        tera::escape_html(&d)
                    }));
                }
                (Err(e), _) => {
                    return Err(Error::msg(format!(
                        "`{}`: {e}",
                        if is_html { "t_html" } else { "t" }
                    )));
                }
            };
            let text = crate::i18n::strip_isolation(&f.text).into_owned();
            let html = if is_html {
                text
            } else {
                tera::escape_html(&text)
            };
            // `mark=true` (element content only): a message from another language of the
            // chain says which, as WCAG 3.1.2 asks of passages in another language.
            Ok(Value::String(
                if f.used_fallback && opt_bool(args, "mark") == Some(true) {
                    format!("<span lang=\"{}\">{html}</span>", f.from_lang)
                } else {
                    html
                },
            ))
        });
    }
    let l = Arc::clone(locales);
    let d = Arc::clone(data);
    tera.register_function("trans", move |args: &HashMap<String, Value>| {
        let key = arg_str(args, "key", "trans")?;
        // Without `lang`, Zola's `trans` reads the default language, whatever the page's
        // (templates/overview.md, `trans`); templates pass `lang=lang` for the page's.
        let lang = opt_str(args, "lang").unwrap_or(&d.config.default_language);
        let Some(language) = d.config.language(lang) else {
            return Err(Error::msg(format!("`trans`: unknown language `{lang}`")));
        };
        if let Some(v) = language.translations.get(key) {
            return Ok(Value::String(v.clone()));
        }
        // Beyond Zola: a key missing from config comes from the Fluent files.
        l.format(lang, key, &serde_json::Map::new())
            .map(|f| Value::String(crate::i18n::strip_isolation(&f.text).into_owned()))
            .map_err(|_| Error::msg(format!("`trans`: no translation for `{key}` in `{lang}`")))
    });
}

fn register_filters(tera: &mut Tera, data: &Arc<SiteData>) {
    tera.register_filter("base64_encode", |v: &Value, _: &HashMap<String, Value>| {
        let s = tera::try_get_value!("base64_encode", "value", String, v);
        Ok(Value::String(
            base64::engine::general_purpose::STANDARD.encode(s.as_bytes()),
        ))
    });
    tera.register_filter("base64_decode", |v: &Value, _: &HashMap<String, Value>| {
        let s = tera::try_get_value!("base64_decode", "value", String, v);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(s.as_bytes())
            .map_err(|e| Error::msg(format!("base64_decode: {e}")))?;
        Ok(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    });
    let regex_cache: Arc<Mutex<HashMap<String, regex::Regex>>> = Arc::default();
    tera.register_filter(
        "regex_replace",
        move |v: &Value, args: &HashMap<String, Value>| {
            let s = tera::try_get_value!("regex_replace", "value", String, v);
            let pattern = arg_str(args, "pattern", "regex_replace")?;
            let rep = arg_str(args, "rep", "regex_replace")?;
            let mut cache = regex_cache
                .lock()
                .map_err(|_| Error::msg("regex cache poisoned"))?;
            if !cache.contains_key(pattern) {
                let re = regex::Regex::new(pattern)
                    .map_err(|e| Error::msg(format!("regex_replace: {e}")))?;
                cache.insert(pattern.to_string(), re);
            }
            let re = &cache[pattern];
            Ok(Value::String(re.replace_all(&s, rep).into_owned()))
        },
    );
    let default_lang = data.config.default_language.clone();
    tera.register_filter(
        "num_format",
        move |v: &Value, args: &HashMap<String, Value>| {
            let locale = opt_str(args, "locale").unwrap_or(&default_lang);
            let n = v
                .as_f64()
                .ok_or_else(|| Error::msg("num_format: the value must be a number"))?;
            Ok(Value::String(format_number(n, locale)))
        },
    );
    let d = Arc::clone(data);
    tera.register_filter(
        "markdown",
        move |v: &Value, args: &HashMap<String, Value>| {
            let s = tera::try_get_value!("markdown", "value", String, v);
            let inline = opt_bool(args, "inline").unwrap_or(false);
            super::render_markdown_filter(&d, &s, inline)
                .map(Value::String)
                .map_err(Error::msg)
        },
    );
}

/// Grouping as CLDR has it for the languages portals use; others get the English style.
pub fn format_number(n: f64, locale: &str) -> String {
    let lang = locale.split(['-', '_']).next().unwrap_or("en");
    let (group, decimal) = match lang {
        "vi" | "de" | "id" | "es" | "it" | "nl" | "pt" | "da" | "tr" => (".", ","),
        "fr" | "ru" | "pl" | "cs" | "sv" | "nb" | "fi" | "uk" => ("\u{202f}", ","),
        _ => (",", "."),
    };
    let neg = n < 0.0;
    let abs = n.abs();
    let int = abs.trunc() as u64;
    let frac = abs - abs.trunc();
    let digits = int.to_string();
    let mut out = String::new();
    let indian = locale == "en-IN" || locale == "hi";
    let len = digits.len();
    for (i, c) in digits.chars().enumerate() {
        let from_end = len - i;
        if i > 0 {
            let sep = if indian {
                from_end == 3 || (from_end > 3 && (from_end - 3) % 2 == 0)
            } else {
                from_end % 3 == 0
            };
            if sep {
                out.push_str(group);
            }
        }
        out.push(c);
    }
    if frac > 0.0 {
        let f = format!("{frac:.3}");
        let f = f
            .trim_start_matches('0')
            .trim_start_matches('.')
            .trim_end_matches('0');
        if !f.is_empty() {
            out.push_str(decimal);
            out.push_str(f);
        }
    }
    if neg { format!("-{out}") } else { out }
}

fn get_url(d: &SiteData, css: &CompiledCss, args: &HashMap<String, Value>) -> Result<Value> {
    let path = arg_str(args, "path", "get_url")?;
    let lang = opt_str(args, "lang").unwrap_or(&d.config.default_language);
    if d.config.language(lang).is_none() {
        return Err(Error::msg(format!(
            "'{lang}' is not an authorized language (check config.languages)."
        )));
    }
    if path.starts_with("@/") {
        let (file, anchor) = match path.split_once('#') {
            Some((f, a)) => (f, Some(a)),
            None => (path, None),
        };
        let rel = path_with_lang(d, file, Some(lang))?;
        return d
            .permalink_of(&rel)
            .map(|p| {
                Value::String(match anchor {
                    Some(a) => format!("{p}#{a}"),
                    None => p.to_string(),
                })
            })
            .ok_or_else(|| {
                Error::msg(format!(
                    "`get_url`: could not resolve URL for link `{path}` not found."
                ))
            });
    }
    let trailing_slash = opt_bool(args, "trailing_slash").unwrap_or(false);
    let mut full = String::new();
    if lang != d.config.default_language && !path.trim_start_matches('/').starts_with(lang) {
        full.push('/');
        full.push_str(lang);
    }
    let trimmed = path.trim_start_matches('/');
    full.push('/');
    full.push_str(trimmed);
    let mut url = d.config.permalink(&full);
    if trailing_slash && !url.ends_with('/') && !url.contains('#') {
        url.push('/');
    } else if !trailing_slash && url.ends_with('/') && !trimmed.is_empty() {
        url.pop();
    }
    if opt_bool(args, "cachebust").unwrap_or(false) {
        let bytes = read_site_file(d, css, trimmed, "get_url")?;
        let h = hex(&sha2::Sha256::digest(&bytes));
        url = format!("{url}?h={}", &h[..20]);
    }
    Ok(Value::String(url))
}

/// Stylesheet output path → CSS.
type CompiledCss = Arc<Mutex<HashMap<String, Vec<u8>>>>;

/// A file on disk as Zola finds it: under the site (`static/`, `content/`, the theme's
/// `static/`) or, failing that, where the build writes a colocated asset, so that
/// `es/blog/card.jpg` finds `content/blog/card.jpg` beside `blog/_index.es.md`.
fn find_site_file(data: &SiteData, path: &str) -> std::result::Result<PathBuf, NotFound> {
    match search_for_file(&data.config.root, path, data.config.theme.as_deref()) {
        Err(NotFound::Missing(m)) => data.output_asset(path).cloned().ok_or(NotFound::Missing(m)),
        found => found,
    }
}

/// A file a template names, as Zola finds it: on disk (site, `static/`, `content/`, the
/// theme's `static/`) or, for a stylesheet compiled from Sass, as the build will write it.
fn read_site_file(
    data: &SiteData,
    compiled: &CompiledCss,
    path: &str,
    function: &str,
) -> Result<Vec<u8>> {
    let config = &data.config;
    match find_site_file(data, path) {
        Ok(file) => {
            return fs::read(&file)
                .map_err(|e| Error::msg(format!("`{function}`: cannot read `{path}`: {e}")));
        }
        Err(e @ NotFound::Outside(_)) => return Err(Error::msg(format!("`{function}`: {e}"))),
        Err(NotFound::Missing(_)) => {}
    }
    if let Some(bytes) = data.generated.get(path.trim_start_matches('/')) {
        return Ok(bytes.clone());
    }
    let mut cache = compiled
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(css) = cache.get(path) {
        return Ok(css.clone());
    }
    match crate::sass::compile_output(config, path) {
        Some(Ok(css)) => Ok(cache
            .entry(path.to_string())
            .or_insert(css.into_bytes())
            .clone()),
        Some(Err(d)) => Err(Error::msg(format!("`{function}`: {d}"))),
        None => Err(Error::msg(format!(
            "`{function}`: cannot find file `{path}`"
        ))),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_per_locale() {
        assert_eq!(format_number(1_000_000.0, "en"), "1,000,000");
        assert_eq!(format_number(1_234_567.5, "vi"), "1.234.567,5");
        assert_eq!(format_number(1_000_000.0, "en-IN"), "10,00,000");
        assert_eq!(format_number(-42.0, "en"), "-42");
    }
}
