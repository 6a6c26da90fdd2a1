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

/// The province itself as a unit (as in the sample portal): its feed is the site's feed, which
/// a unit feed of its own, at the same path and with only the pages no other unit owns, used
/// to replace.
#[test]
fn issue_13_a_unit_at_the_root_keeps_the_sites_feeds() {
    let dir = fixture::copy("units");
    for (file, title) in [("_index.md", "Trang chủ"), ("_index.en.md", "Home")] {
        fs::write(
            dir.path().join("content").join(file),
            format!("+++\ntitle = \"{title}\"\n\n[extra.unit]\nname = \"Sở Ngoại vụ\"\naddress = \"Số 1\"\ncontact = \"Văn phòng\"\nphone = \"0209 1\"\nemail = \"snv@tinh.example.gov.vn\"\nallow_units_inside = true\n+++\n"),
        )
        .unwrap();
    }
    let site = fixture::build_dir(dir, &BuildOptions::default());
    let feed = site.read("atom.xml");
    for page in ["/tin-tuc/hop-bao/", "/don-vi/so-cong-thuong/hoi-cho/"] {
        assert!(
            feed.contains(&format!("{BASE}{page}")),
            "{page} missing:\n{feed}"
        );
    }
    let en_feed = site.read("en/atom.xml");
    assert!(
        en_feed.contains(&format!("{BASE}/en/don-vi/so-cong-thuong/hoi-cho/")),
        "{en_feed}"
    );
    // The units below keep theirs.
    assert!(
        site.read("don-vi/so-cong-thuong/atom.xml")
            .contains("/don-vi/so-cong-thuong/hoi-cho/")
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

/// tests/fixtures/units on the built-in theme (as `tre init --theme-only` writes it, its
/// own templates removed), with a search page.
fn units_on_the_theme() -> fixture::Site {
    let dir = units_on_the_theme_dir();
    fixture::build_dir(dir, &BuildOptions::default())
}

fn units_on_the_theme_dir() -> tempfile::TempDir {
    let dir = fixture::copy("units");
    let root = dir.path();
    fs::remove_dir_all(root.join("templates")).unwrap();
    let config = fs::read_to_string(root.join("config.toml")).unwrap();
    fs::write(
        root.join("config.toml"),
        format!("theme = \"tre-portal\"\n{config}\n[extra]\nsearch_page = \"@/tim-kiem.md\"\n"),
    )
    .unwrap();
    fs::write(
        root.join("content/tim-kiem.md"),
        "+++\ntitle = \"Tìm kiếm\"\ntemplate = \"search.html\"\n+++\n",
    )
    .unwrap();
    let opts = tre::init::InitOptions {
        is_theme_only: true,
        ..tre::init::InitOptions::default()
    };
    tre::init::init(root, &opts).unwrap();
    dir
}

/// A URL as Tera escapes it in an attribute.
fn attr(url: &str) -> String {
    url.replace('/', "&#x2F;")
}

#[test]
fn issue_13_a_unit_has_its_own_menu_on_its_pages_in_each_language() {
    let site = units_on_the_theme();
    let vi = site.read("don-vi/so-cong-thuong/hoi-cho/index.html");
    assert!(
        vi.contains(r#"<nav class="unit-nav" aria-label="Trang của Sở Công Thương">"#),
        "{vi}"
    );
    // A name given per language, the page itself marked current; a page outside the unit
    // labelled with its title; the search limited to the unit.
    let fair = attr(&format!("{BASE}/don-vi/so-cong-thuong/hoi-cho/"));
    assert!(
        vi.contains(&format!(
            r#"<li><a href="{fair}" aria-current="page">Hội chợ</a></li>"#
        )),
        "{vi}"
    );
    let press = attr(&format!("{BASE}/tin-tuc/hop-bao/"));
    assert!(
        vi.contains(&format!(r#"<li><a href="{press}">Họp báo"#)),
        "{vi}"
    );
    let search = attr(&format!("{BASE}/tim-kiem/?unit=don-vi/so-cong-thuong"));
    assert!(
        vi.contains(&format!(
            r#"<li class="nav-search"><a href="{search}">Tìm trong đơn vị</a></li>"#
        )),
        "{vi}"
    );
    let en = site.read("en/don-vi/so-cong-thuong/hoi-cho/index.html");
    assert!(en.contains(r#"aria-label="Pages of Department of Industry and Trade""#));
    let fair_en = attr(&format!("{BASE}/en/don-vi/so-cong-thuong/hoi-cho/"));
    assert!(
        en.contains(&format!(
            r#"<li><a href="{fair_en}" aria-current="page">Fairs</a></li>"#
        )),
        "{en}"
    );
    // The provincial page has no unit menu; the commune declares none but gets the search.
    assert!(!site.read("tin-tuc/hop-bao/index.html").contains("unit-nav"));
    let commune = site.read("don-vi/xa-tan-lap/nuoc-sach/index.html");
    let nav = commune
        .split_once("<nav class=\"unit-nav\"")
        .and_then(|(_, n)| n.split_once("</nav>"))
        .map(|(n, _)| n)
        .unwrap_or_default();
    assert_eq!(nav.matches("<li").count(), 1, "{nav}");
    assert!(nav.contains("Tìm trong đơn vị"), "{nav}");
}

#[test]
fn issue_13_a_unit_home_shows_the_blocks_it_declares() {
    let site = units_on_the_theme();
    let home = site.read("don-vi/so-cong-thuong/index.html");
    let headings: Vec<&str> = home
        .split("<h2 id=\"")
        .skip(1)
        .filter_map(|h| h.split_once("</h2>").map(|(h, _)| h))
        .collect();
    assert_eq!(
        &headings[..4],
        [
            "unit-block-1\">Nổi bật",
            "unit-block-2\">Tin mới của đơn vị",
            "unit-block-3\">Liên hệ với đơn vị",
            "listing-title\">Danh sách 1 bài viết",
        ],
        "{home}"
    );
    let block = |n: usize| {
        let start = home.find(&format!("id=\"unit-block-{n}\"")).unwrap();
        let end = start + home[start..].find("</section>").unwrap();
        home[start..end].to_string()
    };
    let fair = attr(&format!("{BASE}/don-vi/so-cong-thuong/hoi-cho/"));
    assert!(block(1).contains(&format!("<a href=\"{fair}\">Hội chợ hàng nông sản</a>")));
    // `latest`, count 1: the unit's newest page only.
    assert_eq!(block(2).matches("<article class=\"card\"").count(), 1);
    assert!(block(3).contains("<p>Người liên hệ: Bà Lý Thị Hoa, Chánh Văn phòng</p>"));
    let en = site.read("en/don-vi/so-cong-thuong/index.html");
    assert!(en.contains("<h2 id=\"unit-block-1\">Featured</h2>"), "{en}");
    assert!(en.contains("<h2 id=\"unit-block-3\">Contact the unit</h2>"));
    // A page's section is not a unit home: no blocks there.
    assert!(!site.read("tin-tuc/index.html").contains("unit-block"));
    // The provincial home lists the units.
    let province = site.read("index.html");
    assert!(province.contains("<h2 id=\"home-units-title\">Các đơn vị</h2>"));
    let unit_home = attr(&format!("{BASE}/don-vi/xa-tan-lap/"));
    assert!(province.contains(&format!("<a href=\"{unit_home}\">UBND xã Tân Lập</a>")));
}

#[test]
fn issue_13_the_search_page_offers_each_unit_with_its_own_index() {
    let site = units_on_the_theme();
    for (page, prefix, lang) in [
        ("tim-kiem/index.html", "", "vi"),
        ("en/tim-kiem/index.html", "en/", "en"),
    ] {
        let html = site.read(page);
        assert!(
            html.contains("<select id=\"search-unit\" name=\"unit\">"),
            "{html}"
        );
        for unit in ["don-vi/so-cong-thuong", "don-vi/xa-tan-lap"] {
            let index = format!("{prefix}{unit}/search_index.{lang}.json");
            let url = attr(&format!("{BASE}/{index}"));
            assert!(
                html.contains(&format!(
                    "<option value=\"{}\" data-index=\"{url}\">",
                    attr(unit)
                )),
                "{page} has no option for {unit}"
            );
            assert!(site.exists(&index), "no {index}");
        }
    }
}

#[test]
fn issue_13_unit_menu_and_block_mistakes_are_diagnostics() {
    for (replace, with, expected) in [
        (
            "{ type = \"contact\" }",
            "{ type = \"map\" }",
            "content/don-vi/so-cong-thuong/_index.md:17:1: error: a block of `extra.unit.blocks` has type \"map\"; the types are \"latest\", \"pages\" and \"contact\"",
        ),
        (
            "\"@/tin-tuc/hop-bao.md\"",
            "\"@/tin-tuc/khong-co.md\"",
            "content/don-vi/so-cong-thuong/_index.md:13:1: error: `extra.unit.menu` links to `@/tin-tuc/khong-co.md`, which is not a page or section of the site",
        ),
        (
            "{ type = \"latest\", count = 1 }",
            "{ type = \"latest\", count = 0 }",
            "a \"latest\" block's `count` must be a whole number from 1 to 50",
        ),
    ] {
        let dir = fixture::copy("units");
        let index = dir.path().join("content/don-vi/so-cong-thuong/_index.md");
        let text = fs::read_to_string(&index).unwrap();
        assert!(text.contains(replace));
        fs::write(&index, text.replace(replace, with)).unwrap();
        let err = fixture::build_dir_err(&dir, &BuildOptions::default());
        assert!(err.contains(expected), "expected {expected}\ngot {err}");
    }
}

#[test]
fn issue_13_serve_updates_unit_menus_and_blocks_as_a_clean_build_would() {
    use crate::serve::{assert_same, edit, serve_opts};
    let dir = units_on_the_theme_dir();
    let root = dir.path();
    let mut site = tre::serve::Site::load(root, &serve_opts()).unwrap();
    // A page a unit's menu names by its title, outside the unit; then one its blocks show.
    for (file, from, to) in [
        (
            "content/tin-tuc/hop-bao.md",
            "title = \"",
            "title = \"Mới: ",
        ),
        (
            "content/don-vi/so-cong-thuong/hoi-cho.md",
            "date = 2026-11-15",
            "date = 2026-11-16",
        ),
        (
            "content/don-vi/so-cong-thuong/hoi-cho.md",
            "title = \"",
            "title = \"Mới: ",
        ),
    ] {
        let path = root.join(file);
        edit(&path, |t| t.replacen(from, to, 1));
        site.apply(&[path]).unwrap();
        assert_same(&site, root, file);
    }
}
