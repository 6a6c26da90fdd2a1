//! Tera functions over the content model: `pages_of_kind(kind=…, lang=…)` lists the pages of
//! one kind (the document register lists `document` pages, the events page `event` pages).

use std::collections::HashMap;
use std::sync::Arc;

use tera::{Error, Tera, Value};

use super::data::{PageData, SiteData};

/// The language whose URL space a page is in. A content-fallback copy lives in another
/// language's URLs than its source's, and is listed only there.
pub(super) fn url_lang<'a>(d: &'a SiteData, page: &PageData) -> &'a str {
    let path = page.get_str("path").unwrap_or("");
    d.config
        .languages
        .iter()
        .map(|l| l.code.as_str())
        .find(|code| *code != d.config.default_language && path.starts_with(&format!("/{code}/")))
        .unwrap_or(&d.config.default_language)
}

/// The indexes of the pages of `kind` that are neither drafts nor withdrawn, in library order,
/// in `lang`'s URL space when `lang` is given.
pub(super) fn of_kind<'a>(
    d: &'a SiteData,
    kind: &'a str,
    lang: Option<&'a str>,
) -> impl Iterator<Item = usize> + 'a {
    d.pages.iter().enumerate().filter_map(move |(i, page)| {
        let keep = page.get("extra")["kind"].as_str() == Some(kind)
            && page.get("draft").as_bool() != Some(true)
            && page.get("editorial")["status"].as_str() != Some("withdrawn")
            && lang.is_none_or(|l| url_lang(d, page) == l);
        keep.then_some(i)
    })
}

pub fn register(tera: &mut Tera, data: &Arc<SiteData>) {
    let d = Arc::clone(data);
    // pages_of_kind(kind="document", lang="vi") → the pages, to sort and group in the template
    // (`| sort(attribute="extra.issued") | reverse`, `| group_by(attribute="extra.issuer")`).
    tera.register_function("pages_of_kind", move |args: &HashMap<String, Value>| {
        let kind = args.get("kind").and_then(Value::as_str).ok_or_else(|| {
            Error::msg("`pages_of_kind` requires a `kind` argument, as kind=\"document\"")
        })?;
        let lang = args.get("lang").and_then(Value::as_str);
        Ok(Value::Array(
            of_kind(&d, kind, lang)
                .map(|i| d.page_without_body(i))
                .collect(),
        ))
    });
}
