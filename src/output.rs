//! Writes a finished build into a staging directory beside the output directory, then swaps
//! it in, so a failed or killed build never leaves a half-written site. The only writer.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, mpsc};

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

fn io_err(p: &Path, what: &str, e: io::Error) -> Vec<Diagnostic> {
    vec![
        Diagnostic::error(p, None, format!("cannot {what}: {e}"))
            .with_help("check the disk space and permissions of the output directory"),
    ]
}

/// The file Tre keeps in every output directory it writes, so that it never replaces a
/// directory it did not write (someone's own files, a mistyped `--output-dir`).
pub const MARKER: &str = ".tre-output";

/// How long a build waits for another one writing to the same output.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// A build's output while it is being written: a directory beside the target that becomes the
/// target on `commit`, and is deleted if dropped before that, so a failed build leaves nothing.
/// It holds the output's build lock for its whole life.
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    hard_link: bool,
    /// Directories known to exist, so each is created once.
    made: Mutex<HashSet<PathBuf>>,
    /// Every path written so far, as a file or as a folder some file needs.
    claimed: Mutex<HashMap<String, Claimed>>,
    written: AtomicUsize,
    /// Set by `precompress_while_writing`: files written from memory get their `.br` and
    /// `.gz` copies at once, on the writer threads, while pages are still rendering.
    precompress: Option<Precompress>,
    /// The compressible files written so far, and whether their copies are written or wait
    /// for `finish_precompression` (files copied from a source).
    copies: Mutex<HashMap<String, CopiesState>>,
    committed: bool,
    _lock: BuildLock,
}

/// How an output path is used.
enum Claimed {
    File,
    /// A folder, and the first file written inside it.
    Folder(String),
}

/// What `Staging::create` needs to know to keep the sources safe.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The site root; the output may not be it, contain it, or lie inside a source folder.
    pub root: &'a Path,
    /// The theme's folder, a source too.
    pub theme_dir: Option<&'a Path>,
    pub dir: &'a Path,
    /// Replace a non-empty directory that has no marker (`--force`).
    pub force: bool,
}

/// The folders of a site that hold what the user wrote.
const SOURCE_DIRS: [&str; 6] = [
    "content",
    "templates",
    "static",
    "sass",
    "themes",
    "locales",
];

impl Staging {
    /// Checks that the target is not a source, takes the output's build lock, puts back an
    /// output a killed build left aside, and creates `.public.tre-staging` beside the target.
    pub fn create(target: Target, hard_link: bool) -> Result<Self, Vec<Diagnostic>> {
        check_not_a_source(&target)?;
        let Target { dir: out, .. } = target;
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)
                .map_err(|e| io_err(parent, "create the output's parent directory", e))?;
        }
        let lock = lock(out)?;
        let (dir, old) = (sibling(out, "staging"), sibling(out, "old"));
        // A build killed between its two renames left the previous site aside and none in
        // place: put it back before anything else, so this build failing cannot lose it.
        if !out.exists() && old.is_dir() {
            fs::rename(&old, out).map_err(|e| io_err(out, "restore the previous output", e))?;
        }
        check_written_by_tre(out, target.force)?;
        for leftover in [&dir, &old] {
            let _ = fs::remove_dir_all(leftover);
        }
        fs::create_dir_all(&dir).map_err(|e| io_err(&dir, "create the staging directory", e))?;
        fs::write(
            dir.join(MARKER),
            "Written by tre build; tre replaces this folder whole on the next build.\n",
        )
        .map_err(|e| io_err(&dir, "write the output marker", e))?;
        Ok(Self {
            target: out.to_path_buf(),
            dir,
            hard_link,
            made: Mutex::new(HashSet::new()),
            claimed: Mutex::new(HashMap::new()),
            written: AtomicUsize::new(0),
            precompress: None,
            copies: Mutex::new(HashMap::new()),
            committed: false,
            _lock: lock,
        })
    }

    /// Writes `files` in order (a later file replaces an earlier one at the same path).
    pub fn write(&self, files: Vec<OutputFile>) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        for f in files {
            if let Err(why) = crate::paths::output_path(&f.path) {
                errors.push(
                    Diagnostic::error(
                        &f.path,
                        None,
                        format!("refusing to write outside the output directory: {why}"),
                    )
                    .with_help(
                        "fix the `path`, `aliases`, term or file name this output comes from",
                    ),
                );
                continue;
            }
            if let Err(e) = self.claim(&f.path) {
                errors.push(e);
                continue;
            }
            if let Some(parent) = Path::new(&f.path).parent() {
                if let Err(e) = self.make_dir(parent) {
                    errors.push(e);
                    continue;
                }
            }
            let copies = self.copies_of(&f);
            let path = f.path.clone();
            match write_one(&self.dir, f, self.hard_link) {
                Ok(()) => {
                    self.written.fetch_add(1, Ordering::Relaxed);
                    if let Err(e) = self.after_write(&path, copies) {
                        errors.push(e);
                    }
                }
                Err(e) => errors.push(e),
            }
        }
        errors
    }

    /// Gives every compressible file this staging writes from now on its `.br` and `.gz`
    /// copies: at once for files written from memory, in `finish_precompression` for copies.
    pub fn precompress_while_writing(&mut self, settings: Precompress) {
        self.precompress = Some(settings);
    }

    /// What becomes of `f`'s compressed copies when it is written.
    fn copies_of(&self, f: &OutputFile) -> Copies {
        let Some(s) = &self.precompress else {
            return Copies::None;
        };
        match &f.contents {
            _ if !is_compressible(Path::new(&f.path)) => Copies::None,
            Contents::Bytes(data) if data.len() as u64 >= s.min_bytes => {
                Copies::Now(compressed_copies(data, s))
            }
            Contents::Bytes(_) => Copies::None,
            Contents::CopyOf(_) => Copies::Later,
        }
    }

    /// Writes the copies of the file just written at `path`, or records that they wait, or,
    /// when it has none, removes those of an earlier file at that path (a static file
    /// replacing a page).
    fn after_write(&self, path: &str, copies: Copies) -> Result<(), Diagnostic> {
        // The map is locked only to read or change it, never while files are written.
        let record = |state: Option<CopiesState>| match (self.copies.lock(), state) {
            (Ok(mut m), Some(state)) => m.insert(path.to_string(), state),
            (Ok(mut m), None) => m.remove(path),
            (Err(_), _) => None,
        };
        let n = match copies {
            Copies::Now(copies) => {
                let n = copies
                    .and_then(|c| write_copies(&self.dir.join(path), c))
                    .map_err(|e| compress_err(path, "write the compressed copies", e))?;
                // A file written again (one output replacing another) is counted once, as
                // its copies are.
                match record(Some(CopiesState::Written)) {
                    None => n,
                    Some(_) => 0,
                }
            }
            Copies::Later => {
                record(Some(CopiesState::Later));
                0
            }
            Copies::None => {
                // Copies of an earlier file at this path, written or not yet: none now.
                if record(None).is_some() {
                    write_copies(&self.dir.join(path), Vec::new())
                        .map_err(|e| compress_err(path, "remove the compressed copies", e))?;
                }
                0
            }
        };
        self.written.fetch_add(n, Ordering::Relaxed);
        Ok(())
    }

    /// Records `path` as a file and its parents as folders, refusing a path one output
    /// writes as a file and another needs as a folder: whichever came second would fail with
    /// a bare I/O error, or replace the other. The same file twice is fine: a static file
    /// replaces a page at its path, as in Zola.
    fn claim(&self, path: &str) -> Result<(), Diagnostic> {
        let clash = |message: String| {
            Diagnostic::error(path, None, message).with_help(
                "two outputs clash: change the `path`, `slug`, alias, term or static file name of one of them",
            )
        };
        let Ok(mut claimed) = self.claimed.lock() else {
            return Ok(());
        };
        if let Some(Claimed::Folder(inner)) = claimed.get(path) {
            return Err(clash(format!(
                "cannot write this file: the output {inner} needs {path} to be a folder"
            )));
        }
        let parents: Vec<&str> = path.match_indices('/').map(|(i, _)| &path[..i]).collect();
        if let Some(dir) = parents
            .iter()
            .find(|d| matches!(claimed.get(**d), Some(Claimed::File)))
        {
            return Err(clash(format!(
                "cannot write this file: it needs {dir} to be a folder, but another output writes the file {dir}"
            )));
        }
        for d in parents {
            claimed
                .entry(d.to_string())
                .or_insert_with(|| Claimed::Folder(path.to_string()));
        }
        claimed.insert(path.to_string(), Claimed::File);
        Ok(())
    }

    fn make_dir(&self, rel: &Path) -> Result<(), Diagnostic> {
        let known =
            |m: &Mutex<HashSet<PathBuf>>| m.lock().map(|s| s.contains(rel)).unwrap_or(false);
        if rel.as_os_str().is_empty() || known(&self.made) {
            return Ok(());
        }
        fs::create_dir_all(self.dir.join(rel))
            .map_err(|e| Diagnostic::error(rel, None, format!("cannot create directory: {e}")))?;
        if let Ok(mut m) = self.made.lock() {
            m.insert(rel.to_path_buf());
        }
        Ok(())
    }

    /// Files written so far (a path written twice counts twice).
    pub fn written(&self) -> usize {
        self.written.load(Ordering::Relaxed)
    }

    /// Compresses the files whose copies wait (compressible files copied from a source), each
    /// copy only when smaller than the file. Returns how many were written.
    pub fn finish_precompression(&self) -> Result<usize, Vec<Diagnostic>> {
        let Some(settings) = &self.precompress else {
            return Ok(0);
        };
        let later: Vec<String> = match self.copies.lock() {
            Ok(m) => m
                .iter()
                .filter(|(_, s)| **s == CopiesState::Later)
                .map(|(p, _)| p.clone())
                .collect(),
            Err(_) => Vec::new(),
        };
        let results: Vec<Result<usize, Diagnostic>> = later
            .par_iter()
            .map(|p| precompress_one(&self.dir, p, settings))
            .collect();
        let written = crate::diag::collect_all(
            results
                .into_iter()
                .map(|r| r.map_err(|d| vec![d]))
                .collect(),
        )?;
        let n = written.iter().sum();
        self.written.fetch_add(n, Ordering::Relaxed);
        Ok(n)
    }

    /// Swaps the staging directory in with two renames; the old output goes last.
    pub fn commit(mut self) -> Result<usize, Vec<Diagnostic>> {
        let old = sibling(&self.target, "old");
        if self.target.exists() {
            fs::rename(&self.target, &old)
                .map_err(|e| io_err(&self.target, "move the old output aside", e))?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            // Put the previous site back rather than leave none.
            let _ = fs::rename(&old, &self.target);
            return Err(io_err(&self.target, "move the new output in place", e));
        }
        self.committed = true;
        remove_in_parallel(&old);
        Ok(self.written())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

fn source_err(dir: &Path, message: String) -> Vec<Diagnostic> {
    vec![Diagnostic::error(dir, None, message).with_help(
        "choose another output directory (`output_dir` in config.toml or `--output-dir`), such as `public`",
    )]
}

/// The output is replaced whole, so it must not be the site, hold it, or be one of its sources.
fn check_not_a_source(t: &Target) -> Result<(), Vec<Diagnostic>> {
    use crate::paths::is_within;
    if is_within(t.root, t.dir) {
        let what = if crate::paths::absolute_real(t.root) == crate::paths::absolute_real(t.dir) {
            "is the site itself"
        } else {
            "contains the site"
        };
        return Err(source_err(
            t.dir,
            format!("the output directory {what}; the build would replace its sources"),
        ));
    }
    let sources = SOURCE_DIRS
        .iter()
        .map(|d| t.root.join(d))
        .chain(t.theme_dir.map(Path::to_path_buf));
    for src in sources {
        if is_within(t.dir, &src) {
            return Err(source_err(
                t.dir,
                format!(
                    "the output directory is inside the source folder {}; the build would replace it",
                    crate::diag::relative(t.root, &src).display()
                ),
            ));
        }
    }
    Ok(())
}

/// A non-empty directory without Tre's marker is someone's own: replaced only with `force`.
fn check_written_by_tre(out: &Path, force: bool) -> Result<(), Vec<Diagnostic>> {
    let Ok(mut entries) = fs::read_dir(out) else {
        if out.exists() && !out.is_dir() {
            return Err(vec![
                Diagnostic::error(out, None, "the output path is a file, not a directory")
                    .with_help("remove it or choose another output directory"),
            ]);
        }
        return Ok(());
    };
    if force || entries.next().is_none() || out.join(MARKER).is_file() {
        return Ok(());
    }
    Err(vec![
        Diagnostic::error(
            out,
            None,
            format!("the output directory is not empty and was not written by tre (no {MARKER} in it)"),
        )
        .with_help("move its files away or choose another output directory; `tre build --force` replaces it"),
    ])
}

/// The build lock of an output: a file beside it that one build at a time holds, removed
/// when the build ends. The system releases the lock when a build exits, however it exits.
struct BuildLock {
    path: PathBuf,
    file: fs::File,
}

impl Drop for BuildLock {
    fn drop(&mut self) {
        // Removed while still held; a build that opened it meanwhile sees it was replaced.
        let _ = fs::remove_file(&self.path);
        unlock(&self.file);
    }
}

/// Whether `file` is still the file at `path` (not removed by a build that just ended).
fn is_current(file: &fs::File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

/// Takes the build lock of `out`. Another build waits a little for it, then gives up with a
/// clear message.
fn lock(out: &Path) -> Result<BuildLock, Vec<Diagnostic>> {
    let path = sibling(out, "lock");
    let start = std::time::Instant::now();
    loop {
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| io_err(&path, "create the build lock", e))?;
        match try_lock(&file) {
            Ok(true) if is_current(&file, &path) => return Ok(BuildLock { path, file }),
            Ok(true) => continue,
            Ok(false) if start.elapsed() < LOCK_WAIT => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Ok(false) => {
                return Err(vec![
                    Diagnostic::error(
                        out,
                        None,
                        format!(
                            "another build is writing this output directory (it holds {})",
                            path.display()
                        ),
                    )
                    .with_help("wait for it to finish, then build again"),
                ]);
            }
            Err(e) => return Err(io_err(&path, "take the build lock", e)),
        }
    }
}

/// An exclusive flock(2): `Ok(false)` while another open file holds it.
#[cfg(unix)]
fn try_lock(file: &fs::File) -> io::Result<bool> {
    use rustix::fs::{FlockOperation, flock};
    match flock(file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(true),
        Err(e) if e == rustix::io::Errno::WOULDBLOCK => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(unix)]
fn unlock(file: &fs::File) {
    let _ = rustix::fs::flock(file, rustix::fs::FlockOperation::Unlock);
}

// Elsewhere builds are not locked against each other.
#[cfg(not(unix))]
fn try_lock(_: &fs::File) -> io::Result<bool> {
    Ok(true)
}

#[cfg(not(unix))]
fn unlock(_: &fs::File) {}

/// Runs `produce` with a sink that hands each batch of files to writer threads as it comes,
/// so a large site is never held in memory whole. Returns what `produce` returned and the
/// write errors. Creating files is mostly waiting on the file system, so more writers than
/// cores overlap that waiting; the bounded queue holds rendering back when they fall behind.
pub fn stream<R>(
    staging: &Staging,
    produce: impl FnOnce(&(dyn Fn(Vec<OutputFile>) + Sync)) -> R,
) -> (R, Vec<Diagnostic>) {
    const WRITERS: usize = 8;
    let (tx, rx) = mpsc::sync_channel::<Vec<OutputFile>>(512);
    let rx = Mutex::new(rx);
    std::thread::scope(|s| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|_| {
                s.spawn(|| {
                    let mut errors = Vec::new();
                    loop {
                        let next = match rx.lock() {
                            Ok(r) => r.recv(),
                            Err(_) => break,
                        };
                        match next {
                            Ok(batch) => errors.extend(staging.write(batch)),
                            Err(_) => break,
                        }
                    }
                    errors
                })
            })
            .collect();
        let sink = move |files: Vec<OutputFile>| {
            // Fails only once every writer has stopped, which they do only when this sink is gone.
            let _ = tx.send(files);
        };
        let result = produce(&sink);
        drop(sink);
        let mut errors: Vec<Diagnostic> = writers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect();
        crate::diag::sort(&mut errors);
        (result, errors)
    })
}

/// Writes `files` to `target` atomically: build in `.public.tre-staging`, then two renames.
pub fn commit(
    target: Target,
    files: Vec<OutputFile>,
    hard_link: bool,
) -> Result<usize, Vec<Diagnostic>> {
    let staging = Staging::create(target, hard_link)?;
    let ((), errors) = stream(&staging, |sink| sink(files));
    if !errors.is_empty() {
        return Err(errors);
    }
    staging.commit()
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

/// How `Staging::precompress` compresses.
#[derive(Debug, Clone, Copy)]
pub struct Precompress {
    pub min_bytes: u64,
    pub brotli_quality: u32,
    pub gzip_level: u32,
}

/// The extensions `tre build` writes `.br` and `.gz` copies of: text formats (pictures, woff
/// fonts and archives are compressed already). The Apache configuration labels exactly these.
pub const COMPRESSIBLE: &[&str] = &[
    "html",
    "htm",
    "css",
    "js",
    "mjs",
    "json",
    "xml",
    "svg",
    "txt",
    "csv",
    "vtt",
    "ico",
    "webmanifest",
    "map",
    "ttf",
    "otf",
    "wasm",
];

fn is_compressible(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| COMPRESSIBLE.iter().any(|c| c.eq_ignore_ascii_case(e)))
}

fn compress_err(rel: impl AsRef<Path>, what: &str, e: io::Error) -> Diagnostic {
    Diagnostic::error(rel.as_ref(), None, format!("cannot {what}: {e}"))
        .with_help("check the disk space and permissions of the output directory")
}

/// The copies of the file at `rel`, read back from the output (a copy of a source); one
/// under the threshold gets none, and loses those of a file it replaced.
fn precompress_one(dir: &Path, rel: &str, s: &Precompress) -> Result<usize, Diagnostic> {
    let p = dir.join(rel);
    let data = fs::read(&p).map_err(|e| compress_err(rel, "read for compression", e))?;
    let copies = if data.len() as u64 >= s.min_bytes {
        compressed_copies(&data, s)
    } else {
        Ok(Vec::new())
    };
    copies
        .and_then(|c| write_copies(&p, c))
        .map_err(|e| compress_err(rel, "write the compressed copies", e))
}

/// A compressed copy of a file: its extension (`br`, `gz`) and bytes.
type Compressed = (&'static str, Vec<u8>);

/// What becomes of a written file's compressed copies.
enum Copies {
    /// Compressed from memory as it is written: each copy only when smaller.
    Now(io::Result<Vec<Compressed>>),
    /// Copied from a source file: compressed by `finish_precompression`.
    Later,
    /// None: not a text format, or under the threshold.
    None,
}

/// Where a compressible output path's copies stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CopiesState {
    Written,
    Later,
}

/// The `.br` and `.gz` copies of `data`, each only when smaller than it.
fn compressed_copies(data: &[u8], s: &Precompress) -> io::Result<Vec<Compressed>> {
    use std::io::Write;
    let br = brotli_whole(data, s.brotli_quality)?;
    // No file name and mtime 0 in the header, so the same input gives the same bytes.
    let mut gz = flate2::GzBuilder::new().write(
        Vec::with_capacity(data.len() / 3),
        flate2::Compression::new(s.gzip_level),
    );
    gz.write_all(data)?;
    let gz = gz.finish()?;
    Ok([("br", br), ("gz", gz)]
        .into_iter()
        .filter(|(_, bytes)| bytes.len() < data.len())
        .collect())
}

/// Brotli over the whole input in one call. Given all of it at once, the encoder clears only
/// the hash buckets the input touches; fed through a reader (`BrotliCompress`), it clears its
/// whole table, 1 MiB at quality 5, for every file: a quarter of the time on a site's pages.
fn brotli_whole(data: &[u8], quality: u32) -> io::Result<Vec<u8>> {
    use brotli::enc::encode::{
        BrotliEncoderDestroyInstance, BrotliEncoderOperation, BrotliEncoderStateStruct,
    };
    let mut s = BrotliEncoderStateStruct::new(brotli::enc::StandardAlloc::default());
    s.params = brotli::enc::BrotliEncoderParams {
        quality: quality as i32,
        lgwin: 22,
        ..Default::default()
    };
    let mut out = vec![0u8; data.len() + data.len() / 8 + 1024];
    let (mut avail_in, mut next_in, mut next_out) = (data.len(), 0, 0);
    let mut avail_out = out.len();
    let result = loop {
        let ok = s.compress_stream(
            BrotliEncoderOperation::BROTLI_OPERATION_FINISH,
            &mut avail_in,
            data,
            &mut next_in,
            &mut avail_out,
            &mut out,
            &mut next_out,
            &mut None,
            &mut |_, _, _, _| (),
        );
        if !ok {
            break Err(io::Error::other("the brotli encoder failed"));
        }
        if s.is_finished() {
            out.truncate(next_out);
            break Ok(out);
        }
        if avail_out == 0 {
            avail_out = out.len();
            out.resize(out.len() * 2, 0);
        }
    };
    BrotliEncoderDestroyInstance(&mut s);
    result
}

/// Writes `copies` beside `p` (`p.br`, `p.gz`) and removes a copy left from an earlier file
/// that this one has none of. Returns how many were written.
fn write_copies(p: &Path, copies: Vec<Compressed>) -> io::Result<usize> {
    let mut written = 0;
    for ext in ["br", "gz"] {
        let mut name = p.as_os_str().to_owned();
        name.push(".");
        name.push(ext);
        match copies.iter().find(|(e, _)| *e == ext) {
            Some((_, bytes)) => {
                fs::write(&name, bytes)?;
                written += 1;
            }
            None => match fs::remove_file(&name) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            },
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The output `dir` of a site at `root` (which need not exist).
    fn at<'a>(root: &'a Path, dir: &'a Path) -> Target<'a> {
        Target {
            root,
            theme_dir: None,
            dir,
            force: false,
        }
    }

    #[test]
    fn replaces_the_output_and_leaves_no_staging() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join("stale.html"), "old").unwrap();
        fs::write(target.join(MARKER), "").unwrap();
        commit(
            at(&dir.path().join("site"), &target),
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
        fs::write(target.join(MARKER), "").unwrap();
        let missing = OutputFile::copy("x.png", dir.path().join("nope.png"));
        assert!(commit(at(&dir.path().join("site"), &target), vec![missing], false).is_err());
        assert_eq!(
            fs::read_to_string(target.join("index.html")).unwrap(),
            "old"
        );
    }
}
