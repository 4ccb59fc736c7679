//! What `GET /api/v1/payments` reads from its query (contract §2.2) and which payments, in which
//! order, that selects: `first` (1 to 100, default 10 [I]) with `after`, or `last` with `before`;
//! `created_after`/`created_before`/`updated_after`/`updated_before` as RFC 3339 instants, strictly
//! after / strictly before [I]; `statuses[]`, `substatuses[]`, `currencies[]` (the SDK writes arrays
//! as `name[]=a&name[]=b`; `name=a` is read too); `include_free` (payments with a total of zero
//! are left out unless it is `true` [I]); `order` `created_at` (default), `paid_at` (unpaid ones by
//! their `created_at`) or `final_amount` (by `usd_total`), ties by id; `direction` `asc` or `desc`
//! (default `desc`, newest first [I]).

use std::cmp::Ordering;

use chrono::{DateTime, Utc};

use super::cursor;
use super::payment::{StandInPayment, Status};

pub(crate) const DEFAULT_PAGE_SIZE: u64 = 10;
pub(crate) const MAX_PAGE_SIZE: u64 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    CreatedAt,
    PaidAt,
    FinalAmount,
}

/// Which slice of the ordered list: forward from a position, or backward before one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Window {
    /// `first` items after position `after` (0: from the start).
    Forward { first: u64, after: u64 },
    /// `last` items before position `before` (`None`: up to the end).
    Backward { last: u64, before: Option<u64> },
}

#[derive(Debug, Clone)]
pub(crate) struct ListQuery {
    pub window: Window,
    pub created_after: Option<DateTime<Utc>>,
    pub created_before: Option<DateTime<Utc>>,
    pub updated_after: Option<DateTime<Utc>>,
    pub updated_before: Option<DateTime<Utc>>,
    pub statuses: Vec<Status>,
    pub substatuses: Vec<String>,
    pub currencies: Vec<String>,
    pub include_free: bool,
    pub order: Order,
    pub ascending: bool,
}

/// A parameter the list refuses, in words for the 400.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Invalid(pub String);

fn last<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Every value of `name[]` (and of `name`, and of `name[0]`-style indexed keys).
fn all<'a>(pairs: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    pairs
        .iter()
        .filter(|(k, _)| {
            k == name
                || k.strip_prefix(name)
                    .and_then(|rest| rest.strip_prefix('['))
                    .and_then(|rest| rest.strip_suffix(']'))
                    .is_some_and(|inner| inner.bytes().all(|b| b.is_ascii_digit()))
        })
        .flat_map(|(_, v)| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect()
}

fn instant(pairs: &[(String, String)], name: &str) -> Result<Option<DateTime<Utc>>, Invalid> {
    last(pairs, name)
        .filter(|v| !v.trim().is_empty())
        .map(|v| {
            DateTime::parse_from_rfc3339(v.trim())
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| Invalid(format!("{name} must be an ISO 8601 timestamp, not \"{v}\"")))
        })
        .transpose()
}

fn count(pairs: &[(String, String)], name: &str) -> Result<Option<u64>, Invalid> {
    last(pairs, name)
        .map(|v| match v.trim().parse::<u64>() {
            Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => Ok(n),
            _ => Err(Invalid(format!(
                "{name} must be an integer between 1 and {MAX_PAGE_SIZE}, not \"{v}\""
            ))),
        })
        .transpose()
}

fn position(pairs: &[(String, String)], name: &str) -> Result<Option<u64>, Invalid> {
    last(pairs, name)
        .filter(|v| !v.is_empty())
        .map(|v| cursor::decode(v).ok_or_else(|| Invalid(format!("{name} is not a valid cursor"))))
        .transpose()
}

pub(crate) fn read(pairs: &[(String, String)]) -> Result<ListQuery, Invalid> {
    let first = count(pairs, "first")?;
    let last_n = count(pairs, "last")?;
    let after = position(pairs, "after")?;
    let before = position(pairs, "before")?;
    let window = match (first, last_n, after, before) {
        (Some(_), Some(_), _, _) => return Err(Invalid("give first or last, not both".into())),
        (_, _, Some(_), Some(_)) => return Err(Invalid("give after or before, not both".into())),
        (None, Some(n), None, b) => Window::Backward { last: n, before: b },
        (None, None, None, Some(b)) => Window::Backward {
            last: DEFAULT_PAGE_SIZE,
            before: Some(b),
        },
        (f, None, a, None) => Window::Forward {
            first: f.unwrap_or(DEFAULT_PAGE_SIZE),
            after: a.unwrap_or(0),
        },
        (Some(_), None, _, Some(_)) | (None, Some(_), Some(_), None) => {
            return Err(Invalid("first goes with after, last with before".into()))
        }
    };
    let statuses = all(pairs, "statuses")
        .into_iter()
        .map(|s| {
            Status::parse(s).ok_or_else(|| {
                Invalid(format!(
                    "statuses: \"{s}\" is not one of draft, open, paid, pending, uncollectible, unresolved, void"
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let order = match last(pairs, "order").map(str::trim) {
        None | Some("") | Some("created_at") => Order::CreatedAt,
        Some("paid_at") => Order::PaidAt,
        Some("final_amount") => Order::FinalAmount,
        Some(other) => {
            return Err(Invalid(format!(
                "order must be final_amount, created_at or paid_at, not \"{other}\""
            )))
        }
    };
    let ascending = match last(pairs, "direction").map(str::trim) {
        None | Some("") | Some("desc") => false,
        Some("asc") => true,
        Some(other) => {
            return Err(Invalid(format!(
                "direction must be asc or desc, not \"{other}\""
            )))
        }
    };
    let include_free = match last(pairs, "include_free").map(str::trim) {
        None | Some("") | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(Invalid(format!(
                "include_free must be true or false, not \"{other}\""
            )))
        }
    };
    Ok(ListQuery {
        window,
        created_after: instant(pairs, "created_after")?,
        created_before: instant(pairs, "created_before")?,
        updated_after: instant(pairs, "updated_after")?,
        updated_before: instant(pairs, "updated_before")?,
        statuses,
        substatuses: all(pairs, "substatuses")
            .into_iter()
            .map(str::to_owned)
            .collect(),
        currencies: all(pairs, "currencies")
            .into_iter()
            .map(str::to_ascii_lowercase)
            .collect(),
        include_free,
        order,
        ascending,
    })
}

impl ListQuery {
    fn admits(&self, p: &StandInPayment) -> bool {
        self.created_after.is_none_or(|t| p.created_at > t)
            && self.created_before.is_none_or(|t| p.created_at < t)
            && self.updated_after.is_none_or(|t| p.updated_at > t)
            && self.updated_before.is_none_or(|t| p.updated_at < t)
            && (self.statuses.is_empty() || self.statuses.contains(&p.status))
            && (self.substatuses.is_empty() || self.substatuses.iter().any(|s| s == p.substatus()))
            && (self.currencies.is_empty() || self.currencies.contains(&p.currency))
            && (self.include_free || p.total() != 0)
    }

    fn compare(&self, a: &StandInPayment, b: &StandInPayment) -> Ordering {
        let by = match self.order {
            Order::CreatedAt => a.created_at.cmp(&b.created_at),
            Order::PaidAt => a
                .paid_at
                .unwrap_or(a.created_at)
                .cmp(&b.paid_at.unwrap_or(b.created_at)),
            Order::FinalAmount => a.usd_total().cmp(&b.usd_total()),
        }
        .then_with(|| a.created_at.cmp(&b.created_at))
        .then_with(|| a.id.cmp(&b.id));
        if self.ascending {
            by
        } else {
            by.reverse()
        }
    }

    /// The payments this query selects, in its order.
    pub fn select<'a>(
        &self,
        payments: impl Iterator<Item = &'a StandInPayment>,
    ) -> Vec<&'a StandInPayment> {
        let mut list: Vec<_> = payments.filter(|p| self.admits(p)).collect();
        list.sort_by(|a, b| self.compare(a, b));
        list
    }

    /// The slice of `len` items the window asks for, as `start..end` indices.
    pub fn slice(&self, len: usize) -> (usize, usize) {
        let len = len as u64;
        let (start, end) = match self.window {
            Window::Forward { first, after } => {
                let start = after.min(len);
                (start, start.saturating_add(first).min(len))
            }
            Window::Backward { last, before } => {
                let end = before.map_or(len, |b| b.saturating_sub(1).min(len));
                (end.saturating_sub(last), end)
            }
        };
        (
            usize::try_from(start).unwrap_or(usize::MAX),
            usize::try_from(end).unwrap_or(usize::MAX),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &str) -> Vec<(String, String)> {
        form_urlencoded::parse(q.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    #[test]
    fn the_query_is_read_with_its_defaults_and_refusals() {
        let q = read(&pairs("")).unwrap();
        assert_eq!(
            q.window,
            Window::Forward {
                first: 10,
                after: 0
            }
        );
        assert!(!q.ascending);
        assert_eq!(q.order, Order::CreatedAt);
        let q = read(&pairs(
            "first=5&after=MjA%3D&statuses%5B%5D=paid&statuses[]=void&direction=asc",
        ))
        .unwrap();
        assert_eq!(
            q.window,
            Window::Forward {
                first: 5,
                after: 20
            }
        );
        assert_eq!(q.statuses, vec![Status::Paid, Status::Void]);
        assert!(q.ascending);
        assert_eq!(q.slice(22), (20, 22));
        let q = read(&pairs("last=3&before=MjA=")).unwrap();
        assert_eq!(q.slice(50), (16, 19));
        for bad in [
            "first=0",
            "first=101",
            "first=x",
            "after=nope",
            "statuses[]=refunded",
            "order=name",
            "direction=up",
            "created_after=yesterday",
            "first=2&last=2",
        ] {
            assert!(read(&pairs(bad)).is_err(), "{bad}");
        }
    }
}
