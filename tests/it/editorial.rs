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
    content/tin-tuc/moi.md:3:10: error: front matter: unknown `status` "da-dang"
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
