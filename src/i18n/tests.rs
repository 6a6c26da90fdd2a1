use super::*;
use serde_json::json;

fn spec(lang: &str, fallback: &[&str]) -> LocaleSpec {
    LocaleSpec {
        lang: lang.to_owned(),
        fallback: fallback.iter().map(|s| (*s).to_owned()).collect(),
        plural_rules: None,
        number_locale: None,
        use_isolating: false,
    }
}

fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn args(v: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    match v {
        serde_json::Value::Object(m) => m,
        _ => panic!("args must be an object"),
    }
}

#[test]
fn locales_can_be_shared_between_threads() {
    fn is_send_sync<T: Send + Sync>() {}
    is_send_sync::<Locales>();
}

#[test]
fn isolation_marks_are_stripped_only_when_present() {
    assert_eq!(strip_isolation("a \u{2068}b\u{2069} c"), "a b c");
    assert!(matches!(strip_isolation("plain"), Cow::Borrowed("plain")));
}

#[test]
fn isolation_follows_the_spec() {
    let dir = site(&[("locales/vi/main.ftl", "hi = Chào { $name }!\n")]);
    let mut on = spec("vi", &[]);
    on.use_isolating = true;
    let isolating = load(dir.path(), &[on], "vi").unwrap();
    let plain = load(dir.path(), &[spec("vi", &[])], "vi").unwrap();
    let a = args(json!({"name": "An"}));
    assert_eq!(
        isolating.format("vi", "hi", &a).unwrap().text,
        "Chào \u{2068}An\u{2069}!"
    );
    assert_eq!(plain.format("vi", "hi", &a).unwrap().text, "Chào An!");
}

#[test]
fn lists_and_maps_are_not_arguments() {
    let dir = site(&[("locales/vi/main.ftl", "hi = Chào\n")]);
    let locales = load(dir.path(), &[spec("vi", &[])], "vi").unwrap();
    let err = locales
        .format("vi", "hi", &args(json!({"tags": [1, 2]})))
        .unwrap_err();
    assert_eq!(
        err,
        LookupError::BadArgument {
            name: "tags".into()
        }
    );
    assert_eq!(
        locales
            .format("xx", "hi", &args(json!({})))
            .unwrap_err()
            .to_string(),
        "`xx` is not a configured language"
    );
}

#[test]
fn a_missing_argument_is_a_format_error_with_the_partial_text() {
    let dir = site(&[("locales/vi/main.ftl", "hi = Chào { $name }\n")]);
    let locales = load(dir.path(), &[spec("vi", &[])], "vi").unwrap();
    match locales.format("vi", "hi", &args(json!({}))) {
        Err(LookupError::Format { text, errors, .. }) => {
            assert_eq!(text, "Chào {$name}");
            assert_eq!(errors, vec!["unknown variable: $name".to_owned()]);
        }
        other => panic!("expected a format error, got {other:?}"),
    }
}

#[test]
fn bad_configuration_is_reported_against_the_config() {
    let dir = site(&[]);
    let problems = load(
        dir.path(),
        &[spec("vi", &[]), spec("en", &["fr"]), spec("en", &[])],
        "zh",
    )
    .err()
    .unwrap();
    assert_eq!(
        crate::diag::render_all(&problems),
        "config.toml: error: `en` falls back to `fr`, which is not a configured language\n  \
         help: add `fr` to the languages, or remove it from the fallback of `en`\n\
         config.toml: error: language `en` is configured twice\n\
         config.toml: error: the reference language `zh` is not a configured language\n"
    );
}

#[test]
fn explicit_plural_rules_without_data_fall_back_with_a_warning() {
    let dir = site(&[(
        "locales/vi/main.ftl",
        "n = { $n ->\n  [one] một\n *[other] nhiều\n}\n",
    )]);
    let mut blt = spec("blt", &["vi"]);
    blt.plural_rules = Some("tyz".into());
    let locales = load(dir.path(), &[spec("vi", &[]), blt], "vi").unwrap();
    assert_eq!(
        crate::diag::render_all(locales.warnings()),
        "config.toml: warning: `blt` asks for the plural rules of `tyz`, which CLDR does not have; \
         using those of `vi`\n  help: set the plural rules of `blt` to a language with the same plural forms\n"
    );
}

fn changed_after(before: &[(&str, &str)], after: &[(&str, &str)]) -> Option<Vec<String>> {
    let specs = [
        spec("vi", &[]),
        spec("en", &["vi"]),
        spec("hnj", &["vi", "en"]),
    ];
    let a = site(before);
    let b = site(after);
    let old = load(a.path(), &specs, "vi").unwrap();
    let new = load(b.path(), &specs, "vi").unwrap();
    new.languages_changed_from(&old)
        .map(|s| s.into_iter().collect())
}

#[test]
fn an_ftl_edit_changes_only_the_languages_that_format_the_message() {
    let base = [
        ("locales/vi/main.ftl", "home = Trang chủ\nnews = Tin tức\n"),
        ("locales/en/main.ftl", "home = Home\n"),
        ("locales/hnj/main.ftl", "home = Tsev\nnews = Xov xwm\n"),
    ];
    let same = changed_after(&base, &base);
    assert_eq!(same, Some(vec![]));
    // `home` is translated everywhere: only Vietnamese shows the Vietnamese text.
    let mut edit = base;
    edit[0].1 = "home = Trang nhà\nnews = Tin tức\n";
    assert_eq!(changed_after(&base, &edit), Some(vec!["vi".to_owned()]));
    // English falls back to Vietnamese for `news`; H'Mông has its own.
    edit[0].1 = "home = Trang chủ\nnews = Tin mới\n";
    assert_eq!(
        changed_after(&base, &edit),
        Some(vec!["en".to_owned(), "vi".to_owned()])
    );
    // A message removed from H'Mông now comes from Vietnamese there.
    let mut removed = base;
    removed[2].1 = "home = Tsev\n";
    assert_eq!(changed_after(&base, &removed), Some(vec!["hnj".to_owned()]));
}

#[test]
fn an_edited_term_changes_every_message_that_references_it() {
    let base = [
        (
            "locales/vi/main.ftl",
            "-brand = Cổng\nhome = { -brand } chính\nnews = Tin tức\n",
        ),
        (
            "locales/en/main.ftl",
            "-brand = Portal\nhome = { -brand } home\nnews = News\n",
        ),
        ("locales/hnj/main.ftl", "news = Xov xwm\n"),
    ];
    let mut edit = base;
    edit[0].1 = "-brand = Cổng thông tin\nhome = { -brand } chính\nnews = Tin tức\n";
    // H'Mông takes `home` from Vietnamese; English has its own brand.
    assert_eq!(
        changed_after(&base, &edit),
        Some(vec!["hnj".to_owned(), "vi".to_owned()])
    );
}
