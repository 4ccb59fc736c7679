//! Request parameters read as Rails reads them: the query decoded (`+` is a space), the last of a
//! repeated key winning, `present?` meaning not blank; and dates as Ruby's
//! `Date.strptime(value, "%Y-%m-%d")` takes them (`2024-1-5` is fine, `2024-02-30` and
//! `2024-01-05T00:00` are not).

use chrono::NaiveDate;

#[derive(Debug, Default, Clone)]
pub(crate) struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    pub fn parse(raw_query: Option<&str>) -> Self {
        let pairs = raw_query
            .map(|q| {
                form_urlencoded::parse(q.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        Self { pairs }
    }

    /// `params[:name]`: the last value given, if the key is there at all (even empty).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value when `params[:name].present?`, stripped.
    pub fn present(&self, name: &str) -> Option<&str> {
        self.get(name).map(str::trim).filter(|v| !v.is_empty())
    }

    /// Every key once, with its last value, sorted by key (what `Addressable::URI#query_values`
    /// gives back).
    pub fn last_values_sorted(&self) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> = Vec::new();
        for (k, v) in &self.pairs {
            match out.iter_mut().find(|(ok, _)| *ok == k.as_str()) {
                Some(entry) => entry.1 = v,
                None => out.push((k, v)),
            }
        }
        out.sort();
        out
    }
}

/// Ruby's `Date.strptime(s, "%Y-%m-%d")`: a year (optional sign, digits), a month and a day of one or
/// two digits, nothing left over, and a real calendar date.
pub(crate) fn strptime_ymd(s: &str) -> Option<NaiveDate> {
    let mut parts = s.splitn(3, '-');
    let (first, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    // A leading sign belongs to the year, but `splitn` would have split "-2024-…" at it.
    if first.is_empty() {
        return None;
    }
    let digits = first.strip_prefix('+').unwrap_or(first);
    let year_ok =
        !digits.is_empty() && digits.len() <= 6 && digits.bytes().all(|b| b.is_ascii_digit());
    let small = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if !year_ok || !small(month) || !small(day) {
        return None;
    }
    let year: i32 = digits.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month.parse().ok()?, day.parse().ok()?)
}

/// Ruby's `String#to_i` on a page key's number part: the leading digits, 0 when there are none.
pub(crate) fn ruby_to_i(s: &str) -> u64 {
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return 0;
    }
    digits.parse().unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_as_ruby_strptime_does() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
        assert_eq!(strptime_ymd("2024-01-05"), d(2024, 1, 5));
        assert_eq!(strptime_ymd("2024-1-5"), d(2024, 1, 5));
        for bad in [
            "",
            "2024",
            "2024-01",
            "2024-02-30",
            "2024-13-01",
            "2024-01-05T00:00",
            "01/05/2024",
            "2024-01-5x",
            "abc",
            "2024-001-05",
            "-2024-01-05",
        ] {
            assert_eq!(strptime_ymd(bad), None, "{bad}");
        }
    }

    #[test]
    fn params_take_the_last_value_and_decode_plus() {
        let p = Params::parse(Some("a=1&b=x+y&a=2&e=%20&z"));
        assert_eq!(p.get("a"), Some("2"));
        assert_eq!(p.get("b"), Some("x y"));
        assert_eq!(p.present("e"), None);
        assert_eq!(p.get("z"), Some(""));
        assert_eq!(
            p.last_values_sorted(),
            vec![("a", "2"), ("b", "x y"), ("e", " "), ("z", "")]
        );
        assert_eq!(ruby_to_i("123abc"), 123);
        assert_eq!(ruby_to_i("x1"), 0);
    }
}
