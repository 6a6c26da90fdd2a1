//! Issue 16, item 3: `minify_html = true` (getting-started/configuration.md). Builds
//! `minify-html` and compares its pages with Zola 0.22.1's output of the same fixture
//! (`tests/fixtures/minify-html.zola/`), byte for byte.

use std::fs;

use crate::fixture;

#[test]
fn issue_16_minify_html_gives_zolas_bytes() {
    let site = fixture::build("minify-html");
    let zola = fixture::source("minify-html.zola");
    let pages: Vec<String> = fixture::files_under(&zola)
        .into_iter()
        .filter(|p| p.ends_with(".html"))
        .collect();
    assert_eq!(pages.len(), 4, "{pages:?}");
    for page in pages {
        let want = fs::read_to_string(zola.join(&page)).unwrap();
        assert_eq!(site.read(&page), want, "public/{page} differs from Zola's");
    }
    let warnings = tre::diag::render_all(&site.report.warnings);
    assert!(!warnings.contains("minify_html"), "{warnings}");
}

#[test]
fn issue_16_minify_html_keeps_pre_textarea_and_scripts_and_minifies_css() {
    let page = fixture::build("minify-html").read("tin-tuc/le-hoi/index.html");
    for want in [
        "<pre>\n  giữ   nguyên\n     khoảng trắng\n  </pre>",
        "<textarea name=ghi-chu>  ghi   chú  </textarea>",
        "<script>// JavaScript is not minified (minify_js = false)\n    var  dem = 1 ;",
        "<style>body{color:#333;max-width:40rem;margin:0 auto}.tag,.date{font-weight:700}</style>",
        "<h1 style=color:red;margin:0>",
        "<a href=https://example.org/tin-tuc/>Tin tức</a> | <span class=tag>Mới</span><em>nhất</em>",
    ] {
        assert!(page.contains(want), "no {want:?} in\n{page}");
    }
}

#[test]
fn issue_16_without_minify_html_pages_are_written_as_rendered() {
    let dir = fixture::copy("minify-html");
    let config = dir.path().join("config.toml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(
        &config,
        text.replace("minify_html = true", "minify_html = false"),
    )
    .unwrap();
    let page = fixture::build_dir(dir, &tre::BuildOptions::default()).read("index.html");
    assert!(
        page.starts_with("<!DOCTYPE html>\n<html lang=\"vi\">"),
        "{page}"
    );
    assert!(
        page.contains("<!-- styles: minified by minify_css -->"),
        "{page}"
    );
}
