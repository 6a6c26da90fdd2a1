//! Content fallback on tests/fixtures/content-fallback: hnj has `content_fallback = true` and
//! the chain en → vi. `le-hoi` exists in vi and en, `thong-bao` in vi only, `chao-mung` in vi
//! and hnj; the `tin-tuc` section in vi and en. en has no content fallback.

use crate::fixture;

const BASE: &str = "https://tinh.example.gov.vn";

#[test]
fn a_missing_page_is_shown_from_the_first_language_of_the_chain() {
    let site = fixture::build("content-fallback");
    let html = site.read("hnj/tin-tuc/le-hoi/index.html");
    assert!(html.contains("<html lang=\"hnj\">"), "{html}");
    assert!(
        html.contains("<p class=\"notice\">Nplooj no tseem tsis tau txhais</p>"),
        "{html}"
    );
    assert!(html.contains("<article lang=\"en\"><h1>Spring festival</h1>"));
    assert!(html.contains(&format!(
        "<link rel=\"canonical\" href=\"{BASE}/en/tin-tuc/le-hoi/\">"
    )));
    // Its `@/` link stays in hnj, where the target has a fallback copy too.
    assert!(html.contains(&format!(
        "<a href=\"{BASE}/hnj/tin-tuc/thong-bao/\">notice</a>"
    )));
    // Tags link to the source language's term pages: hnj has no taxonomies.
    assert!(html.contains(&format!("href=\"{BASE}/en/tags/festival/\"")));
    let vi_only = site.read("hnj/tin-tuc/thong-bao/index.html");
    assert!(vi_only.contains("<article lang=\"vi\"><h1>Thông báo</h1>"));
    assert!(
        !site.exists("en/tin-tuc/thong-bao/index.html"),
        "en has no content fallback"
    );
}

#[test]
fn hreflang_lists_translations_only_and_switchers_get_the_copies() {
    let site = fixture::build("content-fallback");
    let alternates = |html: &str| {
        html.lines()
            .filter(|l| l.starts_with("<link rel=\"alternate\" hreflang="))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let expected = [
        format!("<link rel=\"alternate\" hreflang=\"vi\" href=\"{BASE}/tin-tuc/le-hoi/\">"),
        format!("<link rel=\"alternate\" hreflang=\"en\" href=\"{BASE}/en/tin-tuc/le-hoi/\">"),
    ];
    for path in [
        "tin-tuc/le-hoi/index.html",
        "en/tin-tuc/le-hoi/index.html",
        "hnj/tin-tuc/le-hoi/index.html",
    ] {
        let html = site.read(path);
        assert_eq!(alternates(&html), expected, "{path}");
        assert!(
            html.contains(&format!(
                "<a class=\"fallback\" hreflang=\"hnj\" href=\"{BASE}/hnj/tin-tuc/le-hoi/\">"
            )),
            "{path}"
        );
    }
}

#[test]
fn a_real_translation_is_unaffected() {
    let site = fixture::build("content-fallback");
    let html = site.read("hnj/tin-tuc/chao-mung/index.html");
    assert!(!html.contains("class=\"notice\""));
    assert!(html.contains("<article lang=\"hnj\">"));
    assert!(html.contains(&format!(
        "<link rel=\"canonical\" href=\"{BASE}/hnj/tin-tuc/chao-mung/\">"
    )));
    assert!(
        html.contains(
            "hreflang=\"hnj\" href=\"https://tinh.example.gov.vn/hnj/tin-tuc/chao-mung/\">"
        )
    );
    assert!(!html.contains("class=\"fallback\""));
}

#[test]
fn a_fallback_section_lists_the_languages_pages_and_copies() {
    let site = fixture::build("content-fallback");
    let html = site.read("hnj/tin-tuc/index.html");
    assert!(html.contains("<p class=\"notice\">"));
    assert!(html.contains(&format!(
        "<link rel=\"canonical\" href=\"{BASE}/en/tin-tuc/\">"
    )));
    assert!(html.contains(&format!(
        "<ul><li lang=\"en\"><a href=\"{BASE}/hnj/tin-tuc/le-hoi/\">Spring festival</a></li>\
         <li lang=\"vi\"><a href=\"{BASE}/hnj/tin-tuc/thong-bao/\">Thông báo</a></li>\
         <li lang=\"hnj\"><a href=\"{BASE}/hnj/tin-tuc/chao-mung/\">Zoo siab txais tos</a></li></ul>"
    )), "{html}");
}

#[test]
fn copies_are_left_out_of_feeds_and_the_sitemap() {
    let site = fixture::build("content-fallback");
    let sitemap = site.read("sitemap.xml");
    let hnj: Vec<&str> = sitemap
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<loc>"))
        .filter(|l| l.contains("/hnj/"))
        .collect();
    assert_eq!(
        hnj,
        [
            format!("{BASE}/hnj/</loc>"),
            format!("{BASE}/hnj/tin-tuc/chao-mung/</loc>")
        ]
    );
    let feed = site.read("hnj/atom.xml");
    assert!(feed.contains("/hnj/tin-tuc/chao-mung/"));
    assert!(
        !feed.contains("le-hoi") && !feed.contains("thong-bao"),
        "{feed}"
    );
}
