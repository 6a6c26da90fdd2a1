//! `tre serve` over a real socket on 127.0.0.1, and its incremental rebuilds against clean
//! builds of the same sources (tests/fixtures/multilingual).

use std::collections::HashMap;
use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use tre::output::Contents;
use tre::serve::{ServeOptions, Site};
use tre::{BuildOptions, Mode, diag};

use crate::fixture;

/// A GET over a fresh connection: (status, body).
pub(crate) fn get(addr: SocketAddr, target: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_string());
    (status, body)
}

/// Polls `target` until `done` holds, for at most 20 s.
pub(crate) fn wait_for(addr: SocketAddr, target: &str, done: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let (_, body) = get(addr, target);
        if done(&body) {
            return body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{target} never changed as expected; last body:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

pub(crate) fn start(root: &Path) -> tre::serve::Handle {
    let serve = ServeOptions {
        interface: "127.0.0.1".into(),
        port: 0,
        open: false,
    };
    match tre::serve::start(root, &BuildOptions::default(), &serve) {
        Ok(h) => h,
        Err(p) => panic!("serve failed:\n{}", diag::render_all(&p)),
    }
}

pub(crate) fn edit(path: &Path, f: impl FnOnce(&str) -> String) {
    let text = fs::read_to_string(path).unwrap();
    // Write and rename, as editors that save atomically do.
    let tmp = path.with_extension("tre-test-tmp");
    fs::write(&tmp, f(&text)).unwrap();
    fs::rename(&tmp, path).unwrap();
}

#[test]
fn serves_pages_with_base_url_rewritten_and_the_reload_script() {
    let dir = fixture::copy("multilingual");
    let h = start(dir.path());
    let addr = h.addr();
    let (status, body) = get(addr, "/tin-tuc/lich-su-dinh-lang/");
    assert_eq!(status, 200);
    assert!(body.contains(&format!("http://{addr}/")), "{body}");
    assert!(!body.contains("tinh.example.gov.vn"));
    assert!(body.contains(r#"<script src="/__tre/livereload.js"></script></body>"#));
    let (status, css) = get(addr, "/__tre/livereload.js");
    assert_eq!(status, 200);
    assert!(css.contains("WebSocket"));
}

#[test]
fn unknown_paths_get_the_404_page() {
    let dir = fixture::copy("multilingual");
    let h = start(dir.path());
    let (status, _) = get(h.addr(), "/khong-co/");
    assert_eq!(status, 404);
}

#[test]
fn paths_outside_the_site_are_refused() {
    let dir = fixture::copy("multilingual");
    let h = start(dir.path());
    for target in [
        "/../config.toml",
        "/%2e%2e/config.toml",
        "/tin-tuc/../../config.toml",
        "/..%2fconfig.toml",
    ] {
        let (status, body) = get(h.addr(), target);
        assert_eq!(status, 404, "{target}");
        assert!(!body.contains("default_language"), "{target} leaked config");
    }
}

#[test]
fn a_content_edit_shows_up() {
    let dir = fixture::copy("multilingual");
    let h = start(dir.path());
    edit(
        &dir.path().join("content/tin-tuc/lich-su-dinh-lang.md"),
        |t| format!("{t}\nĐoạn văn mới về đình làng.\n"),
    );
    wait_for(h.addr(), "/tin-tuc/lich-su-dinh-lang/", |b| {
        b.contains("Đoạn văn mới về đình làng.")
    });
}

#[test]
fn a_broken_edit_keeps_the_page_and_shows_the_overlay_until_fixed() {
    let dir = fixture::copy("multilingual");
    let h = start(dir.path());
    let page = dir.path().join("templates/page.html");
    let good = fs::read_to_string(&page).unwrap();
    edit(&page, |t| {
        t.replace("{% block content %}", "{% block content %}{% if %}")
    });
    let body = wait_for(h.addr(), "/tin-tuc/lich-su-dinh-lang/", |b| {
        b.contains("__tre_overlay")
    });
    assert!(body.contains("templates/page.html:3:"), "{body}");
    assert!(
        body.contains("Ngôi đình được xây dựng"),
        "the last good page is gone"
    );
    let (_, status_page) = get(h.addr(), "/__tre/");
    assert!(status_page.contains("templates/page.html:3:"));
    edit(&page, |_| good.clone());
    let body = wait_for(h.addr(), "/tin-tuc/lich-su-dinh-lang/", |b| {
        !b.contains("__tre_overlay")
    });
    assert!(body.contains("Ngôi đình được xây dựng"));
}

#[test]
fn the_status_page_links_the_translation_status() {
    let dir = fixture::copy("multilingual");
    let h = start(dir.path());
    let (status, body) = get(h.addr(), "/__tre/");
    assert_eq!(status, 200);
    assert!(body.contains(r#"href="/__tre/i18n""#));
    let (status, body) = get(h.addr(), "/__tre/i18n");
    assert_eq!(status, 200);
    assert!(body.contains("<html"), "{body}");
    assert!(body.contains("<section id=\"pages\""), "{body}");
}

#[test]
fn the_websocket_says_reload_after_an_edit() {
    let dir = fixture::copy("multilingual");
    let h = start(dir.path());
    let stream = TcpStream::connect(h.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let url = format!("ws://{}/__tre/livereload", h.addr());
    let (mut ws, _) = tungstenite::client(url.as_str(), stream).unwrap();
    // The subscription is made right after the handshake; give it a moment before editing.
    std::thread::sleep(Duration::from_millis(200));
    edit(
        &dir.path().join("content/tin-tuc/2025-01-05-thong-bao.md"),
        |t| format!("{t}\nThêm một dòng.\n"),
    );
    let msg = ws.read().unwrap();
    assert_eq!(msg.into_text().unwrap().as_str(), r#"{"kind":"reload"}"#);
}

// The equality property: after every edit, the incremental result equals a clean build.

pub(crate) fn serve_opts() -> BuildOptions {
    BuildOptions {
        base_url: Some("http://127.0.0.1:1111".into()),
        mode: Mode::Serve,
        ..BuildOptions::default()
    }
}

pub(crate) fn clean_build(root: &Path) -> HashMap<String, Vec<u8>> {
    let built = match tre::render_site(root, &serve_opts()) {
        Ok(b) => b,
        Err(p) => panic!("clean build failed:\n{}", diag::render_all(&p)),
    };
    built
        .files
        .into_iter()
        .map(|f| {
            let bytes = match f.contents {
                Contents::Bytes(b) => b,
                Contents::CopyOf(p) => fs::read(p).unwrap(),
            };
            (f.path, bytes)
        })
        .collect()
}

pub(crate) fn in_memory(site: &Site) -> HashMap<String, Vec<u8>> {
    site.files()
        .iter()
        .map(|(k, v)| (k.to_string(), v.bytes().to_vec()))
        .collect()
}

#[derive(Debug, Clone)]
enum Edit {
    Body(usize),
    /// A body edit that adds no link: only body fields change.
    Text(usize),
    /// Text at the start of the body, so in the summary where there is one.
    Summary(usize),
    Title(usize),
    Date(usize, u32),
    Template(usize),
    Message(usize),
    Static,
    /// A section's title, in its `_index.md`.
    SectionTitle(usize),
    /// A tag added to a page: taxonomy lists change shape.
    Tag(usize),
    /// `insert_anchor_links` of the news section switched on or off.
    AnchorLinks,
    /// The site title in `config.toml`.
    Config,
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..20usize).prop_map(Edit::Body),
        (0..20usize).prop_map(Edit::Text),
        (0..20usize).prop_map(Edit::Summary),
        (0..20usize).prop_map(Edit::Title),
        (0..20usize, 1..28u32).prop_map(|(i, d)| Edit::Date(i, d)),
        (0..20usize).prop_map(Edit::Template),
        (0..20usize).prop_map(Edit::Message),
        Just(Edit::Static),
        (0..20usize).prop_map(Edit::SectionTitle),
        (0..20usize).prop_map(Edit::Tag),
        Just(Edit::AnchorLinks),
        Just(Edit::Config),
    ]
}

/// The files under `dir` whose name ends in `.ext`, as full paths.
fn files_with(dir: &Path, ext: &str) -> Vec<PathBuf> {
    fixture::files_under(dir)
        .into_iter()
        .filter(|p| p.ends_with(&format!(".{ext}")))
        .map(|p| dir.join(p))
        .collect()
}

/// Applies `e` to the site's files (the n-th edit of the run) and returns the path it touched.
fn apply_edit(root: &Path, e: &Edit, n: usize) -> PathBuf {
    let pick = |list: Vec<PathBuf>, i: usize| list[i % list.len()].clone();
    let md = || files_with(&root.join("content"), "md");
    match e {
        Edit::Body(i) => {
            let p = pick(md(), *i);
            edit(&p, |t| {
                format!("{t}\nĐoạn {n}: [trang chủ](@/_index.md).\n")
            });
            p
        }
        Edit::Text(i) => {
            let p = pick(md(), *i);
            edit(&p, |t| format!("{t}\nCâu {n} thêm vào.\n"));
            p
        }
        Edit::Summary(i) => {
            let p = pick(md(), *i);
            edit(&p, |t| {
                match t.get(3..).and_then(|rest| rest.find("+++\n")) {
                    Some(at) => format!("{}Mở đầu {n}. {}", &t[..at + 7], &t[at + 7..]),
                    None => format!("{t}\nMở đầu {n}.\n"),
                }
            });
            p
        }
        Edit::Title(i) => {
            let p = pick(md(), *i);
            edit(&p, |t| {
                t.replacen("title = \"", &format!("title = \"Sửa {n} "), 1)
            });
            p
        }
        Edit::Date(i, day) => {
            let dated: Vec<PathBuf> = md()
                .into_iter()
                .filter(|p| fs::read_to_string(p).unwrap().contains("\ndate = "))
                .collect();
            let p = pick(dated, *i);
            edit(&p, |t| {
                let start = t.find("\ndate = ").unwrap() + "\ndate = ".len();
                let end = start + t[start..].find('\n').unwrap();
                format!("{}2025-04-{day:02}{}", &t[..start], &t[end..])
            });
            p
        }
        Edit::Template(i) => {
            let p = pick(files_with(&root.join("templates"), "html"), *i);
            edit(&p, |t| match t.rfind("{% endblock") {
                Some(at) => format!("{}<i>sửa {n}</i>{}", &t[..at], &t[at..]),
                None => format!("{t}<!-- sửa {n} -->"),
            });
            p
        }
        Edit::Message(i) => {
            let p = pick(files_with(&root.join("locales"), "ftl"), *i);
            edit(&p, |t| {
                let line = t.lines().find(|l| {
                    l.contains(" = ") && !l.trim_end().ends_with("->") && !l.starts_with(' ')
                });
                match line {
                    Some(line) => t.replacen(line, &format!("{line} {n}"), 1),
                    // An empty catalog (hnj) gets its own message, hiding the fallback's.
                    None => format!("{t}skip-link = Hla {n}\n"),
                }
            });
            p
        }
        Edit::SectionTitle(i) => {
            let sections: Vec<PathBuf> = md()
                .into_iter()
                .filter(|p| {
                    p.file_name()
                        .unwrap()
                        .to_str()
                        .unwrap()
                        .starts_with("_index")
                })
                .collect();
            let p = pick(sections, *i);
            edit(&p, |t| {
                t.replacen("title = \"", &format!("title = \"Mục {n} "), 1)
            });
            p
        }
        Edit::Tag(i) => {
            let tagged: Vec<PathBuf> = md()
                .into_iter()
                .filter(|p| fs::read_to_string(p).unwrap().contains("\ntags = ["))
                .collect();
            let p = pick(tagged, *i);
            edit(&p, |t| {
                t.replacen("\ntags = [", &format!("\ntags = [\"Thẻ {n}\", "), 1)
            });
            p
        }
        Edit::AnchorLinks => {
            let p = root.join("content/tin-tuc/_index.md");
            edit(&p, |t| match t.find("insert_anchor_links = \"left\"\n") {
                Some(_) => t.replacen("insert_anchor_links = \"left\"\n", "", 1),
                None => t.replacen(
                    "paginate_by = 2\n",
                    "paginate_by = 2\ninsert_anchor_links = \"left\"\n",
                    1,
                ),
            });
            p
        }
        Edit::Config => {
            let p = root.join("config.toml");
            edit(&p, |t| {
                t.replacen("title = \"", &format!("title = \"Sửa {n} "), 1)
            });
            p
        }
        Edit::Static => {
            let p = root.join("static/css/site.css");
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(&p, format!("body {{ margin: {n}px }}\n")).unwrap();
            p
        }
    }
}

pub(crate) fn assert_same(site: &Site, root: &Path, after: &str) {
    let clean = clean_build(root);
    let mem = in_memory(site);
    let mut missing: Vec<&String> = clean.keys().filter(|k| !mem.contains_key(*k)).collect();
    let mut extra: Vec<&String> = mem.keys().filter(|k| !clean.contains_key(*k)).collect();
    let mut differ: Vec<&String> = clean
        .iter()
        .filter(|(k, v)| mem.get(*k).is_some_and(|m| m != *v))
        .map(|(k, _)| k)
        .collect();
    missing.sort();
    extra.sort();
    differ.sort();
    assert!(
        missing.is_empty() && extra.is_empty() && differ.is_empty(),
        "after {after}: missing {missing:?}, extra {extra:?}, different {differ:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        failure_persistence: None,
        // A fixed seed: the same edit sequences on every run, so the test cannot be flaky.
        rng_seed: proptest::test_runner::RngSeed::Fixed(5),
        ..ProptestConfig::default()
    })]

    #[test]
    fn incremental_rebuilds_equal_a_clean_build(
        has_search in any::<bool>(),
        edits in proptest::collection::vec(edit_strategy(), 1..6),
    ) {
        let dir = fixture::copy("multilingual");
        let root = dir.path();
        if has_search {
            // Search indexes in two languages, made again after each edit.
            edit(&root.join("config.toml"), |t| {
                format!("build_search_index = true\n{t}").replacen(
                    "[languages.en]",
                    "[search]\nindex_format = \"fuse_json\"\n\n[languages.en]\n\
                     build_search_index = true\nsearch = { index_format = \"fuse_json\" }",
                    1,
                )
            });
        }
        let mut site = Site::load(root, &serve_opts()).unwrap();
        assert_same(&site, root, "the first build");
        for (n, e) in edits.iter().enumerate() {
            let path = apply_edit(root, e, n);
            if let Err(p) = site.apply(&[path]) {
                panic!("{e:?} failed:\n{}", diag::render_all(&p));
            }
            assert_same(&site, root, &format!("edit {n}: {e:?}"));
        }
    }
}

#[test]
fn a_body_edit_renders_few_targets() {
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    let mut site = Site::load(root, &serve_opts()).unwrap();
    let path = root.join("content/tin-tuc/lich-su-dinh-lang.md");
    edit(&path, |t| format!("{t}\nMột đoạn mới.\n"));
    let outcome = site.apply(&[path]).unwrap();
    assert!(!outcome.was_full);
    assert!(outcome.targets < 15, "{} targets", outcome.targets);
    assert!(
        outcome
            .changed
            .contains(&"tin-tuc/lich-su-dinh-lang/index.html".to_string()),
        "{:?}",
        outcome.changed
    );
    assert_same(&site, root, "a body edit");
}

#[test]
fn a_static_directory_made_after_the_start_is_served() {
    let dir = fixture::copy("multilingual");
    let h = start(dir.path());
    let css = dir.path().join("static/css/site.css");
    fs::create_dir_all(css.parent().unwrap()).unwrap();
    fs::write(&css, "body { color: teal }\n").unwrap();
    wait_for(h.addr(), "/css/site.css", |b| b.contains("teal"));
    fs::write(&css, "body { color: navy }\n").unwrap();
    wait_for(h.addr(), "/css/site.css", |b| b.contains("navy"));
}

#[test]
fn lists_and_feeds_render_again_only_for_the_fields_they_show() {
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    // Lists that show summaries, and site feeds of the newest page only.
    edit(&root.join("templates/section.html"), |t| {
        t.replace(
            "{{ p.title }}</a></li>",
            "{{ p.title }}</a>{{ p.summary | default(value=\"\") | safe }}</li>",
        )
    });
    edit(&root.join("config.toml"), |t| {
        t.replacen(
            "generate_feeds = true",
            "generate_feeds = true\nfeed_limit = 1",
            1,
        )
    });
    let mut site = Site::load(root, &serve_opts()).unwrap();
    let apply = |site: &mut Site, rel: &str, f: &dyn Fn(&str) -> String| {
        let path = root.join(rel);
        edit(&path, f);
        match site.apply(&[path]) {
            Ok(o) => o,
            Err(p) => panic!("{rel} failed:\n{}", diag::render_all(&p)),
        }
    };
    // Not in the site feed, and no summary: only the page, its neighbours and its tag (whose
    // feed shows bodies) can show the edit; not the section, the home or the site feeds.
    let spring = "content/tin-tuc/le-hoi-mua-xuan/index.md";
    let o = apply(&mut site, spring, &|t| format!("{t}\nThêm một câu.\n"));
    assert!(o.targets <= 4, "{} targets for a body edit", o.targets);
    assert_same(
        &site,
        root,
        "a body edit outside the feed and the summaries",
    );
    // A summary shows in the first pager of the section, and in the feed of the newest page.
    let history = "content/tin-tuc/lich-su-dinh-lang.md";
    let o = apply(&mut site, history, &|t| {
        t.replace("<!-- more -->", "Tóm tắt mới.\n\n<!-- more -->")
    });
    for path in ["tin-tuc/index.html", "atom.xml"] {
        assert!(o.changed.contains(&path.to_string()), "{:?}", o.changed);
    }
    assert_same(&site, root, "a summary edit");
    // A title shows in its own pager only; the other pagers are not rendered, and equal.
    let notice = "content/tin-tuc/2025-01-05-thong-bao.md";
    let o = apply(&mut site, notice, &|t| {
        t.replace("Thông báo", "Thông báo mới")
    });
    assert!(
        o.changed.contains(&"tin-tuc/page/2/index.html".to_string()),
        "{:?}",
        o.changed
    );
    assert_same(&site, root, "a title edit on the second pager");
    // Past its summary, the newest page's body shows only on its own page: the feed shows
    // the summary.
    let o = apply(&mut site, history, &|t| format!("{t}\nCâu cuối.\n"));
    assert_eq!(o.changed, ["tin-tuc/lich-su-dinh-lang/index.html"]);
    assert_same(
        &site,
        root,
        "a body edit past the summary of the page in the feed",
    );
}

#[test]
fn a_source_edit_reaches_its_content_fallback_copies() {
    let dir = fixture::copy("content-fallback");
    let root = dir.path();
    let mut site = Site::load(root, &serve_opts()).unwrap();
    let path = root.join("content/tin-tuc/thong-bao.md");
    edit(&path, |t| format!("{t}\nThông báo bổ sung.\n"));
    let outcome = site.apply(&[path]).unwrap();
    assert!(
        outcome
            .changed
            .contains(&"hnj/tin-tuc/thong-bao/index.html".to_string()),
        "{:?}",
        outcome.changed
    );
    assert_same(&site, root, "a body edit of a page with a fallback copy");
}

#[test]
fn search_indexes_follow_content_edits() {
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    edit(&root.join("config.toml"), |t| {
        format!("build_search_index = true\n{t}").replacen(
            "[languages.en]",
            "[search]\nindex_format = \"fuse_json\"\n\n[languages.en]",
            1,
        )
    });
    let mut site = Site::load(root, &serve_opts()).unwrap();
    let path = root.join("content/tin-tuc/lich-su-dinh-lang.md");
    edit(&path, |t| format!("{t}\nMái đình lợp ngói vảy cá.\n"));
    site.apply(&[path]).unwrap();
    let index = String::from_utf8(
        site.files()
            .get("search_index.vi.json")
            .unwrap()
            .bytes()
            .to_vec(),
    )
    .unwrap();
    assert!(index.contains("Mái đình lợp ngói vảy cá."), "{index}");
    assert_same(&site, root, "a body edit with a search index");
}

/// A portal as `tre init` writes it: its templates, messages, stylesheet and content kinds
/// are those of the theme in `themes/tre-portal/`.
fn init_portal() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let opts = tre::init::InitOptions {
        languages: vec!["vi".into(), "en".into()],
        ..tre::init::InitOptions::default()
    };
    if let Err(p) = tre::init::init(dir.path(), &opts) {
        panic!("init failed:\n{}", diag::render_all(&p));
    }
    dir
}

#[test]
fn edits_to_the_theme_show_up_as_the_sites_own_do() {
    let dir = init_portal();
    let theme = dir.path().join("themes/tre-portal");
    let h = start(dir.path());
    edit(&theme.join("locales/en/theme.ftl"), |t| {
        t.replace("footer-phone = Telephone", "footer-phone = Switchboard")
    });
    wait_for(h.addr(), "/en/", |b| b.contains("Switchboard:"));
    edit(&theme.join("templates/base.html"), |t| {
        t.replace("<body>", "<body><!-- sửa giao diện -->")
    });
    wait_for(h.addr(), "/", |b| b.contains("<!-- sửa giao diện -->"));
    edit(&theme.join("static/style.css"), |t| {
        format!("{t}\n.theme-edit {{ color: teal }}\n")
    });
    wait_for(h.addr(), "/style.css", |b| b.contains(".theme-edit"));
    // The theme's content kinds: a broken file is the overlay, naming it, until fixed.
    let kinds = theme.join("kinds.toml");
    let good = fs::read_to_string(&kinds).unwrap();
    edit(&kinds, |t| format!("[kinds.news\n{t}"));
    let body = wait_for(h.addr(), "/", |b| b.contains("__tre_overlay"));
    assert!(body.contains("themes/tre-portal/kinds.toml:1:"), "{body}");
    edit(&kinds, |_| good.clone());
    wait_for(h.addr(), "/", |b| !b.contains("__tre_overlay"));
    // The site's own kinds.toml, made after the start, is watched too.
    fs::write(dir.path().join("kinds.toml"), "[kinds.news\n").unwrap();
    let body = wait_for(h.addr(), "/", |b| b.contains("__tre_overlay"));
    assert!(body.contains("kinds.toml:1:"), "{body}");
    fs::remove_file(dir.path().join("kinds.toml")).unwrap();
    wait_for(h.addr(), "/", |b| !b.contains("__tre_overlay"));
}

#[test]
fn a_theme_edit_rebuilds_only_its_stage_and_equals_a_clean_build() {
    let dir = init_portal();
    let root = dir.path();
    let theme = root.join("themes/tre-portal");
    let mut site = Site::load(root, &serve_opts()).unwrap();

    let ftl = theme.join("locales/en/theme.ftl");
    edit(&ftl, |t| {
        t.replace("footer-phone = Telephone", "footer-phone = Switchboard")
    });
    let outcome = site.apply(std::slice::from_ref(&ftl)).unwrap();
    assert!(
        !outcome.was_full,
        "a theme message edit reloaded everything"
    );
    assert!(outcome.changed.contains(&"en/index.html".to_string()));
    assert!(
        !outcome.changed.contains(&"index.html".to_string()),
        "an English message changed the Vietnamese home: {:?}",
        outcome.changed
    );
    assert_same(&site, root, "a theme message edit");

    let template = theme.join("templates/page.html");
    edit(&template, |t| {
        t.replacen("</article>", "<!-- x --></article>", 1)
    });
    let outcome = site.apply(std::slice::from_ref(&template)).unwrap();
    assert!(
        !outcome.was_full,
        "a theme template edit reloaded everything"
    );
    assert!(!outcome.changed.is_empty());
    assert_same(&site, root, "a theme template edit");

    // A theme the site does not use is not a source.
    let other = root.join("themes/khac/templates/page.html");
    fs::create_dir_all(other.parent().unwrap()).unwrap();
    fs::write(&other, "khác").unwrap();
    let outcome = site.apply(&[other]).unwrap();
    assert!(outcome.changed.is_empty() && !outcome.was_full);
}
