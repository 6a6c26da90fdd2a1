//! Sass to CSS, as Zola does it: every `.scss`/`.sass` file under `sass/` whose name (and
//! whose folders' names) does not start with `_` becomes a compressed `.css` file at the same
//! relative path in the output. A theme's `sass/` is always compiled, the site's only with
//! `compile_sass = true`; the site's files replace the theme's, and `static/` replaces both.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diag::{self, Diagnostic, LineCol};
use crate::output::OutputFile;

/// The compiled stylesheets, sorted by output path; every Sass error at once.
pub fn compile(config: &Config) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let mut dirs = Vec::new();
    if let Some(theme) = config.theme_dir() {
        dirs.push(theme.join("sass"));
    }
    if config.compile_sass {
        dirs.push(config.root.join("sass"));
    }
    let mut sources: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut errors = Vec::new();
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        let (found, conflicts) = stylesheets(&config.root, dir);
        sources.extend(found);
        errors.extend(conflicts);
    }
    let compiled: Vec<Result<OutputFile, Diagnostic>> = sources
        .into_par_iter()
        .map(|(out, file)| compile_one(config, &file).map(|css| OutputFile::text(out, css)))
        .collect();
    let mut files = Vec::new();
    for r in compiled {
        match r {
            Ok(f) => files.push(f),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        diag::sort(&mut errors);
        Err(errors)
    }
}

/// The stylesheet the build will write at `css_path` (`style.css`), compiled now, for
/// `get_url(cachebust=true)` and `get_hash`, which run before anything is written.
/// `None` when no Sass file compiles to that path.
pub fn compile_output(config: &Config, css_path: &str) -> Option<Result<String, Diagnostic>> {
    let rel = Path::new(css_path.trim_start_matches('/'));
    let is_partial = rel
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('_'));
    if rel.extension()? != "css" || is_partial {
        return None;
    }
    let mut dirs = Vec::new();
    if config.compile_sass {
        dirs.push(config.root.join("sass"));
    }
    if let Some(theme) = config.theme_dir() {
        dirs.push(theme.join("sass"));
    }
    let roots = input_roots(config);
    let source = dirs.iter().find_map(|d| {
        ["scss", "sass"]
            .iter()
            .filter_map(|x| roots.resolve(&d.join(rel.with_extension(x))))
            .find(|f| f.is_file())
    })?;
    Some(compile_one(config, &source))
}

/// Output path → source file for one `sass/` folder, and an error for each pair of files
/// that would compile to the same `.css` (`a.scss` beside `a.sass`).
fn stylesheets(root: &Path, dir: &Path) -> (BTreeMap<String, PathBuf>, Vec<Diagnostic>) {
    let mut found: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut conflicts = Vec::new();
    let walk = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !(name.starts_with('_') || crate::text::is_hidden(&name))
        });
    for e in walk.filter_map(Result::ok) {
        let path = e.path();
        let is_sass = path.extension().is_some_and(|x| x == "scss" || x == "sass");
        if !e.file_type().is_file() || !is_sass {
            continue;
        }
        let Ok(rel) = path
            .with_extension("css")
            .strip_prefix(dir)
            .map(Path::to_path_buf)
        else {
            continue;
        };
        let out = rel.to_string_lossy().replace('\\', "/");
        if let Some(other) = found.insert(out.clone(), path.to_path_buf()) {
            conflicts.push(
                Diagnostic::error(
                    relative(root, path),
                    None,
                    format!(
                        "`{}` and this file both compile to `{out}`",
                        relative(root, &other).display()
                    ),
                )
                .with_help("rename one of them; Zola refuses the same pair"),
            );
        }
    }
    (found, conflicts)
}

fn input_roots(config: &Config) -> crate::paths::InputRoots {
    crate::paths::InputRoots::new(&config.root, config.theme_dir().as_deref())
}

/// The files a stylesheet may import: those inside the site or its theme, symlinks resolved.
/// One outside is as good as missing to grass (which cannot report a read error of an
/// import), and is remembered so the error can say why.
#[derive(Debug)]
struct SiteFs {
    roots: crate::paths::InputRoots,
    refused: std::sync::Mutex<Vec<PathBuf>>,
}

impl SiteFs {
    fn inside(&self, path: &Path) -> bool {
        if !path.exists() || self.roots.resolve(path).is_some() {
            return true;
        }
        if let Ok(mut r) = self.refused.lock() {
            r.push(path.to_path_buf());
        }
        false
    }
}

impl grass::Fs for SiteFs {
    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir() && self.inside(path)
    }

    fn is_file(&self, path: &Path) -> bool {
        path.is_file() && self.inside(path)
    }

    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        match self.roots.resolve(path) {
            Some(p) => std::fs::read(p),
            None => Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "outside the site",
            )),
        }
    }

    fn canonicalize(&self, path: &Path) -> std::io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }
}

fn compile_one(config: &Config, file: &Path) -> Result<String, Diagnostic> {
    let fs = SiteFs {
        roots: input_roots(config),
        refused: Default::default(),
    };
    let options = grass::Options::default()
        .style(grass::OutputStyle::Compressed)
        .quiet(true)
        .fs(&fs);
    grass::from_path(file, &options).map_err(|e| {
        let d = sass_error(&config.root, file, *e);
        match fs.refused.lock().ok().and_then(|r| r.first().cloned()) {
            Some(p) => d.with_help(format!(
                "{} is outside the site (reached through `..`, an absolute path or a symbolic link); stylesheets import only files inside the site and its theme",
                p.display()
            )),
            None => d,
        }
    })
}

/// A grass error at the file and position it names (an imported partial, say).
fn sass_error(root: &Path, file: &Path, e: grass::Error) -> Diagnostic {
    let help = "fix the Sass; partials (`_name.scss`) are reported where the error is";
    match e.kind() {
        grass::ErrorKind::ParseError { message, loc, .. } => Diagnostic::error(
            relative(root, Path::new(loc.file.name())),
            Some(LineCol {
                line: loc.begin.line + 1,
                col: loc.begin.column + 1,
            }),
            message,
        )
        .with_help(help),
        grass::ErrorKind::IoError(io) => {
            Diagnostic::error(relative(root, file), None, format!("cannot read: {io}"))
        }
        grass::ErrorKind::FromUtf8Error(m) => {
            Diagnostic::error(relative(root, file), None, format!("not UTF-8: {m}"))
                .with_help("save the file as UTF-8")
        }
        other => Diagnostic::error(relative(root, file), None, format!("{other:?}")),
    }
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)], compile_sass: bool) -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().unwrap();
        let mut toml = String::from("base_url = \"https://x.vn\"\n");
        if compile_sass {
            toml.push_str("compile_sass = true\n");
        }
        std::fs::write(dir.path().join("config.toml"), toml).unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let config = crate::config::load(dir.path(), &Default::default()).unwrap();
        (dir, config)
    }

    fn text(f: &OutputFile) -> String {
        match &f.contents {
            crate::output::Contents::Bytes(b) => String::from_utf8(b.clone()).unwrap(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn compiles_both_syntaxes_and_skips_partials() {
        let (_dir, config) = site(
            &[
                ("sass/_vars.scss", "$c: #123456;"),
                (
                    "sass/style.scss",
                    "@import 'vars';\nbody { a { color: $c; } }",
                ),
                ("sass/sub/indented.sass", "p\n  margin: 0"),
                ("sass/_partials/skip.scss", "x { y: z }"),
            ],
            true,
        );
        let files = compile(&config).unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["style.css", "sub/indented.css"]);
        assert_eq!(text(&files[0]), "body a{color:#123456}");
        assert_eq!(text(&files[1]), "p{margin:0}");
    }

    #[test]
    fn the_site_sass_needs_compile_sass() {
        let (_dir, config) = site(&[("sass/style.scss", "a{b:c}")], false);
        assert!(compile(&config).unwrap().is_empty());
    }

    #[test]
    fn an_error_names_the_file_line_and_column() {
        let (_dir, config) = site(
            &[
                ("sass/_broken.scss", "a {\n  color: $nope;\n}"),
                ("sass/style.scss", "@import 'broken';"),
            ],
            true,
        );
        let errors = compile(&config).unwrap_err();
        assert_eq!(errors.len(), 1);
        let shown = errors[0].to_string();
        assert!(
            shown.starts_with("sass/_broken.scss:2:10: error: Undefined variable."),
            "{shown}"
        );
    }

    #[test]
    fn one_stylesheet_compiles_on_demand_for_cachebusting() {
        let (_dir, config) = site(&[("sass/sub/a.scss", "a { b: c }")], true);
        assert_eq!(
            compile_output(&config, "/sub/a.css").unwrap().unwrap(),
            "a{b:c}"
        );
        assert!(compile_output(&config, "sub/b.css").is_none());
        assert!(compile_output(&config, "sub/a.scss").is_none());
    }

    #[test]
    fn an_import_outside_the_site_is_refused() {
        let elsewhere = tempfile::tempdir().unwrap();
        let outside = elsewhere.path().join("outside.scss");
        std::fs::write(&outside, "a{b:c}").unwrap();
        let import = format!("@import '{}';", outside.with_extension("").display());
        let (_dir, config) = site(&[("sass/style.scss", &import)], true);
        let errors = compile(&config).unwrap_err();
        assert!(
            errors[0].to_string().contains("outside the site"),
            "{errors:?}"
        );
    }

    #[test]
    fn two_files_for_one_stylesheet_are_an_error() {
        let (_dir, config) = site(
            &[("sass/a.scss", "a{b:c}"), ("sass/a.sass", "a\n  b: c")],
            true,
        );
        let errors = compile(&config).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].to_string().contains("both compile to `a.css`"));
    }
}
