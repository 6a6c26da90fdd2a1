//! `tre deploy`: publishes the built output directory to a host over SSH as a new release,
//! uploading only the files whose content hash changed, then switches the `current` symlink
//! in one rename. Uses `config` and `diag` only; never writes the local site.
//! The host needs only POSIX sh, coreutils and tar (see `remote.rs`).

mod remote;
mod settings;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::{self, BuildOptions};
use crate::diag::Diagnostic;

pub use settings::{Settings, load_settings};

/// What the command line asked for besides the config.
#[derive(Debug, Clone, Copy, Default)]
pub struct DeployOptions {
    /// Switch `current` back to the release before it instead of uploading.
    pub rollback: bool,
    /// Connect and report what would happen; change nothing on the host.
    pub dry_run: bool,
}

/// What a deploy or a rollback did (or, with `--dry-run`, would do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployReport {
    /// The release that is live afterwards (with `--dry-run`: that would be).
    pub release: String,
    /// The release that was live before.
    pub previous: Option<String>,
    /// Files uploaded.
    pub sent: usize,
    /// Bytes of the files uploaded.
    pub bytes_sent: u64,
    /// Unchanged files taken over from the previous release on the host, without uploading.
    pub reused: usize,
    /// Files of the previous release that are not in this one.
    pub removed: usize,
    /// Old releases deleted to keep `keep_releases`.
    pub pruned: Vec<String>,
    /// Leftovers of interrupted uploads deleted on the host.
    pub cleaned: usize,
    /// Nothing differed from the live release, so no release was made.
    pub is_unchanged: bool,
    pub is_dry_run: bool,
    pub is_rollback: bool,
}

/// The content of one release: every file with its hash, kept on the host beside the release
/// as `releases/<id>.tre-manifest.json`, outside the directory the web server publishes.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    pub files: BTreeMap<String, FileEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileEntry {
    pub sha256: String,
    pub size: u64,
}

const MANIFEST_FORMAT: &str = "tre-deploy-manifest";

/// What to send and what to drop, going from the live release to the local output.
#[derive(Debug, Default)]
struct Plan {
    /// New or changed files, sent in the upload.
    send: Vec<String>,
    /// Paths to delete from the copy of the previous release before the sent files go in:
    /// changed and deleted files, and directories that no longer exist.
    remove: Vec<String>,
    reused: usize,
    removed: usize,
}

/// Publishes (or rolls back) the site at `root`. `env` holds the `TRE_DEPLOY_*` variables;
/// the CLI passes the process environment, tests their own.
pub fn deploy(
    root: &Path,
    opts: &BuildOptions,
    deploy: &DeployOptions,
    env: &BTreeMap<String, String>,
) -> Result<DeployReport, Vec<Diagnostic>> {
    let config = config::load(root, opts)?;
    let settings = load_settings(root, &config, env)?;
    if deploy.rollback {
        return rollback(&settings, deploy.dry_run);
    }
    let manifest = load_manifest(root, &config.output_dir)?;
    let state = remote::inspect(&settings)?;
    let plan = plan(&manifest, state.manifest.as_ref());
    let previous = state.current.clone();
    let unchanged = previous.is_some() && plan.send.is_empty() && plan.remove.is_empty();
    let mut report = DeployReport {
        release: String::new(),
        previous: previous.clone(),
        sent: plan.send.len(),
        bytes_sent: plan
            .send
            .iter()
            .filter_map(|p| manifest.files.get(p))
            .map(|f| f.size)
            .sum(),
        reused: plan.reused,
        removed: plan.removed,
        pruned: Vec::new(),
        cleaned: state.partials,
        is_unchanged: unchanged,
        is_dry_run: deploy.dry_run,
        is_rollback: false,
    };
    if unchanged {
        report.release = previous.unwrap_or_default();
        report.cleaned = 0;
        return Ok(report);
    }
    let id = state.next_release_id();
    report.pruned = state.to_prune(&id, settings.keep_releases);
    report.release = id.clone();
    if deploy.dry_run {
        return Ok(report);
    }
    let upload = remote::Upload {
        id: &id,
        previous: if state.manifest.is_some() {
            previous.as_deref()
        } else {
            None
        },
        send: &plan.send,
        remove: &plan.remove,
        manifest: &manifest,
        prune: &report.pruned,
    };
    remote::upload(&settings, &config.output_dir, &upload, previous.as_deref())?;
    Ok(report)
}

/// The lines `tre deploy` prints.
pub fn render_report(r: &DeployReport) -> String {
    let would = if r.is_dry_run { "would " } else { "" };
    let prev = r.previous.as_deref().unwrap_or("none");
    if r.is_rollback {
        let verb = if r.is_dry_run {
            "would switch"
        } else {
            "switched"
        };
        return format!("Rollback: {verb} from release {prev} to {}", r.release);
    }
    if r.is_unchanged {
        return format!("Nothing changed: release {} stays live", r.release);
    }
    let mut out = format!(
        "Release {}: {would}send {} files ({:.1} KiB), {would}reuse {} unchanged, {would}remove {}",
        r.release,
        r.sent,
        r.bytes_sent as f64 / 1024.0,
        r.reused,
        r.removed
    );
    if r.cleaned > 0 {
        out.push_str(&format!(
            "\n  {would}clean up {} leftovers of an interrupted upload",
            r.cleaned
        ));
    }
    if !r.pruned.is_empty() {
        out.push_str(&format!(
            "\n  {would}delete old releases: {}",
            r.pruned.join(", ")
        ));
    }
    let live = if r.is_dry_run {
        "would go live"
    } else {
        "is live"
    };
    out.push_str(&format!("\n  {live} (before: {prev})"));
    out
}

fn rollback(settings: &Settings, dry_run: bool) -> Result<DeployReport, Vec<Diagnostic>> {
    let state = remote::inspect(settings)?;
    let Some(current) = state.current.clone() else {
        return Err(vec![
            settings
                .error("there is no live release to roll back from")
                .with_help("run `tre deploy` first"),
        ]);
    };
    let Some(target) = state.release_before(&current) else {
        return Err(vec![
            settings
                .error(format!(
                    "release {current} is the oldest one kept; there is nothing to roll back to"
                ))
                .with_help("`keep_releases` in [deploy] says how many releases the host keeps"),
        ]);
    };
    if !dry_run {
        remote::switch(settings, &target)?;
    }
    Ok(DeployReport {
        release: target,
        previous: Some(current),
        sent: 0,
        bytes_sent: 0,
        reused: 0,
        removed: 0,
        pruned: Vec::new(),
        cleaned: 0,
        is_unchanged: false,
        is_dry_run: dry_run,
        is_rollback: true,
    })
}

/// Hashes every file of the output directory. Refuses what a release cannot hold faithfully:
/// symlinks, names that are not UTF-8 or that contain a line break.
pub fn load_manifest(root: &Path, output_dir: &Path) -> Result<Manifest, Vec<Diagnostic>> {
    let shown = output_dir
        .strip_prefix(root)
        .unwrap_or(output_dir)
        .to_path_buf();
    if !output_dir.is_dir() {
        return Err(vec![
            Diagnostic::error(
                &shown,
                None,
                format!(
                    "nothing to deploy: {}/ does not exist",
                    shown.to_string_lossy()
                ),
            )
            .with_help("run `tre build` first; deploy publishes what the build wrote"),
        ]);
    }
    let mut paths = Vec::new();
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(output_dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(Diagnostic::error(
                    &shown,
                    None,
                    format!("cannot read the output: {e}"),
                ));
                continue;
            }
        };
        let rel = entry
            .path()
            .strip_prefix(output_dir)
            .unwrap_or(entry.path());
        let shown_file = shown.join(rel);
        // The build's own marker is no file of the site.
        if entry.file_type().is_dir() || rel == Path::new(crate::output::MARKER) {
            continue;
        }
        if entry.file_type().is_symlink() {
            problems.push(
                Diagnostic::error(&shown_file, None, "a symlink cannot be deployed")
                    .with_help("put the file itself in static/, not a link to it"),
            );
            continue;
        }
        let Some(name) = rel.to_str() else {
            problems.push(
                Diagnostic::error(&shown_file, None, "the file name is not UTF-8")
                    .with_help("rename the file"),
            );
            continue;
        };
        if name.contains(['\n', '\r']) {
            problems.push(
                Diagnostic::error(&shown_file, None, "the file name has a line break")
                    .with_help("rename the file"),
            );
            continue;
        }
        paths.push(if cfg!(windows) {
            name.replace('\\', "/")
        } else {
            name.to_string()
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if paths.is_empty() {
        return Err(vec![
            Diagnostic::error(&shown, None, "nothing to deploy: the output is empty")
                .with_help("run `tre build` first"),
        ]);
    }
    let hashed: Vec<Result<(String, FileEntry), Diagnostic>> = paths
        .into_par_iter()
        .map(|p| {
            let bytes = fs::read(output_dir.join(&p)).map_err(|e| {
                Diagnostic::error(shown.join(&p), None, format!("cannot read: {e}"))
            })?;
            let entry = FileEntry {
                sha256: hex(&Sha256::digest(&bytes)),
                size: bytes.len() as u64,
            };
            Ok((p, entry))
        })
        .collect();
    let mut files = BTreeMap::new();
    for h in hashed {
        match h {
            Ok((p, e)) => {
                files.insert(p, e);
            }
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Manifest {
        format: MANIFEST_FORMAT.into(),
        version: 1,
        files,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares the local output with the live release's manifest (none: send everything).
fn plan(local: &Manifest, live: Option<&Manifest>) -> Plan {
    let Some(live) = live else {
        return Plan {
            send: local.files.keys().cloned().collect(),
            ..Plan::default()
        };
    };
    let mut plan = Plan::default();
    for (path, entry) in &local.files {
        match live.files.get(path) {
            Some(old) if old == entry => plan.reused += 1,
            Some(_) => {
                plan.send.push(path.clone());
                plan.remove.push(path.clone());
            }
            None => plan.send.push(path.clone()),
        }
    }
    for path in live.files.keys() {
        if !local.files.contains_key(path) {
            plan.removed += 1;
            plan.remove.push(path.clone());
        }
    }
    // A directory that is gone must go too, or a file of the same name could not replace it.
    let dirs = |m: &Manifest| -> BTreeSet<String> {
        m.files
            .keys()
            .flat_map(|p| {
                p.match_indices('/')
                    .map(|(i, _)| p[..i].to_string())
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let local_dirs = dirs(local);
    plan.remove
        .extend(dirs(live).into_iter().filter(|d| !local_dirs.contains(d)));
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(files: &[(&str, &str)]) -> Manifest {
        Manifest {
            format: MANIFEST_FORMAT.into(),
            version: 1,
            files: files
                .iter()
                .map(|(p, h)| {
                    (
                        p.to_string(),
                        FileEntry {
                            sha256: h.to_string(),
                            size: 1,
                        },
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn first_deploy_sends_everything() {
        let local = manifest(&[("a.html", "1"), ("b/c.css", "2")]);
        let p = plan(&local, None);
        assert_eq!(p.send, ["a.html", "b/c.css"]);
        assert!(p.remove.is_empty());
    }

    #[test]
    fn changed_files_are_sent_and_unlinked_first() {
        let live = manifest(&[("a.html", "1"), ("b/c.css", "2"), ("old/x.html", "3")]);
        let local = manifest(&[("a.html", "1"), ("b/c.css", "9"), ("new.txt", "4")]);
        let p = plan(&local, Some(&live));
        assert_eq!(p.send, ["b/c.css", "new.txt"]);
        assert_eq!(p.remove, ["b/c.css", "old/x.html", "old"]);
        assert_eq!((p.reused, p.removed), (1, 1));
    }

    #[test]
    fn a_directory_replaced_by_a_file_is_removed() {
        let live = manifest(&[("a/index.html", "1")]);
        let local = manifest(&[("a", "2")]);
        let p = plan(&local, Some(&live));
        assert_eq!(p.remove, ["a/index.html", "a"]);
        assert_eq!(p.send, ["a"]);
    }
}
