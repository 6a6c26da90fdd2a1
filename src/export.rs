//! The JSON export of published content (`[hosting] export = true`): per language, every
//! listed page and section with its URL, kind and fields, dates, unit, translations, terms and
//! pictures, in `export/v1/<lang>.json`; what changed since the previous build in
//! `export/v1/changes.json`; and the JSON Schema both follow, `export/v1/schema.json`
//! (`schema/export-v1.schema.json` in the repository). Version 1: a later version that drops or
//! changes a field gets a new directory, so readers of v1 keep working.
//! Works on the library and bodies in memory; reads the previous export, writes nothing itself.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::content::{Item, Library};
use crate::output::OutputFile;
use crate::render::Bodies;

/// The export's format version, in its directory name and in each file.
pub const VERSION: u32 = 1;
/// Where the files go, relative to the output directory.
pub const DIR: &str = "export/v1";
/// The JSON Schema (draft 2020-12) of the language files and the change list.
pub const SCHEMA: &str = include_str!("../schema/export-v1.schema.json");

/// The export files: one per language, the change list against `previous_dir` (the output
/// directory of the last build, if any), and the schema.
pub fn files(
    config: &Config,
    lib: &Library,
    bodies: &Bodies,
    previous_dir: &Path,
) -> Vec<OutputFile> {
    let schema_url = config.permalink(&format!("/{DIR}/schema.json"));
    let mut out = Vec::new();
    let mut changes = Map::new();
    for lang in &config.languages {
        let items = items(config, lib, bodies, &lang.code);
        let digest = hex(&Sha256::digest(
            items
                .iter()
                .filter_map(|i| i["hash"].as_str())
                .collect::<Vec<_>>()
                .join("\n")
                .as_bytes(),
        ));
        let previous = read_previous(&previous_dir.join(format!("{DIR}/{}.json", lang.code)));
        changes.insert(lang.code.clone(), change_list(previous, &items, &digest));
        let doc = json!({
            "$schema": schema_url,
            "version": VERSION,
            "site": config.base_url,
            "language": lang.code,
            "digest": digest,
            "items": items,
        });
        out.push(OutputFile::text(
            format!("{DIR}/{}.json", lang.code),
            pretty(&doc),
        ));
    }
    let doc = json!({
        "$schema": schema_url,
        "version": VERSION,
        "site": config.base_url,
        "languages": changes,
    });
    out.push(OutputFile::text(
        format!("{DIR}/changes.json"),
        pretty(&doc),
    ));
    out.push(OutputFile::text(
        format!("{DIR}/schema.json"),
        SCHEMA.to_string(),
    ));
    out
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The previous build's items of one language, by id: their hashes, and its digest.
struct Previous {
    digest: Option<String>,
    hashes: HashMap<String, String>,
}

/// A missing, unreadable or foreign file (another version) counts as no previous export.
fn read_previous(file: &Path) -> Option<Previous> {
    let doc: Value = serde_json::from_slice(&std::fs::read(file).ok()?).ok()?;
    if doc["version"].as_u64() != Some(u64::from(VERSION)) {
        return None;
    }
    let hashes = doc["items"]
        .as_array()?
        .iter()
        .filter_map(|i| {
            Some((
                i["id"].as_str()?.to_string(),
                i["hash"].as_str()?.to_string(),
            ))
        })
        .collect();
    Some(Previous {
        digest: doc["digest"].as_str().map(str::to_string),
        hashes,
    })
}

/// Ids added, changed and removed since `previous`, each sorted.
fn change_list(previous: Option<Previous>, items: &[Value], digest: &str) -> Value {
    let now: BTreeMap<&str, &str> = items
        .iter()
        .filter_map(|i| Some((i["id"].as_str()?, i["hash"].as_str()?)))
        .collect();
    let (from, before) = match previous {
        Some(p) => (p.digest, p.hashes),
        None => (None, HashMap::new()),
    };
    let mut added = Vec::new();
    let mut changed = Vec::new();
    for (id, hash) in &now {
        match before.get(*id) {
            None => added.push(*id),
            Some(h) if h != hash => changed.push(*id),
            Some(_) => {}
        }
    }
    let mut removed: Vec<&str> = before
        .keys()
        .map(String::as_str)
        .filter(|id| !now.contains_key(id))
        .collect();
    removed.sort_unstable();
    json!({
        "from": from,
        "to": digest,
        "added": added,
        "changed": changed,
        "removed": removed,
    })
}

/// Listed pages and sections of `lang`, in the library's order (sections, then their pages).
fn items(config: &Config, lib: &Library, bodies: &Bodies, lang: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for (s, section) in lib.sections.iter().enumerate() {
        if section.source.lang != lang {
            continue;
        }
        let is_shown = !section.is_virtual
            && section.meta.redirect_to.is_none()
            && section.meta.render.unwrap_or(true);
        if is_shown {
            out.push(item(config, lib, bodies, Item::Section(s)));
        }
        for &p in &section.pages {
            if lib.pages[p].is_listed() {
                out.push(item(config, lib, bodies, Item::Page(p)));
            }
        }
    }
    out
}

/// One item, ending with `hash`: the SHA-256 of everything before it.
fn item(config: &Config, lib: &Library, bodies: &Bodies, it: Item) -> Value {
    let (kind, description, summary_html, extra, date, updated, taxonomies) = match it {
        Item::Page(i) => {
            let p = &lib.pages[i];
            (
                "page",
                p.meta.description.as_deref(),
                bodies.pages.get(i).and_then(|b| b.summary.as_deref()),
                &p.extra,
                p.date.as_ref().map(|d| d.at.to_rfc3339()),
                p.updated.as_ref().map(|d| d.at.to_rfc3339()),
                Some(&p.meta.taxonomies),
            )
        }
        Item::Section(i) => {
            let s = &lib.sections[i];
            (
                "section",
                s.meta.description.as_deref(),
                bodies.sections.get(i).and_then(|b| b.summary.as_deref()),
                &s.extra,
                None,
                None,
                None,
            )
        }
    };
    let summary = description
        .map(str::to_string)
        .or_else(|| summary_html.map(|h| crate::search::plain_text(h, None)))
        .filter(|s| !s.is_empty());
    let lang = lib.item_lang(it);
    let translations: Vec<Value> = lib
        .translations_of(it)
        .iter()
        .filter(|t| **t != it && is_exported(lib, **t))
        .map(|t| json!({ "language": lib.item_lang(*t), "url": lib.item_permalink(*t) }))
        .collect();
    let unit = lib
        .unit_of(it)
        .map(|u| json!({ "id": u.dir, "name": u.name(lang, &config.default_language) }));
    let mut fields = match extra {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    let page_kind = fields
        .remove("kind")
        .and_then(|k| k.as_str().map(str::to_string));
    let colocated = match it {
        Item::Page(i) => lib.pages[i].source.colocated_path.is_some(),
        Item::Section(_) => false,
    };
    let here = colocated.then(|| lib.item_permalink(it));
    let pictures = pictures(config, here, &mut fields);
    let mut v = Map::new();
    v.insert("id".into(), json!(lib.item_canonical(it)));
    v.insert("type".into(), json!(kind));
    v.insert("url".into(), json!(lib.item_permalink(it)));
    v.insert("language".into(), json!(lang));
    v.insert("text_language".into(), json!(lib.item_content_lang(it)));
    v.insert("title".into(), json!(lib.item_title(it)));
    v.insert("summary".into(), json!(summary));
    v.insert("kind".into(), json!(page_kind));
    v.insert("fields".into(), Value::Object(fields));
    v.insert("date".into(), json!(date));
    v.insert("updated".into(), json!(updated));
    v.insert("unit".into(), unit.unwrap_or(Value::Null));
    v.insert("translations".into(), json!(translations));
    v.insert(
        "taxonomies".into(),
        json!(taxonomies.cloned().unwrap_or_default()),
    );
    v.insert("pictures".into(), json!(pictures));
    let hash = hex(&Sha256::digest(
        Value::Object(v.clone()).to_string().as_bytes(),
    ));
    v.insert("hash".into(), json!(hash));
    Value::Object(v)
}

/// Whether an item of another language is in that language's export too.
fn is_exported(lib: &Library, it: Item) -> bool {
    match it {
        Item::Page(i) => lib.pages[i].is_listed(),
        Item::Section(i) => {
            let s = &lib.sections[i];
            !s.is_virtual && s.meta.redirect_to.is_none() && s.meta.render.unwrap_or(true)
        }
    }
}

/// Takes the pictures out of an item's fields: `image` with `image_alt`, and any other
/// `<name>` holding a picture path with its `<name>_alt`. URLs are absolute; a bare file name
/// is a file beside a colocated page (`here`, its permalink), as the theme's figures read it.
fn pictures(config: &Config, here: Option<&str>, fields: &mut Map<String, Value>) -> Vec<Value> {
    let is_picture = |v: &Value| {
        v.as_str().is_some_and(|s| {
            let s = s.to_ascii_lowercase();
            [".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".svg"]
                .iter()
                .any(|e| s.ends_with(e))
        })
    };
    let names: Vec<String> = fields
        .iter()
        .filter(|(_, v)| is_picture(v))
        .map(|(k, _)| k.clone())
        .collect();
    let mut out = Vec::new();
    for name in names {
        let Some(Value::String(src)) = fields.remove(&name) else {
            continue;
        };
        let alt = fields
            .remove(&format!("{name}_alt"))
            .and_then(|a| a.as_str().map(str::to_string));
        let url = if src.contains("://") {
            src
        } else if let (Some(here), false) = (here, src.contains('/')) {
            format!("{here}{src}")
        } else {
            config.permalink(&format!("/{}", src.trim_start_matches('/')))
        };
        out.push(json!({ "field": name, "url": url, "alt": alt }));
    }
    out
}
