//! `tre init`: writes a new site. By default a working portal on the built-in theme
//! (`themes/tre-portal/`, see [`crate::theme`]): agency identity in config.toml, the pages a
//! government portal must have in Vietnamese and English, an empty news section and content
//! fallback for every other language. `bare` keeps the minimal skeleton with its own templates.
//! It refuses a non-empty directory unless forced, and never overwrites a file.

use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write as _};
use std::path::Path;

use crate::diag::Diagnostic;
use crate::{i18n, theme};

/// What `tre init` was asked for.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// BCP 47 tags; the first is the default language and must be `vi` or `en`.
    pub languages: Vec<String>,
    /// The minimal skeleton (config, a home page, a news section, four templates).
    pub is_bare: bool,
    /// Write into a directory that is not empty; existing files are kept, never overwritten.
    pub force: bool,
    /// Write only the theme, `themes/tre-portal/`, into an existing site (no emptiness check;
    /// existing files are still kept).
    pub is_theme_only: bool,
}

impl Default for InitOptions {
    fn default() -> Self {
        Self {
            languages: vec!["vi".into(), "en".into()],
            is_bare: false,
            force: false,
            is_theme_only: false,
        }
    }
}

/// What `init` did.
#[derive(Debug, Default)]
pub struct InitReport {
    /// Files written, relative to the site's directory, `/`-separated.
    pub written: Vec<String>,
    /// Files that already existed and were left as they were (with `force`).
    pub kept: Vec<String>,
    /// Languages the theme has no messages for, and the like.
    pub warnings: Vec<Diagnostic>,
}

/// Writes a new site into `dir` (created if missing).
pub fn init(dir: &Path, opts: &InitOptions) -> Result<InitReport, Vec<Diagnostic>> {
    let mut report = InitReport::default();
    let files = if opts.is_theme_only {
        theme_files()
    } else {
        let languages = check_languages(&opts.languages)?;
        refuse_non_empty(dir, opts.force)?;
        if opts.is_bare {
            bare_files()
        } else {
            report.warnings = theme_warnings(&languages);
            portal_files(&languages)
        }
    };
    let mut problems = Vec::new();
    for (path, text) in files {
        let target = dir.join(&path);
        match write_new(&target, &text) {
            Ok(true) => report.written.push(path),
            Ok(false) => report.kept.push(path),
            Err(e) => problems.push(Diagnostic::error(
                &target,
                None,
                format!("cannot write: {e}"),
            )),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if !opts.is_bare && !opts.is_theme_only {
        // Not recording them only leaves `tre i18n status` blind to later edits: a warning.
        if let Err(p) = record_translations(dir, &mut report.written) {
            report.warnings.extend(p.into_iter().map(|d| {
                Diagnostic::warning(d.file, d.at, d.message)
                    .with_help("record the translations later with `tre i18n confirm`")
            }));
        }
    }
    Ok(report)
}

/// The translations `tre init` wrote match their sources as written: each translated page
/// gets its `translated_from`, and each language's theme messages go into
/// `locales/translations.lock`, so `tre i18n status` reports what a later edit of the
/// Vietnamese (or English) text leaves out of date, from the start.
fn record_translations(dir: &Path, written: &mut Vec<String>) -> Result<(), Vec<Diagnostic>> {
    /// Where `tre i18n confirm` records messages.
    const LOCKFILE: &str = "locales/translations.lock";
    let config = crate::config::load(dir, &crate::BuildOptions::default())?;
    let library = crate::content::load(dir, &config)?;
    let others: Vec<&str> = config
        .languages
        .iter()
        .map(|l| l.code.as_str())
        .filter(|l| *l != config.default_language)
        .collect();
    for file in written.iter().filter(|f| f.starts_with("content/")) {
        let file = file.as_str();
        if others.iter().any(|l| file.ends_with(&format!(".{l}.md"))) {
            i18n::confirm_page(dir, &config, &library, file)?;
        }
    }
    // A lockfile already there (with --force) is the site's own record: left as it is.
    if dir.join(LOCKFILE).exists() {
        return Ok(());
    }
    let locales = crate::load_locales(dir, &config)?;
    for lang in others
        .iter()
        .filter(|l| theme::languages().any(|t| t == **l))
    {
        i18n::confirm(dir, &locales, lang, i18n::Selection::All)?;
    }
    if dir.join(LOCKFILE).exists() {
        written.push(LOCKFILE.to_string());
    }
    Ok(())
}

/// Writes `text` to a file that must not exist yet; `Ok(false)` when it did.
fn write_new(target: &Path, text: &str) -> io::Result<bool> {
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent)?;
    }
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(target)
    {
        Ok(mut f) => f.write_all(text.as_bytes()).map(|()| true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

fn refuse_non_empty(dir: &Path, force: bool) -> Result<(), Vec<Diagnostic>> {
    let has_entries = match fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_some(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => {
            return Err(vec![Diagnostic::error(
                dir,
                None,
                format!("cannot read: {e}"),
            )]);
        }
    };
    if has_entries && !force {
        return Err(vec![
            Diagnostic::error(dir, None, "the directory is not empty")
                .with_help("choose an empty directory, or add --force to add the missing files (no file is overwritten)"),
        ]);
    }
    Ok(())
}

fn check_languages(languages: &[String]) -> Result<Vec<String>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let err = |m: String| Diagnostic::error("--languages", None, m);
    let mut out: Vec<String> = Vec::new();
    for tag in languages.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        let is_tag_text = tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !is_tag_text || tag.parse::<unic_langid::LanguageIdentifier>().is_err() {
            problems.push(
                err(format!("`{tag}` is not a valid BCP 47 language tag"))
                    .with_help("write tags like `vi`, `en`, `zh-Hans` or `hnj`"),
            );
        } else if out.iter().any(|l| l == tag) {
            problems.push(err(format!("`{tag}` is given twice")));
        } else {
            out.push(tag.to_owned());
        }
    }
    match out.first().map(String::as_str) {
        None if problems.is_empty() => problems.push(
            err("no language given".into()).with_help("for example --languages vi,en"),
        ),
        Some(first) if first != "vi" && first != "en" => problems.push(
            err(format!("the first language, `{first}`, is the default language and must be `vi` or `en`"))
                .with_help("tre init writes its pages in Vietnamese and English; for example --languages vi,en,zh-Hans"),
        ),
        _ => {}
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// A warning for each language the theme has no messages for.
fn theme_warnings(languages: &[String]) -> Vec<Diagnostic> {
    let default = languages.first().map_or("vi", String::as_str);
    languages
        .iter()
        .filter(|l| !theme::languages().any(|t| t == l.as_str()))
        .map(|l| {
            Diagnostic::warning(
                format!("locales/{l}"),
                None,
                format!(
                    "the theme has no `{l}` messages: menus, labels and notices are shown in {}",
                    fallback_chain(l, languages, default).join(", then ")
                ),
            )
            .with_help(format!(
                "copy themes/{}/locales/vi/theme.ftl to locales/{l}/theme.ftl and translate it (docs/: adding a language)",
                theme::NAME
            ))
        })
        .collect()
}

/// Where `lang`'s messages and pages come from when it has none: Chinese readers get English
/// first, everyone else the default language first.
fn fallback_chain<'a>(lang: &str, languages: &'a [String], default: &'a str) -> Vec<&'a str> {
    let has_en = languages.iter().any(|l| l == "en");
    let mut chain = Vec::new();
    if lang.starts_with("zh") && has_en && default != "en" {
        chain.push("en");
    }
    chain.push(default);
    if has_en && !chain.contains(&"en") && lang != "en" {
        chain.push("en");
    }
    chain.retain(|l| *l != lang);
    chain
}

/// Each language's own name, for the language menu; a tag not listed here is shown as is.
fn language_name(tag: &str) -> &str {
    match tag {
        "vi" => "Tiếng Việt",
        "en" => "English",
        "zh-Hans" => "中文（简体）",
        "zh-Hant" => "中文（繁體）",
        "fr" => "Français",
        "ru" => "Русский",
        "ja" => "日本語",
        "ko" => "한국어",
        "lo" => "ພາສາລາວ",
        "km" => "ភាសាខ្មែរ",
        "th" => "ภาษาไทย",
        "hnj" => "Lus Hmoob",
        _ => tag,
    }
}

/// Text in the languages `tre init` writes pages in.
struct Texts {
    vi: &'static str,
    en: &'static str,
    zh: Option<&'static str>,
}

impl Texts {
    fn get(&self, lang: &str) -> Option<&'static str> {
        match lang {
            "vi" => Some(self.vi),
            "en" => Some(self.en),
            "zh-Hans" => self.zh,
            _ => None,
        }
    }
}

const TITLE: Texts = Texts {
    vi: "Cổng thông tin điện tử xã Ví Dụ",
    en: "Vi Du Commune Electronic Information Portal",
    zh: Some("示例乡电子信息门户网站"),
};

const DESCRIPTION: Texts = Texts {
    vi: "Thông tin chính thức của Ủy ban nhân dân xã Ví Dụ: giới thiệu, tổ chức bộ máy, tin tức và liên hệ.",
    en: "Official information from the People's Committee of Vi Du Commune: about us, organisation, news and contacts.",
    zh: Some("示例乡人民委员会官方信息：概况、组织机构、新闻和联系方式。"),
};

/// `(path without language suffix and `.md`, front matter lines, body)` per page, by language.
const PAGES: &[(&str, Texts, Texts)] = &[
    (
        "_index",
        Texts {
            vi: "title = \"Cổng thông tin điện tử xã Ví Dụ\"\ndescription = \"Thông tin chính thức của Ủy ban nhân dân xã Ví Dụ cho người dân, doanh nghiệp, du khách và bạn bè quốc tế.\"\nsort_by = \"weight\"",
            en: "title = \"Vi Du Commune Electronic Information Portal\"\ndescription = \"Official information from the People's Committee of Vi Du Commune for residents, businesses, visitors and international friends.\"\nsort_by = \"weight\"",
            zh: Some(
                "title = \"示例乡电子信息门户网站\"\ndescription = \"示例乡人民委员会面向居民、企业、游客和国际友人发布的官方信息。\"\nsort_by = \"weight\"",
            ),
        },
        Texts {
            vi: "Chào mừng bạn đến với cổng thông tin điện tử của Ủy ban nhân dân xã Ví Dụ.\n\nTrang này do `tre init` tạo ra. Hãy sửa thông tin cơ quan trong `config.toml` (mục `[extra.agency]`), nội dung trang chủ trong `content/_index.md`, rồi viết tin bài đầu tiên trong `content/tin-tuc/`.\n",
            en: "Welcome to the electronic information portal of the People's Committee of Vi Du Commune.\n\nThis page was made by `tre init`. Change the agency's details in `config.toml` (under `[extra.agency]`), this page in `content/_index.en.md`, then write the first article in `content/tin-tuc/`.\n",
            zh: Some(
                "欢迎访问示例乡人民委员会电子信息门户网站。\n\n本页由 `tre init` 生成。请在 `config.toml` 的 `[extra.agency]` 中填写机关信息，在 `content/_index.zh-Hans.md` 中修改本页内容。\n",
            ),
        },
    ),
    (
        "gioi-thieu/_index",
        Texts {
            vi: "title = \"Giới thiệu\"\ndescription = \"Giới thiệu chung về xã Ví Dụ: vị trí, lịch sử, văn hóa, con người và tiềm năng phát triển.\"\nsort_by = \"weight\"\nweight = 1",
            en: "title = \"About us\"\ndescription = \"An overview of Vi Du Commune: location, history, culture, people and development potential.\"\nsort_by = \"weight\"\nweight = 1",
            zh: None,
        },
        Texts {
            vi: "Giới thiệu chung về địa phương: vị trí địa lý, diện tích, dân số, lịch sử hình thành, văn hóa, con người và tiềm năng phát triển.\n\n*Thay đoạn này bằng phần giới thiệu của cơ quan, đơn vị bạn.*\n",
            en: "An overview of the locality: location, area, population, history, culture, people and development potential.\n\n*Replace this paragraph with your agency's own introduction.*\n",
            zh: None,
        },
    ),
    (
        "gioi-thieu/to-chuc-bo-may",
        Texts {
            vi: "title = \"Tổ chức bộ máy\"\ndescription = \"Lãnh đạo, các phòng, ban và đơn vị trực thuộc Ủy ban nhân dân xã Ví Dụ.\"\nweight = 1",
            en: "title = \"Organisation\"\ndescription = \"The leaders, offices and affiliated units of the People's Committee of Vi Du Commune.\"\nweight = 1",
            zh: None,
        },
        Texts {
            vi: "## Lãnh đạo\n\n- Chủ tịch Ủy ban nhân dân: (họ và tên)\n- Phó Chủ tịch Ủy ban nhân dân: (họ và tên)\n\n## Các phòng, ban chuyên môn\n\n- Văn phòng Hội đồng nhân dân và Ủy ban nhân dân\n- Phòng Kinh tế\n- Phòng Văn hóa – Xã hội\n\n*Sửa danh sách này theo cơ cấu tổ chức của đơn vị bạn.*\n",
            en: "## Leaders\n\n- Chair of the People's Committee: (name)\n- Vice Chair of the People's Committee: (name)\n\n## Offices\n\n- Office of the People's Council and People's Committee\n- Economic Office\n- Culture and Social Affairs Office\n\n*Change this list to match your agency's organisation.*\n",
            zh: None,
        },
    ),
    (
        "gioi-thieu/lien-he",
        Texts {
            vi: "title = \"Liên hệ\"\ndescription = \"Địa chỉ, điện thoại, thư điện tử và người làm đầu mối liên hệ của Ủy ban nhân dân xã Ví Dụ.\"\nweight = 2",
            en: "title = \"Contact us\"\ndescription = \"The address, telephone, email and contact official of the People's Committee of Vi Du Commune.\"\nweight = 2",
            zh: None,
        },
        Texts {
            vi: "## Cơ quan\n\nỦy ban nhân dân xã Ví Dụ\\\nĐịa chỉ: Số 1 đường Ví Dụ, xã Ví Dụ, tỉnh Ví Dụ\\\nĐiện thoại: +84 200 000 0000\\\nThư điện tử: <vanphong@example.gov.vn>\n\n## Đầu mối liên hệ\n\nNgười tiếp nhận và trả lời ý kiến, câu hỏi của tổ chức, cá nhân về thông tin trên cổng:\n\n- Họ và tên: Nguyễn Văn A\n- Chức vụ: Chánh Văn phòng Ủy ban nhân dân xã\n- Điện thoại: +84 200 000 0001\n- Thư điện tử: <lienhe@example.gov.vn>\n\n*Các thông tin này cũng có trong `config.toml` (mục `[extra.agency]`): hãy sửa cả hai nơi.*\n",
            en: "## The agency\n\nPeople's Committee of Vi Du Commune\\\nAddress: 1 Vi Du Street, Vi Du Commune, Vi Du Province\\\nTelephone: +84 200 000 0000\\\nEmail: <vanphong@example.gov.vn>\n\n## Contact official\n\nThe official who receives and answers questions and comments about this portal:\n\n- Name: Nguyễn Văn A\n- Position: Chief of Office, People's Committee of Vi Du Commune\n- Telephone: +84 200 000 0001\n- Email: <lienhe@example.gov.vn>\n\n*The same details are in `config.toml` (under `[extra.agency]`): change both.*\n",
            zh: None,
        },
    ),
    (
        "tin-tuc/_index",
        Texts {
            vi: "title = \"Tin tức\"\ndescription = \"Tin tức, sự kiện, thông cáo và thông tin đính chính của xã Ví Dụ.\"\nsort_by = \"date\"\nweight = 2",
            en: "title = \"News\"\ndescription = \"News, events, statements and corrections from Vi Du Commune.\"\nsort_by = \"date\"\nweight = 2",
            zh: Some(
                "title = \"新闻\"\ndescription = \"示例乡的新闻、活动、声明和更正信息。\"\nsort_by = \"date\"\nweight = 2",
            ),
        },
        Texts {
            vi: "",
            en: "",
            zh: Some(""),
        },
    ),
    (
        "tim-kiem",
        Texts {
            vi: "title = \"Tìm kiếm\"\ndescription = \"Tìm bài viết trên cổng thông tin.\"\ntemplate = \"search.html\"\nweight = 100",
            en: "title = \"Search\"\ndescription = \"Search the articles of this portal.\"\ntemplate = \"search.html\"\nweight = 100",
            zh: Some(
                "title = \"搜索\"\ndescription = \"搜索本网站的文章。\"\ntemplate = \"search.html\"\nweight = 100",
            ),
        },
        Texts {
            vi: "",
            en: "",
            zh: Some(""),
        },
    ),
];

/// Every file of a new portal, `(path, text)`.
fn portal_files(languages: &[String]) -> Vec<(String, String)> {
    let default = languages.first().map_or("vi", String::as_str);
    let mut files = vec![("config.toml".to_owned(), portal_config(languages))];
    for (stem, front, body) in PAGES {
        for lang in languages {
            let (Some(front), Some(body)) = (front.get(lang), body.get(lang)) else {
                continue;
            };
            let suffix = if lang == default {
                String::new()
            } else {
                format!(".{lang}")
            };
            let mut text = format!("+++\n{front}\n+++\n");
            if !body.is_empty() {
                text.push('\n');
                text.push_str(body);
            }
            files.push((format!("content/{stem}{suffix}.md"), text));
        }
    }
    files.extend(theme_files());
    files
}

/// The built-in theme, under `themes/tre-portal/`.
fn theme_files() -> Vec<(String, String)> {
    let base = format!("themes/{}", theme::NAME);
    let mut files = vec![(format!("{base}/theme.toml"), theme::THEME_TOML.to_owned())];
    for f in theme::FILES {
        files.push((format!("{base}/{}", f.path), f.text.to_owned()));
    }
    files
}

fn portal_config(languages: &[String]) -> String {
    let default = languages.first().map_or("vi", String::as_str);
    let text = |t: &Texts, lang: &str| t.get(lang).unwrap_or(t.vi).to_owned();
    let mut c = String::new();
    let _ = write!(
        c,
        "# Cổng thông tin điện tử do `tre init` tạo. Sửa các giá trị dưới đây cho cơ quan của bạn.\n\
         # A portal made by `tre init`: change the values below to your agency's.\n\
         base_url = \"https://example.gov.vn\"\n\
         title = \"{}\"\n\
         description = \"{}\"\n\
         default_language = \"{default}\"\n\
         # The built-in portal theme, in themes/{theme}/; a file in templates/ or static/, or a\n\
         # message in locales/<lang>/, replaces the theme's of the same name.\n\
         theme = \"{theme}\"\n\
         generate_feeds = true\n\
         feed_filenames = [\"atom.xml\", \"rss.xml\"]\n\
         # Chủ đề (tags): bật khi đã có bài gắn chủ đề, vì trang chủ đề trống thì không được tạo.\n\
         # Tags: turn them on once articles have tags (an empty tag list makes no page):\n\
         # taxonomies = [{{ name = \"tags\", feed = true }}]\n\
         build_search_index = true\n\n\
         [search]\n\
         index_format = \"fuse_json\"\n\
         include_description = true\n",
        text(&TITLE, default),
        text(&DESCRIPTION, default),
        theme = theme::NAME,
    );
    for lang in languages.iter().filter(|l| *l != default) {
        let has_pages = TITLE.get(lang).is_some();
        let chain = fallback_chain(lang, languages, default);
        let _ = write!(c, "\n[languages.{lang}]\n");
        if !has_pages {
            c.push_str("# Dịch tên và mô tả của cổng sang ngôn ngữ này. / Translate the title and description.\n");
        }
        let _ = write!(
            c,
            "title = \"{}\"\n\
             description = \"{}\"\n\
             generate_feeds = true\n\
             feed_filenames = [\"atom.xml\", \"rss.xml\"]\n",
            text(&TITLE, lang),
            text(&DESCRIPTION, lang),
        );
        let _ = write!(
            c,
            "build_search_index = true\n\
             search = {{ index_format = \"fuse_json\", include_description = true }}\n\
             # Tre: messages missing in {lang} come from these languages, in order.\n\
             fallback = [{}]\n",
            chain
                .iter()
                .map(|l| format!("\"{l}\""))
                .collect::<Vec<_>>()
                .join(", ")
        );
        if !i18n::has_plural_rules(lang) {
            let _ = writeln!(
                c,
                "# CLDR has no plural rules for {lang}: borrow Vietnamese ones (one form).\nplural_rules = \"vi\""
            );
        }
        c.push_str(
            "# Tre: a page not yet translated is shown here too, with a \"being translated\" notice.\n\
             content_fallback = true\n",
        );
    }
    let quoted = |v: &[String]| {
        v.iter()
            .map(|l| format!("\"{l}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = write!(
        c,
        "\n[extra]\n\
         # The language menu, in this order.\n\
         languages = [{}]\n\
         # The main menu: sections, each labelled with its title in the page's language.\n\
         menu = [\"@/gioi-thieu/_index.md\", \"@/tin-tuc/_index.md\"]\n\
         search_page = \"@/tim-kiem.md\"\n\
         contact_page = \"@/gioi-thieu/lien-he.md\"\n\
         # The home page shows the latest articles of this section.\n\
         home_news_section = \"@/tin-tuc/_index.md\"\n\
         home_news_count = 4\n\n\
         [extra.language_names]\n",
        quoted(languages)
    );
    for lang in languages {
        let _ = writeln!(c, "{lang} = \"{}\"", language_name(lang));
    }
    c.push_str(AGENCY);
    c
}

/// The agency, shown in every page's footer; `[extra.agency.en]` gives the English name,
/// address and person responsible (a language without a table shows the Vietnamese ones).
const AGENCY: &str = "
# Thông tin cơ quan chủ quản, hiện ở chân mọi trang. / The agency, in every page's footer.
[extra.agency]
name = \"Ủy ban nhân dân xã Ví Dụ\"
address = \"Số 1 đường Ví Dụ, xã Ví Dụ, tỉnh Ví Dụ\"
phone = \"+84 200 000 0000\"
fax = \"+84 200 000 0009\"
email = \"vanphong@example.gov.vn\"
hours = \"07:30–11:30, 13:30–17:00\"
# Người chịu trách nhiệm nội dung. / The person responsible for the content.
responsible = \"Nguyễn Văn A, Chánh Văn phòng\"
# Giấy phép (nếu có). / The licence, if the portal has one.
licence = \"Giấy phép số 00/GP-TTĐT do Sở Thông tin và Truyền thông tỉnh Ví Dụ cấp\"

[extra.agency.en]
name = \"People's Committee of Vi Du Commune\"
address = \"1 Vi Du Street, Vi Du Commune, Vi Du Province\"
responsible = \"Nguyễn Văn A, Chief of Office\"
licence = \"Licence No. 00/GP-TTĐT, issued by the Vi Du Department of Information and Communications\"
";

/// Today's skeleton: config, a home page in vi and en, a news section with one page, and
/// four minimal templates.
fn bare_files() -> Vec<(String, String)> {
    [
        (
            "config.toml",
            "base_url = \"https://example.gov.vn\"\ntitle = \"Cổng thông tin\"\ndefault_language = \"vi\"\ngenerate_feeds = true\n\n[languages.en]\ntitle = \"Portal\"\n\n[extra]\n",
        ),
        (
            "content/_index.md",
            "+++\ntitle = \"Trang chủ\"\n+++\nChào mừng.\n",
        ),
        (
            "content/_index.en.md",
            "+++\ntitle = \"Home\"\n+++\nWelcome.\n",
        ),
        (
            "content/tin-tuc/_index.md",
            "+++\ntitle = \"Tin tức\"\nsort_by = \"date\"\n+++\n",
        ),
        (
            "content/tin-tuc/xin-chao.md",
            "+++\ntitle = \"Xin chào\"\ndate = 2025-01-01\n+++\nBài viết đầu tiên.\n",
        ),
        (
            "templates/base.html",
            "<!doctype html>\n<html lang=\"{{ lang }}\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{% block title %}{{ config.title }}{% endblock %}</title>\n{% for a in alternates %}<link rel=\"alternate\" hreflang=\"{{ a.lang }}\" href=\"{{ a.permalink }}\">\n{% endfor %}</head>\n<body><main>{% block content %}{% endblock %}</main></body>\n</html>\n",
        ),
        (
            "templates/index.html",
            "{% extends \"base.html\" %}\n{% block content %}<h1>{{ section.title }}</h1>{{ section.content | safe }}{% endblock %}\n",
        ),
        (
            "templates/section.html",
            "{% extends \"base.html\" %}\n{% block content %}<h1>{{ section.title }}</h1><ul>{% for p in section.pages %}<li><a href=\"{{ p.permalink }}\">{{ p.title }}</a></li>{% endfor %}</ul>{% endblock %}\n",
        ),
        (
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block title %}{{ page.title }}{% endblock %}\n{% block content %}<article><h1>{{ page.title }}</h1>{{ page.content | safe }}</article>{% endblock %}\n",
        ),
    ]
    .into_iter()
    .map(|(p, t)| (p.to_owned(), t.to_owned()))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs(s: &str) -> Vec<String> {
        s.split(',').map(str::to_owned).collect()
    }

    #[test]
    fn chinese_falls_back_to_english_first_and_others_to_the_default() {
        let l = langs("vi,en,zh-Hans,tyz");
        assert_eq!(fallback_chain("zh-Hans", &l, "vi"), ["en", "vi"]);
        assert_eq!(fallback_chain("tyz", &l, "vi"), ["vi", "en"]);
        assert_eq!(fallback_chain("en", &l, "vi"), ["vi"]);
        assert_eq!(fallback_chain("vi", &langs("en,vi"), "en"), ["en"]);
    }

    #[test]
    fn bad_language_lists_are_refused() {
        assert!(check_languages(&langs("vi,en")).is_ok());
        for bad in ["", "zh-Hans,vi", "vi,vi", "vi,not a tag"] {
            assert!(check_languages(&langs(bad)).is_err(), "{bad} was accepted");
        }
    }
}
