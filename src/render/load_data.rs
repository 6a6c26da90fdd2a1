//! Zola's `load_data` for local files, literals and remote URLs: TOML, JSON, CSV, YAML, XML,
//! BibTeX and plain text. Requests and their disk cache are `remote`'s; this words its errors.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::{Value, json};
use tera::{Error, Result};

use crate::assets::find_file as search_for_file;
use crate::remote::{FetchError, Method, Remote, Request};

/// Parsed data of one render pass: by file or request, and format.
pub type Cache = Mutex<HashMap<(PathBuf, String), Value>>;

/// Loads and parses one data file or remote answer (cached by source and format) or a literal.
pub fn call(
    root: &Path,
    theme: Option<&str>,
    cache: &Cache,
    remote: &Remote,
    args: &HashMap<String, Value>,
) -> Result<Value> {
    let format = args.get("format").and_then(Value::as_str);
    let required = args
        .get("required")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    if let Some(url) = args.get("url") {
        let Some(url) = url.as_str() else {
            return Err(Error::msg("`load_data`: `url` must be a string"));
        };
        return load_url(url, format, required, cache, remote, args);
    }
    if let Some(lit) = args.get("literal").and_then(Value::as_str) {
        return parse(lit, format.unwrap_or("plain"));
    }
    let Some(path) = args.get("path").and_then(Value::as_str) else {
        return Err(Error::msg(
            "`load_data` requires a `path` or a `literal` argument",
        ));
    };
    let file = match search_for_file(root, path, theme) {
        Ok(f) => f,
        Err(crate::assets::NotFound::Missing(_)) if !required => return Ok(Value::Null),
        Err(e) => return Err(Error::msg(format!("`load_data`: {e}"))),
    };
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    let format = format.unwrap_or(match ext.as_str() {
        "toml" => "toml",
        "json" => "json",
        "csv" => "csv",
        "yaml" | "yml" => "yaml",
        "bib" => "bibtex",
        "xml" => "xml",
        _ => "plain",
    });
    let key = (file.clone(), format.to_string());
    if let Some(v) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(v);
    }
    let text = fs::read_to_string(&file)
        .map_err(|e| Error::msg(format!("`load_data`: cannot read `{path}`: {e}")))?;
    let value =
        parse(&text, format).map_err(|e| Error::msg(format!("`load_data` `{path}`: {e}")))?;
    if let Ok(mut c) = cache.lock() {
        c.insert(key, value.clone());
    }
    Ok(value)
}

/// `load_data(url=…)`: the answer's body, parsed as `format` (plain when not given, as in
/// Zola, whatever the URL ends with).
fn load_url(
    url: &str,
    format: Option<&str>,
    required: bool,
    cache: &Cache,
    remote: &Remote,
    args: &HashMap<String, Value>,
) -> Result<Value> {
    let req = request(url, args)?;
    let format = format.unwrap_or("plain");
    let body = match remote.fetch(&req) {
        Ok(body) => body,
        Err(e) if !required && e.is_missing() => return Ok(Value::Null),
        Err(e) => return Err(Error::msg(fetch_error(&req, remote, &e))),
    };
    let key = (
        PathBuf::from(format!("{:?} {url}", req.method)),
        format.to_string(),
    );
    if let Some(v) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(v);
    }
    let text = std::str::from_utf8(&body).map_err(|_| {
        Error::msg(format!(
            "`load_data`: the answer of `{url}` is not UTF-8 text"
        ))
    })?;
    let value = parse(text, format).map_err(|e| Error::msg(format!("`load_data` `{url}`: {e}")))?;
    if let Ok(mut c) = cache.lock() {
        c.insert(key, value.clone());
    }
    Ok(value)
}

/// The request a call describes: `method`, `body`, `content_type` and `headers` as Zola
/// documents them (`headers=["accept=application/json"]`).
fn request(url: &str, args: &HashMap<String, Value>) -> Result<Request> {
    let method = match args.get("method") {
        None => Method::Get,
        Some(m) => m.as_str().and_then(Method::parse).ok_or_else(|| {
            Error::msg(format!(
                "`load_data`: `method` must be \"GET\" or \"POST\", found {m}"
            ))
        })?,
    };
    let text = |name: &str| -> Result<Option<String>> {
        match args.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(Error::msg(format!(
                "`load_data`: `{name}` must be a string, found {other}"
            ))),
        }
    };
    let mut headers = Vec::new();
    if let Some(list) = args.get("headers") {
        let items = list.as_array().ok_or_else(|| {
            Error::msg(
                "`load_data`: `headers` must be a list such as [\"accept=application/json\"]",
            )
        })?;
        for item in items {
            let pair = item.as_str().and_then(|h| h.split_once('='));
            let Some((name, value)) = pair.filter(|(n, _)| !n.trim().is_empty()) else {
                return Err(Error::msg(format!(
                    "`load_data`: header {item} must be written \"name=value\""
                )));
            };
            headers.push((name.trim().to_string(), value.to_string()));
        }
    }
    Ok(Request {
        url: url.to_string(),
        method,
        body: text("body")?,
        content_type: text("content_type")?,
        headers,
    })
}

/// One message that names the URL, what went wrong and what to do.
fn fetch_error(req: &Request, remote: &Remote, e: &FetchError) -> String {
    let url = &req.url;
    let cache = "`.tre-cache/load_data/`";
    match e {
        FetchError::NotCached => format!(
            "`load_data`: `{url}` is not in {cache} and `--offline` forbids requests; \
             build once without `--offline` to fetch and keep it"
        ),
        FetchError::Status(code) => format!(
            "`load_data`: `{url}` answered HTTP {code}; check the URL, or pass \
             `required=false` to get null instead"
        ),
        FetchError::TimedOut(_) => format!(
            "`load_data`: `{url}` did not answer within {} s; raise `load_data_timeout` in \
             config.toml for a slow server, or build with `--offline` from {cache}",
            remote.timeout().as_secs_f64()
        ),
        FetchError::Unreachable(cause) => format!(
            "`load_data`: cannot fetch `{url}`: {cause}; without the network, build with \
             `--offline` from the data an earlier build kept in {cache}"
        ),
        FetchError::BadUrl(cause) => format!("`load_data`: `{url}`: {cause}"),
        FetchError::Cache(cause) => format!(
            "`load_data`: `{url}`: {cause}; check the permissions of .tre-cache/, or delete it"
        ),
    }
}

fn parse(text: &str, format: &str) -> Result<Value> {
    match format {
        "plain" => Ok(Value::String(text.to_string())),
        "json" => serde_json::from_str(text).map_err(|e| Error::msg(format!("invalid JSON: {e}"))),
        "toml" => toml::from_str::<toml::Value>(text)
            .map(crate::config::toml_to_json)
            .map_err(|e| Error::msg(format!("invalid TOML: {e}"))),
        "yaml" => {
            serde_yaml_ng::from_str(text).map_err(|e| Error::msg(format!("invalid YAML: {e}")))
        }
        "csv" => parse_csv(text),
        "bibtex" => parse_bibtex(text),
        "xml" => roxmltree_to_serde::xml_str_to_json(text, &roxmltree_to_serde::Config::default())
            .map_err(|e| Error::msg(format!("invalid XML: {e}"))),
        other => Err(Error::msg(format!(
            "format `{other}` is not supported; use toml, json, csv, bibtex, yaml, xml or plain"
        ))),
    }
}

/// BibTeX in the shape Zola documents: preambles, comments, `@string` variables, and each
/// entry's type, key and tags (tag names lowercased).
fn parse_bibtex(text: &str) -> Result<Value> {
    let bib =
        nom_bibtex::Bibtex::parse(text).map_err(|e| Error::msg(format!("invalid BibTeX: {e}")))?;
    let strings = |m: &std::collections::HashMap<String, String>, lower: bool| -> Value {
        let map: serde_json::Map<String, Value> = m
            .iter()
            .map(|(k, v)| {
                let k = if lower { k.to_lowercase() } else { k.clone() };
                (k, Value::String(v.clone()))
            })
            .collect();
        Value::Object(map)
    };
    let entries: Vec<Value> = bib
        .bibliographies()
        .iter()
        .map(|b| {
            json!({
                "entry_type": b.entry_type(),
                "citation_key": b.citation_key(),
                "tags": strings(b.tags(), true),
            })
        })
        .collect();
    Ok(json!({
        "preambles": bib.preambles(),
        "comments": bib.comments(),
        "variables": strings(bib.variables(), false),
        "bibliographies": entries,
    }))
}

fn parse_csv(text: &str) -> Result<Value> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| Error::msg(format!("invalid CSV: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut records = Vec::new();
    for r in reader.records() {
        let r = r.map_err(|e| Error::msg(format!("invalid CSV: {e}")))?;
        records.push(r.iter().map(str::to_string).collect::<Vec<_>>());
    }
    Ok(json!({ "headers": headers, "records": records }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bibtex_has_zolas_shape() {
        let v = parse(
            "@preamble{\"Tài liệu\" # \" tham khảo\"}\n@string(tinh = \"Sơn Vân\")\n\
             @book{dia_chi_2020,\n  Title = \"Địa chí \" # tinh,\n  year = 2020\n}\n",
            "bibtex",
        )
        .unwrap();
        assert_eq!(v["preambles"], json!(["Tài liệu tham khảo"]));
        assert_eq!(v["variables"]["tinh"], "Sơn Vân");
        let entry = &v["bibliographies"][0];
        assert_eq!(entry["entry_type"], "book");
        assert_eq!(entry["citation_key"], "dia_chi_2020");
        assert_eq!(entry["tags"]["title"], "Địa chí Sơn Vân");
        assert_eq!(entry["tags"]["year"], "2020");
    }

    #[test]
    fn xml_becomes_nested_objects_with_at_attributes() {
        let v = parse(
            "<ds><le-hoi ngay=\"15/1\">Hội Lồng Tồng</le-hoi><so>7</so></ds>",
            "xml",
        )
        .unwrap();
        assert_eq!(v["ds"]["le-hoi"]["@ngay"], "15/1");
        assert_eq!(v["ds"]["le-hoi"]["#text"], "Hội Lồng Tồng");
        assert_eq!(v["ds"]["so"], 7);
        assert!(parse("<a><b></a>", "xml").is_err());
    }

    #[test]
    fn csv_has_headers_and_records() {
        let v = parse("Number,Title\n1,Gutenberg\n2,Printing\n", "csv").unwrap();
        assert_eq!(v["headers"], json!(["Number", "Title"]));
        assert_eq!(v["records"][1], json!(["2", "Printing"]));
    }
}
