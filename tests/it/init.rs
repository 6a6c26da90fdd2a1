//! `tre init`: the portal it writes builds in every language, it refuses a non-empty
//! directory, `--force` never overwrites, and the built-in theme can be overridden.

use std::fs;
use std::path::Path;

use tre::init::{InitOptions, InitReport, init};
use tre::{BuildOptions, diag};

use crate::fixture::{Site, files_under};

fn options(languages: &str) -> InitOptions {
    InitOptions {
        languages: languages.split(',').map(str::to_owned).collect(),
        ..InitOptions::default()
    }
}

fn init_in(dir: &Path, opts: &InitOptions) -> InitReport {
    match init(dir, opts) {
        Ok(r) => r,
        Err(p) => panic!("init failed:\n{}", diag::render_all(&p)),
    }
}

fn build(dir: tempfile::TempDir) -> Site {
    let report = match tre::build(dir.path(), &BuildOptions::default()) {
        Ok(r) => r,
        Err(p) => panic!("the new site failed to build:\n{}", diag::render_all(&p)),
    };
    Site { dir, report }
}

fn new_portal(languages: &str) -> Site {
    let dir = tempfile::tempdir().unwrap();
    init_in(dir.path(), &options(languages));
    build(dir)
}

#[test]
fn the_new_portal_has_the_pages_a_government_portal_must_have_in_vi_and_en() {
    let site = new_portal("vi,en");
    for (path, lang, title) in [
        ("index.html", "vi", "Cổng thông tin điện tử xã Ví Dụ"),
        ("gioi-thieu/index.html", "vi", "Giới thiệu"),
        (
            "gioi-thieu/to-chuc-bo-may/index.html",
            "vi",
            "Tổ chức bộ máy",
        ),
        ("gioi-thieu/lien-he/index.html", "vi", "Liên hệ"),
        ("tin-tuc/index.html", "vi", "Tin tức"),
        (
            "en/index.html",
            "en",
            "Vi Du Commune Electronic Information Portal",
        ),
        ("en/gioi-thieu/index.html", "en", "About us"),
        (
            "en/gioi-thieu/to-chuc-bo-may/index.html",
            "en",
            "Organisation",
        ),
        ("en/gioi-thieu/lien-he/index.html", "en", "Contact us"),
        ("en/tin-tuc/index.html", "en", "News"),
    ] {
        let html = site.read(path);
        assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{path}");
        assert!(html.contains(&format!("<h1>{title}</h1>")), "{path}");
        assert!(
            !html.contains("notice-fallback"),
            "{path} is a translation, not a fallback copy"
        );
    }
    let lien_he = site.read("gioi-thieu/lien-he/index.html");
    assert!(lien_he.contains("Đầu mối liên hệ") && lien_he.contains("Nguyễn Văn A"));
    // The agency's identity, from config.toml, in every page's footer, in the page's language.
    let home = site.read("index.html");
    for text in [
        "Ủy ban nhân dân xã Ví Dụ",
        "Số 1 đường Ví Dụ",
        "tel:+842000000000",
        "+84 200 000 0009",
        "mailto:vanphong@example.gov.vn",
        "Người chịu trách nhiệm nội dung</span>: Nguyễn Văn A",
        "Giấy phép số 00",
    ]
    .iter()
    .map(|t| t.replace("</span>", ""))
    {
        assert!(home.contains(&text), "the footer lacks {text}");
    }
    // Tera escapes `/` in URLs that went through `set`; browsers read them the same.
    let en = site.read("en/index.html").replace("&#x2F;", "/");
    for text in [
        "People&#x27;s Committee of Vi Du Commune",
        "1 Vi Du Street",
        "Responsible for content: Nguyễn Văn A, Chief of Office",
        "Skip to main content",
        "<span class=\"brand-name\">Vi Du Commune Electronic Information Portal</span>",
    ] {
        assert!(en.contains(text), "en/index.html lacks {text}");
    }
    // An empty news section says so, and the menu and footer reach the configured pages.
    assert!(
        site.read("en/tin-tuc/index.html")
            .contains("No articles yet")
    );
    assert!(en.contains("https://example.gov.vn/en/tim-kiem/"));
    assert!(en.contains("https://example.gov.vn/en/gioi-thieu/lien-he/"));
    assert!(
        site.report.warnings.is_empty(),
        "{:?}",
        site.report.warnings
    );
}

#[test]
fn every_language_gets_the_pages_with_a_notice_and_a_language_without_messages_warns() {
    let site = new_portal("vi,en,zh-Hans,hnj");
    // zh-Hans: its own home, news and search; the rest shown from English with a notice.
    assert!(
        site.read("zh-Hans/tin-tuc/index.html")
            .contains("<h1>新闻</h1>")
    );
    let zh_contact = site.read("zh-Hans/gioi-thieu/lien-he/index.html");
    assert!(zh_contact.contains("notice-fallback") && zh_contact.contains("<div lang=\"en\">"));
    assert!(zh_contact.contains("本内容尚未译成您所选的语言"));
    // hnj: no pages and no messages of its own; everything comes from vi, marked as vi.
    for path in [
        "hnj/index.html",
        "hnj/gioi-thieu/index.html",
        "hnj/gioi-thieu/lien-he/index.html",
        "hnj/tin-tuc/index.html",
    ] {
        let html = site.read(path);
        assert!(html.contains("<html lang=\"hnj\">"), "{path}");
        assert!(html.contains("notice-fallback"), "{path} has no notice");
        assert!(html.contains("<div lang=\"vi\">"), "{path}");
        assert!(
            html.contains("<span lang=\"vi\">Bỏ qua, đến nội dung chính</span>"),
            "{path}: a vi message on an hnj page must say it is vi"
        );
    }
    let warnings = diag::render_all(&site.report.warnings);
    assert!(
        warnings.contains("locales/hnj: warning:")
            && warnings.contains("no `hnj` translation")
            && warnings.contains("`article-count`")
            && warnings.contains("pages show them in vi, then en"),
        "{warnings}"
    );
    assert!(!warnings.contains("zh-Hans"), "{warnings}");
    let config = fs::read_to_string(site.dir.path().join("config.toml")).unwrap();
    assert!(config.contains("[languages.hnj]") && config.contains("plural_rules = \"vi\""));
    assert!(
        config.contains("fallback = [\"en\", \"vi\"]"),
        "zh-Hans reads English first"
    );
}

#[test]
fn a_vietnamese_article_is_shown_in_every_language_at_once() {
    let dir = tempfile::tempdir().unwrap();
    init_in(dir.path(), &options("vi,en,zh-Hans,hnj"));
    fs::write(
        dir.path().join("content/tin-tuc/hoi-nghi.md"),
        "+++\ntitle = \"Hội nghị xúc tiến đầu tư\"\ndate = 2026-03-01\n+++\nNội dung.\n",
    )
    .unwrap();
    let site = build(dir);
    for lang in ["en", "zh-Hans", "hnj"] {
        let html = site.read(&format!("{lang}/tin-tuc/hoi-nghi/index.html"));
        assert!(html.contains("notice-fallback"), "{lang}");
        assert!(html.contains("<h1>Hội nghị xúc tiến đầu tư</h1>"), "{lang}");
        let home = site
            .read(&format!("{lang}/index.html"))
            .replace("&#x2F;", "/");
        assert!(
            home.contains(&format!("/{lang}/tin-tuc/hoi-nghi/")),
            "{lang}: the home page lists the latest news"
        );
    }
}

#[test]
fn init_refuses_a_directory_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("ghi-chu.txt"), "của tôi").unwrap();
    let problems = init(dir.path(), &options("vi,en")).unwrap_err();
    let text = diag::render_all(&problems);
    assert!(text.contains("error: the directory is not empty"), "{text}");
    assert!(text.contains("--force"), "{text}");
    assert_eq!(files_under(dir.path()), ["ghi-chu.txt"]);
}

#[test]
fn force_adds_the_missing_files_and_never_overwrites_one() {
    let dir = tempfile::tempdir().unwrap();
    let mine = "base_url = \"https://xa.example.gov.vn\"\ntitle = \"Của tôi\"\n";
    fs::write(dir.path().join("config.toml"), mine).unwrap();
    fs::create_dir_all(dir.path().join("content")).unwrap();
    fs::write(
        dir.path().join("content/_index.md"),
        "+++\ntitle = \"A\"\n+++\n",
    )
    .unwrap();
    let opts = InitOptions {
        force: true,
        ..options("vi,en")
    };
    let report = init_in(dir.path(), &opts);
    assert_eq!(report.kept, ["config.toml", "content/_index.md"]);
    assert!(report.written.contains(&"content/_index.en.md".to_owned()));
    assert_eq!(
        fs::read_to_string(dir.path().join("config.toml")).unwrap(),
        mine
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("content/_index.md")).unwrap(),
        "+++\ntitle = \"A\"\n+++\n"
    );
    // A second run writes nothing at all.
    let again = init_in(dir.path(), &opts);
    assert!(again.written.is_empty(), "{:?}", again.written);
}

#[test]
fn bad_languages_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["zh-Hans,vi", "vi,en,vi", "vi,en_US"] {
        let text = diag::render_all(&init(dir.path(), &options(bad)).unwrap_err());
        assert!(text.contains("--languages: error:"), "{bad}: {text}");
    }
    assert!(files_under(dir.path()).is_empty());
}

#[test]
fn bare_keeps_the_minimal_skeleton() {
    let dir = tempfile::tempdir().unwrap();
    let opts = InitOptions {
        is_bare: true,
        ..InitOptions::default()
    };
    init_in(dir.path(), &opts);
    assert!(dir.path().join("templates/base.html").exists());
    assert!(!dir.path().join("themes").exists());
    let site = build(dir);
    assert!(
        site.read("tin-tuc/xin-chao/index.html")
            .contains("<h1>Xin chào</h1>")
    );
}

#[test]
fn a_site_template_or_message_replaces_the_themes() {
    let dir = tempfile::tempdir().unwrap();
    init_in(dir.path(), &options("vi,en"));
    fs::create_dir_all(dir.path().join("templates")).unwrap();
    fs::write(
        dir.path().join("templates/section.html"),
        "{% extends \"base.html\" %}\n{% block content %}<h1>{{ section.title }}</h1><p>Mẫu riêng của trang</p>{% endblock content %}\n",
    )
    .unwrap();
    fs::create_dir_all(dir.path().join("locales/vi")).unwrap();
    fs::write(
        dir.path().join("locales/vi/site.ftl"),
        "nav-search = Tra cứu\nsite-kicker = Đảng bộ, chính quyền và nhân dân xã Ví Dụ\n",
    )
    .unwrap();
    let site = build(dir);
    // The site's section.html, inside the theme's base.html.
    let news = site.read("tin-tuc/index.html");
    assert!(news.contains("<p>Mẫu riêng của trang</p>") && news.contains("site-footer"));
    // Pages still use the theme's page.html.
    assert!(
        site.read("gioi-thieu/lien-he/index.html")
            .contains("class=\"article\"")
    );
    let home = site.read("index.html");
    assert!(home.contains(">Tra cứu</a>"), "the site's message wins");
    assert!(home.contains("Đảng bộ, chính quyền và nhân dân xã Ví Dụ"));
    // English still has the theme's own message, and nothing is reported as defined twice.
    assert!(site.read("en/index.html").contains(">Search</a>"));
    assert!(
        site.report.warnings.is_empty(),
        "{:?}",
        site.report.warnings
    );
}

#[test]
fn theme_files_are_the_repository_files() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut on_disk: Vec<String> = Vec::new();
    for dir in ["templates", "static"] {
        on_disk.extend(
            files_under(&repo.join(dir))
                .into_iter()
                // The sample portal's own pictures, video and documents are not the theme's.
                .filter(|p| {
                    !["images/", "media/", "van-ban/"]
                        .iter()
                        .any(|d| p.starts_with(d))
                })
                .map(|p| format!("{dir}/{p}")),
        );
    }
    on_disk.extend(
        files_under(&repo.join("locales"))
            .into_iter()
            .filter(|p| p.ends_with("/theme.ftl") || p.ends_with("/kinds.ftl"))
            .map(|p| format!("locales/{p}")),
    );
    on_disk.push("kinds.toml".to_owned());
    on_disk.sort();
    let mut embedded: Vec<String> = tre::theme::FILES
        .iter()
        .map(|f| f.path.to_owned())
        .collect();
    embedded.sort();
    assert_eq!(
        embedded, on_disk,
        "add the file to src/theme.rs, or remove it"
    );
    assert_eq!(
        tre::theme::languages().collect::<Vec<_>>(),
        ["en", "vi", "zh-Hans"]
    );
}

#[test]
fn theme_only_adds_the_theme_to_an_existing_site_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let config = "base_url = \"https://a.example\"\ntitle = \"A\"\ntheme = \"tre-portal\"\n";
    fs::write(dir.path().join("config.toml"), config).unwrap();
    fs::create_dir_all(dir.path().join("content")).unwrap();
    fs::write(
        dir.path().join("content/_index.md"),
        "+++\ntitle = \"A\"\n+++\n",
    )
    .unwrap();
    let opts = InitOptions {
        is_theme_only: true,
        ..InitOptions::default()
    };
    let report = init_in(dir.path(), &opts);
    assert!(
        report
            .written
            .iter()
            .all(|p| p.starts_with("themes/tre-portal/"))
    );
    assert!(
        report
            .written
            .contains(&"themes/tre-portal/templates/base.html".to_owned())
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("config.toml")).unwrap(),
        config
    );
    assert!(!dir.path().join("content/gioi-thieu").exists());
    let site = build(dir);
    assert!(
        site.read("index.html")
            .contains("<span class=\"brand-name\">A</span>")
    );
}

/// The user guide in docs/ builds with the built-in theme, every page in vi and en, with no
/// warning (CI also audits it in Chromium).
#[test]
fn the_user_guide_builds_with_the_portal_theme() {
    let dir = tempfile::tempdir().unwrap();
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    for rel in files_under(&docs) {
        if rel.starts_with("themes/") || rel.starts_with("public/") {
            continue;
        }
        let to = dir.path().join(&rel);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(docs.join(&rel), to).unwrap();
    }
    let opts = InitOptions {
        is_theme_only: true,
        ..InitOptions::default()
    };
    init_in(dir.path(), &opts);
    let site = build(dir);
    assert!(
        site.report.warnings.is_empty(),
        "{}",
        diag::render_all(&site.report.warnings)
    );
    let pages = site.html_pages();
    let en = pages.iter().filter(|(p, _)| p.starts_with("en/")).count();
    assert!(en >= 10, "{en} English pages");
    assert!(
        pages.len() >= 2 * en,
        "every English page has a Vietnamese one"
    );
    for (path, html) in &pages {
        assert!(
            !html.contains("notice-fallback"),
            "{path} is not translated"
        );
    }
    assert!(
        site.read("bat-dau/tao-cong/index.html")
            .contains("tre init cong-xa")
    );
}

#[test]
fn the_new_portal_starts_with_its_translations_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let report = init_in(root, &options("vi,en,zh-Hans"));
    assert!(
        report
            .written
            .contains(&"locales/translations.lock".to_string())
    );
    let status = || {
        let config = tre::config::load(root, &BuildOptions::default()).unwrap();
        tre::i18n_status(root, &config).unwrap()
    };
    let fresh = status();
    for l in &fresh.languages {
        assert_eq!((l.counts.missing, l.counts.outdated), (0, 0), "{}", l.lang);
    }
    let pages = fresh.pages.as_ref().unwrap();
    let en = pages.languages.iter().find(|l| l.lang == "en").unwrap();
    assert!(en.untracked.is_empty() && en.outdated.is_empty(), "{en:?}");
    // A later edit of the Vietnamese text leaves its translations out of date.
    let ftl = root.join("themes/tre-portal/locales/vi/theme.ftl");
    let text = fs::read_to_string(&ftl).unwrap();
    fs::write(
        &ftl,
        text.replace("footer-phone = Điện thoại", "footer-phone = Số điện thoại"),
    )
    .unwrap();
    let contact = root.join("content/gioi-thieu/lien-he.md");
    let text = fs::read_to_string(&contact).unwrap();
    fs::write(&contact, format!("{text}\nGiờ làm việc: sáng thứ Bảy.\n")).unwrap();
    let after = status();
    for l in &after.languages {
        let ids: Vec<&str> = l.outdated.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["footer-phone"], "{}", l.lang);
    }
    let pages = after.pages.as_ref().unwrap();
    let en = pages.languages.iter().find(|l| l.lang == "en").unwrap();
    assert_eq!(en.outdated.len(), 1, "{en:?}");
}

#[test]
fn force_keeps_the_sites_own_translations_lock() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let lock = "# the site's own\nversion = 1\nreference = \"vi\"\n";
    fs::create_dir_all(root.join("locales")).unwrap();
    fs::write(root.join("locales/translations.lock"), lock).unwrap();
    let opts = InitOptions {
        force: true,
        ..options("vi,en")
    };
    init_in(root, &opts);
    assert_eq!(
        fs::read_to_string(root.join("locales/translations.lock")).unwrap(),
        lock
    );
}
