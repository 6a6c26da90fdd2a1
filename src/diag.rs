//! Problems in the user's site as values: `Diagnostic`, `LineIndex` (byte offset → line:col),
//! and collecting them from parallel work in a stable order.
//! Depends on no other Tre module.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors stop the build, warnings are printed and the build goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column; the column counts characters, not bytes, so `ế` is one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

/// One problem in one file of the user's site, printed as `file:line:col: error: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Relative to the site root, `/`-separated.
    pub file: PathBuf,
    /// `None` when the whole file is at fault.
    pub at: Option<LineCol>,
    pub severity: Severity,
    /// What is wrong, in the user's words: lower case, no final period.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(
        file: impl Into<PathBuf>,
        at: Option<LineCol>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            file: file.into(),
            at,
            severity: Severity::Error,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(
        file: impl Into<PathBuf>,
        at: Option<LineCol>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, at, message)
        }
    }

    /// Adds the line that tells the user what to do.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (&Path, Option<LineCol>, Severity, &str) {
        (&self.file, self.at, self.severity, &self.message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.to_string_lossy().replace('\\', "/");
        write!(f, "{file}")?;
        if let Some(at) = self.at {
            write!(f, ":{}:{}", at.line, at.col)?;
        }
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {level}: {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Sorts problems by file, then position, so parallel stages report in a stable order.
pub fn sort(problems: &mut [Diagnostic]) {
    problems.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// Renders a list of problems as the CLI prints them, one per line (plus help lines).
pub fn render_all(problems: &[Diagnostic]) -> String {
    let mut out = String::new();
    for p in problems {
        out.push_str(&p.to_string());
        out.push('\n');
    }
    out
}

/// Keeps every success, or returns every problem, sorted. Warnings are passed through `warnings`.
pub fn collect_all<T>(results: Vec<Result<T, Vec<Diagnostic>>>) -> Result<Vec<T>, Vec<Diagnostic>> {
    let mut oks = Vec::with_capacity(results.len());
    let mut errs = Vec::new();
    for r in results {
        match r {
            Ok(v) => oks.push(v),
            Err(mut e) => errs.append(&mut e),
        }
    }
    if errs.is_empty() {
        Ok(oks)
    } else {
        sort(&mut errs);
        Err(errs)
    }
}

/// Turns byte offsets in a text into 1-based line and character columns.
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, starts }
    }

    /// The line and column of a byte offset; offsets past the end point just after the last char.
    pub fn locate(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(line).copied().unwrap_or(0);
        let prefix = self.text.get(start..offset).unwrap_or_else(|| {
            // `offset` fell inside a multi-byte char: count up to its start.
            let mut o = offset;
            while o > start && !self.text.is_char_boundary(o) {
                o -= 1;
            }
            self.text.get(start..o).unwrap_or("")
        });
        LineCol {
            line: line + 1,
            col: prefix.chars().count() + 1,
        }
    }
}

/// A path relative to `root`, `/`-separated, for diagnostics.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    let rel = path.strip_prefix(root).unwrap_or(path);
    PathBuf::from(rel.to_string_lossy().replace('\\', "/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "title = \"Lễ hội\"\ndate = hôm qua\n";
        let idx = LineIndex::new(text);
        let off = text.find("qua").unwrap();
        assert_eq!(idx.locate(off), LineCol { line: 2, col: 12 });
        assert_eq!(idx.locate(0), LineCol { line: 1, col: 1 });
    }

    #[test]
    fn offset_inside_a_char_does_not_panic() {
        let idx = LineIndex::new("ế");
        assert_eq!(idx.locate(1), LineCol { line: 1, col: 1 });
        assert_eq!(idx.locate(99), LineCol { line: 1, col: 2 });
    }

    #[test]
    fn prints_one_line_and_help() {
        let d = Diagnostic::error(
            "content/a.md",
            Some(LineCol { line: 3, col: 8 }),
            "front matter: bad date",
        )
        .with_help("write dates as 2025-04-18");
        assert_eq!(
            d.to_string(),
            "content/a.md:3:8: error: front matter: bad date\n  help: write dates as 2025-04-18"
        );
    }
}
