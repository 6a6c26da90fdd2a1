//! `tre new KIND "Tiêu đề"`: a new page of a kind, with every field of the kind written out
//! (required ones with a value of the right type, the others commented), `draft = true`.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use super::{Field, FieldType, Fields, Kind, Model};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::text::{SlugifyMode, slugify_path};

/// What `tre new` was asked for.
pub struct NewPage<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    /// The section under `content/`, as `tin-tuc`; none is the home section.
    pub section: Option<&'a str>,
    /// A language other than the default one adds `.<lang>` to the file name.
    pub lang: Option<&'a str>,
}

/// Writes the new page and returns its path relative to the site root. Never overwrites.
pub fn write_new_page(
    root: &Path,
    config: &Config,
    model: &Model,
    req: &NewPage,
) -> Result<PathBuf, Vec<Diagnostic>> {
    let Some(kind) = model.kind(req.kind) else {
        let ids = model.kinds.iter().map(|k| k.id.as_str());
        let list = ids.clone().collect::<Vec<_>>().join(", ");
        let help = match super::closest(req.kind, ids) {
            Some(near) => format!("did you mean \"{near}\"? kinds: {list}"),
            None if list.is_empty() => "the site has no kinds.toml".to_string(),
            None => format!("kinds: {list}"),
        };
        return Err(vec![
            Diagnostic::error(
                super::KINDS_FILE,
                None,
                format!("unknown kind {:?}", req.kind),
            )
            .with_help(help),
        ]);
    };
    if let Some(lang) = req.lang.filter(|l| config.language(l).is_none()) {
        return Err(vec![
            Diagnostic::error(
                &config.file,
                None,
                format!("the site has no language {lang:?}"),
            )
            .with_help("add it under [languages] in config.toml, or leave out --lang"),
        ]);
    }
    let section = req.section.unwrap_or("").trim_matches('/');
    if section.split('/').any(|c| c == ".." || c == ".") || Path::new(section).is_absolute() {
        return Err(vec![Diagnostic::error(
            "content",
            None,
            format!("--section {section:?} must be a folder inside content/"),
        )]);
    }
    let slug = slugify_path(req.title, SlugifyMode::On);
    let slug = if slug.is_empty() {
        kind.id.clone()
    } else {
        slug
    };
    let suffix = match req.lang {
        Some(l) if l != config.default_language => format!(".{l}"),
        _ => String::new(),
    };
    let mut rel = PathBuf::from("content");
    if !section.is_empty() {
        rel.push(section);
    }
    rel.push(format!("{slug}{suffix}.md"));
    let path = root.join(&rel);
    if path.exists() {
        return Err(vec![
            Diagnostic::error(
                &rel,
                None,
                "a file already exists here; `tre new` never overwrites",
            )
            .with_help("choose another title, or edit the existing file"),
        ]);
    }
    let e = &config.editorial;
    let text = render_new_page(model, kind, req.title, e.now.with_timezone(&e.time_zone));
    let io = |what: &str, err: std::io::Error| {
        vec![Diagnostic::error(
            &rel,
            None,
            format!("cannot {what}: {err}"),
        )]
    };
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|err| io("create its folder", err))?;
    }
    // `create_new` refuses a file made since the check above, too.
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|err| io("create the file", err))?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|err| io("write", err))?;
    Ok(rel)
}

/// The text of a new page: front matter with the kind's fields, and an empty body.
pub fn render_new_page(
    model: &Model,
    kind: &Kind,
    title: &str,
    now: DateTime<FixedOffset>,
) -> String {
    let mut out = String::from("+++\n");
    out.push_str(&format!("title = {}\n", toml_str(title)));
    out.push_str("description = \"\"\n");
    out.push_str(&format!("date = {}\n", now.format("%Y-%m-%d")));
    out.push_str("draft = true\n\n[extra]\n");
    out.push_str(&format!("kind = {}\n", toml_str(&kind.id)));
    for f in kind.fields.iter().chain(model.common.iter()) {
        if let Some(help) = &f.help {
            out.push_str(&format!("# {help}\n"));
        }
        let line = format!("{} = {}", f.name, placeholder(model, &f.ty, now, 0));
        if f.required {
            out.push_str(&format!("{line}\n"));
        } else {
            out.push_str(&format!("# {line}\n"));
        }
    }
    out.push_str("+++\n\n");
    out
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A value of the right type for a field the author fills in.
fn placeholder(model: &Model, ty: &FieldType, now: DateTime<FixedOffset>, depth: usize) -> String {
    match ty {
        FieldType::String | FieldType::Text | FieldType::Image | FieldType::Media => "\"\"".into(),
        FieldType::Date => now.format("%Y-%m-%d").to_string(),
        FieldType::Datetime => now.format("%Y-%m-%dT%H:%M:00%:z").to_string(),
        FieldType::Integer => "0".into(),
        FieldType::Number => "0.0".into(),
        FieldType::Bool => "false".into(),
        FieldType::Url => "\"https://\"".into(),
        FieldType::Page => "\"@/_index.md\"".into(),
        FieldType::Lunar => "\"1/1\"".into(),
        FieldType::Enum(values) => values.first().map_or("\"\"".into(), |v| toml_str(v)),
        FieldType::List(inner) => match inner.as_ref() {
            FieldType::Table(_) | FieldType::Named(_) if depth < 3 => {
                format!("[{}]", placeholder(model, inner, now, depth + 1))
            }
            _ => "[]".into(),
        },
        FieldType::Table(fields) => table(model, fields, now, depth),
        FieldType::Named(name) => model
            .types
            .get(name)
            .map_or("{}".into(), |fields| table(model, fields, now, depth)),
    }
}

fn table(model: &Model, fields: &Fields, now: DateTime<FixedOffset>, depth: usize) -> String {
    let parts: Vec<String> = fields
        .iter()
        .filter(|f: &&Field| f.required)
        .map(|f| format!("{} = {}", f.name, placeholder(model, &f.ty, now, depth + 1)))
        .collect();
    if parts.is_empty() {
        "{}".into()
    } else {
        format!("{{ {} }}", parts.join(", "))
    }
}

/// `tre new --list`: each kind with its label id and fields, required ones marked.
pub fn render_kind_list(model: &Model) -> String {
    let mut out = String::new();
    for k in &model.kinds {
        out.push_str(&format!("{} ({})\n", k.id, k.label));
        for f in k.fields.iter() {
            let req = if f.required { ", required" } else { "" };
            out.push_str(&format!("  {:<16} {}{req}", f.name, f.ty.describe()));
            if let Some(h) = &f.help {
                out.push_str(&format!(" — {h}"));
            }
            out.push('\n');
        }
    }
    if !model.common.0.is_empty() {
        out.push_str("every page (common fields)\n");
        for f in model.common.iter() {
            out.push_str(&format!("  {:<16} {}\n", f.name, f.ty.describe()));
        }
    }
    out
}
