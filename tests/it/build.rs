//! Whole-site builds of tests/fixtures/multilingual: URLs, translations, hreflang,
//! pagination, taxonomies, feeds, sitemap, aliases and colocated assets.

use crate::fixture;

#[test]
fn pages_get_zola_urls_in_every_language() {
    let site = fixture::build("multilingual");
    assert_eq!((site.report.pages, site.report.sections), (5, 8));
    for path in [
        "index.html",
        "en/index.html",
        "zh-Hans/index.html",
        "hnj/index.html",
        "tin-tuc/index.html",
        "tin-tuc/lich-su-dinh-lang/index.html",
        "en/tin-tuc/lich-su-dinh-lang/index.html",
        "zh-Hans/tin-tuc/lich-su-dinh-lang/index.html",
        "tin-tuc/le-hoi-mua-xuan/index.html",
        "tin-tuc/le-hoi-mua-xuan/anh.png",
        "tin-tuc/thong-bao/index.html",
    ] {
        assert!(site.exists(path), "missing public/{path}");
    }
}

#[test]
fn every_page_declares_its_language_and_alternates() {
    let site = fixture::build("multilingual");
    for (path, html) in site.html_pages() {
        assert!(html.contains("<html lang="), "{path} has no <html lang>");
    }
    let page = site.read("en/tin-tuc/lich-su-dinh-lang/index.html");
    assert!(page.contains("<html lang=\"en\">"), "{page}");
    for (lang, url) in [
        (
            "vi",
            "https://tinh.example.gov.vn/tin-tuc/lich-su-dinh-lang/",
        ),
        (
            "en",
            "https://tinh.example.gov.vn/en/tin-tuc/lich-su-dinh-lang/",
        ),
        (
            "zh-Hans",
            "https://tinh.example.gov.vn/zh-Hans/tin-tuc/lich-su-dinh-lang/",
        ),
        (
            "x-default",
            "https://tinh.example.gov.vn/tin-tuc/lich-su-dinh-lang/",
        ),
    ] {
        let link = format!("<link rel=\"alternate\" hreflang=\"{lang}\" href=\"{url}\">");
        assert!(page.contains(&link), "missing {link}");
    }
}

#[test]
fn internal_links_and_summaries_render() {
    let site = fixture::build("multilingual");
    let page = site.read("tin-tuc/lich-su-dinh-lang/index.html");
    assert!(
        page.contains("href=\"https://tinh.example.gov.vn/tin-tuc/le-hoi-mua-xuan/#chuong-trinh\""),
        "{page}"
    );
    assert!(
        page.contains("<p class=\"summary\"><p>Ngôi đình được xây dựng từ thế kỷ XVII.</p>"),
        "{page}"
    );
    assert!(
        page.contains("id=\"kien-truc\""),
        "Vietnamese heading gets an ASCII slug id: {page}"
    );
}

#[test]
fn sections_paginate_and_sort_by_date() {
    let site = fixture::build("multilingual");
    let first = site.read("tin-tuc/index.html");
    let lich_su = first.find("Lịch sử Đình làng").expect("newest first");
    let le_hoi = first.find("Lễ hội mùa xuân").expect("second");
    assert!(lich_su < le_hoi);
    assert!(first.contains("rel=\"next\" href=\"https://tinh.example.gov.vn/tin-tuc/page/2/\""));
    let second = site.read("tin-tuc/page/2/index.html");
    assert!(
        second.contains("Thông báo"),
        "dated file name gives the date: {second}"
    );
    assert!(
        site.read("tin-tuc/page/1/index.html")
            .contains("https://tinh.example.gov.vn/tin-tuc/")
    );
}

#[test]
fn fluent_and_config_translations_reach_templates() {
    let site = fixture::build("multilingual");
    assert!(
        site.read("index.html")
            .contains("Chuyển đến nội dung chính")
    );
    let en = site.read("en/index.html");
    assert!(en.contains("Skip to main content"), "{en}");
    assert!(en.contains("3 articles"), "{en}");
    assert!(en.contains(">News</a>"), "{en}");
    // zh-Hans has no `articles`: its chain is en, then vi.
    assert!(site.read("zh-Hans/index.html").contains("3 articles"));
    // hnj has no messages at all: vi first.
    assert!(
        site.read("hnj/index.html")
            .contains("Chuyển đến nội dung chính")
    );
}

#[test]
fn taxonomies_are_per_language() {
    let site = fixture::build("multilingual");
    let list = site.read("tags/index.html");
    assert!(list.contains("Văn hóa</a> (2)"), "{list}");
    let term = site.read("tags/van-hoa/index.html");
    assert!(term.contains("Lễ hội mùa xuân") && term.contains("Lịch sử Đình làng"));
    assert!(site.exists("en/tags/history/index.html"));
    assert!(
        site.exists("tags/van-hoa/atom.xml"),
        "tags have feed = true in vi"
    );
}

#[test]
fn feeds_sitemap_robots_and_aliases_are_written() {
    let site = fixture::build("multilingual");
    let atom = site.read("atom.xml");
    assert!(atom.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"vi\">"));
    assert!(atom.contains("<title>Lịch sử Đình làng</title>"));
    assert!(
        !atom.contains("History of the communal house"),
        "only vi pages in the vi feed"
    );
    assert!(
        site.read("en/atom.xml")
            .contains("History of the communal house")
    );
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains(
        "<xhtml:link rel=\"alternate\" hreflang=\"zh-Hans\" href=\"https://tinh.example.gov.vn/zh-Hans/tin-tuc/lich-su-dinh-lang/\"/>"
    ));
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://tinh.example.gov.vn/sitemap.xml")
    );
    assert!(
        site.read("le-hoi/index.html")
            .contains("url=https://tinh.example.gov.vn/tin-tuc/le-hoi-mua-xuan/")
    );
}

#[test]
fn a_rebuild_replaces_the_output_atomically() {
    let site = fixture::build("multilingual");
    let dir = site.dir.path();
    std::fs::write(dir.join("public/stale.html"), "old").unwrap();
    tre::build(dir, &tre::BuildOptions::default()).unwrap();
    assert!(!dir.join("public/stale.html").exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tre-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_build_failing_while_pages_are_written_keeps_the_previous_site_whole() {
    let site = fixture::build("multilingual");
    let root = site.dir.path();
    let before = site.read("tin-tuc/lich-su-dinh-lang/index.html");
    // Other pages render and stream into the staging directory before this one fails.
    std::fs::write(
        root.join("content/tin-tuc/hong.md"),
        "+++\ntitle = \"Hỏng\"\ndate = 2024-01-01\ntemplate = \"khong-co.html\"\n+++\nNội dung.\n",
    )
    .unwrap();
    let problems = tre::build(root, &tre::BuildOptions::default()).unwrap_err();
    let printed = tre::diag::render_all(&problems);
    assert!(printed.contains("content/tin-tuc/hong.md"), "{printed}");
    assert!(printed.contains("khong-co.html"), "{printed}");
    assert_eq!(site.read("tin-tuc/lich-su-dinh-lang/index.html"), before);
    assert!(!site.exists("tin-tuc/hong/index.html"));
    let leftovers: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tre-"))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}
