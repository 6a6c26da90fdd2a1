//! A page's editorial workflow: its status, who wrote, reviewed and approved it, when it goes
//! live or was withdrawn, and its correction note, read from front matter and checked with
//! `file:line:col`. `Editorial::visibility` is the one decision whether a page is published.

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde_json::{Value, json};

use super::front_matter::{Date, DateValue, PageFrontMatter, Split, key_offset};
use crate::config::EditorialSettings;
use crate::diag::{Diagnostic, LineIndex};

/// Where an item is in the workflow. `approved` without `publish_at` waits for an editor to
/// publish it; with `publish_at` it goes live then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Draft,
    Review,
    Approved,
    Published,
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Draft,
        Status::Review,
        Status::Approved,
        Status::Published,
        Status::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Review => "review",
            Status::Approved => "approved",
            Status::Published => "published",
            Status::Withdrawn => "withdrawn",
        }
    }

    fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s.trim())
    }

    /// The message for a `status` that is none of ours: the nearest one, if any is near.
    fn unknown(s: &str) -> String {
        let names = Status::ALL.into_iter().map(Status::as_str);
        match crate::text::closest(s.trim(), names) {
            Some(near) => format!("unknown status {s:?}; did you mean {near:?}?"),
            None => format!("unknown status {s:?}"),
        }
    }
}

/// The front-matter keys of the workflow. A key one typo away from one of them is an error
/// (see `front_matter::unknown_keys`): a misspelt `aproved_by` would silently publish.
pub const KEYS: [&str; 11] = [
    "status",
    "author",
    "reviewed_by",
    "approved_by",
    "approved_at",
    "publish_at",
    "withdrawn_at",
    "withdrawn_reason",
    "change_note",
    "urgent",
    "draft",
];

/// A section's `status`: published (or none) shows its subtree; any other status hides it,
/// pages and subsections included, as `draft = true` does. `Err` is the message for a typo.
pub fn is_section_hidden(status: Option<&str>) -> Result<bool, String> {
    match status {
        None => Ok(false),
        Some(s) => Status::parse(s)
            .map(|st| st != Status::Published)
            .ok_or_else(|| Status::unknown(s)),
    }
}

/// The workflow fields of a page, checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Editorial {
    /// `None` when the front matter has no `status` (a plain Zola page: published).
    pub status: Option<Status>,
    pub author: Option<String>,
    pub reviewed_by: Option<String>,
    pub approved_by: Option<String>,
    pub approved_at: Option<Date>,
    pub publish_at: Option<Date>,
    pub withdrawn_at: Option<Date>,
    pub withdrawn_reason: Option<String>,
    /// What a correction changed; its date is the page's `updated`.
    pub change_note: Option<String>,
    /// Published in the default language at once; other languages show the fallback copy
    /// marked as being translated, and the translators' queue lists it first.
    pub is_urgent: bool,
}

/// Whether and how a page appears in a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Built, listed, in feeds, search and the sitemap.
    Live,
    /// Built as a notice at its URL; in no list, feed, taxonomy, search index or sitemap.
    Withdrawn,
    /// Not built: `draft = true`, or status draft, review, or approved without `publish_at`.
    Unpublished,
    /// Not built yet: goes live at this instant.
    Scheduled(DateTime<FixedOffset>),
}

impl Editorial {
    /// The one decision whether a page is published at `settings.now`. `draft = true` keeps
    /// Zola's meaning.
    pub fn visibility(&self, is_draft: bool, settings: &EditorialSettings) -> Visibility {
        match self.status {
            _ if is_draft => Visibility::Unpublished,
            Some(Status::Draft | Status::Review) => Visibility::Unpublished,
            Some(Status::Withdrawn) => Visibility::Withdrawn,
            Some(Status::Approved) if self.publish_at.is_none() => Visibility::Unpublished,
            _ => match &self.publish_at {
                Some(at) if at.at > settings.now => Visibility::Scheduled(at.at),
                _ => Visibility::Live,
            },
        }
    }

    pub fn is_withdrawn(&self) -> bool {
        self.status == Some(Status::Withdrawn)
    }

    pub fn is_approved(&self) -> bool {
        self.approved_by.is_some() && self.approved_at.is_some()
    }

    /// `page.editorial` in templates; dates as written, `change_date` is the page's `updated`.
    pub fn to_json(&self, updated: Option<&Date>) -> Value {
        let text = |d: &Option<Date>| d.as_ref().map(|d| d.text.clone());
        json!({
            "status": self.status.map(Status::as_str),
            "author": self.author,
            "reviewed_by": self.reviewed_by,
            "approved_by": self.approved_by,
            "approved_at": text(&self.approved_at),
            "publish_at": text(&self.publish_at),
            "withdrawn_at": text(&self.withdrawn_at),
            "withdrawn_reason": self.withdrawn_reason,
            "change_note": self.change_note,
            "change_date": self.change_note.as_ref().and(updated.map(|d| d.text.clone())),
            "urgent": self.is_urgent,
        })
    }
}

pub const STATUS_HELP: &str = "use one of draft, review, approved, published, withdrawn";

/// Reads and checks the workflow fields; every problem is returned, each at its key.
pub fn read(
    file: &Path,
    text: &str,
    split: &Split,
    meta: &PageFrontMatter,
    settings: &EditorialSettings,
) -> Result<Editorial, Vec<Diagnostic>> {
    let index = LineIndex::new(super::front_matter::head(text, split));
    let at = |key: &str| {
        let offset = key_offset(split.front_matter, key).unwrap_or(0);
        Some(index.locate(split.fm_start + offset))
    };
    let mut errors = Vec::new();
    let mut error = |key: &str, message: String, help: &str| {
        errors.push(
            Diagnostic::error(file, at(key), format!("front matter: {message}")).with_help(help),
        );
    };
    let status = match meta.status.as_deref() {
        None => None,
        Some(s) => {
            let parsed = Status::parse(s);
            if parsed.is_none() {
                error("status", Status::unknown(s), STATUS_HELP);
            }
            parsed
        }
    };
    let mut date = |key: &str, value: &Option<DateValue>| {
        let written = value.as_ref()?.as_text();
        let parsed = Date::parse_in(&written, settings.time_zone);
        if parsed.is_none() {
            error(
                key,
                format!("`{key}` must be a date and time, found {written:?}"),
                "write 2026-12-01T08:00:00+07:00, or 2026-12-01T08:00:00 in the site's \
                 time zone ([extra.editorial] time_zone)",
            );
        }
        parsed
    };
    let approved_at = date("approved_at", &meta.approved_at);
    let publish_at = date("publish_at", &meta.publish_at);
    let withdrawn_at = date("withdrawn_at", &meta.withdrawn_at);
    let nonempty = |s: &Option<String>| s.as_ref().filter(|s| !s.trim().is_empty()).cloned();
    let editorial = Editorial {
        status,
        author: nonempty(&meta.author),
        reviewed_by: nonempty(&meta.reviewed_by),
        approved_by: nonempty(&meta.approved_by),
        approved_at,
        publish_at,
        withdrawn_at,
        withdrawn_reason: nonempty(&meta.withdrawn_reason),
        change_note: nonempty(&meta.change_note),
        is_urgent: meta.urgent,
    };
    if meta.approved_by.is_some() && meta.approved_at.is_none() {
        error(
            "approved_by",
            "`approved_by` is set without `approved_at`".into(),
            "add approved_at = 2026-12-01T08:00:00+07:00, when it was approved",
        );
    }
    if meta.approved_at.is_some() && meta.approved_by.is_none() {
        error(
            "approved_at",
            "`approved_at` is set without `approved_by`".into(),
            "add approved_by = \"…\", who approved it",
        );
    }
    let is_withdrawn = status == Some(Status::Withdrawn);
    if is_withdrawn && (meta.withdrawn_at.is_none() || editorial.withdrawn_reason.is_none()) {
        error(
            "status",
            "a withdrawn page needs `withdrawn_at` and `withdrawn_reason`".into(),
            "add withdrawn_at = 2026-12-01T08:00:00+07:00 and withdrawn_reason = \"…\": \
             readers see both in its place",
        );
    }
    if !is_withdrawn && (meta.withdrawn_at.is_some() || meta.withdrawn_reason.is_some()) {
        let key = if meta.withdrawn_at.is_some() {
            "withdrawn_at"
        } else {
            "withdrawn_reason"
        };
        error(
            key,
            format!("`{key}` is set but `status` is not \"withdrawn\""),
            "set status = \"withdrawn\" to withdraw the page, or remove the key",
        );
    }
    if editorial.change_note.is_some() && meta.updated.is_none() {
        error(
            "change_note",
            "`change_note` needs `updated`, the date of the correction".into(),
            "add updated = 2026-12-01, the day the correction was made",
        );
    }
    if settings.require_approval
        && !editorial.is_approved()
        && matches!(
            editorial.visibility(meta.draft, settings),
            Visibility::Live | Visibility::Scheduled(_)
        )
    {
        error(
            "status",
            "this page would be published without approval ([extra.editorial] \
             require_approval = true)"
                .into(),
            "add approved_by and approved_at once it is approved, or set status = \"review\"",
        );
    }
    if errors.is_empty() {
        Ok(editorial)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::front_matter::{parse, split};

    fn settings(now: &str) -> EditorialSettings {
        let zone = FixedOffset::east_opt(7 * 3600).unwrap();
        EditorialSettings {
            require_approval: false,
            time_zone: zone,
            now: Date::parse_in(now, zone).unwrap().at,
        }
    }

    fn read_str(text: &str, s: &EditorialSettings) -> Result<Editorial, Vec<Diagnostic>> {
        let sp = split(Path::new("a.md"), text).unwrap();
        let meta: PageFrontMatter = parse(Path::new("a.md"), text, &sp).unwrap();
        read(Path::new("a.md"), text, &sp, &meta, s)
    }

    #[test]
    fn publish_at_without_offset_is_in_the_site_time_zone() {
        let text = "+++\ntitle = \"a\"\npublish_at = 2026-12-06T08:00:00\n+++\n";
        let before = read_str(text, &settings("2026-12-06T07:59:00")).unwrap();
        let s = settings("2026-12-06T07:59:00");
        assert!(matches!(
            before.visibility(false, &s),
            Visibility::Scheduled(at) if at.to_rfc3339() == "2026-12-06T08:00:00+07:00"
        ));
        let s = settings("2026-12-06T08:00:00");
        assert_eq!(before.visibility(false, &s), Visibility::Live);
    }

    #[test]
    fn statuses_decide_visibility() {
        let s = settings("2026-12-06T08:00:00");
        for (status, expected) in [
            ("draft", Visibility::Unpublished),
            ("review", Visibility::Unpublished),
            ("approved", Visibility::Unpublished),
            ("published", Visibility::Live),
        ] {
            let text = format!("+++\nstatus = \"{status}\"\n+++\n");
            assert_eq!(
                read_str(&text, &s).unwrap().visibility(false, &s),
                expected,
                "{status}"
            );
        }
        let draft = read_str("+++\nstatus = \"published\"\ndraft = true\n+++\n", &s).unwrap();
        assert_eq!(draft.visibility(true, &s), Visibility::Unpublished);
    }

    #[test]
    fn unknown_status_points_at_the_value() {
        let s = settings("2026-12-06T08:00:00");
        let err = read_str("+++\ntitle = \"Tin\"\nstatus = \"publised\"\n+++\n", &s).unwrap_err();
        assert_eq!(
            err[0].to_string(),
            "a.md:3:10: error: front matter: unknown status \"publised\"; did you mean \"published\"?\n  help: use one of draft, review, approved, published, withdrawn"
        );
    }
}
