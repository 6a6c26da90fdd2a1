//! Issue 10: nothing written or read outside the site, no lost sources or output, no crash on
//! bad input. Each finding of the issue has a test here, named after it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tre::{BuildOptions, diag};

use crate::fixture;

/// A fixture copied to `<tmp>/a/b/site`, so a path that escapes the site lands in the
/// temporary directory (where the test can look for it), never in the real /tmp.
fn nested(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("a/b/site");
    fixture::copy_dir(&fixture::source(name), &root);
    (tmp, root)
}

fn build(root: &Path, opts: &BuildOptions) -> Result<tre::BuildReport, String> {
    tre::build(root, opts).map_err(|p| diag::render_all(&p))
}

/// Every file under the temporary directory, but the site's own sources.
fn written_outside(tmp: &Path, root: &Path) -> Vec<String> {
    fixture::files_under(tmp)
        .into_iter()
        .filter(|p| !tmp.join(p).starts_with(root.join("content")))
        .filter(|p| !tmp.join(p).starts_with(root.join("templates")))
        .filter(|p| tmp.join(p) != root.join("config.toml"))
        .collect()
}

fn tre_bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tre"))
}

#[test]
fn issue_10_01_an_alias_outside_the_output_is_refused_at_its_key() {
    let (tmp, root) = nested("invalid/alias-outside-output");
    let config = fs::read_to_string(root.join("config.toml")).unwrap();
    let err = build(&root, &BuildOptions::default()).unwrap_err();
    assert!(
        err.starts_with("content/tin.md:3:1: error: front matter: `aliases` gives the URL \"../config.toml\", which would be written outside the output directory"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(root.join("config.toml")).unwrap(),
        config
    );
    assert!(!root.join("public").exists());
    assert_eq!(written_outside(tmp.path(), &root), Vec::<String>::new());
}

#[test]
fn issue_10_02_a_page_path_outside_the_output_is_refused_at_its_key() {
    let (tmp, root) = nested("invalid/path-outside-output");
    let err = build(&root, &BuildOptions::default()).unwrap_err();
    assert!(
        err.starts_with(
            "content/tin.md:3:1: error: front matter: `path` gives the URL \"/../../somewhere/\""
        ),
        "{err}"
    );
    assert!(err.contains("help: write a path inside the site"), "{err}");
    assert_eq!(written_outside(tmp.path(), &root), Vec::<String>::new());
}

#[test]
fn issue_10_03_a_taxonomy_term_outside_the_output_is_refused_at_its_key() {
    let (tmp, root) = nested("invalid/term-outside-output");
    let err = build(&root, &BuildOptions::default()).unwrap_err();
    assert!(
        err.starts_with("content/tin.md:5:1: error: front matter: `taxonomies.tags` gives the URL \"/tags/../../../x/\""),
        "{err}"
    );
    assert_eq!(written_outside(tmp.path(), &root), Vec::<String>::new());
}

#[test]
fn issue_10_01_an_output_path_outside_the_staging_dir_is_never_written() {
    // The last line of defence, for outputs no front matter names (config, templates).
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let target = tmp.path().join("site/public");
    let files = ["../x.html", "/abs.html", "a//b.html", "./c.html"]
        .map(|p| tre::output::OutputFile::text(p, "x".into()));
    let t = tre::output::Target {
        root: &site,
        theme_dir: None,
        dir: &target,
        force: false,
    };
    let errors = tre::output::commit(t, files.to_vec(), false).unwrap_err();
    assert_eq!(errors.len(), 4, "{errors:?}");
    assert!(errors[0].message.contains("outside the output directory"));
    assert_eq!(fixture::files_under(tmp.path()), Vec::<String>::new());
}

/// `tre build` run in `root` with the default `--root .`.
fn build_here(root: &Path) -> (bool, String) {
    let out = tre_bin()
        .arg("build")
        .current_dir(root)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn issue_10_04_load_data_outside_the_site_is_refused_with_root_dot() {
    let (_tmp, root) = nested("invalid/load-data-outside-site");
    fs::write(root.join("../secret.txt"), "mật khẩu").unwrap();
    let (ok, stderr) = build_here(&root);
    assert!(!ok, "the build published a file beside the site");
    assert!(
        stderr.contains("`../secret.txt` is outside the site"),
        "{stderr}"
    );
    assert!(!root.join("public").exists());
    // The same with an absolute --root.
    let err = build(&root, &BuildOptions::default()).unwrap_err();
    assert!(err.contains("`../secret.txt` is outside the site"), "{err}");
}

#[cfg(unix)]
#[test]
fn issue_10_05_load_data_does_not_follow_a_symlink_out_of_the_site() {
    let (tmp, root) = nested("invalid/load-data-outside-site");
    let secret = tmp.path().join("secret.txt");
    fs::write(&secret, "mật khẩu").unwrap();
    std::os::unix::fs::symlink(&secret, root.join("static/passwd")).unwrap();
    let index = fs::read_to_string(root.join("templates/index.html")).unwrap();
    fs::write(
        root.join("templates/index.html"),
        index.replace("../secret.txt", "passwd"),
    )
    .unwrap();
    let (ok, stderr) = build_here(&root);
    assert!(!ok, "the build published the symlink's target");
    assert!(stderr.contains("`passwd` is outside the site"), "{stderr}");
    // A symlink that stays inside the site is followed.
    fs::remove_file(root.join("static/passwd")).unwrap();
    std::os::unix::fs::symlink(
        root.join("static/gioi-thieu.txt"),
        root.join("static/passwd"),
    )
    .unwrap();
    build(&root, &BuildOptions::default()).unwrap();
    let html = fs::read_to_string(root.join("public/index.html")).unwrap();
    assert!(html.contains("Trang tĩnh"), "{html}");
    assert!(!html.contains("mật khẩu"));
}

fn sources_of(root: &Path) -> Vec<String> {
    fixture::files_under(&root.join("content"))
}

#[test]
fn issue_10_06_the_output_directory_is_never_the_site_or_a_source() {
    let site = fixture::copy("multilingual");
    let root = site.path();
    let before = sources_of(root);
    let with = |dir: PathBuf| BuildOptions {
        output_dir: Some(dir),
        ..BuildOptions::default()
    };
    for (dir, what) in [
        (root.to_path_buf(), "is the site itself"),
        (root.join("."), "is the site itself"),
        (root.join(".."), "contains the site"),
        (root.join("content"), "inside the source folder content"),
        (root.join("static/x"), "inside the source folder static"),
        (
            root.join("templates/../locales"),
            "inside the source folder locales",
        ),
    ] {
        let err = build(root, &with(dir.clone())).unwrap_err();
        assert!(err.contains(what), "{}: {err}", dir.display());
        assert!(
            err.contains("help: choose another output directory"),
            "{err}"
        );
        assert_eq!(sources_of(root), before, "{} lost sources", dir.display());
    }
    // `output_dir = "content"` in config.toml, the same.
    let config = fs::read_to_string(root.join("config.toml")).unwrap();
    fs::write(
        root.join("config.toml"),
        format!("output_dir = \"content\"\n{config}"),
    )
    .unwrap();
    let err = build(root, &BuildOptions::default()).unwrap_err();
    assert!(err.contains("inside the source folder content"), "{err}");
    assert_eq!(sources_of(root), before);
}

#[test]
fn issue_10_06_a_folder_tre_did_not_write_is_replaced_only_with_force() {
    let site = fixture::copy("multilingual");
    let root = site.path();
    fs::create_dir_all(root.join("public")).unwrap();
    fs::write(root.join("public/ghi-chu.txt"), "của tôi").unwrap();
    let err = build(root, &BuildOptions::default()).unwrap_err();
    assert!(err.contains("was not written by tre"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert!(root.join("public/ghi-chu.txt").exists());
    let forced = BuildOptions {
        force: true,
        ..BuildOptions::default()
    };
    build(root, &forced).unwrap();
    assert!(!root.join("public/ghi-chu.txt").exists());
    // What tre wrote, it replaces without asking.
    assert!(root.join("public/.tre-output").is_file());
    build(root, &BuildOptions::default()).unwrap();
}

#[test]
fn issue_10_07_a_build_after_a_kill_between_the_renames_restores_the_site_first() {
    let site = fixture::build("multilingual");
    let root = site.dir.path();
    let home = site.read("index.html");
    // Killed after moving the old output aside, before moving the new one in.
    fs::rename(root.join("public"), root.join(".public.tre-old")).unwrap();
    // And this build fails.
    fs::write(root.join("templates/page.html"), "{% if %}").unwrap();
    build(root, &BuildOptions::default()).unwrap_err();
    assert_eq!(site.read("index.html"), home);
    assert!(!root.join(".public.tre-old").exists());
}

#[test]
fn issue_10_08_two_builds_at_once_into_one_output_both_succeed() {
    let site = fixture::build("multilingual");
    let root = site.dir.path();
    for _round in 0..3 {
        let results: Vec<Result<tre::BuildReport, String>> = std::thread::scope(|s| {
            let builds: Vec<_> = (0..3)
                .map(|_| s.spawn(|| build(root, &BuildOptions::default())))
                .collect();
            builds.into_iter().map(|b| b.join().unwrap()).collect()
        });
        for r in results {
            r.unwrap();
        }
        assert!(root.join("public/index.html").is_file());
    }
    let leftovers: Vec<_> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tre-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn issue_10_08_a_build_fails_clearly_while_another_process_holds_the_lock() {
    let site = fixture::build("multilingual");
    let root = site.dir.path();
    let lock = root.join(".public.tre-lock");
    fs::write(&lock, "").unwrap();
    // flock(1) takes the same kind of lock (flock(2)) a build takes.
    let mut holder = Command::new("flock")
        .arg(&lock)
        .args(["-c", "echo held; sleep 30"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(holder.stdout.as_mut().unwrap()),
        &mut line,
    )
    .unwrap();
    assert_eq!(line, "held\n");
    let err = build(root, &BuildOptions::default()).unwrap_err();
    holder.kill().unwrap();
    holder.wait().unwrap();
    assert!(
        err.contains("another build is writing this output directory"),
        "{err}"
    );
    assert!(!err.contains("disk space"), "{err}");
    assert!(root.join("public/index.html").is_file());
}

#[test]
fn issue_10_10_resize_image_beyond_the_caps_is_an_error_not_an_allocation() {
    let (_tmp, root) = nested("invalid/load-data-outside-site");
    image::RgbImage::new(8, 8)
        .save(root.join("static/anh.png"))
        .unwrap();
    fs::write(
        root.join("templates/index.html"),
        r#"<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Ảnh</title></head><body>{% set r = resize_image(path="anh.png", width=100000, height=100000, op="scale") %}<img src="{{ r.url }}" alt=""></body></html>"#,
    )
    .unwrap();
    let err = build(&root, &BuildOptions::default()).unwrap_err();
    assert!(
        err.contains(
            "would be 100000×100000 pixels; tre makes pictures of at most 16384 pixels a side"
        ),
        "{err}"
    );
    // Within the caps, the same call works.
    let index = fs::read_to_string(root.join("templates/index.html")).unwrap();
    fs::write(
        root.join("templates/index.html"),
        index.replace("width=100000, height=100000", "width=4, height=4"),
    )
    .unwrap();
    build(&root, &BuildOptions::default()).unwrap();
}

#[test]
fn issue_10_10_decoding_a_picture_beyond_the_caps_is_refused() {
    let (_tmp, root) = nested("invalid/load-data-outside-site");
    // A 20000×1 PNG: small on disk, but wider than any picture tre decodes.
    image::GrayImage::new(20_000, 1)
        .save(root.join("static/rong.png"))
        .unwrap();
    fs::write(
        root.join("templates/index.html"),
        r#"<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Ảnh</title></head><body>{% set r = resize_image(path="rong.png", width=10, op="fit_width") %}<img src="{{ r.url }}" alt=""></body></html>"#,
    )
    .unwrap();
    let err = build(&root, &BuildOptions::default()).unwrap_err();
    assert!(
        err.contains("the source image for `rong.png` would be 20000×1 pixels"),
        "{err}"
    );
}

#[test]
fn issue_10_11_built_in_feeds_sitemaps_and_redirects_escape_what_they_insert() {
    let site = fixture::build("feed-odd-path");
    for xml in ["atom.xml", "rss.xml", "sitemap.xml"] {
        let text = site.read(xml);
        if let Err(e) = roxmltree::Document::parse(&text) {
            panic!("{xml} is not well-formed XML: {e}\n{text}");
        }
        assert!(
            text.contains("tin/&quot;a&quot;&lt;b&gt;&amp;c/"),
            "{xml} lost the permalink:\n{text}"
        );
    }
    let alias = site.read("cu/\"x\"<y>/index.html");
    assert!(
        alias.contains(r#"href="https://x.example.vn/tin/&quot;a&quot;&lt;b&gt;&amp;c/""#),
        "{alias}"
    );
}

/// Runs `tre build` on a copy of a fixture in a child process, so a crash cannot take the
/// test binary down; returns the exit code and stderr.
fn build_in_child(name: &str) -> (Option<i32>, String, tempfile::TempDir) {
    let dir = fixture::copy(name);
    let out = tre_bin()
        .arg("--root")
        .arg(dir.path())
        .arg("build")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        dir,
    )
}

#[test]
fn issue_10_09_endless_template_recursion_is_a_diagnostic_with_the_chain() {
    for (fixture, expected) in [
        (
            "invalid/macro-calls-itself",
            "templates/macros.html: error: template: an include or macro call never ends: macros.html::menu → macros.html::menu",
        ),
        (
            "invalid/templates-include-each-other",
            "templates/a.html: error: template: an include or macro call never ends: a.html → b.html → a.html",
        ),
        (
            "invalid/shortcode-includes-itself",
            "templates/shortcodes/hinh.html: error: template: an include or macro call never ends: shortcodes/hinh.html → shortcodes/hinh.html",
        ),
    ] {
        let (code, stderr, dir) = build_in_child(fixture);
        assert_eq!(code, Some(1), "{fixture}: {stderr}");
        assert!(stderr.starts_with(expected), "{fixture}: {stderr}");
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("public"))
            .collect();
        assert!(left.is_empty(), "{fixture} left {left:?}");
    }
}

#[test]
fn issue_10_09_recursion_under_a_condition_still_renders() {
    let (_tmp, root) = nested("invalid/macro-calls-itself");
    fs::write(
        root.join("templates/macros.html"),
        "{% macro menu(n) %}<li>{{ n }}{% if n < 3 %}{{ self::menu(n=n + 1) }}{% endif %}</li>{% endmacro menu %}\n",
    )
    .unwrap();
    build(&root, &BuildOptions::default()).unwrap();
    let html = fs::read_to_string(root.join("public/index.html")).unwrap();
    assert!(html.contains("<li>1<li>2<li>3</li></li></li>"), "{html}");
}

#[test]
fn issue_10_12_a_broken_shortcode_call_is_an_error_at_the_call() {
    let err = fixture::build_err("invalid/broken-shortcodes");
    insta::assert_snapshot!(err, @r"
    content/tin.md:4:27: error: shortcode `video`: the call has no `)` before `}}`
      help: write arguments as name=value, separated by commas, where a value is a string in quotes, a number, `true`, `false` or an array; to escape a call, write {{/* … */}} or {%/* … */%}
    content/tin.md:6:1: error: shortcode `trich_dan` has no `{% end %}`
      help: close a shortcode with a body with `{% end %}` on its own line; to escape a call, write {{/* … */}} or {%/* … */%}
    content/tin.md:9:33: error: shortcode `video`: expected `=` after `abc`
      help: write arguments as name=value, separated by commas, where a value is a string in quotes, a number, `true`, `false` or an array; to escape a call, write {{/* … */}} or {%/* … */%}
    ");
}

#[test]
fn issue_10_12_invalid_shortcodes_text_keeps_zolas_way_with_a_warning() {
    let dir = fixture::copy("invalid/broken-shortcodes");
    let config = dir.path().join("config.toml");
    let mut text = fs::read_to_string(&config).unwrap();
    text.push_str("\n[markdown]\ninvalid_shortcodes = \"text\"\n");
    fs::write(&config, text).unwrap();
    let site = fixture::build_dir(dir, &BuildOptions::default());
    let html = site.read("tin/index.html");
    assert!(
        html.contains("{{ video(id=&quot;abc&quot; }}") || html.contains("{{ video(id=\"abc\" }}"),
        "{html}"
    );
    assert!(
        html.contains("{% trich_dan(tac_gia=\"Bác Hồ\") %}"),
        "{html}"
    );
    insta::assert_snapshot!(diag::render_all(&site.report.warnings), @r"
    content/tin.md:4:27: warning: shortcode `video`: the call has no `)` before `}}`; the call is left as text
      help: write arguments as name=value, separated by commas, where a value is a string in quotes, a number, `true`, `false` or an array
    content/tin.md:6:1: warning: shortcode `trich_dan` has no `{% end %}`; the call is left as text
      help: close a shortcode with a body with `{% end %}` on its own line
    content/tin.md:9:33: warning: shortcode `video`: expected `=` after `abc`; the call is left as text
      help: write arguments as name=value, separated by commas, where a value is a string in quotes, a number, `true`, `false` or an array
    ");
}

#[test]
fn issue_10_12_an_unknown_invalid_shortcodes_value_is_a_config_error() {
    let dir = fixture::copy("invalid/broken-shortcodes");
    let config = dir.path().join("config.toml");
    let mut text = fs::read_to_string(&config).unwrap();
    text.push_str("\n[markdown]\ninvalid_shortcodes = \"warn\"\n");
    fs::write(&config, text).unwrap();
    let err = fixture::build_dir_err(&dir, &BuildOptions::default());
    assert!(
        err.contains("markdown.invalid_shortcodes must be \"error\" or \"text\", found \"warn\""),
        "{err}"
    );
}

/// `tre serve --port 0` in a child process, on a copy of the multilingual fixture; its address
/// comes from the line it prints. Killed when dropped.
struct ServeChild {
    child: std::process::Child,
    addr: std::net::SocketAddr,
    _dir: tempfile::TempDir,
}

impl ServeChild {
    fn start(extra: &[&str]) -> Self {
        use std::io::BufRead;
        let dir = fixture::copy("multilingual");
        let mut child = tre_bin()
            .arg("--root")
            .arg(dir.path())
            .args(["serve", "--port", "0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = std::io::BufReader::new(stdout).lines();
        let addr = loop {
            let line = lines
                .next()
                .expect("tre serve ended before serving")
                .unwrap();
            if let Some(url) = line.strip_prefix("Serving at http://") {
                break url.split('/').next().unwrap().parse().unwrap();
            }
        };
        // Keep reading stdout so that the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Self {
            child,
            addr,
            _dir: dir,
        }
    }

    fn threads(&self) -> usize {
        fs::read_dir(format!("/proc/{}/task", self.child.id()))
            .unwrap()
            .count()
    }
}

impl Drop for ServeChild {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends `head` (request line and headers, without the final blank line) and returns the
/// whole answer.
fn raw_request(addr: std::net::SocketAddr, head: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    s.write_all(format!("{head}\r\n\r\n").as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn status_of(response: &str) -> u16 {
    response
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

#[test]
fn issue_10_13_an_oversized_request_header_is_refused_not_read() {
    use std::io::{Read, Write};
    let serve = ServeChild::start(&[]);
    // 64 KiB of header: answered 431 once the 16 KiB limit is passed.
    let mut s = std::net::TcpStream::connect(serve.addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    let big = format!(
        "GET / HTTP/1.1\r\nHost: {}\r\nX-Big: {}",
        serve.addr,
        "a".repeat(64 * 1024)
    );
    s.write_all(big.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert_eq!(status_of(&answer), 431, "{answer}");
    // A header that never ends: the server stops reading, so the client cannot send 256 MiB.
    let mut s = std::net::TcpStream::connect(serve.addr).unwrap();
    s.set_write_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nX-Big: ").unwrap();
    let chunk = vec![b'a'; 64 * 1024];
    let mut sent = 0usize;
    while sent < 256 << 20 {
        match s.write(&chunk) {
            Ok(n) => sent += n,
            Err(_) => break,
        }
    }
    assert!(
        sent < 64 << 20,
        "the server took {sent} bytes of one header"
    );
    let rss = fs::read_to_string(format!("/proc/{}/status", serve.child.id())).unwrap();
    let peak_kib: u64 = rss
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap();
    assert!(peak_kib < 200 * 1024, "peak memory {peak_kib} KiB");
    let ok = raw_request(
        serve.addr,
        &format!("GET / HTTP/1.1\r\nHost: {}", serve.addr),
    );
    assert_eq!(status_of(&ok), 200, "{ok}");
}

#[test]
fn issue_10_13_idle_connections_do_not_add_threads() {
    let serve = ServeChild::start(&[]);
    let before = serve.threads();
    let idle: Vec<_> = (0..500)
        .map(|_| std::net::TcpStream::connect(serve.addr).unwrap())
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let during = serve.threads();
    assert!(
        during <= before + 1,
        "{before} threads before 500 idle connections, {during} with them"
    );
    // Workers and queue full: a new request is told so at once, not left waiting.
    let busy = raw_request(
        serve.addr,
        &format!("GET / HTTP/1.1\r\nHost: {}", serve.addr),
    );
    assert_eq!(status_of(&busy), 503, "{busy}");
    drop(idle);
    let start = std::time::Instant::now();
    loop {
        let ok = raw_request(
            serve.addr,
            &format!("GET / HTTP/1.1\r\nHost: {}", serve.addr),
        );
        if status_of(&ok) == 200 {
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(15),
            "still refused after the idle connections closed: {ok}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn issue_10_13_a_host_that_is_not_this_machine_is_refused() {
    let serve = ServeChild::start(&[]);
    let port = serve.addr.port();
    for host in [
        "evil.example",
        "evil.example:1111",
        "localhost.evil.example",
    ] {
        for path in ["/", "/__tre/", "/__tre/i18n"] {
            let answer = raw_request(serve.addr, &format!("GET {path} HTTP/1.1\r\nHost: {host}"));
            assert_eq!(status_of(&answer), 403, "{host} {path}: {answer}");
            assert!(!answer.contains("<html"), "{host} {path}: {answer}");
        }
    }
    let answer = raw_request(serve.addr, "GET / HTTP/1.1");
    assert_eq!(status_of(&answer), 400, "no Host: {answer}");
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "tre.localhost".to_string(),
    ] {
        let answer = raw_request(serve.addr, &format!("GET /__tre/ HTTP/1.1\r\nHost: {host}"));
        assert_eq!(status_of(&answer), 200, "{host}: {answer}");
    }
}

#[test]
fn issue_10_13_a_foreign_origin_cannot_use_the_live_reload_socket_or_status_pages() {
    let serve = ServeChild::start(&[]);
    let host = serve.addr.to_string();
    let ws = |origin: &str| {
        raw_request(
            serve.addr,
            &format!(
                "GET /__tre/livereload HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n\
                 Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\
                 Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: {origin}"
            ),
        )
    };
    for origin in ["http://evil.example", "null", "http://localhost:1"] {
        let answer = ws(origin);
        assert_eq!(status_of(&answer), 403, "{origin}: {answer}");
        let answer = raw_request(
            serve.addr,
            &format!("GET /__tre/i18n HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}"),
        );
        assert_eq!(status_of(&answer), 403, "{origin}: {answer}");
    }
    // The page's own origin opens the socket (the test reads the 101, then closes).
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(serve.addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    write!(
        s,
        "GET /__tre/livereload HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n\
         Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://{host}\r\n\r\n"
    )
    .unwrap();
    let mut head = [0u8; 12];
    s.read_exact(&mut head).unwrap();
    assert_eq!(&head, b"HTTP/1.1 101");
}

#[test]
fn issue_10_13_serve_listens_on_loopback_by_default() {
    let serve = ServeChild::start(&[]);
    assert!(serve.addr.ip().is_loopback(), "{}", serve.addr);
}

#[test]
fn issue_10_09_recursion_whose_condition_never_turns_false_is_an_error_not_an_abort() {
    for (fixture, expected) in [
        (
            "invalid/macro-recursion-under-condition",
            "content/_index.md: error: template index.html: Failed to render 'index.html': error while rendering macro `self::menu`: templates nest too deeply: an include or macro call repeats without end (its condition never turns false)\n",
        ),
        (
            "invalid/shortcode-recursion-under-condition",
            "content/tin.md:4:1: error: shortcode `hinh`: Failed to render 'shortcodes/hinh.html': templates nest too deeply: an include or macro call repeats without end (its condition never turns false)\n",
        ),
    ] {
        let (code, stderr, dir) = build_in_child(fixture);
        assert_eq!(code, Some(1), "{fixture}: {stderr}");
        assert!(stderr.starts_with(expected), "{fixture}: {stderr}");
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("public"))
            .collect();
        assert!(left.is_empty(), "{fixture} left {left:?}");
    }
}

#[test]
fn issue_10_09_deep_but_finite_recursion_still_renders() {
    let (_tmp, root) = nested("invalid/macro-calls-itself");
    fs::write(
        root.join("templates/macros.html"),
        "{% macro menu(n) %}<li>{{ n }}{% if n < 200 %}{{ self::menu(n=n + 1) }}{% endif %}</li>{% endmacro menu %}\n",
    )
    .unwrap();
    build(&root, &BuildOptions::default()).unwrap();
    let html = fs::read_to_string(root.join("public/index.html")).unwrap();
    assert!(html.contains("<li>199<li>200</li></li>"), "{html}");
}

/// Builds a fixture that must fail, and checks the previous `public/` survived it untouched.
fn build_err_keeping_public(name: &str) -> String {
    let (_tmp, root) = nested(name);
    let public = root.join("public");
    fs::create_dir_all(&public).unwrap();
    fs::write(public.join(tre::output::MARKER), "").unwrap();
    fs::write(public.join("index.html"), "trang cũ").unwrap();
    let err = build(&root, &BuildOptions::default()).unwrap_err();
    assert_eq!(
        fixture::files_under(&public),
        ["index.html"],
        "a failed build changed public/"
    );
    assert_eq!(
        fs::read_to_string(public.join("index.html")).unwrap(),
        "trang cũ"
    );
    err
}

#[test]
fn issue_10_fuzz_a_page_path_that_is_another_outputs_file_is_an_error_naming_both() {
    let err = build_err_keeping_public("invalid/page-path-is-a-file");
    assert!(
        err.starts_with("content/tin.md:3:1: error: front matter: `path` makes this page write index.html/index.html, which needs index.html to be a folder, but content/_index.md writes the file index.html"),
        "{err}"
    );
    assert_eq!(err.matches(": error: ").count(), 1, "{err}");
}

#[test]
fn issue_10_fuzz_a_term_under_another_outputs_file_is_an_error_naming_both() {
    let err = build_err_keeping_public("invalid/term-under-a-file");
    assert!(
        err.starts_with("content/tin.md:5:1: error: front matter: `taxonomies.tags` makes this page write tags/index.html/x/index.html, which needs tags/index.html to be a folder, but config.toml (the list of taxonomy `tags`) writes the file tags/index.html"),
        "{err}"
    );
    assert_eq!(err.matches(": error: ").count(), 1, "{err}");
}

#[test]
fn issue_10_fuzz_two_pages_writing_one_file_is_an_error_naming_both() {
    let err = build_err_keeping_public("invalid/two-pages-one-output");
    assert!(
        err.starts_with("content/b.md:3:1: error: front matter: `path` makes this page write tin/index.html, which content/a.md:3:1 writes too"),
        "{err}"
    );
    assert_eq!(err.matches(": error: ").count(), 1, "{err}");
}

#[test]
fn issue_10_fuzz_an_alias_over_another_page_is_an_error_naming_both() {
    let err = build_err_keeping_public("invalid/alias-over-a-page");
    assert!(
        err.starts_with("content/cu.md:3:1: error: front matter: `aliases` makes this page write tin/index.html, which content/tin.md writes too"),
        "{err}"
    );
}

#[test]
fn issue_10_fuzz_outputs_that_clash_outside_front_matter_are_an_error_naming_both() {
    // The last line of defence, for outputs no front matter names (static files, feeds).
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let target = tmp.path().join("site/public");
    for files in [
        ["a/index.html", "a/index.html/x.css"],
        ["a/index.html/x.css", "a/index.html"],
    ] {
        let files = files.map(|p| tre::output::OutputFile::text(p, "x".into()));
        let t = tre::output::Target {
            root: &site,
            theme_dir: None,
            dir: &target,
            force: false,
        };
        let errors = tre::output::commit(t, files.to_vec(), false).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        let text = diag::render_all(&errors);
        assert!(
            text.contains("a/index.html") && text.contains("a/index.html/x.css"),
            "{text}"
        );
        assert!(!target.exists());
    }
}
