//! Editorial workflow on tests/fixtures/editorial (issue 13): one page per status in
//! `tin-tuc/`, a page scheduled for 2026-12-06 08:00 in the site's time zone (+07:00), a
//! withdrawn page and a correction. Builds run at a fixed instant through `BuildOptions::now`.

use std::fs;

use tre::BuildOptions;

use crate::fixture::{self, Site};

const BASE: &str = "https://tinh.example.gov.vn";

fn at(now: &str) -> BuildOptions {
    BuildOptions {
        now: Some(chrono::DateTime::parse_from_rfc3339(now).unwrap()),
        ..BuildOptions::default()
    }
}

/// The fixture built on 2026-12-05 at noon, Hà Nội time: the scheduled page is not out yet.
fn build_before_schedule() -> Site {
    fixture::build_dir(fixture::copy("editorial"), &at("2026-12-05T12:00:00+07:00"))
}

#[test]
fn issue_13_each_status_is_built_or_not() {
    let site = build_before_schedule();
    for (page, is_built) in [
        ("da-dang", true),
        ("cu", true),
        ("dinh-chinh", true),
        ("go-bo", true),
        ("nhap", false),
        ("cho-duyet", false),
        ("da-duyet", false),
        ("hen-gio", false),
    ] {
        assert_eq!(
            site.exists(&format!("tin-tuc/{page}/index.html")),
            is_built,
            "tin-tuc/{page}"
        );
    }
    // Unpublished everywhere: the list, the feeds, the search index, the sitemap, and the
    // other languages' fallback copies.
    let everywhere = [
        "tin-tuc/index.html",
        "atom.xml",
        "tin-tuc/atom.xml",
        "search_index.vi.json",
        "sitemap.xml",
        "en/atom.xml",
    ];
    for file in everywhere {
        let text = site.read(file);
        for hidden in ["nhap", "cho-duyet", "da-duyet", "hen-gio"] {
            assert!(
                !text.contains(&format!("/tin-tuc/{hidden}/")),
                "{file} shows {hidden}"
            );
        }
        if file != "en/atom.xml" {
            assert!(text.contains("/tin-tuc/da-dang/"), "{file} lacks da-dang");
        }
    }
    assert!(!site.exists("en/tin-tuc/nhap/index.html"));
    let list = site.read("tin-tuc/index.html");
    assert!(
        list.contains(&format!("{BASE}/tin-tuc/cu/")),
        "no status: published"
    );
}

#[test]
fn issue_13_withdrawn_page_is_a_notice_at_its_url_and_listed_nowhere() {
    let site = build_before_schedule();
    let notice = site.read("tin-tuc/go-bo/index.html");
    assert!(notice.contains("<h1>Thông báo đã gỡ</h1>"), "{notice}");
    assert!(notice.contains("Thông tin này đã được gỡ bỏ."), "{notice}");
    assert!(notice.contains("2026-11-20T10:00:00"), "{notice}");
    assert!(
        notice.contains("Thông tin về địa điểm không chính xác"),
        "{notice}"
    );
    assert!(
        !notice.contains("sân vận động"),
        "the withdrawn text is still published: {notice}"
    );
    for file in [
        "tin-tuc/index.html",
        "atom.xml",
        "tin-tuc/atom.xml",
        "search_index.vi.json",
        "sitemap.xml",
        "tags/hoi-cho/index.html",
    ] {
        assert!(
            !site.read(file).contains("/tin-tuc/go-bo/"),
            "{file} lists the withdrawn page"
        );
    }
    // Its term still has the live page.
    assert!(
        site.read("tags/hoi-cho/index.html")
            .contains("/tin-tuc/da-dang/")
    );
    // The English fallback copy of a withdrawn page is a notice too.
    let copy = site.read("en/tin-tuc/go-bo/index.html");
    assert!(copy.contains("This item has been withdrawn."), "{copy}");
    assert!(!copy.contains("sân vận động"));
}

#[test]
fn issue_13_scheduled_page_goes_live_at_publish_at_in_the_site_time_zone() {
    let before = fixture::build_dir(
        fixture::copy("editorial"),
        // 07:59 in Hà Nội is 00:59 UTC: one minute early.
        &at("2026-12-06T00:59:00Z"),
    );
    assert!(!before.exists("tin-tuc/hen-gio/index.html"));
    let (when, file) = before.report.next_scheduled.clone().unwrap();
    assert_eq!(when.to_rfc3339(), "2026-12-06T08:00:00+07:00");
    assert_eq!(file, std::path::Path::new("content/tin-tuc/hen-gio.md"));
    assert_eq!(before.report.scheduled, 1);

    let after = fixture::build_dir(fixture::copy("editorial"), &at("2026-12-06T01:00:00Z"));
    assert!(after.exists("tin-tuc/hen-gio/index.html"));
    assert!(after.read("atom.xml").contains("/tin-tuc/hen-gio/"));
    assert!(
        after
            .read("tin-tuc/index.html")
            .contains("/tin-tuc/hen-gio/")
    );
    assert_eq!(after.report.next_scheduled, None);
}

#[test]
fn issue_13_change_note_is_shown_with_its_date() {
    let site = build_before_schedule();
    let html = site.read("tin-tuc/dinh-chinh/index.html");
    assert!(
        html.contains(
            "<p class=\"change-note\">Đính chính ngày 2026-11-15: Sửa số học sinh trúng tuyển: 1.250, không phải 1.520</p>"
        ),
        "{html}"
    );
    let author = site.read("tin-tuc/da-dang/index.html");
    assert!(author.contains("<p class=\"author\">Nguyễn Văn An</p>"));
}

#[test]
fn issue_13_drafts_flag_builds_unpublished_and_scheduled_pages() {
    let opts = BuildOptions {
        include_drafts: true,
        ..at("2026-12-05T12:00:00+07:00")
    };
    let site = fixture::build_dir(fixture::copy("editorial"), &opts);
    for page in ["nhap", "cho-duyet", "da-duyet", "hen-gio"] {
        assert!(site.exists(&format!("tin-tuc/{page}/index.html")), "{page}");
    }
}

#[test]
fn issue_13_require_approval_rejects_an_unapproved_page_at_its_file_and_line() {
    let dir = fixture::copy("editorial");
    let config = dir.path().join("config.toml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(
        &config,
        text.replace(
            "[extra.editorial]\n",
            "[extra.editorial]\nrequire_approval = true\n",
        ),
    )
    .unwrap();
    let problems = fixture::build_dir_err(&dir, &at("2026-12-05T12:00:00+07:00"));
    // `cu.md` has no status and no approval; the drafts and the withdrawn page are not
    // being published, and the others are approved.
    assert_eq!(
        problems,
        "content/tin-tuc/cu.md:1:4: error: front matter: this page would be published without approval ([extra.editorial] require_approval = true)\n  help: add approved_by and approved_at once it is approved, or set status = \"review\"\n"
    );
}

/// Writes `front_matter` as `tin-tuc/moi.md` into a copy of the fixture and returns the
/// build's diagnostics.
fn problems_of(front_matter: &str) -> String {
    let dir = fixture::copy("editorial");
    fs::write(
        dir.path().join("content/tin-tuc/moi.md"),
        format!("+++\ntitle = \"Mới\"\n{front_matter}+++\nNội dung.\n"),
    )
    .unwrap();
    fixture::build_dir_err(&dir, &at("2026-12-05T12:00:00+07:00"))
}

#[test]
fn issue_13_bad_editorial_fields_point_at_the_key() {
    insta::assert_snapshot!(problems_of("status = \"da-dang\"\n"), @r#"
    content/tin-tuc/moi.md:3:10: error: front matter: unknown status "da-dang"
      help: use one of draft, review, approved, published, withdrawn
    "#);
    insta::assert_snapshot!(problems_of("status = \"published\"\napproved_by = \"Lê Văn Cường\"\n"), @r#"
    content/tin-tuc/moi.md:4:15: error: front matter: `approved_by` is set without `approved_at`
      help: add approved_at = 2026-12-01T08:00:00+07:00, when it was approved
    "#);
    insta::assert_snapshot!(problems_of("publish_at = \"sáng mai\"\n"), @r#"
    content/tin-tuc/moi.md:3:14: error: front matter: `publish_at` must be a date and time, found "sáng mai"
      help: write 2026-12-01T08:00:00+07:00, or 2026-12-01T08:00:00 in the site's time zone ([extra.editorial] time_zone)
    "#);
    insta::assert_snapshot!(problems_of("status = \"withdrawn\"\n"), @r#"
    content/tin-tuc/moi.md:3:10: error: front matter: a withdrawn page needs `withdrawn_at` and `withdrawn_reason`
      help: add withdrawn_at = 2026-12-01T08:00:00+07:00 and withdrawn_reason = "…": readers see both in its place
    "#);
    insta::assert_snapshot!(problems_of("change_note = \"Sửa lỗi\"\n"), @r#"
    content/tin-tuc/moi.md:3:15: error: front matter: `change_note` needs `updated`, the date of the correction
      help: add updated = 2026-12-01, the day the correction was made
    "#);
}

#[test]
fn issue_13_urgent_page_goes_out_in_vi_and_is_marked_being_translated_elsewhere() {
    let site = build_before_schedule();
    assert!(site.exists("tin-tuc/khan/index.html"));
    let copy = site.read("en/tin-tuc/khan/index.html");
    assert!(
        copy.contains("<p class=\"notice\">Being translated</p>"),
        "{copy}"
    );
    let not_urgent = site.read("en/tin-tuc/cu/index.html");
    assert!(not_urgent.contains("<p class=\"notice\">This page is not yet translated</p>"));
}

#[test]
fn issue_13_i18n_status_lists_urgent_pages_as_the_queue_most_recent_first() {
    let dir = fixture::copy("editorial");
    let config = tre::config::load(dir.path(), &at("2026-12-05T12:00:00+07:00")).unwrap();
    let status = tre::i18n_status(dir.path(), &config).unwrap();
    let en = &status.pages.as_ref().unwrap().languages[0];
    let queue: Vec<(&str, Option<&str>)> = en
        .queue
        .iter()
        .map(|q| (q.source.as_str(), q.date.as_deref()))
        .collect();
    assert_eq!(
        queue,
        [
            ("content/tin-tuc/khan.md", Some("2026-12-04T15:00:00+07:00")),
            (
                "content/tin-tuc/bao-lu.md",
                Some("2026-11-20T06:00:00+07:00")
            ),
        ]
    );
    let text = tre::i18n::render_text(&status);
    let khan = text.find("  urgent content/tin-tuc/khan.md").unwrap();
    let bao_lu = text.find("  urgent content/tin-tuc/bao-lu.md").unwrap();
    assert!(khan < bao_lu, "{text}");
}

/// A copy of the fixture with `probe.md`, rendered by a template that reaches for the
/// withdrawn page every way a template can: `get_page`, `get_section`, `get_taxonomy`,
/// `pages_of_kind`, and the page's `lower`/`higher` neighbours.
fn build_with_probe(files: &[(&str, &str)], opts: &BuildOptions) -> Site {
    let dir = fixture::copy("editorial");
    fs::write(
        dir.path().join("templates/probe.html"),
        r#"{% set w = get_page(path="tin-tuc/go-bo.md") -%}
<div id="get-page">[{{ w.content | safe }}][{{ w.summary }}][{{ w.word_count }}][{{ w.description }}][{{ w.editorial.status }}]</div>
{% set s = get_section(path="tin-tuc/_index.md") -%}
<div id="section">{% for p in s.pages %}{{ p.permalink }} {{ p.content | safe }} {% endfor %}</div>
{% set tags = get_taxonomy(kind="tags") -%}
<div id="tax">{% for t in tags.items %}{% for p in t.pages %}{{ p.permalink }} {% endfor %}{% endfor %}</div>
<div id="kind">{% for p in pages_of_kind(kind="tin") %}{{ p.permalink }} {{ p.content | safe }} {% endfor %}</div>
"#,
    )
    .unwrap();
    fs::write(
        dir.path().join("content/probe.md"),
        "+++\ntitle = \"Probe\"\ntemplate = \"probe.html\"\n+++\n",
    )
    .unwrap();
    // The withdrawn page is a news item, as `pages_of_kind` finds them.
    let go_bo = dir.path().join("content/tin-tuc/go-bo.md");
    let text = fs::read_to_string(&go_bo).unwrap().replace(
        "taxonomies = { tags = [\"hội chợ\"] }\n",
        "description = \"Hội chợ ở sân vận động\"\ntaxonomies = { tags = [\"hội chợ\"] }\n[extra]\nkind = \"tin\"\n",
    );
    fs::write(&go_bo, text).unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    fixture::build_dir(dir, opts)
}

#[test]
fn issue_13_templates_cannot_reach_the_text_of_a_withdrawn_page() {
    let site = build_with_probe(&[], &at("2026-12-05T12:00:00+07:00"));
    let probe = site.read("probe/index.html");
    assert!(!probe.contains("sân vận động"), "{probe}");
    assert!(probe.contains("][withdrawn]</div>"), "{probe}");
    for id in ["section", "tax", "kind"] {
        let start = probe.find(&format!("<div id=\"{id}\">")).unwrap();
        let div = &probe[start..start + probe[start..].find("</div>").unwrap()];
        assert!(!div.contains("/tin-tuc/go-bo/"), "{id} lists it: {div}");
    }
    let notice = site.read("tin-tuc/go-bo/index.html");
    assert!(!notice.contains("sân vận động"), "{notice}");
}

#[test]
fn issue_13_a_draft_or_withdrawn_section_hides_its_subtree() {
    for status in ["draft", "withdrawn", "review"] {
        let section = format!("+++\ntitle = \"Lưu trữ\"\nstatus = \"{status}\"\n+++\n");
        let files = [
            ("content/luu-tru/_index.md", section.as_str()),
            (
                "content/luu-tru/cu.md",
                "+++\ntitle = \"Cũ\"\ndate = 2026-01-01\n+++\nBài trong mục ẩn.\n",
            ),
            (
                "content/luu-tru/con/_index.md",
                "+++\ntitle = \"Con\"\n+++\n",
            ),
        ];
        let site = build_with_probe(&files, &at("2026-12-05T12:00:00+07:00"));
        for hidden in [
            "luu-tru/index.html",
            "luu-tru/cu/index.html",
            "luu-tru/con/index.html",
        ] {
            assert!(!site.exists(hidden), "{status}: {hidden} is built");
        }
        for file in ["sitemap.xml", "atom.xml", "search_index.vi.json"] {
            assert!(!site.read(file).contains("/luu-tru/"), "{status}: {file}");
        }
        let drafts = BuildOptions {
            include_drafts: true,
            ..at("2026-12-05T12:00:00+07:00")
        };
        let site = build_with_probe(&files, &drafts);
        assert!(
            site.exists("luu-tru/cu/index.html"),
            "{status} with --drafts"
        );
    }
}

#[test]
fn issue_13_typos_in_editorial_fields_are_errors_with_did_you_mean() {
    insta::assert_snapshot!(problems_of("status = \"publised\"\n"), @r#"
    content/tin-tuc/moi.md:3:10: error: front matter: unknown status "publised"; did you mean "published"?
      help: use one of draft, review, approved, published, withdrawn
    "#);
    // A misspelt key would otherwise be ignored, and the page published unapproved.
    insta::assert_snapshot!(problems_of("status = \"published\"\naproved_by = \"Lê Văn Cường\"\napproved_at = 2026-11-04T15:00:00\n"), @r#"
    content/tin-tuc/moi.md:4:14: error: front matter: unknown field `aproved_by`; did you mean `approved_by`?
      help: the editorial fields are status, author, reviewed_by, approved_by, approved_at, publish_at, withdrawn_at, withdrawn_reason, change_note, urgent, draft
    content/tin-tuc/moi.md:5:15: error: front matter: `approved_at` is set without `approved_by`
      help: add approved_by = "…", who approved it
    "#);
    insta::assert_snapshot!(problems_of("status = \"draft\"\npublish_att = 2026-12-24T08:00:00\n"), @r#"
    content/tin-tuc/moi.md:4:15: error: front matter: unknown field `publish_att`; did you mean `publish_at`?
      help: the editorial fields are status, author, reviewed_by, approved_by, approved_at, publish_at, withdrawn_at, withdrawn_reason, change_note, urgent, draft
    "#);
    // Each workflow date that does not parse is an error at its key, with the other problems.
    insta::assert_snapshot!(problems_of("status = \"withdrawn\"\napproved_by = \"An\"\napproved_at = \"hôm qua\"\nwithdrawn_at = \"2026-11-31\"\nwithdrawn_reason = \"Sai\"\n"), @r#"
    content/tin-tuc/moi.md:5:15: error: front matter: `approved_at` must be a date and time, found "hôm qua"
      help: write 2026-12-01T08:00:00+07:00, or 2026-12-01T08:00:00 in the site's time zone ([extra.editorial] time_zone)
    content/tin-tuc/moi.md:6:16: error: front matter: `withdrawn_at` must be a date and time, found "2026-11-31"
      help: write 2026-12-01T08:00:00+07:00, or 2026-12-01T08:00:00 in the site's time zone ([extra.editorial] time_zone)
    "#);
    // A section's status is checked the same way.
    let dir = fixture::copy("editorial");
    fs::write(
        dir.path().join("content/tin-tuc/_index.md"),
        "+++\ntitle = \"Tin tức\"\nstatus = \"withdrawm\"\n+++\n",
    )
    .unwrap();
    insta::assert_snapshot!(fixture::build_dir_err(&dir, &at("2026-12-05T12:00:00+07:00")), @r#"
    content/tin-tuc/_index.md:3:10: error: front matter: unknown status "withdrawm"; did you mean "withdrawn"?
      help: use one of draft, review, approved, published, withdrawn
    "#);
}
