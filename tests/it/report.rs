//! `tre report` (issue 13) on tests/fixtures/editorial, put in a git repository made here with
//! fixed authors and dates: the first commit on 2 Nov 2026 adds the site, the second on
//! 25 Nov changes `bao-lu.md`. November's figures are counted by hand from the fixture.

use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;
use tre::BuildOptions;
use tre::report::{Counts, Period, Report};

use crate::fixture;

fn commit(repo: &git2::Repository, who: &str, when: &str, message: &str) {
    let at = chrono::DateTime::parse_from_rfc3339(when).unwrap();
    let time = git2::Time::new(at.timestamp(), at.offset().local_minus_utc() / 60);
    let sig = git2::Signature::new(who, "bien-tap@tinh.example.gov.vn", &time).unwrap();
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let parent = repo.head().ok().map(|h| h.peel_to_commit().unwrap());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
        .unwrap();
}

/// The fixture with a page that has no `date` (git gives its publication) and two commits.
fn site_with_history() -> tempfile::TempDir {
    let dir = fixture::copy("editorial");
    let root = dir.path();
    std::fs::write(
        root.join("content/tin-tuc/khong-ngay.md"),
        "+++\ntitle = \"Thông báo không ghi ngày\"\n[extra]\nkind = \"statement\"\n+++\nThông cáo báo chí về lịch làm việc.\n",
    )
    .unwrap();
    let repo = git2::Repository::init(root).unwrap();
    commit(
        &repo,
        "Nguyễn Văn An",
        "2026-11-02T09:00:00+07:00",
        "Trang tin",
    );
    let bao_lu = root.join("content/tin-tuc/bao-lu.md");
    let text = std::fs::read_to_string(&bao_lu).unwrap();
    std::fs::write(&bao_lu, format!("{text}Cập nhật: hồ đã đóng cửa xả.\n")).unwrap();
    commit(
        &repo,
        "Trần Thị Bình",
        "2026-11-25T16:00:00+07:00",
        "Cập nhật tin xả lũ",
    );
    dir
}

fn november(root: &Path) -> Report {
    let opts = BuildOptions {
        now: Some(chrono::DateTime::parse_from_rfc3339("2026-12-05T12:00:00+07:00").unwrap()),
        ..BuildOptions::default()
    };
    let day = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let period = Period::new(day("2026-11-01"), day("2026-11-30")).unwrap();
    tre::report::report(root, &opts, period, None).unwrap()
}

fn counts_of(r: &Report, lang: &str, kind: &str) -> Counts {
    r.rows
        .iter()
        .find(|row| row.lang == lang && row.kind == kind)
        .map(|row| row.counts.clone())
        .unwrap_or_default()
}

#[test]
fn issue_13_report_counts_november_from_content_and_git() {
    let dir = site_with_history();
    let r = november(dir.path());
    let vi = counts_of(&r, "vi", "article");
    // da-dang (2 Nov), dinh-chinh (3 Nov), go-bo (5 Nov, withdrawn later), bao-lu (20 Nov);
    // not cu (October), khan (December), hen-gio (scheduled for December), nor the drafts.
    assert_eq!(vi.published, 4, "{:#?}", r.rows);
    // bao-lu has no `updated`; git changed it on 25 Nov.
    assert_eq!(vi.updated, 1);
    assert_eq!((vi.corrected, vi.withdrawn, vi.statements), (1, 1, 0));
    // khong-ngay has no date: git's first commit published it, on 2 Nov.
    let statement = counts_of(&r, "vi", "statement");
    assert_eq!((statement.published, statement.statements), (1, 1));
    let en = counts_of(&r, "en", "article");
    assert_eq!((en.published, en.updated), (1, 0));
    assert_eq!(r.totals.published, 6);
    let words = |file: &str| {
        let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
        let body = text.splitn(3, "+++").nth(2).unwrap();
        tre::text::markdown_word_count(body.trim_start_matches('\n'))
    };
    let vi_files = ["da-dang", "dinh-chinh", "go-bo", "bao-lu"];
    let expected: usize = vi_files
        .iter()
        .map(|f| words(&format!("content/tin-tuc/{f}.md")))
        .sum();
    assert_eq!(vi.words, expected);
    assert!(vi.words > 20, "{}", vi.words);

    assert_eq!(r.corrections.len(), 1);
    let c = &r.corrections[0];
    assert_eq!(
        (c.file.as_str(), c.date.as_str(), c.note.as_str()),
        (
            "content/tin-tuc/dinh-chinh.md",
            "2026-11-15",
            "Sửa số học sinh trúng tuyển: 1.250, không phải 1.520"
        )
    );
    assert_eq!(r.withdrawals.len(), 1);
    assert_eq!(r.withdrawals[0].date, "2026-11-20");

    let history = r.history.as_ref().unwrap();
    let bao_lu = history
        .iter()
        .find(|h| h.file == "content/tin-tuc/bao-lu.md")
        .unwrap();
    assert_eq!(
        (bao_lu.first.author.as_str(), bao_lu.first.date.as_str()),
        ("Nguyễn Văn An", "2026-11-02T09:00:00+07:00")
    );
    assert_eq!(
        (bao_lu.last.author.as_str(), bao_lu.last.date.as_str()),
        ("Trần Thị Bình", "2026-11-25T16:00:00+07:00")
    );
    // The translators' queue: the urgent bao-lu has no English version.
    let en_cov = r.translation.iter().find(|t| t.lang == "en").unwrap();
    assert!(
        en_cov
            .queue
            .contains(&"content/tin-tuc/bao-lu.md".to_string())
    );
    // The chart has November for the province.
    assert_eq!(r.months.len(), 1);
    assert_eq!(r.months[0].published, 6);
}

#[test]
fn issue_13_report_formats_carry_the_same_figures() {
    let dir = site_with_history();
    let r = november(dir.path());
    let csv = tre::report::render_csv(&r);
    let vi = counts_of(&r, "vi", "article");
    assert!(
        csv.contains(&format!(",vi,article,4,1,1,1,0,{}\n", vi.words)),
        "{csv}"
    );
    let json: serde_json::Value = serde_json::from_str(&tre::report::render_json(&r)).unwrap();
    assert_eq!(json["totals"]["published"], 6);
    let html = tre::report::render_html(&r);
    assert!(html.starts_with("<!doctype html>\n<html lang=\"vi\">"));
    assert!(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""));
    assert!(html.contains("<desc id=\"chart-desc\">2026-11 (tỉnh / province): 6</desc>"));
    assert!(!html.contains("<script"));
}

#[test]
fn issue_13_report_from_after_to_is_a_usage_error() {
    let dir = fixture::copy("editorial");
    let out = Command::new(env!("CARGO_BIN_EXE_tre"))
        .args(["--root"])
        .arg(dir.path())
        .args(["report", "--from", "2026-12-01", "--to", "2026-11-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error: --from 2026-12-01 is after --to 2026-11-01"),
        "{err}"
    );
}

/// `tre report ARGS --format json` on the fixture at a fixed instant: exit code, stdout, stderr.
fn report_cli(root: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tre"))
        .env("TRE_NOW", "2026-12-05T12:00:00+07:00")
        .arg("--root")
        .arg(root)
        .arg("report")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn issue_13_report_quarter_month_and_year_are_shortcuts_for_from_and_to() {
    let dir = site_with_history();
    let root = dir.path();
    for (shortcut, from, to) in [
        (["--month", "2026-11"], "2026-11-01", "2026-11-30"),
        (["--quarter", "2026-Q4"], "2026-10-01", "2026-12-31"),
        (["--year", "2026"], "2026-01-01", "2026-12-31"),
    ] {
        let short = report_cli(root, &shortcut);
        let long = report_cli(root, &["--from", from, "--to", to]);
        assert_eq!(short.0, Some(0), "{shortcut:?}: {}", short.2);
        assert_eq!(short, long, "{shortcut:?}");
        let json: serde_json::Value = serde_json::from_str(&short.1).unwrap();
        assert_eq!(
            (json["from"].as_str(), json["to"].as_str()),
            (Some(from), Some(to))
        );
    }
    // November holds the fixture's publications: the quarter counts them too.
    let q4: serde_json::Value =
        serde_json::from_str(&report_cli(root, &["--quarter", "2026-Q4"]).1).unwrap();
    let nov: serde_json::Value =
        serde_json::from_str(&report_cli(root, &["--month", "2026-11"]).1).unwrap();
    assert!(nov["totals"]["published"].as_u64().unwrap() > 0);
    assert!(q4["totals"]["published"].as_u64() >= nov["totals"]["published"].as_u64());
}

#[test]
fn issue_13_report_period_shortcuts_refuse_bad_values_and_each_other() {
    let dir = fixture::copy("editorial");
    let root = dir.path();
    for (args, expected) in [
        (
            vec!["--quarter", "2026-Q5"],
            "\"2026-Q5\" is not a quarter; write it as 2026-Q4",
        ),
        (
            vec!["--month", "2026-13"],
            "\"2026-13\" is not a month; write it as 2026-11",
        ),
        (
            vec!["--year", "26"],
            "\"26\" is not a year; write it as 2026",
        ),
        (
            vec![
                "--quarter",
                "2026-Q4",
                "--from",
                "2026-10-01",
                "--to",
                "2026-12-31",
            ],
            "cannot be used with",
        ),
        (
            vec!["--month", "2026-11", "--year", "2026"],
            "cannot be used with",
        ),
        (vec!["--from", "2026-11-01"], "--to <TO>"),
        (
            vec![],
            "--from <FROM>|--quarter <QUARTER>|--month <MONTH>|--year <YEAR>",
        ),
    ] {
        let (code, out, err) = report_cli(root, &args);
        assert_eq!(code, Some(2), "{args:?}: {out}{err}");
        assert!(err.contains(expected), "{args:?}: {err}");
    }
}
