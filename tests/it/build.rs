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

/// `build_search_index` writes Zola's Fuse.js shape per language that asks for it: sections
/// then their pages, the fields `[search]` includes, body text without markup.
#[test]
fn search_indexes_are_written_per_language_in_the_fuse_shape() {
    let dir = fixture::copy("multilingual");
    let config = std::fs::read_to_string(dir.path().join("config.toml")).unwrap();
    let config = config
        .replacen(
            "taxonomies = [{ name = \"tags\", feed = true }]\n",
            "taxonomies = [{ name = \"tags\", feed = true }]\nbuild_search_index = true\n\
             [search]\nindex_format = \"fuse_json\"\ninclude_description = true\n\
             truncate_content_length = 20\n",
            1,
        )
        .replacen(
            "fallback = [\"vi\"]\n",
            "fallback = [\"vi\"]\nbuild_search_index = true\n\
             search = { index_format = \"fuse_javascript\", include_path = true }\n",
            1,
        );
    std::fs::write(dir.path().join("config.toml"), config).unwrap();
    let report = tre::build(dir.path(), &Default::default())
        .unwrap_or_else(|p| panic!("{}", tre::diag::render_all(&p)));
    assert!(
        report
            .warnings
            .iter()
            .all(|w| !w.message.contains("search"))
    );
    let public = dir.path().join("public");
    assert!(!public.join("search_index.zh-Hans.json").exists());

    let vi: serde_json::Value =
        serde_json::from_slice(&std::fs::read(public.join("search_index.vi.json")).unwrap())
            .unwrap();
    let items = vi.as_array().unwrap();
    let page = items
        .iter()
        .find(|i| i["url"] == "https://tinh.example.gov.vn/tin-tuc/lich-su-dinh-lang/")
        .expect("the page is in the vi index");
    assert_eq!(page["title"], "Lịch sử Đình làng");
    assert_eq!(page["description"], "Ngôi đình cổ");
    assert_eq!(
        page["body"], "Ngôi đình được xây d",
        "20 characters, not bytes"
    );
    assert!(page.get("path").is_none(), "include_path is off for vi");
    assert!(
        items
            .iter()
            .all(|i| !i["url"].as_str().unwrap().contains("/en/")),
        "only vi pages in the vi index"
    );

    let en = std::fs::read_to_string(public.join("search_index.en.js")).unwrap();
    let json = en
        .strip_prefix("window.searchIndex = ")
        .and_then(|s| s.strip_suffix(';'))
        .expect("the JavaScript form assigns window.searchIndex");
    let en: serde_json::Value = serde_json::from_str(json).unwrap();
    let paths: Vec<&str> = en
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&"/en/tin-tuc/lich-su-dinh-lang/"),
        "{paths:?}"
    );
    assert!(
        en[0].get("description").is_none(),
        "include_description is off for en"
    );
}

#[test]
fn an_elasticlunr_index_in_vietnamese_is_a_warning_not_a_broken_build() {
    let dir = fixture::copy("multilingual");
    let config = std::fs::read_to_string(dir.path().join("config.toml")).unwrap();
    let config = format!("build_search_index = true\n{config}");
    std::fs::write(dir.path().join("config.toml"), config).unwrap();
    let report = tre::build(dir.path(), &Default::default()).unwrap();
    let warning = report
        .warnings
        .iter()
        .map(ToString::to_string)
        .find(|w| w.contains("search index"))
        .expect("a warning about the index format");
    assert!(
        warning.starts_with(
            "config.toml: warning: elasticlunr has no stemmer for `vi`; no search index for it"
        ),
        "{warning}"
    );
    assert!(!dir.path().join("public/search_index.vi.js").exists());
}

/// `style = "class"` with a dual theme writes Zola 0.22's two stylesheets; a file of the
/// same name in `static/` is the site's own and replaces the generated one.
#[test]
fn class_highlighting_writes_its_stylesheets_unless_static_has_them() {
    let dir = fixture::copy("multilingual");
    let config = std::fs::read_to_string(dir.path().join("config.toml")).unwrap();
    let config = config.replacen(
        "[languages.en]",
        "[markdown.highlighting]\nstyle = \"class\"\nlight_theme = \"InspiredGitHub\"\n\
         dark_theme = \"base16-ocean.dark\"\n\n[languages.en]",
        1,
    );
    std::fs::write(dir.path().join("config.toml"), config).unwrap();
    std::fs::create_dir_all(dir.path().join("static")).unwrap();
    std::fs::write(dir.path().join("static/giallo-dark.css"), "/* mine */").unwrap();
    tre::build(dir.path(), &Default::default())
        .unwrap_or_else(|p| panic!("{}", tre::diag::render_all(&p)));
    let read = |p: &str| std::fs::read_to_string(dir.path().join("public").join(p)).unwrap();
    assert!(read("giallo-light.css").contains(".z-code"));
    assert_eq!(read("giallo-dark.css"), "/* mine */");
    assert!(!dir.path().join("public/giallo.css").exists());
}

/// `t(…, mark=true)` marks a message that came from another language of the chain with that
/// language (WCAG 3.1.2, language of parts); a message in the page's own language is bare.
#[test]
fn marked_messages_name_the_language_they_fell_back_to() {
    let dir = fixture::copy("multilingual");
    let index = dir.path().join("templates/index.html");
    let text = std::fs::read_to_string(&index).unwrap();
    let text = text.replace(
        "<p>{{ t(key=\"articles\", count=3) }}</p>",
        "<p>{{ t(key=\"articles\", count=3, mark=true) | safe }}</p>",
    );
    std::fs::write(&index, text).unwrap();
    tre::build(dir.path(), &Default::default()).unwrap();
    let read = |p: &str| std::fs::read_to_string(dir.path().join("public").join(p)).unwrap();
    assert!(read("en/index.html").contains("<p>3 articles</p>"));
    // zh-Hans has no `articles`: English, marked so.
    assert!(read("zh-Hans/index.html").contains("<p><span lang=\"en\">3 articles</span></p>"));
    let hnj = read("hnj/index.html");
    assert!(hnj.contains("<p><span lang=\"vi\">"), "{hnj}");
}

/// `section.assets`: the files beside `_index.md` (not in subfolders), sorted by name, without
/// the Markdown pages, hidden files, editors' leftovers and `ignored_content`. Listed with one
/// `read_dir` since issue 13 (a 10k section holds thousands of pages).
#[test]
fn a_sections_assets_are_its_own_files_sorted_without_pages_hidden_or_ignored() {
    let dir = fixture::copy("hosting");
    let root = dir.path();
    let section = root.join("content/tin-tuc");
    for f in [
        "z.pdf",
        "a.jpg",
        "m.txt",
        ".an.txt",
        "ban-nhap.txt~",
        "bo-qua.psd",
    ] {
        std::fs::write(section.join(f), b"x").unwrap();
    }
    std::fs::create_dir_all(section.join("con")).unwrap();
    std::fs::write(section.join("con/c.png"), b"x").unwrap();
    let config = std::fs::read_to_string(root.join("config.toml")).unwrap();
    std::fs::write(
        root.join("config.toml"),
        format!("ignored_content = [\"*.psd\"]\n{config}"),
    )
    .unwrap();
    std::fs::write(
        root.join("templates/section.html"),
        "<p>{% for a in section.assets %}[{{ a | safe }}]{% endfor %}</p>",
    )
    .unwrap();
    let site = fixture::build_dir(dir, &tre::BuildOptions::default());
    let html = site.read("tin-tuc/index.html");
    assert!(
        html.contains("<p>[/tin-tuc/a.jpg][/tin-tuc/m.txt][/tin-tuc/z.pdf]</p>"),
        "{html}"
    );
}
