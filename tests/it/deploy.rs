//! `tre deploy` against a real OpenSSH server that each test starts on loopback, with a
//! throwaway host key and user key made by ssh-keygen, deploying into a temp directory.
//! Without /usr/sbin/sshd the tests that need it skip loudly, except under `CI=true`.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use tre::BuildOptions;
use tre::deploy::{DeployOptions, DeployReport};
use tre::diag::{self, Diagnostic};

use crate::fixture;

const SSHD: &str = "/usr/sbin/sshd";

/// A running sshd and the keys to reach it; killed on drop.
struct Sshd {
    child: Child,
    dir: tempfile::TempDir,
    port: u16,
    user: String,
    key: PathBuf,
    known_hosts: PathBuf,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether the tools are here; outside CI, says loudly that the test is skipped.
fn have_openssh(test: &str) -> bool {
    let ok = Path::new(SSHD).exists()
        && Command::new("ssh-keygen")
            .arg("-?")
            .stderr(Stdio::null())
            .status()
            .is_ok()
        && Command::new("ssh")
            .arg("-V")
            .stderr(Stdio::null())
            .status()
            .is_ok();
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{test}: CI=true but OpenSSH is missing ({SSHD}, ssh, ssh-keygen); .ci/run installs openssh-server"
        );
        eprintln!(
            "\n######## SKIPPED {test}: needs OpenSSH ({SSHD}, ssh, ssh-keygen; Debian: apt-get install openssh-server). CI runs it. ########\n"
        );
    }
    ok
}

fn keygen(path: &Path) {
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "tre-test", "-f"])
        .arg(path)
        .stdin(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "ssh-keygen failed");
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_sshd(test: &str) -> Option<Sshd> {
    if !have_openssh(test) {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    keygen(&d.join("host_key"));
    keygen(&d.join("user_key"));
    fs::copy(d.join("user_key.pub"), d.join("authorized_keys")).unwrap();
    let user = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout)
        .unwrap()
        .trim()
        .to_string();
    // sshd running as root wants its privilege separation directory.
    if user == "root" {
        let _ = fs::create_dir_all("/run/sshd");
    }
    for _attempt in 0..5 {
        let port = free_port();
        let config = d.join("sshd_config");
        fs::write(
            &config,
            format!(
                "Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host_key\n\
                 AuthorizedKeysFile {d}/authorized_keys\nPidFile none\nStrictModes no\n\
                 UsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n\
                 PubkeyAuthentication yes\nPermitRootLogin prohibit-password\nLogLevel INFO\n",
                d = d.display()
            ),
        )
        .unwrap();
        let mut child = Command::new(SSHD)
            .args(["-D", "-e", "-f"])
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if line.contains("Server listening on") {
                    let _ = tx.send(Ok(()));
                } else if line.contains("Address already in use") || line.contains("fatal") {
                    let _ = tx.send(Err(line));
                }
            }
        });
        match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(Ok(())) => {
                let host_key = fs::read_to_string(d.join("host_key.pub")).unwrap();
                let known_hosts = d.join("known_hosts");
                fs::write(&known_hosts, format!("[127.0.0.1]:{port} {host_key}")).unwrap();
                return Some(Sshd {
                    child,
                    port,
                    user,
                    key: d.join("user_key"),
                    known_hosts,
                    dir,
                });
            }
            other => {
                let _ = child.kill();
                let _ = child.wait();
                eprintln!("sshd did not start on port {port}: {other:?}; trying another port");
            }
        }
    }
    panic!("{test}: sshd did not start");
}

impl Sshd {
    /// The deploy directory on the "host".
    fn target(&self) -> PathBuf {
        self.dir.path().join("www")
    }

    fn env(&self) -> BTreeMap<String, String> {
        [
            ("TRE_DEPLOY_HOST", "127.0.0.1".to_string()),
            ("TRE_DEPLOY_PORT", self.port.to_string()),
            ("TRE_DEPLOY_USER", self.user.clone()),
            ("TRE_DEPLOY_PATH", self.target().display().to_string()),
            ("TRE_DEPLOY_KEY", self.key.display().to_string()),
            (
                "TRE_DEPLOY_KNOWN_HOSTS",
                self.known_hosts.display().to_string(),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    fn current(&self) -> String {
        let link = fs::read_link(self.target().join("current")).unwrap();
        link.to_string_lossy()
            .strip_prefix("releases/")
            .unwrap()
            .to_string()
    }

    fn releases(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.target().join("releases"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

fn deploy(
    root: &Path,
    env: &BTreeMap<String, String>,
    options: DeployOptions,
) -> Result<DeployReport, Vec<Diagnostic>> {
    tre::deploy::deploy(root, &BuildOptions::default(), &options, env)
}

fn deploy_ok(root: &Path, env: &BTreeMap<String, String>) -> DeployReport {
    deploy(root, env, DeployOptions::default())
        .unwrap_or_else(|p| panic!("deploy failed:\n{}", diag::render_all(&p)))
}

/// The one problem a failed deploy reports, as printed.
fn one_error(result: Result<DeployReport, Vec<Diagnostic>>) -> String {
    let problems = result.expect_err("deploy should have failed");
    assert_eq!(problems.len(), 1, "{}", diag::render_all(&problems));
    diag::render_all(&problems)
}

/// Every file under `dir` with its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fixture::files_under(dir)
        .into_iter()
        .map(|p| {
            let bytes = fs::read(dir.join(&p)).unwrap();
            (p, bytes)
        })
        .collect()
}

fn rebuild(root: &Path) {
    if let Err(p) = tre::build(root, &BuildOptions::default()) {
        panic!("rebuild failed:\n{}", diag::render_all(&p));
    }
}

/// Bytes that do not compress, so that the upload is long.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn deploy_sends_only_what_changed_and_rolls_back() {
    let Some(sshd) = start_sshd("deploy_sends_only_what_changed_and_rolls_back") else {
        return;
    };
    let env = sshd.env();
    let site = fixture::copy("multilingual");
    let root = site.path();
    fs::create_dir_all(root.join("static")).unwrap();
    fs::write(root.join("static/cu.txt"), "bản cũ\n").unwrap();
    // A name the remote shell, tar and sha256sum must all take as it is.
    fs::create_dir_all(root.join("static/tài liệu")).unwrap();
    fs::write(
        root.join("static/tài liệu/-bản 'đặc biệt' $HOME \\ *.txt"),
        "lạ\n",
    )
    .unwrap();
    rebuild(root);
    let first = contents(&root.join("public"));

    let r1 = deploy_ok(root, &env);
    assert_eq!(
        (r1.sent, r1.reused, r1.previous.as_deref()),
        (first.len(), 0, None)
    );
    assert!(r1.release.starts_with("000001-"), "{}", r1.release);
    assert_eq!(sshd.current(), r1.release);
    assert_eq!(contents(&sshd.target().join("current")), first);

    // Edit one article, add a file and delete one, rebuild: the changed files are whatever the
    // build rewrote (the article, lists, feeds, sitemap, search index), counted here.
    let article = root.join("content/tin-tuc/lich-su-dinh-lang.md");
    let text = fs::read_to_string(&article).unwrap();
    fs::write(
        &article,
        format!("{text}\nĐoạn mới về lịch sử đình làng.\n"),
    )
    .unwrap();
    fs::write(root.join("static/moi.txt"), "bản mới\n").unwrap();
    fs::write(
        root.join("static/tài liệu/-bản 'đặc biệt' $HOME \\ *.txt"),
        "lạ hơn\n",
    )
    .unwrap();
    fs::remove_file(root.join("static/cu.txt")).unwrap();
    rebuild(root);
    let second = contents(&root.join("public"));
    let changed = second
        .iter()
        .filter(|(p, b)| first.get(*p) != Some(*b))
        .count();
    let gone = first.keys().filter(|p| !second.contains_key(*p)).count();
    assert!(
        changed >= 2 && changed < second.len() / 2,
        "{changed} of {}",
        second.len()
    );

    let dry = deploy(
        root,
        &env,
        DeployOptions {
            dry_run: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!((dry.sent, dry.removed), (changed, gone));
    assert_eq!(sshd.current(), r1.release, "a dry run switched the release");

    let r2 = deploy_ok(root, &env);
    assert_eq!(r2.sent, changed);
    assert_eq!(r2.reused, second.len() - changed);
    assert_eq!(r2.removed, gone);
    assert_eq!(r2.previous.as_deref(), Some(r1.release.as_str()));
    assert_eq!(sshd.current(), r2.release);
    assert_eq!(contents(&sshd.target().join("current")), second);
    // The first release is as it was: changed files were replaced, never written through the
    // hard links the two releases share; unchanged ones are those shared links.
    let releases = sshd.target().join("releases");
    assert_eq!(contents(&releases.join(&r1.release)), first);
    let unchanged = second
        .keys()
        .find(|p| first.get(*p) == second.get(*p))
        .unwrap();
    let inode = |r: &str| {
        fs::metadata(releases.join(r).join(unchanged))
            .unwrap()
            .ino()
    };
    assert_eq!(
        inode(&r1.release),
        inode(&r2.release),
        "{unchanged} was copied"
    );

    // Deploying the same output again makes no release.
    let again = deploy_ok(root, &env);
    assert!(again.is_unchanged);
    assert_eq!(again.release, r2.release);

    let back = deploy(
        root,
        &env,
        DeployOptions {
            rollback: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(back.release, r1.release);
    assert_eq!(sshd.current(), r1.release);
    assert_eq!(contents(&sshd.target().join("current")), first);

    let oldest = one_error(deploy(
        root,
        &env,
        DeployOptions {
            rollback: true,
            ..Default::default()
        },
    ));
    assert!(oldest.contains("is the oldest one kept"), "{oldest}");
    assert_eq!(sshd.current(), r1.release);
}

#[test]
fn interrupted_upload_leaves_the_previous_release_live() {
    let Some(sshd) = start_sshd("interrupted_upload_leaves_the_previous_release_live") else {
        return;
    };
    let env = sshd.env();
    let site = fixture::copy("multilingual");
    let root = site.path();
    rebuild(root);
    let first = contents(&root.join("public"));
    let r1 = deploy_ok(root, &env);

    fs::create_dir_all(root.join("static")).unwrap();
    fs::write(root.join("static/ban-do.bin"), noise(300_000, 7)).unwrap();
    rebuild(root);
    // An ssh whose connection drops after 64 KiB of the upload.
    let cut = sshd.dir.path().join("ssh-cut");
    fs::write(&cut, "#!/bin/sh\nhead -c 65536 | ssh \"$@\"\n").unwrap();
    fs::set_permissions(&cut, fs::Permissions::from_mode(0o755)).unwrap();
    let mut cut_env = env.clone();
    cut_env.insert("TRE_DEPLOY_SSH".into(), cut.display().to_string());

    let error = one_error(deploy(root, &cut_env, DeployOptions::default()));
    assert!(
        error.contains(&format!("release {} is still live", r1.release)),
        "{error}"
    );
    assert_eq!(sshd.current(), r1.release);
    assert_eq!(contents(&sshd.target().join("current")), first);
    let leftovers = |s: &Sshd| {
        s.releases()
            .into_iter()
            .filter(|r| r.starts_with(".partial-"))
            .count()
    };
    assert!(leftovers(&sshd) > 0, "{:?}", sshd.releases());

    let r2 = deploy_ok(root, &env);
    assert!(r2.cleaned > 0);
    assert_eq!(leftovers(&sshd), 0, "{:?}", sshd.releases());
    assert_eq!(sshd.current(), r2.release);
    assert_eq!(
        contents(&sshd.target().join("current")),
        contents(&root.join("public"))
    );
}

#[test]
fn files_that_arrive_different_are_never_made_live() {
    let Some(sshd) = start_sshd("files_that_arrive_different_are_never_made_live") else {
        return;
    };
    let env = sshd.env();
    let site = fixture::copy("multilingual");
    let root = site.path();
    rebuild(root);
    let first = contents(&root.join("public"));
    let r1 = deploy_ok(root, &env);
    fs::create_dir_all(root.join("static")).unwrap();
    fs::write(root.join("static/moi.txt"), "TRE-MARKER-aaaa\n").unwrap();
    rebuild(root);
    // An ssh that changes a file's bytes on the way, keeping its length.
    let garble = sshd.dir.path().join("ssh-garble");
    fs::write(
        &garble,
        "#!/bin/sh\nsed 's/TRE-MARKER-aaaa/TRE-MARKER-bbbb/' | ssh \"$@\"\n",
    )
    .unwrap();
    fs::set_permissions(&garble, fs::Permissions::from_mode(0o755)).unwrap();
    let mut garble_env = env.clone();
    garble_env.insert("TRE_DEPLOY_SSH".into(), garble.display().to_string());
    let error = one_error(deploy(root, &garble_env, DeployOptions::default()));
    assert!(error.contains("moi.txt: FAILED"), "{error}");
    assert!(
        error.contains(&format!("release {} is still live", r1.release)),
        "{error}"
    );
    assert_eq!(contents(&sshd.target().join("current")), first);
}

#[test]
fn deploy_is_refused_while_another_one_runs() {
    let Some(sshd) = start_sshd("deploy_is_refused_while_another_one_runs") else {
        return;
    };
    let env = sshd.env();
    let site = fixture::copy("multilingual");
    let root = site.path();
    rebuild(root);
    let r1 = deploy_ok(root, &env);
    fs::create_dir_all(root.join("static")).unwrap();
    fs::write(root.join("static/moi.txt"), "mới\n").unwrap();
    rebuild(root);
    // Another deploy holds the lock, as the host's flock sees it.
    // -F: flock runs the command itself, so killing it frees the lock.
    let mut holder = Command::new("flock")
        .arg("-F")
        .arg(sshd.target().join(".tre-deploy.lock"))
        .args(["sh", "-c", "echo locked; exec sleep 60"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("flock (util-linux)");
    let mut line = String::new();
    BufReader::new(holder.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line, "locked\n");
    let error = one_error(deploy(root, &env, DeployOptions::default()));
    let _ = holder.kill();
    let _ = holder.wait();
    assert!(
        error.contains("another deploy to this path is running"),
        "{error}"
    );
    assert!(
        error.contains(&format!("release {} is still live", r1.release)),
        "{error}"
    );
    assert_eq!(sshd.current(), r1.release);
    let r2 = deploy_ok(root, &env);
    assert_eq!((r2.sent, r2.previous), (1, Some(r1.release)));
}

#[test]
fn old_releases_are_pruned_to_keep_releases_from_the_config() {
    let Some(sshd) = start_sshd("old_releases_are_pruned_to_keep_releases_from_the_config") else {
        return;
    };
    let site = fixture::copy("multilingual");
    let root = site.path();
    let config = root.join("config.toml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(
        &config,
        format!(
            "{text}\n[deploy]\nhost = \"127.0.0.1\"\nport = {}\nuser = \"{}\"\npath = \"{}\"\nkeep_releases = 2\n",
            sshd.port,
            sshd.user,
            sshd.target().display()
        ),
    )
    .unwrap();
    // Only the key and the host's key come from the environment.
    let env: BTreeMap<String, String> = sshd
        .env()
        .into_iter()
        .filter(|(k, _)| k == "TRE_DEPLOY_KEY" || k == "TRE_DEPLOY_KNOWN_HOSTS")
        .collect();
    fs::create_dir_all(root.join("static")).unwrap();
    let mut made = Vec::new();
    for n in 0..3 {
        fs::write(root.join("static/lan.txt"), format!("lần {n}\n")).unwrap();
        rebuild(root);
        made.push(deploy_ok(root, &env));
    }
    assert_eq!(made[2].pruned, [made[0].release.clone()]);
    let dirs: Vec<String> = sshd
        .releases()
        .into_iter()
        .filter(|r| !r.ends_with(".json"))
        .collect();
    assert_eq!(dirs, [made[1].release.clone(), made[2].release.clone()]);
    assert_eq!(sshd.releases().len(), 4, "a manifest per kept release");
}

#[test]
fn wrong_key_is_one_clear_error() {
    let Some(sshd) = start_sshd("wrong_key_is_one_clear_error") else {
        return;
    };
    let other = sshd.dir.path().join("other_key");
    keygen(&other);
    let mut env = sshd.env();
    env.insert("TRE_DEPLOY_KEY".into(), other.display().to_string());
    let site = fixture::build("multilingual");
    let error = one_error(deploy(site.dir.path(), &env, DeployOptions::default()));
    assert!(error.contains("the host refused the key"), "{error}");
    assert!(
        error.contains("help: use the key whose public half"),
        "{error}"
    );
    assert!(!sshd.target().exists());
}

#[test]
fn unknown_host_key_is_one_clear_error() {
    let Some(sshd) = start_sshd("unknown_host_key_is_one_clear_error") else {
        return;
    };
    let impostor = sshd.dir.path().join("impostor");
    keygen(&impostor);
    let pub_key = fs::read_to_string(impostor.with_extension("pub")).unwrap();
    fs::write(
        &sshd.known_hosts,
        format!("[127.0.0.1]:{} {pub_key}", sshd.port),
    )
    .unwrap();
    let site = fixture::build("multilingual");
    let error = one_error(deploy(
        site.dir.path(),
        &sshd.env(),
        DeployOptions::default(),
    ));
    assert!(
        error.contains("the host's key could not be verified"),
        "{error}"
    );
    assert!(!sshd.target().exists());
}

#[test]
fn unreachable_host_is_one_clear_error() {
    if !have_openssh("unreachable_host_is_one_clear_error") {
        return;
    }
    let site = fixture::build("multilingual");
    let env: BTreeMap<String, String> = [
        ("TRE_DEPLOY_HOST", "127.0.0.1".to_string()),
        ("TRE_DEPLOY_PORT", free_port().to_string()),
        ("TRE_DEPLOY_PATH", "/srv/portal".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let error = one_error(deploy(site.dir.path(), &env, DeployOptions::default()));
    assert!(error.contains("cannot reach the host"), "{error}");
    assert!(error.contains("Connection refused"), "{error}");
}

fn settings_env() -> BTreeMap<String, String> {
    [
        ("TRE_DEPLOY_HOST", "127.0.0.1"),
        ("TRE_DEPLOY_PATH", "/srv/portal"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

#[test]
fn missing_output_is_one_clear_error() {
    let site = fixture::copy("multilingual");
    let error = one_error(deploy(
        site.path(),
        &settings_env(),
        DeployOptions::default(),
    ));
    insta::assert_snapshot!(error, @r"
    public: error: nothing to deploy: public/ does not exist
      help: run `tre build` first; deploy publishes what the build wrote
    ");
}

#[test]
fn deploy_block_with_an_unknown_key_points_at_it() {
    let site = fixture::build("multilingual");
    let config = site.dir.path().join("config.toml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(
        &config,
        format!(
            "{text}\n[deploy]\nhost = \"portal.example.gov.vn\"\nidentity_file = \"deploy_key\"\n"
        ),
    )
    .unwrap();
    let error = one_error(deploy(
        site.dir.path(),
        &BTreeMap::new(),
        DeployOptions::default(),
    ));
    insta::assert_snapshot!(error, @r"
    config.toml:34:1: error: deploy settings: unknown field `identity_file`, expected one of `host`, `user`, `port`, `path`, `keep_releases`, `known_hosts`
      help: [deploy] takes host, user, port, path, keep_releases and known_hosts; the SSH key is never read from the site: set TRE_DEPLOY_KEY or use ssh-agent
    ");
}

#[test]
fn key_inside_the_site_is_refused() {
    let site = fixture::build("multilingual");
    let key = site.dir.path().join("deploy_key");
    fs::write(&key, "not really a key").unwrap();
    fs::set_permissions(&key, fs::Permissions::from_mode(0o600)).unwrap();
    let mut env = settings_env();
    env.insert("TRE_DEPLOY_KEY".into(), key.display().to_string());
    let error = one_error(deploy(site.dir.path(), &env, DeployOptions::default()));
    assert!(
        error.starts_with("TRE_DEPLOY_KEY: error: the key "),
        "{error}"
    );
    assert!(error.contains("is inside the site"), "{error}");
}

fn with_config(extra: &str) -> tempfile::TempDir {
    let site = fixture::copy("multilingual");
    let config = site.path().join("config.toml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(&config, format!("{text}{extra}")).unwrap();
    site
}

fn settings(
    root: &Path,
    env: &BTreeMap<String, String>,
) -> Result<tre::deploy::Settings, Vec<Diagnostic>> {
    let config = tre::config::load(root, &BuildOptions::default()).unwrap();
    tre::deploy::load_settings(root, &config, env)
}

#[test]
fn extra_deploy_block_is_read_and_the_environment_overrides_it() {
    let site = with_config(
        "deploy = { host = \"cong.example.gov.vn\", user = \"xuatban\", port = 2222, path = \"/var/www/cong\" }\n",
    );
    let s = settings(site.path(), &BTreeMap::new()).unwrap();
    assert_eq!(
        (
            s.host.as_str(),
            s.user.as_deref(),
            s.port,
            s.path.as_str(),
            s.keep_releases
        ),
        (
            "cong.example.gov.vn",
            Some("xuatban"),
            Some(2222),
            "/var/www/cong",
            5
        )
    );
    let env = [("TRE_DEPLOY_PORT", "22"), ("TRE_DEPLOY_KEEP_RELEASES", "3")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let s = settings(site.path(), &env).unwrap();
    assert_eq!(
        (s.port, s.keep_releases, s.host.as_str()),
        (Some(22), 3, "cong.example.gov.vn")
    );
}

#[test]
fn bad_deploy_settings_are_each_reported() {
    let site = with_config("\n[deploy]\nhost = \"-oProxyCommand=x\"\nkeep_releases = 1\n");
    let mut env = BTreeMap::new();
    env.insert("TRE_DEPLOY_PORT".to_string(), "cổng".to_string());
    let problems = settings(site.path(), &env).unwrap_err();
    insta::assert_snapshot!(diag::render_all(&problems), @r#"
    TRE_DEPLOY_PORT: error: `port` must be a number from 1 to 65535, found "cổng"
      help: SSH listens on 22 unless the host says otherwise
    config.toml:32:1: error: deploy: no directory on the host
      help: add `path = "/var/www/portal"` to [deploy], or set TRE_DEPLOY_PATH; point the web server at <path>/current
    config.toml:33:8: error: `host` is not a host name: "-oProxyCommand=x"
      help: write a host name or an address, as `portal.example.gov.vn`
    config.toml:34:17: error: `keep_releases` must be a number from 2 to 1000, found 1
      help: keep at least two releases, so that a rollback has one to go back to
    "#);
}

#[test]
fn two_deploy_blocks_are_an_error() {
    let site = with_config("deploy = { host = \"a\" }\n\n[deploy]\nhost = \"b\"\n");
    let problems = settings(site.path(), &BTreeMap::new()).unwrap_err();
    insta::assert_snapshot!(diag::render_all(&problems), @r"
    config.toml:31:10: error: deploy settings are given twice, in [deploy] and [extra.deploy]
      help: keep one of the two blocks
    ");
}

#[test]
fn the_cli_exits_1_with_one_diagnostic_when_there_is_nothing_to_deploy() {
    let site = fixture::copy("multilingual");
    let out = Command::new(env!("CARGO_BIN_EXE_tre"))
        .arg("--root")
        .arg(site.path())
        .arg("deploy")
        .env("TRE_DEPLOY_HOST", "127.0.0.1")
        .env("TRE_DEPLOY_PATH", "/srv/portal")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stderr), @r"
    public: error: nothing to deploy: public/ does not exist
      help: run `tre build` first; deploy publishes what the build wrote
    error: 1 problem(s); the live site is unchanged
    ");
}
