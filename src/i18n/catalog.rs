//! One language's `locales/<lang>/*.ftl` files, read and parsed into a `Catalog`: the
//! resources for the bundle, plus an index of every message (where it is, its canonical
//! source, its hash, its words and variables) and of every broken entry.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use fluent_bundle::FluentResource;
use fluent_syntax::ast;
use fluent_syntax::parser::ParserError;
use sha2::{Digest, Sha256};
use unicode_normalization::{UnicodeNormalization, is_nfc};

use crate::diag::{self, Diagnostic, LineCol, LineIndex};

/// A message or term (`-brand`) as one language's files define it.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    /// Relative to the site root: `locales/vi/main.ftl`.
    pub file: PathBuf,
    /// The file's name, which `sync` uses to pick the matching file of another language.
    pub file_name: String,
    /// Where the id starts.
    pub at: LineCol,
    /// The entry as Fluent's serializer writes it, without its comment: the text that is hashed,
    /// so re-indenting a message or editing its comment does not make translations outdated.
    pub source: String,
    pub hash: String,
    pub words: usize,
    pub variables: BTreeSet<String>,
}

/// An entry the parser could not read. Its message, if we can tell which, falls back.
#[derive(Debug, Clone)]
pub(super) struct Junk {
    pub id: Option<String>,
    pub file: PathBuf,
    pub at: LineCol,
    pub problem: String,
}

#[derive(Default)]
pub(super) struct Catalog {
    pub entries: BTreeMap<String, Entry>,
    pub junk: Vec<Junk>,
    pub resources: Vec<FluentResource>,
}

/// Reads every `.ftl` file of `lang`, in file-name order so the first of two duplicate
/// definitions is always the same one, then the theme's (`theme_dir`), whose messages count
/// only where the site has none of that id. A missing directory is an empty catalog.
pub(super) fn load_catalog(
    root: &Path,
    theme_dir: Option<&Path>,
    lang: &str,
) -> (Catalog, Vec<Diagnostic>) {
    let mut catalog = Catalog::default();
    let mut problems = Vec::new();
    let site = root.join("locales").join(lang);
    let theme = theme_dir.map(|t| t.join("locales").join(lang));
    for (dir, is_theme) in [(Some(site), false), (theme, true)] {
        let Some(dir) = dir.filter(|d| d.is_dir()) else {
            continue;
        };
        let files = match list_ftl_files(&dir) {
            Ok(files) => files,
            Err(e) => {
                let rel = diag::relative(root, &dir);
                problems.push(Diagnostic::error(rel, None, format!("cannot read: {e}")));
                continue;
            }
        };
        for path in files {
            let rel = diag::relative(root, &path);
            match load_text(&path, &rel) {
                Ok((text, mut warnings)) => {
                    problems.append(&mut warnings);
                    problems.append(&mut parse_into(&mut catalog, text, &rel, is_theme));
                }
                Err(d) => problems.push(d),
            }
        }
    }
    (catalog, problems)
}

fn list_ftl_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "ftl") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Reads a file as UTF-8 text in NFC. Non-UTF-8 is an error at the first bad byte; NFD text is
/// normalised, with one warning per file at the first character that changes.
pub(super) fn load_text(path: &Path, rel: &Path) -> Result<(String, Vec<Diagnostic>), Diagnostic> {
    let bytes =
        fs::read(path).map_err(|e| Diagnostic::error(rel, None, format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = e.as_bytes().get(..valid).unwrap_or_default();
        let prefix = std::str::from_utf8(prefix).unwrap_or_default();
        let at = LineIndex::new(prefix).locate(valid);
        Diagnostic::error(rel, Some(at), "file is not valid UTF-8")
            .with_help("save the file as UTF-8")
    })?;
    // A byte-order mark would make the first entry Junk; positions on line 1 shift by one.
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    };
    if is_nfc(&text) {
        return Ok((text, Vec::new()));
    }
    let nfc: String = text.nfc().collect();
    let offset: usize = text
        .chars()
        .zip(nfc.chars())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let at = LineIndex::new(&text).locate(offset);
    let warning = Diagnostic::warning(rel, Some(at), "text is not in Unicode NFC; read as NFC")
        .with_help("save the file in NFC (composed) form so searches and diffs match");
    Ok((nfc, vec![warning]))
}

/// Parses one file's text, indexes its entries into `catalog` and keeps the resource.
/// A theme's entry whose id the site already defines is skipped without a warning.
fn parse_into(catalog: &mut Catalog, text: String, rel: &Path, is_theme: bool) -> Vec<Diagnostic> {
    let (resource, errors) = match FluentResource::try_new(text) {
        Ok(r) => (r, Vec::new()),
        Err((r, errors)) => (r, errors),
    };
    let mut problems = Vec::new();
    let source = resource.source();
    let index = LineIndex::new(source);
    let file_name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut junk_ranges = Vec::new();
    for entry in resource.entries() {
        let (id, ident) = match entry {
            ast::Entry::Message(m) => (m.id.name.to_owned(), m.id.name),
            ast::Entry::Term(t) => (format!("-{}", t.id.name), t.id.name),
            ast::Entry::Junk { content } => {
                if let Some(start) = offset_in(source, content) {
                    let text_end = start + content.trim_end().len();
                    junk_ranges.push((start..start + content.len(), text_end, junk_id(content)));
                }
                continue;
            }
            _ => continue,
        };
        // The id sits right after the `-` of a term, so step back one to point at the entry.
        let start = offset_in(source, ident).unwrap_or(0);
        let start = if id.starts_with('-') {
            start.saturating_sub(1)
        } else {
            start
        };
        let at = index.locate(start);
        if let Some(first) = catalog.entries.get(&id) {
            if is_theme && first.file.starts_with("locales") {
                continue;
            }
            problems.push(
                Diagnostic::warning(rel, Some(at), format!("`{id}` is defined twice")).with_help(
                    format!(
                        "the first definition, at {}:{}:{}, is used; remove one of them",
                        first.file.display(),
                        first.at.line,
                        first.at.col
                    ),
                ),
            );
            continue;
        }
        let (source_text, words, variables) = describe(entry);
        catalog.entries.insert(
            id,
            Entry {
                file: rel.to_owned(),
                file_name: file_name.clone(),
                at,
                hash: short_hash(&source_text),
                source: source_text,
                words,
                variables,
            },
        );
    }
    for error in &errors {
        catalog.junk.push(junk_at(error, &junk_ranges, &index, rel));
    }
    catalog.resources.push(resource);
    problems
}

fn junk_at(
    error: &ParserError,
    junk_ranges: &[(std::ops::Range<usize>, usize, Option<String>)],
    index: &LineIndex<'_>,
    rel: &Path,
) -> Junk {
    let pos = error.pos.start;
    let junk = junk_ranges
        .iter()
        .find(|(r, _, _)| r.start <= pos && pos <= r.end);
    // The parser often notices a missing `}` only at the start of the next entry; point at the
    // end of the broken entry's text instead, where the `}` belongs.
    let pos = junk.map_or(pos, |(_, text_end, _)| pos.min(*text_end));
    Junk {
        id: junk.and_then(|(_, _, id)| id.clone()),
        file: rel.to_owned(),
        at: index.locate(pos),
        // Some messages quote the newlines the parser expected; keep diagnostics on one line.
        problem: lower_first(&error.kind.to_string())
            .replace('\n', "\\n")
            .replace('\r', "\\r"),
    }
}

impl Junk {
    /// The warning for a broken entry; `fallback` is the language its message now comes from.
    pub(super) fn diagnostic(&self, fallback: Option<&str>) -> Diagnostic {
        let Some(id) = &self.id else {
            return Diagnostic::warning(
                &self.file,
                Some(self.at),
                format!("syntax error: {}", self.problem),
            )
            .with_help("the broken entry is skipped until this is fixed");
        };
        let help = match fallback {
            Some(lang) => format!("until this is fixed, pages show `{id}` from `{lang}`"),
            None => format!("until this is fixed, `{id}` is missing in every language"),
        };
        Diagnostic::warning(
            &self.file,
            Some(self.at),
            format!("syntax error in `{id}`: {}", self.problem),
        )
        .with_help(help)
    }
}

pub(super) fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The byte offset of `part` inside `whole`, when `part` is a slice of it (fluent-syntax hands
/// out such slices instead of spans).
fn offset_in(whole: &str, part: &str) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    (start + part.len() <= whole.len()).then_some(start)
}

/// The id a broken entry was meant to define, if it starts like `id =` or `-term =`.
fn junk_id(content: &str) -> Option<String> {
    let body = content.strip_prefix('-').unwrap_or(content);
    let mut chars = body.char_indices();
    let first_ok = chars.next().is_some_and(|(_, c)| c.is_ascii_alphabetic());
    let end = chars
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        .map_or(body.len(), |(i, _)| i);
    let name = body.get(..end)?;
    let rest = body.get(end..)?.trim_start_matches([' ', '\t']);
    (first_ok && rest.starts_with('=')).then(|| {
        let dash = if content.starts_with('-') { "-" } else { "" };
        format!("{dash}{name}")
    })
}

/// First 16 hex digits of the SHA-256 of a message's canonical source.
pub(super) fn short_hash(source: &str) -> String {
    let digest = Sha256::digest(source.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Canonical source, word count and variables of a message or term.
fn describe(entry: &ast::Entry<&str>) -> (String, usize, BTreeSet<String>) {
    let mut walk = Walk::default();
    let canonical = match entry {
        ast::Entry::Message(m) => {
            if let Some(v) = &m.value {
                walk.pattern(v);
            }
            m.attributes.iter().for_each(|a| walk.pattern(&a.value));
            ast::Entry::Message(ast::Message {
                comment: None,
                ..m.clone()
            })
        }
        ast::Entry::Term(t) => {
            walk.pattern(&t.value);
            t.attributes.iter().for_each(|a| walk.pattern(&a.value));
            ast::Entry::Term(ast::Term {
                comment: None,
                ..t.clone()
            })
        }
        other => other.clone(),
    };
    let resource = ast::Resource {
        body: vec![canonical],
    };
    let source = fluent_syntax::serializer::serialize(&resource)
        .trim_end()
        .to_owned();
    (source, count_words(&walk.text), walk.variables)
}

/// Collects the translatable text and the `$variables` of a pattern.
#[derive(Default)]
struct Walk {
    text: String,
    variables: BTreeSet<String>,
}

impl Walk {
    fn pattern(&mut self, p: &ast::Pattern<&str>) {
        for element in &p.elements {
            match element {
                ast::PatternElement::TextElement { value } => self.text.push_str(value),
                ast::PatternElement::Placeable { expression } => self.expression(expression),
            }
            self.text.push(' ');
        }
    }

    fn expression(&mut self, e: &ast::Expression<&str>) {
        match e {
            ast::Expression::Inline(i) => self.inline(i),
            ast::Expression::Select { selector, variants } => {
                self.inline(selector);
                variants.iter().for_each(|v| self.pattern(&v.value));
            }
        }
    }

    fn inline(&mut self, e: &ast::InlineExpression<&str>) {
        match e {
            ast::InlineExpression::VariableReference { id } => {
                self.variables.insert(id.name.to_owned());
            }
            ast::InlineExpression::FunctionReference { arguments, .. } => self.arguments(arguments),
            ast::InlineExpression::TermReference {
                arguments: Some(arguments),
                ..
            } => self.arguments(arguments),
            ast::InlineExpression::Placeable { expression } => self.expression(expression),
            _ => {}
        }
    }

    fn arguments(&mut self, a: &ast::CallArguments<&str>) {
        a.positional.iter().for_each(|p| self.inline(p));
        a.named.iter().for_each(|n| self.inline(&n.value));
    }
}

/// Words as translators count them: whitespace-separated runs for Latin scripts, one per
/// character for Chinese and Japanese, which do not put spaces between words.
/// Runs of punctuation alone (`—`, `|`) are not words.
pub(super) fn count_words(text: &str) -> usize {
    let mut count = 0;
    for token in text.split_whitespace() {
        let mut run_has_letters = false;
        for c in token.chars() {
            if is_cjk(c) {
                count += usize::from(run_has_letters) + 1;
                run_has_letters = false;
            } else if c.is_alphanumeric() {
                run_has_letters = true;
            }
        }
        count += usize::from(run_has_letters);
    }
    count
}

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}'       // Hiragana, Katakana
        | '\u{3400}'..='\u{4dbf}'     // CJK Extension A
        | '\u{4e00}'..='\u{9fff}'     // CJK Unified Ideographs
        | '\u{f900}'..='\u{faff}'     // CJK Compatibility Ideographs
        | '\u{20000}'..='\u{2ebef}'   // Extensions B–F
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Catalog, Vec<Diagnostic>) {
        let mut catalog = Catalog::default();
        let problems = parse_into(
            &mut catalog,
            text.to_owned(),
            Path::new("locales/hnj/main.ftl"),
            false,
        );
        (catalog, problems)
    }

    #[test]
    fn words_are_counted_by_space_or_by_character() {
        assert_eq!(count_words("Chào mừng bạn đến với cổng thông tin"), 8);
        assert_eq!(count_words("欢迎访问门户网站"), 8);
        assert_eq!(count_words("第1页 — Trang 2"), 5);
        assert_eq!(count_words("  | — "), 0);
    }

    #[test]
    fn junk_points_at_the_error_and_names_the_message() {
        let (catalog, problems) = parse("ok = Fine\nbroken = { $n ->\n    [one] x\n}\nafter = y\n");
        assert!(catalog.entries.contains_key("ok"));
        assert!(catalog.entries.contains_key("after"));
        assert!(!catalog.entries.contains_key("broken"));
        assert!(problems.is_empty(), "{problems:?}");
        let junk = &catalog.junk[0];
        assert_eq!(junk.id.as_deref(), Some("broken"));
        assert_eq!(
            junk.diagnostic(Some("vi")).to_string(),
            "locales/hnj/main.ftl:4:1: warning: syntax error in `broken`: \
             the select expression must have a default variant\n  \
             help: until this is fixed, pages show `broken` from `vi`"
        );
    }

    #[test]
    fn duplicates_keep_the_first_and_name_it() {
        let (catalog, problems) = parse("a = one\n\n-brand = X\na = two\n");
        assert_eq!(catalog.entries["a"].source, "a = one");
        assert_eq!(catalog.entries["-brand"].at, LineCol { line: 3, col: 1 });
        assert_eq!(
            diag::render_all(&problems),
            "locales/hnj/main.ftl:4:1: warning: `a` is defined twice\n  \
             help: the first definition, at locales/hnj/main.ftl:1:1, is used; remove one of them\n"
        );
    }

    #[test]
    fn canonical_source_ignores_layout_and_comments() {
        let (a, _) = parse("# note\nhi =\n    Xin chào { $name }\n");
        let (b, _) = parse("hi = Xin chào {$name}\n");
        assert_eq!(a.entries["hi"].source, "hi = Xin chào { $name }");
        assert_eq!(a.entries["hi"].hash, b.entries["hi"].hash);
        assert_eq!(a.entries["hi"].hash.len(), 16);
        assert_eq!(a.entries["hi"].words, 2);
        assert!(a.entries["hi"].variables.contains("name"));
    }

    #[test]
    fn junk_ids_are_read_only_from_entry_starts() {
        assert_eq!(junk_id("broken = {"), Some("broken".into()));
        assert_eq!(junk_id("-brand= {"), Some("-brand".into()));
        assert_eq!(junk_id("g@Rb@ge = x"), None);
        assert_eq!(junk_id("  indented = x"), None);
    }

    #[test]
    fn non_utf8_and_nfd_files_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.ftl");
        fs::write(&bad, b"a = ok\nb = \xff\n").unwrap();
        let err = load_text(&bad, Path::new("locales/en/bad.ftl")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "locales/en/bad.ftl:2:5: error: file is not valid UTF-8\n  help: save the file as UTF-8"
        );
        let nfd = dir.path().join("nfd.ftl");
        fs::write(&nfd, "a = ok\nb = Vie\u{323}\u{302}t\n").unwrap();
        let (text, warnings) = load_text(&nfd, Path::new("locales/vi/nfd.ftl")).unwrap();
        assert_eq!(text, "a = ok\nb = Việt\n");
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].at, Some(LineCol { line: 2, col: 7 }));
    }
}
