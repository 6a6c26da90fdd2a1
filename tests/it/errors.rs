//! One broken thing per fixture under tests/fixtures/invalid/: each gets one clear diagnostic
//! at the file, line and column, with help, and nothing is written.

use crate::fixture;

fn problem(name: &str) -> String {
    fixture::build_err(&format!("invalid/{name}"))
}

#[test]
fn bad_date_points_at_the_value() {
    assert_eq!(
        problem("front-matter-date"),
        "content/le-hoi.md:3:8: error: front matter: `date` must be a date, found \"hôm qua\"\n  help: write dates as 2025-04-18 or 2025-04-18T08:00:00+07:00\n"
    );
}

#[test]
fn toml_syntax_error_is_in_file_coordinates() {
    assert_eq!(
        problem("front-matter-toml"),
        "content/le-hoi.md:2:16: error: front matter: invalid basic string, expected `\"`\n  help: front matter is TOML between `+++` lines: strings in quotes, dates as 2025-04-18\n"
    );
}

#[test]
fn broken_internal_link_is_an_error() {
    assert_eq!(
        problem("broken-internal-link"),
        "content/tin.md:4:5: error: broken internal link `@/khong-co.md`\n  help: check the path under content/: it names the .md file, as in @/blog/post.md\n"
    );
}

#[test]
fn broken_anchor_is_an_error() {
    assert_eq!(
        problem("broken-anchor"),
        "content/tin.md:6:5: error: broken anchor: `@/tin.md` has no heading with id `ket-luan`\n  help: check the heading's id (headings get slug ids, or `{#id}`)\n"
    );
}

#[test]
fn unknown_shortcode_names_the_templates_dir() {
    assert_eq!(
        problem("missing-shortcode"),
        "content/tin.md:4:6: error: unknown shortcode `hinh`\n  help: shortcodes are the templates in templates/shortcodes/: add `hinh.html` or `hinh.md` there, or fix the name\n"
    );
}

#[test]
fn missing_template_names_the_page() {
    assert_eq!(
        problem("missing-template"),
        "content/tin.md: error: template `bai-viet.html` not found\n  help: create templates/bai-viet.html or fix `template` in the front matter\n"
    );
}

#[test]
fn template_syntax_error_has_line_and_column() {
    let p = problem("template-syntax");
    assert!(
        p.starts_with("templates/page.html:1:40: error: template syntax: expected"),
        "{p}"
    );
}

#[test]
fn non_utf8_text_points_at_the_first_bad_byte() {
    assert_eq!(
        problem("not-utf8"),
        "content/tin.md:2:11: error: the file is not valid UTF-8\n  help: save the file as UTF-8 (not Windows-1258 or VNI)\n"
    );
}

#[test]
fn unknown_language_suffix_is_reported() {
    assert_eq!(
        problem("unknown-language"),
        "content/tin.en.md: error: the file name says its language is `en`, which is not in config.toml `languages`\n  help: add [languages.en] to config.toml or rename the file\n"
    );
}

#[test]
fn every_problem_of_a_stage_is_reported_at_once() {
    let dir = fixture::copy("invalid/front-matter-date");
    std::fs::write(dir.path().join("content/hai.md"), "+++\ntitle = 1\n+++\n").unwrap();
    let problems = tre::build(dir.path(), &tre::BuildOptions::default()).unwrap_err();
    let files: Vec<String> = problems
        .iter()
        .map(|p| p.file.display().to_string())
        .collect();
    assert_eq!(files, ["content/hai.md", "content/le-hoi.md"]);
}

#[test]
fn nfd_content_is_normalised_with_a_warning() {
    use unicode_normalization::UnicodeNormalization;
    let dir = fixture::copy("invalid/front-matter-date");
    let nfd: String = "+++\ntitle = \"Lễ hội\"\n+++\nVăn hóa\n".nfd().collect();
    std::fs::write(dir.path().join("content/le-hoi.md"), nfd).unwrap();
    let report = tre::build(dir.path(), &tre::BuildOptions::default()).unwrap();
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.message.contains("not in Unicode NFC"))
    );
    let html = std::fs::read_to_string(dir.path().join("public/le-hoi/index.html")).unwrap();
    assert!(html.contains("<title>Lễ hội</title>"), "{html}");
}
