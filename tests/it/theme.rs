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

/// Sass as Zola compiles it: the theme's always, the site's with `compile_sass`, partials
/// (`_name`) only through imports, `static/` over both; `get_url(cachebust)` hashes the CSS.
#[test]
fn sass_compiles_from_the_theme_and_the_site() {
    let dir = fixture::copy("theme-site");
    let root = dir.path();
    let write = |path: &str, text: &str| {
        let p = root.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    };
    write("themes/lotus/sass/_palette.scss", "$leaf: #2e6b3a;");
    write(
        "themes/lotus/sass/lotus.scss",
        "@use 'palette';\nbody { h1 { color: palette.$leaf; } }",
    );
    write("themes/lotus/sass/site.scss", "p { margin: 0; }");
    write("sass/site.scss", "p { margin: 1em; }");
    write(
        "sass/print/paper.sass",
        "@media print\n  nav\n    display: none",
    );
    write("sass/_partials/hidden.scss", "x { y: z; }");
    write("static/print/paper.css", "/* hand-written */");
    write(
        "templates/hash.html",
        "{{ get_url(path='lotus.css', cachebust=true) }} {{ get_hash(path='site.css', sha_type=256, base64=false) }}",
    );
    write(
        "content/hash.md",
        "+++\ntitle = \"Hash\"\ntemplate = \"hash.html\"\n+++\n",
    );
    let config = fs::read_to_string(root.join("config.toml")).unwrap();
    fs::write(
        root.join("config.toml"),
        format!("compile_sass = true\n{config}"),
    )
    .unwrap();

    let report = tre::build(root, &Default::default()).unwrap_or_else(|p| {
        panic!("{}", tre::diag::render_all(&p));
    });
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let public = root.join("public");
    let read = |p: &str| fs::read_to_string(public.join(p)).unwrap();
    assert_eq!(read("lotus.css"), "body h1{color:#2e6b3a}");
    assert_eq!(
        read("site.css"),
        "p{margin:1em}",
        "the site's Sass replaces the theme's"
    );
    assert_eq!(
        read("print/paper.css"),
        "/* hand-written */",
        "static/ wins"
    );
    assert!(!public.join("_palette.css").exists());
    assert!(!public.join("_partials").exists());
    // SHA-256 of the CSS written above (Python's hashlib): the hash is of the compiled output.
    let site_hash = "5521d64c2a27b8bd658056e5b0ecb31e3e6c5e63ef13fdd5a3c8a1b8c4e9e57a";
    let lotus_hash = "2714435c9c49037a0dae";
    assert_eq!(
        read("hash/index.html"),
        format!("https://lotus.example.org/lotus.css?h={lotus_hash} {site_hash}")
    );
}
