//! The Fluent functions every bundle gets, `NUMBER` and `DATETIME`, and the locale-aware
//! formatting of numbers that appear in placeables. Small hand-written tables keyed by the
//! language's `number_locale`; anything not in them is formatted the English way.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::types::{FluentNumber, FluentNumberOptions, FluentNumberStyle};
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// How one language writes numbers and dates. Picked once per bundle from the number locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    /// `1.234.567,5`, dates `ngày 15 tháng 6 năm 2023`.
    Vietnamese,
    /// `1,234,567.5`, dates `15 June 2023` (British order, as our English pages use).
    English,
    /// `1,234,567.5`, dates `2023年6月15日`.
    Chinese,
    /// `1.234.567,5` (Indonesian, Lao, Khmer, German), dates in English.
    DotComma,
    /// `1 234 567,5` with a no-break space (Russian, French), dates in English.
    SpaceComma,
}

impl Style {
    /// The style for a language; languages missing from the table are written the English way.
    pub(super) fn of(lang: &LanguageIdentifier) -> Self {
        match lang.language.as_str() {
            "vi" => Self::Vietnamese,
            "zh" | "ja" => Self::Chinese,
            "id" | "lo" | "km" | "de" => Self::DotComma,
            "ru" | "fr" => Self::SpaceComma,
            _ => Self::English,
        }
    }

    fn separators(self) -> (&'static str, char) {
        match self {
            Self::Vietnamese | Self::DotComma => (".", ','),
            Self::English | Self::Chinese => (",", '.'),
            Self::SpaceComma => ("\u{a0}", ','),
        }
    }

    /// Whether a currency symbol goes after the number (`1.000 ₫`) rather than before (`₫1,000`).
    fn is_currency_after(self) -> bool {
        matches!(self, Self::Vietnamese | Self::DotComma | Self::SpaceComma)
    }
}

/// Registers `NUMBER` and `DATETIME` on a new bundle and makes every number it writes follow
/// `style`, including plain `{ $count }` placeables, as Fluent's implicit `NUMBER` does.
pub(super) fn install(bundle: &mut FluentBundle<FluentResource>, style: Style) {
    // `set_formatter` takes a plain `fn`, which cannot capture `style`: one closure per style.
    bundle.set_formatter(Some(match style {
        Style::Vietnamese => |v, _| number_text(v, Style::Vietnamese),
        Style::English => |v, _| number_text(v, Style::English),
        Style::Chinese => |v, _| number_text(v, Style::Chinese),
        Style::DotComma => |v, _| number_text(v, Style::DotComma),
        Style::SpaceComma => |v, _| number_text(v, Style::SpaceComma),
    }));
    let functions = [
        ("NUMBER", bundle.add_function("NUMBER", number)),
        (
            "DATETIME",
            bundle.add_function("DATETIME", move |p, n| datetime(p, n, style)),
        ),
    ];
    for (name, added) in functions {
        debug_assert!(added.is_ok(), "{name} registered twice on a new bundle");
    }
}

fn number_text(value: &FluentValue<'_>, style: Style) -> Option<String> {
    match value {
        FluentValue::Number(n) => Some(format_number(n, style)),
        _ => None,
    }
}

/// Our `NUMBER`: like Fluent's built-in one (the options are merged into the number, so
/// `NUMBER($n, minimumFractionDigits: 2)` still selects plural variants), but digit counts are
/// clamped so that a large option in an `.ftl` file cannot overflow the plural operands.
pub(super) fn number<'a>(positional: &[FluentValue<'a>], named: &FluentArgs) -> FluentValue<'a> {
    let Some(FluentValue::Number(n)) = positional.first() else {
        return FluentValue::Error;
    };
    let mut n = n.clone();
    n.options.merge(named);
    clamp(&mut n.options);
    FluentValue::Number(n)
}

const MAX_FRACTION_DIGITS: usize = 15;
const MAX_SIGNIFICANT_DIGITS: usize = 17;
const MAX_INTEGER_DIGITS: usize = 21;

fn clamp(o: &mut FluentNumberOptions) {
    let at_most = |v: &mut Option<usize>, lo: usize, hi: usize| {
        if let Some(d) = v {
            *d = (*d).clamp(lo, hi);
        }
    };
    at_most(&mut o.minimum_fraction_digits, 0, MAX_FRACTION_DIGITS);
    at_most(&mut o.maximum_fraction_digits, 0, MAX_FRACTION_DIGITS);
    at_most(&mut o.minimum_significant_digits, 1, MAX_SIGNIFICANT_DIGITS);
    at_most(&mut o.maximum_significant_digits, 1, MAX_SIGNIFICANT_DIGITS);
    at_most(&mut o.minimum_integer_digits, 1, MAX_INTEGER_DIGITS);
}

/// Writes a number the way `style` does, honouring the Intl-like options Fluent keeps on it.
/// Without options at most three fraction digits are shown, as `Intl.NumberFormat` does.
pub(super) fn format_number(n: &FluentNumber, style: Style) -> String {
    let mut o = n.options.clone();
    clamp(&mut o);
    let mut value = n.value;
    if !value.is_finite() {
        return value.to_string();
    }
    if o.style == FluentNumberStyle::Percent {
        value *= 100.0;
    }
    let currency = match (o.style, o.currency.as_deref()) {
        (FluentNumberStyle::Currency, Some(code)) => Some(code),
        _ => None,
    };
    let digits = match (o.minimum_significant_digits, o.maximum_significant_digits) {
        (None, None) => fraction_digits(value.abs(), &o, currency),
        (min, max) => significant_digits(value.abs(), min.unwrap_or(1), max.unwrap_or(21)),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((&digits, ""));
    let is_zero = int.bytes().chain(frac.bytes()).all(|b| b == b'0');
    let (group, decimal) = style.separators();
    let mut out = String::new();
    if value.is_sign_negative() && !is_zero {
        out.push('-');
    }
    let min_int = o.minimum_integer_digits.unwrap_or(1);
    let int = format!("{}{int}", "0".repeat(min_int.saturating_sub(int.len())));
    out.push_str(&group_digits(&int, if o.use_grouping { group } else { "" }));
    if !frac.is_empty() {
        out.push(decimal);
        out.push_str(frac);
    }
    match (o.style, currency) {
        (FluentNumberStyle::Percent, _) => out.push('%'),
        (FluentNumberStyle::Currency, Some(code)) => {
            let shown = match o.currency_display {
                fluent_bundle::types::FluentNumberCurrencyDisplayStyle::Symbol => {
                    currency_symbol(code)
                }
                _ => code,
            };
            out = if style.is_currency_after() {
                format!("{out}\u{a0}{shown}")
            } else if shown == code {
                format!("{shown}\u{a0}{out}")
            } else {
                format!("{shown}{out}")
            };
        }
        _ => {}
    }
    out
}

/// Digits with a `.` decimal point, rounded to the fraction digits the options allow.
fn fraction_digits(abs: f64, o: &FluentNumberOptions, currency: Option<&str>) -> String {
    let default_min = currency.map_or(0, currency_fraction_digits);
    let default_max = match o.style {
        FluentNumberStyle::Percent => 0,
        FluentNumberStyle::Currency => default_min,
        FluentNumberStyle::Decimal => 3,
    };
    let min = o
        .minimum_fraction_digits
        .unwrap_or(default_min)
        .min(o.maximum_fraction_digits.unwrap_or(usize::MAX));
    let max = o.maximum_fraction_digits.unwrap_or(default_max).max(min);
    trim_fraction(format!("{abs:.max$}"), min)
}

fn significant_digits(abs: f64, min: usize, max: usize) -> String {
    let max = max.max(min);
    // `{:e}` rounds to `max` significant digits and tells us the exponent after rounding.
    let sci = format!("{abs:.prec$e}", prec = max - 1);
    let exp: i64 = sci
        .split_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0);
    let rounded: f64 = sci.parse().unwrap_or(abs);
    let decimals = usize::try_from(max as i64 - 1 - exp).unwrap_or(0);
    let min_decimals = usize::try_from(min as i64 - 1 - exp).unwrap_or(0);
    trim_fraction(format!("{rounded:.decimals$}"), min_decimals)
}

/// Drops trailing zeros after the point, keeping at least `min` fraction digits.
fn trim_fraction(mut s: String, min: usize) -> String {
    if let Some(point) = s.find('.') {
        let keep = point + 1 + min;
        while s.len() > keep && s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    s
}

fn group_digits(int: &str, group: &str) -> String {
    if group.is_empty() || int.len() <= 3 {
        return int.to_owned();
    }
    let mut out = String::with_capacity(int.len() + int.len() / 3 * group.len());
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push_str(group);
        }
        out.push(c);
    }
    out
}

fn currency_symbol(code: &str) -> &str {
    match code {
        "VND" => "₫",
        "USD" => "US$",
        "EUR" => "€",
        "CNY" => "CN¥",
        "JPY" => "JP¥",
        "GBP" => "£",
        _ => code,
    }
}

fn currency_fraction_digits(code: &str) -> usize {
    match code {
        "VND" | "JPY" | "KRW" | "LAK" | "KHR" => 0,
        _ => 2,
    }
}

/// How much of a date `DATETIME` writes, from its `dateStyle` (or `style`) and `timeStyle`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Length {
    Full,
    Long,
    Medium,
    Short,
}

impl Length {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "full" => Some(Self::Full),
            "long" => Some(Self::Long),
            "medium" => Some(Self::Medium),
            "short" => Some(Self::Short),
            _ => None,
        }
    }
}

/// Our `DATETIME($date, dateStyle: "long", timeStyle: "short")`. `$date` is an ISO 8601 date
/// (`2023-06-15`) or date-time (`2023-06-15T10:30:00+07:00`); a time is written as it reads
/// in the string, never converted to another zone. Without options it writes the long date:
///
/// | dateStyle | vi                                  | en                       | zh-Hans          |
/// |-----------|-------------------------------------|--------------------------|------------------|
/// | full      | `Thứ Năm, ngày 15 tháng 6 năm 2023` | `Thursday, 15 June 2023` | `2023年6月15日星期四` |
/// | long      | `ngày 15 tháng 6 năm 2023`          | `15 June 2023`           | `2023年6月15日`     |
/// | medium    | `15 thg 6, 2023`                    | `15 Jun 2023`            | `2023年6月15日`     |
/// | short     | `15/06/2023`                        | `15/06/2023`             | `2023/6/15`       |
///
/// `timeStyle: "short"` adds `10:30`, `"medium"` `10:30:00` (24-hour everywhere); with a
/// `timeStyle` and no `dateStyle` only the time is written. English is British English: day
/// before month, so `15/06/2023` means the same on the Vietnamese and English pages.
/// A string that is not an ISO date is written unchanged, so the page still shows something.
pub(super) fn datetime<'a>(
    positional: &[FluentValue<'a>],
    named: &FluentArgs,
    style: Style,
) -> FluentValue<'a> {
    let Some(FluentValue::String(input)) = positional.first() else {
        return FluentValue::Error;
    };
    let Some((date, time)) = parse_iso(input) else {
        return FluentValue::String(input.clone());
    };
    let option = |name: &str| match named.get(name) {
        Some(FluentValue::String(s)) => Length::parse(s),
        _ => None,
    };
    let date_len = option("dateStyle").or_else(|| option("style"));
    let time_len = option("timeStyle").filter(|_| time.is_some());
    let date_text = match (date_len, time_len) {
        (None, Some(_)) => None,
        (len, _) => Some(render_date(date, len.unwrap_or(Length::Long), style)),
    };
    let time_text = time.zip(time_len).map(|(t, len)| match len {
        Length::Short => format!("{:02}:{:02}", t.hour(), t.minute()),
        _ => format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second()),
    });
    let text = match (date_text, time_text) {
        (Some(d), Some(t)) => match (style, date_len) {
            (Style::Vietnamese, _) => format!("{t} {d}"),
            (Style::Chinese, _) => format!("{d} {t}"),
            (_, Some(Length::Full | Length::Long) | None) => format!("{d} at {t}"),
            _ => format!("{d}, {t}"),
        },
        (Some(d), None) => d,
        (None, Some(t)) => t,
        (None, None) => String::new(),
    };
    FluentValue::String(text.into())
}

fn parse_iso(s: &str) -> Option<(NaiveDate, Option<NaiveTime>)> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some((d, None));
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        let local = dt.naive_local();
        return Some((local.date(), Some(local.time())));
    }
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .map(|dt| (dt.date(), Some(dt.time())))
}

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const EN_WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const VI_WEEKDAYS: [&str; 7] = [
    "Thứ Hai",
    "Thứ Ba",
    "Thứ Tư",
    "Thứ Năm",
    "Thứ Sáu",
    "Thứ Bảy",
    "Chủ Nhật",
];
const ZH_WEEKDAYS: [&str; 7] = [
    "星期一",
    "星期二",
    "星期三",
    "星期四",
    "星期五",
    "星期六",
    "星期日",
];

fn render_date(d: NaiveDate, len: Length, style: Style) -> String {
    let (day, month, year) = (d.day(), d.month(), d.year());
    let weekday = d.weekday().num_days_from_monday() as usize;
    let pick = |names: &'static [&'static str], i: usize| names.get(i).copied().unwrap_or("");
    let en_month = pick(&EN_MONTHS, month as usize - 1);
    match (style, len) {
        (Style::Vietnamese, Length::Full) => format!(
            "{}, ngày {day} tháng {month} năm {year}",
            pick(&VI_WEEKDAYS, weekday)
        ),
        (Style::Vietnamese, Length::Long) => format!("ngày {day} tháng {month} năm {year}"),
        (Style::Vietnamese, Length::Medium) => format!("{day} thg {month}, {year}"),
        (Style::Chinese, Length::Full) => {
            format!("{year}年{month}月{day}日{}", pick(&ZH_WEEKDAYS, weekday))
        }
        (Style::Chinese, Length::Long | Length::Medium) => format!("{year}年{month}月{day}日"),
        (Style::Chinese, Length::Short) => format!("{year}/{month}/{day}"),
        (_, Length::Full) => format!("{}, {day} {en_month} {year}", pick(&EN_WEEKDAYS, weekday)),
        (_, Length::Long) => format!("{day} {en_month} {year}"),
        (_, Length::Medium) => format!("{day} {} {year}", en_month.get(..3).unwrap_or("")),
        (_, Length::Short) => format!("{day:02}/{month:02}/{year}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn vietnamese_numbers_are_english_ones_with_swapped_separators(
            value in -1.0e12f64..1.0e12,
            digits in 0usize..4,
        ) {
            let n = with(value, &[("minimumFractionDigits", digits.into())]);
            let vi = format_number(&n, Style::Vietnamese);
            let en = format_number(&n, Style::English);
            prop_assert_eq!(vi.replace('.', "").replace(',', "."), en.replace(',', ""));
            let back: f64 = en.replace(',', "").parse().unwrap();
            prop_assert!((back - value).abs() <= 0.0005 * value.abs().max(1.0));
        }

        #[test]
        fn any_number_formats_without_panicking(value in any::<f64>(), sig in 1usize..30) {
            let n = with(value, &[("maximumSignificantDigits", sig.into())]);
            for style in [Style::Vietnamese, Style::Chinese, Style::SpaceComma] {
                let _ = format_number(&n, style);
            }
        }
    }

    fn num(value: f64) -> FluentNumber {
        FluentNumber::new(value, FluentNumberOptions::default())
    }

    fn with(value: f64, opts: &[(&'static str, FluentValue<'static>)]) -> FluentNumber {
        let args: FluentArgs = opts.iter().cloned().collect();
        match number(&[FluentValue::Number(num(value))], &args) {
            FluentValue::Number(n) => n,
            other => panic!("NUMBER returned {other:?}"),
        }
    }

    #[test]
    fn numbers_use_the_locale_separators() {
        let n = num(1_234_567.5);
        assert_eq!(format_number(&n, Style::Vietnamese), "1.234.567,5");
        assert_eq!(format_number(&n, Style::English), "1,234,567.5");
        assert_eq!(format_number(&n, Style::Chinese), "1,234,567.5");
        assert_eq!(
            format_number(&n, Style::SpaceComma),
            "1\u{a0}234\u{a0}567,5"
        );
        assert_eq!(format_number(&num(-1234.0), Style::Vietnamese), "-1.234");
        assert_eq!(format_number(&num(999.0), Style::English), "999");
    }

    #[test]
    fn number_options_are_honoured() {
        let two = with(1234.5, &[("minimumFractionDigits", 2.into())]);
        assert_eq!(format_number(&two, Style::Vietnamese), "1.234,50");
        let none = with(1234.5678, &[("maximumFractionDigits", 0.into())]);
        assert_eq!(format_number(&none, Style::English), "1,235");
        let flat = with(2023.0, &[("useGrouping", "false".into())]);
        assert_eq!(format_number(&flat, Style::Vietnamese), "2023");
        let pct = with(0.256, &[("style", "percent".into())]);
        assert_eq!(format_number(&pct, Style::English), "26%");
        let sig = with(123_456.0, &[("maximumSignificantDigits", 2.into())]);
        assert_eq!(format_number(&sig, Style::English), "120,000");
        let small = with(0.012_345, &[("maximumSignificantDigits", 3.into())]);
        assert_eq!(format_number(&small, Style::Vietnamese), "0,0123");
        let pad = with(7.0, &[("minimumIntegerDigits", 2.into())]);
        assert_eq!(format_number(&pad, Style::English), "07");
    }

    #[test]
    fn currencies_follow_the_locale_order() {
        let vnd = with(
            1_500_000.0,
            &[("style", "currency".into()), ("currency", "VND".into())],
        );
        assert_eq!(format_number(&vnd, Style::Vietnamese), "1.500.000\u{a0}₫");
        assert_eq!(format_number(&vnd, Style::English), "₫1,500,000");
        let usd = with(
            12.5,
            &[("style", "currency".into()), ("currency", "USD".into())],
        );
        assert_eq!(format_number(&usd, Style::English), "US$12.50");
    }

    #[test]
    fn huge_digit_options_are_clamped() {
        let n = with(1.5, &[("minimumFractionDigits", 400.into())]);
        assert_eq!(n.options.minimum_fraction_digits, Some(MAX_FRACTION_DIGITS));
        assert_eq!(format_number(&num(f64::NAN), Style::English), "NaN");
    }

    fn date(input: &str, opts: &[(&'static str, &'static str)], style: Style) -> String {
        let args: FluentArgs = opts.iter().map(|(k, v)| (*k, *v)).collect();
        match datetime(&[FluentValue::from(input.to_owned())], &args, style) {
            FluentValue::String(s) => s.into_owned(),
            other => panic!("DATETIME returned {other:?}"),
        }
    }

    #[test]
    fn dates_are_written_the_local_way() {
        let d = "2023-06-15";
        assert_eq!(date(d, &[], Style::Vietnamese), "ngày 15 tháng 6 năm 2023");
        assert_eq!(date(d, &[], Style::English), "15 June 2023");
        assert_eq!(date(d, &[], Style::Chinese), "2023年6月15日");
        let short = [("dateStyle", "short")];
        assert_eq!(date(d, &short, Style::Vietnamese), "15/06/2023");
        assert_eq!(date(d, &short, Style::English), "15/06/2023");
        assert_eq!(date(d, &short, Style::Chinese), "2023/6/15");
        let full = [("style", "full")];
        assert_eq!(
            date(d, &full, Style::Vietnamese),
            "Thứ Năm, ngày 15 tháng 6 năm 2023"
        );
        assert_eq!(date(d, &full, Style::Chinese), "2023年6月15日星期四");
        assert_eq!(
            date(d, &[("dateStyle", "medium")], Style::English),
            "15 Jun 2023"
        );
    }

    #[test]
    fn times_are_kept_in_the_zone_they_were_written_in() {
        let dt = "2023-06-15T10:30:00+07:00";
        let both = [("dateStyle", "short"), ("timeStyle", "short")];
        assert_eq!(date(dt, &both, Style::Vietnamese), "10:30 15/06/2023");
        assert_eq!(date(dt, &both, Style::English), "15/06/2023, 10:30");
        assert_eq!(
            date(dt, &[("timeStyle", "medium")], Style::Chinese),
            "10:30:00"
        );
        assert_eq!(
            date(
                "2023-06-15T10:30",
                &[("timeStyle", "short")],
                Style::English
            ),
            "10:30"
        );
    }

    #[test]
    fn a_string_that_is_not_a_date_is_left_alone() {
        assert_eq!(date("hôm qua", &[], Style::Vietnamese), "hôm qua");
        let args = FluentArgs::new();
        assert!(matches!(
            datetime(&[FluentValue::from(5)], &args, Style::English),
            FluentValue::Error
        ));
    }
}
