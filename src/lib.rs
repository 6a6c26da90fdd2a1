//! Tre: a fast, Zola-compatible static site generator for multilingual portals.
//! The pipeline reads top to bottom: config → content → markdown → render → assets → output.

pub mod assets;
pub mod check;
pub mod compressed;
pub mod config;
pub mod content;
pub mod deploy;
pub mod diag;
pub mod export;
pub mod hosting;
pub mod i18n;
pub mod init;
pub mod markdown;
pub mod model;
pub mod output;
pub mod paths;
pub mod remote;
pub mod render;
pub mod report;
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
    pub stages: Stages,
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
    /// How many pages wait for their `publish_at`, and the first to go live: when, and its file.
    pub scheduled: usize,
    pub next_scheduled: Option<(chrono::DateTime<chrono::FixedOffset>, std::path::PathBuf)>,
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

/// Reads `content/` and checks its pages against the content model (`kinds.toml`, see
/// `model`): problems are warnings in `library.warnings`, or errors under `--strict`. Every
/// command that loads content goes through here, so build, check and serve agree.
pub fn load_content(
    root: &Path,
    config: &config::Config,
) -> Result<content::Library, Vec<Diagnostic>> {
    let mut library = content::load(root, config)?;
    let model = model::load(root, config)?;
    let e = &config.editorial;
    let year = chrono::Datelike::year(&e.now.with_timezone(&e.time_zone));
    let problems = model.check_library(&library, config.strict, year);
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    library.warnings.extend(problems);
    Ok(library)
}

/// The translation status of the site at `root`: messages against the reference language, and
/// pages and sections against the default language.
pub fn i18n_status(root: &Path, config: &config::Config) -> Result<i18n::Status, Vec<Diagnostic>> {
    let library = load_content(root, config)?;
    let locales = load_locales(root, config)?;
    Ok(locales.status_with_pages(root, config, &library))
}

/// Runs every stage but the write, keeping the files in memory. Each stage reports all its
/// problems; the first stage with any stops the pipeline.
pub fn render_site(root: &Path, opts: &BuildOptions) -> Result<Built, Vec<Diagnostic>> {
    render_into(root, opts, config::load(root, opts)?, None)
}

/// Every stage's value up to the rendered bodies. `build`, `check` and `serve` make it
/// through the same functions; serve keeps it between edits and patches it.
pub struct Stages {
    pub config: config::Config,
    pub library: content::Library,
    pub locales: Arc<i18n::Locales>,
    pub templates: render::Templates,
    /// Computed once per build, and per section where a section's differs.
    pub markdown: markdown::SiteMarkdown,
    pub bodies: render::Bodies,
}

impl Stages {
    /// The stages from content to bodies. Each reports all its problems, and the first stage
    /// with any stops the pipeline. `lap` hears the name of each stage as it ends.
    pub fn load(
        root: &Path,
        config: config::Config,
        images: &Arc<assets::ImageQueue>,
        lap: &mut dyn FnMut(&'static str),
    ) -> Result<Stages, Vec<Diagnostic>> {
        let library = load_content(root, &config)?;
        lap("load content");
        let locales = Arc::new(load_locales(root, &config)?);
        let templates = render::Templates::load(root, &config)?;
        lap("load locales and templates");
        let markdown = markdown::SiteMarkdown::new(&config, &library)?;
        let mut stages = Stages {
            config,
            library,
            locales,
            templates,
            markdown,
            bodies: render::Bodies::default(),
        };
        stages.render_bodies(images)?;
        lap("render markdown");
        Ok(stages)
    }

    /// What rendering reads of the stages.
    pub fn inputs(&self) -> render::Inputs<'_> {
        render::Inputs {
            config: &self.config,
            lib: &self.library,
            locales: &self.locales,
            templates: &self.templates,
            markdown: &self.markdown,
        }
    }

    /// Renders every body with the current stages.
    pub fn render_bodies(
        &mut self,
        images: &Arc<assets::ImageQueue>,
    ) -> Result<(), Vec<Diagnostic>> {
        self.bodies = render::render_bodies(self.inputs(), images)?;
        Ok(())
    }

    /// Swaps in a library loaded again; true if the Markdown options of its sections changed,
    /// so that every body must be rendered again.
    pub fn replace_library(&mut self, library: content::Library) -> Result<bool, Vec<Diagnostic>> {
        let markdown = markdown::SiteMarkdown::new(&self.config, &library)?;
        let has_changed = markdown != self.markdown;
        self.library = library;
        self.markdown = markdown;
        Ok(has_changed)
    }

    /// The problems that stop a build after rendering: `@/` links to missing anchors.
    pub fn check(&self) -> Vec<Diagnostic> {
        check::anchors(&self.library, &self.bodies)
    }

    /// The search index files, and a warning per index Tre cannot write.
    pub fn search_indexes(&self) -> (Vec<OutputFile>, Vec<Diagnostic>) {
        search::indexes(&self.config, &self.library, &self.bodies)
    }

    /// The search index files of the languages `is_wanted` accepts, and their warnings; the
    /// entries of items unchanged since `entries` were made are reused.
    pub fn search_indexes_of(
        &self,
        is_wanted: &dyn Fn(&str) -> bool,
        entries: &mut search::Entries,
    ) -> (Vec<OutputFile>, Vec<Diagnostic>) {
        search::indexes_of(
            &self.config,
            &self.library,
            &self.bodies,
            is_wanted,
            entries,
        )
    }

    /// Everything the output holds besides rendered pages and search indexes: compiled
    /// stylesheets, static files, colocated assets, and the `images` rendering queued.
    pub fn assets(
        &self,
        root: &Path,
        images: Vec<assets::ImageJob>,
    ) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        let stylesheets = assets::stylesheets(&self.config, &self.markdown.site)?;
        assets::collect(root, &self.config, &self.library, stylesheets, images)
    }

    /// Every stage's warnings, with those of what was made from the stages (`more`), sorted.
    pub fn warnings(&self, more: impl IntoIterator<Item = Diagnostic>) -> Vec<Diagnostic> {
        let mut warnings: Vec<Diagnostic> = self.config.warnings.clone();
        warnings.extend(more);
        warnings.extend(self.library.warnings.iter().cloned());
        warnings.extend(self.locales.warnings().iter().cloned());
        warnings.extend(self.bodies.warnings.iter().cloned());
        diag::sort(&mut warnings);
        warnings
    }
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
    let mut lap = |name: &'static str| {
        timings.push((name, t.elapsed()));
        if opts.verbose {
            let (now, peak) = resident_mib();
            eprintln!("  after {name}: {now} MiB resident, peak {peak} MiB");
        }
        t = Instant::now();
    };
    let filter = hosting::PageFilter::new(&config);
    let filtered;
    let sink = match sink {
        Some(inner) if filter.is_active() => {
            filtered = |mut files: Vec<OutputFile>| {
                filter.apply(&mut files);
                inner(files)
            };
            Some(&filtered as render::Sink)
        }
        other => other,
    };
    let images = Arc::new(assets::ImageQueue::new(&config));
    let mut stages = Stages::load(root, config, &images, &mut lap)?;
    if sink.is_some() {
        // A build needs no source text after Markdown; a 10k-article site frees ~150 MB.
        for p in &mut stages.library.pages {
            p.source.text = String::new();
        }
    }
    let is_streamed = sink.is_some();
    // Before rendering, as Zola does, so templates can hash the index (`get_url(cachebust)`).
    let (indexes, search_warnings) = stages.search_indexes();
    lap("build search indexes");
    let site = render::site(stages.inputs(), &stages.bodies, &indexes, &images, sink)?;
    lap(if is_streamed {
        "render and write templates"
    } else {
        "render templates"
    });
    if opts.verbose {
        for (kind, d) in &site.job_times {
            eprintln!(
                "    {kind:<26} {:>8.1} ms (thread time)",
                d.as_secs_f64() * 1000.0
            );
        }
    }
    let copied = stages.assets(root, site.images)?;
    lap("collect assets and images");
    let warnings = stages.warnings(search_warnings.into_iter().chain(site.warnings));
    let mut files = site.files;
    files.extend(copied);
    files.extend(indexes);
    if stages.config.hosting.export {
        let previous = &stages.config.output_dir;
        files.extend(export::files(
            &stages.config,
            &stages.library,
            &stages.bodies,
            previous,
        ));
        lap("export JSON");
    }
    if filter.is_active() {
        filter.apply(&mut files);
        // After every page went through the filter: the headers' CSP lists all their hashes.
        files.extend(filter.server_configs());
    }
    Ok(Built {
        stages,
        files,
        warnings,
        timings,
    })
}

/// Builds the site at `root`. Either everything is written, or nothing is and every problem
/// is returned. Pages are written into a staging directory as they are rendered.
pub fn build(root: &Path, opts: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let started = std::time::SystemTime::now();
    let config = config::load(root, opts)?;
    let theme_dir = config.theme_dir();
    let target = output::Target {
        root,
        theme_dir: theme_dir.as_deref(),
        dir: &config.output_dir,
        force: opts.force,
    };
    let mut staging = output::Staging::create(target, config.hard_link_static)?;
    if config.hosting.precompress {
        staging.precompress_while_writing(output::Precompress {
            min_bytes: config.hosting.precompress_min_bytes,
            brotli_quality: config.hosting.brotli_quality,
            gzip_level: config.hosting.gzip_level,
        });
    }
    let (built, mut errors) =
        output::stream(&staging, |sink| render_into(root, opts, config, Some(sink)));
    let mut built = built?;
    let t = Instant::now();
    let anchors = built.stages.check();
    if !anchors.is_empty() {
        return Err(anchors);
    }
    assets::clean_image_cache(root, &built.files);
    remote::clean_cache(root, started);
    // Static files after pages, so one at a page's path replaces it, as in Zola.
    let ((), more) = output::stream(&staging, |sink| sink(std::mem::take(&mut built.files)));
    errors.extend(more);
    if !errors.is_empty() {
        return Err(errors);
    }
    built.timings.push(("write output", t.elapsed()));
    // What was written from memory is compressed already; this does the copied files.
    if built.stages.config.hosting.precompress {
        let t = Instant::now();
        staging.finish_precompression()?;
        built
            .timings
            .push(("precompress copied files", t.elapsed()));
    }
    let count = staging.commit()?;
    Ok(BuildReport {
        pages: built.stages.library.pages.len(),
        sections: built.stages.library.sections.len(),
        files: count,
        scheduled: built.stages.library.scheduled.len(),
        next_scheduled: built.stages.library.scheduled.first().cloned(),
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
    let mut built = render_site(root, &opts)?;
    let problems = built.stages.check();
    if !problems.is_empty() {
        return Err(problems);
    }
    built.warnings.extend(check::unowned(&built.stages.library));
    diag::sort(&mut built.warnings);
    Ok(BuildReport {
        pages: built.stages.library.pages.len(),
        sections: built.stages.library.sections.len(),
        files: built.files.len(),
        scheduled: built.stages.library.scheduled.len(),
        next_scheduled: built.stages.library.scheduled.first().cloned(),
        warnings: built.warnings,
        timings: built.timings,
    })
}

/// The CODEOWNERS text for the units of the site at `root`: each unit's paths and editors.
pub fn codeowners(root: &Path, opts: &BuildOptions) -> Result<String, Vec<Diagnostic>> {
    let config = config::load(root, opts)?;
    let library = content::load(root, &config)?;
    Ok(content::unit::render_codeowners(&library.units))
}

/// Resident memory of this process now and at its peak, in MiB (Linux; 0 elsewhere), for `-v`.
fn resident_mib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            // The kernel's "kB" are KiB.
            .map_or(0, |kib| kib / 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
