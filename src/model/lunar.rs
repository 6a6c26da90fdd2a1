//! The Vietnamese lunisolar calendar (âm lịch), computed from astronomical new moons and
//! solar terms for a time zone given as a parameter (UTC+7 for Vietnam, UTC+8 for China).

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
