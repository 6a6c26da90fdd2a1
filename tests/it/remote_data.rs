//! `load_data(url=…)` (issue 16): a real HTTP server on loopback, started by each test with
//! std's `TcpListener`, answers the fixture's requests and counts them.

use std::collections::HashMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use tre::BuildOptions;

use crate::fixture;

/// What the server answers on a path: a status and a body, or nothing at all.
#[derive(Clone)]
enum Answer {
    Ok(&'static str),
    Status(u16),
    /// Accepts the connection and never answers.
    Silence,
}

/// One request as the server read it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: String,
}

struct Server {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    fn start(routes: &[(&str, Answer)]) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let routes: Arc<HashMap<String, Answer>> = Arc::new(
            routes
                .iter()
                .map(|(p, a)| ((*p).to_string(), a.clone()))
                .collect(),
        );
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (routes, log) = (Arc::clone(&routes), Arc::clone(&log));
                thread::spawn(move || answer(stream, &routes, &log));
            }
        });
        Server { base, seen }
    }

    fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn answer(stream: TcpStream, routes: &HashMap<String, Answer>, log: &Mutex<Vec<Seen>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).unwrap();
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (name, value) = h.split_once(':').unwrap();
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map_or(0, |(_, v)| v.parse().unwrap());
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    log.lock().unwrap().push(Seen {
        method,
        path: path.clone(),
        headers,
        body: String::from_utf8(body).unwrap(),
    });
    let (status, text) = match routes.get(&path) {
        Some(Answer::Ok(text)) => (200, *text),
        Some(Answer::Status(code)) => (*code, "lỗi"),
        Some(Answer::Silence) => {
            thread::sleep(Duration::from_secs(20));
            return;
        }
        None => (404, "không có"),
    };
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
}

const JSON: &str = r#"{"ten": "Sơn Vân", "dan_so": 1250000}"#;
const TOML: &str = "[co_quan]\nten = \"Ủy ban nhân dân tỉnh\"\n";
const CSV: &str = "Mã,Tên xã\n01,Tân Lập\n02,Hòa Bình\n";
const PLAIN: &str = "Lịch tiếp công dân: thứ Năm";

fn data_routes() -> Vec<(&'static str, Answer)> {
    vec![
        ("/tinh.json", Answer::Ok(JSON)),
        ("/co-quan.toml", Answer::Ok(TOML)),
        ("/xa.csv", Answer::Ok(CSV)),
        ("/thong-bao.txt", Answer::Ok(PLAIN)),
    ]
}

/// A copy of the `remote-data` fixture whose `api` is `base`, with `extra` config lines.
fn site_for(base: &str, extra: &str) -> tempfile::TempDir {
    let dir = fixture::copy("remote-data");
    point_at(dir.path(), base, extra);
    dir
}

fn point_at(root: &Path, base: &str, extra: &str) {
    let config = fs::read_to_string(fixture::source("remote-data").join("config.toml")).unwrap();
    let config = config.replace("http://127.0.0.1:9", base);
    fs::write(root.join("config.toml"), format!("{extra}\n{config}")).unwrap();
}

fn offline() -> BuildOptions {
    BuildOptions {
        is_offline: true,
        ..BuildOptions::default()
    }
}

fn build(dir: &tempfile::TempDir, opts: &BuildOptions) -> String {
    if let Err(p) = tre::build(dir.path(), opts) {
        panic!("the site failed to build:\n{}", tre::diag::render_all(&p));
    }
    fs::read_to_string(dir.path().join("public/index.html")).unwrap()
}

fn cache_entries(root: &Path) -> usize {
    fs::read_dir(root.join(".tre-cache/load_data"))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[test]
fn issue_16_remote_json_toml_csv_and_plain_are_parsed_as_zola_does() {
    let server = Server::start(&data_routes());
    let dir = site_for(&server.base, "");
    let html = build(&dir, &BuildOptions::default());
    assert!(
        html.contains(r#"<p id="json">Sơn Vân: 1250000 người</p>"#),
        "{html}"
    );
    assert!(html.contains(r#"<p id="toml">Ủy ban nhân dân tỉnh</p>"#));
    assert!(html.contains(r#"<p id="csv">Mã,Tên xã|01,Tân Lập;02,Hòa Bình;</p>"#));
    assert!(html.contains(&format!(r#"<p id="plain">{PLAIN}</p>"#)));
    // Without `format`, a URL's answer is plain text whatever its name ends with.
    assert!(
        html.contains(r#"<p id="raw-json">{&quot;ten&quot;: &quot;Sơn Vân&quot;"#),
        "{html}"
    );
    // Four URLs, one request each: the same URL in two formats is asked once.
    let mut paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    paths.sort();
    assert_eq!(
        paths,
        ["/co-quan.toml", "/thong-bao.txt", "/tinh.json", "/xa.csv"]
    );
    assert_eq!(cache_entries(dir.path()), 4);
}

#[test]
fn issue_16_a_second_build_and_an_offline_one_take_remote_data_from_the_cache() {
    let server = Server::start(&data_routes());
    let dir = site_for(&server.base, "");
    let first = build(&dir, &BuildOptions::default());
    assert_eq!(server.requests().len(), 4);
    let second = build(&dir, &BuildOptions::default());
    assert_eq!(server.requests().len(), 4, "the second build asked again");
    assert_eq!(first, second);
    let third = build(&dir, &offline());
    assert_eq!(
        server.requests().len(),
        4,
        "an offline build made a request"
    );
    assert_eq!(first, third);
}

#[test]
fn issue_16_offline_without_the_cache_names_the_template_and_the_url() {
    let server = Server::start(&data_routes());
    let dir = site_for(&server.base, "");
    let err = fixture::build_dir_err(&dir, &offline());
    let url = format!("{}/tinh.json", server.base);
    assert!(err.contains("index.html"), "{err}");
    assert!(err.contains(&format!("`{url}` is not in")), "{err}");
    assert!(err.contains("--offline"), "{err}");
    assert!(server.requests().is_empty(), "--offline made a request");
}

#[test]
fn issue_16_an_unreachable_server_is_an_error_with_the_cause_and_the_offline_hint() {
    // A port that was just free: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = site_for(&format!("http://127.0.0.1:{port}"), "");
    let err = fixture::build_dir_err(&dir, &BuildOptions::default());
    assert!(err.contains("template index.html"), "{err}");
    assert!(
        err.contains(&format!("cannot fetch `http://127.0.0.1:{port}/tinh.json`")),
        "{err}"
    );
    assert!(err.contains("build with `--offline`"), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.contains("error")).count(),
        1,
        "{err}"
    );
}

#[test]
fn issue_16_a_silent_server_times_out_after_load_data_timeout() {
    let server = Server::start(&[("/tinh.json", Answer::Silence)]);
    let dir = site_for(&server.base, "load_data_timeout = 0.5");
    let start = Instant::now();
    let err = fixture::build_dir_err(&dir, &BuildOptions::default());
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "the timeout was not applied"
    );
    assert!(
        err.contains(&format!(
            "`{}/tinh.json` did not answer within 0.5 s",
            server.base
        )),
        "{err}"
    );
    assert!(err.contains("load_data_timeout"), "{err}");
}

#[test]
fn issue_16_http_404_is_an_error_and_null_with_required_false() {
    let server = Server::start(&[("/tinh.json", Answer::Status(404))]);
    let dir = site_for(&server.base, "");
    let err = fixture::build_dir_err(&dir, &BuildOptions::default());
    assert!(
        err.contains(&format!("`{}/tinh.json` answered HTTP 404", server.base)),
        "{err}"
    );
    fs::write(
        dir.path().join("templates/index.html"),
        "{% set d = load_data(url=config.extra.api ~ \"/tinh.json\", format=\"json\", required=false) %}\
         {% if d %}có dữ liệu{% else %}không có dữ liệu{% endif %}",
    )
    .unwrap();
    assert_eq!(build(&dir, &BuildOptions::default()), "không có dữ liệu");
    assert_eq!(cache_entries(dir.path()), 0, "an error answer was cached");
}

#[test]
fn issue_16_post_sends_the_body_content_type_and_headers() {
    let server = Server::start(&[("/tra-cuu", Answer::Ok(JSON))]);
    let dir = site_for(&server.base, "");
    let template = "{% set d = load_data(url=config.extra.api ~ \"/tra-cuu\", format=\"json\", \
        method=\"POST\", content_type=\"application/json\", body='{\"ma\":\"01\"}', \
        headers=[\"accept=application/json\", \"x-co-quan=ubnd\"]) %}{{ d.ten }}";
    fs::write(dir.path().join("templates/index.html"), template).unwrap();
    assert_eq!(build(&dir, &BuildOptions::default()), "Sơn Vân");
    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    let r = &seen[0];
    assert_eq!(
        (r.method.as_str(), r.body.as_str()),
        ("POST", r#"{"ma":"01"}"#)
    );
    let header = |name: &str| {
        r.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(header("content-type"), ["application/json"]);
    assert_eq!(header("x-co-quan"), ["ubnd"]);
    assert!(header("accept").contains(&"application/json"), "{r:?}");
    // Another body is another request, not the cached answer.
    fs::write(
        dir.path().join("templates/index.html"),
        template.replace("\"01\"", "\"02\""),
    )
    .unwrap();
    build(&dir, &BuildOptions::default());
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn issue_16_cache_entries_no_build_uses_are_removed_and_used_ones_kept() {
    let server = Server::start(&data_routes());
    let dir = site_for(&server.base, "");
    build(&dir, &BuildOptions::default());
    assert_eq!(cache_entries(dir.path()), 4);
    // Make the entries look old, as if from yesterday's build.
    let yesterday = std::time::SystemTime::now() - Duration::from_secs(86_400);
    for e in fs::read_dir(dir.path().join(".tre-cache/load_data")).unwrap() {
        let f = fs::File::options()
            .write(true)
            .open(e.unwrap().path())
            .unwrap();
        f.set_modified(yesterday).unwrap();
    }
    fs::write(
        dir.path().join("templates/index.html"),
        "{{ load_data(url=config.extra.api ~ \"/thong-bao.txt\") }}",
    )
    .unwrap();
    assert_eq!(build(&dir, &offline()), PLAIN);
    assert_eq!(cache_entries(dir.path()), 1, "unused entries were kept");
    assert_eq!(build(&dir, &offline()), PLAIN, "the used entry was removed");
}

#[test]
fn issue_16_a_bad_load_data_timeout_points_at_its_value() {
    let dir = site_for("http://127.0.0.1:9", "load_data_timeout = -1");
    let err = fixture::build_dir_err(&dir, &BuildOptions::default());
    assert!(
        err.contains("config.toml:1:21: error: `load_data_timeout` must be a number of seconds"),
        "{err}"
    );
}

#[test]
fn issue_16_tre_build_and_check_offline_flags_reach_load_data() {
    let server = Server::start(&data_routes());
    let dir = site_for(&server.base, "");
    let tre = env!("CARGO_BIN_EXE_tre");
    let check = std::process::Command::new(tre)
        .arg("--root")
        .arg(dir.path())
        .args(["check", "--offline"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!check.status.success());
    assert!(String::from_utf8_lossy(&check.stderr).contains("--offline` forbids requests"));
    let run = |offline: bool| {
        let mut cmd = std::process::Command::new(tre);
        cmd.arg("--root").arg(dir.path()).arg("build");
        if offline {
            cmd.arg("--offline");
        }
        cmd.stdin(std::process::Stdio::null()).output().unwrap()
    };
    let out = run(true);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("is not in `.tre-cache/load_data/`"),
        "{stderr}"
    );
    assert!(run(false).status.success());
    assert!(run(true).status.success());
    assert_eq!(server.requests().len(), 4);
}
