//! The `tre` command: parses arguments, calls one library function per subcommand, prints
//! diagnostics and picks the exit code.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

/// mimalloc: rendering allocates and frees many small JSON values from two threads; glibc's
/// allocator spent a fifth of the build in malloc/free and held freed memory.
#[cfg(not(feature = "heap-profile"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use tre::diag::{self, Diagnostic};
use tre::{BuildOptions, Mode};

#[derive(Parser)]
#[command(
    name = "tre",
    version,
    about = "A fast, Zola-compatible static site generator for multilingual portals"
)]
struct Cli {
    /// The site's directory.
    #[arg(short, long, global = true, default_value = ".")]
    root: PathBuf,
    /// A config file other than config.toml, relative to the root.
    #[arg(short, long, global = true)]
    config: Option<PathBuf>,
    /// Print per-stage timings and every warning.
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Builds the site into the output directory, replacing it atomically.
    Build {
        #[arg(short, long)]
        output_dir: Option<PathBuf>,
        #[arg(short = 'u', long)]
        base_url: Option<String>,
        /// Include pages and sections marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Content-model problems (kinds.toml: unknown fields, wrong types…) are errors.
        #[arg(long)]
        strict: bool,
        /// Replace the output directory even if tre did not write it (it has no .tre-output).
        #[arg(long)]
        force: bool,
        /// Ngoại tuyến: `load_data(url=…)` chỉ đọc dữ liệu đã lưu trong .tre-cache/load_data/.
        /// Offline: `load_data(url=…)` answers only from .tre-cache/load_data/.
        #[arg(long)]
        offline: bool,
    },
    /// Builds in memory and checks internal links and anchors; writes nothing.
    Check {
        #[arg(long)]
        drafts: bool,
        /// Content-model problems (kinds.toml: unknown fields, wrong types…) are errors.
        #[arg(long)]
        strict: bool,
        /// Ngoại tuyến: `load_data(url=…)` chỉ đọc dữ liệu đã lưu trong .tre-cache/load_data/.
        /// Offline: `load_data(url=…)` answers only from .tre-cache/load_data/.
        #[arg(long)]
        offline: bool,
    },
    /// Builds the site for the local address and serves it on loopback.
    Serve {
        #[arg(short, long, default_value = "127.0.0.1")]
        interface: String,
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
        #[arg(long)]
        drafts: bool,
        /// Open the served site in the default browser.
        #[arg(short = 'O', long)]
        open: bool,
        /// Ngoại tuyến: `load_data(url=…)` chỉ đọc dữ liệu đã lưu trong .tre-cache/load_data/.
        /// Offline: `load_data(url=…)` answers only from .tre-cache/load_data/.
        #[arg(long)]
        offline: bool,
    },
    /// Writes a new page of a kind (kinds.toml) as content/<section>/<slug>.md, with the
    /// kind's fields, today's date and `draft = true`; never overwrites.
    New {
        /// The kind: news, document, event… (see --list).
        #[arg(required_unless_present = "list")]
        kind: Option<String>,
        /// The page's title; the file name is its slug.
        #[arg(required_unless_present = "list")]
        title: Option<String>,
        /// The section folder under content/, as tin-tuc.
        #[arg(short, long)]
        section: Option<String>,
        /// The page's language, when not the default one.
        #[arg(short, long)]
        lang: Option<String>,
        /// List the kinds and their fields.
        #[arg(long)]
        list: bool,
    },
    /// Makes a new portal in DIR (default: the current directory), on the built-in theme.
    Init {
        dir: Option<PathBuf>,
        /// The languages, the default first (vi or en): pages are written in vi and en (home,
        /// news and search in zh-Hans too); every other language shows them with a notice.
        #[arg(long, value_delimiter = ',', default_value = "vi,en")]
        languages: Vec<String>,
        /// The minimal skeleton of earlier versions: four templates, no theme.
        #[arg(long)]
        bare: bool,
        /// Add the missing files to a directory that is not empty; no file is overwritten.
        #[arg(long)]
        force: bool,
        /// Write only the built-in theme into themes/tre-portal/ of an existing site.
        #[arg(long, conflicts_with = "bare")]
        theme_only: bool,
    },
    /// Writes CODEOWNERS (or the file given) from the units' editors, or checks it is current.
    Codeowners {
        #[arg(long, default_value = "CODEOWNERS")]
        file: PathBuf,
        /// Exit 1 if the file differs from what the units say, instead of writing it.
        #[arg(long)]
        check: bool,
    },
    /// What was published in a period, per unit, language and kind (periodic reports).
    #[command(group(clap::ArgGroup::new("period").required(true).args(["from", "quarter", "month", "year"])))]
    Report {
        /// First day of the period, as 2026-11-01.
        #[arg(long, value_parser = parse_day, requires = "to")]
        from: Option<chrono::NaiveDate>,
        /// Last day of the period (included).
        #[arg(long, value_parser = parse_day, requires = "from")]
        to: Option<chrono::NaiveDate>,
        /// A quarter, as 2026-Q4: instead of --from and --to.
        #[arg(long, value_parser = tre::report::Period::quarter, conflicts_with_all = ["from", "to", "month", "year"])]
        quarter: Option<tre::report::Period>,
        /// A month, as 2026-11: instead of --from and --to.
        #[arg(long, value_parser = tre::report::Period::month, conflicts_with_all = ["from", "to", "quarter", "year"])]
        month: Option<tre::report::Period>,
        /// A year, as 2026: instead of --from and --to.
        #[arg(long, value_parser = tre::report::Period::year, conflicts_with_all = ["from", "to", "quarter", "month"])]
        year: Option<tre::report::Period>,
        /// Only this unit: its directory under content/, or the directory's last part.
        #[arg(long)]
        unit: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: ReportFormat,
    },
    /// Publishes the built output to the host in [deploy] over SSH, as a new release that
    /// goes live in one step; uploads only changed files.
    Deploy {
        /// Make the release before the live one live again.
        #[arg(long)]
        rollback: bool,
        /// Connect and say what would be sent, removed and switched; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Translation tools for Fluent UI strings.
    I18n {
        #[command(subcommand)]
        command: I18nCommand,
    },
}

#[derive(Subcommand)]
enum I18nCommand {
    /// What is missing, obsolete, erroneous or out of date, per language.
    Status {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Exit 1 when anything is missing, outdated or erroneous (for CI).
        #[arg(long)]
        strict: bool,
    },
    /// Adds missing message ids to each language's files as comments with the source text.
    Sync,
    /// Marks translations as up to date: pages (sets `translated_from` in their front matter
    /// to the hash of the source's body) or messages (records them in translations.lock).
    Confirm {
        /// A translated page or section, as content/blog/a.en.md; repeatable.
        #[arg(long = "page", value_name = "FILE")]
        pages: Vec<String>,
        /// The language whose messages to confirm: the IDS given, or all it translates.
        #[arg(long)]
        lang: Option<String>,
        ids: Vec<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Text,
    Csv,
    Json,
    Html,
}

fn parse_day(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("{s:?} is not a date; write it as 2026-11-01"))
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    Html,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(problems) => {
            eprint!("{}", diag::render_all(&problems));
            let errors = problems.iter().filter(|p| p.is_error()).count();
            let nothing = if matches!(cli.command, Command::Deploy { .. }) {
                "the live site is unchanged"
            } else {
                "nothing was written"
            };
            eprintln!("error: {errors} problem(s); {nothing}");
            ExitCode::FAILURE
        }
    }
}

/// `TRE_NOW`: the instant a build publishes at, for scheduled items (RFC 3339); the clock
/// when unset.
fn now_from_env() -> Result<Option<chrono::DateTime<chrono::FixedOffset>>, Vec<Diagnostic>> {
    let Ok(text) = std::env::var("TRE_NOW") else {
        return Ok(None);
    };
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .map(Some)
        .map_err(|e| {
            vec![
                Diagnostic::error("TRE_NOW", None, format!("cannot read {text:?}: {e}"))
                    .with_help("write TRE_NOW=2026-12-06T08:00:00+07:00, or unset it"),
            ]
        })
}

fn run(cli: &Cli) -> Result<ExitCode, Vec<Diagnostic>> {
    let now = now_from_env()?;
    let opts = |output_dir: &Option<PathBuf>,
                base_url: &Option<String>,
                drafts: bool,
                strict: bool,
                mode: Mode| BuildOptions {
        config_file: cli.config.clone(),
        output_dir: output_dir.clone(),
        base_url: base_url.clone(),
        include_drafts: drafts,
        strict,
        mode,
        verbose: cli.verbose,
        force: false,
        now,
        is_offline: false,
    };
    match &cli.command {
        Command::Build {
            output_dir,
            base_url,
            drafts,
            strict,
            force,
            offline,
        } => {
            let start = Instant::now();
            let opts = BuildOptions {
                force: *force,
                is_offline: *offline,
                ..opts(output_dir, base_url, *drafts, *strict, Mode::Build)
            };
            let report = tre::build(&cli.root, &opts)?;
            print_warnings(&report.warnings, cli.verbose);
            if cli.verbose {
                for (stage, t) in &report.timings {
                    eprintln!("  {stage:<28} {:>8.1} ms", t.as_secs_f64() * 1000.0);
                }
            }
            println!(
                "Built {} pages and {} sections ({} files) in {:.0} ms",
                report.pages,
                report.sections,
                report.files,
                start.elapsed().as_secs_f64() * 1000.0
            );
            if let Some((at, file)) = &report.next_scheduled {
                println!(
                    "Next scheduled: {} goes live at {} ({} scheduled)",
                    file.display(),
                    at.to_rfc3339(),
                    report.scheduled
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            drafts,
            strict,
            offline,
        } => {
            let opts = BuildOptions {
                is_offline: *offline,
                ..opts(&None, &None, *drafts, *strict, Mode::Check)
            };
            let report = tre::check(&cli.root, &opts)?;
            print_warnings(&report.warnings, cli.verbose);
            println!(
                "Checked {} pages and {} sections: no broken internal links",
                report.pages, report.sections
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            interface,
            port,
            drafts,
            open,
            offline,
        } => {
            let serve = tre::serve::ServeOptions {
                interface: interface.clone(),
                port: *port,
                open: *open,
            };
            tre::serve::run(
                &cli.root,
                &BuildOptions {
                    is_offline: *offline,
                    ..opts(&None, &None, *drafts, false, Mode::Serve)
                },
                &serve,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Init {
            dir,
            languages,
            bare,
            force,
            theme_only,
        } => {
            let dir = dir.clone().unwrap_or_else(|| cli.root.clone());
            let opts = tre::init::InitOptions {
                languages: languages.clone(),
                is_bare: *bare,
                force: *force,
                is_theme_only: *theme_only,
            };
            let report = tre::init::init(&dir, &opts)?;
            print_warnings(&report.warnings, true);
            for kept in &report.kept {
                eprintln!("{}: kept as it was", dir.join(kept).display());
            }
            println!(
                "Đã tạo {n} tệp trong {d}. Xem thử: tre --root {d} serve\n\
                 Wrote {n} files into {d}. Preview: tre --root {d} serve",
                n = report.written.len(),
                d = dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::I18n { command } => i18n(cli, command),
        Command::Codeowners { file, check } => {
            let text = tre::codeowners(&cli.root, &opts(&None, &None, false, false, Mode::Check))?;
            let path = cli.root.join(file);
            if *check {
                let current = std::fs::read_to_string(&path).unwrap_or_default();
                if current != text {
                    eprintln!(
                        "{}: error: not what the units' editors say\n  help: run `tre codeowners` to rewrite it",
                        file.display()
                    );
                    return Ok(ExitCode::FAILURE);
                }
                println!("{} is up to date", file.display());
                return Ok(ExitCode::SUCCESS);
            }
            std::fs::write(&path, text)
                .map_err(|e| vec![Diagnostic::error(file, None, format!("cannot write: {e}"))])?;
            println!("Wrote {}", file.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Report {
            from,
            to,
            quarter,
            month,
            year,
            unit,
            format,
        } => {
            let shortcut = quarter.or(*month).or(*year);
            let period = match (shortcut, from, to) {
                (Some(p), _, _) => p,
                (None, Some(from), Some(to)) => match tre::report::Period::new(*from, *to) {
                    Ok(p) => p,
                    Err(message) => {
                        eprintln!("error: {message}\n  help: the period runs from --from to --to");
                        return Ok(ExitCode::from(2));
                    }
                },
                // clap requires a period, and --to with --from.
                _ => return Ok(ExitCode::from(2)),
            };
            let r = tre::report::report(
                &cli.root,
                &opts(&None, &None, false, false, Mode::Check),
                period,
                unit.as_deref(),
            )?;
            let text = match format {
                ReportFormat::Text => tre::report::render_text(&r),
                ReportFormat::Csv => tre::report::render_csv(&r),
                ReportFormat::Json => tre::report::render_json(&r),
                ReportFormat::Html => tre::report::render_html(&r),
            };
            if cli.verbose {
                for (stage, t) in &r.timings {
                    eprintln!("  {stage:<28} {:>8.1} ms", t.as_secs_f64() * 1000.0);
                }
            }
            print!("{text}");
            Ok(ExitCode::SUCCESS)
        }
        Command::New {
            kind,
            title,
            section,
            lang,
            list,
        } => {
            let config =
                tre::config::load(&cli.root, &opts(&None, &None, false, false, Mode::Build))?;
            let model = tre::model::load(&cli.root, &config)?;
            if *list {
                print!("{}", tre::model::new::render_kind_list(&model));
                return Ok(ExitCode::SUCCESS);
            }
            let req = tre::model::new::NewPage {
                kind: kind.as_deref().unwrap_or_default(),
                title: title.as_deref().unwrap_or_default(),
                section: section.as_deref(),
                lang: lang.as_deref(),
            };
            let path = tre::model::new::write_new_page(&cli.root, &config, &model, &req)?;
            println!("Wrote {} (draft = true)", path.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Deploy { rollback, dry_run } => {
            let env = std::env::vars()
                .filter(|(k, _)| k.starts_with("TRE_DEPLOY_"))
                .collect();
            let options = tre::deploy::DeployOptions {
                rollback: *rollback,
                dry_run: *dry_run,
            };
            let report = tre::deploy::deploy(
                &cli.root,
                &opts(&None, &None, false, false, Mode::Build),
                &options,
                &env,
            )?;
            println!("{}", tre::deploy::render_report(&report));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Nothing missing, outdated or broken in any language, in messages or pages (for `--strict`).
/// Untracked pages (no `translated_from`) do not count, as messages not in the lockfile.
fn is_complete(status: &tre::i18n::Status) -> bool {
    let pages_complete = status.pages.as_ref().is_none_or(|p| {
        p.languages
            .iter()
            .all(|l| l.missing.is_empty() && l.outdated.is_empty())
    });
    status.problems.is_empty()
        && pages_complete
        && status
            .languages
            .iter()
            .all(|l| l.missing.is_empty() && l.outdated.is_empty() && l.erroneous.is_empty())
}

fn print_warnings(warnings: &[Diagnostic], verbose: bool) {
    let shown = if verbose {
        warnings.len()
    } else {
        warnings.len().min(20)
    };
    for w in &warnings[..shown] {
        eprintln!("{w}");
    }
    if shown < warnings.len() {
        eprintln!(
            "… and {} more warnings (run with -v to see all)",
            warnings.len() - shown
        );
    }
}

fn i18n(cli: &Cli, command: &I18nCommand) -> Result<ExitCode, Vec<Diagnostic>> {
    let config = tre::config::load(
        &cli.root,
        &BuildOptions {
            config_file: cli.config.clone(),
            ..Default::default()
        },
    )?;
    let locales = tre::load_locales(&cli.root, &config)?;
    match command {
        I18nCommand::Status { format, strict } => {
            let status = tre::i18n_status(&cli.root, &config)?;
            let text = match format {
                Format::Text => tre::i18n::render_text(&status),
                Format::Json => tre::i18n::render_json(&status),
                Format::Html => tre::i18n::render_html(&status),
            };
            println!("{text}");
            if *strict && !is_complete(&status) {
                eprintln!("error: translations are incomplete or out of date (--strict)");
                return Ok(ExitCode::FAILURE);
            }
            Ok(ExitCode::SUCCESS)
        }
        I18nCommand::Sync => {
            let report = tre::i18n::sync(&cli.root, &locales)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
            tre::i18n::write_l10n_toml(&cli.root, &locales)?;
            Ok(ExitCode::SUCCESS)
        }
        I18nCommand::Confirm { pages, lang, ids } => {
            confirm(cli, &config, &locales, pages, lang.as_deref(), ids)
        }
    }
}

fn confirm(
    cli: &Cli,
    config: &tre::config::Config,
    locales: &tre::i18n::Locales,
    pages: &[String],
    lang: Option<&str>,
    ids: &[String],
) -> Result<ExitCode, Vec<Diagnostic>> {
    if pages.is_empty() && lang.is_none() {
        return Err(vec![
            Diagnostic::error("tre i18n confirm", None, "nothing to confirm")
                .with_help("give --page content/a.en.md, or --lang en [message ids]"),
        ]);
    }
    if !pages.is_empty() {
        let library = tre::content::load(&cli.root, config)?;
        let mut problems = Vec::new();
        for page in pages {
            match tre::i18n::confirm_page(&cli.root, config, &library, page) {
                Ok(hash) => println!("{page}: translated_from = \"{hash}\""),
                Err(mut p) => problems.append(&mut p),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
    }
    if let Some(lang) = lang {
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let which = if ids.is_empty() {
            tre::i18n::Selection::All
        } else {
            tre::i18n::Selection::Only(&ids)
        };
        let confirmed = tre::i18n::confirm(&cli.root, locales, lang, which)?;
        println!("{lang}: confirmed {}", confirmed.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}
