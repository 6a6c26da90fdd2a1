//! Zola's `load_data` for local files and literals: TOML, JSON, CSV, YAML and plain text.
//! Remote URLs are refused: a portal build makes no third-party requests.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::{Value, json};
use tera::{Error, Result};

use crate::assets::find_file as search_for_file;

/// Loads and parses one data file (cached by path and format) or a literal.
pub fn call(
    root: &Path,
    theme: Option<&str>,
    cache: &Mutex<HashMap<(PathBuf, String), Value>>,
    args: &HashMap<String, Value>,
) -> Result<Value> {
    let format = args.get("format").and_then(Value::as_str);
    let required = args
        .get("required")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    if args.contains_key("url") {
        return Err(Error::msg(
            "`load_data`: remote `url` is not supported; Tre builds make no network requests (save the file under static/ or content/)",
        ));
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
