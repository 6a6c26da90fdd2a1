//! Decides every path Tre writes or reads. An output path is relative, normalised and stays
//! under the output directory; an input path a template or stylesheet names is canonicalised
//! (symlinks resolved) and must stay inside the site or its theme. Pure but for
//! `canonicalize`; knows nothing of pages or templates.

use std::path::{Component, Path, PathBuf};

/// Why a path was refused, in the user's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub &'static str);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// Checks a `/`-separated file path relative to the output directory (`en/a/index.html`):
/// not empty, not absolute, and every component a plain name (no empty, `.` or `..`
/// component, no `\`, `:` drive or NUL), so joining it to the staging directory stays inside.
pub fn output_path(rel: &str) -> Result<&str, Refused> {
    if rel.is_empty() {
        return Err(Refused("the path is empty"));
    }
    if rel.starts_with('/') {
        return Err(Refused("the path is absolute"));
    }
    for c in rel.split('/') {
        component(c)?;
    }
    Ok(rel)
}

/// Checks a URL path a user wrote (a page's `path`, an alias, a taxonomy term's URL): a
/// leading and a trailing `/` are fine, every component between must be a plain name.
pub fn url_path(path: &str) -> Result<(), Refused> {
    let inner = path.strip_prefix('/').unwrap_or(path);
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    if inner.is_empty() {
        return Ok(());
    }
    inner.split('/').try_for_each(component)
}

/// The file a URL path is written to, as Zola writes it: `/` → `index.html`, `/a/` and `/a` →
/// `a/index.html`, `/old.html` (a last component with a dot) → `old.html`. Every page,
/// section, pager, alias and term goes through here, and so does the check of their clashes.
pub fn index_file(url: &str) -> String {
    let p = url.trim_start_matches('/');
    if p.is_empty() || p.ends_with('/') {
        format!("{p}index.html")
    } else if p.rsplit('/').next().is_some_and(|last| last.contains('.')) {
        p.to_string()
    } else {
        format!("{p}/index.html")
    }
}

/// The URL of pager `number` (1-based) of a list at `base` (ending in `/`): `base/page/2/`,
/// or `base/2/` with an empty `paginate_path`. The first pager is shown at `base` itself,
/// and this URL of it is a redirect there.
pub fn pager_url(base: &str, paginate_path: &str, number: usize) -> String {
    let pp = paginate_path.trim_matches('/');
    if pp.is_empty() {
        format!("{base}{number}/")
    } else {
        format!("{base}{pp}/{number}/")
    }
}

fn component(c: &str) -> Result<(), Refused> {
    match c {
        "" => Err(Refused("the path has an empty component (`//`)")),
        "." => Err(Refused("the path has a `.` component")),
        ".." => Err(Refused("the path leaves its folder with `..`")),
        _ if c.contains('\\') => Err(Refused("the path has a `\\`; use `/`")),
        _ if c.contains('\0') => Err(Refused("the path has a NUL character")),
        _ if c.len() >= 2 && c.as_bytes()[1] == b':' && c.as_bytes()[0].is_ascii_alphabetic() => {
            Err(Refused("the path starts with a drive letter"))
        }
        _ => Ok(()),
    }
}

/// The folders input files may come from: the site root and the theme's folder, both
/// canonical, so `--root .`, a symlinked root and a symlinked theme all compare alike.
#[derive(Debug, Clone)]
pub struct InputRoots {
    roots: Vec<PathBuf>,
}

impl InputRoots {
    pub fn new(root: &Path, theme_dir: Option<&Path>) -> Self {
        let roots = std::iter::once(root)
            .chain(theme_dir)
            .filter_map(|p| p.canonicalize().ok())
            .collect();
        Self { roots }
    }

    /// `candidate` with `.` and `..` resolved, if it exists and its canonical form (symlinks
    /// resolved) lies under one of the roots; `None` for a missing file and for one outside
    /// (through `..`, an absolute path or a symlink). The path returned keeps the caller's
    /// prefix, so diagnostics can still show it relative to the site root.
    pub fn resolve(&self, candidate: &Path) -> Option<PathBuf> {
        let real = candidate.canonicalize().ok()?;
        if !self.contains(&real) {
            return None;
        }
        // `..` after a symlink goes up from the link's target, not from the link.
        let shown = lexical(candidate);
        Some(if shown.canonicalize().ok()? == real {
            shown
        } else {
            real
        })
    }

    /// Whether a canonical path lies under one of the roots.
    pub fn contains(&self, real: &Path) -> bool {
        self.roots.iter().any(|r| real.starts_with(r))
    }
}

/// `p` with `.` and `..` resolved without touching the disk.
pub fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Whether `p` (made absolute against the current directory) is `dir` or lies inside it,
/// comparing canonical forms where the paths exist. For the output-directory checks, where
/// the output may not exist yet.
pub fn is_within(p: &Path, dir: &Path) -> bool {
    let (p, dir) = (absolute_real(p), absolute_real(dir));
    p.starts_with(dir)
}

/// `p` absolute, with its longest existing prefix canonicalised and the rest normalised.
pub fn absolute_real(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut missing = Vec::new();
    let mut existing = abs.as_path();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for c in missing.iter().rev() {
                match c {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    other => out.push(other),
                }
            }
            return out;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                missing.push(last);
                existing = parent;
            }
            _ => return abs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_stay_inside() {
        assert!(output_path("en/a/index.html").is_ok());
        assert!(output_path("a..b/x.html").is_ok());
        for bad in [
            "",
            "/etc/passwd",
            "../config.toml",
            "a/../../b",
            "a//b",
            "./a",
            "a\\..\\b",
            "C:/x",
            "a/\0",
        ] {
            assert!(output_path(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn index_files_follow_zola() {
        assert_eq!(index_file("/"), "index.html");
        assert_eq!(index_file("/en/blog/a/"), "en/blog/a/index.html");
        assert_eq!(index_file("/old-url"), "old-url/index.html");
        assert_eq!(index_file("/old.html"), "old.html");
        assert_eq!(index_file("/index.html/"), "index.html/index.html");
        assert_eq!(pager_url("/blog/", "page", 2), "/blog/page/2/");
        assert_eq!(pager_url("/blog/", "", 1), "/blog/1/");
    }

    #[test]
    fn url_paths_may_have_outer_slashes_only() {
        for ok in ["/", "", "/old-url/", "old.html", "/tin-tuc/lễ-hội/"] {
            assert!(url_path(ok).is_ok(), "{ok:?}");
        }
        for bad in [
            "../config.toml",
            "/a/../../b/",
            "a//b",
            "/./",
            "x/..",
            "C:/x",
        ] {
            assert!(url_path(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn inputs_are_confined_to_the_canonical_roots() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("static")).unwrap();
        std::fs::write(site.join("static/a.txt"), "a").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "s").unwrap();
        let roots = InputRoots::new(&site, None);
        assert!(roots.resolve(&site.join("static/a.txt")).is_some());
        assert!(
            roots
                .resolve(&site.join("static/../../secret.txt"))
                .is_none()
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), site.join("static/l"))
                .unwrap();
            assert!(roots.resolve(&site.join("static/l")).is_none());
        }
    }

    #[test]
    fn within_compares_real_paths_even_for_missing_ones() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(&site).unwrap();
        assert!(is_within(
            &site.join("content/../content/x"),
            &site.join("content")
        ));
        assert!(is_within(&site, &site));
        assert!(!is_within(&dir.path().join("public"), &site));
        assert!(is_within(&site.join("a/../b"), &site));
    }
}
