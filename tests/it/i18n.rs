//! The `i18n` module against a real `locales/` tree: tests/fixtures/i18n.
//! Planted there: plurals in vi/en/zh-Hans/hnj (hnj has no CLDR data and borrows vi's rules),
//! a broken `updated` in hnj, `nav-contact` twice in en, an NFD line in vi/nav.ftl, a lockfile
//! that makes en `welcome` outdated, `only-vi` missing everywhere, an obsolete en message and
//! an hnj message using a variable the reference does not have.
//! Pages planted in content/ (vi is the reference): `con-dung` translated into en and zh-Hans
//! and up to date, `gio-mo-cua` translated into en before its source changed (outdated),
//! `chua-theo-doi` translated into en without `translated_from` (untracked), and
//! `chi-tieng-viet` in vi only. hnj has content fallback, so its missing pages are shown from vi.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::{Map, Value, json};
use tre::diag;
use tre::i18n::{self, LocaleSpec, Locales, LookupError, Selection};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/i18n")
}

fn spec(lang: &str, fallback: &[&str]) -> LocaleSpec {
    LocaleSpec {
        lang: lang.to_owned(),
        fallback: fallback.iter().map(|s| (*s).to_owned()).collect(),
        plural_rules: None,
        number_locale: None,
        use_isolating: false,
    }
}

fn specs() -> Vec<LocaleSpec> {
    vec![
        spec("vi", &[]),
        spec("en", &["vi"]),
        spec("zh-Hans", &["en", "vi"]),
        spec("hnj", &["vi", "en"]),
    ]
}

fn load_at(root: &Path) -> Locales {
    match i18n::load(root, &specs(), "vi") {
        Ok(l) => l,
        Err(problems) => panic!("fixture does not load:\n{}", diag::render_all(&problems)),
    }
}

fn args(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => panic!("args must be a JSON object"),
    }
}

fn text(locales: &Locales, lang: &str, key: &str, a: Value) -> String {
    locales.format(lang, key, &args(a)).unwrap().text
}

/// A copy of the fixture for tests that write.
fn scratch() -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(&fixture(), dir.path());
    dir
}

#[test]
fn fixture_loads_with_exactly_the_planted_warnings() {
    let locales = load_at(&fixture());
    insta::assert_snapshot!(diag::render_all(locales.warnings()), @r#"
    config.toml: warning: CLDR has no plural rules for `hnj`; using those of `vi`
      help: set the plural rules of `hnj` to a language with the same plural forms
    locales/en/nav.ftl:5:1: warning: `nav-contact` is defined twice
      help: the first definition, at locales/en/main.ftl:11:1, is used; remove one of them
    locales/hnj/main.ftl:9:41: warning: syntax error in `updated`: expected a token starting with "}"
      help: until this is fixed, pages show `updated` from `vi`
    locales/vi/nav.ftl:3:17: warning: text is not in Unicode NFC; read as NFC
      help: save the file in NFC (composed) form so searches and diffs match
    "#);
}

#[test]
fn plurals_follow_each_languages_cldr_rules() {
    let locales = load_at(&fixture());
    let one = || json!({"count": 1});
    assert_eq!(text(&locales, "en", "articles", one()), "1 article");
    assert_eq!(
        text(&locales, "en", "articles", json!({"count": 3})),
        "3 articles"
    );
    assert_eq!(text(&locales, "vi", "articles", one()), "1 bài viết");
    assert_eq!(text(&locales, "zh-Hans", "articles", one()), "1 篇文章");
    // English rules would pick `[one]` here; hnj borrows Vietnamese ones, which have only `other`.
    assert_eq!(text(&locales, "hnj", "articles", one()), "1 tsab xov xwm");
    assert_eq!(
        text(&locales, "vi", "articles", json!({"count": 1500})),
        "1.500 bài viết"
    );
}

#[test]
fn broken_message_falls_back_to_vi() {
    let locales = load_at(&fixture());
    let got = locales
        .format("hnj", "updated", &args(json!({"date": "2023-06-15"})))
        .unwrap();
    assert_eq!(got.text, "Cập nhật ngày 15 tháng 6 năm 2023");
    assert_eq!(got.from_lang, "vi");
    assert!(got.used_fallback);
    let own = locales
        .format("hnj", "welcome", &args(json!({"name": "Pov"})))
        .unwrap();
    assert_eq!((own.from_lang.as_str(), own.used_fallback), ("hnj", false));
}

#[test]
fn attributes_walk_the_chain_like_messages() {
    let locales = load_at(&fixture());
    let title = |lang| {
        let f = locales
            .format(lang, "nav-home.title", &args(json!({})))
            .unwrap();
        (f.text, f.from_lang)
    };
    assert_eq!(title("en"), ("Go to the home page".into(), "en".into()));
    // zh-Hans has `nav-home` but no `.title`: its chain is en, then vi.
    assert_eq!(
        title("zh-Hans"),
        ("Go to the home page".into(), "en".into())
    );
    assert_eq!(title("vi"), ("Về trang chủ".into(), "vi".into()));
    assert_eq!(
        locales
            .format("hnj", "nav-home.tooltip", &args(json!({})))
            .unwrap_err(),
        LookupError::MissingMessage {
            key: "nav-home.tooltip".into(),
            tried: vec!["hnj".into(), "vi".into(), "en".into()],
        }
    );
}

#[test]
fn numbers_and_dates_follow_the_number_locale() {
    let locales = load_at(&fixture());
    let amount = || json!({"amount": 1_234_567.5});
    assert_eq!(
        text(&locales, "vi", "budget", amount()),
        "Ngân sách: 1.234.567,50 đồng"
    );
    assert_eq!(
        text(&locales, "en", "budget", amount()),
        "Budget: 1,234,567.50 dong"
    );
    assert_eq!(
        text(&locales, "zh-Hans", "budget", amount()),
        "预算：1,234,567.50越南盾"
    );
    // hnj has no number locale of its own: it takes the plural-rule language, vi.
    assert_eq!(
        text(&locales, "hnj", "budget", amount()),
        "Nyiaj: 1.234.567,5 npib"
    );
    let date = || json!({"date": "2023-06-15"});
    assert_eq!(
        text(&locales, "en", "updated", date()),
        "Updated 15 June 2023"
    );
    assert_eq!(
        text(&locales, "zh-Hans", "updated", date()),
        "更新于2023年6月15日"
    );
}

#[test]
fn a_number_locale_can_differ_from_the_language() {
    let mut specs = specs();
    specs[1].number_locale = Some("vi".into());
    let locales = i18n::load(&fixture(), &specs, "vi").unwrap();
    assert_eq!(
        text(&locales, "en", "budget", json!({"amount": 1500})),
        "Budget: 1.500,00 dong"
    );
    assert_eq!(
        text(&locales, "en", "updated", json!({"date": "2023-06-15"})),
        "Updated ngày 15 tháng 6 năm 2023"
    );
}

#[test]
fn nfd_text_is_served_as_nfc() {
    let locales = load_at(&fixture());
    let news = text(&locales, "vi", "nav-news", json!({}));
    assert_eq!(news, "Tin t\u{1ee9}c");
}

#[test]
fn isolation_marks_appear_only_when_asked_for() {
    let mut specs = specs();
    specs[2].use_isolating = true;
    let locales = i18n::load(&fixture(), &specs, "vi").unwrap();
    let name = || json!({"name": "An"});
    let isolated = text(&locales, "zh-Hans", "welcome", name());
    assert_eq!(isolated, "欢迎\u{2068}An\u{2069}访问电子门户");
    assert_eq!(i18n::strip_isolation(&isolated), "欢迎An访问电子门户");
    for lang in ["vi", "en", "hnj"] {
        let plain = text(&locales, lang, "welcome", name());
        assert!(
            !plain.contains(['\u{2068}', '\u{2069}']),
            "{lang}: {plain:?}"
        );
    }
}

#[test]
fn formatting_from_many_threads_matches_one_thread() {
    let locales = load_at(&fixture());
    let jobs: Vec<(&str, i64)> = ["vi", "en", "zh-Hans", "hnj"]
        .into_iter()
        .flat_map(|l| (0..50).map(move |n| (l, n)))
        .collect();
    let run = |(lang, n): &(&str, i64)| text(&locales, lang, "articles", json!({"count": n}));
    let parallel: Vec<String> = jobs.par_iter().map(run).collect();
    let serial: Vec<String> = jobs.iter().map(run).collect();
    assert_eq!(parallel, serial);
}

#[test]
fn a_language_without_files_is_not_an_error() {
    let mut specs = specs();
    specs.push(spec("tyz", &["vi"]));
    let locales = i18n::load(&fixture(), &specs, "vi").unwrap();
    assert!(locales.has_language("tyz"));
    assert!(!locales.has_language("blt"));
    let f = locales.format("tyz", "nav-news", &args(json!({}))).unwrap();
    assert_eq!((f.from_lang.as_str(), f.used_fallback), ("vi", true));
}

#[test]
fn non_utf8_file_is_an_error_at_the_bad_byte() {
    let site = scratch();
    fs::write(
        site.path().join("locales/en/extra.ftl"),
        b"ok = fine\nbad = caf\xe9\n",
    )
    .unwrap();
    let problems = i18n::load(site.path(), &specs(), "vi").err().unwrap();
    let errors: Vec<String> = problems
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        errors,
        [
            "locales/en/extra.ftl:2:10: error: file is not valid UTF-8\n  help: save the file as UTF-8"
        ]
    );
}

#[test]
fn status_lists_exactly_what_was_planted() {
    let locales = load_at(&fixture());
    let status = locales.status(&fixture());
    let en = &status.languages[0];
    assert_eq!(en.lang, "en");
    let ids = |list: &[i18n::Located]| list.iter().map(|m| m.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&en.outdated), ["welcome"]);
    assert_eq!(ids(&en.missing), ["only-vi"]);
    assert_eq!(ids(&en.obsolete), ["old-banner"]);
    insta::assert_snapshot!("status_json", i18n::render_json(&status));
    insta::assert_snapshot!("status_text", i18n::render_text(&status));
}

#[test]
fn status_page_is_standalone_and_accessible() {
    let locales = load_at(&fixture());
    let html = i18n::render_html(&locales.status(&fixture()));
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.contains("<title>Translation status</title>"));
    for lang in ["en", "zh-Hans", "hnj"] {
        assert!(
            html.contains(&format!("<section id=\"lang-{lang}\"")),
            "{lang}"
        );
    }
    assert_eq!(
        html.matches("<table>").count(),
        4,
        "a summary and one per language"
    );
    assert_eq!(html.matches("<th scope=\"row\">").count(), 3);
    for forbidden in ["<script", "http://", "https://", "src=", "<link"] {
        assert!(!html.contains(forbidden), "{forbidden}");
    }
}

#[test]
fn a_broken_lockfile_is_reported_and_nothing_is_outdated() {
    let site = scratch();
    fs::write(
        site.path().join("locales/translations.lock"),
        "version = 1\n[hashes.en\n",
    )
    .unwrap();
    let locales = load_at(site.path());
    let status = locales.status(site.path());
    assert!(status.languages.iter().all(|l| l.outdated.is_empty()));
    assert_eq!(status.problems.len(), 1);
    assert!(
        status.problems[0].starts_with("locales/translations.lock:2:"),
        "{}",
        status.problems[0]
    );
    assert!(
        i18n::sync(site.path(), &locales).is_err(),
        "sync must not overwrite it"
    );
}

#[test]
fn sync_lists_missing_messages_and_baselines_the_lockfile() {
    let site = scratch();
    let root = site.path();
    let locales = load_at(root);
    let report = i18n::sync(root, &locales).unwrap();
    insta::assert_snapshot!(
        "sync_report",
        serde_json::to_string_pretty(&report).unwrap()
    );
    let en_main = fs::read_to_string(root.join("locales/en/main.ftl")).unwrap();
    assert!(
        en_main.ends_with(
            "old-banner = This banner is no longer in the Vietnamese site\n\n\
             # MISSING: only-vi = Thông báo chỉ có bằng tiếng Việt\n"
        ),
        "{en_main}"
    );
    let zh_nav = fs::read_to_string(root.join("locales/zh-Hans/nav.ftl")).unwrap();
    assert!(
        zh_nav.ends_with("\n# MISSING: nav-contact = Liên hệ\n"),
        "{zh_nav}"
    );
    let hnj_main = fs::read_to_string(root.join("locales/hnj/main.ftl")).unwrap();
    assert!(
        !hnj_main.contains("# MISSING: updated"),
        "a broken translation is not missing"
    );
    assert!(hnj_main.contains("# MISSING: -brand = Cổng thông tin điện tử\n"));

    // A second sync changes nothing, and the files still load with the same messages.
    let again = load_at(root);
    assert_eq!(
        i18n::sync(root, &again).unwrap(),
        i18n::SyncReport::default()
    );
    assert_eq!(
        fs::read_to_string(root.join("locales/en/main.ftl")).unwrap(),
        en_main
    );
    let before = locales.status(root);
    let after = again.status(root);
    for (b, a) in before.languages.iter().zip(&after.languages) {
        assert_eq!(b.missing, a.missing);
    }
    // Baselining does not hide what the lockfile already knew was outdated.
    assert_eq!(after.languages[0].outdated.len(), 1);
}

#[test]
fn confirm_makes_an_outdated_translation_current() {
    let site = scratch();
    let root = site.path();
    let locales = load_at(root);
    let confirmed = i18n::confirm(root, &locales, "en", Selection::Only(&["welcome"])).unwrap();
    assert_eq!(confirmed, ["welcome"]);
    assert!(locales.status(root).languages[0].outdated.is_empty());
    let err = i18n::confirm(root, &locales, "en", Selection::Only(&["only-vi"])).unwrap_err();
    assert_eq!(
        diag::render_all(&err),
        "locales/translations.lock: error: cannot confirm `only-vi` in `en`: it is not translated\n"
    );
    let all = i18n::confirm(root, &locales, "hnj", Selection::All).unwrap();
    assert_eq!(all, ["articles", "budget", "nav-home", "welcome"]);
}

#[test]
fn l10n_toml_names_vi_as_the_reference() {
    let site = scratch();
    let locales = load_at(site.path());
    let written = i18n::write_l10n_toml(site.path(), &locales).unwrap();
    let toml = fs::read_to_string(site.path().join(&written)).unwrap();
    insta::assert_snapshot!(toml, @r#"
    # Written by `tre`: Pontoon project configuration.

    basepath = "."
    locales = ["en", "zh-Hans", "hnj"]

    [[paths]]
    reference = "locales/vi/**"
    l10n = "locales/{locale}/**"
    "#);
}

#[test]
fn extreme_counts_select_a_variant_without_panicking() {
    let locales = load_at(&fixture());
    for count in [
        json!(1e300),
        json!(-1),
        json!(0.5),
        json!(u64::MAX),
        json!(5e-324),
    ] {
        for lang in ["vi", "en", "hnj"] {
            let got = locales.format(lang, "articles", &args(json!({"count": count})));
            assert!(got.is_ok(), "{lang} {count}: {got:?}");
        }
    }
    assert_eq!(
        text(&locales, "en", "articles", json!({"count": -1})),
        "-1 article"
    );
}

#[test]
fn sync_creates_the_files_of_a_language_that_has_none() {
    let site = scratch();
    let mut specs = specs();
    specs.push(spec("tyz", &["vi"]));
    let locales = i18n::load(site.path(), &specs, "vi").unwrap();
    let report = i18n::sync(site.path(), &locales).unwrap();
    assert_eq!(report.appended["tyz"].len(), 2);
    let nav = fs::read_to_string(site.path().join("locales/tyz/nav.ftl")).unwrap();
    assert_eq!(
        nav,
        "# MISSING: nav-home = Trang chủ\n#     .title = Về trang chủ\n\n\
         # MISSING: nav-news = Tin tức\n\n\
         # MISSING: nav-contact = Liên hệ\n"
    );
    let reloaded = i18n::load(site.path(), &specs, "vi").unwrap();
    assert_eq!(reloaded.status(site.path()).languages[3].translated, 0);
}

fn site_status(root: &Path) -> i18n::Status {
    let config = tre::config::load(root, &tre::BuildOptions::default()).unwrap();
    match tre::i18n_status(root, &config) {
        Ok(s) => s,
        Err(problems) => panic!("no status:\n{}", diag::render_all(&problems)),
    }
}

fn page_list(status: &i18n::Status, lang: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
    let pages = status.pages.as_ref().unwrap();
    let l = pages.languages.iter().find(|l| l.lang == lang).unwrap();
    (
        l.missing.iter().map(|m| m.source.clone()).collect(),
        l.outdated.iter().map(|o| o.file.clone()).collect(),
        l.untracked.iter().map(|u| u.file.clone()).collect(),
    )
}

#[test]
fn status_lists_exactly_the_planted_pages() {
    let status = site_status(&fixture());
    let (missing, outdated, untracked) = page_list(&status, "en");
    assert_eq!(missing, ["content/chi-tieng-viet.md"]);
    assert_eq!(outdated, ["content/gio-mo-cua.en.md"]);
    assert_eq!(untracked, ["content/chua-theo-doi.en.md"]);
    let (missing, outdated, untracked) = page_list(&status, "zh-Hans");
    assert_eq!(missing.len(), 3);
    assert!(outdated.is_empty() && untracked.is_empty());
    let pages = status.pages.as_ref().unwrap();
    let hnj = pages.languages.iter().find(|l| l.lang == "hnj").unwrap();
    assert_eq!(hnj.missing.len(), 4);
    assert!(
        hnj.missing
            .iter()
            .all(|m| m.fallback_from.as_deref() == Some("vi"))
    );
    insta::assert_snapshot!("status_with_pages_json", i18n::render_json(&status));
    insta::assert_snapshot!("status_with_pages_text", i18n::render_text(&status));
    let html = i18n::render_html(&status);
    assert!(html.contains("<section id=\"pages\""));
    assert!(html.contains(
        "<td>outdated</td><td>content/gio-mo-cua.en.md:4:1: content/gio-mo-cua.md changed"
    ));
}

#[test]
fn an_edited_source_outdates_its_page_and_message_translations() {
    let site = scratch();
    let root = site.path();
    let before = site_status(root);
    assert!(page_list(&before, "en").1.len() == 1);
    let page = root.join("content/con-dung.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, text.replace("vẫn đúng", "đã được sửa")).unwrap();
    let ftl = root.join("locales/vi/main.ftl");
    let text = fs::read_to_string(&ftl).unwrap();
    fs::write(&ftl, text.replace("đồng", "Việt Nam đồng")).unwrap();
    let after = site_status(root);
    assert_eq!(
        page_list(&after, "en").1,
        ["content/con-dung.en.md", "content/gio-mo-cua.en.md"]
    );
    assert_eq!(
        page_list(&after, "zh-Hans").1,
        ["content/con-dung.zh-Hans.md"]
    );
    let en = &after.languages[0];
    let ids: Vec<&str> = en.outdated.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["welcome", "budget"]);
    // A new final newline or other line ends do not outdate anything.
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, format!("{}\r\n\r\n", text.replace('\n', "\r\n"))).unwrap();
    assert_eq!(site_status(root).pages, after.pages);
}

#[test]
fn confirming_a_page_changes_only_its_translated_from_line() {
    let site = scratch();
    let root = site.path();
    let config = tre::config::load(root, &tre::BuildOptions::default()).unwrap();
    let library = tre::content::load(root, &config).unwrap();
    let outdated = root.join("content/gio-mo-cua.en.md");
    let before = fs::read_to_string(&outdated).unwrap();
    let hash = i18n::confirm_page(root, &config, &library, "content/gio-mo-cua.en.md").unwrap();
    assert_eq!(hash, "edcf8340e6bb9d4d");
    let after = fs::read_to_string(&outdated).unwrap();
    assert_eq!(
        after,
        before.replace("a3553c7a3ce17a9b", "edcf8340e6bb9d4d")
    );
    i18n::confirm_page(root, &config, &library, "content/chua-theo-doi.en.md").unwrap();
    let status = site_status(root);
    let (missing, outdated, untracked) = page_list(&status, "en");
    assert_eq!(missing, ["content/chi-tieng-viet.md"]);
    assert!(outdated.is_empty() && untracked.is_empty());
    let err = i18n::confirm_page(root, &config, &library, "content/con-dung.md").unwrap_err();
    assert_eq!(
        diag::render_all(&err),
        "content/con-dung.md: error: this is in the default language `vi`; confirm its translations instead\n"
    );
}
