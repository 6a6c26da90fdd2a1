//! Zola compatibility, round 2 (issue 16): fixture sites written from Zola 0.22's docs, each
//! built through `tre::build` as the CLI builds them.

use std::fs;

use tre::{BuildOptions, diag};

use crate::fixture;

/// Builds a copy of a fixture with `--drafts`, after `prepare` changed the copy.
fn build_with_drafts(name: &str, prepare: impl FnOnce(&std::path::Path)) -> fixture::Site {
    let dir = fixture::copy(name);
    prepare(dir.path());
    let opts = BuildOptions {
        include_drafts: true,
        ..BuildOptions::default()
    };
    let report = tre::build(dir.path(), &opts)
        .unwrap_or_else(|p| panic!("{name} failed to build:\n{}", diag::render_all(&p)));
    fixture::Site { dir, report }
}

/// Every output file whose text mentions `needle`.
fn files_mentioning(site: &fixture::Site, needle: &str) -> Vec<String> {
    fixture::files_under(&site.dir.path().join("public"))
        .into_iter()
        .filter(|p| {
            fs::read(site.dir.path().join("public").join(p))
                .is_ok_and(|b| String::from_utf8_lossy(&b).to_lowercase().contains(needle))
        })
        .collect()
}

#[test]
fn issue_16_a_draft_section_unpublishes_everything_below_it() {
    let site = fixture::build("zola-drafts");
    let files = fixture::files_under(&site.dir.path().join("public"));
    let leaked: Vec<_> = files.iter().filter(|f| f.contains("internal")).collect();
    assert!(leaked.is_empty(), "draft section files written: {leaked:?}");
    // Not in lists, feeds, the sitemap, taxonomies or the search index either.
    assert_eq!(files_mentioning(&site, "secret"), Vec::<String>::new());
    assert!(site.read("blog/index.html").contains("Published news"));
    assert!(site.read("sitemap.xml").contains("/blog/published/"));
    assert!(site.read("search_index.en.json").contains("Published news"));
    assert!(site.exists("tags/public/index.html"));
    assert_eq!(site.report.pages, 1, "only blog/published.md is a page");
}

#[test]
fn issue_16_drafts_flag_publishes_the_draft_section_and_its_subtree() {
    let site = build_with_drafts("zola-drafts", |root| {
        fs::remove_file(root.join("content/blog/internal/broken.md")).unwrap();
    });
    for path in [
        "blog/internal/index.html",
        "blog/internal/secret/index.html",
        "blog/internal/deeper/also/index.html",
        "blog/internal/photos/index.html",
        "blog/internal/photos/secret.txt",
        "tags/secret-tag/index.html",
    ] {
        assert!(site.exists(path), "{path} missing with --drafts");
    }
    assert!(site.read("sitemap.xml").contains("/blog/internal/secret/"));
    assert!(
        site.read("blog/index.html")
            .contains("blog/internal/_index.md")
    );
}

#[test]
fn issue_16_files_in_a_draft_section_are_not_read_without_drafts() {
    // broken.md has a front-matter error; the build above passes without --drafts, and with
    // it the error is reported, so the file is skipped rather than silently tolerated.
    let dir = fixture::copy("zola-drafts");
    let opts = BuildOptions {
        include_drafts: true,
        ..BuildOptions::default()
    };
    let problems = diag::render_all(&tre::build(dir.path(), &opts).unwrap_err());
    assert!(
        problems.contains("content/blog/internal/broken.md"),
        "{problems}"
    );
}

#[test]
fn issue_16_hidden_files_and_editor_leftovers_are_ignored() {
    let site = fixture::build("zola-drafts");
    let files = fixture::files_under(&site.dir.path().join("public"));
    for gone in [
        "style.css~",
        "#notes.txt#",
        "logo.psd",
        "blog/budget.xlsx",
        "notes/page/index.html",
        ".notes/page/index.html",
    ] {
        assert!(!files.iter().any(|f| f == gone), "{gone} was written");
    }
    assert!(
        !files.iter().any(|f| f.contains("build_folder")),
        "{files:?}"
    );
    // Zola copies hidden files from static/ (`.well-known/security.txt`), and so does Tre.
    assert!(site.exists(".well-known/security.txt"));
    assert!(site.exists("robots-extra.txt"));
    assert_eq!(site.read("site.css"), "body{color:red}");
    assert!(site.read("index.html").contains("<footer>footer</footer>"));
}

#[test]
fn issue_16_processed_pictures_have_zolas_names_and_paths() {
    let site = fixture::build("zola-images");
    // `<stem>.<hash>.<ext>` under processed_images/, url and static_path as Zola 0.22 gives
    // them; the hash function is checked against Zola's own expected names in
    // `assets::tests::processed_names_are_zolas`.
    let name =
        regex::Regex::new(r"^processed_images/(logo|photo)\.[0-9a-f]{16}\.(jpg|png)$").unwrap();
    let files = fixture::files_under(&site.dir.path().join("public"));
    let processed: Vec<_> = files
        .iter()
        .filter(|f| f.starts_with("processed_images/"))
        .collect();
    assert_eq!(processed.len(), 2, "{files:?}");
    for f in &processed {
        assert!(name.is_match(f), "{f}");
    }
    let home = site.read("index.html");
    assert!(
        home.contains(r#"src="https://example.org/processed_images/logo.389e65c5919f0318.jpg" width="40" height="30""#),
        "{home}"
    );
    let gallery = site.read("gallery/index.html");
    assert!(
        gallery.contains(r#"data-static="static/processed_images/photo.894cc0270d8d5e86.png""#),
        "{gallery}"
    );
    assert!(site.exists("processed_images/photo.894cc0270d8d5e86.png"));
}

#[test]
fn issue_16_quoted_datetime_with_a_space_is_a_datetime() {
    let site = fixture::build("zola-behaviours");
    let html = site.read("blog/dated/index.html");
    // As Zola writes it (TOML's datetime grammar, `T` between date and time), and the `date`
    // filter can read it.
    assert!(
        html.contains("<p>date: 2018-04-24T15:01:35 | 2018-04-24 15:01</p>"),
        "{html}"
    );
    // And it sorts as a date: newest first.
    let blog = site.read("tags/rust/index.html");
    assert!(blog.contains("pager: 1/2: Dated</p>"), "{blog}");
}

#[test]
fn issue_16_top_level_keys_zola_ignores_are_warnings() {
    let site = fixture::build("zola-behaviours");
    let warnings = diag::render_all(&site.report.warnings);
    for key in [
        "insert_anchor_links",
        "sort_by",
        "category",
        "tags",
        "order",
    ] {
        assert!(
            warnings.contains(&format!("`{key}` is not a front-matter key")),
            "no warning for {key}:\n{warnings}"
        );
    }
    assert!(
        warnings.contains("content/blog/dated.md:6:12: warning"),
        "{warnings}"
    );
    // The top-level `tags` is not a taxonomy, as in Zola.
    assert!(!site.exists("tags/ignored-at-top-level/index.html"));
}

#[test]
fn issue_16_config_translations_is_hidden_and_trans_defaults_to_the_default_language() {
    let site = fixture::build("zola-behaviours");
    let fr = site.read("index.html");
    assert!(fr.contains("<p>translations: hidden</p>"), "{fr}");
    let en = site.read("en/index.html");
    assert!(en.contains("<p>trans: Bonjour / Hello</p>"), "{en}");
}

#[test]
fn issue_16_default_language_code_in_a_file_name_stays_in_the_slug() {
    let site = fixture::build("zola-behaviours");
    assert!(site.read("foo-fr/index.html").contains("Foo en français"));
    assert!(site.read("en/foo/index.html").contains("Foo in English"));
    assert!(!site.exists("foo/index.html"));
    // `_index.fr.md` is not read when fr is the default language: `_index.md` is the home.
    assert!(site.read("index.html").contains("<h1>Accueil</h1>"));
    let warnings = diag::render_all(&site.report.warnings);
    assert!(
        warnings.contains("content/_index.fr.md: warning: skipped"),
        "{warnings}"
    );
}

#[test]
fn issue_16_group_by_keeps_first_appearance_order() {
    let site = fixture::build("zola-behaviours");
    // Blog pages newest first: Dated (zeta), Older (alpha), Oldest (zeta).
    assert!(
        site.read("index.html")
            .contains("<p>groups: zeta=2 alpha=1</p>")
    );
}

#[test]
fn issue_16_paginated_terms_have_their_pages_in_term_pages() {
    let site = fixture::build("zola-behaviours");
    for (pager, shown) in [
        ("tags/rust/index.html", "1/2: Dated"),
        ("tags/rust/page/2/index.html", "2/2: Older"),
    ] {
        let html = site.read(pager);
        assert!(html.contains("<p>term.pages: 2: Dated Older</p>"), "{html}");
        assert!(html.contains(&format!("<p>pager: {shown}</p>")), "{html}");
    }
}

/// `term.pages` is built for a paginated term only when its templates read it (every pager gets
/// a copy); each spelling of that read still gets the list, and a template that reads only the
/// pager keeps the term's name and count.
#[test]
fn issue_16_paginated_terms_give_term_pages_to_each_spelling_that_reads_it() {
    let template = "templates/taxonomy_single.html";
    for (body, expected) in [
        (r#"{{ term["pages"] | length }}"#, "<p>2</p>"),
        (r#"{{ term | get(key="pages") | length }}"#, "<p>2</p>"),
        (
            r#"{{ term.name }} {{ term.page_count }} {{ paginator.pages | length }}"#,
            "<p>rust 2 1</p>",
        ),
    ] {
        let dir = fixture::copy("zola-behaviours");
        std::fs::write(dir.path().join(template), format!("<p>{body}</p>")).unwrap();
        let site = fixture::build_dir(dir, &BuildOptions::default());
        let html = site.read("tags/rust/index.html");
        assert!(html.contains(expected), "{body}: {html}");
    }
}

#[test]
fn issue_15_term_pagers_sharing_one_context_each_see_their_own_path() {
    let dir = fixture::copy("zola-behaviours");
    let body = "<p>{{ current_path | safe }} {{ current_url | safe }} {{ canonical_url | safe }} \
        {{ paginator.current_index }} {{ term.pages | length }}</p>";
    std::fs::write(dir.path().join("templates/taxonomy_single.html"), body).unwrap();
    let site = fixture::build_dir(dir, &BuildOptions::default());
    let first = site.read("tags/rust/index.html");
    let second = site.read("tags/rust/page/2/index.html");
    let url = |p: &str| format!("{p} https://example.org{p} https://example.org{p}");
    assert!(
        first.contains(&format!("{} 1 2", url("/tags/rust/"))),
        "{first}"
    );
    assert!(
        second.contains(&format!("{} 2 2", url("/tags/rust/page/2/"))),
        "{second}"
    );
}

#[test]
fn issue_16_missing_section_template_writes_a_placeholder_page() {
    let site = fixture::build("zola-behaviours");
    let html = site.read("blog/index.html");
    assert!(html.contains("<html lang=\"fr\">"), "{html}");
    assert!(
        html.contains("<code>templates/section.html</code>"),
        "{html}"
    );
}

#[test]
fn issue_16_x_default_is_absent_without_a_default_language_version() {
    let site = fixture::build("zola-behaviours");
    let en_only = site.read("en/english-only/index.html");
    assert!(en_only.contains("<p>x_default: absent</p>"), "{en_only}");
    let fr = site.read("blog/dated/index.html");
    assert!(fr.contains("<p>x_default: defined</p>"), "{fr}");
}

#[test]
fn issue_16_elasticlunr_javascript_writes_zolas_index_structure() {
    let dir = fixture::copy("zola-drafts");
    let config = dir.path().join("config.toml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(
        &config,
        text.replace("\"fuse_json\"", "\"elasticlunr_javascript\""),
    )
    .unwrap();
    tre::build(dir.path(), &BuildOptions::default())
        .unwrap_or_else(|p| panic!("{}", diag::render_all(&p)));
    let js = fs::read_to_string(dir.path().join("public/search_index.en.js")).unwrap();
    let json = js
        .strip_prefix("window.searchIndex = ")
        .and_then(|j| j.strip_suffix(';'))
        .unwrap_or_else(|| panic!("{js}"));
    let index: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(index["fields"], serde_json::json!(["title", "body"]));
    assert_eq!(index["ref"], "id");
    let docs = index["documentStore"]["docs"].as_object().unwrap();
    let doc = &docs["https://example.org/blog/published/"];
    assert_eq!(doc["title"], "Published news");
    assert_eq!(doc["body"], "Out in the open.");
    assert!(index["index"]["body"]["root"].is_object(), "{json}");
    assert!(!json.to_lowercase().contains("secret"));
}

/// The script of the npm package Tre embeds (tools/elasticlunr/, installed by `npm ci`).
fn npm_elasticlunr() -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tools/elasticlunr/node_modules/elasticlunr/elasticlunr.min.js");
    fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run `npm ci --prefix tools/elasticlunr`",
            path.display()
        )
    })
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn issue_16_elasticlunr_min_js_is_written_beside_the_indexes() {
    let site = fixture::build("zola-search");
    let public = site.dir.path().join("public");
    let script = fs::read(public.join("elasticlunr.min.js")).unwrap();
    assert_eq!(script, npm_elasticlunr());
    assert!(String::from_utf8_lossy(&script).contains("elasticlunr"));
    for lang in ["en", "fr"] {
        let js = site.read(&format!("search_index.{lang}.js"));
        assert!(js.starts_with("window.searchIndex = {"), "{lang}: {js}");
    }
    let fr = site.read("search_index.fr.js");
    assert!(fr.contains("https://example.org/fr/blog/harbour/"), "{fr}");
    assert!(!fr.contains("https://example.org/blog/harbour/"), "{fr}");
}

#[test]
fn issue_16_templates_hash_the_search_index_built_before_rendering() {
    let site = fixture::build("zola-search");
    let public = site.dir.path().join("public");
    let index_en = fs::read(public.join("search_index.en.js")).unwrap();
    let index_fr = fs::read(public.join("search_index.fr.js")).unwrap();
    let script = fs::read(public.join("elasticlunr.min.js")).unwrap();
    let home = site.read("index.html");
    assert!(
        home.contains(&format!(
            "<p id=\"index-hash\">{}</p>",
            sha256_hex(&index_en)
        )),
        "{home}"
    );
    let h = |bytes: &[u8]| sha256_hex(bytes)[..20].to_string();
    assert!(
        home.contains(&format!(
            "src=\"https://example.org/elasticlunr.min.js?h={}\"",
            h(&script)
        )),
        "{home}"
    );
    assert!(
        home.contains(&format!(
            "src=\"https://example.org/search_index.en.js?h={}\"",
            h(&index_en)
        )),
        "{home}"
    );
    let page_fr = site.read("fr/blog/harbour/index.html");
    assert!(
        page_fr.contains(&format!(
            "src=\"https://example.org/search_index.fr.js?h={}\"",
            h(&index_fr)
        )),
        "{page_fr}"
    );
}
