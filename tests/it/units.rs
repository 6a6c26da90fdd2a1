//! Units (issue 13) on tests/fixtures/units: the commune `don-vi/xa-tan-lap` publishes in vi
//! only (en readers get content-fallback copies), the department `don-vi/so-cong-thuong` in
//! vi and en, and `tin-tuc/hop-bao.md` belongs to no unit.

use std::fs;

use tre::BuildOptions;

use crate::fixture;

const BASE: &str = "https://tinh.example.gov.vn";

#[test]
fn issue_13_unit_pages_show_the_unit_identity_in_each_language() {
    let site = fixture::build("units");
    let vi = site.read("don-vi/so-cong-thuong/hoi-cho/index.html");
    assert!(
        vi.contains(&format!(
            "<p class=\"unit-name\"><a href=\"{BASE}/don-vi/so-cong-thuong/\">Sở Công Thương</a></p>"
        )),
        "{vi}"
    );
    assert!(vi.contains(
        "<address class=\"unit\">Sở Công Thương, Số 5 đường Trường Chinh. Bà Lý Thị Hoa, Chánh Văn phòng. <a href=\"tel:0209 3852 222\">0209 3852 222</a>, <a href=\"mailto:soct@tinh.example.gov.vn\">soct@tinh.example.gov.vn</a></address>"
    ));
    let en = site.read("en/don-vi/so-cong-thuong/hoi-cho/index.html");
    assert!(
        en.contains(&format!(
            "<a href=\"{BASE}/en/don-vi/so-cong-thuong/\">Department of Industry and Trade</a>"
        )),
        "{en}"
    );
    // The commune publishes in vi only: en readers get the fallback copy, with its identity.
    let copy = site.read("en/don-vi/xa-tan-lap/nuoc-sach/index.html");
    assert!(
        copy.contains("Tan Lap Commune People&#x27;s Committee"),
        "{copy}"
    );
    // A provincial page has no unit.
    let province = site.read("tin-tuc/hop-bao/index.html");
    assert!(province.contains("<p class=\"site\">Cổng thông tin tỉnh</p>"));
    assert!(!province.contains("class=\"unit"));
}

#[test]
fn issue_13_the_home_lists_the_units() {
    let site = fixture::build("units");
    let home = site.read("index.html");
    assert!(
        home.contains(&format!(
            "<ul class=\"units\"><li><a href=\"{BASE}/don-vi/so-cong-thuong/\">Sở Công Thương</a></li><li><a href=\"{BASE}/don-vi/xa-tan-lap/\">UBND xã Tân Lập</a></li></ul>"
        )),
        "{home}"
    );
}

#[test]
fn issue_13_each_unit_has_its_feeds_and_its_search_index() {
    let site = fixture::build("units");
    let feed = site.read("don-vi/so-cong-thuong/atom.xml");
    assert!(feed.contains("/don-vi/so-cong-thuong/hoi-cho/"), "{feed}");
    assert!(!feed.contains("/tin-tuc/hop-bao/"));
    assert!(!feed.contains("/xa-tan-lap/"));
    let en_feed = site.read("en/don-vi/so-cong-thuong/atom.xml");
    assert!(en_feed.contains("/en/don-vi/so-cong-thuong/hoi-cho/"));
    assert!(site.exists("don-vi/xa-tan-lap/atom.xml"));
    let page = site.read("don-vi/so-cong-thuong/hoi-cho/index.html");
    assert!(page.contains(&format!(
        "<a class=\"unit-feed\" href=\"{BASE}/don-vi/so-cong-thuong/atom.xml\">"
    )));

    let index: serde_json::Value =
        serde_json::from_str(&site.read("don-vi/so-cong-thuong/search_index.vi.json")).unwrap();
    let urls: Vec<&str> = index
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["url"].as_str().unwrap())
        .collect();
    assert_eq!(
        urls,
        [
            format!("{BASE}/don-vi/so-cong-thuong/"),
            format!("{BASE}/don-vi/so-cong-thuong/hoi-cho/")
        ]
    );
    let all = site.read("search_index.vi.json");
    assert!(all.contains("/tin-tuc/hop-bao/") && all.contains("/xa-tan-lap/nuoc-sach/"));
}

#[test]
fn issue_13_codeowners_maps_unit_paths_to_editors() {
    let dir = fixture::copy("units");
    let text = tre::codeowners(dir.path(), &BuildOptions::default()).unwrap();
    let rules: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        rules,
        [
            "/content/don-vi/so-cong-thuong/ @tinh/so-cong-thuong vanphong.soct@tinh.example.gov.vn",
            "/content/don-vi/xa-tan-lap/ @tinh/xa-tan-lap",
            "/static/don-vi/xa-tan-lap/ @tinh/xa-tan-lap",
        ]
    );
}

#[test]
fn issue_13_check_reports_files_no_unit_owns() {
    let dir = fixture::copy("units");
    let report = tre::check(dir.path(), &BuildOptions::default()).unwrap();
    let unowned: Vec<String> = report
        .warnings
        .iter()
        .filter(|w| w.message == "no unit owns this file")
        .map(|w| w.file.display().to_string())
        .collect();
    assert_eq!(
        unowned,
        [
            "content/_index.en.md",
            "content/_index.md",
            "content/don-vi/_index.md",
            "content/tin-tuc/_index.md",
            "content/tin-tuc/hop-bao.md"
        ]
    );
    // Once the home is a unit that allows units inside, every file has an owner.
    let home = dir.path().join("content/_index.md");
    fs::write(
        &home,
        "+++\ntitle = \"Trang chủ\"\n\n[extra.unit]\nname = \"UBND tỉnh\"\naddress = \"Số 1 đường Hùng Vương\"\ncontact = \"Văn phòng\"\nphone = \"0209 3850 000\"\nemail = \"vp@tinh.example.gov.vn\"\neditors = [\"@tinh/van-phong\"]\nallow_units_inside = true\n+++\n",
    )
    .unwrap();
    let report = tre::check(dir.path(), &BuildOptions::default()).unwrap();
    assert!(
        !report
            .warnings
            .iter()
            .any(|w| w.message == "no unit owns this file")
    );
}

#[test]
fn issue_13_a_unit_inside_a_unit_must_be_allowed() {
    let dir = fixture::copy("units");
    let inner = dir.path().join("content/don-vi/so-cong-thuong/phong-xnk");
    fs::create_dir_all(&inner).unwrap();
    fs::write(
        inner.join("_index.md"),
        "+++\ntitle = \"Phòng XNK\"\n\n[extra.unit]\nname = \"Phòng Xuất nhập khẩu\"\n+++\n",
    )
    .unwrap();
    let problems = fixture::build_dir_err(&dir, &BuildOptions::default());
    insta::assert_snapshot!(problems, @r"
    content/don-vi/so-cong-thuong/phong-xnk/_index.md:4:1: error: unit `don-vi/so-cong-thuong/phong-xnk` is inside unit `don-vi/so-cong-thuong`, which does not allow units inside it
      help: add allow_units_inside = true to [extra.unit] in content/don-vi/so-cong-thuong/_index.md, or move this unit out
    ");
}

#[test]
fn issue_13_two_units_may_not_claim_one_path() {
    let dir = fixture::copy("units");
    let file = dir.path().join("content/don-vi/so-cong-thuong/_index.md");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(
        &file,
        text.replace(
            "editors = [",
            "paths = [\"static/don-vi/xa-tan-lap/\"]\neditors = [",
        ),
    )
    .unwrap();
    let problems = fixture::build_dir_err(&dir, &BuildOptions::default());
    insta::assert_snapshot!(problems, @r"
    content/don-vi/xa-tan-lap/_index.md:12:1: error: `static/don-vi/xa-tan-lap/` is claimed by two units: this one and content/don-vi/so-cong-thuong/_index.md
      help: a path belongs to one unit: remove it from one `paths`
    ");
}

#[test]
fn issue_13_a_unit_publishes_only_in_its_languages() {
    let dir = fixture::copy("units");
    fs::write(
        dir.path().join("content/don-vi/xa-tan-lap/nuoc-sach.en.md"),
        "+++\ntitle = \"Clean water\"\ndate = 2026-11-12\n+++\nText.\n",
    )
    .unwrap();
    let problems = fixture::build_dir_err(&dir, &BuildOptions::default());
    assert!(
        problems.starts_with(
            "content/don-vi/xa-tan-lap/nuoc-sach.en.md: error: unit `don-vi/xa-tan-lap` does not publish in `en`"
        ),
        "{problems}"
    );
}
