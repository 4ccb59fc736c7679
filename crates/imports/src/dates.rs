//! Dates and times as exports and spreadsheets write them: ISO (`2026-06-05`, `2026-06-05 20:38:34`,
//! `2024-01-15 10:00:00 UTC`, `2026-05-01 10:00:00 +0200`, RFC 3339), `MM/DD/YYYY`, `DD/MM/YYYY`,
//! `DD.MM.YYYY` (two-digit years too), and Excel serial day numbers. A column's format is read off its
//! values; when both day-first and month-first read every value, the column is ambiguous and says so
//! instead of guessing. A time without an offset is taken in the file's time zone offset (UTC unless the
//! format or mapping says otherwise).

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use tributary_model::UtcInstant;

/// How the day, month and year of a date are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum DateOrder {
    /// `2026-06-05`, `2026/06/05`
    YearMonthDay,
    /// `06/05/2026`
    MonthDayYear,
    /// `05/06/2026`, `05.06.2026`
    DayMonthYear,
    /// Days since 1899-12-30, as Excel stores dates (`45321`, `45321.75`).
    ExcelSerial,
}

impl DateOrder {
    pub const ALL: [DateOrder; 4] = [
        DateOrder::YearMonthDay,
        DateOrder::MonthDayYear,
        DateOrder::DayMonthYear,
        DateOrder::ExcelSerial,
    ];

    /// How the preview names it.
    pub fn label(self) -> &'static str {
        match self {
            DateOrder::YearMonthDay => "YYYY-MM-DD",
            DateOrder::MonthDayYear => "MM/DD/YYYY",
            DateOrder::DayMonthYear => "DD/MM/YYYY",
            DateOrder::ExcelSerial => "Excel serial day",
        }
    }

    /// The instant `text` names, read in this order; times without an offset are at `offset`.
    pub fn parse(self, text: &str, offset: FixedOffset) -> Result<UtcInstant, DateError> {
        let s = text.trim();
        let wrong = || DateError {
            value: s.to_string(),
            expected: self.label(),
        };
        let local = match self {
            DateOrder::ExcelSerial => return excel_serial(s, offset).ok_or_else(wrong),
            order => split_date_time(s, order).ok_or_else(wrong)?,
        };
        let (naive, zone) = local;
        let zone = zone.unwrap_or(offset);
        let instant = zone
            .from_local_datetime(&naive)
            .single()
            .ok_or_else(wrong)?;
        Ok(UtcInstant::from_millis(instant.timestamp_millis()))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("'{value}' is not a date written as {expected}")]
pub struct DateError {
    pub value: String,
    pub expected: &'static str,
}

/// What the values of a date column say about its format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateDetection {
    Found(DateOrder),
    /// More than one order reads every value (`03/04/2026`: March 4th or April 3rd?).
    Ambiguous(Vec<DateOrder>),
    /// No order reads every value; the first value none could read.
    Unreadable(String),
}

/// The order that reads every one of `values` (blank values aside).
pub fn detect<'a>(values: impl IntoIterator<Item = &'a str> + Clone) -> DateDetection {
    let utc = FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!("0 is a valid offset"));
    let readable: Vec<DateOrder> = DateOrder::ALL
        .into_iter()
        .filter(|order| {
            values
                .clone()
                .into_iter()
                .filter(|v| !v.trim().is_empty())
                .all(|v| order.parse(v, utc).is_ok())
        })
        .collect();
    match readable.as_slice() {
        [one] => DateDetection::Found(*one),
        [] => {
            // Name a value the likeliest order (the one that reads the most) cannot read.
            let non_blank = || values.clone().into_iter().filter(|v| !v.trim().is_empty());
            let best = DateOrder::ALL
                .into_iter()
                .max_by_key(|order| non_blank().filter(|v| order.parse(v, utc).is_ok()).count());
            let unread = best
                .and_then(|order| non_blank().find(|v| order.parse(v, utc).is_err()))
                .unwrap_or_default();
            DateDetection::Unreadable(unread.trim().to_string())
        }
        // Day-first with dots (`05.06.2026`) is how every locale that uses dots writes dates.
        many if many.contains(&DateOrder::DayMonthYear)
            && many.contains(&DateOrder::MonthDayYear)
            && values.clone().into_iter().any(|v| v.contains('.')) =>
        {
            DateDetection::Found(DateOrder::DayMonthYear)
        }
        many => DateDetection::Ambiguous(many.to_vec()),
    }
}

/// Splits `s` into a local date-time and the offset it names, if any.
fn split_date_time(s: &str, order: DateOrder) -> Option<(NaiveDateTime, Option<FixedOffset>)> {
    let (date, rest) = match s.find([' ', 'T']) {
        Some(i) => (&s[..i], s[i + 1..].trim()),
        None => (s, ""),
    };
    let date = parse_date(date, order)?;
    if rest.is_empty() {
        return Some((date.and_time(NaiveTime::MIN), None));
    }
    let (time, zone) = split_zone(rest)?;
    Some((date.and_time(parse_time(time)?), zone))
}

fn parse_date(text: &str, order: DateOrder) -> Option<NaiveDate> {
    let separator = text.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let parts: Vec<&str> = text.split(separator).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    if [a, b, c]
        .iter()
        .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let (year, month, day) = match order {
        DateOrder::YearMonthDay if a.len() == 4 => (*a, *b, *c),
        DateOrder::MonthDayYear if separator != '-' && a.len() <= 2 => (*c, *a, *b),
        DateOrder::DayMonthYear if separator != '-' && a.len() <= 2 => (*c, *b, *a),
        _ => return None,
    };
    if month.len() > 2 || day.len() > 2 {
        return None;
    }
    let year: i32 = match year.len() {
        4 => year.parse().ok()?,
        // Two-digit years are this century's: exports are of recent sales.
        2 => 2000 + year.parse::<i32>().ok()?,
        _ => return None,
    };
    NaiveDate::from_ymd_opt(year, month.parse().ok()?, day.parse().ok()?)
}

/// `10:00`, `10:00:00`, `10:00:00.731953`, with an optional `AM`/`PM`.
fn parse_time(text: &str) -> Option<NaiveTime> {
    let (clock, meridiem) = match text.rsplit_once(' ') {
        Some((clock, m)) if m.eq_ignore_ascii_case("am") || m.eq_ignore_ascii_case("pm") => {
            (clock.trim(), Some(m.eq_ignore_ascii_case("pm")))
        }
        _ => (text, None),
    };
    let (hms, fraction) = match clock.split_once('.') {
        Some((hms, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => (hms, f),
        Some(_) => return None,
        None => (clock, ""),
    };
    let fields: Vec<u32> = hms
        .split(':')
        .map(|p| {
            (!p.is_empty() && p.len() <= 2)
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect::<Option<_>>()?;
    let (mut hour, minute, second) = match fields.as_slice() {
        [h, m] => (*h, *m, 0),
        [h, m, s] => (*h, *m, *s),
        _ => return None,
    };
    if let Some(pm) = meridiem {
        if hour == 0 || hour > 12 {
            return None;
        }
        hour = hour % 12 + if pm { 12 } else { 0 };
    }
    // The ledger keeps milliseconds; finer digits are cut, not rounded, so a time never moves forward.
    let millis: u32 = fraction
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .fold(0, |m, b| m * 10 + u32::from(b - b'0'));
    NaiveTime::from_hms_milli_opt(hour, minute, second, millis)
}

/// Splits a trailing zone (`Z`, `UTC`, `GMT`, `+0200`, `+02:00`, `-05`) off a time.
fn split_zone(text: &str) -> Option<(&str, Option<FixedOffset>)> {
    let utc = FixedOffset::east_opt(0);
    for name in ["UTC", "GMT", "Z"] {
        if let Some(time) = text.strip_suffix(name) {
            return Some((time.trim_end(), utc));
        }
    }
    let Some(i) = text.rfind(['+', '-']) else {
        return Some((text, None));
    };
    let (time, zone) = (text[..i].trim_end(), &text[i..]);
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (hours, minutes) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if minutes >= 60 {
        return None;
    }
    Some((
        time,
        Some(FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))?),
    ))
}

/// Excel's day numbers: day 1 is 1900-01-01, and day 60 is the 29 February 1900 that never was, so
/// counting from 1899-12-30 is right for every date after February 1900. Fractions are the time of day.
fn excel_serial(text: &str, offset: FixedOffset) -> Option<UtcInstant> {
    let (days, fraction) = match text.split_once('.') {
        Some((d, f)) => (d, f),
        None => (text, ""),
    };
    if days.is_empty() || !days.bytes().all(|b| b.is_ascii_digit()) || days.len() > 6 {
        return None;
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let days: i64 = days.parse().ok()?;
    // Serial days before 1901 are not sales dates; this also keeps small integers (amounts, units) from
    // passing for dates when a column's format is detected.
    if days < 367 {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let date = base.checked_add_days(chrono::Days::new(days as u64))?;
    // The fraction of a day, to the millisecond, exactly: digits / 10^len * 86,400,000.
    let digits = &fraction[..fraction.len().min(12)];
    let scale = 10i128.pow(digits.len() as u32);
    let numerator: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    let millis = (numerator * 86_400_000 + scale / 2) / scale;
    let midnight = offset
        .from_local_datetime(&date.and_time(NaiveTime::MIN))
        .single()?;
    Some(UtcInstant::from_millis(
        midnight.timestamp_millis() + millis as i64,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    fn iso(order: DateOrder, text: &str) -> String {
        order.parse(text, utc()).unwrap().to_rfc3339()
    }

    #[test]
    fn the_shapes_exports_use() {
        use DateOrder::*;
        assert_eq!(iso(YearMonthDay, "2026-06-05"), "2026-06-05T00:00:00Z");
        assert_eq!(
            iso(YearMonthDay, "2026-06-05 20:38:34"),
            "2026-06-05T20:38:34Z"
        );
        assert_eq!(
            iso(YearMonthDay, "2026-06-05 20:38"),
            "2026-06-05T20:38:00Z"
        );
        assert_eq!(
            iso(YearMonthDay, "2024-01-15 10:00:00 UTC"),
            "2024-01-15T10:00:00Z"
        );
        assert_eq!(
            iso(YearMonthDay, "2026-05-01 10:00:00 +0200"),
            "2026-05-01T08:00:00Z"
        );
        assert_eq!(
            iso(YearMonthDay, "2024-03-05T20:38:56+01:00"),
            "2024-03-05T19:38:56Z"
        );
        assert_eq!(
            iso(YearMonthDay, "2024-03-05T19:38:56Z"),
            "2024-03-05T19:38:56Z"
        );
        assert_eq!(
            iso(YearMonthDay, "2023-04-08 17:45:28.731953"),
            "2023-04-08T17:45:28.731Z"
        );
        assert_eq!(iso(MonthDayYear, "03/04/2026"), "2026-03-04T00:00:00Z");
        assert_eq!(iso(MonthDayYear, "3/4/26 2:05 PM"), "2026-03-04T14:05:00Z");
        assert_eq!(iso(DayMonthYear, "03/04/2026"), "2026-04-03T00:00:00Z");
        assert_eq!(
            iso(DayMonthYear, "31.12.2025 23:59"),
            "2025-12-31T23:59:00Z"
        );
        assert_eq!(iso(ExcelSerial, "45292"), "2024-01-01T00:00:00Z");
        assert_eq!(iso(ExcelSerial, "45292.75"), "2024-01-01T18:00:00Z");
    }

    #[test]
    fn a_local_time_takes_the_given_offset_and_a_named_one_wins() {
        let berlin = FixedOffset::east_opt(3600).unwrap();
        let at = |t| {
            DateOrder::YearMonthDay
                .parse(t, berlin)
                .unwrap()
                .to_rfc3339()
        };
        assert_eq!(at("2026-01-10 10:00"), "2026-01-10T09:00:00Z");
        assert_eq!(at("2026-01-10 10:00 UTC"), "2026-01-10T10:00:00Z");
    }

    #[test]
    fn impossible_dates_and_times_are_errors() {
        use DateOrder::*;
        for (order, text) in [
            (YearMonthDay, "2026-02-30"),
            (YearMonthDay, "2026-13-01"),
            (MonthDayYear, "13/01/2026"),
            (DayMonthYear, "01/13/2026"),
            (YearMonthDay, "2026-06-05 25:00"),
            (YearMonthDay, "2026-06-05 10:00 +2"),
            (YearMonthDay, "June 5th"),
            (YearMonthDay, ""),
            (ExcelSerial, "12"),
            (ExcelSerial, "45292,5"),
            (MonthDayYear, "2026-03-04"),
        ] {
            assert!(order.parse(text, utc()).is_err(), "{text} as {order:?}");
        }
    }

    #[test]
    fn a_column_tells_its_order_or_says_it_cannot() {
        use DateOrder::*;
        assert_eq!(
            detect(["2026-06-05", "2026-06-30"]),
            DateDetection::Found(YearMonthDay)
        );
        assert_eq!(
            detect(["03/04/2026", "03/25/2026"]),
            DateDetection::Found(MonthDayYear)
        );
        assert_eq!(
            detect(["03/04/2026", "25/03/2026"]),
            DateDetection::Found(DayMonthYear)
        );
        assert_eq!(
            detect(["03/04/2026", "05/06/2026"]),
            DateDetection::Ambiguous(vec![MonthDayYear, DayMonthYear])
        );
        assert_eq!(detect(["03.04.2026"]), DateDetection::Found(DayMonthYear));
        assert_eq!(
            detect(["45292", "", "45300.5"]),
            DateDetection::Found(ExcelSerial)
        );
        assert_eq!(
            detect(["2026-06-05", "soon"]),
            DateDetection::Unreadable("soon".into())
        );
        assert_eq!(
            detect(["2026-06-05", "2026-06-06", "13/01/2026"]),
            DateDetection::Unreadable("13/01/2026".into())
        );
    }
}
