//! The Vietnamese lunisolar calendar (âm lịch), computed from astronomical new moons and solar
//! terms for a time zone given as a parameter: UTC+7 for Vietnam, UTC+8 for the Chinese
//! calendar. The two differ when a new moon or a solar term falls between 16:00 and 17:00 UTC
//! (Tết 1985: 21 January in Vietnam, 20 February in China).
//!
//! The rules: a month begins on the local day of a new moon; the 11th month holds the winter
//! solstice; a year with 13 new moons between two 11th months repeats, as a leap month, the
//! first month in which the Sun enters no new 30° sign of longitude (no major solar term).
//! Positions of the Moon and Sun use the low-precision series in Jean Meeus, "Astronomical
//! Algorithms" (new moons to a few minutes, the Sun to 0.01°), enough for calendar days.

use std::f64::consts::PI;
use std::fmt;

use chrono::{Datelike, NaiveDate};

/// Vietnam's time zone, in hours east of UTC.
pub const VIETNAM: f64 = 7.0;

/// A day of the lunar year, as a festival recurs: month 1–12, day 1–30, in a leap month or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LunarDay {
    pub month: u32,
    pub day: u32,
    pub is_leap: bool,
}

impl LunarDay {
    /// Reads `"15/1"` (day/month, as Vietnamese dates are written) or `"15/4 nhuận"`
    /// (also `"15/4 leap"`) for a leap month.
    pub fn parse(text: &str) -> Option<LunarDay> {
        let t = text.trim();
        let (date, is_leap) = match t.split_once(char::is_whitespace) {
            Some((d, rest)) => match rest.trim() {
                "nhuận" | "leap" => (d, true),
                _ => return None,
            },
            None => (t, false),
        };
        let (day, month) = date.split_once('/')?;
        let day: u32 = day.trim().parse().ok()?;
        let month: u32 = month.trim().parse().ok()?;
        ((1..=30).contains(&day) && (1..=12).contains(&month)).then_some(LunarDay {
            month,
            day,
            is_leap,
        })
    }
}

impl fmt::Display for LunarDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.day, self.month)?;
        if self.is_leap {
            write!(f, " nhuận")?;
        }
        Ok(())
    }
}

/// Why a lunar day has no solar date in a given year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LunarError {
    /// The month has 29 days that year.
    ShortMonth { day: LunarDay, year: i32 },
    /// The year has no leap month of that number.
    NoLeapMonth { day: LunarDay, year: i32 },
}

impl fmt::Display for LunarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LunarError::ShortMonth { day, year } => write!(
                f,
                "lunar date {day} does not exist in {year}: month {}{} has 29 days",
                day.month,
                if day.is_leap { " nhuận" } else { "" }
            ),
            LunarError::NoLeapMonth { day, year } => write!(
                f,
                "lunar date {day} does not exist in {year}: the year has no leap month {}",
                day.month
            ),
        }
    }
}

/// Julian day number of a proleptic Gregorian date.
fn julian_day(date: NaiveDate) -> i64 {
    // chrono counts days from 0001-01-01 (day 1); that day is JDN 1721426.
    i64::from(date.num_days_from_ce()) + 1_721_425
}

fn from_julian_day(jdn: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(jdn - 1_721_425).ok()?)
}

fn sin_deg(d: f64) -> f64 {
    (d * PI / 180.0).sin()
}

/// The instant (Julian ephemeris day, UT) of the `k`-th new moon after 1900-01-01.
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85; // Julian centuries since 1900-01-0.5
    let (t2, t3) = (t * t, t * t * t);
    let mean = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3
        + 0.000_33 * sin_deg(166.56 + 132.87 * t - 0.009_173 * t2);
    // Mean anomalies of the Sun and the Moon, and the Moon's argument of latitude, in degrees.
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mp = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let correction = (0.1734 - 0.000_393 * t) * sin_deg(m) + 0.0021 * sin_deg(2.0 * m)
        - 0.4068 * sin_deg(mp)
        + 0.0161 * sin_deg(2.0 * mp)
        - 0.0004 * sin_deg(3.0 * mp)
        + 0.0104 * sin_deg(2.0 * f)
        - 0.0051 * sin_deg(m + mp)
        - 0.0074 * sin_deg(m - mp)
        + 0.0004 * sin_deg(2.0 * f + m)
        - 0.0004 * sin_deg(2.0 * f - m)
        - 0.0006 * sin_deg(2.0 * f + mp)
        + 0.0010 * sin_deg(2.0 * f - mp)
        + 0.0005 * sin_deg(2.0 * mp + m);
    // ΔT (TT − UT), in days, by the polynomial fits for before and after 1900.
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    mean + correction - delta_t
}

/// The local day (JDN) on which the `k`-th new moon falls, in time zone `tz` (hours).
fn new_moon_day(k: i64, tz: f64) -> i64 {
    (new_moon(k) + 0.5 + tz / 24.0).floor() as i64
}

/// The Sun's apparent ecliptic longitude at Julian day `jd` (UT), in degrees, 0–360.
fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2_451_545.0) / 36_525.0; // Julian centuries since J2000.0
    let t2 = t * t;
    let l0 = 280.466_46 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let c = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * sin_deg(m)
        + (0.019_993 - 0.000_101 * t) * sin_deg(2.0 * m)
        + 0.000_290 * sin_deg(3.0 * m);
    let omega = 125.04 - 1934.136 * t;
    let lambda = l0 + c - 0.005_69 - 0.004_78 * sin_deg(omega);
    lambda.rem_euclid(360.0)
}

/// Which 30° sign (0–11) the Sun is in at the start of local day `jdn`.
fn sun_sign(jdn: i64, tz: f64) -> i64 {
    (sun_longitude(jdn as f64 - 0.5 - tz / 24.0) / 30.0).floor() as i64
}

/// The first day of the 11th lunar month (the one holding the winter solstice) of `year`.
fn month11_start(year: i32, tz: f64) -> i64 {
    let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).map_or(0, julian_day);
    let k = ((dec31 - 2_415_021) as f64 / 29.530_588_853).floor() as i64;
    let day = new_moon_day(k, tz);
    // The month holds the solstice (sign 9, 270°) only if the Sun has not yet reached it.
    if sun_sign(day, tz) >= 9 {
        new_moon_day(k - 1, tz)
    } else {
        day
    }
}

/// The index of the new moon that starts the month beginning on `day`.
fn lunation(day: i64) -> i64 {
    ((day as f64 - 2_415_021.076_998_695) / 29.530_588_853 + 0.5).floor() as i64
}

/// In a 13-month year from the 11th month starting `a11`: how many months after it the leap
/// month comes (the first month whose Sun sign does not change).
fn leap_month_offset(a11: i64, tz: f64) -> i64 {
    let k = lunation(a11);
    let mut i = 1;
    let mut sign = sun_sign(new_moon_day(k + i, tz), tz);
    loop {
        let last = sign;
        i += 1;
        sign = sun_sign(new_moon_day(k + i, tz), tz);
        if sign == last || i >= 14 {
            return i - 1;
        }
    }
}

/// The first day of lunar month `month` (leap or not) of lunar year `year` (the year whose
/// Tết falls in solar `year`), and the first day of the month after it.
fn month_bounds(year: i32, month: u32, is_leap: bool, tz: f64) -> Result<(i64, i64), ()> {
    let (a11, b11) = if month < 11 {
        (month11_start(year - 1, tz), month11_start(year, tz))
    } else {
        (month11_start(year, tz), month11_start(year + 1, tz))
    };
    let k = lunation(a11);
    let mut offset = i64::from(month) - 11;
    if offset < 0 {
        offset += 12;
    }
    if b11 - a11 > 365 {
        let leap_offset = leap_month_offset(a11, tz);
        let leap_month = (leap_offset - 2).rem_euclid(12);
        let leap_month = if leap_month == 0 { 12 } else { leap_month };
        if is_leap && i64::from(month) != leap_month {
            return Err(());
        }
        if is_leap || offset >= leap_offset {
            offset += 1;
        }
    } else if is_leap {
        return Err(());
    }
    Ok((
        new_moon_day(k + offset, tz),
        new_moon_day(k + offset + 1, tz),
    ))
}

/// The solar date of a lunar day in lunar year `year`, in time zone `tz` (hours east of UTC).
/// A day 30 in a 29-day month is an error, unless `last_day` lets it be the 29th.
pub fn to_solar(
    day: LunarDay,
    year: i32,
    tz: f64,
    last_day: bool,
) -> Result<NaiveDate, LunarError> {
    let (start, next) = month_bounds(year, day.month, day.is_leap, tz)
        .map_err(|()| LunarError::NoLeapMonth { day, year })?;
    let length = next - start;
    let d = i64::from(day.day);
    let d = if d > length {
        if last_day {
            length
        } else {
            return Err(LunarError::ShortMonth { day, year });
        }
    } else {
        d
    };
    from_julian_day(start + d - 1).ok_or(LunarError::ShortMonth { day, year })
}

/// The lunar date (day, month, leap, lunar year) of a solar date in time zone `tz`.
pub fn from_solar(date: NaiveDate, tz: f64) -> (LunarDay, i32) {
    let jdn = julian_day(date);
    let k = ((jdn as f64 - 2_415_021.076_998_695) / 29.530_588_853).floor() as i64;
    let mut start = new_moon_day(k + 1, tz);
    if start > jdn {
        start = new_moon_day(k, tz);
    }
    let year = date.year();
    let (a11, b11, mut lunar_year) = {
        let a = month11_start(year, tz);
        if a > start {
            (month11_start(year - 1, tz), a, year)
        } else {
            (a, month11_start(year + 1, tz), year + 1)
        }
    };
    let day = (jdn - start + 1) as u32;
    let diff = (start - a11) / 29;
    let mut is_leap = false;
    let mut month = diff + 11;
    if b11 - a11 > 365 {
        let leap_offset = leap_month_offset(a11, tz);
        if diff >= leap_offset {
            month = diff + 10;
            if diff == leap_offset {
                is_leap = true;
            }
        }
    }
    if month > 12 {
        month -= 12;
    }
    if month >= 11 && diff < 4 {
        lunar_year -= 1;
    }
    (
        LunarDay {
            month: month as u32,
            day,
            is_leap,
        },
        lunar_year,
    )
}

/// The next solar date, on or after `from`, of a lunar day that recurs every year. A day 30
/// skips years whose month is short unless `last_day`; a leap month, years without it.
pub fn next_occurrence(
    day: LunarDay,
    from: NaiveDate,
    tz: f64,
    last_day: bool,
) -> Option<NaiveDate> {
    // A leap month of a given number comes back only every few years (up to ~19 or more).
    (from.year() - 1..from.year() + 40)
        .filter_map(|y| to_solar(day, y, tz, last_day).ok())
        .find(|d| *d >= from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const TET: LunarDay = LunarDay {
        month: 1,
        day: 1,
        is_leap: false,
    };

    // Tết Nguyên Đán in Vietnam, as published in the state calendars.
    const TET_VN: [(i32, &str); 16] = [
        (2020, "2020-01-25"),
        (2021, "2021-02-12"),
        (2022, "2022-02-01"),
        (2023, "2023-01-22"),
        (2024, "2024-02-10"),
        (2025, "2025-01-29"),
        (2026, "2026-02-17"),
        (2027, "2027-02-06"),
        (2028, "2028-01-26"),
        (2029, "2029-02-13"),
        // The new moon fell at 16:07 UTC on 2 February: 23:07 in Vietnam, past midnight in
        // China, whose Tết was on the 3rd.
        (2030, "2030-02-02"),
        (2031, "2031-01-23"),
        (2032, "2032-02-11"),
        (2033, "2033-01-31"),
        (2034, "2034-02-19"),
        (2035, "2035-02-08"),
    ];

    #[test]
    fn tet_2020_to_2035_in_vietnam() {
        for (year, date) in TET_VN {
            assert_eq!(
                to_solar(TET, year, VIETNAM, false),
                Ok(ymd(date)),
                "Tết {year}"
            );
        }
    }

    #[test]
    fn ram_thang_gieng_2020_to_2035() {
        let ram = LunarDay::parse("15/1").unwrap();
        for (year, tet) in TET_VN {
            // The first month always has at least 29 days, so the 15th is Tết + 14.
            let expected = ymd(tet) + chrono::Duration::days(14);
            assert_eq!(
                to_solar(ram, year, VIETNAM, false),
                Ok(expected),
                "rằm {year}"
            );
        }
        assert_eq!(to_solar(ram, 2026, VIETNAM, false), Ok(ymd("2026-03-03")));
    }

    #[test]
    fn vietnam_and_china_differ_in_1985_and_2007() {
        assert_eq!(to_solar(TET, 1985, VIETNAM, false), Ok(ymd("1985-01-21")));
        assert_eq!(to_solar(TET, 1985, 8.0, false), Ok(ymd("1985-02-20")));
        assert_eq!(to_solar(TET, 2007, VIETNAM, false), Ok(ymd("2007-02-17")));
        assert_eq!(to_solar(TET, 2007, 8.0, false), Ok(ymd("2007-02-18")));
        assert_eq!(to_solar(TET, 2030, 8.0, false), Ok(ymd("2030-02-03")));
    }

    // Tết 2030 is on 2 February in Vietnam and 3 February in China. Checked independently of
    // this module: PyEphem 4.2.1 (pip install ephem) gives the new moon at 2030-02-02 16:07:24
    // UTC, 23:07 at UTC+7 and 00:07 on the 3rd at UTC+8, and twelve months (no leap month)
    // from month 11 of 2029 (5 December 2029, holding the solstice of 21 December) to month 11
    // of 2030, so that new moon starts month 1; scienceinfo.net ("Why is the Vietnamese and
    // Chinese New Year a day different?") also says Vietnam has Tết before China in 2030.
    #[test]
    fn tet_2030_is_a_day_earlier_in_vietnam() {
        assert_eq!(to_solar(TET, 2030, VIETNAM, false), Ok(ymd("2030-02-02")));
        assert_eq!(to_solar(TET, 2030, 8.0, false), Ok(ymd("2030-02-03")));
        assert_eq!(from_solar(ymd("2030-02-01"), VIETNAM).0.day, 29);
    }

    // As published (Phạm Vũ Lộc, Vietnam Space Center, in Công Luận, 21 January 2024): after
    // 30 Tết on 9 February 2024, the last month of the year has only 29 days until 30 Tết
    // comes back in 2033. PyEphem puts that month's new moons at 2033-01-01 17:16 and
    // 2033-01-31 04:59 (UTC+7): 30 days, so 30 Tết is 30 January 2033.
    #[test]
    fn no_30_tet_from_2025_to_2032() {
        let day30 = LunarDay::parse("30/12").unwrap();
        assert_eq!(to_solar(day30, 2023, VIETNAM, false), Ok(ymd("2024-02-09")));
        for year in 2024..=2031 {
            assert!(
                to_solar(day30, year, VIETNAM, false).is_err(),
                "30/12/{year}"
            );
        }
        assert_eq!(to_solar(day30, 2032, VIETNAM, false), Ok(ymd("2033-01-30")));
    }

    #[test]
    fn leap_months() {
        // 2020 repeated the 4th month, 2023 the 2nd.
        let leap4 = LunarDay::parse("1/4 nhuận").unwrap();
        assert_eq!(to_solar(leap4, 2020, VIETNAM, false), Ok(ymd("2020-05-23")));
        let leap2 = LunarDay::parse("1/2 nhuận").unwrap();
        assert_eq!(to_solar(leap2, 2023, VIETNAM, false), Ok(ymd("2023-03-22")));
        assert_eq!(
            to_solar(leap2, 2024, VIETNAM, false)
                .unwrap_err()
                .to_string(),
            "lunar date 1/2 nhuận does not exist in 2024: the year has no leap month 2"
        );
        // After the leap month, months are one lunation later.
        let m5 = LunarDay::parse("1/5").unwrap();
        assert_eq!(to_solar(m5, 2020, VIETNAM, false), Ok(ymd("2020-06-21")));
        assert_eq!(from_solar(ymd("2020-05-23"), VIETNAM), (leap4, 2020));
    }

    #[test]
    fn day_30_of_a_29_day_month_is_an_error_or_the_last_day() {
        // Month 1 of 2024 ran from 10 February to 9 March: 29 days.
        let d30 = LunarDay::parse("30/1").unwrap();
        assert_eq!(
            to_solar(d30, 2024, VIETNAM, false).unwrap_err().to_string(),
            "lunar date 30/1 does not exist in 2024: month 1 has 29 days"
        );
        assert_eq!(to_solar(d30, 2024, VIETNAM, true), Ok(ymd("2024-03-09")));
    }

    #[test]
    fn solar_to_lunar_round_trips_over_twenty_years() {
        let mut d = ymd("2020-01-01");
        while d < ymd("2040-01-01") {
            let (day, year) = from_solar(d, VIETNAM);
            assert_eq!(
                to_solar(day, year, VIETNAM, false),
                Ok(d),
                "{d} → {day} {year}"
            );
            d += chrono::Duration::days(1);
        }
    }

    #[test]
    fn next_occurrence_recurs_each_year() {
        let ram = LunarDay::parse("15/1").unwrap();
        let today = ymd("2026-03-04");
        assert_eq!(
            next_occurrence(ram, today, VIETNAM, false),
            Some(ymd("2027-02-20"))
        );
        assert_eq!(
            next_occurrence(ram, ymd("2026-03-03"), VIETNAM, false),
            Some(ymd("2026-03-03"))
        );
    }

    #[test]
    fn parses_and_prints_lunar_days() {
        assert_eq!(
            LunarDay::parse("15/4 nhuận").unwrap().to_string(),
            "15/4 nhuận"
        );
        assert_eq!(LunarDay::parse("8/1").unwrap().to_string(), "8/1");
        assert_eq!(LunarDay::parse("31/1"), None);
        assert_eq!(LunarDay::parse("1/13"), None);
        assert_eq!(LunarDay::parse("rằm"), None);
    }
}
