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
