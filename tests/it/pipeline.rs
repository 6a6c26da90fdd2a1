//! Build, check and serve run the same stages (issue 15): what `tre serve` holds and reports
//! equals what a build of the same sources writes and reports.

use std::fs;
use std::path::Path;

use tre::diag;
use tre::serve::{FirstPass, Site};

use crate::fixture;
use crate::serve::{assert_same, edit, get, serve_opts, start, wait_for};

/// Turns on the search index of the default language and of English.
fn enable_search(root: &Path, format: &str) {
    edit(&root.join("config.toml"), |t| {
        format!("build_search_index = true\n{t}").replacen(
            "[languages.en]",
            &format!(
                "[search]\nindex_format = \"{format}\"\n\n[languages.en]\nbuild_search_index = true\n\
                 search = {{ index_format = \"{format}\" }}"
            ),
            1,
        )
    });
}

/// The text of the output file at `path` as serve holds it.
fn served(files: &tre::serve::Files, path: &str) -> String {
    match files.get(path) {
        Some(f) => f.text().into_owned(),
        None => panic!("serve holds no {path}"),
    }
}

fn load(root: &Path) -> Site {
    match Site::load(root, &serve_opts()) {
        Ok(s) => s,
        Err(p) => panic!("serve failed to load:\n{}", diag::render_all(&p)),
    }
}

#[test]
fn issue_15_serve_writes_search_indexes_at_start_and_after_a_config_reload() {
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    enable_search(root, "fuse_json");
    let mut site = load(root);
    assert!(site.files().get("search_index.vi.json").is_some());
    assert_same(&site, root, "the first build");
    let config = root.join("config.toml");
    edit(&config, |t| t.replace("Cổng thông tin tỉnh", "Cổng tỉnh"));
    let outcome = site.apply(&[config]).unwrap();
    assert!(outcome.was_full);
    assert!(site.files().get("search_index.en.json").is_some());
    assert_same(&site, root, "a config edit");
    // And over the socket, from the first moment.
    let h = start(root);
    let (status, index) = get(h.addr(), "/search_index.vi.json");
    assert_eq!(status, 200);
    assert!(index.contains("Ngôi đình được xây dựng"), "{index}");
}

/// A template may show the search index's hash (`get_url(…, cachebust=true)`, `get_hash`): as a
/// build, serve makes the index before the pages, so a body edit shows there too.
#[test]
fn issue_15_a_page_hashing_the_search_index_shows_its_new_hash_after_a_body_edit() {
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    enable_search(root, "fuse_json");
    edit(&root.join("templates/page.html"), |t| {
        t.replacen(
            "</article>",
            "<p class=\"index\">{{ get_hash(path=\"search_index.vi.json\") }}</p></article>",
            1,
        )
    });
    let mut site = load(root);
    assert_same(&site, root, "the first build");
    let page = "en/tin-tuc/lich-su-dinh-lang/index.html";
    let hash = |site: &Site| {
        let html = served(site.files(), page);
        let at = html.find("class=\"index\">").expect("the hash is shown");
        html[at..].split('<').next().unwrap_or_default().to_string()
    };
    let before = hash(&site);
    let path = root.join("content/tin-tuc/lich-su-dinh-lang.md");
    edit(&path, |t| format!("{t}\nMái đình lợp ngói vảy cá.\n"));
    site.apply(&[path]).unwrap();
    assert_ne!(
        hash(&site),
        before,
        "the English page shows the Vietnamese index's new hash"
    );
    assert_same(&site, root, "a body edit hashed by every page");
}

#[test]
fn issue_15_a_body_edit_keeps_its_sections_anchor_links() {
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    edit(&root.join("content/tin-tuc/_index.md"), |t| {
        t.replacen(
            "paginate_by = 2",
            "paginate_by = 2\ninsert_anchor_links = \"left\"",
            1,
        )
    });
    let mut site = load(root);
    let page = "tin-tuc/lich-su-dinh-lang/index.html";
    let html = |site: &Site| served(site.files(), page);
    assert!(
        html(&site).contains(r##"href="#kien-truc""##),
        "{}",
        html(&site)
    );
    let path = root.join("content/tin-tuc/lich-su-dinh-lang.md");
    edit(&path, |t| format!("{t}\n## Mái ngói\n\nNgói vảy cá.\n"));
    site.apply(&[path]).unwrap();
    for id in ["kien-truc", "mai-ngoi"] {
        assert!(
            html(&site).contains(&format!(r##"href="#{id}""##)),
            "{}",
            html(&site)
        );
    }
    assert_same(&site, root, "a body edit in a section with anchor links");
}

#[test]
fn issue_15_serve_reports_the_warnings_a_build_reports() {
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    // A format Tre cannot write: the build warns and writes no index.
    enable_search(root, "solr_xml");
    let built = match tre::render_site(root, &serve_opts()) {
        Ok(b) => b,
        Err(p) => panic!("the build failed:\n{}", diag::render_all(&p)),
    };
    assert!(
        built
            .warnings
            .iter()
            .any(|w| w.message.contains("solr_xml")),
        "{}",
        diag::render_all(&built.warnings)
    );
    let mut site = load(root);
    assert_eq!(
        diag::render_all(site.warnings()),
        diag::render_all(&built.warnings)
    );
    let path = root.join("content/tin-tuc/lich-su-dinh-lang.md");
    edit(&path, |t| format!("{t}\nCâu mới.\n"));
    site.apply(&[path]).unwrap();
    assert_eq!(
        diag::render_all(site.warnings()),
        diag::render_all(&built.warnings)
    );
}

#[test]
fn issue_15_serve_refuses_a_broken_anchor_as_the_build_does() {
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    let mut site = load(root);
    let path = root.join("content/tin-tuc/lich-su-dinh-lang.md");
    edit(&path, |t| t.replace("#chuong-trinh", "#khong-co"));
    let built = tre::check(root, &serve_opts()).unwrap_err();
    let served = site.apply(std::slice::from_ref(&path)).unwrap_err();
    assert!(diag::render_all(&built).contains("broken anchor"));
    assert_eq!(diag::render_all(&served), diag::render_all(&built));
    // From scratch too, and fixed again.
    let Err(fresh) = Site::load(root, &serve_opts()) else {
        panic!("serve started with a broken anchor")
    };
    assert_eq!(diag::render_all(&fresh), diag::render_all(&built));
    edit(&path, |t| t.replace("#khong-co", "#chuong-trinh"));
    site.apply(&[path]).unwrap();
    assert_same(&site, root, "the anchor fixed again");
}

#[test]
fn issue_15_the_translation_status_shows_the_served_build() {
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    let h = start(root);
    let (_, before) = get(h.addr(), "/__tre/i18n");
    assert!(before.contains("<section id=\"pages\""), "{before}");
    // A front-matter error: serve keeps the last good site, and its status with it, rather
    // than reading content again for every request.
    let path = root.join("content/tin-tuc/2025-01-05-thong-bao.md");
    let good = fs::read_to_string(&path).unwrap();
    edit(&path, |t| t.replacen("title = ", "title = = ", 1));
    wait_for(h.addr(), "/tin-tuc/lich-su-dinh-lang/", |b| {
        b.contains("__tre_overlay")
    });
    let (status, during) = get(h.addr(), "/__tre/i18n");
    assert_eq!(status, 200);
    assert_eq!(during, before);
    edit(&path, |_| good.clone());
    wait_for(h.addr(), "/tin-tuc/lich-su-dinh-lang/", |b| {
        !b.contains("__tre_overlay")
    });
    // A new translation shows once served.
    fs::write(
        root.join("content/tin-tuc/2025-01-05-thong-bao.en.md"),
        "+++\ntitle = \"Notice\"\n+++\nA notice.\n",
    )
    .unwrap();
    wait_for(h.addr(), "/__tre/i18n", |b| b != before);
}

#[test]
fn issue_15_an_anchor_link_template_of_the_site_reaches_other_pages() {
    // Without shortcodes, bodies are rendered without the site's pages as JSON; a site's own
    // anchor-link.html renders inside bodies too, and may read them.
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    edit(&root.join("content/tin-tuc/_index.md"), |t| {
        t.replacen("+++\n", "+++\ninsert_anchor_links = \"right\"\n", 1)
    });
    fs::write(
        root.join("templates/anchor-link.html"),
        "{% set p = get_page(path=\"tin-tuc/2025-01-05-thong-bao.md\") %}\
         <a href=\"#{{ id }}\">{{ p.title }}</a>",
    )
    .unwrap();
    let site = fixture::build_dir(dir, &tre::BuildOptions::default());
    let page = fs::read_to_string(
        site.dir
            .path()
            .join("public/tin-tuc/lich-su-dinh-lang/index.html"),
    )
    .unwrap();
    assert!(
        page.contains("<a href=\"#kien-truc\">Thông báo</a>"),
        "{page}"
    );
}

#[test]
fn issue_15_a_shortcode_added_in_serve_reaches_other_pages() {
    // Served without shortcodes, bodies hold no site JSON; the first shortcode brings it back.
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    let mut site = load(root);
    let shortcode = root.join("templates/shortcodes/tieu_de.html");
    fs::create_dir_all(shortcode.parent().unwrap()).unwrap();
    fs::write(
        &shortcode,
        "{% set p = get_page(path=\"tin-tuc/2025-01-05-thong-bao.md\") %}<b>{{ p.title }}</b>",
    )
    .unwrap();
    site.apply(std::slice::from_ref(&shortcode)).unwrap();
    let page = root.join("content/tin-tuc/lich-su-dinh-lang.md");
    edit(&page, |t| {
        t.replace("thế kỷ XVII.", "thế kỷ XVII. {{ tieu_de() }}")
    });
    site.apply(std::slice::from_ref(&page)).unwrap();
    let html = served(site.files(), "tin-tuc/lich-su-dinh-lang/index.html");
    assert!(html.contains("<b>Thông báo</b>"), "{html}");
    assert_same(&site, root, "a shortcode added while serving");
    // The page the shortcode shows is edited: the body that calls it follows.
    let other = root.join("content/tin-tuc/2025-01-05-thong-bao.md");
    edit(&other, |t| {
        t.replace("title = \"Thông báo\"", "title = \"Thông báo mới\"")
    });
    site.apply(std::slice::from_ref(&other)).unwrap();
    assert_same(&site, root, "an edit of the page a shortcode shows");
}

#[test]
fn issue_15_the_edited_page_goes_out_before_the_lists_that_show_it() {
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    let mut site = load(root);
    let path = root.join("content/tin-tuc/lich-su-dinh-lang.md");
    edit(&path, |t| {
        t.replace("Lịch sử Đình làng", "Lịch sử đình làng Vân")
    });
    let mut firsts = Vec::new();
    let mut publish = |files: &std::sync::Arc<tre::serve::Files>, changed: &[String]| {
        firsts.push((
            changed.to_vec(),
            served(files, "tin-tuc/lich-su-dinh-lang/index.html"),
            served(files, "tin-tuc/index.html"),
        ));
    };
    let mut first = FirstPass {
        viewed: &[],
        publish: &mut publish,
    };
    site.apply_in_passes(std::slice::from_ref(&path), &mut first)
        .unwrap();
    // One first pass: the page itself with its new title, the section listing it not yet.
    let [(changed, page, list)] = &firsts[..] else {
        panic!("{} first passes", firsts.len());
    };
    assert_eq!(changed, &["tin-tuc/lich-su-dinh-lang/index.html"]);
    assert!(page.contains("Lịch sử đình làng Vân"), "{page}");
    assert!(!list.contains("Lịch sử đình làng Vân"), "{list}");
    // Then the rest: the list too, as a clean build makes it.
    assert!(served(site.files(), "tin-tuc/index.html").contains("Lịch sử đình làng Vân"));
    assert_same(&site, root, "a title edit in two passes");
}

#[test]
fn issue_15_a_page_open_in_a_browser_goes_out_first_after_a_template_edit() {
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    let mut site = load(root);
    let path = root.join("templates/page.html");
    edit(&path, |t| {
        t.replace("</article>", "<p class=\"moi\">mới</p></article>")
    });
    let viewed = ["tin-tuc/thong-bao/index.html".to_string()];
    let mut firsts: Vec<Vec<String>> = Vec::new();
    let mut publish = |files: &std::sync::Arc<tre::serve::Files>, changed: &[String]| {
        assert!(served(files, &viewed[0]).contains("class=\"moi\""));
        firsts.push(changed.to_vec());
    };
    let mut first = FirstPass {
        viewed: &viewed,
        publish: &mut publish,
    };
    site.apply_in_passes(std::slice::from_ref(&path), &mut first)
        .unwrap();
    // The page in view alone went out first; then every page that uses the template.
    assert_eq!(firsts, [viewed.to_vec()]);
    assert_same(&site, root, "a template edit with a page in view");
}

#[test]
fn issue_15_a_title_edit_parses_only_its_own_file() {
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    let mut site = load(root);
    // Another file broken on disk but not yet seen: reading all of content/ again would fail.
    fs::write(
        root.join("content/tin-tuc/hong.md"),
        "+++\ntitle = = \"hỏng\"\n+++\n",
    )
    .unwrap();
    let path = root.join("content/tin-tuc/lich-su-dinh-lang.md");
    edit(&path, |t| {
        t.replace("Lịch sử Đình làng", "Lịch sử đình làng Vân")
    });
    let outcome = match site.apply(&[path]) {
        Ok(o) => o,
        Err(p) => panic!("the title edit read other files:\n{}", diag::render_all(&p)),
    };
    assert!(!outcome.was_full);
    let page = served(site.files(), "tin-tuc/lich-su-dinh-lang/index.html");
    assert!(page.contains("Lịch sử đình làng Vân"), "{page}");
    fs::remove_file(root.join("content/tin-tuc/hong.md")).unwrap();
    assert_same(&site, root, "a title edit");
    // A date that moves the page in its section's order: the library is loaded again, and
    // the other file's error shows.
    fs::write(
        root.join("content/tin-tuc/hong.md"),
        "+++\ntitle = = \"hỏng\"\n+++\n",
    )
    .unwrap();
    let path = root.join("content/tin-tuc/lich-su-dinh-lang.md");
    edit(&path, |t| {
        t.replace("date = 2025-03-01", "date = 2025-02-01")
    });
    let problems = diag::render_all(&site.apply(&[path]).unwrap_err());
    assert!(problems.contains("content/tin-tuc/hong.md"), "{problems}");
}

#[test]
fn issue_15_shared_get_section_and_get_page_values_follow_edits() {
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    // Every page asks for the same values, so they are shared from the second page on.
    edit(&root.join("templates/page.html"), |t| {
        t.replace(
            "</article>",
            "{% set s = get_section(path=\"tin-tuc/_index.md\") %}\
             {% set g = get_page(path=\"tin-tuc/lich-su-dinh-lang.md\") %}\
             <ol class=\"list\">{% for p in s.pages %}\
             <li>{{ p.title }} {{ p.content | length }}</li>{% endfor %}</ol>\
             <p class=\"got\">{{ g.content | safe }}</p></article>",
        )
    });
    let mut site = load(root);
    assert_same(&site, root, "the first build");
    let path = root.join("content/tin-tuc/lich-su-dinh-lang.md");
    edit(&path, |t| {
        t.replace("Lịch sử Đình làng", "Lịch sử đình làng Vân")
    });
    site.apply(std::slice::from_ref(&path)).unwrap();
    let other = served(site.files(), "tin-tuc/thong-bao/index.html");
    assert!(other.contains("Lịch sử đình làng Vân"), "{other}");
    assert_same(&site, root, "a title edit");
    edit(&path, |t| format!("{t}\nĐoạn mới về lễ hội đình.\n"));
    site.apply(std::slice::from_ref(&path)).unwrap();
    assert_same(&site, root, "a body edit");
}

#[test]
fn issue_15_an_ftl_edit_renders_only_the_languages_that_show_it() {
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    let mut site = load(root);
    let vi = root.join("locales/vi/main.ftl");
    // A comment changes no message: nothing is rendered.
    edit(&vi, |t| format!("# Ghi chú cho người dịch\n{t}"));
    let outcome = site.apply(std::slice::from_ref(&vi)).unwrap();
    assert_eq!(
        (outcome.targets, outcome.changed.len()),
        (0, 0),
        "{:?}",
        outcome.changed
    );
    // English and Chinese translate the skip link; H'Mông has no messages and falls back
    // to Vietnamese, so only Vietnamese and H'Mông pages change.
    edit(&vi, |t| {
        t.replace("Chuyển đến nội dung chính", "Đến nội dung chính")
    });
    let outcome = site.apply(std::slice::from_ref(&vi)).unwrap();
    assert!(!outcome.was_full);
    let changed = &outcome.changed;
    assert!(changed.contains(&"index.html".to_string()), "{changed:?}");
    assert!(
        changed.contains(&"hnj/index.html".to_string()),
        "{changed:?}"
    );
    assert!(
        !changed
            .iter()
            .any(|p| p.starts_with("en/") || p.starts_with("zh-Hans/")),
        "{changed:?}"
    );
    assert_same(&site, root, "an .ftl edit");
    // Removing the English translation makes English fall back to Vietnamese.
    let en = root.join("locales/en/main.ftl");
    edit(&en, |t| t.replace("skip-link = Skip to main content\n", ""));
    let outcome = site.apply(std::slice::from_ref(&en)).unwrap();
    let en_home = served(site.files(), "en/index.html");
    assert!(en_home.contains("Đến nội dung chính"), "{en_home}");
    assert!(
        !outcome.changed.iter().any(|p| p.starts_with("zh-Hans/")),
        "{:?}",
        outcome.changed
    );
    assert_same(&site, root, "a removed translation");
}

/// An .ftl edit renders again only the targets whose templates read a message it changed:
/// a message only the home page shows re-renders the homes of the languages that show it,
/// and a template reading a message of another language (`lang="vi"`) shows its edit too.
#[test]
fn issue_15_an_ftl_edit_renders_only_the_targets_that_read_the_changed_message() {
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    edit(&root.join("templates/page.html"), |t| {
        t.replacen(
            "</article>",
            "<p class=\"vi\">{{ t(key=\"news\", lang=\"vi\") }}</p></article>",
            1,
        )
    });
    let mut site = load(root);
    let vi = root.join("locales/vi/main.ftl");
    edit(&vi, |t| {
        t.replace("{ $count } bài viết", "{ $count } tin bài")
    });
    let outcome = site.apply(std::slice::from_ref(&vi)).unwrap();
    assert!(!outcome.was_full);
    let mut changed = outcome.changed.clone();
    changed.sort();
    assert_eq!(
        changed,
        ["hnj/index.html", "index.html"],
        "only the homes show `articles`"
    );
    assert_eq!(outcome.targets, 2, "{changed:?}");
    assert_same(&site, root, "an edit of a message only the home shows");
    // `news` is read by the Vietnamese home and section templates (`trans`) and, in
    // Vietnamese, by every page of every language.
    edit(&vi, |t| t.replace("news = Tin tức", "news = Thời sự"));
    site.apply(std::slice::from_ref(&vi)).unwrap();
    let en_page = served(site.files(), "en/tin-tuc/lich-su-dinh-lang/index.html");
    assert!(en_page.contains("<p class=\"vi\">Thời sự</p>"), "{en_page}");
    assert_same(&site, root, "an edit of a message read in another language");
}

/// Lists carry only the fields their templates read (issue 15): a field read through a
/// macro, a `get_section` value or a loop is still there, with the page's own value.
#[test]
fn issue_15_listed_pages_keep_every_field_their_templates_read() {
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    fs::write(
        root.join("templates/macros.html"),
        "{% macro len(p) %}<i class=\"m\">{{ p.content | length }}:{{ p.word_count }}</i>{% endmacro len %}",
    )
    .unwrap();
    edit(&root.join("templates/section.html"), |t| {
        t.replace(
            "{% extends \"base.html\" %}",
            "{% extends \"base.html\" %}{% import \"macros.html\" as m %}",
        )
        .replace("{{ p.title }}</a>", "{{ p.title }}</a>{{ m::len(p=p) }}")
    });
    edit(&root.join("templates/page.html"), |t| {
        t.replace(
            "</article>",
            "<i class=\"m\">{{ page.content | length }}:{{ page.word_count }}</i></article>",
        )
    });
    edit(&root.join("templates/index.html"), |t| {
        let at = t.rfind("{% endblock").unwrap();
        format!(
            "{}{{% set s = get_section(path=\"tin-tuc/_index.md\") %}}\
             {{% for p in s.pages %}}<b>{{{{ p.relative_path | safe }}}}={{{{ p.toc | length }}}}</b>{{% endfor %}}{}",
            &t[..at],
            &t[at..]
        )
    });
    let site = fixture::build_dir(dir, &tre::BuildOptions::default());
    let markers = |html: &str| -> Vec<String> {
        html.split("<i class=\"m\">")
            .skip(1)
            .filter_map(|s| s.split("</i>").next().map(str::to_string))
            .collect()
    };
    let mut listed: Vec<String> = ["tin-tuc/index.html", "tin-tuc/page/2/index.html"]
        .iter()
        .flat_map(|p| markers(&site.read(p)))
        .collect();
    let mut own: Vec<String> = [
        "tin-tuc/lich-su-dinh-lang/index.html",
        "tin-tuc/thong-bao/index.html",
        "tin-tuc/le-hoi-mua-xuan/index.html",
    ]
    .iter()
    .flat_map(|p| markers(&site.read(p)))
    .collect();
    listed.sort();
    own.sort();
    assert!(
        !listed.is_empty() && listed.iter().all(|m| !m.starts_with("0:")),
        "{listed:?}"
    );
    assert_eq!(listed, own);
    let home = site.read("index.html");
    assert!(
        home.contains("<b>tin-tuc/lich-su-dinh-lang.md=1</b>"),
        "{home}"
    );
}

/// The translation status `tre i18n` prints for the sources at `root`, with serve's options.
fn status_now(root: &Path) -> tre::i18n::Status {
    let config = tre::config::load(root, &serve_opts()).unwrap();
    tre::i18n_status(root, &config).unwrap()
}

#[test]
fn issue_15_serve_reads_texts_again_for_the_translation_status() {
    // Serve lets go of each source text once its body is rendered; the status, which counts
    // words and hashes bodies, reads them again and matches `tre i18n`.
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    let mut site = load(root);
    let status = site.i18n_status().unwrap();
    assert_eq!(*status, status_now(root));
    let pages = status.pages.as_ref().unwrap();
    assert!(pages.reference_words > 0, "{pages:?}");
    let path = root.join("content/tin-tuc/lich-su-dinh-lang.md");
    edit(&path, |t| {
        t.replace("thế kỷ XVII.", "thế kỷ XVII, nay là di tích cấp quốc gia.")
    });
    site.apply(std::slice::from_ref(&path)).unwrap();
    let after = site.i18n_status().unwrap();
    assert_eq!(*after, status_now(root));
    assert!(after.pages.as_ref().unwrap().reference_words > pages.reference_words);
}

#[test]
fn issue_15_a_full_render_parses_again_a_file_saved_before_it() {
    // Every body renders again when a shortcode appears, from texts read again; a page saved
    // before its own change is applied is parsed again, not cut at its old front matter's end.
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    let mut site = load(root);
    edit(&root.join("content/tin-tuc/lich-su-dinh-lang.md"), |t| {
        t.replace("Lịch sử Đình làng", "Lịch sử đình làng Vân")
            .replace("thế kỷ XVII.", "thế kỷ XVII, nay là di tích.")
    });
    let shortcode = root.join("templates/shortcodes/dam.html");
    fs::create_dir_all(shortcode.parent().unwrap()).unwrap();
    fs::write(&shortcode, "<b>{{ body }}</b>").unwrap();
    site.apply(std::slice::from_ref(&shortcode)).unwrap();
    let html = served(site.files(), "tin-tuc/lich-su-dinh-lang/index.html");
    assert!(html.contains("nay là di tích"), "{html}");
    assert_same(&site, root, "a page saved before a full render");
}

/// Every file under `root`, relative, sorted.
fn tree(root: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(root).unwrap().display().to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn issue_15_serve_keeps_its_output_in_a_file_that_leaves_nothing_behind() {
    // The output goes to a file with no name beside the site, not serve's memory; edits
    // append to it, and nothing is left in the site's directory, during or after.
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    let sources = tree(root);
    let mut site = load(root);
    assert_eq!(site.files().held_bytes(), 0);
    assert!(site.files().packed_bytes() > 0);
    let path = root.join("content/tin-tuc/lich-su-dinh-lang.md");
    edit(&path, |t| {
        t.replace("Lịch sử Đình làng", "Lịch sử đình làng Vân")
    });
    site.apply(std::slice::from_ref(&path)).unwrap();
    assert_same(&site, root, "a title edit served from the pack");
    // Written afresh, as serve does when idle with a mostly stale pack: the same output.
    let before = site.files().clone();
    site.compact_pack();
    assert!(site.files().changed_since(&before).is_empty());
    assert_eq!(site.files().held_bytes(), 0);
    assert_same(&site, root, "the output written to a fresh pack");
    assert_eq!(tree(root), sources);
    drop(site);
    assert_eq!(tree(root), sources);
}

/// `(path, text)` of each output file, sorted.
fn file_texts(files: &[tre::output::OutputFile]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = files
        .iter()
        .map(|f| match &f.contents {
            tre::output::Contents::Bytes(b) => (f.path.clone(), String::from_utf8_lossy(b).into()),
            tre::output::Contents::CopyOf(p) => (f.path.clone(), p.display().to_string()),
        })
        .collect();
    out.sort();
    out
}

/// `tre serve` keeps each item's entry of the search indexes: an index made again from them
/// equals one made from scratch, and only the entries of items that changed are made again.
#[test]
fn issue_15_a_search_index_is_made_again_only_from_the_entries_of_changed_items() {
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    enable_search(root, "fuse_json");
    let config = tre::config::load(root, &serve_opts()).unwrap();
    let queue = std::sync::Arc::new(tre::assets::ImageQueue::new(&config));
    let Ok(mut stages) = tre::Stages::load(root, config, &queue, &mut |_| {}) else {
        panic!("the fixture did not load")
    };
    let mut entries = tre::search::Entries::default();
    let (first, _) = stages.search_indexes_of(&|_| true, &mut entries);
    let all = entries.made();
    assert!(all >= 4, "{all} entries");
    let (again, _) = stages.search_indexes_of(&|_| true, &mut entries);
    assert_eq!(entries.made(), 0, "nothing changed");
    assert_eq!(file_texts(&again), file_texts(&first));
    let page = stages
        .library
        .pages
        .iter()
        .position(|p| p.source.relative == "tin-tuc/lich-su-dinh-lang.md")
        .expect("the page is in the fixture");
    stages.bodies.pages[page].html =
        tre::compressed::Compressed::pack("<p>Mái đình mới.</p>".as_bytes().to_vec());
    let (patched, _) = stages.search_indexes_of(&|_| true, &mut entries);
    assert_eq!(
        entries.made(),
        1,
        "only the changed page's entry is made again"
    );
    let fresh = tre::search::indexes(&stages.config, &stages.library, &stages.bodies).0;
    assert_eq!(file_texts(&patched), file_texts(&fresh));
    let vi = file_texts(&patched);
    assert!(
        vi.iter()
            .any(|(p, t)| p == "search_index.vi.json" && t.contains("Mái đình mới.")),
        "{vi:?}"
    );
}

/// Editors that save by renaming a temporary file over the page leave it beside the page for
/// a moment. Seen then, it is not a new colocated asset: the edit stays a body edit, and the
/// content is not loaded again (7.5 s at 50k articles).
#[test]
fn issue_15_an_editors_temporary_file_beside_a_page_is_not_a_new_asset() {
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    let mut site = load(root);
    let page = root.join("content/tin-tuc/lich-su-dinh-lang.md");
    edit(&page, |t| format!("{t}\nCâu một.\n"));
    let plain = site.apply(std::slice::from_ref(&page)).unwrap();
    for (n, name) in [
        "lich-su-dinh-lang.md.tmp",
        "#lich-su-dinh-lang.md#",
        "lich-su-dinh-lang.md___jb_tmp___",
    ]
    .into_iter()
    .enumerate()
    {
        let tmp = root.join("content/tin-tuc").join(name);
        fs::write(&tmp, "tạm").unwrap();
        edit(&page, |t| format!("{t}\nCâu {n}.\n"));
        let outcome = site.apply(&[tmp.clone(), page.clone()]).unwrap();
        assert_eq!(outcome.targets, plain.targets, "{name}");
        fs::remove_file(&tmp).unwrap();
    }
    assert_same(&site, root, "body edits saved through temporary files");
}

/// A new page changes the library's shape, so serve renders everything again, having let go of
/// the old stages first; a new draft, or a page in a draft section, changes nothing shown and
/// is not a reason to render everything.
#[test]
fn issue_15_only_a_page_that_is_published_makes_serve_render_everything() {
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    fs::create_dir_all(root.join("content/nhap")).unwrap();
    fs::write(
        root.join("content/nhap/_index.md"),
        "+++\ntitle = \"Bản nháp\"\ndraft = true\n+++\n",
    )
    .unwrap();
    let mut site = load(root);
    let draft = root.join("content/tin-tuc/ban-nhap.md");
    fs::write(
        &draft,
        "+++\ntitle = \"Nháp\"\ndraft = true\n+++\nChưa đăng.\n",
    )
    .unwrap();
    let in_draft_section = root.join("content/nhap/trang.md");
    fs::write(
        &in_draft_section,
        "+++\ntitle = \"Trang\"\n+++\nChưa đăng.\n",
    )
    .unwrap();
    for path in [&draft, &in_draft_section] {
        let outcome = site.apply(std::slice::from_ref(path)).unwrap();
        assert!(!outcome.was_full, "{path:?}");
        assert!(outcome.changed.is_empty(), "{:?}", outcome.changed);
    }
    assert_same(&site, root, "a new draft");
    let new = root.join("content/tin-tuc/bai-moi.md");
    let text = "+++\ntitle = \"Bài mới\"\ndate = 2025-02-01\n+++\nNội dung bài mới.\n";
    fs::write(&new, text).unwrap();
    let outcome = site.apply(std::slice::from_ref(&new)).unwrap();
    assert!(outcome.was_full);
    assert!(
        site.files()
            .get("tin-tuc/bai-moi/index.html")
            .is_some_and(|f| f.text().contains("Nội dung bài mới.")),
        "{:?}",
        outcome.changed
    );
    assert_same(&site, root, "a new page");
    // Removed again, and a body edit after it, as usual.
    fs::remove_file(&new).unwrap();
    assert!(site.apply(std::slice::from_ref(&new)).unwrap().was_full);
    assert_same(&site, root, "a page removed");
    let page = root.join("content/tin-tuc/lich-su-dinh-lang.md");
    edit(&page, |t| format!("{t}\nCâu mới.\n"));
    assert!(!site.apply(std::slice::from_ref(&page)).unwrap().was_full);
    assert_same(&site, root, "a body edit after");
}

/// A new article makes serve render everything, but the article goes out first, among the
/// previous output, so the author sees it before the lists that show it are done.
#[test]
fn issue_15_a_new_article_goes_out_before_the_rest_is_rendered_again() {
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    let mut site = load(root);
    let new = root.join("content/tin-tuc/bai-moi.md");
    let text = "+++\ntitle = \"Bài mới về đình\"\ndate = 2030-02-01\n+++\nNội dung bài mới.\n";
    fs::write(&new, text).unwrap();
    let mut firsts = Vec::new();
    let mut publish = |files: &std::sync::Arc<tre::serve::Files>, changed: &[String]| {
        firsts.push((changed.to_vec(), served(files, "tin-tuc/index.html")));
    };
    let mut first = FirstPass {
        viewed: &[],
        publish: &mut publish,
    };
    let outcome = site
        .apply_in_passes(std::slice::from_ref(&new), &mut first)
        .unwrap();
    assert!(outcome.was_full);
    let [(changed, list)] = &firsts[..] else {
        panic!("{} first passes", firsts.len());
    };
    assert_eq!(changed, &["tin-tuc/bai-moi/index.html"]);
    assert!(!list.contains("Bài mới về đình"), "{list}");
    assert!(served(site.files(), "tin-tuc/index.html").contains("Bài mới về đình"));
    assert_same(&site, root, "a new article in two passes");
}

/// A new date that keeps the page where it is in its section and terms is an edit of what the
/// page shows: the file is parsed again alone, without loading the content (7.5 s at 50k);
/// one that moves it loads the content. Both equal a clean build, feeds and sitemap included.
#[test]
fn issue_15_a_date_edit_that_keeps_the_order_does_not_load_the_content() {
    let dir = fixture::copy("multilingual");
    let root = dir.path();
    let mut site = load(root);
    let page = root.join("content/tin-tuc/lich-su-dinh-lang.md");
    let loads = |o: &tre::serve::Outcome| o.timings.iter().any(|(n, _)| *n == "load content");
    edit(&page, |t| {
        t.replace("date = 2025-03-01", "date = 2025-03-02")
    });
    let outcome = site.apply(std::slice::from_ref(&page)).unwrap();
    assert!(!loads(&outcome), "{:?}", outcome.timings);
    assert!(served(site.files(), "sitemap.xml").contains("2025-03-02"));
    assert_same(&site, root, "a date edit that keeps the order");
    // Before `le-hoi-mua-xuan` (2025-02-10) no longer: the order changes.
    edit(&page, |t| {
        t.replace("date = 2025-03-02", "date = 2025-02-01")
    });
    let outcome = site.apply(std::slice::from_ref(&page)).unwrap();
    // The neighbours change: everything renders again, from the content loaded again.
    assert!(outcome.was_full || loads(&outcome), "{:?}", outcome.timings);
    assert_same(&site, root, "a date edit that changes the order");
}
