//! Loading the site's and theme's Tera templates, with every syntax error reported at its
//! line and column, plus Tre's built-in templates for what the site does not provide.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::Path;

use tera::Tera;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diag::{self, Diagnostic, LineCol};
use crate::markdown::ShortcodeKind;

use super::data::Lists;
use super::reads::ListedReads;

/// Parsed templates, ready to have functions bound and render.
#[derive(Clone)]
pub struct Templates {
    pub tera: Tera,
    /// Shortcode name → kind, from `templates/shortcodes/*.{md,html}`.
    pub shortcodes: HashMap<String, ShortcodeKind>,
    /// For each template, the heavy fields its whole chain (extends, include, import) names.
    uses: HashMap<String, Vec<&'static str>>,
    /// Each template's source text by name, so `serve` can tell which ones an edit touched.
    pub sources: HashMap<String, String>,
    /// Which fields of listed pages each template can read, from their syntax trees.
    listed: ListedReads,
}

/// Values that are costly to copy into a context; left out where no template names them. Which
/// fields of each listed page a template reads is `list_fields`, from the syntax trees.
pub const HEAVY_FIELDS: [&str; 3] = ["pages", "lower", "higher"];

/// The spellings of a term's own list: a paginated term gets `term.pages` beside `paginator`
/// only when its templates read it (see `Renderer::term_lists`).
pub const TERM_PAGES: [&str; 4] = ["term.pages", "term[", "term |", "term|"];

impl Templates {
    /// Whether a body can reach the site through a template: only shortcodes and a site's own
    /// `anchor-link.html` render inside a body (the built-in reads nothing but the heading).
    pub fn bodies_reach_site(&self) -> bool {
        let builtin_anchor = super::builtins::ALL
            .iter()
            .find(|(n, _)| *n == "anchor-link.html")
            .map(|(_, text)| *text);
        !self.shortcodes.is_empty()
            || self.sources.get("anchor-link.html").map(String::as_str) != builtin_anchor
    }

    /// Whether `template`, or anything it extends, includes or imports, mentions `field`.
    /// A plain text search: it errs on the side of "yes".
    pub fn uses(&self, template: &str, field: &str) -> bool {
        self.uses.get(template).is_none_or(|u| u.contains(&field))
    }

    /// How much of each listed page `template` gets, in its context's lists and from
    /// `get_section`: the fields its chain may read.
    pub fn list_fields(&self, template: &str) -> Lists {
        self.listed.lists(template)
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    /// Reads `templates/` of the theme, then of the site (which wins), then fills in built-ins.
    pub fn load(root: &Path, config: &Config) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources: BTreeMap<String, (String, String)> = BTreeMap::new();
        for (name, text) in super::builtins::ALL {
            sources.insert(
                name.to_string(),
                (format!("(built-in {name})"), text.to_string()),
            );
        }
        let mut errors = Vec::new();
        let mut theme = BTreeMap::new();
        if let (Some(theme_dir), Some(theme_name)) = (config.theme_dir(), &config.theme) {
            read_dir(root, &theme_dir.join("templates"), &mut theme, &mut errors);
            // Zola: theme templates stay reachable as `<theme>/templates/<name>`, so a site
            // template can extend the one it replaces.
            let full: Vec<_> = theme
                .iter()
                .map(|(n, v)| (format!("{theme_name}/templates/{n}"), v.clone()))
                .collect();
            theme.extend(full);
        }
        sources.extend(theme);
        read_dir(root, &root.join("templates"), &mut sources, &mut errors);
        // Parse each template alone first, so every syntax error is reported, not just the first.
        for (name, (file, text)) in &sources {
            if let Err(e) = tera::Template::new(name, None, text) {
                errors.push(tera_parse_error(file, &e));
            }
        }
        // A theme template is checked under both its names; report it once.
        errors.dedup_by(|a, b| a.file == b.file && a.at == b.at && a.message == b.message);
        if !errors.is_empty() {
            diag::sort(&mut errors);
            return Err(errors);
        }
        let mut tera = Tera::default();
        let files: HashMap<String, String> = sources
            .iter()
            .map(|(n, (f, _))| (n.clone(), f.clone()))
            .collect();
        tera.add_raw_templates(sources.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())))
            .map_err(|e| {
                let msg = error_chain(&e);
                let file = files
                    .iter()
                    .find(|(n, _)| msg.contains(n.as_str()))
                    .map_or("templates".to_string(), |(_, f)| f.clone());
                vec![
                    Diagnostic::error(file, None, format!("template: {msg}")).with_help(
                        "check `extends`, `import` and `include` names against templates/",
                    ),
                ]
            })?;
        let loops: Vec<Diagnostic> = super::recursion::cycles(&tera)
            .into_iter()
            .map(|(name, chain)| {
                let file = files.get(&name).cloned().unwrap_or(name);
                Diagnostic::error(
                    file,
                    None,
                    format!("template: an include or macro call never ends: {chain}"),
                )
                .with_help(
                    "put the call that repeats under an {% if %} that turns false, or remove it",
                )
            })
            .collect();
        if !loops.is_empty() {
            return Err(loops);
        }
        let listed = ListedReads::of(&tera);
        super::recursion::guard(&mut tera);
        let shortcodes = sources
            .keys()
            .filter_map(|n| {
                let rest = n.strip_prefix("shortcodes/")?;
                let (name, kind) = if let Some(s) = rest.strip_suffix(".html") {
                    (s, ShortcodeKind::Html)
                } else {
                    (rest.strip_suffix(".md")?, ShortcodeKind::Markdown)
                };
                Some((name.to_string(), kind))
            })
            .collect();
        let uses = field_uses(&sources);
        let sources = sources.into_iter().map(|(n, (_, t))| (n, t)).collect();
        Ok(Templates {
            tera,
            shortcodes,
            uses,
            sources,
            listed,
        })
    }
}

/// Whether a template's text may read `field`: as `x.field`, `["field"]` or `get(key="field")`,
/// or through `json_encode`, which reads everything. A bare word is not a read, so
/// `{% block content %}` does not make every list carry its pages' rendered bodies.
fn mentions(text: &str, field: &str) -> bool {
    if !field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return text.contains(field);
    }
    if text.contains("json_encode") {
        return true;
    }
    text.match_indices(field).any(|(at, _)| {
        let before = text[..at].trim_end();
        let after = &text[at + field.len()..];
        if before.ends_with('.') {
            return true;
        }
        // `["field"]` or `key="field"`, not `class="field"`.
        ['"', '\''].into_iter().any(|q| {
            before.strip_suffix(q).is_some_and(|b| {
                let b = b.trim_end();
                b.ends_with('[')
                    || b.strip_suffix('=')
                        .is_some_and(|k| k.trim_end().ends_with("key"))
            }) && after.starts_with(q)
        })
    })
}

/// Which heavy fields each template's chain mentions.
fn field_uses(sources: &BTreeMap<String, (String, String)>) -> HashMap<String, Vec<&'static str>> {
    static REFS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        #[allow(clippy::expect_used, reason = "a constant pattern")]
        regex::Regex::new(r#"\{%-?\s*(?:extends|include|import)\s+([^%]*)%\}"#)
            .expect("valid regex")
    });
    static QUOTED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        #[allow(clippy::expect_used, reason = "a constant pattern")]
        regex::Regex::new(r#"["'`]([^"'`]+)["'`]"#).expect("valid regex")
    });
    let direct: HashMap<&str, Vec<String>> = sources
        .iter()
        .map(|(name, (_, text))| {
            let refs = REFS
                .captures_iter(text)
                .flat_map(|c| {
                    let tag = c.get(1).map_or("", |m| m.as_str()).to_string();
                    QUOTED
                        .captures_iter(&tag)
                        .filter_map(|q| q.get(1).map(|m| m.as_str().to_string()))
                        .collect::<Vec<_>>()
                })
                .collect();
            (name.as_str(), refs)
        })
        .collect();
    sources
        .keys()
        .map(|name| {
            let mut seen = vec![name.as_str()];
            let mut i = 0;
            while let Some(&cur) = seen.get(i) {
                for r in direct.get(cur).into_iter().flatten() {
                    if let Some((k, _)) = sources.get_key_value(r.as_str())
                        && !seen.contains(&k.as_str())
                    {
                        seen.push(k.as_str());
                    }
                }
                i += 1;
            }
            let used = HEAVY_FIELDS
                .into_iter()
                .chain(TERM_PAGES)
                .filter(|f| {
                    seen.iter()
                        .any(|t| sources.get(*t).is_some_and(|(_, text)| mentions(text, f)))
                })
                .collect();
            (name.clone(), used)
        })
        .collect()
}

fn read_dir(
    root: &Path,
    dir: &Path,
    sources: &mut BTreeMap<String, (String, String)>,
    errors: &mut Vec<Diagnostic>,
) {
    if !dir.is_dir() {
        return;
    }
    // Hidden files and folders and editors' leftovers (`.#page.html`, `page.html~`) are not
    // templates; an Emacs lock file is a dangling link that would fail the build.
    for entry in WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !crate::text::is_hidden(&e.file_name().to_string_lossy())
        })
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let Ok(rel) = path.strip_prefix(dir) else {
            continue;
        };
        let name = rel.to_string_lossy().replace('\\', "/");
        let file = diag::relative(root, path).to_string_lossy().into_owned();
        match fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => {
                    sources.insert(name, (file, crate::text::nfc(&text).into_owned()));
                }
                Err(_) => errors.push(
                    Diagnostic::error(&file, None, "the template is not valid UTF-8")
                        .with_help("save it as UTF-8"),
                ),
            },
            Err(e) => errors.push(Diagnostic::error(&file, None, format!("cannot read: {e}"))),
        }
    }
}

/// Tera's parse errors carry ` --> line:col` inside their cause.
fn tera_parse_error(file: &str, e: &tera::Error) -> Diagnostic {
    let chain = error_chain(e);
    let at = chain.split(" --> ").nth(1).and_then(|rest| {
        let pos: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ':')
            .collect();
        let (l, c) = pos.split_once(':')?;
        Some(LineCol {
            line: l.parse().ok()?,
            col: c.parse().ok()?,
        })
    });
    let detail = chain
        .lines()
        .filter(|l| l.trim_start().starts_with('=') || l.contains("expected"))
        .map(|l| l.trim().trim_start_matches("= ").to_string())
        .collect::<Vec<_>>()
        .join("; ");
    let msg = if detail.is_empty() {
        chain.lines().next().unwrap_or("").to_string()
    } else {
        detail
    };
    Diagnostic::error(file, at, format!("template syntax: {msg}"))
        .with_help("see the Tera documentation for the syntax of tags and expressions")
}

/// The whole cause chain of a Tera error, as Tera puts the useful part in the causes.
pub fn error_chain(e: &tera::Error) -> String {
    use std::error::Error as _;
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(c) = cur {
        parts.push(c.to_string());
        cur = c.source();
    }
    // The stack guard is ours, not a function the template calls: name only its finding.
    parts.retain(|p| !p.starts_with(super::recursion::GUARD_FAILED));
    parts.join(": ")
}

#[cfg(test)]
mod mention_tests {
    use super::mentions;

    #[test]
    fn a_block_name_is_not_a_read_but_fields_keys_and_json_encode_are() {
        assert!(!mentions(
            "{% block content %}{% endblock content %}",
            "content"
        ));
        assert!(!mentions(r#"<div class="content">"#, "content"));
        assert!(mentions("{{ page.content | safe }}", "content"));
        assert!(mentions("{{ page . content }}", "content"));
        assert!(mentions(r#"{{ page["content"] }}"#, "content"));
        assert!(mentions(r#"{{ page | get(key='content') }}"#, "content"));
        assert!(mentions("{{ section.pages | json_encode }}", "toc"));
        assert!(mentions("{% for p in term.pages %}", "term.pages"));
        assert!(!mentions("{{ term.name }}", "term.pages"));
    }
}
