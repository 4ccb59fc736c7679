//! UTC instants as integer milliseconds since the Unix epoch, and calendar days in UTC. Offsets in input
//! (`+01:00`) are resolved at the edge; what is stored and compared is always UTC.

use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Utc};
use std::fmt;

const MILLIS_PER_DAY: i64 = 86_400_000;

/// Days from 0001-01-01 (chrono's day 1) to 1970-01-01.
const EPOCH_DAYS_FROM_CE: i64 = 719_163;

/// A point in time, in whole milliseconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcInstant(i64);

/// A calendar day in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(NaiveDate);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstantError {
    #[error("'{0}' is not an RFC 3339 date-time (like 2024-03-05T19:38:56Z)")]
    NotRfc3339(String),
    #[error("'{0}' has a precision below milliseconds, which the ledger does not keep")]
    SubMillisecond(String),
    #[error("'{0}' is not a date (YYYY-MM-DD)")]
    NotADate(String),
    #[error("{0} milliseconds is outside the supported range of dates")]
    OutOfRange(i64),
    #[error("'{0}' is outside the dates the ledger keeps ({first} to {last})", first = Day::FIRST_ISO, last = Day::LAST_ISO)]
    OutsideLedger(String),
}

impl UtcInstant {
    /// The first and last instants the ledger keeps: days from 0001-01-01 to 9999-12-31, whose
    /// `YYYY-MM-DD` texts sort in calendar order (the rollups and reports rely on it).
    pub const FIRST: UtcInstant = UtcInstant(-62_135_596_800_000);
    pub const LAST: UtcInstant = UtcInstant(253_402_300_799_999);

    /// Whether the ledger can keep this instant (`FIRST..=LAST`).
    pub fn in_ledger_range(self) -> bool {
        (Self::FIRST..=Self::LAST).contains(&self)
    }

    pub fn from_millis(millis: i64) -> UtcInstant {
        UtcInstant(millis)
    }

    pub fn millis(self) -> i64 {
        self.0
    }

    pub fn now() -> UtcInstant {
        UtcInstant(Utc::now().timestamp_millis())
    }

    /// Parses RFC 3339 with `Z` or an offset; the result is the same instant in UTC.
    pub fn parse_rfc3339(text: &str) -> Result<UtcInstant, InstantError> {
        let s = text.trim();
        let parsed =
            DateTime::parse_from_rfc3339(s).map_err(|_| InstantError::NotRfc3339(s.to_string()))?;
        if parsed.timestamp_subsec_nanos() % 1_000_000 != 0 {
            return Err(InstantError::SubMillisecond(s.to_string()));
        }
        Ok(UtcInstant(parsed.timestamp_millis()))
    }

    fn to_datetime(self) -> Result<DateTime<Utc>, InstantError> {
        DateTime::from_timestamp_millis(self.0).ok_or(InstantError::OutOfRange(self.0))
    }

    /// RFC 3339 in UTC with a `Z`, with milliseconds only when there are any.
    pub fn to_rfc3339(self) -> String {
        match self.to_datetime() {
            Ok(dt) if self.0 % 1000 == 0 => dt.to_rfc3339_opts(SecondsFormat::Secs, true),
            Ok(dt) => dt.to_rfc3339_opts(SecondsFormat::Millis, true),
            Err(_) => format!("@{}ms", self.0),
        }
    }

    /// Days since 1970-01-01 of the UTC day this instant falls on (negative before 1970).
    pub fn epoch_day(self) -> i64 {
        self.0.div_euclid(MILLIS_PER_DAY)
    }

    /// The UTC calendar day this instant falls on.
    pub fn day(self) -> Day {
        Day(self
            .to_datetime()
            .map(|dt| dt.date_naive())
            .unwrap_or(NaiveDate::MIN))
    }
}

impl fmt::Display for UtcInstant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl Day {
    const FIRST_ISO: &str = "0001-01-01";
    const LAST_ISO: &str = "9999-12-31";

    /// The first day the ledger keeps: years have four digits, so day and month texts sort in calendar
    /// order.
    pub fn first() -> Day {
        Day(NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(NaiveDate::MIN))
    }

    /// The last day the ledger keeps.
    pub fn last() -> Day {
        Day(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX))
    }

    /// Parses `YYYY-MM-DD` between 0001-01-01 and 9999-12-31.
    pub fn parse(text: &str) -> Result<Day, InstantError> {
        let text = text.trim();
        let day = NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Day)
            .map_err(|_| InstantError::NotADate(text.to_string()))?;
        if !(Day::first()..=Day::last()).contains(&day) {
            return Err(InstantError::OutsideLedger(text.to_string()));
        }
        Ok(day)
    }

    /// The day `days` after 1970-01-01, when it is one the ledger keeps.
    pub fn from_epoch_day(days: i64) -> Option<Day> {
        let ce = i32::try_from(days.checked_add(EPOCH_DAYS_FROM_CE)?).ok()?;
        NaiveDate::from_num_days_from_ce_opt(ce)
            .map(Day)
            .filter(|d| (Day::first()..=Day::last()).contains(d))
    }

    /// The first day of this day's month.
    pub fn month_start(self) -> Day {
        Day(self.0.with_day(1).unwrap_or(self.0))
    }

    /// The last day of this day's month.
    pub fn month_end(self) -> Day {
        let next_month = self
            .month_start()
            .0
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(NaiveDate::MAX);
        Day(next_month.pred_opt().unwrap_or(self.0))
    }

    /// The day after, saturating at the last day the ledger keeps (9999-12-31).
    pub fn succ(self) -> Day {
        Day(self.0.succ_opt().unwrap_or(self.0)).min(Day::last())
    }

    /// The day before, saturating at the first day the ledger keeps (0001-01-01).
    pub fn pred(self) -> Day {
        Day(self.0.pred_opt().unwrap_or(self.0)).max(Day::first())
    }

    /// Days since 1970-01-01 (negative before).
    pub fn epoch_day(self) -> i64 {
        i64::from(self.0.num_days_from_ce()) - EPOCH_DAYS_FROM_CE
    }

    /// `days` later (earlier when negative), saturating at the days the ledger keeps.
    pub fn plus_days(self, days: i64) -> Day {
        Day::from_epoch_day(self.epoch_day().saturating_add(days)).unwrap_or(if days < 0 {
            Day::first()
        } else {
            Day::last()
        })
    }

    /// The same day of the month `months` earlier, or that month's last day when it is shorter
    /// (31 March less one month is 28 or 29 February); saturating at 0001-01-01.
    pub fn minus_months(self, months: u32) -> Day {
        Day(self
            .0
            .checked_sub_months(chrono::Months::new(months))
            .unwrap_or(NaiveDate::MIN))
        .max(Day::first())
    }

    /// The first day of this day's year.
    pub fn year_start(self) -> Day {
        Day(self.0.with_ordinal(1).unwrap_or(self.0))
    }

    /// The Monday of this day's ISO week.
    pub fn week_start(self) -> Day {
        self.plus_days(-i64::from(self.0.weekday().num_days_from_monday()))
    }

    /// `YYYY-MM`.
    pub fn month(self) -> String {
        self.0.format("%Y-%m").to_string()
    }

    /// `YYYY-MM-DD`, which also sorts as text in calendar order.
    pub fn iso(self) -> String {
        self.0.format("%Y-%m-%d").to_string()
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse(text).unwrap()
    }

    #[test]
    fn calendar_steps() {
        assert_eq!(day("1970-01-01").epoch_day(), 0);
        assert_eq!(day("2026-03-01").plus_days(-1), day("2026-02-28"));
        assert_eq!(day("2024-02-28").plus_days(1), day("2024-02-29"));
        assert_eq!(day("2026-03-31").minus_months(1), day("2026-02-28"));
        assert_eq!(day("2026-01-15").minus_months(12), day("2025-01-15"));
        assert_eq!(day("2026-11-25").year_start(), day("2026-01-01"));
        // 2026-11-25 is a Wednesday; its ISO week starts on Monday the 23rd.
        assert_eq!(day("2026-11-25").week_start(), day("2026-11-23"));
        assert_eq!(day("2026-11-23").week_start(), day("2026-11-23"));
        assert_eq!(day("2026-11-29").week_start(), day("2026-11-23"));
    }

    #[test]
    fn offsets_resolve_to_utc() {
        let z = UtcInstant::parse_rfc3339("2024-03-05T19:38:56Z").unwrap();
        let plus = UtcInstant::parse_rfc3339("2024-03-05T20:38:56+01:00").unwrap();
        assert_eq!(z, plus);
        assert_eq!(z.millis(), 1_709_667_536_000);
        assert_eq!(plus.to_rfc3339(), "2024-03-05T19:38:56Z");
    }

    #[test]
    fn the_day_is_the_utc_day() {
        let late = UtcInstant::parse_rfc3339("2024-03-05T23:30:00-05:00").unwrap();
        assert_eq!(late.day().iso(), "2024-03-06");
        assert_eq!(Day::from_epoch_day(late.epoch_day()), Some(late.day()));
        let before_1970 = UtcInstant::parse_rfc3339("1969-12-31T23:59:59Z").unwrap();
        assert_eq!(before_1970.epoch_day(), -1);
        assert_eq!(Day::from_epoch_day(-1).unwrap().iso(), "1969-12-31");
        assert_eq!(Day::from_epoch_day(i64::MAX), None);
        let leap = Day::parse("2024-02-10").unwrap();
        assert_eq!(leap.month_start().iso(), "2024-02-01");
        assert_eq!(leap.month_end().iso(), "2024-02-29");
        assert_eq!(Day::parse("2023-12-31").unwrap().succ().iso(), "2024-01-01");
        assert_eq!(Day::parse("2024-03-01").unwrap().pred().iso(), "2024-02-29");
        assert_eq!(leap.month(), "2024-02");
    }

    #[test]
    fn milliseconds_survive_and_finer_is_refused() {
        let ms = UtcInstant::parse_rfc3339("2024-03-05T19:38:56.250Z").unwrap();
        assert_eq!(ms.to_rfc3339(), "2024-03-05T19:38:56.250Z");
        assert!(matches!(
            UtcInstant::parse_rfc3339("2024-03-05T19:38:56.2501Z"),
            Err(InstantError::SubMillisecond(_))
        ));
    }

    #[test]
    fn days_stay_within_the_four_digit_years() {
        assert_eq!(day("9999-12-31").succ(), day("9999-12-31"));
        assert_eq!(day("9999-12-29").month_end().succ(), day("9999-12-31"));
        assert_eq!(day("0001-01-01").pred(), day("0001-01-01"));
        assert_eq!(day("9999-12-01").plus_days(400), day("9999-12-31"));
        assert_eq!(day("0001-03-01").minus_months(5), day("0001-01-01"));
        assert_eq!(Day::from_epoch_day(Day::last().epoch_day() + 1), None);
        assert_eq!(Day::from_epoch_day(Day::first().epoch_day() - 1), None);
        assert_eq!(
            Day::parse("0000-06-01"),
            Err(InstantError::OutsideLedger("0000-06-01".into()))
        );
        assert_eq!(UtcInstant::FIRST.to_rfc3339(), "0001-01-01T00:00:00Z");
        assert_eq!(UtcInstant::LAST.to_rfc3339(), "9999-12-31T23:59:59.999Z");
        assert_eq!(UtcInstant::FIRST.day(), Day::first());
        assert_eq!(UtcInstant::LAST.day(), Day::last());
        assert!(!UtcInstant::from_millis(UtcInstant::LAST.millis() + 1).in_ledger_range());
    }

    #[test]
    fn garbage_is_refused() {
        for bad in [
            "",
            "2024-03-05",
            "2024-03-05 19:38:56",
            "05/03/2024",
            "2024-02-30T00:00:00Z",
            "yesterday",
        ] {
            assert!(UtcInstant::parse_rfc3339(bad).is_err(), "{bad}");
        }
        assert!(Day::parse("2024-13-01").is_err());
        assert_eq!(Day::parse("2024-02-29").unwrap().iso(), "2024-02-29");
    }
}
