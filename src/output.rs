//! Writes a finished build into a staging directory beside the output directory, then swaps
//! it in, so a failed or killed build never leaves a half-written site. The only writer.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::Diagnostic;

/// What a file's bytes come from.
#[derive(Debug, Clone)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// Copied (or hard-linked) from a source file at write time.
    CopyOf(PathBuf),
}

/// One file of the built site, at a `/`-separated path relative to the output directory.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub contents: Contents,
}

impl OutputFile {
    pub fn text(path: impl Into<String>, text: String) -> Self {
        Self {
            path: path.into(),
            contents: Contents::Bytes(text.into_bytes()),
        }
    }

    pub fn copy(path: impl Into<String>, from: PathBuf) -> Self {
        Self {
            path: path.into(),
            contents: Contents::CopyOf(from),
        }
    }
}

fn sibling(target: &Path, tag: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    target.with_file_name(format!(".{name}.tre-{tag}"))
}

/// Writes `files` to `target` atomically: build in `.public.tre-staging`, then two renames.
pub fn commit(
    target: &Path,
    files: Vec<OutputFile>,
    hard_link: bool,
) -> Result<usize, Vec<Diagnostic>> {
    let staging = sibling(target, "staging");
    let old = sibling(target, "old");
    for leftover in [&staging, &old] {
        let _ = fs::remove_dir_all(leftover);
    }
    let io_err = |p: &Path, what: &str, e: io::Error| {
        vec![
            Diagnostic::error(p, None, format!("cannot {what}: {e}"))
                .with_help("check the disk space and permissions of the output directory"),
        ]
    };
    fs::create_dir_all(&staging)
        .map_err(|e| io_err(&staging, "create the staging directory", e))?;
    let count = files.len();
    if let Err(e) = write_all(&staging, files, hard_link) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if target.exists() {
        fs::rename(target, &old).map_err(|e| io_err(target, "move the old output aside", e))?;
    }
    if let Err(e) = fs::rename(&staging, target) {
        // Put the previous site back rather than leave none.
        let _ = fs::rename(&old, target);
        return Err(io_err(target, "move the new output in place", e));
    }
    remove_in_parallel(&old);
    Ok(count)
}

/// Deletes the previous output; its top-level entries go in parallel, as deleting thousands of
/// files is a good part of a rebuild.
fn remove_in_parallel(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        let paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.par_iter().for_each(|p| {
            if p.is_dir() {
                let _ = fs::remove_dir_all(p);
            } else {
                let _ = fs::remove_file(p);
            }
        });
    }
    let _ = fs::remove_dir_all(dir);
}

fn write_all(
    staging: &Path,
    files: Vec<OutputFile>,
    hard_link: bool,
) -> Result<(), Vec<Diagnostic>> {
    // One job per directory: create it, then write its files. Creating files is mostly waiting
    // on the file system, so more threads than cores overlap that waiting.
    let mut by_dir: BTreeMap<PathBuf, Vec<OutputFile>> = BTreeMap::new();
    for f in files {
        let dir = Path::new(&f.path)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        by_dir.entry(dir).or_default().push(f);
    }
    let jobs: Vec<(PathBuf, Vec<OutputFile>)> = by_dir.into_iter().collect();
    let write_dir = |(dir, files): (PathBuf, Vec<OutputFile>)| -> Vec<Diagnostic> {
        let full = staging.join(&dir);
        if let Err(e) = fs::create_dir_all(&full) {
            return vec![Diagnostic::error(
                &dir,
                None,
                format!("cannot create directory: {e}"),
            )];
        }
        files
            .into_iter()
            .filter_map(|f| write_one(staging, f, hard_link).err())
            .collect()
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(8).build();
    let mut errors: Vec<Diagnostic> = match pool {
        Ok(pool) => pool.install(|| jobs.into_par_iter().flat_map_iter(write_dir).collect()),
        Err(_) => jobs.into_par_iter().flat_map_iter(write_dir).collect(),
    };
    if errors.is_empty() {
        Ok(())
    } else {
        crate::diag::sort(&mut errors);
        Err(errors)
    }
}

fn write_one(staging: &Path, f: OutputFile, hard_link: bool) -> Result<(), Diagnostic> {
    let dest = staging.join(&f.path);
    match f.contents {
        Contents::Bytes(b) => fs::write(&dest, b)
            .map_err(|e| Diagnostic::error(&f.path, None, format!("cannot write: {e}"))),
        Contents::CopyOf(src) => {
            if hard_link && fs::hard_link(&src, &dest).is_ok() {
                return Ok(());
            }
            fs::copy(&src, &dest).map(|_| ()).map_err(|e| {
                Diagnostic::error(&src, None, format!("cannot copy to {}: {e}", f.path))
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_output_and_leaves_no_staging() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join("stale.html"), "old").unwrap();
        commit(
            &target,
            vec![OutputFile::text("a/index.html", "new".into())],
            false,
        )
        .unwrap();
        assert_eq!(
            fs::read_to_string(target.join("a/index.html")).unwrap(),
            "new"
        );
        assert!(!target.join("stale.html").exists());
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["public"]);
    }

    #[test]
    fn a_failed_write_keeps_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join("index.html"), "old").unwrap();
        let missing = OutputFile::copy("x.png", dir.path().join("nope.png"));
        assert!(commit(&target, vec![missing], false).is_err());
        assert_eq!(
            fs::read_to_string(target.join("index.html")).unwrap(),
            "old"
        );
    }
}
