//! Builds `theme-site`, a monolingual site on a theme, and compares it with Zola 0.22.1's
//! output of the same fixture (`tests/fixtures/theme-site.zola/`, `theme-site.paths.txt`).

use std::fs;

use crate::fixture;

/// Zola writes void elements XHTML-style; Tre writes plain HTML5.
fn html5(s: &str) -> String {
    s.replace(" />", ">")
}

#[test]
fn writes_the_same_files_as_zola() {
    let site = fixture::build("theme-site");
    let listed = fs::read_to_string(fixture::source("theme-site.paths.txt")).unwrap();
    let want: Vec<&str> = listed.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(fixture::files_under(&site.dir.path().join("public")), want);
}

#[test]
fn template_pages_equal_zolas() {
    let site = fixture::build("theme-site");
    let zola = fixture::source("theme-site.zola");
    let pages: Vec<String> = fixture::files_under(&zola)
        .into_iter()
        .filter(|p| p.ends_with(".html"))
        .collect();
    assert_eq!(pages.len(), 12, "{pages:?}");
    for page in pages {
        let want = html5(&fs::read_to_string(zola.join(&page)).unwrap());
        assert_eq!(site.read(&page), want, "public/{page} differs from Zola's");
    }
}

#[test]
fn the_site_overrides_the_theme_where_it_says_so() {
    let site = fixture::build("theme-site");
    let page = site.read("journal/lotus-pond/index.html");
    // templates/page.html extends lotus/templates/page.html and replaces its `meta` block.
    assert!(
        page.contains("<p class=\"meta\">Walked on Saturday 14 June 2025"),
        "{page}"
    );
    // [extra] accent from config.toml wins; footer_note falls back to theme.toml.
    assert!(page.contains("--accent: #0a7d5a;"), "{page}");
    assert!(page.contains("<footer>Set in the lotus theme"), "{page}");
    // A theme shortcode (quote) and a site one (distance).
    assert!(page.contains("<cite>A ferryman</cite>"), "{page}");
    assert!(
        page.contains("<strong>4.5 km</strong> on foot, 20 m up"),
        "{page}"
    );
    assert_eq!(site.read("robots-note.txt"), "From the site.\n");
    assert!(site.read("css/lotus.css").contains("--accent"));
    assert!(
        !site.exists("journal/first-walk/index.html"),
        "a draft was built"
    );
}
