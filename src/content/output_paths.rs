//! Every URL a page or section asks for (`path`, `slug`, `aliases`, `paginate_path`, taxonomy
//! terms) must name a place inside the output directory, and no two may claim one file, or
//! one as a file and the other as a folder; `crate::paths` decides the files, and a problem
//! is reported at the front-matter key that asked for it, naming the other claimant.

use std::collections::HashMap;
use std::path::Path;

use crate::config::Config;
use crate::diag::{Diagnostic, LineIndex};

use super::{Library, SourceFile};

/// One error per field whose URL would leave the output directory.
pub(super) fn check(lib: &Library) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for p in &lib.pages {
        let field = if p.meta.path.is_some() {
            "path"
        } else {
            "slug"
        };
        check_one(&mut errors, &p.source, field, None, &p.path);
        for a in &p.meta.aliases {
            check_one(&mut errors, &p.source, "aliases", None, a);
        }
    }
    for s in &lib.sections {
        for a in &s.meta.aliases {
            check_one(&mut errors, &s.source, "aliases", None, a);
        }
        if let Some(pp) = &s.meta.paginate_path {
            check_one(&mut errors, &s.source, "paginate_path", None, pp);
        }
    }
    for t in &lib.taxonomies {
        for term in &t.terms {
            if crate::paths::url_path(&term.path).is_ok() {
                continue;
            }
            // Reported at the first page that names the term.
            if let Some(p) = term.pages.first().and_then(|&i| lib.pages.get(i)) {
                let name = &t.config.name;
                check_one(&mut errors, &p.source, name, Some("taxonomies"), &term.path);
            }
        }
    }
    errors
}

/// Who asks for an output file: a front-matter key of a content file, or config.toml.
#[derive(Clone, Copy)]
enum Owner<'a> {
    Key {
        source: &'a SourceFile,
        key: &'a str,
        table: Option<&'a str>,
    },
    Config {
        file: &'a Path,
        what: &'a str,
        name: &'a str,
    },
}

impl Owner<'_> {
    fn field(&self) -> String {
        match self {
            Owner::Key {
                key,
                table: Some(t),
                ..
            } => format!("{t}.{key}"),
            Owner::Key { key, .. } => key.to_string(),
            Owner::Config { what, name, .. } => format!("{what} `{name}`"),
        }
    }

    /// `content/a.md:3:1` where the key is found, else the file; config.toml with what it makes.
    fn name(&self) -> String {
        match self {
            Owner::Key { source, .. } => match self.at() {
                Some(at) => format!("{}:{}:{}", source.file.display(), at.line, at.col),
                None => source.file.display().to_string(),
            },
            Owner::Config { file, .. } => format!("{} ({})", file.display(), self.field()),
        }
    }

    fn at(&self) -> Option<crate::diag::LineCol> {
        let Owner::Key { source, key, table } = *self else {
            return None;
        };
        let fm = source.text.get(..source.body_start).unwrap_or("");
        key_at(fm, key)
            .or_else(|| table.and_then(|t| key_at(fm, t)))
            .map(|o| LineIndex::new(&source.text).locate(o))
    }

    fn error(&self, message: String) -> Diagnostic {
        match self {
            Owner::Key { source, .. } => Diagnostic::error(
                &source.file,
                self.at(),
                format!(
                    "front matter: `{}` makes this page write {message}",
                    self.field()
                ),
            ),
            Owner::Config { file, .. } => {
                Diagnostic::error(file, None, format!("{} writes {message}", self.field()))
            }
        }
    }
}

/// Every output file the library's pages, sections, pagers, aliases and taxonomies ask for,
/// with who asks; config-made files first, so a clash is reported at a front-matter key.
fn claims<'a>(config: &'a Config, lib: &'a Library) -> Vec<(String, Owner<'a>)> {
    let mut out = Vec::new();
    let file = config.file.as_path();
    for t in lib.taxonomies.iter().filter(|t| t.config.render) {
        if !t.terms.is_empty() {
            let (what, name) = ("the list of taxonomy", t.config.name.as_str());
            out.push((t.path.clone(), Owner::Config { file, what, name }));
        }
    }
    let key = |source, key| Owner::Key {
        source,
        key,
        table: None,
    };
    for s in &lib.sections {
        out.push((s.path.clone(), key(&s.source, "path")));
    }
    for p in lib.pages.iter().filter(|p| p.is_rendered()) {
        let field = if p.meta.path.is_some() {
            "path"
        } else {
            "slug"
        };
        out.push((p.path.clone(), key(&p.source, field)));
    }
    for s in lib
        .sections
        .iter()
        .filter(|s| s.is_rendered() && s.meta.redirect_to.is_none())
    {
        let Some(per) = s.meta.paginate_by.filter(|&n| n > 0) else {
            continue;
        };
        let pp = s.meta.paginate_path.as_deref().unwrap_or("page");
        for n in 1..=s.pages.len().div_ceil(per).max(1) {
            let url = crate::paths::pager_url(&s.path, pp, n);
            out.push((url, key(&s.source, "paginate_by")));
        }
    }
    for p in lib.pages.iter().filter(|p| p.is_rendered()) {
        for a in &p.meta.aliases {
            out.push((a.clone(), key(&p.source, "aliases")));
        }
    }
    for s in &lib.sections {
        for a in &s.meta.aliases {
            out.push((a.clone(), key(&s.source, "aliases")));
        }
    }
    for t in lib.taxonomies.iter().filter(|t| t.config.render) {
        let per = t.config.paginate_by.filter(|&n| n > 0);
        let pp = t.config.paginate_path.as_deref().unwrap_or("page");
        for term in &t.terms {
            let Some(p) = term.pages.first().and_then(|&i| lib.pages.get(i)) else {
                continue;
            };
            let owner = Owner::Key {
                source: &p.source,
                key: &t.config.name,
                table: Some("taxonomies"),
            };
            out.push((term.path.clone(), owner));
            if let Some(per) = per {
                for n in 1..=term.pages.len().div_ceil(per).max(1) {
                    out.push((crate::paths::pager_url(&term.path, pp, n), owner));
                }
            }
        }
    }
    out
}

/// One error per output file asked for twice, or asked for as a file by one and as a folder
/// by another: writing both would replace one output by another, or fail halfway.
pub(super) fn check_clashes(config: &Config, lib: &Library) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut files: HashMap<String, Owner> = HashMap::new();
    let mut folders: HashMap<String, (String, Owner)> = HashMap::new();
    for (url, owner) in claims(config, lib) {
        if crate::paths::url_path(&url).is_err() {
            continue; // reported by `check`
        }
        let file = crate::paths::index_file(&url);
        if let Some(other) = files.get(&file) {
            errors.push(
                owner
                    .error(format!("{file}, which {} writes too", other.name()))
                    .with_help(format!(
                        "change `{}` in one of the two files",
                        owner.field()
                    )),
            );
            continue;
        }
        if let Some((inner, other)) = folders.get(&file) {
            errors.push(
                owner
                    .error(format!(
                        "the file {file}, but {} writes {inner}, which needs {file} to be a folder",
                        other.name()
                    ))
                    .with_help(format!(
                        "change `{}` in one of the two files",
                        owner.field()
                    )),
            );
            continue;
        }
        let ancestors: Vec<&str> = file.match_indices('/').map(|(i, _)| &file[..i]).collect();
        if let Some((dir, other)) = ancestors
            .iter()
            .find_map(|d| files.get(*d).map(|o| (*d, o)))
        {
            errors.push(
                owner
                    .error(format!(
                        "{file}, which needs {dir} to be a folder, but {} writes the file {dir}",
                        other.name()
                    ))
                    .with_help(format!(
                        "change `{}` in one of the two files",
                        owner.field()
                    )),
            );
            continue;
        }
        for d in ancestors {
            folders
                .entry(d.to_string())
                .or_insert_with(|| (file.clone(), owner));
        }
        files.insert(file, owner);
    }
    errors
}

fn check_one(
    errors: &mut Vec<Diagnostic>,
    source: &SourceFile,
    key: &str,
    table: Option<&str>,
    url: &str,
) {
    let Err(why) = crate::paths::url_path(url) else {
        return;
    };
    let fm = source.text.get(..source.body_start).unwrap_or("");
    let at = key_at(fm, key)
        .or_else(|| table.and_then(|t| key_at(fm, t)))
        .map(|o| LineIndex::new(&source.text).locate(o));
    let field = match table {
        Some(t) => format!("{t}.{key}"),
        None => key.to_string(),
    };
    errors.push(
        Diagnostic::error(
            &source.file,
            at,
            format!("front matter: `{field}` gives the URL {url:?}, which would be written outside the output directory: {why}"),
        )
        .with_help("write a path inside the site, such as \"tin-tuc/bai-viet/\", without `..`, `.` or `//`"),
    );
}

/// Byte offset of the first `key =` (TOML) or `key:` (YAML) at the start of a line.
fn key_at(front_matter: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in front_matter.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        let rest = &line[indent..];
        let rest_unquoted = rest
            .strip_prefix('"')
            .and_then(|r| r.strip_prefix(key)?.strip_prefix('"'))
            .or_else(|| rest.strip_prefix(key));
        if let Some(after) = rest_unquoted {
            let after = after.trim_start();
            if after.starts_with('=') || after.starts_with(':') {
                return Some(offset + indent);
            }
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_in_toml_and_yaml() {
        let fm = "+++\ntitle = \"a\"\naliases = [\"x\"]\n[taxonomies]\n  tags = [\"..\"]\n+++\n";
        assert_eq!(key_at(fm, "aliases"), fm.find("aliases"));
        assert_eq!(key_at(fm, "tags"), fm.find("tags"));
        assert_eq!(key_at("---\npath: ../x\n---\n", "path"), Some(4));
        assert_eq!(key_at("title = \"aliases = 1\"", "aliases"), None);
    }
}
