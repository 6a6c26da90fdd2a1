//! Builds `zola-themes`, one small case for each feature real Zola 0.22 themes were found to
//! use that Tre once rejected (tabi, abridge, anemone, kita, apollo, after-dark, terminimal).

use crate::fixture;

#[test]
fn giallo_theme_and_language_names_build_with_warnings() {
    let site = fixture::build("zola-themes");
    let warnings = tre::diag::render_all(&site.report.warnings);
    for want in [
        "config.toml: warning: highlighting theme `catppuccin-frappe` is not one of syntect's; code is coloured with `base16-ocean.dark` instead",
        "config.toml: warning: highlighting theme `github-light` is not one of syntect's; code is coloured with `InspiredGitHub` instead",
        "content/blog/gallery/index.md:9:1: warning: code block language `toml` is not known to the highlighter",
    ] {
        assert!(warnings.contains(want), "no {want} in\n{warnings}");
    }
    let html = site.read("blog/gallery/index.html");
    assert!(
        html.contains("base_url = \"https://example.org\"</code></pre>"),
        "{html}"
    );
}

#[test]
fn shortcodes_see_the_page_assets_and_slug() {
    let html = fixture::build("zola-themes").read("blog/gallery/index.html");
    assert!(
        html.contains(r#"<ul class="gallery"><li>/blog/gallery/one.png</li><li>/blog/gallery/two.jpg</li></ul><p class="slug">gallery 2024-05-01 Photos</p>"#),
        "{html}"
    );
}

#[test]
fn shortcode_arguments_may_go_without_commas_like_zola() {
    let html = fixture::build("zola-themes").read("blog/gallery/index.html");
    assert!(
        html.contains(
            r#"<iframe src="https://www.youtube-nocookie.com/embed/abc" class="center"></iframe>"#
        ),
        "{html}"
    );
}

#[test]
fn an_invalid_shortcode_call_is_left_as_text_like_zola() {
    let site = fixture::build("zola-themes");
    let html = site.read("blog/gallery/index.html");
    assert!(html.contains("<p>{{ youtube(id='l'abc') }}</p>"), "{html}");
    let warnings = tre::diag::render_all(&site.report.warnings);
    assert!(
        warnings.contains("content/blog/gallery/index.md:21:21: warning: shortcode `youtube`: expected `=` after `abc`; the call is left as text"),
        "{warnings}"
    );
}

#[test]
fn image_metadata_finds_a_section_asset_where_each_language_writes_it() {
    let site = fixture::build("zola-themes");
    for page in ["blog/index.html", "es/blog/index.html"] {
        let html = site.read(page);
        assert!(
            html.contains(r#"<meta property="og:image:width" content="3"><meta property="og:image:height" content="2">"#),
            "{page}: {html}"
        );
    }
}

#[test]
fn taxonomy_has_its_slug_like_zola() {
    let site = fixture::build("zola-themes");
    assert!(
        site.read("tag-cloud/index.html")
            .contains(r#"<a href="https://example.org/tag-cloud">tag-cloud</a>"#)
    );
    assert!(
        site.read("tag-cloud/photos/index.html")
            .contains(r#"<p class="kind">tag-cloud</p>"#)
    );
}

#[test]
fn a_highlighted_code_block_is_followed_at_once_like_zola() {
    // Zola 0.22 (giallo) writes nothing after `</code></pre>` of a highlighted block, so the
    // next element's text follows the code's with no space (seen on getzola/book).
    let html = fixture::build("zola-themes").read("blog/gallery/index.html");
    assert!(
        html.contains("</code></pre><ul class=\"gallery\">"),
        "{html}"
    );
}
