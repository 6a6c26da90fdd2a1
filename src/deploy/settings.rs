//! Where to deploy: `[deploy]` (or `[extra.deploy]`, which Zola passes through) in the config
//! file, overridden by `TRE_DEPLOY_*` variables. The SSH key comes only from the environment
//! or from ssh-agent and the user's ssh config, never from the repository.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::config::Config;
use crate::diag::{Diagnostic, LineIndex};

/// Releases kept on the host when the config does not say.
const DEFAULT_KEEP: usize = 5;

/// A checked deploy target.
#[derive(Debug, Clone)]
pub struct Settings {
    pub host: String,
    pub user: Option<String>,
    pub port: Option<u16>,
    /// The directory on the host that holds `releases/` and `current`.
    pub path: String,
    pub keep_releases: usize,
    /// `TRE_DEPLOY_KEY`: a private key outside the site.
    pub key: Option<PathBuf>,
    /// A known_hosts file to check the host key against, instead of the user's.
    pub known_hosts: Option<PathBuf>,
    /// `TRE_DEPLOY_SSH`: the OpenSSH client to run (default `ssh`).
    pub ssh: PathBuf,
}

impl Settings {
    /// `ssh://user@host:port/path`, how problems with the host are labelled.
    pub fn target(&self) -> String {
        let user = self
            .user
            .as_deref()
            .map_or(String::new(), |u| format!("{u}@"));
        let port = self.port.map_or(String::new(), |p| format!(":{p}"));
        let sep = if self.path.starts_with('/') {
            ""
        } else {
            "/~/"
        };
        format!("ssh://{user}{}{port}{sep}{}", self.host, self.path)
    }

    /// A problem with the host, labelled with the target.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.target(), None, message)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawFile {
    deploy: Option<Spanned<RawDeploy>>,
    extra: RawExtra,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawExtra {
    deploy: Option<Spanned<RawDeploy>>,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct RawDeploy {
    host: Option<Spanned<String>>,
    user: Option<Spanned<String>>,
    port: Option<Spanned<i64>>,
    path: Option<Spanned<String>>,
    keep_releases: Option<Spanned<i64>>,
    known_hosts: Option<Spanned<String>>,
}

const KEYS_HELP: &str = "[deploy] takes host, user, port, path, keep_releases and known_hosts; \
     the SSH key is never read from the site: set TRE_DEPLOY_KEY or use ssh-agent";

/// Reads the deploy block of the site's config and the `TRE_DEPLOY_*` variables in `env`.
/// Every problem is returned at once.
pub fn load_settings(
    root: &Path,
    config: &Config,
    env: &BTreeMap<String, String>,
) -> Result<Settings, Vec<Diagnostic>> {
    let file = config.file.as_path();
    let text = std::fs::read_to_string(root.join(file)).map_err(|e| {
        vec![Diagnostic::error(
            file,
            None,
            format!("cannot read the config: {e}"),
        )]
    })?;
    let index = LineIndex::new(&text);
    let raw: RawFile = toml::from_str(&text).map_err(|e| {
        let at = e.span().map(|s| index.locate(s.start));
        let msg = e.message().trim_end();
        let mut d = Diagnostic::error(file, at, format!("deploy settings: {msg}"));
        if msg.contains("unknown field") {
            d = d.with_help(KEYS_HELP);
        }
        vec![d]
    })?;
    let block = match (raw.deploy, raw.extra.deploy) {
        (Some(_), Some(extra)) => {
            return Err(vec![
                Diagnostic::error(
                    file,
                    Some(index.locate(extra.span().start)),
                    "deploy settings are given twice, in [deploy] and [extra.deploy]",
                )
                .with_help("keep one of the two blocks"),
            ]);
        }
        (Some(b), None) | (None, Some(b)) => Some(b),
        (None, None) => None,
    };
    let block_at = block.as_ref().map(|b| index.locate(b.span().start));
    let b = block.map(Spanned::into_inner).unwrap_or_default();
    let mut problems = Vec::new();
    let at = |span: std::ops::Range<usize>| Some(index.locate(span.start));

    let from_config = |v: &Option<Spanned<String>>| {
        v.as_ref()
            .map(|s| (s.get_ref().clone(), Source::Config(at(s.span()))))
    };
    let pick = |var: &str, v: &Option<Spanned<String>>| {
        env.get(var)
            .filter(|s| !s.is_empty())
            .map(|s| (s.clone(), Source::Env(var.to_string())))
            .or_else(|| from_config(v))
    };
    let label = |src: &Source| match src {
        Source::Env(var) => (PathBuf::from(var), None),
        Source::Config(at) => (file.to_path_buf(), *at),
    };

    let host = match pick("TRE_DEPLOY_HOST", &b.host) {
        Some((h, _)) if is_ssh_word(&h) => Some(h),
        Some((h, src)) => {
            let (f, at) = label(&src);
            problems.push(
                Diagnostic::error(f, at, format!("`host` is not a host name: {h:?}"))
                    .with_help("write a host name or an address, as `portal.example.gov.vn`"),
            );
            None
        }
        None => {
            problems.push(
                Diagnostic::error(file, block_at, "deploy: no host to publish to").with_help(
                    "add `host = \"…\"` to [deploy] in the config, or set TRE_DEPLOY_HOST",
                ),
            );
            None
        }
    };
    let user = match pick("TRE_DEPLOY_USER", &b.user) {
        Some((u, _)) if is_ssh_word(&u) => Some(u),
        Some((u, src)) => {
            let (f, at) = label(&src);
            problems.push(
                Diagnostic::error(f, at, format!("`user` is not a user name: {u:?}"))
                    .with_help("write the login name on the host, as `deploy`"),
            );
            None
        }
        None => None,
    };
    let path = match pick("TRE_DEPLOY_PATH", &b.path) {
        Some((p, _)) if !p.trim().is_empty() && !p.contains(['\n', '\r', '\0']) => Some(p),
        Some((p, src)) => {
            let (f, at) = label(&src);
            problems.push(
                Diagnostic::error(f, at, format!("`path` is not a directory name: {p:?}"))
                    .with_help("write the directory on the host, as `/var/www/portal`"),
            );
            None
        }
        None => {
            problems.push(
                Diagnostic::error(file, block_at, "deploy: no directory on the host").with_help(
                    "add `path = \"/var/www/portal\"` to [deploy], or set TRE_DEPLOY_PATH; \
                         point the web server at <path>/current",
                ),
            );
            None
        }
    };
    let number = |var: &str, v: &Option<Spanned<i64>>| -> Option<(i64, Source)> {
        match env.get(var).filter(|s| !s.is_empty()) {
            Some(s) => Some((
                s.trim().parse::<i64>().unwrap_or(-1),
                Source::Env(var.to_string()),
            )),
            None => v
                .as_ref()
                .map(|s| (*s.get_ref(), Source::Config(at(s.span())))),
        }
    };
    // What was written, for the message: the variable's text, or the config's number.
    let found = |src: &Source, n: i64| match src {
        Source::Env(var) => format!("{:?}", env.get(var).map_or("", String::as_str)),
        Source::Config(_) => n.to_string(),
    };
    let port = match number("TRE_DEPLOY_PORT", &b.port) {
        Some((p, src)) => match u16::try_from(p) {
            Ok(p) if p > 0 => Some(p),
            _ => {
                let found = found(&src, p);
                let (f, at) = label(&src);
                problems.push(
                    Diagnostic::error(
                        f,
                        at,
                        format!("`port` must be a number from 1 to 65535, found {found}"),
                    )
                    .with_help("SSH listens on 22 unless the host says otherwise"),
                );
                None
            }
        },
        None => None,
    };
    let keep_releases = match number("TRE_DEPLOY_KEEP_RELEASES", &b.keep_releases) {
        Some((k, src)) => match usize::try_from(k) {
            Ok(k) if (2..=1000).contains(&k) => k,
            _ => {
                let found = found(&src, k);
                let (f, at) = label(&src);
                problems.push(
                    Diagnostic::error(
                        f,
                        at,
                        format!("`keep_releases` must be a number from 2 to 1000, found {found}"),
                    )
                    .with_help(
                        "keep at least two releases, so that a rollback has one to go back to",
                    ),
                );
                DEFAULT_KEEP
            }
        },
        None => DEFAULT_KEEP,
    };
    let key = env
        .get("TRE_DEPLOY_KEY")
        .filter(|k| !k.is_empty())
        .and_then(|k| match check_key(root, Path::new(k)) {
            Ok(()) => Some(PathBuf::from(k)),
            Err(d) => {
                problems.push(d);
                None
            }
        });
    let known_hosts = match env.get("TRE_DEPLOY_KNOWN_HOSTS").filter(|k| !k.is_empty()) {
        Some(k) => Some(PathBuf::from(k)),
        None => b.known_hosts.as_ref().map(|k| root.join(k.get_ref())),
    };
    if let Some(k) = known_hosts.as_ref().filter(|k| !k.is_file()) {
        problems.push(
            Diagnostic::error(
                file,
                b.known_hosts.as_ref().and_then(|k| at(k.span())),
                format!("known_hosts file {} does not exist", k.display()),
            )
            .with_help("write the host's public key there, as `ssh-keyscan` prints it, after checking it with the host's admin"),
        );
    }
    let ssh = env
        .get("TRE_DEPLOY_SSH")
        .filter(|s| !s.is_empty())
        .map_or_else(|| PathBuf::from("ssh"), PathBuf::from);
    match (host, path) {
        (Some(host), Some(path)) if problems.is_empty() => Ok(Settings {
            host,
            user,
            port,
            path,
            keep_releases,
            key,
            known_hosts,
            ssh,
        }),
        _ => {
            crate::diag::sort(&mut problems);
            Err(problems)
        }
    }
}

enum Source {
    Env(String),
    Config(Option<crate::diag::LineCol>),
}

/// A host or user name that ssh cannot take for an option or split into two words.
fn is_ssh_word(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '[' | ']'))
}

/// The key must exist, be private to its owner, and live outside the site, so that it can
/// never be committed with it.
fn check_key(root: &Path, key: &Path) -> Result<(), Diagnostic> {
    let var = "TRE_DEPLOY_KEY";
    let real = key.canonicalize().map_err(|e| {
        Diagnostic::error(
            var,
            None,
            format!("cannot read the key {}: {e}", key.display()),
        )
        .with_help("give the path of an SSH private key file")
    })?;
    let site = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if real.starts_with(&site) {
        return Err(Diagnostic::error(
            var,
            None,
            format!("the key {} is inside the site", key.display()),
        )
        .with_help(
            "keys must never be in the repository: move it out (e.g. to ~/.ssh), \
             remove it from git history, and replace the key on the host",
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&real)
            .map(|m| m.permissions().mode())
            .unwrap_or(0);
        if mode & 0o077 != 0 {
            return Err(Diagnostic::error(
                var,
                None,
                format!(
                    "the key {} can be read by other users (mode {:o})",
                    key.display(),
                    mode & 0o777
                ),
            )
            .with_help(format!(
                "ssh refuses such keys: run `chmod 600 {}`",
                key.display()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::is_ssh_word;

    #[test]
    fn option_like_or_spaced_names_are_refused() {
        assert!(is_ssh_word("portal.example.gov.vn"));
        assert!(is_ssh_word("127.0.0.1"));
        assert!(!is_ssh_word("-oProxyCommand=x"));
        assert!(!is_ssh_word("a b"));
        assert!(!is_ssh_word("a;b"));
        assert!(!is_ssh_word(""));
    }
}
