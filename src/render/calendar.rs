//! Tera functions of the lunar calendar: `lunar_to_solar`, `next_lunar_date` and
//! `upcoming_events`, for event pages (`kind = "event"`) and the upcoming-events list.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use tera::{Error, Result, Tera, Value};

use super::data::SiteData;
use crate::model::lunar::{self, LunarDay};

fn lunar_arg(args: &HashMap<String, Value>, func: &str) -> Result<LunarDay> {
    let text = args.get("date").and_then(Value::as_str).ok_or_else(|| {
        Error::msg(format!(
            "`{func}` requires a `date` argument, a lunar day as \"15/1\""
        ))
    })?;
    LunarDay::parse(text).ok_or_else(|| {
        Error::msg(format!(
            "`{func}`: {text:?} is not a lunar day; write \"15/1\" or \"15/4 nhuận\""
        ))
    })
}

/// Hours east of UTC the calendar is computed for: `tz`, or Vietnam's UTC+7.
fn tz_arg(args: &HashMap<String, Value>) -> f64 {
    args.get("tz")
        .and_then(Value::as_f64)
        .unwrap_or(lunar::VIETNAM)
}

fn last_day(args: &HashMap<String, Value>) -> bool {
    args.get("short_month").and_then(Value::as_str) == Some("last-day")
}

/// The build's day in the site's time zone ([extra.editorial] time_zone).
fn today(data: &SiteData) -> NaiveDate {
    let e = &data.config.editorial;
    e.now.with_timezone(&e.time_zone).date_naive()
}

pub fn register(tera: &mut Tera, data: &Arc<SiteData>) {
    let d = Arc::clone(data);
    // lunar_to_solar(date="15/1", year=2026) → "2026-03-03"
    tera.register_function("lunar_to_solar", move |args: &HashMap<String, Value>| {
        let day = lunar_arg(args, "lunar_to_solar")?;
        let year = match args.get("year").and_then(Value::as_i64) {
            Some(y) => i32::try_from(y).map_err(|_| Error::msg("`lunar_to_solar`: bad year"))?,
            None => chrono::Datelike::year(&today(&d)),
        };
        lunar::to_solar(day, year, tz_arg(args), last_day(args))
            .map(|date| Value::String(date.to_string()))
            .map_err(|e| Error::msg(format!("`lunar_to_solar`: {e}")))
    });
    let d = Arc::clone(data);
    // next_lunar_date(date="15/1") → the next solar date on or after the build's day.
    tera.register_function("next_lunar_date", move |args: &HashMap<String, Value>| {
        let day = lunar_arg(args, "next_lunar_date")?;
        Ok(
            lunar::next_occurrence(day, today(&d), tz_arg(args), last_day(args))
                .map_or(Value::Null, |date| Value::String(date.to_string())),
        )
    });
    let d = Arc::clone(data);
    // upcoming_events(lang="vi", limit=10) → [{date, page}], soonest first: pages of kind
    // "event" with a recurring `lunar` day or a `solar_date` on or after the build's day.
    tera.register_function("upcoming_events", move |args: &HashMap<String, Value>| {
        let lang = args.get("lang").and_then(Value::as_str);
        let limit = args
            .get("limit")
            .and_then(Value::as_u64)
            .map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
        let from = today(&d);
        let mut events: Vec<(NaiveDate, usize)> = Vec::new();
        for i in super::kinds::of_kind(&d, "event", lang) {
            let extra = d.pages[i].get("extra");
            let lunar_date = extra["lunar"].as_str().and_then(LunarDay::parse);
            let date = match lunar_date {
                Some(day) => lunar::next_occurrence(day, from, lunar::VIETNAM, true),
                None => extra["solar_date"]
                    .as_str()
                    .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                    .filter(|d| *d >= from),
            };
            if let Some(date) = date {
                events.push((date, i));
            }
        }
        events.sort();
        Ok(Value::Array(
            events
                .into_iter()
                .take(limit)
                .map(
                    |(date, i)| serde_json::json!({ "date": date.to_string(), "page": d.page_without_body(i) }),
                )
                .collect(),
        ))
    });
}
