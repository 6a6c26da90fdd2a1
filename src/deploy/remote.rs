//! The host's side, through the system OpenSSH client: one `ssh` run to read the state, one to
//! stream a tar of the changed files and assemble the release, or one to switch `current`.
//! The scripts need only POSIX sh, coreutils (`cp -al`, `mv -T`, `readlink`) and tar; where
//! util-linux's `flock` is there (Debian always has it), two deploys to one path cannot overlap.
//!
//! Layout under the deploy path:
//! ```text
//! current -> releases/000007-20261205T112500Z    the web server's root
//! releases/000007-20261205T112500Z/              one complete copy of public/
//! releases/000007-20261205T112500Z.tre-manifest.json
//! releases/.partial-…                            an upload in progress (or interrupted)
//! .tre-deploy.lock                                held (flock) while a deploy changes things
//! ```

use std::io::{self, BufWriter, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;

use super::{Manifest, Settings};
use crate::diag::Diagnostic;

/// What is on the host.
#[derive(Debug, Default)]
pub struct State {
    /// The live release.
    pub current: Option<String>,
    /// Complete releases, oldest first.
    pub releases: Vec<String>,
    /// Leftovers of interrupted uploads; the next upload deletes them.
    pub partials: usize,
    /// The live release's manifest, when it has one.
    pub manifest: Option<Manifest>,
}

impl State {
    /// Release names sort in the order they were made, whatever the clocks of the machines
    /// that made them: a sequence number first, then the UTC time for people.
    pub fn next_release_id(&self) -> String {
        let last = self
            .releases
            .iter()
            .filter_map(|r| r.get(..6)?.parse::<u32>().ok())
            .max()
            .unwrap_or(0);
        format!(
            "{:06}-{}",
            last + 1,
            chrono::Utc::now().format("%Y%m%dT%H%M%SZ")
        )
    }

    /// The releases to delete once `new` is live, keeping the newest `keep` and the one that was
    /// live (after a rollback it may be older than those).
    pub fn to_prune(&self, new: &str, keep: usize) -> Vec<String> {
        let mut all: Vec<&str> = self.releases.iter().map(String::as_str).collect();
        all.push(new);
        all.sort_unstable();
        let excess = all.len().saturating_sub(keep);
        all.into_iter()
            .take(excess)
            .filter(|r| Some(*r) != self.current.as_deref())
            .map(str::to_string)
            .collect()
    }

    /// The newest release older than `id`.
    pub fn release_before(&self, id: &str) -> Option<String> {
        self.releases
            .iter()
            .filter(|r| r.as_str() < id)
            .max()
            .cloned()
    }
}

/// `000007-20261205T112500Z`: the names Tre gives releases, and the only ones it acts on.
fn is_release_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 23
        && b.iter().enumerate().all(|(i, c)| match i {
            6 => *c == b'-',
            15 => *c == b'T',
            22 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

const INSPECT: &str = r#"set -eu
if [ ! -e "$1" ]; then echo fresh; exit 0; fi
cd -- "$1"
if [ -L current ]; then echo "current $(readlink current)"; elif [ -e current ]; then echo notlink; fi
for r in releases/*/; do
  if [ -d "$r" ]; then r=${r%/}; echo "release ${r#releases/}"; fi
done
for r in releases/.partial-*; do
  if [ -e "$r" ]; then echo "partial ${r#releases/}"; fi
done
echo --manifest--
t=$(readlink current 2>/dev/null) || t=
if [ -n "$t" ] && [ -f "$t.tre-manifest.json" ]; then cat -- "$t.tre-manifest.json"; fi
"#;

/// Reads what is live, which releases exist, and the live release's manifest.
pub fn inspect(s: &Settings) -> Result<State, Vec<Diagnostic>> {
    let out = run(s, INSPECT, &[&s.path], None).map_err(|f| vec![f.diagnostic(s, "be read")])?;
    let (head, manifest) = out.split_once("--manifest--\n").unwrap_or((&out, ""));
    let mut state = State::default();
    for line in head.lines() {
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        match word {
            "current" => {
                let id = rest.strip_prefix("releases/").unwrap_or(rest);
                if !is_release_id(id) {
                    return Err(vec![
                        s.error(format!(
                            "`current` points to {rest}, not to a release made by tre deploy"
                        ))
                        .with_help(format!(
                            "move {}/current away (it is what the web server shows) and deploy again",
                            s.path
                        )),
                    ]);
                }
                state.current = Some(id.to_string());
            }
            "notlink" => {
                return Err(vec![
                    s.error(format!("{}/current exists and is not a symlink", s.path))
                        .with_help(
                            "tre deploy makes `current` a symlink to the live release: \
                             move the existing directory away, or deploy to another path",
                        ),
                ]);
            }
            "release" if is_release_id(rest) => state.releases.push(rest.to_string()),
            "partial" => state.partials += 1,
            _ => {}
        }
    }
    state.releases.sort();
    if !manifest.trim().is_empty() {
        // A manifest that does not parse only costs a full upload.
        state.manifest = serde_json::from_str::<Manifest>(manifest)
            .ok()
            .filter(|m| m.format == super::MANIFEST_FORMAT && m.version == 1);
    }
    Ok(state)
}

const UPLOAD: &str = r#"set -eu
umask 022
mkdir -p -- "$1"
cd -- "$1"
# One deploy at a time per path: the lock goes with the process, so a killed deploy frees it.
exec 9>>.tre-deploy.lock
if command -v flock >/dev/null 2>&1 && ! flock -n 9; then
  echo "tre: another deploy to this path is running" >&2; exit 4
fi
id=$2; prev=$3; shift 3
mkdir -p releases
for d in releases/.partial-*; do
  if [ -e "$d" ]; then rm -rf -- "$d"; fi
done
rm -f -- .tre-current-*
new=releases/.partial-$id
mkdir -- "$new" "$new.in"
tar -x -o -f - -C "$new.in"
if [ ! -f "$new.in/meta/manifest.json" ] || [ ! -f "$new.in/meta/remove" ] || [ ! -f "$new.in/meta/sha256" ]; then
  echo "tre: the upload ended early" >&2; exit 3
fi
if [ -s "$new.in/meta/sha256" ]; then
  if ! (cd -- "$new.in/files" && sha256sum -c --quiet --strict ../meta/sha256) >&2; then
    echo "tre: files arrived different from what their hashes say" >&2; exit 5
  fi
fi
if [ -n "$prev" ]; then cp -al -- "releases/$prev/." "$new/"; fi
(
  cd -- "$new"
  set --
  while IFS= read -r f; do
    set -- "$@" "./$f"
    if [ $# -ge 200 ]; then rm -rf -- "$@"; set --; fi
  done < "../.partial-$id.in/meta/remove"
  if [ $# -gt 0 ]; then rm -rf -- "$@"; fi
)
mkdir -p -- "$new.in/files"
cp -al -- "$new.in/files/." "$new/"
mv -- "$new" "releases/$id"
mv -- "$new.in/meta/manifest.json" "releases/$id.tre-manifest.json"
rm -rf -- "$new.in"
ln -s "releases/$id" ".tre-current-$id"
mv -T -- ".tre-current-$id" current
for old in "$@"; do rm -rf -- "releases/$old" "releases/$old.tre-manifest.json"; done
echo "live $id"
"#;

/// One upload: what goes in the tar, and what the host does with it.
pub struct Upload<'a> {
    pub id: &'a str,
    /// The release to take unchanged files from (hard links, so they cost no space).
    pub previous: Option<&'a str>,
    pub send: &'a [String],
    pub remove: &'a [String],
    pub manifest: &'a Manifest,
    pub prune: &'a [String],
}

/// Streams the changed files to a new release directory and makes it live. Files already
/// there are never written to: changed ones are unlinked from the copy first, so the releases
/// sharing them stay as they were.
pub fn upload(
    s: &Settings,
    output_dir: &Path,
    u: &Upload<'_>,
    live: Option<&str>,
) -> Result<(), Vec<Diagnostic>> {
    let mut args = vec![s.path.as_str(), u.id, u.previous.unwrap_or("")];
    args.extend(u.prune.iter().map(String::as_str));
    let mut write = |w: &mut dyn Write| write_tar(w, output_dir, u);
    let out = run(s, UPLOAD, &args, Some(&mut write)).map_err(|f| {
        let still = live.map_or_else(
            || "nothing was published".to_string(),
            |l| format!("release {l} is still live"),
        );
        let mut d = f.diagnostic(s, "take the upload");
        d.message = format!("{}; {still}", d.message);
        vec![d.with_help(
            "deploy again when the cause is fixed; it deletes what this upload left on the host",
        )]
    })?;
    if out.lines().any(|l| l == format!("live {}", u.id)) {
        Ok(())
    } else {
        Err(vec![s.error(format!(
            "the host did not confirm that release {} is live",
            u.id
        ))])
    }
}

/// The tar the host unpacks: `files/<path>` for each file sent, then `meta/sha256` (checked
/// on the host, so a file that changed locally while it was sent never goes live),
/// `meta/remove` and `meta/manifest.json`. The host refuses an upload without the last three,
/// so a stream cut at any point is never made live.
fn write_tar(w: &mut dyn Write, output_dir: &Path, u: &Upload<'_>) -> io::Result<()> {
    let mut tar = tar::Builder::new(BufWriter::with_capacity(1 << 16, w));
    for path in u.send {
        let full = output_dir.join(path);
        let mut file = std::fs::File::open(&full).map_err(|e| local(&full, e))?;
        let meta = file.metadata().map_err(|e| local(&full, e))?;
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Regular);
        h.set_size(meta.len());
        h.set_mode(0o644);
        h.set_mtime(
            meta.modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_secs()),
        );
        tar.append_data(&mut h, format!("files/{path}"), &mut file)?;
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let remove: String = u.remove.iter().map(|p| format!("{p}\n")).collect();
    let sums: String = u
        .send
        .iter()
        .filter_map(|p| Some(checksum_line(&u.manifest.files.get(p)?.sha256, p)))
        .collect();
    let manifest = serde_json::to_vec_pretty(u.manifest).map_err(io::Error::other)?;
    for (name, bytes) in [
        ("meta/sha256", sums.as_bytes()),
        ("meta/remove", remove.as_bytes()),
        ("meta/manifest.json", &manifest),
    ] {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Regular);
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(now);
        tar.append_data(&mut h, name, bytes)?;
    }
    tar.into_inner()?.flush()
}

/// A line `sha256sum -c` reads; a name with a backslash is written escaped, as it expects.
fn checksum_line(hash: &str, path: &str) -> String {
    if path.contains('\\') {
        format!("\\{hash}  {}\n", path.replace('\\', "\\\\"))
    } else {
        format!("{hash}  {path}\n")
    }
}

/// A local read error, told apart from a broken pipe to ssh.
fn local(path: &Path, e: io::Error) -> io::Error {
    io::Error::other(LocalError(format!("cannot read {}: {e}", path.display())))
}

#[derive(Debug)]
struct LocalError(String);

impl std::fmt::Display for LocalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LocalError {}

const SWITCH: &str = r#"set -eu
cd -- "$1"
# One deploy at a time per path: the lock goes with the process, so a killed deploy frees it.
exec 9>>.tre-deploy.lock
if command -v flock >/dev/null 2>&1 && ! flock -n 9; then
  echo "tre: another deploy to this path is running" >&2; exit 4
fi
if [ ! -d "releases/$2" ]; then echo "tre: release $2 is not on the host" >&2; exit 3; fi
rm -f -- .tre-current-*
ln -s "releases/$2" ".tre-current-$2"
mv -T -- ".tre-current-$2" current
echo "live $2"
"#;

/// Makes `id` the live release in one rename.
pub fn switch(s: &Settings, id: &str) -> Result<(), Vec<Diagnostic>> {
    run(s, SWITCH, &[&s.path, id], None)
        .map(drop)
        .map_err(|f| vec![f.diagnostic(s, "switch releases")])
}

/// Why a run of ssh failed.
#[derive(Debug)]
enum Failure {
    /// The ssh program could not be started.
    Spawn(io::Error),
    /// ssh itself failed (exit 255): connection, host key, authentication.
    Ssh(String),
    /// The script on the host failed.
    Remote(String),
    /// Reading the local files failed while streaming.
    Local(String),
}

impl Failure {
    fn diagnostic(&self, s: &Settings, doing: &str) -> Diagnostic {
        match self {
            Failure::Spawn(e) => s
                .error(format!(
                    "cannot run the OpenSSH client `{}`: {e}",
                    s.ssh.display()
                ))
                .with_help(
                    "install it (Debian: apt-get install openssh-client), or set TRE_DEPLOY_SSH",
                ),
            Failure::Ssh(stderr) => ssh_problem(s, stderr),
            Failure::Remote(stderr) => s.error(format!(
                "the host could not {doing}: {}",
                last_lines(stderr)
            )),
            Failure::Local(msg) => s.error(format!("upload stopped: {msg}")),
        }
    }
}

/// One message for what ssh said, in the user's terms.
fn ssh_problem(s: &Settings, stderr: &str) -> Diagnostic {
    let said = last_lines(stderr);
    let has = |needles: &[&str]| needles.iter().any(|n| stderr.contains(n));
    if has(&["Permission denied", "Too many authentication failures"]) {
        s.error(format!("the host refused the key ({said})"))
            .with_help(
                "use the key whose public half is in the host's ~/.ssh/authorized_keys: \
             set TRE_DEPLOY_KEY to its path, or add it to ssh-agent",
            )
    } else if has(&[
        "Host key verification failed",
        "REMOTE HOST IDENTIFICATION HAS CHANGED",
        "host key for",
    ]) {
        s.error(format!("the host's key could not be verified ({said})"))
            .with_help(
                "check the host's key with its admin, then add it to ~/.ssh/known_hosts \
                 or to the file TRE_DEPLOY_KNOWN_HOSTS (or `known_hosts` in [deploy]) names",
            )
    } else if has(&[
        "Connection refused",
        "timed out",
        "Could not resolve",
        "No route to host",
        "Network is unreachable",
        "Connection reset",
        "Connection closed",
        "kex_exchange_identification",
    ]) {
        s.error(format!("cannot reach the host ({said})"))
            .with_help(
                "check `host` and `port` in [deploy] (or TRE_DEPLOY_HOST, TRE_DEPLOY_PORT) \
             and that the host's SSH server is running",
            )
    } else {
        s.error(format!("ssh failed: {said}"))
    }
}

/// The last three non-empty lines of what a program said, on one line.
fn last_lines(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let start = lines.len().saturating_sub(3);
    let tail = lines.get(start..).unwrap_or_default().join(" / ");
    if tail.is_empty() {
        "no message".into()
    } else {
        tail
    }
}

/// Quotes a word for the remote POSIX shell.
fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

type Input<'a> = &'a mut dyn FnMut(&mut dyn Write) -> io::Result<()>;

/// Runs `script` with `args` on the host under `sh`, feeding it `input`; returns its stdout.
fn run(
    s: &Settings,
    script: &str,
    args: &[&str],
    input: Option<Input<'_>>,
) -> Result<String, Failure> {
    let mut remote = format!("sh -c {} tre-deploy", quote(script));
    for a in args {
        remote.push(' ');
        remote.push_str(&quote(a));
    }
    let mut cmd = Command::new(&s.ssh);
    cmd.args(["-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=15"])
        .args([
            "-o",
            "ServerAliveInterval=15",
            "-o",
            "ServerAliveCountMax=4",
        ])
        .args(["-o", "Compression=yes"]);
    if let Some(p) = s.port {
        cmd.arg("-p").arg(p.to_string());
    }
    if let Some(u) = &s.user {
        cmd.arg("-l").arg(u);
    }
    if let Some(k) = &s.key {
        cmd.arg("-i").arg(k).args(["-o", "IdentitiesOnly=yes"]);
    }
    if let Some(k) = &s.known_hosts {
        cmd.arg("-o")
            .arg(format!("UserKnownHostsFile=\"{}\"", k.display()))
            .args(["-o", "StrictHostKeyChecking=yes"]);
    }
    cmd.arg("--").arg(&s.host).arg(remote);
    cmd.stdin(if input.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(Failure::Spawn)?;
    let drain = |r: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut buf);
            }
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|r| Box::new(r) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|r| Box::new(r) as Box<dyn Read + Send>),
    );
    let written = match (input, child.stdin.take()) {
        (Some(feed), Some(mut stdin)) => feed(&mut stdin),
        _ => Ok(()),
    };
    let status = child.wait();
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    let status = status.map_err(Failure::Spawn)?;
    if let Err(e) = &written {
        if let Some(l) = e.get_ref().and_then(|i| i.downcast_ref::<LocalError>()) {
            return Err(Failure::Local(l.0.clone()));
        }
    }
    match status.code() {
        Some(0) => match written {
            Ok(()) => Ok(stdout),
            Err(e) => Err(Failure::Remote(format!("the upload stopped: {e}"))),
        },
        Some(255) => Err(Failure::Ssh(stderr)),
        _ if stderr.trim().is_empty() => Err(Failure::Remote(format!(
            "the connection ended early ({status})"
        ))),
        _ => Err(Failure::Remote(stderr)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_survives_single_quotes() {
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("/var/www/cổng"), "'/var/www/cổng'");
    }

    #[test]
    fn checksum_lines_escape_backslashes_as_sha256sum_does() {
        assert_eq!(checksum_line("ab", "a/b.html"), "ab  a/b.html\n");
        assert_eq!(checksum_line("ab", r"a\b"), "\\ab  a\\\\b\n");
    }

    #[test]
    fn release_ids_are_checked() {
        assert!(is_release_id("000007-20261205T112500Z"));
        assert!(!is_release_id("../etc"));
        assert!(!is_release_id("000007-20261205T112500"));
    }

    #[test]
    fn pruning_keeps_the_newest_and_the_live_one() {
        let state = State {
            current: Some("000001-20260101T000000Z".into()),
            releases: vec![
                "000001-20260101T000000Z".into(),
                "000002-20260102T000000Z".into(),
                "000003-20260103T000000Z".into(),
            ],
            ..State::default()
        };
        let new = "000004-20260104T000000Z";
        assert_eq!(state.to_prune(new, 2), ["000002-20260102T000000Z"]);
        assert_eq!(state.next_release_id().get(..7), Some("000004-"));
        assert_eq!(
            state.release_before("000003-20260103T000000Z").as_deref(),
            Some("000002-20260102T000000Z")
        );
    }
}
