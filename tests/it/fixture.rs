//! Copies a fixture site to a temporary directory, builds it through `tre::build`, and reads
//! what came out.

use std::fs;
use std::path::{Path, PathBuf};

use tre::{BuildOptions, diag};

pub struct Site {
    pub dir: tempfile::TempDir,
    pub report: tre::BuildReport,
}

pub fn source(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn copy(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&source(name), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// Builds a fixture; panics with the diagnostics if it fails.
pub fn build(name: &str) -> Site {
    let dir = copy(name);
    let report = match tre::build(dir.path(), &BuildOptions::default()) {
        Ok(r) => r,
        Err(p) => panic!("{name} failed to build:\n{}", diag::render_all(&p)),
    };
    Site { dir, report }
}

/// Builds a site already copied to `dir` with `opts`; panics with the diagnostics if it fails.
pub fn build_dir(dir: tempfile::TempDir, opts: &BuildOptions) -> Site {
    let report = match tre::build(dir.path(), opts) {
        Ok(r) => r,
        Err(p) => panic!("the site failed to build:\n{}", diag::render_all(&p)),
    };
    Site { dir, report }
}

/// Builds a site already copied to `dir` that must fail; returns the diagnostics as printed.
pub fn build_dir_err(dir: &tempfile::TempDir, opts: &BuildOptions) -> String {
    match tre::build(dir.path(), opts) {
        Ok(_) => panic!("the site built but should have failed"),
        Err(p) => {
            assert!(
                !dir.path().join("public").exists(),
                "a failed build wrote public/"
            );
            diag::render_all(&p)
        }
    }
}

/// Builds a fixture that must fail, and returns the diagnostics as printed.
pub fn build_err(name: &str) -> String {
    build_err_with(name, &BuildOptions::default())
}

/// Builds a fixture that must fail with these options, and returns the diagnostics as printed.
pub fn build_err_with(name: &str, opts: &BuildOptions) -> String {
    let dir = copy(name);
    match tre::build(dir.path(), opts) {
        Ok(_) => panic!("{name} built but should have failed"),
        Err(p) => {
            assert!(
                !dir.path().join("public").exists(),
                "a failed build wrote public/"
            );
            diag::render_all(&p)
        }
    }
}

impl Site {
    pub fn read(&self, path: &str) -> String {
        let p = self.dir.path().join("public").join(path);
        fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read public/{path}: {e}"))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.dir.path().join("public").join(path).exists()
    }

    /// Every HTML file of the output, as (path, contents).
    pub fn html_pages(&self) -> Vec<(String, String)> {
        files_under(&self.dir.path().join("public"))
            .into_iter()
            .filter(|p| p.ends_with(".html"))
            .map(|p| {
                let html = self.read(&p);
                (p, html)
            })
            .collect()
    }
}

/// Every file under `root`, as sorted `/`-separated paths relative to it; tre's own output
/// marker (`.tre-output`) is left out, as it is no page of the site.
pub fn files_under(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy();
                if rel != tre::output::MARKER {
                    out.push(rel.replace('\\', "/"));
                }
            }
        }
    }
    out.sort();
    out
}
