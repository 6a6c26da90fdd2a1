//! Reads `config.toml` (or Zola's newer `zola.toml`) into a raw serde struct, then validates it
//! into a typed `Config`: languages with their fallback chains, glob sets, slug strategies.
//! Reads no file but the config and a theme's `theme.toml`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, LineIndex};
use crate::text::SlugifyMode;

mod hosting;
pub use hosting::{Hosting, Monitoring, parse_origin};
use hosting::{HostingSettings, validate_hosting};

/// What the build is for; templates see it as `config.mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Build,
    Serve,
    Check,
}

/// Options the command line passes over the config file.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// `-c/--config`: a config file other than `config.toml`, relative to the root.
    pub config_file: Option<PathBuf>,
    pub output_dir: Option<PathBuf>,
    pub base_url: Option<String>,
    pub include_drafts: bool,
    /// `--strict`: content-model problems (see `model`) are errors, not warnings.
    pub strict: bool,
    pub mode: Mode,
    /// Print per-stage detail while building.
    pub verbose: bool,
    /// `--force`: replace an output directory that tre did not write.
    pub force: bool,
    /// The instant the build publishes at: scheduled items (`publish_at`) later than it are
    /// left out. `None` is the system clock; the CLI reads `TRE_NOW` (RFC 3339) into it.
    pub now: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// `--offline`: `load_data(url=…)` answers only from `.tre-cache/load_data/`.
    pub is_offline: bool,
}

/// `[extra.editorial]`: the editorial workflow's site settings.
#[derive(Debug, Clone)]
pub struct EditorialSettings {
    /// Publishing an item without `approved_by` and `approved_at` is a build error.
    pub require_approval: bool,
    /// The site's time zone: `publish_at` and other times written without an offset are in it.
    pub time_zone: chrono::FixedOffset,
    /// The instant the build publishes at (see `BuildOptions::now`).
    pub now: chrono::DateTime<chrono::FixedOffset>,
}

impl Default for EditorialSettings {
    fn default() -> Self {
        Self {
            require_approval: false,
            time_zone: chrono::Offset::fix(&chrono::Utc),
            now: chrono::Utc::now().fixed_offset(),
        }
    }
}

/// Reads `[extra.editorial]` (`require_approval`, `time_zone = "+07:00"`).
fn editorial_settings(
    file: &Path,
    text: &str,
    extra: &toml::Table,
    opts: &BuildOptions,
) -> Result<EditorialSettings, Diagnostic> {
    let at = |key: &str| {
        let offset = text.find("[extra.editorial]").and_then(|start| {
            text[start..]
                .find(&format!("\n{key}"))
                .map(|o| start + o + 1)
        });
        offset.map(|o| LineIndex::new(text).locate(o))
    };
    let mut settings = EditorialSettings {
        now: opts
            .now
            .unwrap_or_else(|| chrono::Utc::now().fixed_offset()),
        ..EditorialSettings::default()
    };
    let Some(table) = extra.get("editorial") else {
        return Ok(settings);
    };
    let Some(table) = table.as_table() else {
        return Err(Diagnostic::error(file, at("editorial"), "`extra.editorial` must be a table")
            .with_help("write [extra.editorial] with require_approval = true and time_zone = \"+07:00\""));
    };
    match table.get("require_approval") {
        None => {}
        Some(toml::Value::Boolean(b)) => settings.require_approval = *b,
        Some(v) => {
            return Err(Diagnostic::error(
                file,
                at("require_approval"),
                format!("`extra.editorial.require_approval` must be true or false, found {v}"),
            )
            .with_help("write require_approval = true"));
        }
    }
    if let Some(v) = table.get("time_zone") {
        let parsed = v.as_str().and_then(parse_utc_offset);
        settings.time_zone = parsed.ok_or_else(|| {
            Diagnostic::error(
                file,
                at("time_zone"),
                format!("`extra.editorial.time_zone` must be a UTC offset, found {v}"),
            )
            .with_help("write the offset from UTC, as time_zone = \"+07:00\" for Vietnam")
        })?;
    }
    Ok(settings)
}

/// `+07:00`, `-05:30`, `Z` or `UTC` as a fixed offset.
pub fn parse_utc_offset(s: &str) -> Option<chrono::FixedOffset> {
    let s = s.trim();
    if s == "Z" || s.eq_ignore_ascii_case("utc") {
        return chrono::FixedOffset::east_opt(0);
    }
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if !(0..=14).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    chrono::FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// One `taxonomies = [{ name = "tags", … }]` entry.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct TaxonomyConfig {
    pub name: String,
    pub paginate_by: Option<usize>,
    pub paginate_path: Option<String>,
    pub feed: bool,
    pub render: bool,
    pub lang: String,
    /// The name as its URLs spell it (`[slugify] taxonomies`); templates see it as Zola's
    /// `taxonomy.slug`.
    #[serde(skip_deserializing)]
    pub slug: String,
}

impl Default for TaxonomyConfig {
    fn default() -> Self {
        Self {
            name: String::new(),
            paginate_by: None,
            paginate_path: None,
            feed: false,
            render: true,
            lang: String::new(),
            slug: String::new(),
        }
    }
}

/// `[markdown]`, as Zola 0.22 documents it; the `markdown` module turns it into render options.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct MarkdownSettings {
    pub render_emoji: bool,
    pub external_links_class: Option<String>,
    pub external_links_target_blank: bool,
    pub external_links_no_follow: bool,
    pub external_links_no_referrer: bool,
    pub external_links_external: bool,
    pub smart_punctuation: bool,
    pub definition_list: bool,
    pub lazy_async_image: bool,
    pub bottom_footnotes: bool,
    pub github_alerts: bool,
    pub insert_anchor_links: String,
    /// Tre: `"error"` (default) or `"text"`, Zola's way; see `markdown::InvalidShortcodes`.
    pub invalid_shortcodes: String,
    pub highlighting: Option<HighlightingSettings>,
    /// Zola before 0.22 kept these at the top of `[markdown]`.
    pub highlight_code: bool,
    pub highlight_theme: Option<String>,
}

impl Default for MarkdownSettings {
    fn default() -> Self {
        Self {
            render_emoji: false,
            external_links_class: None,
            external_links_target_blank: false,
            external_links_no_follow: false,
            external_links_no_referrer: false,
            external_links_external: true,
            smart_punctuation: false,
            definition_list: false,
            lazy_async_image: false,
            bottom_footnotes: false,
            github_alerts: false,
            insert_anchor_links: "none".into(),
            invalid_shortcodes: "error".into(),
            highlighting: None,
            highlight_code: false,
            highlight_theme: None,
        }
    }
}

/// `[markdown.highlighting]`, read with syntect theme names.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(default)]
pub struct HighlightingSettings {
    pub error_on_missing_language: bool,
    pub style: Option<String>,
    pub theme: Option<String>,
    pub light_theme: Option<String>,
    pub dark_theme: Option<String>,
}

/// `[slugify]`.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, Default)]
#[serde(default)]
pub struct SlugifyConfig {
    pub paths: SlugifyMode,
    pub taxonomies: SlugifyMode,
    pub anchors: SlugifyMode,
    pub paths_keep_dates: bool,
}

/// `[search]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct SearchConfig {
    pub include_title: bool,
    pub include_description: bool,
    pub include_date: bool,
    pub include_path: bool,
    pub include_content: bool,
    pub truncate_content_length: Option<usize>,
    pub index_format: String,
}

impl Default for SearchConfig {
    fn default() -> Self {
        Self {
            include_title: true,
            include_description: false,
            include_date: false,
            include_path: false,
            include_content: true,
            truncate_content_length: None,
            index_format: "elasticlunr_javascript".into(),
        }
    }
}

/// `[link_checker]`; Tre checks internal links only.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(default)]
pub struct LinkCheckerConfig {
    pub skip_prefixes: Vec<String>,
    pub skip_anchor_prefixes: Vec<String>,
    pub internal_level: Option<String>,
    pub external_level: Option<String>,
}

/// A `[languages.X]` table as written: Zola's keys plus Tre's fallback settings.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
struct RawLanguage {
    title: Option<String>,
    description: Option<String>,
    generate_feeds: Option<bool>,
    generate_feed: Option<bool>,
    feed_filenames: Option<Vec<String>>,
    taxonomies: Option<Vec<TaxonomyConfig>>,
    build_search_index: Option<bool>,
    search: Option<SearchConfig>,
    translations: BTreeMap<String, String>,
    /// Tre: message fallback chain after this language.
    fallback: Vec<String>,
    /// Tre: the language whose CLDR plural rules apply (for languages CLDR lacks).
    plural_rules: Option<String>,
    /// Tre: the language whose number and date formats apply.
    number_locale: Option<String>,
    /// Tre: whether Fluent wraps placeables in isolation marks.
    isolate: Option<bool>,
    /// Tre: render untranslated pages here from the next language in the chain.
    content_fallback: bool,
}

/// The whole file as written. Unknown keys are ignored, as Zola ignores them.
#[derive(Debug, Deserialize)]
#[serde(default)]
struct RawConfig {
    base_url: Option<String>,
    title: Option<String>,
    description: Option<String>,
    default_language: String,
    theme: Option<String>,
    output_dir: String,
    preserve_dotfiles_in_output: bool,
    compile_sass: bool,
    minify_html: bool,
    ignored_content: Vec<String>,
    ignored_static: Vec<String>,
    generate_feeds: Option<bool>,
    generate_feed: Option<bool>,
    feed_filenames: Option<Vec<String>>,
    feed_filename: Option<String>,
    feed_limit: Option<usize>,
    hard_link_static: bool,
    author: Option<String>,
    taxonomies: Vec<TaxonomyConfig>,
    taxonomy_root: Option<String>,
    build_search_index: bool,
    generate_sitemap: bool,
    generate_robots_txt: bool,
    exclude_paginated_pages_in_sitemap: String,
    markdown: MarkdownSettings,
    link_checker: LinkCheckerConfig,
    slugify: SlugifyConfig,
    search: SearchConfig,
    translations: BTreeMap<String, String>,
    languages: BTreeMap<String, toml::Spanned<RawLanguage>>,
    extra: toml::Table,
    /// Zola before 0.16 put highlighting at the top level.
    highlight_code: Option<bool>,
    highlight_theme: Option<String>,
    /// Tre: precompression, server configurations and security headers.
    hosting: HostingSettings,
    /// Tre: seconds `load_data(url=…)` waits for an answer (10 when absent).
    load_data_timeout: Option<toml::Spanned<f64>>,
}

impl Default for RawConfig {
    fn default() -> Self {
        Self {
            base_url: None,
            title: None,
            description: None,
            default_language: "en".into(),
            theme: None,
            output_dir: "public".into(),
            preserve_dotfiles_in_output: false,
            compile_sass: false,
            minify_html: false,
            ignored_content: Vec::new(),
            ignored_static: Vec::new(),
            generate_feeds: None,
            generate_feed: None,
            feed_filenames: None,
            feed_filename: None,
            feed_limit: None,
            hard_link_static: false,
            author: None,
            taxonomies: Vec::new(),
            taxonomy_root: None,
            build_search_index: false,
            generate_sitemap: true,
            generate_robots_txt: true,
            exclude_paginated_pages_in_sitemap: "none".into(),
            markdown: MarkdownSettings::default(),
            link_checker: LinkCheckerConfig::default(),
            slugify: SlugifyConfig::default(),
            search: SearchConfig::default(),
            translations: BTreeMap::new(),
            languages: BTreeMap::new(),
            extra: toml::Table::new(),
            highlight_code: None,
            highlight_theme: None,
            hosting: HostingSettings::default(),
            load_data_timeout: None,
        }
    }
}

/// One language of the site, the default one included, with everything resolved.
#[derive(Debug, Clone)]
pub struct Language {
    pub code: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub generate_feeds: bool,
    pub feed_filenames: Vec<String>,
    pub taxonomies: Vec<TaxonomyConfig>,
    pub build_search_index: bool,
    pub search: SearchConfig,
    pub translations: BTreeMap<String, String>,
    /// Languages to try after this one, for messages and for content fallback.
    pub fallback: Vec<String>,
    pub plural_rules: Option<String>,
    pub number_locale: Option<String>,
    pub isolate: bool,
    pub content_fallback: bool,
}

/// The validated configuration every stage reads.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    /// The file it came from, relative to the root, for diagnostics.
    pub file: PathBuf,
    /// As written: templates see it unchanged, as in Zola. Build URLs with `permalink`.
    pub base_url: String,
    pub mode: Mode,
    pub title: Option<String>,
    pub description: Option<String>,
    pub default_language: String,
    /// The default language first, then the others in the order of the file's keys.
    pub languages: Vec<Language>,
    pub theme: Option<String>,
    pub output_dir: PathBuf,
    pub preserve_dotfiles_in_output: bool,
    pub minify_html: bool,
    pub ignored_content: GlobSet,
    pub ignored_static: GlobSet,
    pub feed_limit: Option<usize>,
    pub hard_link_static: bool,
    /// Compile the site's `sass/` (a theme's `sass/` always is, as in Zola).
    pub compile_sass: bool,
    pub author: Option<String>,
    pub taxonomy_root: Option<String>,
    pub generate_sitemap: bool,
    pub generate_robots_txt: bool,
    pub exclude_paginated_pages_in_sitemap: bool,
    pub markdown: MarkdownSettings,
    pub link_checker: LinkCheckerConfig,
    pub slugify: SlugifyConfig,
    pub include_drafts: bool,
    /// `--strict`: content-model problems are errors.
    pub strict: bool,
    /// `[extra.editorial]` and the instant the build publishes at.
    pub editorial: EditorialSettings,
    /// `[extra]`, with the theme's `[extra]` merged under it.
    pub extra: serde_json::Value,
    /// Tre's `[hosting]`: precompression, server configurations, security headers.
    pub hosting: Hosting,
    /// Tre's `load_data_timeout`: how long `load_data(url=…)` waits for an answer.
    pub load_data_timeout: std::time::Duration,
    /// `--offline`: remote data only from the cache.
    pub is_offline: bool,
    /// Warnings found while reading (deprecated keys, NFD text).
    pub warnings: Vec<Diagnostic>,
}

impl Config {
    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    pub fn default_lang(&self) -> &Language {
        // `validate` always puts the default language first.
        &self.languages[0]
    }

    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// The URL prefix of a language: `""` for the default one, `"/en"` for others.
    pub fn lang_prefix(&self, lang: &str) -> String {
        if lang == self.default_language {
            String::new()
        } else {
            format!("/{lang}")
        }
    }

    /// An absolute URL for a site path that starts with `/`.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url.trim_end_matches('/'), path)
    }

    /// The theme's directory, when a theme is set.
    pub fn theme_dir(&self) -> Option<PathBuf> {
        self.theme
            .as_ref()
            .map(|t| self.root.join("themes").join(t))
    }
}

/// Reads and validates the site's config. Every problem is returned at once.
pub fn load(root: &Path, opts: &BuildOptions) -> Result<Config, Vec<Diagnostic>> {
    let file = match &opts.config_file {
        Some(f) => f.clone(),
        None if root.join("config.toml").exists() => PathBuf::from("config.toml"),
        None if root.join("zola.toml").exists() => PathBuf::from("zola.toml"),
        None => {
            return Err(vec![
                Diagnostic::error("config.toml", None, "no config.toml in the site root")
                    .with_help(format!(
                        "run `tre init` to make a new site, or pass --root to point at one (looked in {})",
                        root.display()
                    )),
            ]);
        }
    };
    let path = root.join(&file);
    let bytes = fs::read(&path).map_err(|e| {
        vec![Diagnostic::error(
            &file,
            None,
            format!("cannot read the config: {e}"),
        )]
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = LineIndex::new("").locate(0);
        vec![
            Diagnostic::error(
                &file,
                Some(at),
                format!(
                    "the file is not UTF-8 (bad byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
            )
            .with_help("save the file as UTF-8"),
        ]
    })?;
    let text = crate::text::nfc(&text).into_owned();
    let raw: RawConfig = toml::from_str(&text).map_err(|e| vec![toml_error(&file, &text, &e)])?;
    let theme_extra = load_theme_extra(root, raw.theme.as_deref(), &file)?;
    validate(root, &file, &text, raw, theme_extra, opts)
}

/// A TOML error at its line and column.
pub fn toml_error(file: &Path, text: &str, e: &toml::de::Error) -> Diagnostic {
    let at = e.span().map(|s| LineIndex::new(text).locate(s.start));
    Diagnostic::error(
        file,
        at,
        format!("invalid TOML: {}", e.message().trim_end()),
    )
}

fn load_theme_extra(
    root: &Path,
    theme: Option<&str>,
    config_file: &Path,
) -> Result<toml::Table, Vec<Diagnostic>> {
    let Some(theme) = theme.filter(|t| !t.is_empty()) else {
        return Ok(toml::Table::new());
    };
    let dir = root.join("themes").join(theme);
    if !dir.is_dir() {
        return Err(vec![
            Diagnostic::error(config_file, None, format!("theme `{theme}` not found"))
                .with_help(format!("put the theme in themes/{theme}/")),
        ]);
    }
    let rel = PathBuf::from(format!("themes/{theme}/theme.toml"));
    let Ok(text) = fs::read_to_string(dir.join("theme.toml")) else {
        return Ok(toml::Table::new());
    };
    let table: toml::Table =
        toml::from_str(&text).map_err(|e| vec![toml_error(&rel, &text, &e)])?;
    Ok(match table.get("extra") {
        Some(toml::Value::Table(t)) => t.clone(),
        _ => toml::Table::new(),
    })
}

fn validate(
    root: &Path,
    file: &Path,
    text: &str,
    raw: RawConfig,
    theme_extra: toml::Table,
    opts: &BuildOptions,
) -> Result<Config, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let warnings = Vec::new();
    let index = LineIndex::new(text);
    let base_url = match opts.base_url.clone().or(raw.base_url) {
        Some(u) => u,
        None => {
            errors.push(
                Diagnostic::error(file, None, "`base_url` is missing")
                    .with_help("add `base_url = \"https://example.gov.vn\"` at the top"),
            );
            String::new()
        }
    };
    let generate_feeds = raw.generate_feeds.or(raw.generate_feed).unwrap_or(false);
    let feed_filenames = raw
        .feed_filenames
        .or(raw.feed_filename.map(|f| vec![f]))
        .unwrap_or_else(|| vec!["atom.xml".into()]);
    let default_code = raw.default_language.clone();
    if let Err(msg) = check_lang_tag(&default_code) {
        errors.push(Diagnostic::error(
            file,
            None,
            format!("`default_language`: {msg}"),
        ));
    }
    let mut languages = vec![Language {
        code: default_code.clone(),
        title: raw.title.clone(),
        description: raw.description.clone(),
        generate_feeds,
        feed_filenames: feed_filenames.clone(),
        taxonomies: with_lang(raw.taxonomies.clone(), &default_code),
        build_search_index: raw.build_search_index,
        search: raw.search.clone(),
        translations: raw.translations.clone(),
        fallback: Vec::new(),
        plural_rules: None,
        number_locale: None,
        isolate: false,
        content_fallback: false,
    }];
    for (code, spanned) in &raw.languages {
        let at = Some(index.locate(spanned.span().start));
        if let Err(msg) = check_lang_tag(code) {
            errors.push(
                Diagnostic::error(file, at, format!("language `{code}`: {msg}"))
                    .with_help("use a BCP 47 tag such as `vi`, `en`, `zh-Hans`, `hnj` or `blt`"),
            );
        }
        let l = spanned.get_ref();
        let lang = Language {
            code: code.clone(),
            title: l.title.clone().or(raw.title.clone()),
            description: l.description.clone().or(raw.description.clone()),
            generate_feeds: l.generate_feeds.or(l.generate_feed).unwrap_or(false),
            // A language does not inherit the site's `feed_filenames`: Zola's default for
            // each `[languages.*]` table is `["atom.xml"]`.
            feed_filenames: l
                .feed_filenames
                .clone()
                .unwrap_or_else(|| vec!["atom.xml".to_string()]),
            taxonomies: with_lang(l.taxonomies.clone().unwrap_or_default(), code),
            build_search_index: l.build_search_index.unwrap_or(false),
            search: l.search.clone().unwrap_or_else(|| raw.search.clone()),
            translations: l.translations.clone(),
            fallback: l.fallback.clone(),
            plural_rules: l.plural_rules.clone(),
            number_locale: l.number_locale.clone(),
            isolate: l.isolate.unwrap_or(false),
            content_fallback: l.content_fallback,
        };
        if *code == default_code {
            // Zola lets the default language have a `[languages.X]` table too; merge it in.
            let d = &mut languages[0];
            d.title = l.title.clone().or(d.title.take());
            d.description = l.description.clone().or(d.description.take());
            if let Some(g) = l.generate_feeds.or(l.generate_feed) {
                d.generate_feeds = g;
            }
            if let Some(t) = &l.taxonomies {
                d.taxonomies = with_lang(t.clone(), code);
            }
            d.translations.extend(l.translations.clone());
            d.fallback = lang.fallback;
            d.plural_rules = lang.plural_rules;
            d.number_locale = lang.number_locale;
            d.isolate = lang.isolate;
        } else {
            languages.push(lang);
        }
    }
    let known: Vec<String> = languages.iter().map(|l| l.code.clone()).collect();
    for (code, spanned) in &raw.languages {
        let l = spanned.get_ref();
        let refs = l
            .fallback
            .iter()
            .chain(&l.plural_rules)
            .chain(&l.number_locale);
        for r in refs.filter(|r| !known.contains(r) && !is_cldr_only(r)) {
            errors.push(
                Diagnostic::error(
                    file,
                    Some(index.locate(spanned.span().start)),
                    format!(
                        "language `{code}` falls back to `{r}`, which is not a language of the site"
                    ),
                )
                .with_help(format!(
                    "add a [languages.{r}] table or remove `{r}` from the chain"
                )),
            );
        }
    }
    let mut markdown = raw.markdown;
    if markdown.highlighting.is_none()
        && (markdown.highlight_code || raw.highlight_code == Some(true))
    {
        markdown.highlighting = Some(HighlightingSettings {
            theme: markdown
                .highlight_theme
                .clone()
                .or(raw.highlight_theme.clone()),
            ..Default::default()
        });
    }
    let hosting = validate_hosting(&raw.hosting, file, text, &mut errors);
    let load_data_timeout = match &raw.load_data_timeout {
        None => crate::remote::DEFAULT_TIMEOUT,
        Some(t) => match std::time::Duration::try_from_secs_f64(*t.get_ref()) {
            Ok(d) if !d.is_zero() && d.as_secs() <= 3600 => d,
            _ => {
                errors.push(
                    Diagnostic::error(
                        file,
                        Some(index.locate(t.span().start)),
                        format!(
                            "`load_data_timeout` must be a number of seconds above 0, found {}",
                            t.get_ref()
                        ),
                    )
                    .with_help("write `load_data_timeout = 10`, or remove it for 10 seconds"),
                );
                crate::remote::DEFAULT_TIMEOUT
            }
        },
    };
    let ignored_content = glob_set(&raw.ignored_content, "ignored_content", file, &mut errors);
    let ignored_static = glob_set(&raw.ignored_static, "ignored_static", file, &mut errors);
    let editorial = editorial_settings(file, text, &raw.extra, opts).unwrap_or_else(|d| {
        errors.push(d);
        EditorialSettings::default()
    });
    let mut extra = toml_to_json(toml::Value::Table(raw.extra));
    merge_defaults(&mut extra, toml_to_json(toml::Value::Table(theme_extra)));
    let output_dir = opts
        .output_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from(&raw.output_dir));
    let output_dir = if output_dir.is_absolute() {
        output_dir
    } else {
        root.join(output_dir)
    };
    if !errors.is_empty() {
        crate::diag::sort(&mut errors);
        return Err(errors);
    }
    for t in languages.iter_mut().flat_map(|l| l.taxonomies.iter_mut()) {
        t.slug = crate::text::slugify_path(&t.name, raw.slugify.taxonomies);
    }
    Ok(Config {
        root: root.to_path_buf(),
        file: file.to_path_buf(),
        base_url,
        mode: opts.mode,
        title: raw.title,
        description: raw.description,
        default_language: default_code,
        languages,
        theme: raw.theme.filter(|t| !t.is_empty()),
        output_dir,
        preserve_dotfiles_in_output: raw.preserve_dotfiles_in_output,
        minify_html: raw.minify_html,
        ignored_content,
        ignored_static,
        feed_limit: raw.feed_limit,
        hard_link_static: raw.hard_link_static,
        compile_sass: raw.compile_sass,
        author: raw.author,
        taxonomy_root: raw.taxonomy_root,
        generate_sitemap: raw.generate_sitemap,
        generate_robots_txt: raw.generate_robots_txt,
        exclude_paginated_pages_in_sitemap: raw.exclude_paginated_pages_in_sitemap == "all",
        markdown,
        link_checker: raw.link_checker,
        slugify: raw.slugify,
        include_drafts: opts.include_drafts,
        strict: opts.strict,
        editorial,
        extra,
        hosting,
        load_data_timeout,
        is_offline: opts.is_offline,
        warnings,
    })
}

fn with_lang(mut taxonomies: Vec<TaxonomyConfig>, lang: &str) -> Vec<TaxonomyConfig> {
    for t in &mut taxonomies {
        t.lang = lang.to_string();
    }
    taxonomies
}

/// Plural rules and number formats may come from a CLDR language the site does not publish in.
fn is_cldr_only(code: &str) -> bool {
    code.parse::<unic_langid::LanguageIdentifier>().is_ok() && code.len() <= 3
}

/// A language tag must be well-formed BCP 47 (`vi`, `zh-Hans`, `hnj-Latn-VN`), never `vi_VN`.
pub fn check_lang_tag(code: &str) -> Result<(), String> {
    if code.contains('_') || code.is_empty() {
        return Err(format!("`{code}` is not a BCP 47 language tag"));
    }
    code.parse::<unic_langid::LanguageIdentifier>()
        .map(|_| ())
        .map_err(|_| format!("`{code}` is not a BCP 47 language tag"))
}

fn glob_set(patterns: &[String], key: &str, file: &Path, errors: &mut Vec<Diagnostic>) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        match Glob::new(p) {
            Ok(g) => {
                b.add(g);
            }
            Err(e) => errors.push(Diagnostic::error(
                file,
                None,
                format!("`{key}`: bad glob `{p}`: {e}"),
            )),
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

/// TOML values as JSON for Tera; dates become their TOML text, as Zola shows them.
pub fn toml_to_json(v: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            J::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

/// Fills keys missing from `target` with the theme's defaults, recursively.
fn merge_defaults(target: &mut serde_json::Value, defaults: serde_json::Value) {
    if let (serde_json::Value::Object(t), serde_json::Value::Object(d)) = (target, defaults) {
        for (k, v) in d {
            match t.get_mut(&k) {
                Some(existing) => merge_defaults(existing, v),
                None => {
                    t.insert(k, v);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("config.toml"), text).unwrap();
        load(dir.path(), &BuildOptions::default())
    }

    #[test]
    fn default_language_comes_first_with_its_chain() {
        let c = load_str(
            "base_url = \"https://x.vn/\"\ndefault_language = \"vi\"\n[languages.en]\n[languages.hnj]\nfallback = [\"vi\", \"en\"]\nplural_rules = \"vi\"\n",
        )
        .unwrap();
        // Templates see `config.base_url` as written, as in Zola; permalinks have one `/`.
        assert_eq!(c.base_url, "https://x.vn/");
        assert_eq!(c.permalink("/"), "https://x.vn/");
        assert_eq!(c.permalink("/a/"), "https://x.vn/a/");
        let codes: Vec<_> = c.languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["vi", "en", "hnj"]);
        assert_eq!(c.language("hnj").unwrap().fallback, ["vi", "en"]);
        assert_eq!(c.lang_prefix("en"), "/en");
        assert_eq!(c.lang_prefix("vi"), "");
    }

    #[test]
    fn languages_do_not_inherit_feed_filenames() {
        let c = load_str(
            "base_url = \"https://x.vn/\"\ndefault_language = \"vi\"\nfeed_filenames = [\"atom.xml\", \"rss.xml\"]\n[languages.fr]\n[languages.en]\nfeed_filenames = [\"rss.xml\"]\n",
        )
        .unwrap();
        assert_eq!(c.language("en").unwrap().feed_filenames, ["rss.xml"]);
        assert_eq!(c.language("fr").unwrap().feed_filenames, ["atom.xml"]);
        assert_eq!(
            c.language(&c.default_language).unwrap().feed_filenames,
            ["atom.xml", "rss.xml"]
        );
    }

    #[test]
    fn bad_language_tag_is_reported_at_its_table() {
        let err = load_str("base_url = \"x\"\n[languages.vi_VN]\ntitle = \"a\"\n").unwrap_err();
        assert_eq!(
            crate::diag::render_all(&err),
            "config.toml:2:1: error: language `vi_VN`: `vi_VN` is not a BCP 47 language tag\n  help: use a BCP 47 tag such as `vi`, `en`, `zh-Hans`, `hnj` or `blt`\n"
        );
    }

    #[test]
    fn toml_syntax_error_has_a_position() {
        let err = load_str("base_url = \"x\"\ntitle = \"Lễ hội\n").unwrap_err();
        let text = crate::diag::render_all(&err);
        assert!(text.starts_with("config.toml:2:"), "{text}");
    }
}
