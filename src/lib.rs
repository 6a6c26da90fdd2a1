//! Tre: a fast, Zola-compatible static site generator for multilingual portals.
//! The pipeline reads top to bottom: config → content → markdown → render → assets → output.

pub mod assets;
pub mod check;
pub mod config;
pub mod content;
pub mod diag;
pub mod i18n;
pub mod init;
pub mod markdown;
pub mod output;
pub mod render;
pub mod sass;
pub mod search;
pub mod serve;
pub mod text;
pub mod theme;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use config::{BuildOptions, Mode};
use diag::Diagnostic;
use output::OutputFile;

/// A site rendered in memory, before anything is written.
pub struct Built {
    pub config: config::Config,
    pub library: content::Library,
    pub bodies: render::Bodies,
    pub files: Vec<OutputFile>,
    pub warnings: Vec<Diagnostic>,
    /// Wall time per stage, for `-v`.
    pub timings: Vec<(&'static str, Duration)>,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub sections: usize,
    pub files: usize,
    pub warnings: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
}

/// The Fluent bundles for the site's languages, with the chains from config.toml.
pub fn load_locales(
    root: &Path,
    config: &config::Config,
) -> Result<i18n::Locales, Vec<Diagnostic>> {
    let specs: Vec<i18n::LocaleSpec> = config
        .languages
        .iter()
        .map(|l| i18n::LocaleSpec {
            lang: l.code.clone(),
            fallback: l.fallback.clone(),
            plural_rules: l.plural_rules.clone(),
            number_locale: l.number_locale.clone(),
            use_isolating: l.isolate,
        })
        .collect();
    let theme = config.theme_dir();
    i18n::load_with_theme(root, theme.as_deref(), &specs, &config.default_language)
}

/// The translation status of the site at `root`: messages against the reference language, and
/// pages and sections against the default language.
pub fn i18n_status(root: &Path, config: &config::Config) -> Result<i18n::Status, Vec<Diagnostic>> {
    let library = content::load(root, config)?;
    let locales = load_locales(root, config)?;
    Ok(locales.status_with_pages(root, config, &library))
}

/// Runs every stage but the write, keeping the files in memory. Each stage reports all its
/// problems; the first stage with any stops the pipeline.
pub fn render_site(root: &Path, opts: &BuildOptions) -> Result<Built, Vec<Diagnostic>> {
    render_into(root, opts, config::load(root, opts)?, None)
}

/// The stages up to the write. With a sink, rendered pages go to it as they come and `files`
/// holds only the static files and assets, which must be written after them.
fn render_into(
    root: &Path,
    opts: &BuildOptions,
    config: config::Config,
    sink: Option<render::Sink>,
) -> Result<Built, Vec<Diagnostic>> {
    let mut timings = Vec::new();
    let mut t = Instant::now();
    let mut lap = |name: &'static str, t: &mut Instant| {
        timings.push((name, t.elapsed()));
        if opts.verbose {
            let (now, peak) = resident_mb();
            eprintln!("  after {name}: {now} MB resident, peak {peak} MB");
        }
        *t = Instant::now();
    };
    let mut library = content::load(root, &config)?;
    lap("load content", &mut t);
    let locales = Arc::new(load_locales(root, &config)?);
    let templates = render::Templates::load(root, &config)?;
    lap("load locales and templates", &mut t);
    let images = Arc::new(assets::ImageQueue::new(&config));
    let bodies = render::render_bodies(&config, &library, &templates, &locales, &images)?;
    lap("render markdown", &mut t);
    if sink.is_some() {
        // A build needs no source text after Markdown; a 10k-article site frees ~150 MB.
        for p in &mut library.pages {
            p.source.text = String::new();
        }
    }
    let site = render::site(
        &config, &library, &bodies, &locales, &templates, &images, sink,
    )?;
    lap(
        if sink.is_some() {
            "render and write templates"
        } else {
            "render templates"
        },
        &mut t,
    );
    if opts.verbose {
        for (kind, d) in &site.job_times {
            eprintln!(
                "    {kind:<26} {:>8.1} ms (thread time)",
                d.as_secs_f64() * 1000.0
            );
        }
    }
    let stylesheets = assets::stylesheets(&config)?;
    let copied = assets::collect(root, &config, &library, stylesheets, site.images)?;
    lap("collect assets and images", &mut t);
    let (indexes, search_warnings) = search::indexes(&config, &library, &bodies);
    lap("build search indexes", &mut t);
    let mut warnings: Vec<Diagnostic> = config.warnings.clone();
    warnings.extend(search_warnings);
    warnings.extend(library.warnings.iter().cloned());
    warnings.extend(locales.warnings().iter().cloned());
    warnings.extend(bodies.warnings.iter().cloned());
    warnings.extend(site.warnings);
    diag::sort(&mut warnings);
    let mut files = site.files;
    files.extend(copied);
    files.extend(indexes);
    Ok(Built {
        config,
        library,
        bodies,
        files,
        warnings,
        timings,
    })
}

/// Builds the site at `root`. Either everything is written, or nothing is and every problem
/// is returned. Pages are written into a staging directory as they are rendered.
pub fn build(root: &Path, opts: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let config = config::load(root, opts)?;
    let staging = output::Staging::create(&config.output_dir, config.hard_link_static)?;
    let (built, mut errors) =
        output::stream(&staging, |sink| render_into(root, opts, config, Some(sink)));
    let mut built = built?;
    let t = Instant::now();
    let anchors = check::anchors(&built.library, &built.bodies);
    if !anchors.is_empty() {
        return Err(anchors);
    }
    // Static files after pages, so one at a page's path replaces it, as in Zola.
    let ((), more) = output::stream(&staging, |sink| sink(std::mem::take(&mut built.files)));
    errors.extend(more);
    if !errors.is_empty() {
        return Err(errors);
    }
    let count = staging.commit()?;
    built.timings.push(("write output", t.elapsed()));
    Ok(BuildReport {
        pages: built.library.pages.len(),
        sections: built.library.sections.len(),
        files: count,
        warnings: built.warnings,
        timings: built.timings,
    })
}

/// Builds in memory and checks links and anchors; writes nothing.
pub fn check(root: &Path, opts: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let opts = BuildOptions {
        mode: Mode::Check,
        ..opts.clone()
    };
    let built = render_site(root, &opts)?;
    let problems = check::anchors(&built.library, &built.bodies);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(BuildReport {
        pages: built.library.pages.len(),
        sections: built.library.sections.len(),
        files: built.files.len(),
        warnings: built.warnings,
        timings: built.timings,
    })
}

/// Resident memory of this process now and at its peak, in MB (Linux; 0 elsewhere), for `-v`.
fn resident_mb() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            .map_or(0, |kb| kb / 1000)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
