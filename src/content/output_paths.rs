//! Every URL a page or section asks for (`path`, `slug`, `aliases`, `paginate_path`, taxonomy
//! terms) must name a place inside the output directory; `crate::paths` decides, and an
//! escape is reported at the front-matter key that asked for it.

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
