//! The content model: kinds of page (news, document, event…) declared once in `kinds.toml`,
//! with typed fields under a page's `[extra]`, and the checks of pages against them.
//! Reads only the kinds files (the theme's, then the site's); uses `diag`, `config` and
//! `content` values; knows nothing of Markdown or templates.
//!
//! Where the declarations live: `themes/<theme>/kinds.toml` (when `theme` is set), then
//! `kinds.toml` at the site root. A kind the site declares replaces the theme's kind of the
//! same id; the site's `[common]` fields and `[types]` are added to (and replace) the theme's.

mod decl;
pub mod lunar;
pub mod new;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use crate::config::Config;
use crate::content::front_matter::Date;
use crate::content::{Library, Page};
use crate::diag::{Diagnostic, LineCol, LineIndex};

/// The file name of a kinds declaration, at a site's or a theme's root.
pub const KINDS_FILE: &str = "kinds.toml";

/// Every kind the site may use, with the fields any kinded page may have (`[common]`) and the
/// named table types fields can refer to (`[types]`).
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// In declaration order: the theme's first, then those only the site declares.
    pub kinds: Vec<Kind>,
    /// Fields every page may have under `[extra]`, whatever its kind (or none): checked when
    /// present; `required` ones only on pages with a kind. Other features declare their
    /// front-matter fields here (e.g. the editorial `status`), and get them checked.
    pub common: Fields,
    pub types: BTreeMap<String, Fields>,
    /// The kinds files read, relative to the site root.
    pub files: Vec<PathBuf>,
}

/// One kind of page, as `[kinds.<id>]` declares it.
#[derive(Debug, Clone)]
pub struct Kind {
    /// Stable English id, written as `kind = "<id>"` under `[extra]`.
    pub id: String,
    /// The Fluent message id of the kind's name, `kind-<id>` unless `label` says otherwise.
    pub label: String,
    pub fields: Fields,
    /// Line of `[kinds.<id>]` in its file.
    pub line: usize,
}

/// Fields in the order they are declared.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields(pub Vec<Field>);

impl Fields {
    pub fn get(&self, name: &str) -> Option<&Field> {
        self.0.iter().find(|f| f.name == name)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Field> {
        self.0.iter()
    }

    /// Adds `other`'s fields, replacing those of the same name.
    fn merge(&mut self, other: Fields) {
        for f in other.0 {
            match self.0.iter_mut().find(|g| g.name == f.name) {
                Some(slot) => *slot = f,
                None => self.0.push(f),
            }
        }
    }
}

/// One declared field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub ty: FieldType,
    pub required: bool,
    /// One line for `tre new --list` and the guide.
    pub help: Option<String>,
    /// For `lunar` fields: what a day 30 means in a year whose month has 29 days.
    pub short_month: ShortMonth,
    /// For a list of tables with a `lang` field (a video's captions): one entry must be in
    /// the page's language, or the page gets a warning.
    pub per_language: bool,
}

impl Field {
    fn new(name: String, ty: FieldType) -> Self {
        Self {
            name,
            ty,
            required: false,
            help: None,
            short_month: ShortMonth::Error,
            per_language: false,
        }
    }
}

/// What a lunar day 30 becomes in a year when that month has 29 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ShortMonth {
    /// It is an error naming the date.
    #[default]
    Error,
    /// The month's last day (the 29th).
    LastDay,
}

/// The type of a field's value.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldType {
    /// One line of text.
    String,
    /// Text that may run to paragraphs.
    Text,
    /// `2025-04-18` (a TOML date or a string).
    Date,
    /// `2025-04-18T08:00:00+07:00`.
    Datetime,
    Integer,
    /// An integer or a decimal number.
    Number,
    Bool,
    /// An absolute `http(s)://` address.
    Url,
    /// Another page, as `@/section/page.md` (or the same path without `@/`).
    Page,
    /// A picture: a path in `static/` or beside the page.
    Image,
    /// Any other file (video, captions, PDF): a path in `static/` or beside the page.
    Media,
    /// A day of the lunar calendar, `"15/1"` (15th of the first month) or `"15/4 nhuận"`.
    Lunar,
    Enum(Vec<String>),
    List(Box<FieldType>),
    Table(Fields),
    /// A table type declared under `[types]`.
    Named(String),
}

impl FieldType {
    /// How the type is written in `kinds.toml`, for `tre new --list`.
    pub fn describe(&self) -> String {
        match self {
            FieldType::String => "string".into(),
            FieldType::Text => "text".into(),
            FieldType::Date => "date".into(),
            FieldType::Datetime => "datetime".into(),
            FieldType::Integer => "integer".into(),
            FieldType::Number => "number".into(),
            FieldType::Bool => "bool".into(),
            FieldType::Url => "url".into(),
            FieldType::Page => "page".into(),
            FieldType::Image => "image".into(),
            FieldType::Media => "media".into(),
            FieldType::Lunar => "lunar".into(),
            FieldType::Enum(v) => format!("one of {}", v.join(", ")),
            FieldType::List(t) => format!("list of {}", t.describe()),
            FieldType::Table(f) => format!(
                "table {{ {} }}",
                f.iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            FieldType::Named(n) => n.clone(),
        }
    }
}

impl Model {
    pub fn kind(&self, id: &str) -> Option<&Kind> {
        self.kinds.iter().find(|k| k.id == id)
    }

    /// True when no kinds file was found: pages are then not checked, as in Zola.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    fn add(&mut self, file: PathBuf, declared: decl::Declared) {
        for k in declared.kinds {
            match self.kinds.iter_mut().find(|o| o.id == k.id) {
                Some(slot) => *slot = k,
                None => self.kinds.push(k),
            }
        }
        self.common.merge(declared.common);
        self.types.extend(declared.types);
        self.files.push(file);
    }
}

/// Reads the theme's and the site's kinds files. No file at all is an empty model.
pub fn load(root: &Path, config: &Config) -> Result<Model, Vec<Diagnostic>> {
    let mut candidates = Vec::new();
    if let Some(theme) = config.theme.as_deref().filter(|t| !t.is_empty()) {
        candidates.push(PathBuf::from(format!("themes/{theme}/{KINDS_FILE}")));
    }
    candidates.push(PathBuf::from(KINDS_FILE));
    let mut model = Model::default();
    let mut problems = Vec::new();
    for rel in candidates {
        let path = root.join(&rel);
        if !path.is_file() {
            continue;
        }
        let text = fs::read_to_string(&path).map_err(|e| {
            vec![Diagnostic::error(
                &rel,
                None,
                format!("cannot read the kinds file: {e}"),
            )]
        })?;
        match decl::parse(&rel, &text) {
            Ok(d) => model.add(rel, d),
            Err(mut e) => problems.append(&mut e),
        }
    }
    if problems.is_empty() {
        Ok(model)
    } else {
        Err(problems)
    }
}

pub use crate::text::closest;

/// One step of the way from `[extra]` to a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A problem with a value, before it gets a file position.
#[derive(Debug, Clone)]
pub struct Problem {
    /// From the front matter's root: `extra`, `attachments`, 0, `size`.
    pub path: Vec<Seg>,
    /// Point at the key (unknown field) rather than at the value.
    pub at_key: bool,
    pub message: String,
    pub help: Option<String>,
    /// An error even without `--strict` (a lunar date that does not exist this year).
    pub is_error: bool,
}

fn dotted(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

fn found(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("{s:?}"),
        toml::Value::Array(_) => "a list".into(),
        toml::Value::Table(_) => "a table".into(),
        other => other.to_string(),
    }
}

/// Where page paths point, for `page` fields.
pub trait Pages {
    fn has_page(&self, relative: &str) -> bool;
}

impl Pages for Library {
    fn has_page(&self, relative: &str) -> bool {
        self.get(relative).is_some()
    }
}

/// Checks values against declarations. `model` resolves named types; `pages` checks `page`
/// fields. Other modules call [`Checker::value`] or [`Checker::table`] for their own fields.
pub struct Checker<'a> {
    pub model: &'a Model,
    pub pages: &'a dyn Pages,
    /// The lunar year `lunar` fields must exist in (the build's year), if any.
    pub year: Option<i32>,
}

impl Checker<'_> {
    /// Checks one value against its field; problems carry `path` (where the value is).
    pub fn value(&self, field: &Field, v: &toml::Value, path: &[Seg], out: &mut Vec<Problem>) {
        self.typed(&field.ty, v, path, out);
        let day = v.as_str().and_then(lunar::LunarDay::parse);
        if let (FieldType::Lunar, Some(day), Some(year), ShortMonth::Error) =
            (&field.ty, day, self.year, field.short_month)
        {
            let e = lunar::to_solar(day, year, lunar::VIETNAM, false);
            if let Err(e @ lunar::LunarError::ShortMonth { .. }) = e {
                out.push(Problem {
                    path: path.to_vec(),
                    at_key: false,
                    message: e.to_string(),
                    help: Some(format!(
                        "pick another day, or let the day move to the month's last day with \
                         short_month = \"last-day\" on `{}` in kinds.toml",
                        field.name
                    )),
                    is_error: true,
                });
            }
        }
    }

    fn typed(&self, ty: &FieldType, v: &toml::Value, path: &[Seg], out: &mut Vec<Problem>) {
        use toml::Value as V;
        let name = dotted(path);
        let bad = |what: &str, help: String| Problem {
            path: path.to_vec(),
            at_key: false,
            message: format!("`{name}` must be {what}, found {}", found(v)),
            help: Some(help),
            is_error: false,
        };
        let last = match path.last() {
            Some(Seg::Key(k)) => k.clone(),
            _ => "value".into(),
        };
        match (ty, v) {
            (FieldType::String | FieldType::Text, V::String(_)) => {}
            (FieldType::String | FieldType::Text, _) => {
                out.push(bad("text", format!("write {last} = \"…\", in quotes")))
            }
            (FieldType::Date, V::Datetime(d)) if d.date.is_some() && d.time.is_none() => {}
            (FieldType::Date, V::String(s))
                if chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() => {}
            (FieldType::Date, _) => out.push(bad("a date", "write dates as 2025-04-18".into())),
            (FieldType::Datetime, V::Datetime(d)) if d.date.is_some() => {}
            (FieldType::Datetime, V::String(s)) if Date::parse(s).is_some() => {}
            (FieldType::Datetime, _) => out.push(bad(
                "a date and time",
                "write 2025-04-18T08:00:00+07:00".into(),
            )),
            (FieldType::Integer, V::Integer(_)) => {}
            (FieldType::Integer, _) => {
                out.push(bad("a whole number", "write a number such as 12, without quotes".into()))
            }
            (FieldType::Number, V::Integer(_) | V::Float(_)) => {}
            (FieldType::Number, _) => {
                out.push(bad("a number", "write a number such as 22.15, without quotes".into()))
            }
            (FieldType::Bool, V::Boolean(_)) => {}
            (FieldType::Bool, _) => {
                out.push(bad("true or false", "write true or false, without quotes".into()))
            }
            (FieldType::Url, V::String(s))
                if s.starts_with("https://") || s.starts_with("http://") => {}
            (FieldType::Url, _) => out.push(bad(
                "a web address",
                "write the full address, starting with https://".into(),
            )),
            (FieldType::Page, V::String(s)) => {
                let rel = s.strip_prefix("@/").unwrap_or(s);
                if !self.pages.has_page(rel) {
                    out.push(Problem {
                        path: path.to_vec(),
                        at_key: false,
                        message: format!("`{name}` names no page: {s:?}"),
                        help: Some(
                            "write the path of a file in content/, as @/tin-tuc/bai-viet.md".into(),
                        ),
                        is_error: false,
                    });
                }
            }
            (FieldType::Page, _) => out.push(bad(
                "a page path",
                "write the path of a file in content/, as @/tin-tuc/bai-viet.md".into(),
            )),
            (FieldType::Image | FieldType::Media, V::String(s)) if !s.trim().is_empty() => {}
            (FieldType::Image | FieldType::Media, _) => out.push(bad(
                "a file path",
                "write a path in static/ or beside the page, as images/anh.jpg".into(),
            )),
            (FieldType::Lunar, V::String(s)) if lunar::LunarDay::parse(s).is_some() => {}
            (FieldType::Lunar, _) => out.push(bad(
                "a lunar date",
                "write \"15/1\" for the 15th day of the first month, \"15/4 nhuận\" for a leap month"
                    .into(),
            )),
            (FieldType::Enum(values), V::String(s)) if values.contains(s) => {}
            (FieldType::Enum(values), _) => {
                let list = values.join(", ");
                let help = match v.as_str().and_then(|s| closest(s, values.iter().map(String::as_str))) {
                    Some(near) => format!("did you mean \"{near}\"? allowed: {list}"),
                    None => format!("allowed: {list}"),
                };
                out.push(bad("one of the allowed values", help));
            }
            (FieldType::List(inner), V::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let mut p = path.to_vec();
                    p.push(Seg::Index(i));
                    self.typed(inner, item, &p, out);
                }
            }
            (FieldType::List(_), _) => {
                out.push(bad("a list", format!("write {last} = [ … ], or [[extra.{last}]] tables")))
            }
            (FieldType::Table(fields), V::Table(t)) => self.table(fields, t, path, None, out),
            (FieldType::Named(n), V::Table(t)) => {
                if let Some(fields) = self.model.types.get(n) {
                    self.table(fields, t, path, None, out);
                }
            }
            (FieldType::Table(_) | FieldType::Named(_), _) => {
                out.push(bad("a table", format!("write {last} = {{ … }}")))
            }
        }
    }

    /// Checks a table's keys against `fields`: unknown keys, wrong types, missing required
    /// fields (reported at `required_at`, or at the table). `also` are further fields the
    /// table may have (the common ones, beside a kind's).
    pub fn table(
        &self,
        fields: &Fields,
        t: &toml::Table,
        path: &[Seg],
        also: Option<&Fields>,
        out: &mut Vec<Problem>,
    ) {
        for (k, v) in t {
            let mut p = path.to_vec();
            p.push(Seg::Key(k.clone()));
            match fields.get(k).or_else(|| also.and_then(|a| a.get(k))) {
                Some(f) => {
                    self.value(f, v, &p, out);
                    self.alt_text(f, k, v, t, fields, &p, out);
                }
                None => {
                    let names = fields.iter().chain(also.into_iter().flat_map(Fields::iter));
                    let names: Vec<&str> = names.map(|f| f.name.as_str()).collect();
                    let help = match closest(k, names.iter().copied()) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => format!("fields here: {}", names.join(", ")),
                    };
                    out.push(Problem {
                        path: p,
                        at_key: true,
                        message: format!(
                            "unknown field `{}`",
                            dotted(&{
                                let mut q = path.to_vec();
                                q.push(Seg::Key(k.clone()));
                                q
                            })
                        ),
                        help: Some(help),
                        is_error: false,
                    });
                }
            }
        }
        for f in fields
            .iter()
            .filter(|f| f.required && !t.contains_key(&f.name))
        {
            out.push(Problem {
                path: path.to_vec(),
                at_key: true,
                message: format!("missing required field `{}`", {
                    let mut q = path.to_vec();
                    q.push(Seg::Key(f.name.clone()));
                    dotted(&q)
                }),
                help: Some(format!("add {} = … ({})", f.name, f.ty.describe())),
                is_error: false,
            });
        }
    }

    /// A picture with an `alt` (or `<name>_alt`) field declared beside it must have the text.
    #[allow(clippy::too_many_arguments, reason = "one call site, all needed")]
    fn alt_text(
        &self,
        f: &Field,
        key: &str,
        v: &toml::Value,
        t: &toml::Table,
        fields: &Fields,
        path: &[Seg],
        out: &mut Vec<Problem>,
    ) {
        let (FieldType::Image, Some(file)) = (&f.ty, v.as_str()) else {
            return;
        };
        let alt_key = [format!("{key}_alt"), "alt".to_string()]
            .into_iter()
            .find(|a| fields.get(a).is_some() || self.model.common.get(a).is_some());
        let Some(alt_key) = alt_key else { return };
        let has_alt = t
            .get(&alt_key)
            .and_then(|a| a.as_str())
            .is_some_and(|a| !a.trim().is_empty());
        if !has_alt {
            out.push(Problem {
                path: path.to_vec(),
                at_key: false,
                message: format!("picture {file:?} has no alt text"),
                help: Some(format!(
                    "add {alt_key} = \"…\", what the picture shows, for readers who cannot see it"
                )),
                is_error: false,
            });
        }
    }

    /// Checks a page's `[extra]` against its kind and the common fields; `lang` is the page's
    /// language, for `per_language` fields.
    pub fn page_extra(&self, extra: &toml::Table, lang: &str) -> Vec<Problem> {
        let mut out = Vec::new();
        let root = [Seg::Key("extra".into())];
        let Some(kind_value) = extra.get("kind") else {
            // No kind: only the common fields it has are checked.
            for (k, v) in extra {
                if let Some(f) = self.model.common.get(k) {
                    let p = [root[0].clone(), Seg::Key(k.clone())];
                    self.value(f, v, &p, &mut out);
                }
            }
            return out;
        };
        let kind_path = vec![root[0].clone(), Seg::Key("kind".into())];
        let ids = || self.model.kinds.iter().map(|k| k.id.as_str());
        let Some(kind) = kind_value.as_str().and_then(|id| self.model.kind(id)) else {
            let list = ids().collect::<Vec<_>>().join(", ");
            let near = kind_value.as_str().and_then(|id| closest(id, ids()));
            out.push(Problem {
                path: kind_path,
                at_key: false,
                message: format!("unknown kind {}", found(kind_value)),
                help: Some(match near {
                    Some(n) => format!("did you mean \"{n}\"? kinds: {list}"),
                    None => format!("kinds: {list}"),
                }),
                is_error: false,
            });
            return out;
        };
        let mut rest = extra.clone();
        rest.remove("kind");
        let mut problems = Vec::new();
        self.table(
            &kind.fields,
            &rest,
            &root,
            Some(&self.model.common),
            &mut problems,
        );
        let required: Vec<&Field> = self
            .model
            .common
            .iter()
            .filter(|f| f.required && !rest.contains_key(&f.name))
            .collect();
        for f in required {
            problems.push(Problem {
                path: root.to_vec(),
                at_key: true,
                message: format!("missing required field `extra.{}`", f.name),
                help: Some(format!("add {} = … ({})", f.name, f.ty.describe())),
                is_error: false,
            });
        }
        // A missing field is reported at `kind = …`, the line that asks for it.
        for p in &mut problems {
            if p.message.starts_with("missing required field") && p.path.len() == 1 {
                p.path = kind_path.clone();
                p.at_key = true;
                p.message = format!("kind \"{}\": {}", kind.id, p.message);
            }
        }
        out.append(&mut problems);
        for f in kind.fields.iter().filter(|f| f.per_language) {
            out.extend(missing_language(f, &kind.fields, &rest, lang));
        }
        out
    }
}

/// A `per_language` field without an entry in the page's language: a warning naming the file
/// the entries belong to (the video), at the field or, when it is absent, at `kind`.
fn missing_language(
    field: &Field,
    fields: &Fields,
    extra: &toml::Table,
    lang: &str,
) -> Option<Problem> {
    let entries = extra.get(&field.name).and_then(toml::Value::as_array);
    let has_lang = entries
        .into_iter()
        .flatten()
        .any(|e| e.get("lang").and_then(toml::Value::as_str) == Some(lang));
    if has_lang {
        return None;
    }
    // The file the entries are for: the kind's first `media` field the page has (the video).
    let subject = fields
        .iter()
        .filter(|f| f.ty == FieldType::Media)
        .find_map(|f| extra.get(&f.name).map(|v| (&f.name, v)))
        .filter(|(_, v)| v.as_str().is_some_and(|s| !s.trim().is_empty()));
    let what = match subject {
        Some((k, v)) => format!("{k} {}", found(v)),
        None => "this page".to_string(),
    };
    let path = if entries.is_some() {
        vec![Seg::Key("extra".into()), Seg::Key(field.name.clone())]
    } else {
        vec![Seg::Key("extra".into()), Seg::Key("kind".into())]
    };
    Some(Problem {
        path,
        at_key: true,
        message: format!(
            "{what} has no {} in the page's language ({lang})",
            field.name
        ),
        help: Some(format!(
            "add [[extra.{}]] with lang = \"{lang}\", so readers who cannot hear it can follow",
            field.name
        )),
        is_error: false,
    })
}

impl Model {
    /// Checks every page of the library that is not a content-fallback copy. Problems are
    /// warnings; `strict` makes them errors.
    /// `year`: the lunar year `lunar` fields must exist in (the build's).
    pub fn check_library(&self, library: &Library, strict: bool, year: i32) -> Vec<Diagnostic> {
        if self.is_empty() {
            return Vec::new();
        }
        let checker = Checker {
            model: self,
            pages: library,
            year: Some(year),
        };
        let mut out = Vec::new();
        for page in library.pages.iter().filter(|p| p.fallback.is_none()) {
            let problems = checker.page_extra(&page.meta.extra, &page.source.lang);
            if !problems.is_empty() {
                out.extend(locate_all(page, problems, strict));
            }
        }
        crate::diag::sort(&mut out);
        out
    }
}

/// Gives problems their file positions, parsing the front matter again only now.
fn locate_all(page: &Page, problems: Vec<Problem>, strict: bool) -> Vec<Diagnostic> {
    let text = &page.source.text;
    let split = crate::content::front_matter::split(&page.source.file, text).ok();
    let index = LineIndex::new(text);
    let (fm, fm_start, is_yaml) = split
        .as_ref()
        .map_or(("", 0, false), |s| (s.front_matter, s.fm_start, s.is_yaml));
    let tree = if is_yaml {
        None
    } else {
        DeTable::parse(fm).ok()
    };
    problems
        .into_iter()
        .map(|p| {
            let offset = match &tree {
                Some(t) => span_of(t.get_ref(), &p.path, p.at_key),
                None => yaml_offset(fm, &p.path),
            };
            let at = offset.map(|o| index.locate(fm_start + o)).or(Some(LineCol {
                line: index.locate(fm_start).line,
                col: 1,
            }));
            let mut d = if strict || p.is_error {
                Diagnostic::error(&page.source.file, at, p.message)
            } else {
                Diagnostic::warning(&page.source.file, at, p.message)
            };
            d.help = p.help;
            d
        })
        .collect()
}

/// Byte offset (in the front matter) of the key or the value at `path`.
fn span_of(root: &DeTable, path: &[Seg], at_key: bool) -> Option<usize> {
    let mut value: Option<&toml::Spanned<DeValue>> = None;
    let mut key_at = None;
    for seg in path {
        let table = match value.map(|v| v.get_ref()) {
            None => Some(root),
            Some(DeValue::Table(t)) => Some(t),
            Some(_) => None,
        };
        match (seg, table, value.map(|v| v.get_ref())) {
            (Seg::Key(k), Some(t), _) => {
                let (key, v) = t.get_key_value(k.as_str())?;
                key_at = Some(key.span().start);
                value = Some(v);
            }
            (Seg::Index(i), _, Some(DeValue::Array(a))) => {
                let v = a.get(*i)?;
                key_at = Some(v.span().start);
                value = Some(v);
            }
            _ => return None,
        }
    }
    if at_key {
        key_at
    } else {
        value.map(|v| v.span().start)
    }
}

/// For YAML front matter: the line of the last key of `path`, found by its text.
fn yaml_offset(fm: &str, path: &[Seg]) -> Option<usize> {
    let key = path.iter().rev().find_map(|s| match s {
        Seg::Key(k) => Some(k.as_str()),
        Seg::Index(_) => None,
    })?;
    let mut pos = 0;
    for line in fm.split_inclusive('\n') {
        let t = line.trim_start().trim_start_matches("- ");
        if t.strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with(':'))
        {
            return Some(pos + line.len() - line.trim_start().len());
        }
        pos += line.len();
    }
    None
}
