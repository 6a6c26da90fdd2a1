//! Builds `zola-multilingual`, a site written from Zola's documentation, and checks Tre writes
//! the same files as Zola 0.22.1 with the same critical contents. The expected strings were
//! read from Zola's own output of this fixture (`benches/compare_output.py`).

use std::fs;

use crate::fixture;

const SITE: &str = "zola-multilingual";

#[test]
fn writes_the_same_files_as_zola() {
    let site = fixture::build(SITE);
    let listed = fs::read_to_string(fixture::source("zola-multilingual.paths.txt")).unwrap();
    let mut want: Vec<String> = listed
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    want.sort();
    let got = fixture::files_under(&site.dir.path().join("public"));
    let missing: Vec<_> = want.iter().filter(|p| !got.contains(p)).collect();
    let extra: Vec<_> = got.iter().filter(|p| !want.contains(p)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, extra {extra:?}"
    );
}

#[test]
fn page_markdown_matches_zola() {
    let site = fixture::build(SITE);
    let html = site.read("blog/first-post/index.html");
    for want in [
        // get_url is safe in Zola: no `&#x2F;` in the URL, and cachebust adds the hash.
        r#"<link rel="stylesheet" href="https://example.org/style.css?h="#,
        r#"<a href="https://example.org/blog/custom-slug/#details">link to the details</a>"#,
        // The summary marker replaces its whole line.
        r#"<span id="continue-reading"></span><h2 id="getting-started">Getting started</h2>"#,
        r##"<a href="https://example.org/blog/first-post/#getting-started-1">Getting started</a> (2, #getting-started-1)"##,
        r#"<h2 id="custom">Custom id</h2>"#,
        r#"<div class="note note-warning"><p>This is <strong>markdown</strong> inside a body shortcode.</p>"#,
        "<p>— <em>Ann</em>, First post</p>",
        // Without [markdown.highlighting], Zola 0.22 writes code blocks in this shape.
        "<pre><code data-lang=\"rust\">fn main() { println!(&quot;&lt;hi&gt; &amp; \\&quot;bye\\&quot;&quot;); }\n</code></pre>",
        "<pre><code>plain fence\n</code></pre>",
        "<pre><code>indented code\n</code></pre>",
    ] {
        assert!(html.contains(want), "blog/first-post lacks {want}\n{html}");
    }
}

#[test]
fn terms_with_one_slug_are_merged_like_zola() {
    let site = fixture::build(SITE);
    let html = site.read("tags/rust/index.html");
    assert!(html.contains("<h1>tags: Rust</h1>"), "{html}");
    assert!(html.contains("https://example.org/tags/rust/ 2 "), "{html}");
    let list = site.read("tags/index.html");
    assert_eq!(list.matches("https://example.org/tags/rust/\"").count(), 1);
}

#[test]
fn transparent_sections_follow_zola() {
    let site = fixture::build(SITE);
    let html = site.read("blog/archive/old-news/index.html");
    assert!(
        html.contains(
            r#"<a rel="next" href="https://example.org/blog/markdown-tour/">A Markdown tour</a>"#
        ),
        "{html}"
    );
    assert!(
        html.contains("<p>ancestors: _index.md, blog&#x2F;_index.md</p>"),
        "{html}"
    );
}

#[test]
fn page_assets_are_content_paths_with_a_leading_slash() {
    let site = fixture::build(SITE);
    let html = site.read("blog/third/index.html");
    assert!(
        html.contains("<li>&#x2F;blog&#x2F;third&#x2F;data.txt</li>"),
        "{html}"
    );
}

#[test]
fn sitemap_lists_pagers_and_unsortable_pages_like_zola() {
    let site = fixture::build(SITE);
    let sitemap = site.read("sitemap.xml");
    for url in [
        "https://example.org/blog/page/1/",
        "https://example.org/fr/blog/p/1/",
        "https://example.org/categories/news/page/1/",
        "https://example.org/categories/news/page/2/",
        // Not written, since its section cannot sort it, but Zola still lists it.
        "https://example.org/docs/unweighted/",
        // No French page uses `series`: Zola writes no list page but lists the URL.
        "https://example.org/fr/series/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>{url}</loc>")),
            "no {url} in\n{sitemap}"
        );
    }
    let redirect = site.read("categories/news/page/1/index.html");
    assert!(redirect.contains("https://example.org/categories/news/"));
}

#[test]
fn section_insert_anchor_links_applies_to_its_pages() {
    let site = fixture::build(SITE);
    let anchor = |id: &str| {
        format!(
            r##"<a class="zola-anchor" href="#{id}" aria-label="Anchor link for: {id}">🔗</a></h2>"##
        )
    };
    assert!(site.read("docs/index.html").contains(&anchor("top-anchor")));
    let install = site.read("docs/install/index.html");
    assert!(install.contains(&anchor("requirements")), "{install}");
    assert!(install.contains(&anchor("steps-here")), "{install}");
    let blog = site.read("blog/first-post/index.html");
    assert!(!blog.contains("zola-anchor"), "{blog}");
}

#[test]
fn markdown_filter_resolves_internal_links() {
    let site = fixture::build(SITE);
    let html = site.read("blog/markdown-tour/index.html");
    assert!(
        html.contains(r#"<div class="note note-info"><p>A note with a <a href="https://example.org/docs/intro/">link</a>"#),
        "{html}"
    );
}

#[test]
fn update_date_sorting_and_reversed_pagination_follow_zola() {
    let site = fixture::build(SITE);
    // Zola sorts by the later of date and updated (Alpha 06-01, Beta 03-01, Gamma 05-01),
    // newest first, then paginate_reversed turns the list around.
    let first = site.read("news/index.html");
    let second = site.read("news/page/2/index.html");
    let titles = |html: &str| -> Vec<String> {
        html.match_indices("/news/")
            .filter_map(|(i, _)| {
                let rest = &html[i + 6..];
                let end = rest.find('/')?;
                Some(rest[..end].to_string())
            })
            .filter(|s| ["alpha", "beta", "gamma"].contains(&s.as_str()))
            .collect()
    };
    assert_eq!(titles(&first), ["beta", "gamma"]);
    assert_eq!(titles(&second), ["alpha"]);
}

#[test]
fn templates_see_zola_config_and_localised_dates() {
    let site = fixture::build(SITE);
    // `config.languages` holds the other languages only, as Zola serialises it.
    assert!(
        site.read("index.html")
            .contains("<p>https:&#x2F;&#x2F;example.org · Compat site · 2 other languages</p>")
    );
    // Tera's `date` filter takes a `locale` in Zola (Tera's date-locale feature).
    let html = site.read("fr/blog/second/index.html");
    assert!(
        html.contains("<time>jeudi 01 février 2024</time>"),
        "{html}"
    );
}
