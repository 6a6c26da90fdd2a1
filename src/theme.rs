//! The portal theme, `tre-portal`, built into the binary: the repository's own generic
//! `templates/`, `static/` files, theme messages (`locales/<lang>/theme.ftl`) and content
//! kinds (`kinds.toml`, with their names in `locales/<lang>/kinds.ftl`), which
//! `tre init` writes into `themes/tre-portal/` of a new site. Pure data: it reads no file.

/// The directory name under `themes/`, and the value of `theme = "…"` in config.toml.
pub const NAME: &str = "tre-portal";

/// One file of the theme, `path` relative to the theme's root (`templates/base.html`).
#[derive(Debug, Clone, Copy)]
pub struct ThemeFile {
    pub path: &'static str,
    pub text: &'static str,
}

// The list is written out, not globbed by a build script: it is short, a reviewer sees what
// ships, and `theme_files_are_the_repository_files` (tests/it/init.rs) fails when a theme file
// is added to the repository and not here.
macro_rules! theme_files {
    ($($path:literal),* $(,)?) => {
        &[$(ThemeFile {
            path: $path,
            text: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $path)),
        }),*]
    };
}

/// Every file of the theme, as the repository has it.
pub const FILES: &[ThemeFile] = theme_files!(
    "templates/404.html",
    "templates/base.html",
    "templates/documents.html",
    "templates/events.html",
    "templates/index.html",
    "templates/macros.html",
    "templates/page.html",
    "templates/partials/editorial.html",
    "templates/partials/unit-banner.html",
    "templates/partials/unit-footer.html",
    "templates/partials/units.html",
    "templates/search.html",
    "templates/section.html",
    "templates/shortcodes/figure.html",
    "templates/taxonomy_list.html",
    "templates/taxonomy_single.html",
    "templates/withdrawn.html",
    "static/favicon.svg",
    "static/search.js",
    "static/style.css",
    "locales/en/kinds.ftl",
    "locales/en/theme.ftl",
    "locales/vi/kinds.ftl",
    "locales/vi/theme.ftl",
    "locales/zh-Hans/kinds.ftl",
    "locales/zh-Hans/theme.ftl",
    "kinds.toml",
);

/// The theme's `theme.toml` (Zola reads its `[extra]` under the site's).
pub const THEME_TOML: &str = "\
name = \"tre-portal\"
description = \"Cổng thông tin đối ngoại nhiều ngôn ngữ / a multilingual external-information portal\"
license = \"CC0-1.0\"
min_version = \"0.22.0\"

[extra]
home_news_count = 4
";

/// The languages whose theme messages are complete.
pub fn languages() -> impl Iterator<Item = &'static str> {
    FILES.iter().filter_map(|f| {
        f.path
            .strip_prefix("locales/")
            .and_then(|rest| rest.strip_suffix("/theme.ftl"))
    })
}
