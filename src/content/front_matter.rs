//! Splitting a content file into front matter and body, and reading the front matter of pages
//! and sections (TOML `+++` or YAML `---`), with errors at the file's line and column.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use serde::Deserialize;

use crate::config::toml_to_json;
use crate::diag::{Diagnostic, LineIndex};

/// Where the front matter and the body are in the file text.
pub struct Split<'a> {
    pub front_matter: &'a str,
    /// Byte offset of the front matter's first byte in the file.
    pub fm_start: usize,
    pub is_yaml: bool,
    pub body_start: usize,
}

/// The file up to its body: every position in the front matter is in it, and indexing only
/// that keeps the loading of long pages from scanning their bodies for line ends.
pub fn head<'a>(text: &'a str, split: &Split) -> &'a str {
    text.get(..split.body_start).unwrap_or(text)
}

/// Finds `+++`…`+++` or `---`…`---` at the start of the file, as Zola requires.
pub fn split<'a>(file: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let lead = text.len() - text.trim_start().len();
    let rest = &text[lead..];
    let (fence, is_yaml) = if rest.starts_with("+++") {
        ("+++", false)
    } else if rest.starts_with("---") {
        ("---", true)
    } else {
        return Err(Diagnostic::error(
            file,
            Some(LineIndex::new(text).locate(lead)),
            "no front matter: the file must start with `+++`",
        )
        .with_help(
            "add `+++` on the first line and again after the metadata, even if it is empty",
        ));
    };
    let fm_start = lead + fence.len();
    let after = &text[fm_start..];
    // The closing fence must start a line.
    let close = find_closing(after, fence).ok_or_else(|| {
        Diagnostic::error(
            file,
            Some(LineIndex::new(text).locate(lead)),
            format!("the front matter opened here is never closed with `{fence}`"),
        )
        .with_help(format!("add a line with `{fence}` after the metadata"))
    })?;
    let front_matter = &after[..close];
    let mut body_start = fm_start + close + fence.len();
    // Zola drops the rest of the fence line and one line break.
    let tail = &text[body_start..];
    let line_end = tail.find('\n').map_or(tail.len(), |i| i + 1);
    if tail[..line_end].trim().is_empty() {
        body_start += line_end;
    }
    Ok(Split {
        front_matter,
        fm_start,
        is_yaml,
        body_start,
    })
}

fn find_closing(after: &str, fence: &str) -> Option<usize> {
    let mut pos = 0;
    for line in after.split_inclusive('\n') {
        if pos > 0 && line.trim_end().starts_with(fence) {
            return Some(pos);
        }
        pos += line.len();
    }
    None
}

/// A date as written: a TOML date or a string.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum DateValue {
    Toml(toml::value::Datetime),
    Str(String),
}

impl DateValue {
    pub fn as_text(&self) -> String {
        match self {
            DateValue::Toml(d) => d.to_string(),
            // Zola reads a quoted date through TOML's datetime grammar, so "2018-04-24 15:01:35"
            // is a datetime too, and templates get it written as TOML writes it, with a `T`
            // (components/utils/src/de.rs, `from_unknown_datetime`).
            DateValue::Str(s) => s
                .trim()
                .parse::<toml::value::Datetime>()
                .map_or_else(|_| s.clone(), |d| d.to_string()),
        }
    }
}

/// A parsed date: its text as written (templates get it back as is) and the instant.
#[derive(Debug, Clone, PartialEq)]
pub struct Date {
    pub text: String,
    pub at: DateTime<FixedOffset>,
}

impl Date {
    /// A date as Zola reads it: without an offset, it is in UTC.
    pub fn parse(text: &str) -> Option<Date> {
        Date::parse_in(text, FixedOffset::east_opt(0)?)
    }

    /// A date or time; one written without an offset is in `zone`.
    pub fn parse_in(text: &str, zone: FixedOffset) -> Option<Date> {
        let t = text.trim();
        let at = DateTime::parse_from_rfc3339(t)
            .ok()
            .or_else(|| DateTime::parse_from_rfc3339(&t.replacen(' ', "T", 1)).ok())
            .or_else(|| {
                let naive = NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f")
                    .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f"))
                    .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M"))
                    .ok()
                    .or_else(|| {
                        NaiveDate::parse_from_str(t, "%Y-%m-%d")
                            .ok()
                            .and_then(|d| d.and_hms_opt(0, 0, 0))
                    })?;
                zone.from_local_datetime(&naive).single()
            })?;
        Some(Date {
            text: t.to_string(),
            at,
        })
    }
}

/// Page front matter as Zola documents it (content/page.md), plus Tre's `translated_from`.
/// Other top-level keys are ignored with a warning, as Zola ignores them (`unknown_keys`).
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(default)]
pub struct PageFrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<DateValue>,
    pub updated: Option<DateValue>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub render: Option<bool>,
    pub slug: Option<String>,
    pub path: Option<String>,
    pub aliases: Vec<String>,
    pub authors: Vec<String>,
    pub in_search_index: Option<bool>,
    pub template: Option<String>,
    pub taxonomies: BTreeMap<String, Vec<String>>,
    pub extra: toml::Table,
    /// Tre: hash of the source body this translation was made from.
    pub translated_from: Option<String>,
    /// Tre's editorial workflow (see `editorial`): checked there, kept as written here.
    pub status: Option<String>,
    pub author: Option<String>,
    pub reviewed_by: Option<String>,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateValue>,
    pub publish_at: Option<DateValue>,
    pub withdrawn_at: Option<DateValue>,
    pub withdrawn_reason: Option<String>,
    pub change_note: Option<String>,
    pub urgent: bool,
}

/// Section front matter as Zola documents it (content/section.md); other keys as for pages.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(default)]
pub struct SectionFrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub draft: bool,
    pub sort_by: Option<String>,
    pub weight: Option<i64>,
    pub template: Option<String>,
    pub page_template: Option<String>,
    pub paginate_by: Option<usize>,
    pub paginate_path: Option<String>,
    pub paginate_reversed: bool,
    pub insert_anchor_links: Option<String>,
    pub in_search_index: Option<bool>,
    pub render: Option<bool>,
    pub redirect_to: Option<String>,
    pub transparent: bool,
    pub aliases: Vec<String>,
    pub generate_feeds: Option<bool>,
    pub generate_feed: Option<bool>,
    pub extra: toml::Table,
    pub translated_from: Option<String>,
    /// Tre's editorial workflow: anything but `published` hides the subtree, as `draft`.
    pub status: Option<String>,
}

/// The keys a front-matter struct reads, as its derived `Deserialize` names them, so the list
/// of known keys cannot drift from the struct.
pub fn keys_of<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    use serde::de::{Error, Visitor, value};
    struct Fields<'a>(&'a mut &'static [&'static str]);
    impl<'de> serde::Deserializer<'de> for Fields<'_> {
        type Error = value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, value::Error> {
            Err(value::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, value::Error> {
            *self.0 = fields;
            Err(value::Error::custom("fields read"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Fields(&mut fields));
    fields
}

/// A warning for each top-level key that is not in `known`, or an error when it is a typo of
/// an editorial key (`editorial::KEYS`). Zola ignores such keys without a
/// word (themes put `tags` or `category` at the top level); Tre ignores them too, but says so,
/// since a misspelt `dat = …` would otherwise vanish silently.
pub fn unknown_keys(file: &Path, text: &str, split: &Split, known: &[&str]) -> Vec<Diagnostic> {
    let keys: Vec<String> = if split.is_yaml {
        serde_yaml_ng::from_str::<serde_yaml_ng::Mapping>(split.front_matter)
            .map(|m| {
                m.keys()
                    .filter_map(|k| k.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    } else {
        toml::from_str::<toml::Table>(split.front_matter)
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default()
    };
    let index = LineIndex::new(head(text, split));
    keys.into_iter()
        .filter(|k| !known.contains(&k.as_str()))
        .map(|k| {
            let at = key_offset(split.front_matter, &k)
                .map(|o| index.locate(split.fm_start + o));
            // A misspelt workflow key would publish what was meant to wait: an error.
            let near = crate::text::closest(&k, known.iter().copied())
                .filter(|near| super::editorial::KEYS.contains(near));
            match near {
                Some(near) => Diagnostic::error(
                    file,
                    at,
                    format!("front matter: unknown field `{k}`; did you mean `{near}`?"),
                )
                .with_help(format!("the editorial fields are {}", super::editorial::KEYS.join(", "))),
                None => Diagnostic::warning(
                    file,
                    at,
                    format!("front matter: `{k}` is not a front-matter key; it is ignored, as Zola ignores it"),
                )
                .with_help("custom keys belong under `[extra]`"),
            }
        })
        .collect()
}

/// Reads the front matter into `T`, reporting errors at file coordinates.
pub fn parse<T: serde::de::DeserializeOwned>(
    file: &Path,
    text: &str,
    split: &Split,
) -> Result<T, Diagnostic> {
    let index = LineIndex::new(head(text, split));
    if split.is_yaml {
        let value: serde_yaml_ng::Value = if split.front_matter.trim().is_empty() {
            serde_yaml_ng::Value::Mapping(Default::default())
        } else {
            serde_yaml_ng::from_str(split.front_matter).map_err(|e| {
                let at = e
                    .location()
                    .map(|l| index.locate(split.fm_start + l.index()));
                Diagnostic::error(file, at, format!("front matter: invalid YAML: {e}"))
            })?
        };
        let as_toml = toml::Value::try_from(value).map_err(|e| {
            Diagnostic::error(
                file,
                Some(index.locate(split.fm_start)),
                format!("front matter: {e}"),
            )
        })?;
        T::deserialize(as_toml).map_err(|e| {
            Diagnostic::error(
                file,
                Some(index.locate(split.fm_start)),
                format!("front matter: {}", e.message().trim_end()),
            )
        })
    } else {
        toml::from_str(split.front_matter).map_err(|e| {
            let at = index.locate(split.fm_start + e.span().map_or(0, |s| s.start));
            Diagnostic::error(
                file,
                Some(at),
                format!("front matter: {}", e.message().trim_end()),
            )
            .with_help(front_matter_help(e.message()))
        })
    }
}

fn front_matter_help(message: &str) -> String {
    if message.contains("unknown field") {
        "custom keys belong under `[extra]`".to_string()
    } else {
        "front matter is TOML between `+++` lines: strings in quotes, dates as 2025-04-18"
            .to_string()
    }
}

/// Checks a `date`/`updated` value, pointing at the key when it is not a date.
pub fn check_date(
    file: &Path,
    text: &str,
    split: &Split,
    key: &str,
    value: &Option<DateValue>,
) -> Result<Option<Date>, Diagnostic> {
    let Some(v) = value else { return Ok(None) };
    let written = v.as_text();
    Date::parse(&written).map(Some).ok_or_else(|| {
        let offset =
            key_offset(split.front_matter, key).map_or(split.fm_start, |o| split.fm_start + o);
        Diagnostic::error(
            file,
            Some(LineIndex::new(text).locate(offset)),
            format!("front matter: `{key}` must be a date, found {written:?}"),
        )
        .with_help("write dates as 2025-04-18 or 2025-04-18T08:00:00+07:00")
    })
}

/// Byte offset of the value of `key = …` / `key: …` in the front matter.
pub(super) fn key_offset(fm: &str, key: &str) -> Option<usize> {
    let mut pos = 0;
    for line in fm.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix(key) {
            let r = rest.trim_start();
            if let Some(after) = r.strip_prefix('=').or_else(|| r.strip_prefix(':')) {
                let value_at = line.len() - after.trim_start().len();
                return Some(pos + value_at);
            }
        }
        pos += line.len();
    }
    None
}

/// `[extra]` as JSON for templates; dates become strings, as in Zola.
pub fn extra_json(extra: &toml::Table) -> serde_json::Value {
    toml_to_json(toml::Value::Table(extra.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_keys_come_from_the_structs() {
        let page = keys_of::<PageFrontMatter>();
        assert!(
            page.contains(&"title") && page.contains(&"taxonomies") && page.contains(&"urgent")
        );
        assert!(!page.contains(&"sort_by"));
        let section = keys_of::<SectionFrontMatter>();
        assert!(section.contains(&"sort_by") && section.contains(&"transparent"));
    }

    #[test]
    fn splits_toml_and_keeps_body_offset() {
        let text = "+++\ntitle = \"a\"\n+++\nBody";
        let s = split(Path::new("a.md"), text).unwrap();
        assert_eq!(s.front_matter, "\ntitle = \"a\"\n");
        assert_eq!(&text[s.body_start..], "Body");
        assert!(!s.is_yaml);
    }

    #[test]
    fn bad_date_points_at_the_value() {
        let text = "+++\ntitle = \"Lễ hội\"\ndate = \"hôm qua\"\n+++\n";
        let s = split(Path::new("a.md"), text).unwrap();
        let fm: PageFrontMatter = parse(Path::new("a.md"), text, &s).unwrap();
        let err = check_date(Path::new("a.md"), text, &s, "date", &fm.date).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.md:3:8: error: front matter: `date` must be a date, found \"hôm qua\"\n  help: write dates as 2025-04-18 or 2025-04-18T08:00:00+07:00"
        );
    }

    #[test]
    fn parses_the_date_forms_zola_accepts() {
        for d in [
            "2023-06-15",
            "2023-06-15T08:00:00Z",
            "2023-06-15 08:00:00",
            "2023-06-15T08:00:00+07:00",
        ] {
            assert!(Date::parse(d).is_some(), "{d}");
        }
        assert!(Date::parse("15/06/2023").is_none());
    }

    #[test]
    fn yaml_front_matter_is_read() {
        let text = "---\ntitle: Lịch sử\ntaxonomies:\n  tags: [a, b]\n---\nx";
        let s = split(Path::new("a.md"), text).unwrap();
        let fm: PageFrontMatter = parse(Path::new("a.md"), text, &s).unwrap();
        assert_eq!(fm.title.as_deref(), Some("Lịch sử"));
        assert_eq!(fm.taxonomies["tags"], ["a", "b"]);
    }
}
