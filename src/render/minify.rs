//! `minify_html = true`: every rendered file whose name ends in `html` is minified as Zola
//! 0.22.1 minifies it (components/site/src/minify.rs): the `minify-html` crate at the same
//! version, with `<html>` and `<head>` opening tags kept, CSS minified and JavaScript left as
//! written. Static files are copied as they are, as in Zola.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::diag::Diagnostic;
use crate::output::{Contents, OutputFile};

/// Zola's options: the crate's defaults (spec-compliant output), plus these three.
fn zola_cfg() -> minify_html::Cfg {
    minify_html::Cfg {
        keep_html_and_head_opening_tags: true,
        minify_css: true,
        minify_js: false,
        ..minify_html::Cfg::default()
    }
}

/// Whether Zola minifies the file at `path`: its name ends in `html` (pages, sections, terms,
/// 404, aliases), not feeds, sitemaps or robots.txt.
fn is_minified(path: &str) -> bool {
    path.ends_with("html")
}

/// Minifies the HTML files of `files` in place. A file the minifier fails on is an error
/// naming it; the others are minified all the same.
pub fn files(config_file: &std::path::Path, files: &mut [OutputFile]) -> Vec<Diagnostic> {
    let cfg = zola_cfg();
    let mut errors = Vec::new();
    for f in files.iter_mut().filter(|f| is_minified(&f.path)) {
        let Contents::Bytes(bytes) = &mut f.contents else {
            continue;
        };
        // The crate has no error path; a panic in it must not take the whole build down.
        match catch_unwind(AssertUnwindSafe(|| minify_html::minify(bytes, &cfg))) {
            Ok(minified) => *bytes = minified,
            Err(_) => errors.push(
                Diagnostic::error(
                    config_file,
                    None,
                    format!("minify_html: the minifier failed on `{}`", f.path),
                )
                .with_help(
                    "tắt minify_html trong config.toml để xuất trang này / set `minify_html = false` to write the page unminified",
                ),
            ),
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minified(html: &str) -> String {
        let mut f = vec![OutputFile::text("index.html", html.to_string())];
        assert!(files(std::path::Path::new("config.toml"), &mut f).is_empty());
        match &f[0].contents {
            Contents::Bytes(b) => String::from_utf8(b.clone()).unwrap_or_default(),
            _ => String::new(),
        }
    }

    #[test]
    fn keeps_html_and_head_tags_and_script_bodies_but_minifies_css() {
        let out = minified(
            "<!DOCTYPE html>\n<html>\n<head>\n<style>\n  p { color : red ; }\n</style>\n</head>\n<body>\n  <script>\n  var a = 1 ;\n  </script>\n</body>\n</html>\n",
        );
        assert_eq!(
            out,
            "<!doctype html><html><head><style>p{color:red}</style><body><script>var a = 1 ;</script>"
        );
    }

    #[test]
    fn feeds_and_sitemaps_are_left_alone() {
        let xml = "<rss>\n  <channel> </channel>\n</rss>\n";
        let mut f = vec![OutputFile::text("rss.xml", xml.to_string())];
        files(std::path::Path::new("config.toml"), &mut f);
        assert!(matches!(&f[0].contents, Contents::Bytes(b) if b == xml.as_bytes()));
    }
}
