//! Units: a commune, department or organisation with its own part of the portal. A section
//! whose default-language `_index.md` has `[extra.unit]` is one; every page and section under
//! its directory belongs to it (to the nearest one). Checked here: units inside units,
//! two units claiming one path, unknown languages. Owns the CODEOWNERS text.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::Value;

use super::Section;
use crate::config::Config;
use crate::diag::{Diagnostic, LineIndex};

/// One unit, as its `[extra.unit]` declares it.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// Its directory under `content/`: `don-vi/xa-tan-lap`.
    pub dir: String,
    /// The `_index.md` declaring it, from the site root.
    pub file: PathBuf,
    /// `[extra.unit]` as written, for templates (name, address, contact, phone, email, menu…).
    pub identity: Value,
    /// Languages it publishes in; `None` for all the site's.
    pub languages: Option<Vec<String>>,
    /// Who may change its files (CODEOWNERS owners: `@user`, `@org/team` or an email).
    pub editors: Vec<String>,
    /// Paths from the site root it owns besides its content directory (`static/don-vi/x/`).
    pub paths: Vec<String>,
    pub allows_units_inside: bool,
    /// Its own menu, shown under the site's on its pages (`menu` in `[extra.unit]`).
    pub menu: Vec<MenuItem>,
    /// The blocks of its home page, above the list of its articles (`blocks`).
    pub blocks: Vec<Block>,
}

/// An entry of a unit's menu: a page or section, labelled with its title in the reader's
/// language, with a message (`key`), or with a name given per language (`name`).
#[derive(Debug, Clone, PartialEq)]
pub struct MenuItem {
    /// From `content/`, without `@/`: `don-vi/x/lich-tiep-cong-dan.md`.
    pub path: String,
    pub key: Option<String>,
    /// A string, or a table of strings by language.
    pub name: Option<Value>,
}

/// A block of a unit's home page.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: BlockKind,
    /// Its heading: a string or a table by language; `None` for the theme's default.
    pub title: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    /// The unit's `count` latest pages, of one content kind (`extra.kind`) when given.
    Latest { count: usize, kind: Option<String> },
    /// Chosen pages, in this order (paths from `content/`, without `@/`).
    Pages(Vec<String>),
    /// The unit's identity: address, contact official, phone, email.
    Contact,
}

/// The words of `value` in `lang`: a string as it is, or a table by language with the
/// default language's entry as the fallback.
pub fn localized<'v>(value: &'v Value, lang: &str, default_lang: &str) -> Option<&'v str> {
    match value {
        Value::String(s) => Some(s),
        Value::Object(m) => m
            .get(lang)
            .or_else(|| m.get(default_lang))
            .and_then(Value::as_str),
        _ => None,
    }
}

impl Unit {
    /// Its name in `lang`: `name.<lang>`, the default language's, or a plain `name`.
    pub fn name(&self, lang: &str, default_lang: &str) -> Option<&str> {
        localized(self.identity.get("name")?, lang, default_lang)
    }

    /// Whether the unit publishes in `lang`.
    pub fn has_language(&self, lang: &str) -> bool {
        self.languages
            .as_ref()
            .is_none_or(|l| l.iter().any(|x| x == lang))
    }

    /// The unit as templates see it in `lang`: `[extra.unit]` with `name` in that language,
    /// plus `dir`.
    pub fn to_json(&self, lang: &str, default_lang: &str) -> Value {
        let mut v = self.identity.clone();
        if let Value::Object(m) = &mut v {
            let name = self.name(lang, default_lang).map(str::to_string);
            m.insert("name".into(), name.into());
            m.insert("dir".into(), self.dir.clone().into());
        }
        v
    }

    /// Whether the file at `components` (directories under `content/`) is inside the unit.
    fn contains(&self, components: &[String]) -> bool {
        let dir: Vec<&str> = self.dir.split('/').filter(|c| !c.is_empty()).collect();
        dir.len() <= components.len() && dir.iter().zip(components).all(|(a, b)| *a == b)
    }
}

/// The unit owning a file in `components`: the deepest one containing it.
pub fn unit_of(units: &[Unit], components: &[String]) -> Option<usize> {
    units
        .iter()
        .enumerate()
        .filter(|(_, u)| u.contains(components))
        .max_by_key(|(_, u)| u.dir.len())
        .map(|(i, _)| i)
}

/// The units declared by the default-language sections, checked.
pub(super) fn find(config: &Config, sections: &[Section]) -> Result<Vec<Unit>, Vec<Diagnostic>> {
    let mut units = Vec::new();
    let mut errors = Vec::new();
    for s in sections {
        if s.fallback.is_some() || s.is_virtual || s.source.lang != config.default_language {
            continue;
        }
        let Some(decl) = s.extra.get("unit") else {
            continue;
        };
        match read(config, s, decl) {
            Ok(u) => units.push(u),
            Err(mut e) => errors.append(&mut e),
        }
    }
    units.sort_by(|a, b| a.dir.cmp(&b.dir));
    errors.extend(check_nesting(&units, sections));
    errors.extend(check_claims(&units, sections));
    if errors.is_empty() {
        Ok(units)
    } else {
        Err(errors)
    }
}

/// Where `key` is written inside the `_index.md`'s `[extra.unit]`, or the table's header.
fn at(s: &Section, key: Option<&str>) -> Option<crate::diag::LineCol> {
    let text = &s.source.text;
    let table = text.find("[extra.unit]").or_else(|| text.find("unit"))?;
    let offset = key
        .and_then(|k| {
            text[table..]
                .lines()
                .scan(table, |pos, line| {
                    let here = *pos;
                    *pos += line.len() + 1;
                    Some((here, line))
                })
                .find(|(_, l)| {
                    l.trim_start()
                        .strip_prefix(k)
                        .is_some_and(|r| r.trim_start().starts_with('='))
                })
                .map(|(p, l)| p + (l.len() - l.trim_start().len()))
        })
        .unwrap_or(table);
    Some(LineIndex::new(text).locate(offset))
}

fn read(config: &Config, s: &Section, decl: &Value) -> Result<Unit, Vec<Diagnostic>> {
    let file = &s.source.file;
    let err = |key: Option<&str>, message: String, help: &str| {
        Diagnostic::error(file, at(s, key), message).with_help(help)
    };
    if !decl.is_object() {
        return Err(vec![err(
            None,
            "`extra.unit` must be a table".into(),
            "write [extra.unit] with name, address, contact, phone, email and editors",
        )]);
    }
    let mut errors = Vec::new();
    let strings = |key: &str, errors: &mut Vec<Diagnostic>| -> Vec<String> {
        match decl.get(key) {
            None => Vec::new(),
            Some(Value::Array(a)) if a.iter().all(Value::is_string) => a
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            Some(_) => {
                errors.push(err(
                    Some(key),
                    format!("`extra.unit.{key}` must be a list of strings"),
                    "write it as [\"…\", \"…\"]",
                ));
                Vec::new()
            }
        }
    };
    let editors = strings("editors", &mut errors);
    let paths = strings("paths", &mut errors);
    let languages = decl
        .get("languages")
        .map(|_| strings("languages", &mut errors));
    for l in languages.iter().flatten() {
        if config.language(l).is_none() {
            errors.push(err(
                Some("languages"),
                format!("`extra.unit.languages` names `{l}`, which is not a language of the site"),
                "use the codes of config.toml `languages`",
            ));
        }
    }
    if decl.get("name").is_none() {
        errors.push(err(
            None,
            "a unit needs a `name`".into(),
            "add name = { vi = \"…\", en = \"…\" } to [extra.unit]",
        ));
    }
    let allows_units_inside = match decl.get("allow_units_inside") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            errors.push(err(
                Some("allow_units_inside"),
                "`extra.unit.allow_units_inside` must be true or false".into(),
                "write allow_units_inside = true",
            ));
            false
        }
    };
    let menu = read_menu(decl.get("menu"), &err, &mut errors);
    let blocks = read_blocks(decl.get("blocks"), &err, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Unit {
        dir: s.source.components.join("/"),
        file: file.clone(),
        identity: decl.clone(),
        languages,
        editors,
        paths: paths
            .into_iter()
            .map(|p| p.trim_start_matches('/').to_string())
            .collect(),
        allows_units_inside,
        menu,
        blocks,
    })
}

type ErrAt<'a> = dyn Fn(Option<&str>, String, &str) -> Diagnostic + 'a;

/// `@/a/b.md` as `a/b.md`, or `None` when it is not an `@/` path to a Markdown file.
fn content_link(v: &Value) -> Option<String> {
    v.as_str()
        .and_then(|p| p.strip_prefix("@/"))
        .filter(|p| p.ends_with(".md"))
        .map(str::to_string)
}

/// A string, or a table whose values are all strings (words by language).
fn is_words(v: &Value) -> bool {
    match v {
        Value::String(_) => true,
        Value::Object(m) => m.values().all(Value::is_string),
        _ => false,
    }
}

fn read_menu(decl: Option<&Value>, err: &ErrAt, errors: &mut Vec<Diagnostic>) -> Vec<MenuItem> {
    let Some(decl) = decl else {
        return Vec::new();
    };
    let help = "write menu = [\"@/don-vi/x/a.md\", { path = \"@/don-vi/x/b/_index.md\", name = { vi = \"…\", en = \"…\" } }]";
    let Value::Array(list) = decl else {
        errors.push(err(
            Some("menu"),
            "`extra.unit.menu` must be a list".into(),
            help,
        ));
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in list {
        let item = match entry {
            Value::String(_) => content_link(entry).map(|path| MenuItem {
                path,
                key: None,
                name: None,
            }),
            Value::Object(m)
                if m.keys()
                    .all(|k| ["path", "key", "name"].contains(&k.as_str())) =>
            {
                let path = m.get("path").and_then(content_link);
                let key = m.get("key").map(|k| k.as_str().map(str::to_string));
                let name = m.get("name").filter(|n| is_words(n)).cloned();
                match (path, key) {
                    (Some(path), None) if name.is_some() || m.get("name").is_none() => {
                        Some(MenuItem {
                            path,
                            key: None,
                            name,
                        })
                    }
                    (Some(path), Some(Some(key))) if m.get("name").is_none() => Some(MenuItem {
                        path,
                        key: Some(key),
                        name: None,
                    }),
                    _ => None,
                }
            }
            _ => None,
        };
        match item {
            Some(i) => out.push(i),
            None => errors.push(err(
                Some("menu"),
                format!("`extra.unit.menu` has an entry Tre cannot read: {entry}"),
                "an entry is an `@/` path to a page or section, or a table with `path` and either `key` (a message) or `name` (a string or a table by language)",
            )),
        }
    }
    out
}

fn read_blocks(decl: Option<&Value>, err: &ErrAt, errors: &mut Vec<Diagnostic>) -> Vec<Block> {
    let Some(decl) = decl else {
        return Vec::new();
    };
    let help = "write blocks = [{ type = \"latest\", count = 3 }, { type = \"pages\", pages = [\"@/don-vi/x/a.md\"] }, { type = \"contact\" }]";
    let Value::Array(list) = decl else {
        errors.push(err(
            Some("blocks"),
            "`extra.unit.blocks` must be a list of tables".into(),
            help,
        ));
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in list {
        let mut bad = |m: String| errors.push(err(Some("blocks"), m, help));
        let Value::Object(m) = entry else {
            bad(format!(
                "a block of `extra.unit.blocks` must be a table, found {entry}"
            ));
            continue;
        };
        let title = m.get("title").cloned();
        if title.as_ref().is_some_and(|t| !is_words(t)) {
            bad("a block's `title` must be a string or a table of strings by language".into());
            continue;
        }
        let allowed: &[&str] = match m.get("type").and_then(Value::as_str) {
            Some("latest") => &["type", "title", "count", "kind"],
            Some("pages") => &["type", "title", "pages"],
            Some("contact") => &["type", "title"],
            _ => {
                bad(format!(
                    "a block of `extra.unit.blocks` has type {}; the types are \"latest\", \"pages\" and \"contact\"",
                    m.get("type")
                        .map_or_else(|| "none".to_string(), Value::to_string)
                ));
                continue;
            }
        };
        if let Some(k) = m.keys().find(|k| !allowed.contains(&k.as_str())) {
            bad(format!(
                "a block of type {} has an unknown key `{k}`",
                m["type"]
            ));
            continue;
        }
        let kind = match m.get("type").and_then(Value::as_str) {
            Some("latest") => {
                let count = match m.get("count") {
                    None => Some(4),
                    Some(c) => c
                        .as_u64()
                        .filter(|c| (1..=50).contains(c))
                        .and_then(|c| usize::try_from(c).ok()),
                };
                let kind = m.get("kind").map(|k| k.as_str().map(str::to_string));
                match (count, kind) {
                    (Some(count), None) => BlockKind::Latest { count, kind: None },
                    (Some(count), Some(Some(k))) => BlockKind::Latest {
                        count,
                        kind: Some(k),
                    },
                    (None, _) => {
                        bad(
                            "a \"latest\" block's `count` must be a whole number from 1 to 50"
                                .into(),
                        );
                        continue;
                    }
                    (_, Some(None)) => {
                        bad(
                            "a \"latest\" block's `kind` must be a kind id, such as \"news\""
                                .into(),
                        );
                        continue;
                    }
                }
            }
            Some("pages") => {
                let pages: Option<Vec<String>> = m
                    .get("pages")
                    .and_then(Value::as_array)
                    .filter(|a| !a.is_empty())
                    .and_then(|a| a.iter().map(content_link).collect());
                match pages {
                    Some(p) => BlockKind::Pages(p),
                    None => {
                        bad(
                            "a \"pages\" block needs `pages`, a list of `@/` paths to pages".into(),
                        );
                        continue;
                    }
                }
            }
            _ => BlockKind::Contact,
        };
        out.push(Block { kind, title });
    }
    out
}

/// Every `@/` path a unit's menu and blocks name must be a page or section of the site:
/// `exists` says whether one is. Errors point at the unit's `_index.md`.
pub(super) fn check_links(
    units: &[Unit],
    sections: &[Section],
    exists: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for u in units {
        let Some(s) = section_of(sections, u) else {
            continue;
        };
        let menu = u.menu.iter().map(|m| ("menu", &m.path));
        let blocks = u.blocks.iter().flat_map(|b| match &b.kind {
            BlockKind::Pages(p) => p.iter().map(|p| ("blocks", p)).collect(),
            _ => Vec::new(),
        });
        for (key, path) in menu.chain(blocks) {
            if !exists(path) {
                errors.push(
                    Diagnostic::error(
                        &u.file,
                        at(s, Some(key)),
                        format!("`extra.unit.{key}` links to `@/{path}`, which is not a page or section of the site"),
                    )
                    .with_help("write the path of a Markdown file under content/, as @/don-vi/x/a.md"),
                );
            }
        }
    }
    errors
}

fn section_of<'s>(sections: &'s [Section], u: &Unit) -> Option<&'s Section> {
    sections.iter().find(|s| s.source.file == u.file)
}

/// A unit inside another is an error unless the outer one has `allow_units_inside = true`.
fn check_nesting(units: &[Unit], sections: &[Section]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (i, inner) in units.iter().enumerate() {
        let comps: Vec<String> = inner.dir.split('/').map(str::to_string).collect();
        let outer = units
            .iter()
            .enumerate()
            .filter(|&(j, o)| j != i && o.dir.len() < inner.dir.len() && o.contains(&comps))
            .max_by_key(|(_, o)| o.dir.len());
        if let Some((_, outer)) = outer.filter(|(_, o)| !o.allows_units_inside) {
            let Some(s) = section_of(sections, inner) else {
                continue;
            };
            errors.push(
                Diagnostic::error(
                    &inner.file,
                    at(s, None),
                    format!(
                        "unit `{}` is inside unit `{}`, which does not allow units inside it",
                        inner.dir,
                        if outer.dir.is_empty() {
                            "/"
                        } else {
                            &outer.dir
                        }
                    ),
                )
                .with_help(format!(
                    "add allow_units_inside = true to [extra.unit] in {}, or move this unit out",
                    outer.file.display()
                )),
            );
        }
    }
    errors
}

/// Two units may not claim one path in `paths`, nor one claim another's content directory.
fn check_claims(units: &[Unit], sections: &[Section]) -> Vec<Diagnostic> {
    let mut owner: HashMap<String, &Unit> = HashMap::new();
    for u in units {
        owner.insert(content_path(u), u);
    }
    let mut errors = Vec::new();
    for u in units {
        for p in &u.paths {
            let key = format!("{}/", p.trim_end_matches('/'));
            match owner.get(&key) {
                Some(other) if other.file != u.file => {
                    let Some(s) = section_of(sections, u) else {
                        continue;
                    };
                    errors.push(
                        Diagnostic::error(
                            &u.file,
                            at(s, Some("paths")),
                            format!(
                                "`{key}` is claimed by two units: this one and {}",
                                other.file.display()
                            ),
                        )
                        .with_help("a path belongs to one unit: remove it from one `paths`"),
                    );
                }
                _ => {
                    owner.insert(key, u);
                }
            }
        }
    }
    errors
}

/// `content/don-vi/x/`, the unit's content directory from the site root.
fn content_path(u: &Unit) -> String {
    if u.dir.is_empty() {
        "content/".to_string()
    } else {
        format!("content/{}/", u.dir)
    }
}

/// Every path a unit owns, from the site root, ending in `/` (directories).
pub fn owned_paths(u: &Unit) -> Vec<String> {
    let mut out = vec![content_path(u)];
    out.extend(u.paths.iter().map(|p| {
        if p.contains('.') && !p.ends_with('/') {
            p.clone()
        } else {
            format!("{}/", p.trim_end_matches('/'))
        }
    }));
    out
}

/// A CODEOWNERS file giving each unit's paths to its editors. Later lines win in CODEOWNERS,
/// so units come outermost first.
pub fn render_codeowners(units: &[Unit]) -> String {
    let mut out = String::from(
        "# Written by `tre codeowners` from each unit's [extra.unit] editors; do not edit by hand.\n\
         # `tre codeowners --check` fails when it is out of date.\n",
    );
    let mut sorted: Vec<&Unit> = units.iter().collect();
    sorted.sort_by_key(|u| {
        (
            u.dir.matches('/').count() + usize::from(!u.dir.is_empty()),
            &u.dir,
        )
    });
    for u in sorted.into_iter().filter(|u| !u.editors.is_empty()) {
        for p in owned_paths(u) {
            out.push_str(&format!("/{p} {}\n", u.editors.join(" ")));
        }
    }
    out
}
