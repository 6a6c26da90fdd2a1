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
