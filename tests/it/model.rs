//! The content model (issue 12): kinds declared in kinds.toml, pages checked against them.

use tre::{BuildOptions, diag};

use crate::fixture;

#[test]
fn issue_12_model_problems_are_warnings_at_the_key_or_value() {
    let site = fixture::build("model");
    let warnings = diag::render_all(&site.report.warnings);
    insta::assert_snapshot!(warnings, @r#"
    content/alt.md:5:9: warning: picture "images/cho-phien.jpg" has no alt text
      help: add image_alt = "…", what the picture shows, for readers who cannot see it
    content/enum.md:8:43: warning: `extra.attachments[0].format` must be one of the allowed values, found "pdff"
      help: did you mean "pdf"? allowed: pdf, docx
    content/missing.md:4:1: warning: kind "document": missing required field `extra.issuer`
      help: add issuer = … (string)
    content/no-kind.md:5:13: warning: `extra.image_alt` must be text, found 3
      help: write image_alt = "…", in quotes
    content/page-ref.md:5:11: warning: `extra.related` names no page: "@/khong-co.md"
      help: write the path of a file in content/, as @/tin-tuc/bai-viet.md
    content/page-ref.md:6:14: warning: `extra.source_url` must be a web address, found "www.example.vn"
      help: write the full address, starting with https://
    content/unknown-field.md:5:1: warning: unknown field `extra.numbr`
      help: did you mean `number`?
    content/unknown-kind.md:4:8: warning: unknown kind "documnet"
      help: did you mean "document"? kinds: news, document
    content/wrong-type.md:6:10: warning: `extra.issued` must be a date, found "hôm qua"
      help: write dates as 2025-04-18
    content/yaml.md:5:3: warning: unknown field `extra.sorce_url`
      help: did you mean `source_url`?
    "#);
    // The valid document page and its attachment table were built.
    assert!(site.read("ok/index.html").contains("Văn bản."));
}

#[test]
fn issue_12_strict_makes_model_problems_errors_and_writes_nothing() {
    let strict = BuildOptions {
        strict: true,
        ..Default::default()
    };
    let problems = fixture::build_err_with("model", &strict);
    assert_eq!(problems.matches(": error: ").count(), 10, "{problems}");
    assert!(!problems.contains("warning"), "{problems}");
    assert!(
        problems.contains(
            "content/unknown-kind.md:4:8: error: unknown kind \"documnet\"\n  help: did you mean \"document\"? kinds: news, document\n"
        ),
        "{problems}"
    );
}

#[test]
fn issue_12_unknown_type_in_kinds_file_names_file_and_line() {
    let problems = fixture::build_err("invalid/kinds-unknown-type");
    insta::assert_snapshot!(problems, @r#"
    kinds.toml:3:19: error: kinds: unknown type "strng" for field `source`
      help: did you mean "string"? types: string, text, date, datetime, integer, number, bool, url, page, image, media, lunar, enum, list, table
    "#);
}

#[test]
fn issue_12_duplicate_kind_names_file_and_line() {
    let problems = fixture::build_err("invalid/kinds-duplicate");
    insta::assert_snapshot!(problems, @r"
    kinds.toml:6:8: error: kinds: `news` is declared twice
      help: declare each kind and field once: [kinds.<id>], with [kinds.<id>.fields]
    ");
}

fn at(now: &str) -> BuildOptions {
    BuildOptions {
        now: Some(chrono::DateTime::parse_from_rfc3339(now).unwrap()),
        ..Default::default()
    }
}

#[test]
fn issue_12_lunar_day_30_of_a_short_month_is_an_error_naming_the_date() {
    // Month 1 of the lunar year 2024 has 29 days.
    let problems = fixture::build_err_with(
        "invalid/lunar-short-month",
        &at("2024-06-01T08:00:00+07:00"),
    );
    insta::assert_snapshot!(problems, @r#"
    content/hoi-cuoi-thang.md:5:9: error: lunar date 30/1 does not exist in 2024: month 1 has 29 days
      help: pick another day, or let the day move to the month's last day with short_month = "last-day" on `lunar` in kinds.toml
    "#);
}

#[test]
fn issue_12_lunar_day_30_builds_in_a_year_whose_month_is_long() {
    let dir = fixture::copy("invalid/lunar-short-month");
    // Month 1 of 2025 runs from 29 January to 27 February: 30 days.
    tre::build(dir.path(), &at("2025-02-01T08:00:00+07:00")).unwrap();
    let html =
        std::fs::read_to_string(dir.path().join("public/hoi-cuoi-thang/index.html")).unwrap();
    assert!(html.contains("<p>2025-02-27</p>"), "{html}");
}

/// The kinds fixture with the sample portal's own kinds.toml, so the test follows it.
fn site_with_portal_kinds() -> (tempfile::TempDir, tre::config::Config, tre::model::Model) {
    let dir = fixture::copy("kinds-new");
    let kinds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("kinds.toml");
    std::fs::copy(kinds, dir.path().join("kinds.toml")).unwrap();
    let opts = at("2026-02-17T09:00:00+07:00");
    let config = tre::config::load(dir.path(), &opts).unwrap();
    let model = tre::model::load(dir.path(), &config).unwrap();
    (dir, config, model)
}

#[test]
fn issue_12_tre_new_for_every_kind_builds() {
    let (dir, config, model) = site_with_portal_kinds();
    let ids: Vec<String> = model.kinds.iter().map(|k| k.id.clone()).collect();
    assert_eq!(
        ids,
        [
            "news",
            "statement",
            "correction",
            "document",
            "policy",
            "project",
            "destination",
            "event",
            "gallery",
            "video",
            "person",
            "story"
        ]
    );
    for id in &ids {
        let req = tre::model::new::NewPage {
            kind: id,
            title: &format!("Lễ hội Đền Hùng ({id})"),
            section: Some("tin-tuc"),
            lang: None,
        };
        let rel = tre::model::new::write_new_page(dir.path(), &config, &model, &req).unwrap();
        assert_eq!(
            rel.to_str().unwrap(),
            format!("content/tin-tuc/le-hoi-den-hung-{id}.md")
        );
        let text = std::fs::read_to_string(dir.path().join(&rel)).unwrap();
        assert!(
            text.contains("\ndate = 2026-02-17\ndraft = true\n"),
            "{text}"
        );
        assert!(text.contains(&format!("kind = \"{id}\"")), "{text}");
    }
    let en = tre::model::new::NewPage {
        kind: "news",
        title: "Hung Kings Festival",
        section: Some("tin-tuc"),
        lang: Some("en"),
    };
    let rel = tre::model::new::write_new_page(dir.path(), &config, &model, &en).unwrap();
    assert_eq!(
        rel.to_str().unwrap(),
        "content/tin-tuc/hung-kings-festival.en.md"
    );
    let opts = BuildOptions {
        include_drafts: true,
        ..at("2026-02-17T09:00:00+07:00")
    };
    let report =
        tre::build(dir.path(), &opts).unwrap_or_else(|p| panic!("{}", diag::render_all(&p)));
    for id in &ids {
        let page = dir
            .path()
            .join(format!("public/tin-tuc/le-hoi-den-hung-{id}/index.html"));
        assert!(page.exists(), "{id} was not built");
    }
    // Only the files the author must still choose are reported: every other placeholder has
    // the field's type.
    for w in &report.warnings {
        let m = &w.message;
        assert!(
            m.contains("must be a file path")
                || m.contains("has no alt text")
                || m.contains("has no captions in the page's language"),
            "{w}"
        );
    }
}

#[test]
fn issue_12_tre_new_never_overwrites_and_names_unknown_kinds() {
    let (dir, config, model) = site_with_portal_kinds();
    let req = tre::model::new::NewPage {
        kind: "news",
        title: "Tin mới",
        section: Some("tin-tuc"),
        lang: None,
    };
    tre::model::new::write_new_page(dir.path(), &config, &model, &req).unwrap();
    let path = dir.path().join("content/tin-tuc/tin-moi.md");
    std::fs::write(&path, "+++\ntitle = \"Đã sửa\"\n+++\n").unwrap();
    let again = tre::model::new::write_new_page(dir.path(), &config, &model, &req).unwrap_err();
    assert_eq!(
        diag::render_all(&again),
        "content/tin-tuc/tin-moi.md: error: a file already exists here; `tre new` never overwrites\n  help: choose another title, or edit the existing file\n"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "+++\ntitle = \"Đã sửa\"\n+++\n"
    );
    let unknown = tre::model::new::NewPage {
        kind: "evnt",
        ..req
    };
    let err = tre::model::new::write_new_page(dir.path(), &config, &model, &unknown).unwrap_err();
    assert_eq!(
        diag::render_all(&err),
        "kinds.toml: error: unknown kind \"evnt\"\n  help: did you mean \"event\"? kinds: news, statement, correction, document, policy, project, destination, event, gallery, video, person, story\n"
    );
}

/// Copies the sample portal (the repository's own site) to a temporary directory.
fn portal() -> tempfile::TempDir {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for name in ["config.toml", "kinds.toml"] {
        std::fs::copy(root.join(name), dir.path().join(name)).unwrap();
    }
    for sub in [
        "content",
        "templates",
        "static",
        "locales",
        "themes",
        "sass",
        "data",
    ] {
        if root.join(sub).is_dir() {
            copy_tree(&root.join(sub), &dir.path().join(sub));
        }
    }
    dir
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn issue_12_every_json_ld_block_of_the_portal_parses_and_names_its_type() {
    let dir = portal();
    let report = tre::build(dir.path(), &at("2026-02-17T09:00:00+07:00"))
        .unwrap_or_else(|p| panic!("{}", diag::render_all(&p)));
    // The sample portal follows its own content model.
    let model_warnings: Vec<String> = report
        .warnings
        .iter()
        .filter(|w| w.message.contains("`extra.") || w.message.contains("kind"))
        .map(ToString::to_string)
        .collect();
    assert!(model_warnings.is_empty(), "{model_warnings:#?}");
    let public = dir.path().join("public");
    let mut types = std::collections::BTreeMap::<String, usize>::new();
    let open = "<script type=\"application/ld+json\">";
    for path in fixture::files_under(&public) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = std::fs::read_to_string(public.join(&path)).unwrap();
        for block in html.split(open).skip(1) {
            let json = block.split("</script>").next().unwrap();
            let v: serde_json::Value = serde_json::from_str(json)
                .unwrap_or_else(|e| panic!("{path}: JSON-LD does not parse: {e}\n{json}"));
            assert_eq!(v["@context"], "https://schema.org", "{path}");
            let ty = v["@type"]
                .as_str()
                .unwrap_or_else(|| panic!("{path}: no @type"));
            *types.entry(ty.to_string()).or_default() += 1;
        }
    }
    for ty in [
        "GovernmentOrganization",
        "NewsArticle",
        "ClaimReview",
        "Event",
        "TouristAttraction",
        "Legislation",
        "DigitalDocument",
        "Person",
        "ImageGallery",
        "VideoObject",
        "Article",
    ] {
        assert!(types.contains_key(ty), "no {ty} in the portal: {types:?}");
    }
    // Every article page has one block; the home pages have the agency's.
    let event = std::fs::read_to_string(public.join("du-lich/le-hoi-den-long-song-van/index.html"))
        .unwrap();
    assert!(
        event.contains("\"startDate\":\"2026-03-03\""),
        "rằm tháng Giêng 2026"
    );
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(home.contains("\"@type\":\"GovernmentOrganization\""));
    assert!(home.contains("<meta name=\"DC.creator\""));
}

/// The kinds-pages fixture with the built-in theme written into it (as `tre init --theme-only`
/// does) and one of the portal's pictures, built on a fixed day.
fn kinds_pages() -> fixture::Site {
    let dir = fixture::copy("kinds-pages");
    let opts = tre::init::InitOptions {
        is_theme_only: true,
        ..Default::default()
    };
    tre::init::init(dir.path(), &opts).unwrap_or_else(|p| panic!("{}", diag::render_all(&p)));
    let picture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static/images/doi-che.jpg");
    std::fs::create_dir_all(dir.path().join("static/images")).unwrap();
    std::fs::copy(picture, dir.path().join("static/images/doi-che.jpg")).unwrap();
    fixture::build_dir(dir, &at("2026-02-17T09:00:00+07:00"))
}

/// A built page with Tera's escaped slashes (`&#x2F;`) written back as `/`.
fn read_page(site: &fixture::Site, path: &str) -> String {
    site.read(path).replace("&#x2F;", "/")
}

/// The rows of the register's table, as (number, date) pairs, in order.
fn register_rows(html: &str) -> Vec<(String, String)> {
    let table = html
        .split("<tbody>")
        .nth(1)
        .unwrap()
        .split("</tbody>")
        .next()
        .unwrap();
    table
        .split("<tr>")
        .skip(1)
        .map(|row| {
            let link = row.split("<a href=").nth(1).unwrap();
            let number = link
                .split("\">")
                .nth(1)
                .unwrap()
                .split("</a>")
                .next()
                .unwrap();
            let date = row
                .split("<time datetime=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            (number.to_string(), date.to_string())
        })
        .collect()
}

#[test]
fn issue_12_document_register_lists_documents_newest_first_in_the_page_language() {
    let site = kinds_pages();
    let vi = read_page(&site, "so-van-ban/index.html");
    assert_eq!(
        register_rows(&vi),
        [
            ("208/QĐ-UBND".to_string(), "2025-03-03".to_string()),
            ("15/2024/NQ-HĐND".to_string(), "2024-07-12".to_string()),
            ("12/QĐ-UBND".to_string(), "2023-01-09".to_string()),
        ]
    );
    assert!(vi.contains("Tất cả văn bản (3)"), "{vi}");
    // Only the English documents are listed on the English register.
    let en = read_page(&site, "en/so-van-ban/index.html");
    assert_eq!(
        register_rows(&en),
        [("15/2024/NQ-HĐND".to_string(), "2024-07-12".to_string())]
    );
    assert!(en.contains("All documents (1)"), "{en}");
}

#[test]
fn issue_12_document_register_groups_by_type_and_issuer_with_links_that_need_no_script() {
    let site = kinds_pages();
    let vi = read_page(&site, "so-van-ban/index.html");
    // Each group is a heading with an id, and the filter list links to it.
    for (id, label) in [
        ("loai-decision", "Quyết định"),
        ("loai-resolution", "Nghị quyết"),
        ("co-quan-uy-ban-nhan-dan-tinh", "Ủy ban nhân dân tỉnh"),
        ("co-quan-hoi-dong-nhan-dan-tinh", "Hội đồng nhân dân tỉnh"),
    ] {
        assert!(
            vi.contains(&format!("<h3 id=\"{id}\">{label}</h3>")),
            "{id}\n{vi}"
        );
        assert!(
            vi.contains(&format!("<a href=\"#{id}\">{label}</a> (")),
            "{id}"
        );
    }
    assert!(vi.contains("<a href=\"#loai-decision\">Quyết định</a> (2)"));
    // The decisions' group lists both, newest first.
    let decisions = vi.split("<h3 id=\"loai-decision\">").nth(1).unwrap();
    let decisions = decisions.split("</ul>").next().unwrap();
    let (a, b) = (
        decisions.find("208/QĐ-UBND").unwrap(),
        decisions.find("12/QĐ-UBND").unwrap(),
    );
    assert!(a < b, "{decisions}");
    assert!(!vi.contains("<script src"), "the register needs no script");
}

#[test]
fn issue_12_attachments_show_format_and_size_read_from_the_file_or_given() {
    let site = kinds_pages();
    let vi = read_page(&site, "van-ban/nq-15/index.html");
    // static/files/nq-15.pdf has 3000 bytes: 3 KB, rounded up; no `size` in the front matter.
    assert!(
        vi.contains(
            "<a href=\"https://kinds.example.gov.vn/files/nq-15.pdf\">Toàn văn nghị quyết</a>\n    <span class=\"attachment-meta\">(PDF, 3 KB)</span>"
        ),
        "{vi}"
    );
    // `size = 2411724` is 2.3 MiB, written the Vietnamese way.
    let qd = read_page(&site, "van-ban/qd-208/index.html");
    assert!(qd.contains("(DOCX, 2,3 MB)"), "{qd}");
    let en = read_page(&site, "en/so-van-ban/index.html");
    assert!(en.contains("(PDF, 3 KB)"), "{en}");
    // A document links to the register.
    assert!(vi.contains("<a href=\"https://kinds.example.gov.vn/so-van-ban/\">Xem sổ văn bản"));
}

#[test]
fn issue_12_gallery_is_a_list_of_figures_with_alt_text_and_captions() {
    let site = kinds_pages();
    let html = read_page(&site, "thu-vien/anh/index.html");
    assert!(
        html.contains("<h2 id=\"gallery-title\">Ảnh (2)</h2>"),
        "{html}"
    );
    let list = html.split("<ul class=\"gallery-list\">").nth(1).unwrap();
    let list = list.split("</ul>").next().unwrap();
    assert_eq!(list.matches("<figure>").count(), 2);
    assert!(list.contains("alt=\"Đồi chè xanh\""));
    assert!(list.contains("alt=\"Đồi chè lúc chiều\""));
    assert!(list.contains("<figcaption>Đồi chè Nà Lừa. <span class=\"credit\">Ảnh: Nhóm minh họa</span></figcaption>"), "{list}");
    // The second picture has no caption: no empty <figcaption>.
    assert_eq!(list.matches("<figcaption>").count(), 1);
}

#[test]
fn issue_12_video_is_html5_with_a_caption_track_per_language_and_no_iframe() {
    let site = kinds_pages();
    let html = read_page(&site, "thu-vien/video/index.html");
    assert!(
        html.contains("<video controls preload=\"none\" poster=\""),
        "{html}"
    );
    assert!(html.contains(
        "<source src=\"https://kinds.example.gov.vn/media/ruong.webm\" type=\"video/webm\">"
    ));
    assert!(html.contains("<track kind=\"captions\" src=\"https://kinds.example.gov.vn/media/ruong.vi.vtt\" srclang=\"vi\" label=\"Tiếng Việt\" default>"), "{html}");
    assert!(html.contains("<track kind=\"captions\" src=\"https://kinds.example.gov.vn/media/ruong.en.vtt\" srclang=\"en\" label=\"English\">"));
    assert!(html.contains("Thời lượng 0:10"));
    assert!(!html.contains("<iframe"));
    // The English page's only captions are Vietnamese: none is on by default.
    let en = read_page(&site, "en/thu-vien/video/index.html");
    assert!(en.contains("srclang=\"vi\" label=\"Tiếng Việt\">"), "{en}");
}

#[test]
fn issue_12_video_without_captions_in_its_language_is_a_warning_naming_the_file() {
    let site = kinds_pages();
    let warnings = diag::render_all(&site.report.warnings);
    insta::assert_snapshot!(warnings, @r#"
    content/thu-vien/video.en.md:11:9: warning: video "media/ruong.webm" has no captions in the page's language (en)
      help: add [[extra.captions]] with lang = "en", so readers who cannot hear it can follow
    "#);
}

#[test]
fn issue_12_story_has_its_subtitle_byline_and_chapters_and_person_its_facts() {
    let site = kinds_pages();
    let story = read_page(&site, "thu-vien/chuyen-de/index.html");
    assert!(
        story.contains("<article class=\"article article-story\">"),
        "{story}"
    );
    assert!(story.contains("<p class=\"story-subtitle\">Ba câu chuyện</p>"));
    assert!(story.contains("<p class=\"meta story-byline\">Nhóm phóng viên</p>"));
    let nav = story.split("<nav class=\"story-chapters\"").nth(1).unwrap();
    let nav = nav.split("</nav>").next().unwrap();
    assert!(
        nav.contains("<li><a href=\"#cot-moc\">Cột mốc</a></li>"),
        "{nav}"
    );
    assert!(
        nav.contains("<li><a href=\"#phien-cho\">Phiên chợ</a></li>"),
        "{nav}"
    );
    let person = read_page(&site, "thu-vien/nhan-vat/index.html");
    assert!(
        person.contains("<h2 id=\"facts-title\">Thông tin nhân vật</h2>"),
        "{person}"
    );
    assert!(person.contains("<dd>Gương điển hình, mô hình tốt</dd>"));
    assert!(person.contains("<dd>Lập hợp tác xã chè.</dd>"));
}
