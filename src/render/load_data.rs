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
    let Some(file) = search_for_file(root, path, theme) else {
        if required {
            return Err(Error::msg(format!("`load_data`: file `{path}` not found")));
        }
        return Ok(Value::Null);
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
        other => Err(Error::msg(format!(
            "format `{other}` is not supported; use toml, json, csv, yaml or plain"
        ))),
    }
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
    fn csv_has_headers_and_records() {
        let v = parse("Number,Title\n1,Gutenberg\n2,Printing\n", "csv").unwrap();
        assert_eq!(v["headers"], json!(["Number", "Title"]));
        assert_eq!(v["records"][1], json!(["2", "Printing"]));
    }
}
