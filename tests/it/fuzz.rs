//! Issue 10, "Fuzzing": generated front matter, Markdown with shortcodes and `@/` links, Fluent
//! files, template calls with odd arguments, and broken pictures, each built into a copy of
//! `tests/fixtures/fuzz-base` through `tre::build`. The property of every case: no panic; a
//! failed build names a file in each of its problems and leaves the previous `public/` as it
//! was. `TRE_FUZZ_CASES` sets the cases per target (default `DEFAULT_CASES`, so all five
//! targets take well under a minute in a debug `cargo test`); the seeds are fixed, so CI runs
//! the same inputs every time, and a larger count runs more on demand.

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use tre::BuildOptions;

use crate::fixture;

const DEFAULT_CASES: u32 = 64;

fn cases() -> u32 {
    std::env::var("TRE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

fn fuzz_config(seed: u64) -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        // Fixed: the same inputs on every run, so CI cannot be flaky.
        rng_seed: proptest::test_runner::RngSeed::Fixed(seed),
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    }
}

/// The text of a previous build, which a failed build must leave in place.
const OLD_PAGE: &str = "trang của lần dựng trước";

/// Builds the base site with `files` written over it (path relative to the root, bytes;
/// `None` deletes the file), checking the property of every fuzz case.
/// Returns whether the site built.
fn build_case(files: &[(String, Option<Vec<u8>>)]) -> Result<bool, TestCaseError> {
    let dir = fixture::copy("fuzz-base");
    let root = dir.path();
    for (path, bytes) in files {
        let p = root.join(path);
        match bytes {
            Some(b) => {
                fs::create_dir_all(p.parent().unwrap()).unwrap();
                fs::write(&p, b).unwrap();
            }
            None => {
                let _ = fs::remove_file(&p);
            }
        }
    }
    let public = root.join("public");
    fs::create_dir_all(&public).unwrap();
    fs::write(public.join(tre::output::MARKER), "").unwrap();
    fs::write(public.join("index.html"), OLD_PAGE).unwrap();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        tre::build(root, &BuildOptions::default())
    }));
    let shown = || describe(files);
    match outcome {
        Err(panic) => {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(TestCaseError::fail(format!(
                "tre panicked: {why}\n{}",
                shown()
            )))
        }
        Ok(Ok(_)) => {
            prop_assert!(
                fs::read_to_string(public.join("index.html")).is_ok_and(|t| t != OLD_PAGE),
                "the build succeeded but left the old index.html\n{}",
                shown()
            );
            Ok(true)
        }
        Ok(Err(problems)) => {
            prop_assert!(
                !problems.is_empty(),
                "failed without a problem\n{}",
                shown()
            );
            for p in &problems {
                prop_assert!(
                    !p.file.as_os_str().is_empty() && !p.message.is_empty(),
                    "a problem names no file: {p:?}\n{}",
                    shown()
                );
            }
            prop_assert_eq!(
                fixture::files_under(&public),
                vec!["index.html".to_string()],
                "a failed build changed public/\n{}",
                shown()
            );
            prop_assert_eq!(
                fs::read_to_string(public.join("index.html")).unwrap(),
                OLD_PAGE
            );
            let leftovers: Vec<String> = fs::read_dir(root)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".public.tre-"))
                .collect();
            prop_assert!(leftovers.is_empty(), "left {leftovers:?}\n{}", shown());
            Ok(false)
        }
    }
}

/// The files of a case as text, to reproduce a failure.
fn describe(files: &[(String, Option<Vec<u8>>)]) -> String {
    files
        .iter()
        .map(|(p, b)| match b {
            Some(b) if b.len() > 400 || std::str::from_utf8(b).is_err() => {
                format!("--- {p} ({} bytes)\n{:?}", b.len(), &b[..b.len().min(64)])
            }
            Some(b) => format!("--- {p}\n{}", String::from_utf8_lossy(b)),
            None => format!("--- {p} (deleted)"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn file(path: &str, text: String) -> (String, Option<Vec<u8>>) {
    (path.to_string(), Some(text.into_bytes()))
}

/// Short text: Vietnamese in NFC and NFD, quotes, slashes, controls, anything printable.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Lễ hội Đền Hùng".to_string()),
        // The same in NFD: combining marks after their letters.
        Just("Le\u{302}\u{303} ho\u{302}\u{323}i \u{110}e\u{302}\u{300}n Hu\u{300}ng".to_string()),
        Just("中文 ꪼꪕ".to_string()),
        Just("index.html".to_string()),
        Just("../x".to_string()),
        Just("a/b/".to_string()),
        Just(String::new()),
        Just(" ".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("\\".to_string()),
        Just("\u{feff}".to_string()),
        Just("\t\r".to_string()),
        "\\PC{0,12}",
        "[a-z/.#@ -]{0,10}",
    ]
}

// (a) Front matter.

fn toml_value() -> impl Strategy<Value = String> {
    prop_oneof![
        text().prop_map(|s| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))),
        text().prop_map(|s| format!("\"{s}")),
        text().prop_map(|s| format!("'{s}'")),
        text().prop_map(|s| format!("\"\"\"{s}\"\"\"")),
        Just("2025-04-18".to_string()),
        Just("2025-02-30".to_string()),
        Just("2025-04-18T25:61:00".to_string()),
        Just("1979-05-27T07:32:00-08:00".to_string()),
        Just("\"hôm qua\"".to_string()),
        Just("\"2025-04-18\"".to_string()),
        Just("0000-01-01".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        Just("1e400".to_string()),
        Just("nan".to_string()),
        Just("true".to_string()),
        Just("[]".to_string()),
        Just("[\"a\", 1]".to_string()),
        Just("[\"index.html\", \"/tin/\"]".to_string()),
        Just("{ a = 1 }".to_string()),
        Just("[[".to_string()),
        Just(String::new()),
    ]
}

fn yaml_value() -> impl Strategy<Value = String> {
    prop_oneof![
        text(),
        text().prop_map(|s| format!("\"{s}\"")),
        text().prop_map(|s| format!("'{s}")),
        Just("2025-04-18".to_string()),
        Just("2025-13-45".to_string()),
        Just("hôm qua".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        Just("[a, 1]".to_string()),
        Just("{a: 1}".to_string()),
        Just("\n  - x\n  - 2".to_string()),
        Just("&a x".to_string()),
        Just("*a".to_string()),
        Just("!!binary aGk=".to_string()),
        Just(": :".to_string()),
        Just("|\n  nhiều\n  dòng".to_string()),
        Just("~".to_string()),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "title", "date", "updated", "slug", "path", "aliases", "draft", "weight",
            "template", "description", "render", "in_search_index", "sort_by",
            "paginate_by", "paginate_path", "redirect_to", "transparent", "lang",
            "authors", "insert_anchor_links", "generate_feeds", "publish_at",
        ])
        .prop_map(str::to_string),
        1 => "[a-z_]{1,8}",
        1 => "\\PC{1,6}",
    ]
}

/// Where generated front matter goes: an existing page, a section, a translation, a new page.
fn content_file() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "content/tin/b.md",
        "content/tin/_index.md",
        "content/tin/a.en.md",
        "content/moi.md",
        "content/_index.md",
    ])
}

#[derive(Debug, Clone)]
struct Wrapping {
    is_yaml: bool,
    has_closer: bool,
    has_bom: bool,
    is_crlf: bool,
}

fn wrapping() -> impl Strategy<Value = Wrapping> {
    (
        any::<bool>(),
        prop::bool::weighted(0.9),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.3),
    )
        .prop_map(|(is_yaml, has_closer, has_bom, is_crlf)| Wrapping {
            is_yaml,
            has_closer,
            has_bom,
            is_crlf,
        })
}

fn wrap(w: &Wrapping, lines: &[String], body: &str) -> String {
    let fence = if w.is_yaml { "---" } else { "+++" };
    let closer = if w.has_closer { fence } else { "" };
    let text = format!("{fence}\n{}\n{closer}\n{body}\n", lines.join("\n"));
    let text = if w.is_crlf {
        text.replace('\n', "\r\n")
    } else {
        text
    };
    if w.has_bom {
        format!("\u{feff}{text}")
    } else {
        text
    }
}

fn front_matter_case() -> impl Strategy<Value = Vec<(String, Option<Vec<u8>>)>> {
    (
        content_file(),
        wrapping(),
        prop::collection::vec((key(), toml_value(), yaml_value()), 0..7),
        prop::option::of(prop::collection::vec(text(), 0..3)),
    )
        .prop_map(|(path, w, pairs, tags)| {
            let mut lines: Vec<String> = pairs
                .into_iter()
                .map(|(k, tv, yv)| {
                    if w.is_yaml {
                        format!("{k}: {yv}")
                    } else {
                        format!("{k} = {tv}")
                    }
                })
                .collect();
            if let Some(tags) = tags {
                let quoted: Vec<String> = tags.iter().map(|t| format!("{t:?}")).collect();
                lines.push(if w.is_yaml {
                    format!("taxonomies:\n  tags: [{}]", quoted.join(", "))
                } else {
                    format!("[taxonomies]\ntags = [{}]", quoted.join(", "))
                });
            }
            vec![file(path, wrap(&w, &lines, "Nội dung {#noi-dung}."))]
        })
}

// (b) Markdown bodies.

fn markdown_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "## Tiêu đề {#tieu-de}",
            "## Trùng {#chi-tiet}",
            "## {#}",
            "# x {#mo-dau}",
            "[l](@/tin/a.md)",
            "[l](@/tin/a.md#mo-dau)",
            "[l](@/tin/a.md#khong-co)",
            "[l](@/khong-co.md)",
            "[l](@/)",
            "[l](@/../config.toml)",
            "[l](@/tin/a.md#)",
            "[l](@/tin/_index.md)",
            "[l](@/tin/b.md#chi-tiet)",
            "[l](#tieu-de)",
            "{{ anh(path=\"tin/anh.png\") }}",
            "{{ anh(path=\"../../etc/passwd\") }}",
            "{{ anh(path=\"khong-co.png\") }}",
            "{{ anh(path=",
            "{{ anh() }}",
            "{{ anh(path=\"tin/anh.png\", x=[1, 2], y=-1.5, z=true) }}",
            "{{ khong_co() }}",
            "{% hop() %}\nx\n{% end %}",
            "{% hop(kieu=\"a\") %}[l](@/tin/a.md#mo-dau){% end %}",
            "{% hop() %}x",
            "{% end %}",
            "{{ hop(kieu=1) }}",
            "{% hop() %}{% hop() %}a{% end %}{% end %}",
            "{% anh(path=\"tin/anh.png\") %}b{% end %}",
            "{{/* anh(path=\"x\") */}}",
            "{%/* hop() */%}",
            "```rust\nfn x() {}\n```",
            "```\nkhông đóng",
            "<div>",
            "$$ x $$",
            "[^1]\n\n[^1]: chú thích",
            "| a | b |\n|---|---|\n| 1 |",
            "***",
            "{{",
            "}}",
            "{%",
            "%}",
            "{{ anh(path=\"tin/anh.png\") }",
            "{{ anh(path=\"tin/anh.png\" }}",
            "{{ anh(path='tin/anh.png') }}",
            "![ảnh](tin/anh.png)",
            "<!-- more -->",
        ])
        .prop_map(str::to_string),
        1 => text(),
    ]
}

fn markdown_case() -> impl Strategy<Value = Vec<(String, Option<Vec<u8>>)>> {
    (
        prop::collection::vec(markdown_piece(), 0..8),
        prop::sample::select(vec!["\n\n", "\n", " ", ""]),
        prop::sample::select(vec!["content/tin/b.md", "content/_index.md"]),
    )
        .prop_map(|(pieces, sep, path)| {
            let head = if path.ends_with("_index.md") {
                "+++\ntitle = \"Trang chủ\"\n+++\n"
            } else {
                "+++\ntitle = \"Bài hai\"\ndate = 2025-04-19\n+++\n"
            };
            vec![file(path, format!("{head}{}\n", pieces.join(sep)))]
        })
}

// (c) Fluent files.

fn ftl_line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "ten-cong = Tên mới",
            "ten-cong = { -ten }",
            "-ten = { ten-cong }",
            "ten-cong = { ten-cong }",
            "ten-cong = { vong }\nvong = { ten-cong }",
            "-ten = { -ten }",
            "ten-cong = { -khong-co }",
            "ten-cong = { khong-co }",
            "ten-cong = { $x }",
            "ten-cong =",
            "ten-cong",
            "= x",
            "{",
            "}",
            "ten-cong = {",
            "ten-cong = x\n    .title = y",
            ".attr = x",
            "    thụt lề",
            "# chú thích",
            "## nhóm",
            "### tài nguyên",
            "so-bai = { $count -> [one] x }",
            "so-bai = { $count ->\n   *[other] { $count }\n}",
            "so-bai = { $count ->\n   *[other] a\n   *[one] b\n}",
            "so-bai = { NUMBER($count, minimumFractionDigits: 99) }",
            "so-bai = { NUMBER($count, style: \"percent\") }",
            "so-bai = { DATETIME($count) }",
            "so-bai = { KHONG_CO($count) }",
            "so-bai = { $count -> \n [one] a\n *[other] b\n [few] c\n}",
            "so-bai = { ten-cong.title }",
            "so-bai = { \"\" }",
            "so-bai = {{ $count }}",
            "\u{feff}ten-cong = BOM",
            "ten-cong = Le\u{302}\u{303} ho\u{302}\u{323}i",
            "ten-cong = \r\n",
        ])
        .prop_map(str::to_string),
        1 => text().prop_map(|t| format!("ten-cong = {t}")),
        1 => text(),
    ]
}

fn fluent_case() -> impl Strategy<Value = Vec<(String, Option<Vec<u8>>)>> {
    (
        prop::sample::select(vec![
            "locales/vi/main.ftl",
            "locales/en/main.ftl",
            "locales/en/moi.ftl",
            "locales/vi/theme.ftl",
        ]),
        prop::collection::vec(ftl_line(), 0..8),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(path, lines, deletes_en)| {
            let mut files = vec![file(path, format!("{}\n", lines.join("\n")))];
            if deletes_en {
                files.push(("locales/en/main.ftl".to_string(), None));
            }
            files
        })
}

// (d) Template calls.

fn arg_path() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "anh.png", "tin/anh.png", "static/anh.png", "content/tin/anh.png", "@/tin/a.md",
            "tin/a.md", "../config.toml", "/etc/passwd", "", "khong-co.png", "config.toml",
            "content/tin/a.md", "a\u{0}b", "anh.png?x=1", "https://example.org/x.png", ".",
            "/", "static/", "tin/", "locales/vi/main.ftl", "templates/page.html",
            "../../../../../../etc/hostname", "anh.png/", "tin//anh.png", "public/index.html",
        ])
        .prop_map(|s| format!("{s:?}")),
        1 => text().prop_map(|s| format!("{s:?}")),
        1 => Just("42".to_string()),
    ]
}

fn arg_number() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "0",
            "1",
            "32",
            "-1",
            "100000",
            "4294967296",
            "1.5",
            "\"abc\"",
            "true",
            "[]",
            "16384",
            "16385",
            "99999999999999999999",
        ])
        .prop_map(str::to_string),
        any::<i32>().prop_map(|n| n.to_string()),
    ]
}

fn arg<S>(name: &'static str, s: S) -> impl Strategy<Value = String>
where
    S: Strategy,
    S::Value: std::fmt::Display,
{
    prop::option::weighted(0.8, s)
        .prop_map(move |v| v.map(|v| format!("{name}={v}")).unwrap_or_default())
}

fn call(name: &'static str, args: Vec<String>) -> String {
    let args: Vec<String> = args.into_iter().filter(|a| !a.is_empty()).collect();
    format!("{name}({})", args.join(", "))
}

fn template_call() -> impl Strategy<Value = String> {
    let op = prop::sample::select(vec![
        "\"fill\"",
        "\"fit\"",
        "\"fit_width\"",
        "\"fit_height\"",
        "\"scale\"",
        "\"khong\"",
        "\"\"",
        "1",
    ]);
    let format = prop::sample::select(vec![
        "\"auto\"", "\"jpg\"", "\"png\"", "\"webp\"", "\"gif\"", "\"bmp\"", "\"\"",
    ]);
    let lang = prop::sample::select(vec!["\"vi\"", "\"en\"", "\"fr\"", "\"\"", "lang", "1"]);
    let key = prop::sample::select(vec![
        "\"ten-cong\"",
        "\"so-bai\"",
        "\"khong-co\"",
        "\"\"",
        "\"-ten\"",
        "1",
    ]);
    prop_oneof![
        (
            arg("path", arg_path()),
            arg("width", arg_number()),
            arg("height", arg_number()),
            arg("op", op),
            arg("format", format),
            arg("quality", arg_number())
        )
            .prop_map(|(a, b, c, d, e, f)| call("resize_image", vec![a, b, c, d, e, f])),
        (
            arg("path", arg_path()),
            arg(
                "allow_missing",
                prop::sample::select(vec!["true", "false", "1"]).prop_map(str::to_string)
            )
        )
            .prop_map(|(a, b)| call("get_image_metadata", vec![a, b])),
        (
            arg("path", arg_path()),
            arg(
                "format",
                prop::sample::select(vec![
                    "\"plain\"",
                    "\"json\"",
                    "\"toml\"",
                    "\"csv\"",
                    "\"bibtex\"",
                    "\"xml\"",
                    "\"khong\""
                ])
                .prop_map(str::to_string)
            )
        )
            .prop_map(|(a, b)| call("load_data", vec![a, b])),
        (
            arg("path", arg_path()),
            arg(
                "cachebust",
                prop::sample::select(vec!["true", "false"]).prop_map(str::to_string)
            ),
            arg("lang", lang.clone().prop_map(str::to_string))
        )
            .prop_map(|(a, b, c)| call("get_url", vec![a, b, c])),
        (arg("path", arg_path()), arg("sha_type", arg_number()))
            .prop_map(|(a, b)| call("get_hash", vec![a, b])),
        (
            arg("key", key.clone().prop_map(str::to_string)),
            arg("lang", lang.clone().prop_map(str::to_string))
        )
            .prop_map(|(a, b)| call("trans", vec![a, b])),
        (
            arg("key", key.prop_map(str::to_string)),
            arg("lang", lang.prop_map(str::to_string)),
            arg("count", arg_number())
        )
            .prop_map(|(a, b, c)| call("t", vec![a, b, c])),
        arg("path", arg_path()).prop_map(|a| call("get_page", vec![a])),
        arg("path", arg_path()).prop_map(|a| call("get_section", vec![a])),
        (
            arg(
                "kind",
                prop::sample::select(vec!["\"tags\"", "\"khong\"", "1"]).prop_map(str::to_string)
            ),
            arg("term", arg_path())
        )
            .prop_map(|(a, b)| call("get_taxonomy_term", vec![a, b])),
        arg_number().prop_map(|n| format!("self::lap(n={n})")),
    ]
}

/// A page template making the calls, with a macro that calls itself `n` times.
fn template_case() -> impl Strategy<Value = Vec<(String, Option<Vec<u8>>)>> {
    (
        prop::collection::vec(template_call(), 1..4),
        prop::bool::weighted(0.1),
        prop::sample::select(vec!["templates/page.html", "templates/shortcodes/anh.html", "templates/index.html"]),
    )
        .prop_map(|(calls, includes_itself, path)| {
            let name = path.trim_start_matches("templates/");
            let mut t = String::from(
                "{% macro lap(n) %}{% if n > 0 %}{{ self::lap(n=n - 1) }}{% endif %}{% endmacro lap %}",
            );
            for c in &calls {
                t.push_str(&format!("{{% set x = {c} %}}{{{{ x | json_encode | safe }}}}\n"));
            }
            if includes_itself {
                t.push_str(&format!("{{% include \"{name}\" %}}"));
            }
            vec![file(path, t)]
        })
}

// (e) Picture bytes.

fn picture_bytes() -> impl Strategy<Value = Vec<u8>> {
    let png = fs::read(fixture::source("fuzz-base/static/anh.png")).unwrap();
    let len = png.len();
    let (a, b, c) = (png.clone(), png.clone(), png);
    prop_oneof![
        (0..len).prop_map(move |n| a[..n].to_vec()),
        prop::collection::vec((0..len, any::<u8>()), 1..8).prop_map(move |flips| {
            let mut p = b.clone();
            for (i, v) in flips {
                p[i] = v;
            }
            p
        }),
        (any::<u32>(), any::<u32>()).prop_map(move |(w, h)| with_png_size(&c, w, h)),
        (
            prop::sample::select(vec![
                &b"\x89PNG\r\n\x1a\n"[..],
                &b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"[..],
                &b"GIF89a"[..],
                &b"RIFF\x00\x00\x00\x00WEBPVP8 "[..],
                &b""[..],
            ]),
            prop::collection::vec(any::<u8>(), 0..200),
        )
            .prop_map(|(magic, rest)| [magic, &rest[..]].concat()),
    ]
}

/// A PNG whose header claims `w`×`h` pixels, with the header's CRC made right again, so only
/// the size can stop the decoder.
fn with_png_size(png: &[u8], w: u32, h: u32) -> Vec<u8> {
    let mut p = png.to_vec();
    // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4), 5 more, CRC (4).
    p[16..20].copy_from_slice(&w.to_be_bytes());
    p[20..24].copy_from_slice(&h.to_be_bytes());
    let mut crc = flate2::Crc::new();
    crc.update(&p[12..29]);
    p[29..33].copy_from_slice(&crc.sum().to_be_bytes());
    p
}

fn picture_case() -> impl Strategy<Value = Vec<(String, Option<Vec<u8>>)>> {
    (
        picture_bytes(),
        prop::sample::select(vec!["static/anh.png", "content/tin/anh.png"]),
    )
        .prop_map(|(bytes, path)| vec![(path.to_string(), Some(bytes))])
}

/// Runs one fuzz target, and prints how many cases it tried, how many built, and the time.
fn run(name: &str, seed: u64, strategy: impl Strategy<Value = Vec<(String, Option<Vec<u8>>)>>) {
    let t = std::time::Instant::now();
    let (tried, built) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    let mut runner = proptest::test_runner::TestRunner::new(fuzz_config(seed));
    let result = runner.run(&strategy, |files| {
        tried.set(tried.get() + 1);
        if build_case(&files)? {
            built.set(built.get() + 1);
        }
        Ok(())
    });
    eprintln!(
        "fuzz {name}: {} inputs tried ({} built, the rest refused with diagnostics) in {:.1} s",
        tried.get(),
        built.get(),
        t.elapsed().as_secs_f64()
    );
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

#[test]
fn issue_10_fuzz_front_matter_never_panics() {
    run("front matter", 101, front_matter_case());
}

#[test]
fn issue_10_fuzz_markdown_with_shortcodes_and_links_never_panics() {
    run("markdown", 102, markdown_case());
}

#[test]
fn issue_10_fuzz_fluent_files_never_panic() {
    run("fluent", 103, fluent_case());
}

#[test]
fn issue_10_fuzz_template_calls_never_panic() {
    run("template calls", 104, template_case());
}

#[test]
fn issue_10_fuzz_broken_pictures_never_panic() {
    run("pictures", 105, picture_case());
}

#[test]
fn the_base_of_the_fuzz_cases_builds() {
    let site = fixture::build("fuzz-base");
    assert!(site.read("tin/a/index.html").contains("<img"));
    assert!(site.exists("en/tin/a/index.html"));
}
