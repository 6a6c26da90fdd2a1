//! `[hosting]` on tests/fixtures/hosting: precompressed files, the CSP in pages and headers,
//! the monitoring script, the server configurations and the 404 page per language. The nginx
//! configuration is also served by a real nginx in CI (tests/browser/hosting.mjs).

use std::fs;
use std::io::Read;

use sha2::{Digest, Sha256};

use crate::fixture;

fn csp_hash(text: &str) -> String {
    use base64::Engine;
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
    )
}

fn bytes(site: &fixture::Site, path: &str) -> Vec<u8> {
    fs::read(site.dir.path().join("public").join(path)).unwrap()
}

#[test]
fn precompressed_copies_decode_to_the_file_and_skip_small_or_binary_ones() {
    let site = fixture::build("hosting");
    let files = fixture::files_under(&site.dir.path().join("public"));
    for page in [
        "index.html",
        "en/index.html",
        "tin-tuc/le-hoi/index.html",
        "big.css",
    ] {
        let original = bytes(&site, page);
        let mut gz = Vec::new();
        flate2::read::GzDecoder::new(&bytes(&site, &format!("{page}.gz"))[..])
            .read_to_end(&mut gz)
            .unwrap();
        assert_eq!(gz, original, "{page}.gz");
        let mut br = Vec::new();
        brotli::Decompressor::new(&bytes(&site, &format!("{page}.br"))[..], 4096)
            .read_to_end(&mut br)
            .unwrap();
        assert_eq!(br, original, "{page}.br");
        assert!(bytes(&site, &format!("{page}.br")).len() < original.len());
    }
    // Under the 200-byte threshold.
    assert!(!site.exists("tiny.css.gz") && !site.exists("tiny.css.br"));
    // The server configurations are not compressed copies of anything.
    assert!(files.iter().all(|f| !f.starts_with("nginx.conf.")));
    assert!(
        files
            .iter()
            .all(|f| !f.ends_with(".br.gz") && !f.ends_with(".gz.br"))
    );
}

#[test]
fn precompression_is_deterministic() {
    let a = fixture::build("hosting");
    let b = fixture::build("hosting");
    for f in ["index.html.gz", "index.html.br", "big.css.gz"] {
        assert_eq!(bytes(&a, f), bytes(&b, f), "{f} differs between builds");
    }
}

/// Pages are compressed as they are written, static files at the end: a static file that
/// replaces a page at its path (as in Zola) must not leave the page's copies behind.
#[test]
fn issue_14_a_static_file_replacing_a_page_replaces_its_compressed_copies() {
    let dir = fixture::copy("hosting");
    let stat = dir.path().join("static");
    // Replaces the English home with a file under the 200-byte threshold: no copies at all.
    fs::create_dir_all(stat.join("en")).unwrap();
    fs::write(stat.join("en/index.html"), "<p>tĩnh</p>").unwrap();
    // Replaces the article with a large static file: copies of the static file, not the page.
    let big = format!(
        "<!doctype html><title>tĩnh</title>{}",
        "<p>Tệp tĩnh thay trang.</p>\n".repeat(200)
    );
    fs::create_dir_all(stat.join("tin-tuc/le-hoi")).unwrap();
    fs::write(stat.join("tin-tuc/le-hoi/index.html"), &big).unwrap();
    let site = fixture::build_dir(dir, &tre::BuildOptions::default());
    assert_eq!(site.read("en/index.html"), "<p>tĩnh</p>");
    assert!(!site.exists("en/index.html.br") && !site.exists("en/index.html.gz"));
    assert_eq!(site.read("tin-tuc/le-hoi/index.html"), big);
    let mut gz = Vec::new();
    flate2::read::GzDecoder::new(&bytes(&site, "tin-tuc/le-hoi/index.html.gz")[..])
        .read_to_end(&mut gz)
        .unwrap();
    assert_eq!(gz, big.as_bytes());
    let mut br = Vec::new();
    brotli::Decompressor::new(&bytes(&site, "tin-tuc/le-hoi/index.html.br")[..], 4096)
        .read_to_end(&mut br)
        .unwrap();
    assert_eq!(br, big.as_bytes());
    // The other pages still have theirs.
    assert!(site.exists("index.html.br") && site.exists("index.html.gz"));
}

#[test]
fn each_page_carries_its_own_csp_meta_after_the_charset() {
    let site = fixture::build("hosting");
    let page = site.read("tin-tuc/le-hoi/index.html");
    let head = &page[..page.find("</head>").unwrap()];
    let charset = head.find("<meta charset").unwrap();
    let meta = head
        .find("<meta http-equiv=\"Content-Security-Policy\"")
        .unwrap();
    assert!(charset < meta && meta < head.find("<style>").unwrap());
    let start = meta + head[meta..].find("content=\"").unwrap() + 9;
    let policy = &head[start..start + head[start..].find('"').unwrap()];
    let page_script = csp_hash("console.log(\"page\")");
    let body_script = csp_hash("document.documentElement.classList.add(\"js\")");
    assert!(policy.contains(&page_script), "{policy}");
    assert!(policy.contains(&body_script), "{policy}");
    assert!(policy.contains(&csp_hash("body{margin:0}")), "{policy}");
    assert!(
        policy.contains(&format!("'unsafe-hashes' {}", csp_hash("color:#036"))),
        "{policy}"
    );
    // JSON-LD is data, not a script; frame-ancestors is ignored in a <meta>.
    assert!(!policy.contains(&csp_hash("{\"@type\":\"GovernmentOrganization\"}")));
    assert!(!policy.contains("frame-ancestors"));
    assert!(policy.contains("script-src 'self' "));
    assert!(policy.contains("https://emc.example.gov.vn"));
    // The home page has no page script, so its policy does not allow it.
    let home = site.read("index.html");
    assert!(!home.contains(&page_script));
    assert!(home.contains(&body_script));
}

#[test]
fn the_monitoring_script_is_on_every_page_with_its_integrity() {
    let site = fixture::build("hosting");
    let tag = "<script src=\"https://emc.example.gov.vn/js/emc.js\" integrity=\"sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC\" crossorigin=\"anonymous\" defer></script>\n</head>";
    let pages = site.html_pages();
    assert!(pages.len() >= 6);
    for (path, html) in pages {
        assert_eq!(html.matches(tag).count(), 1, "{path}");
    }
}

#[test]
fn server_configurations_send_the_site_wide_policy_and_per_language_404() {
    let site = fixture::build("hosting");
    assert!(site.read("en/404.html").contains("Page not found"));
    assert!(site.read("404.html").contains("Không tìm thấy trang"));
    let nginx = site.read("nginx.conf");
    let apache = site.read(".htaccess");
    let iis = site.read("web.config");
    let headers = site.read("_headers");
    // The site-wide policy lists the hashes of every page.
    for config in [&nginx, &apache, &headers] {
        assert!(config.contains(&csp_hash("console.log(\"page\")")));
        assert!(config.contains("frame-ancestors 'self' https://chinhphu.vn"));
        assert!(config.contains("Strict-Transport-Security"));
        assert!(config.contains("X-Content-Type-Options"));
        assert!(config.contains("Referrer-Policy"));
        assert!(config.contains("Permissions-Policy"));
    }
    assert!(
        iis.contains("frame-ancestors &apos;self&apos;") || iis.contains("frame-ancestors 'self'")
    );
    assert!(nginx.contains("gzip_static on;"));
    assert!(nginx.contains("location /en/ {\n    error_page 404 /en/404.html;"));
    assert!(apache.contains("ErrorDocument 404 /en/404.html"));
    assert!(iis.contains("<location path=\"en\">"));
    // 'self' plus an origin: no X-Frame-Options, which cannot say that.
    assert!(!nginx.contains("X-Frame-Options"));
    assert!(nginx.contains("public, max-age=31536000, immutable"));
}

#[test]
fn without_hosting_a_zola_site_gets_no_extra_files() {
    let site = fixture::build("multilingual");
    let files = fixture::files_under(&site.dir.path().join("public"));
    for f in &files {
        assert!(
            !f.ends_with(".gz") && !f.ends_with(".br") && f != "nginx.conf" && f != "_headers",
            "{f}"
        );
    }
    assert!(!site.read("index.html").contains("Content-Security-Policy"));
}

#[test]
fn an_unknown_hosting_key_is_reported_at_its_position() {
    insta::assert_snapshot!(fixture::build_err("invalid/hosting-unknown-key"));
}

#[test]
fn bad_csp_sources_are_reported_at_their_values() {
    insta::assert_snapshot!(fixture::build_err("invalid/hosting-bad-origin"));
}

/// Captions, a video, a picture and a font beside the hosting fixture's pages.
fn hosting_with_media() -> tempfile::TempDir {
    let dir = fixture::copy("hosting");
    let s = dir.path().join("static");
    fs::create_dir_all(s.join("media")).unwrap();
    let mut vtt = String::from("WEBVTT\n\n");
    for i in 0..20 {
        vtt.push_str(&format!(
            "00:00:{i:02}.000 --> 00:00:{i:02}.900\nLễ hội đền Hùng, câu thứ {i}.\n\n"
        ));
    }
    fs::write(s.join("media/le-hoi.vi.vtt"), vtt).unwrap();
    fs::write(
        s.join("media/le-hoi.webm"),
        b"\x1a\x45\xdf\xa3 not a real video",
    )
    .unwrap();
    fs::write(
        s.join("media/le-hoi.mp4"),
        b"\0\0\0\x18ftypmp42 not a real video",
    )
    .unwrap();
    fs::write(s.join("media/anh.webp"), b"RIFF\0\0\0\0WEBPVP8 ").unwrap();
    fs::write(s.join("media/anh.avif"), b"\0\0\0\x1cftypavif").unwrap();
    fs::write(s.join("media/chu.woff2"), b"wOF2 not a real font").unwrap();
    dir
}

const MEDIA: [(&str, &str); 6] = [
    ("vtt", "text/vtt"),
    ("webm", "video/webm"),
    ("mp4", "video/mp4"),
    ("webp", "image/webp"),
    ("avif", "image/avif"),
    ("woff2", "font/woff2"),
];

#[test]
fn issue_14_captions_are_precompressed_and_every_server_config_maps_the_media_types() {
    let site = fixture::build_dir(hosting_with_media(), &tre::BuildOptions::default());
    let vtt = bytes(&site, "media/le-hoi.vi.vtt");
    let mut gz = Vec::new();
    flate2::read::GzDecoder::new(&bytes(&site, "media/le-hoi.vi.vtt.gz")[..])
        .read_to_end(&mut gz)
        .unwrap();
    assert_eq!(gz, vtt);
    assert!(bytes(&site, "media/le-hoi.vi.vtt.br").len() < vtt.len());

    let apache = site.read(".htaccess");
    let iis = site.read("web.config");
    for (ext, ty) in MEDIA {
        let add = if ty.starts_with("text/") {
            format!("AddType \"{ty}; charset=utf-8\" .{ext}\n")
        } else {
            format!("AddType {ty} .{ext}\n")
        };
        assert!(apache.contains(&add), "{add}");
        // IIS refuses a <mimeMap> the server already has, unless it is removed first.
        let map = format!(
            "<remove fileExtension=\".{ext}\" />\n      <mimeMap fileExtension=\".{ext}\" mimeType=\"{ty}\" />"
        );
        assert_eq!(iis.matches(&map).count(), 1, "{map}\n{iis}");
    }
    assert!(
        apache.contains(
            "<FilesMatch \"\\.vtt\\.(br|gz)$\">\n    ForceType \"text/vtt; charset=utf-8\""
        )
    );
    let static_content =
        &iis[iis.find("<staticContent>").unwrap()..iis.find("</staticContent>").unwrap()];
    assert!(static_content.contains("<mimeMap fileExtension=\".woff2\""));
}

/// The nginx Debian ships, with the brotli module the generated configuration turns on.
const NGINX: &str = "/usr/sbin/nginx";
const BROTLI_MODULE: &str = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";

struct Nginx(std::process::Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One HTTP/1.1 GET on loopback (nginx's gzip_static ignores HTTP/1.0): the status line and headers (lower-case names).
fn head_of(port: u16, path: &str, accept_encoding: &str) -> (String, Vec<(String, String)>) {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAccept-Encoding: {accept_encoding}\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8_lossy(&response);
    let head = &text[..text.find("\r\n\r\n").unwrap()];
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn issue_14_nginx_serves_captions_videos_pictures_and_fonts_with_their_types() {
    let test = "issue_14_nginx_serves_captions_videos_pictures_and_fonts_with_their_types";
    if !std::path::Path::new(NGINX).exists() || !std::path::Path::new(BROTLI_MODULE).exists() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{test}: CI=true but nginx is missing ({NGINX}, {BROTLI_MODULE})"
        );
        eprintln!(
            "\n######## SKIPPED {test}: needs nginx (Debian: apt-get install nginx-light libnginx-mod-http-brotli-static). CI runs it. ########\n"
        );
        return;
    }
    let site = fixture::build_dir(hosting_with_media(), &tre::BuildOptions::default());
    let public = site.dir.path().join("public");
    let work = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let w = work.path().display();
    // As Debian's nginx.conf has it: the stock mime.types in `http`, the site's server below.
    let main = format!(
        "load_module {BROTLI_MODULE};\nuser root;\ndaemon off;\nmaster_process off;\npid {w}/nginx.pid;\n\
         error_log {w}/error.log warn;\nevents {{ worker_connections 16; }}\nhttp {{\n\
         include /etc/nginx/mime.types;\ndefault_type application/octet-stream;\naccess_log off;\n\
         client_body_temp_path {w}/body; proxy_temp_path {w}/proxy; fastcgi_temp_path {w}/fastcgi;\n\
         uwsgi_temp_path {w}/uwsgi; scgi_temp_path {w}/scgi;\n\
         server {{\nlisten 127.0.0.1:{port};\nroot {p};\ninclude {p}/nginx.conf;\n}}\n}}\n",
        p = public.display()
    );
    let conf = work.path().join("nginx-main.conf");
    fs::write(&conf, main).unwrap();
    let checked = std::process::Command::new(NGINX)
        .args(["-t", "-c"])
        .arg(&conf)
        .arg("-p")
        .arg(work.path())
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&checked.stderr);
    assert!(checked.status.success(), "nginx -t: {log}");
    assert!(!log.contains("duplicate"), "nginx -t warns: {log}");
    let _nginx = Nginx(
        std::process::Command::new(NGINX)
            .arg("-c")
            .arg(&conf)
            .arg("-p")
            .arg(work.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(std::time::Instant::now() < until, "nginx did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let files = [
        ("le-hoi.vi.vtt", "text/vtt"),
        ("le-hoi.webm", "video/webm"),
        ("le-hoi.mp4", "video/mp4"),
        ("anh.webp", "image/webp"),
        ("anh.avif", "image/avif"),
        ("chu.woff2", "font/woff2"),
    ];
    for (file, ty) in files {
        let (status, headers) = head_of(port, &format!("/media/{file}"), "identity");
        assert!(status.contains(" 200 "), "{file}: {status}");
        let got = header(&headers, "content-type").unwrap_or("");
        assert!(
            got.starts_with(ty),
            "{file}: Content-Type {got}, wanted {ty}"
        );
        assert_eq!(header(&headers, "x-content-type-options"), Some("nosniff"));
    }
    // The captions' precompressed copies keep the captions' type.
    for enc in ["br", "gzip"] {
        let (status, headers) = head_of(port, "/media/le-hoi.vi.vtt", enc);
        assert!(status.contains(" 200 "), "{enc}: {status}");
        assert_eq!(header(&headers, "content-encoding"), Some(enc));
        assert_eq!(
            header(&headers, "content-type"),
            Some("text/vtt; charset=utf-8")
        );
    }
    // The server's own table is replaced, not lost: pages and styles keep their types.
    for (path, ty) in [
        ("/", "text/html; charset=utf-8"),
        ("/big.css", "text/css; charset=utf-8"),
    ] {
        let (_, headers) = head_of(port, path, "identity");
        assert_eq!(header(&headers, "content-type"), Some(ty), "{path}");
    }
}

/// Debian's Apache: the binary and the module directory the generated httpd.conf loads from.
const APACHE: &str = "/usr/sbin/apache2";
const APACHE_MODULES: &str = "/usr/lib/apache2/modules";

/// Apache started with `-X` (one process, no children), so killing it leaves nothing behind.
struct Apache(std::process::Child);

impl Drop for Apache {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One HTTP/1.1 GET on loopback: the status line, the headers (lower-case names) and the body
/// as sent (chunked transfer coding removed, content coding kept).
fn get(port: u16, path: &str, accept_encoding: &str) -> (String, Vec<(String, String)>, Vec<u8>) {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAccept-Encoding: {accept_encoding}\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("{path}: no end of headers"));
    let text = String::from_utf8_lossy(&response[..end]).into_owned();
    let mut lines = text.split("\r\n");
    let status = lines.next().unwrap().to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut raw = &response[end + 4..];
    let body = if header(&headers, "transfer-encoding") == Some("chunked") {
        let mut body = Vec::new();
        loop {
            let line_end = raw.windows(2).position(|w| w == b"\r\n").unwrap();
            let size_text = String::from_utf8_lossy(&raw[..line_end]).into_owned();
            let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16)
                .unwrap_or_else(|_| panic!("{path}: bad chunk size {size_text:?}"));
            raw = &raw[line_end + 2..];
            if size == 0 {
                break;
            }
            body.extend_from_slice(&raw[..size]);
            raw = &raw[size + 2..];
        }
        body
    } else {
        raw.to_vec()
    };
    (status, headers, body)
}

fn all<'a>(headers: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    headers
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// The body with its content coding undone, as a browser sees it.
fn decoded(headers: &[(String, String)], body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match header(headers, "content-encoding") {
        None => out.extend_from_slice(body),
        Some("gzip") => {
            flate2::read::GzDecoder::new(body)
                .read_to_end(&mut out)
                .unwrap();
        }
        Some("br") => {
            brotli::Decompressor::new(body, 4096)
                .read_to_end(&mut out)
                .unwrap();
        }
        Some(other) => panic!("unexpected Content-Encoding {other}"),
    }
    out
}

/// Whether this process runs as root (a file it creates is owned by uid 0).
fn running_as_root(dir: &std::path::Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let probe = dir.join("uid-probe");
    fs::write(&probe, b"").unwrap();
    fs::metadata(&probe).unwrap().uid() == 0
}

#[test]
fn issue_14_apache_serves_the_generated_htaccess() {
    use std::fmt::Write as _;
    let test = "issue_14_apache_serves_the_generated_htaccess";
    if !std::path::Path::new(APACHE).exists() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{test}: CI=true but Apache is missing ({APACHE})"
        );
        eprintln!(
            "\n######## SKIPPED {test}: needs Apache (Debian: apt-get install apache2). CI runs it. ########\n"
        );
        return;
    }
    let site = fixture::build_dir(hosting_with_media(), &tre::BuildOptions::default());
    let public = site.dir.path().join("public");
    let work = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // Apache refuses to serve as root. As root, the test runs it as `nobody`, which must be
    // able to reach public/ and write its pid and log files.
    let nobody = running_as_root(work.path()).then_some(65534u32);
    if let Some(uid) = nobody {
        use std::os::unix::fs::PermissionsExt;
        for dir in [site.dir.path(), work.path()] {
            fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
        }
        std::os::unix::fs::chown(work.path(), Some(uid), Some(uid)).unwrap();
    }
    let w = work.path().display();
    let p = public.display();
    let m = APACHE_MODULES;
    let mut modules = String::new();
    for (name, file) in [
        ("mpm_event", "mpm_event"),
        ("authz_core", "authz_core"),
        ("dir", "dir"),
        ("mime", "mime"),
        ("headers", "headers"),
        ("rewrite", "rewrite"),
        ("filter", "filter"),
        ("deflate", "deflate"),
        ("brotli", "brotli"),
        ("expires", "expires"),
        ("setenvif", "setenvif"),
    ] {
        if std::path::Path::new(&format!("{m}/mod_{file}.so")).exists() {
            let _ = writeln!(modules, "LoadModule {name}_module {m}/mod_{file}.so");
        }
    }
    // As Debian's apache2.conf and its default modules have them: the stock mime.conf
    // (which maps `.br` to the Breton language) and deflate.conf (which compresses HTML, CSS
    // and scripts on the fly), with the site's directory open to its .htaccess; and brotli on
    // the fly too, as an admin who enables mod_brotli would have it.
    let main = format!(
        "{modules}ServerName 127.0.0.1\nListen 127.0.0.1:{port}\nPidFile {w}/apache.pid\n\
         ErrorLog {w}/error.log\nLogLevel warn\nDefaultRuntimeDir {w}\nMutex file:{w}\n\
         Include /etc/apache2/mods-available/mime.conf\n\
         Include /etc/apache2/mods-available/deflate.conf\n\
         <IfModule mod_brotli.c>\n    AddOutputFilterByType BROTLI_COMPRESS text/html text/plain text/css text/javascript text/vtt\n</IfModule>\n\
         DirectoryIndex index.html\nDocumentRoot {p}\n\
         <Directory />\n    AllowOverride None\n    Require all denied\n</Directory>\n\
         <Directory {p}>\n    AllowOverride All\n    Require all granted\n</Directory>\n\
         <FilesMatch \"^\\.ht\">\n    Require all denied\n</FilesMatch>\n"
    );
    let conf = work.path().join("httpd.conf");
    fs::write(&conf, main).unwrap();
    let apache = |args: &[&str]| {
        let mut c = std::process::Command::new(APACHE);
        c.args(["-d"])
            .arg(work.path())
            .arg("-f")
            .arg(&conf)
            .args(args);
        if let Some(uid) = nobody {
            use std::os::unix::process::CommandExt;
            c.uid(uid).gid(uid);
        }
        c
    };
    let checked = apache(&["-t"]).output().unwrap();
    let log = String::from_utf8_lossy(&checked.stderr);
    assert!(checked.status.success(), "apache2 -t: {log}");
    let _apache = Apache(
        apache(&["-X"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        let error_log = fs::read_to_string(work.path().join("error.log")).unwrap_or_default();
        assert!(
            std::time::Instant::now() < until,
            "Apache did not start: {error_log}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let error_log = || fs::read_to_string(work.path().join("error.log")).unwrap_or_default();

    // Every response carries the site's security headers, from the .htaccess.
    let htaccess = site.read(".htaccess");
    let csp = htaccess
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Header always set Content-Security-Policy ")
        })
        .unwrap()
        .trim_matches('"')
        .to_string();
    for path in [
        "/",
        "/en/",
        "/tin-tuc/le-hoi/",
        "/big.css",
        "/media/anh.webp",
        "/khong-co/",
    ] {
        let (status, headers, _) = get(port, path, "identity");
        assert!(
            !status.contains(" 500 "),
            "{path}: {status}\n{}",
            error_log()
        );
        assert_eq!(
            header(&headers, "content-security-policy"),
            Some(csp.as_str()),
            "{path}"
        );
        assert!(
            csp.contains("frame-ancestors 'self' https://chinhphu.vn"),
            "{csp}"
        );
        assert!(csp.contains(&csp_hash("console.log(\"page\")")), "{csp}");
        assert_eq!(
            header(&headers, "x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert!(
            header(&headers, "strict-transport-security")
                .is_some_and(|v| v.starts_with("max-age=")),
            "{path}: {headers:?}"
        );
        assert!(header(&headers, "referrer-policy").is_some(), "{path}");
        assert!(header(&headers, "permissions-policy").is_some(), "{path}");
    }

    // Pages, styles and captions: the precompressed copy for each encoding the client takes,
    // with the original's type, no language taken from `.br`, and never compressed twice.
    for (path, file, ty) in [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/en/", "en/index.html", "text/html; charset=utf-8"),
        (
            "/tin-tuc/le-hoi/",
            "tin-tuc/le-hoi/index.html",
            "text/html; charset=utf-8",
        ),
        ("/big.css", "big.css", "text/css; charset=utf-8"),
        (
            "/media/le-hoi.vi.vtt",
            "media/le-hoi.vi.vtt",
            "text/vtt; charset=utf-8",
        ),
    ] {
        let original = bytes(&site, file);
        for (accept, enc) in [("br", "br"), ("gzip", "gzip"), ("gzip, deflate, br", "br")] {
            let (status, headers, body) = get(port, path, accept);
            let what = format!("{path} with Accept-Encoding: {accept}");
            assert!(
                status.contains(" 200 "),
                "{what}: {status}\n{}",
                error_log()
            );
            assert_eq!(
                header(&headers, "content-encoding"),
                Some(enc),
                "{what}: {headers:?}"
            );
            assert_eq!(header(&headers, "content-type"), Some(ty), "{what}");
            assert_ne!(header(&headers, "content-language"), Some("br"), "{what}");
            assert!(
                all(&headers, "vary")
                    .iter()
                    .any(|v| v.contains("Accept-Encoding")),
                "{what}: {headers:?}"
            );
            let ext = if enc == "br" { "br" } else { "gz" };
            assert_eq!(
                body,
                bytes(&site, &format!("{file}.{ext}")),
                "{what}: not the file"
            );
            assert_eq!(decoded(&headers, &body), original, "{what}");
        }
        // Without Accept-Encoding, the file itself, and caches told it varies; the copies
        // keep the file's cache lifetime.
        let (status, headers, body) = get(port, path, "identity");
        let (_, compressed, _) = get(port, path, "gzip, br");
        assert_eq!(
            header(&compressed, "cache-control"),
            header(&headers, "cache-control"),
            "{path}"
        );
        assert!(status.contains(" 200 "), "{path}: {status}");
        assert_eq!(header(&headers, "content-encoding"), None, "{path}");
        assert_eq!(header(&headers, "content-type"), Some(ty), "{path}");
        assert_eq!(body, original, "{path}");
        assert!(
            all(&headers, "vary")
                .iter()
                .any(|v| v.contains("Accept-Encoding")),
            "{path} identity: {headers:?}"
        );
    }

    // The on-the-fly filters are really on: a text without copies (under the 200-byte
    // threshold, and longer than mod_deflate's minimum) is compressed by them.
    let small = "Liên hệ: Văn phòng Ủy ban nhân dân tỉnh. ".repeat(3);
    assert!(small.len() < 200 && !site.exists("tiny.txt.gz"));
    fs::write(public.join("tiny.txt"), &small).unwrap();
    for (accept, enc) in [("br", "br"), ("gzip", "gzip")] {
        let (_, headers, body) = get(port, "/tiny.txt", accept);
        assert_eq!(
            header(&headers, "content-encoding"),
            Some(enc),
            "/tiny.txt {accept}"
        );
        assert_eq!(decoded(&headers, &body), small.as_bytes());
    }

    // Media types from the .htaccess and Debian's mime.types.
    for (file, ty) in [
        ("le-hoi.vi.vtt", "text/vtt; charset=utf-8"),
        ("le-hoi.webm", "video/webm"),
        ("le-hoi.mp4", "video/mp4"),
        ("anh.webp", "image/webp"),
        ("anh.avif", "image/avif"),
        ("chu.woff2", "font/woff2"),
    ] {
        let (status, headers, body) = get(port, &format!("/media/{file}"), "gzip, br");
        assert!(status.contains(" 200 "), "{file}: {status}");
        assert_eq!(header(&headers, "content-type"), Some(ty), "{file}");
        assert_eq!(
            decoded(&headers, &body),
            bytes(&site, &format!("media/{file}")),
            "{file}"
        );
    }

    // Cache lifetimes: short for pages, longer for other files.
    let html_cache = header(&get(port, "/", "identity").1, "cache-control").map(str::to_string);
    let css_cache =
        header(&get(port, "/big.css", "identity").1, "cache-control").map(str::to_string);
    assert!(
        html_cache
            .as_deref()
            .is_some_and(|c| c.starts_with("public, max-age="))
    );
    assert!(
        css_cache
            .as_deref()
            .is_some_and(|c| c.starts_with("public, max-age="))
    );
    assert_ne!(html_cache, css_cache);

    // The 404 page of the language the missing URL is in, with status 404.
    for (path, file, words) in [
        ("/khong-co/", "404.html", "Không tìm thấy trang"),
        ("/tin-tuc/khong-co", "404.html", "Không tìm thấy trang"),
        ("/en/missing/", "en/404.html", "Page not found"),
    ] {
        for accept in ["identity", "gzip, br"] {
            let (status, headers, body) = get(port, path, accept);
            assert!(status.contains(" 404 "), "{path}: {status}");
            let page = String::from_utf8(decoded(&headers, &body)).unwrap();
            assert!(page.contains(words), "{path} ({accept}): {page}");
            assert_eq!(page.as_bytes(), bytes(&site, file), "{path} ({accept})");
            assert_eq!(
                header(&headers, "content-type"),
                Some("text/html; charset=utf-8")
            );
        }
    }

    // The generated configurations are not served, nor a folder's listing.
    for path in [
        "/nginx.conf",
        "/web.config",
        "/_headers",
        "/.htaccess",
        "/media/",
    ] {
        let (status, _, _) = get(port, path, "identity");
        assert!(
            status.contains(" 404 ") || status.contains(" 403 "),
            "{path}: {status}"
        );
    }
    // Nothing but the refused .htaccess in the error log: no bad directive, no rewrite loop.
    let log = error_log();
    let bad: Vec<&str> = log
        .lines()
        .filter(|l| (l.contains(":error]") || l.contains(":alert]")) && !l.contains("AH01630"))
        .collect();
    assert!(bad.is_empty(), "{log}");
}
