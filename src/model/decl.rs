//! Reading `kinds.toml`: kinds, their typed fields, the common fields and named table types,
//! with every mistake in the declaration reported at its line and column.

use std::collections::BTreeMap;
use std::path::Path;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{Field, FieldType, Fields, Kind, ShortMonth};
use crate::diag::{Diagnostic, LineIndex};

/// What one kinds file declares, before the theme's and the site's are merged.
#[derive(Default)]
pub(super) struct Declared {
    pub kinds: Vec<Kind>,
    pub common: Fields,
    pub types: BTreeMap<String, Fields>,
}

/// The scalar type names a field may have, as written in `type = "…"`.
pub(super) const SCALARS: &[&str] = &[
    "string", "text", "date", "datetime", "integer", "number", "bool", "url", "page", "image",
    "media", "lunar", "enum", "list", "table",
];

struct Ctx<'a> {
    file: &'a Path,
    index: LineIndex<'a>,
    problems: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn error(&mut self, offset: usize, message: String, help: Option<String>) {
        let mut d = Diagnostic::error(self.file, Some(self.index.locate(offset)), message);
        d.help = help;
        self.problems.push(d);
    }
}

/// Parses one kinds file. `file` is relative to the site root, for diagnostics.
pub(super) fn parse(file: &Path, text: &str) -> Result<Declared, Vec<Diagnostic>> {
    let index = LineIndex::new(text);
    let root =
        DeTable::parse(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            let at = index.locate(span.start);
            let message = match text.get(span) {
                Some(key) if e.message().contains("duplicate key") => {
                    format!("kinds: `{}` is declared twice", key.trim())
                }
                _ => format!("kinds: {}", e.message().trim_end()),
            };
            vec![Diagnostic::error(file, Some(at), message).with_help(
                "declare each kind and field once: [kinds.<id>], with [kinds.<id>.fields]",
            )]
        })?;
    let mut cx = Ctx {
        file,
        index,
        problems: Vec::new(),
    };
    let mut out = Declared::default();
    // Named table types first, so fields can refer to them wherever they are declared.
    if let Some(types) = table_of(&mut cx, root.get_ref(), "types") {
        for (name, _) in sorted(types) {
            if SCALARS.contains(&name.get_ref().as_ref()) {
                cx.error(
                    name.span().start,
                    format!(
                        "kinds: type `{}` has the name of a built-in type",
                        name.get_ref()
                    ),
                    Some("give the table type another name".into()),
                );
                continue;
            }
            out.types
                .insert(name.get_ref().to_string(), Fields::default());
        }
    }
    let type_names: Vec<String> = out.types.keys().cloned().collect();
    if let Some(types) = table_of(&mut cx, root.get_ref(), "types") {
        for (name, v) in sorted(types) {
            if let Some(slot) = out.types.get_mut(name.get_ref().as_ref()) {
                *slot = fields(&mut cx, v, &type_names);
            }
        }
    }
    if let Some(common) = root.get_ref().get("common") {
        out.common = fields(&mut cx, common, &type_names);
    }
    if let Some(kinds) = table_of(&mut cx, root.get_ref(), "kinds") {
        for (id, v) in sorted(kinds) {
            if let Some(kind) = kind(&mut cx, id, v, &type_names) {
                out.kinds.push(kind);
            }
        }
    }
    for (key, _) in root.get_ref().iter() {
        if !["types", "common", "kinds"].contains(&key.get_ref().as_ref()) {
            cx.error(
                key.span().start,
                format!("kinds: unknown table `{}`", key.get_ref()),
                Some("a kinds file has [kinds.<id>], [common] and [types.<name>]".into()),
            );
        }
    }
    if cx.problems.is_empty() {
        Ok(out)
    } else {
        Err(cx.problems)
    }
}

/// Entries in the order they are written (the map keeps them sorted by key).
fn sorted<'t, 'i>(
    table: &'t DeTable<'i>,
) -> Vec<(
    &'t Spanned<toml::de::DeString<'i>>,
    &'t Spanned<DeValue<'i>>,
)> {
    let mut v: Vec<_> = table.iter().collect();
    v.sort_by_key(|(k, _)| k.span().start);
    v
}

fn table_of<'t, 'i>(cx: &mut Ctx, parent: &'t DeTable<'i>, key: &str) -> Option<&'t DeTable<'i>> {
    let v = parent.get(key)?;
    match v.get_ref() {
        DeValue::Table(t) => Some(t),
        _ => {
            cx.error(
                v.span().start,
                format!("kinds: `{key}` must be a table"),
                None,
            );
            None
        }
    }
}

fn kind(
    cx: &mut Ctx,
    id: &Spanned<toml::de::DeString>,
    v: &Spanned<DeValue>,
    types: &[String],
) -> Option<Kind> {
    let name = id.get_ref().to_string();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        cx.error(
            id.span().start,
            format!("kinds: kind id `{name}` must be lower-case ASCII letters, digits, `-` or `_`"),
            Some("kind ids are stable English words, such as `news` or `event`".into()),
        );
        return None;
    }
    let DeValue::Table(t) = v.get_ref() else {
        cx.error(
            v.span().start,
            format!("kinds: kind `{name}` must be a table"),
            Some(format!(
                "write [kinds.{name}] with its fields under [kinds.{name}.fields]"
            )),
        );
        return None;
    };
    let mut kind = Kind {
        label: format!("kind-{name}"),
        id: name.clone(),
        fields: Fields::default(),
        line: cx.index.locate(id.span().start).line,
    };
    for (key, value) in sorted(t) {
        match (key.get_ref().as_ref(), value.get_ref()) {
            ("label", DeValue::String(s)) => kind.label = s.to_string(),
            ("fields", _) => kind.fields = fields(cx, value, types),
            ("label", _) => cx.error(
                value.span().start,
                format!(
                    "kinds: `{}` of kind `{name}` must be a string",
                    key.get_ref()
                ),
                None,
            ),
            (other, _) => cx.error(
                key.span().start,
                format!("kinds: kind `{name}` has an unknown key `{other}`"),
                Some("a kind has `label` and `fields`".into()),
            ),
        }
    }
    Some(kind)
}

fn fields(cx: &mut Ctx, v: &Spanned<DeValue>, types: &[String]) -> Fields {
    let DeValue::Table(t) = v.get_ref() else {
        cx.error(
            v.span().start,
            "kinds: fields must be a table of `name = { type = \"…\" }`".into(),
            None,
        );
        return Fields::default();
    };
    let mut out = Vec::new();
    for (name, decl) in sorted(t) {
        if let Some(f) = field(cx, name, decl, types) {
            out.push(f);
        }
    }
    Fields(out)
}

fn field(
    cx: &mut Ctx,
    name: &Spanned<toml::de::DeString>,
    decl: &Spanned<DeValue>,
    types: &[String],
) -> Option<Field> {
    let fname = name.get_ref().to_string();
    let t = match decl.get_ref() {
        DeValue::Table(t) => t,
        // `name = "string"` is short for `name = { type = "string" }`.
        DeValue::String(s) => {
            let ty = type_named(cx, s, decl.span().start, None, Some(&fname), types)?;
            return Some(Field::new(fname, ty));
        }
        _ => {
            cx.error(
                decl.span().start,
                format!("kinds: field `{fname}` must be a type name or a table"),
                Some(format!("write {fname} = {{ type = \"string\" }}")),
            );
            return None;
        }
    };
    let Some(ty_value) = t.get("type") else {
        cx.error(
            name.span().start,
            format!("kinds: field `{fname}` has no `type`"),
            Some(format!("types: {}", SCALARS.join(", "))),
        );
        return None;
    };
    let DeValue::String(ty_name) = ty_value.get_ref() else {
        cx.error(
            ty_value.span().start,
            format!("kinds: `type` of field `{fname}` must be a string"),
            None,
        );
        return None;
    };
    let ty = type_named(
        cx,
        ty_name,
        ty_value.span().start,
        Some(t),
        Some(&fname),
        types,
    )?;
    let mut field = Field::new(fname.clone(), ty);
    for (key, value) in sorted(t) {
        match (key.get_ref().as_ref(), value.get_ref()) {
            ("type" | "values" | "of" | "fields", _) => {}
            ("required", DeValue::Boolean(b)) => field.required = *b,
            ("per_language", DeValue::Boolean(b)) => field.per_language = *b,
            ("help", DeValue::String(s)) => field.help = Some(s.to_string()),
            ("short_month", DeValue::String(s)) => match s.as_ref() {
                "error" => field.short_month = ShortMonth::Error,
                "last-day" => field.short_month = ShortMonth::LastDay,
                other => cx.error(
                    value.span().start,
                    format!("kinds: unknown `short_month` rule {other:?} for field `{fname}`"),
                    Some("write \"error\" (the default) or \"last-day\"".into()),
                ),
            },
            (k @ ("required" | "per_language" | "help" | "short_month"), _) => cx.error(
                value.span().start,
                format!(
                    "kinds: `{k}` of field `{fname}` must be {}",
                    if k == "required" || k == "per_language" {
                        "true or false"
                    } else {
                        "a string"
                    }
                ),
                None,
            ),
            (other, _) => cx.error(
                key.span().start,
                format!("kinds: field `{fname}` has an unknown key `{other}`"),
                Some(
                    "a field has `type`, `required`, `values`, `of`, `fields`, `help`, `short_month` and `per_language`"
                        .into(),
                ),
            ),
        }
    }
    Some(field)
}

/// The type called `name`; `t` is the field's table, for `values`, `of` and `fields`.
fn type_named(
    cx: &mut Ctx,
    name: &str,
    offset: usize,
    t: Option<&DeTable>,
    field: Option<&str>,
    types: &[String],
) -> Option<FieldType> {
    let fname = field.unwrap_or("?");
    Some(match name {
        "string" => FieldType::String,
        "text" => FieldType::Text,
        "date" => FieldType::Date,
        "datetime" => FieldType::Datetime,
        "integer" => FieldType::Integer,
        "number" => FieldType::Number,
        "bool" => FieldType::Bool,
        "url" => FieldType::Url,
        "page" => FieldType::Page,
        "image" => FieldType::Image,
        "media" => FieldType::Media,
        "lunar" => FieldType::Lunar,
        "enum" => {
            let values = t.and_then(|t| t.get("values"));
            let list: Option<Vec<String>> = values.and_then(|v| match v.get_ref() {
                DeValue::Array(a) => a
                    .iter()
                    .map(|x| x.get_ref().as_str().map(str::to_string))
                    .collect(),
                _ => None,
            });
            match list {
                Some(l) if !l.is_empty() => FieldType::Enum(l),
                _ => {
                    cx.error(
                        values.map_or(offset, |v| v.span().start),
                        format!("kinds: enum field `{fname}` needs `values`, a list of strings"),
                        Some(format!(
                            "write {fname} = {{ type = \"enum\", values = [\"a\", \"b\"] }}"
                        )),
                    );
                    return None;
                }
            }
        }
        "list" => {
            let of = t.and_then(|t| t.get("of"));
            match of.map(|o| (o, o.get_ref())) {
                Some((o, DeValue::String(s))) if s.as_ref() != "list" => {
                    let inner = type_named(cx, s, o.span().start, t, field, types)?;
                    FieldType::List(Box::new(inner))
                }
                _ => {
                    cx.error(
                        of.map_or(offset, |o| o.span().start),
                        format!("kinds: list field `{fname}` needs `of`, the type of its items"),
                        Some(format!(
                            "write {fname} = {{ type = \"list\", of = \"string\" }}"
                        )),
                    );
                    return None;
                }
            }
        }
        "table" => {
            let Some(inner) = t.and_then(|t| t.get("fields")) else {
                cx.error(
                    offset,
                    format!("kinds: table field `{fname}` needs `fields`"),
                    Some(format!(
                        "write {fname} = {{ type = \"table\", fields = {{ name = \"string\" }} }}"
                    )),
                );
                return None;
            };
            FieldType::Table(fields(cx, inner, types))
        }
        other if types.iter().any(|t| t == other) => FieldType::Named(other.to_string()),
        other => {
            let known: Vec<&str> = SCALARS
                .iter()
                .copied()
                .chain(types.iter().map(String::as_str))
                .collect();
            let help = match super::closest(other, known.iter().copied()) {
                Some(s) => format!("did you mean \"{s}\"? types: {}", known.join(", ")),
                None => format!("types: {}", known.join(", ")),
            };
            cx.error(
                offset,
                format!("kinds: unknown type {other:?} for field `{fname}`"),
                Some(help),
            );
            return None;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> String {
        match parse(Path::new("kinds.toml"), text) {
            Ok(_) => String::new(),
            Err(p) => crate::diag::render_all(&p),
        }
    }

    #[test]
    fn wrong_declarations_are_reported_at_their_line() {
        assert_eq!(
            problems("[kinds.event.fields]\nkind_of = { type = \"enum\" }\n"),
            "kinds.toml:2:20: error: kinds: enum field `kind_of` needs `values`, a list of strings\n  help: write kind_of = { type = \"enum\", values = [\"a\", \"b\"] }\n"
        );
        assert_eq!(
            problems("[kinds.gallery.fields]\npictures = { type = \"list\" }\n"),
            "kinds.toml:2:21: error: kinds: list field `pictures` needs `of`, the type of its items\n  help: write pictures = { type = \"list\", of = \"string\" }\n"
        );
        assert_eq!(
            problems("[kinds.news.fields]\nsource = { type = \"string\", requird = true }\n"),
            "kinds.toml:2:29: error: kinds: field `source` has an unknown key `requird`\n  help: a field has `type`, `required`, `values`, `of`, `fields`, `help`, `short_month` and `per_language`\n"
        );
        assert_eq!(
            problems("[kinds.News]\n"),
            "kinds.toml:1:8: error: kinds: kind id `News` must be lower-case ASCII letters, digits, `-` or `_`\n  help: kind ids are stable English words, such as `news` or `event`\n"
        );
        assert_eq!(
            problems("[kind.news]\n"),
            "kinds.toml:1:2: error: kinds: unknown table `kind`\n  help: a kinds file has [kinds.<id>], [common] and [types.<name>]\n"
        );
        assert_eq!(
            problems(
                "[kinds.event.fields]\nlunar = { type = \"lunar\", short_month = \"last\" }\n"
            ),
            "kinds.toml:2:41: error: kinds: unknown `short_month` rule \"last\" for field `lunar`\n  help: write \"error\" (the default) or \"last-day\"\n"
        );
    }

    #[test]
    fn fields_keep_their_declared_order_and_named_types_resolve() {
        let d = parse(
            Path::new("kinds.toml"),
            "[types.picture]\nsrc = \"image\"\n[kinds.gallery.fields]\nzeta = \"string\"\nalpha = { type = \"list\", of = \"picture\", required = true }\n",
        )
        .unwrap();
        let g = &d.kinds[0];
        assert_eq!(g.label, "kind-gallery");
        let names: Vec<&str> = g.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["zeta", "alpha"]);
        assert_eq!(
            g.fields.get("alpha").unwrap().ty,
            FieldType::List(Box::new(FieldType::Named("picture".into())))
        );
        assert!(g.fields.get("alpha").unwrap().required);
    }
}
