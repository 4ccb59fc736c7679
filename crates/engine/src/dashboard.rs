//! The dashboard's figures for a period: totals per currency beside the previous period's, the revenue
//! series by bucket and platform, top products, platforms, countries, and the months still estimated.
//! One call, so that the window asks once per change and every figure comes from the same snapshot.

use crate::error::EngineError;
use crate::workspace::Workspace;
use serde::{Deserialize, Serialize};
use tributary_ledger::{
    Bucket, EstimatedPeriod, Figures, GroupBy, GroupFigures, PlatformCoverage, ReportQuery,
    SeriesPoint,
};
use tributary_model::Day;

/// Products listed per currency.
const TOP_PRODUCTS: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Period {
    /// The 1st of this month to today; compared with the same days of last month.
    ThisMonth,
    /// Today and the 29 days before; compared with the 30 days before those.
    #[serde(rename = "last_30_days")]
    Last30Days,
    /// The whole of last month (platforms that report late, like KDP, have it by now); compared with
    /// the month before.
    LastMonth,
    /// The twelve whole months before this one; compared with the twelve before those.
    #[serde(rename = "last_12_months")]
    Last12Months,
    /// 1 January to today; compared with the same days of last year.
    ThisYear,
    /// Everything; nothing to compare with.
    AllTime,
    /// `from..=to`; compared with as many days just before.
    Custom,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DashboardQuery {
    pub period: Period,
    /// For `custom`: the first and last day (inclusive, `YYYY-MM-DD`).
    pub from: Option<String>,
    pub to: Option<String>,
    pub bucket: Bucket,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Dashboard {
    /// The day (in the ledger's time zone) the relative periods were counted from.
    pub today: String,
    /// The period's first and last day; none for an open end (all time).
    pub from: Option<String>,
    pub to: Option<String>,
    pub previous_from: Option<String>,
    pub previous_to: Option<String>,
    /// Per currency, sorted by currency.
    pub totals: Vec<Figures>,
    /// The previous period's totals per currency; empty for all time.
    pub previous: Vec<Figures>,
    pub series: Vec<SeriesPoint>,
    /// Per platform and currency.
    pub platforms: Vec<GroupFigures>,
    /// The best-earning products of each currency, highest net first.
    pub products: Vec<GroupFigures>,
    /// Per country (`""` when unknown) and currency.
    pub countries: Vec<GroupFigures>,
    /// Months (`YYYY-MM`) of the period whose figures still include estimates.
    pub estimated_months: Vec<String>,
    /// Those months' estimates exactly: month, marketplace, currency, how many events and the files
    /// they came from (the report that settles each is that month's final royalties).
    pub still_estimated: Vec<EstimatedPeriod>,
    /// Each platform's first and last day with data, over the whole ledger ("KDP through Nov 20").
    pub coverage: Vec<PlatformCoverage>,
    /// The ledger's data does not cover the whole of this period or of the previous one (it starts
    /// after the previous period does, or ends before this one does): a change between them would
    /// compare part of a period with a whole one, and the window says so instead of a percentage.
    pub comparison_partial: bool,
}

/// A period's days and the previous period's; `None` ends are open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub from: Option<Day>,
    pub to: Option<Day>,
    pub previous: Option<(Day, Day)>,
}

/// Resolves a period against `today`.
pub fn span(query: &DashboardQuery, today: Day) -> Result<Span, EngineError> {
    let same_days_before = |from: Day, to: Day| {
        let length = to.epoch_day() - from.epoch_day() + 1;
        (from.plus_days(-length), from.plus_days(-1))
    };
    Ok(match query.period {
        Period::ThisMonth => {
            let from = today.month_start();
            let previous_from = from.minus_months(1);
            Span {
                from: Some(from),
                to: Some(today),
                previous: Some((previous_from, today.minus_months(1).max(previous_from))),
            }
        }
        Period::Last30Days => {
            let from = today.plus_days(-29);
            Span {
                from: Some(from),
                to: Some(today),
                previous: Some(same_days_before(from, today)),
            }
        }
        Period::LastMonth => {
            let from = today.month_start().minus_months(1);
            let previous_from = from.minus_months(1);
            Span {
                from: Some(from),
                to: Some(from.month_end()),
                previous: Some((previous_from, previous_from.month_end())),
            }
        }
        Period::Last12Months => {
            let to = today.month_start().pred();
            let from = today.month_start().minus_months(12);
            Span {
                from: Some(from),
                to: Some(to),
                previous: Some((from.minus_months(12), from.pred())),
            }
        }
        Period::ThisYear => {
            let from = today.year_start();
            Span {
                from: Some(from),
                to: Some(today),
                previous: Some((from.minus_months(12), today.minus_months(12))),
            }
        }
        Period::AllTime => Span {
            from: None,
            to: None,
            previous: None,
        },
        Period::Custom => {
            let day = |value: &Option<String>, end: &str| -> Result<Day, EngineError> {
                let text = value.as_deref().ok_or_else(|| EngineError::Query {
                    reason: format!("a custom period needs its {end} day"),
                })?;
                Day::parse(text).map_err(|e| EngineError::Query {
                    reason: e.to_string(),
                })
            };
            let (from, to) = (day(&query.from, "first")?, day(&query.to, "last")?);
            if from > to {
                return Err(EngineError::Query {
                    reason: format!("the period starts ({from}) after it ends ({to})"),
                });
            }
            Span {
                from: Some(from),
                to: Some(to),
                previous: Some(same_days_before(from, to)),
            }
        }
    })
}

/// Whether the data covers less than the whole of the period or of the previous one.
fn comparison_partial(span: &Span, coverage: &[PlatformCoverage]) -> bool {
    let first = coverage.iter().map(|c| c.first_day.as_str()).min();
    let last = coverage.iter().map(|c| c.last_day.as_str()).max();
    match (span.previous, first, last) {
        (Some((previous_from, _)), Some(first), Some(last)) => {
            first > previous_from.iso().as_str()
                || span.to.is_some_and(|to| last < to.iso().as_str())
        }
        _ => false,
    }
}

/// The products with the highest net in each currency, at most `TOP_PRODUCTS` per currency.
fn top_products(mut products: Vec<GroupFigures>) -> Vec<GroupFigures> {
    products.sort_by(|a, b| {
        (
            a.figures.currency.as_str(),
            -a.figures.net_minor,
            a.key.as_str(),
        )
            .cmp(&(
                b.figures.currency.as_str(),
                -b.figures.net_minor,
                b.key.as_str(),
            ))
    });
    let mut kept: Vec<GroupFigures> = Vec::new();
    let mut in_currency = 0;
    for product in products {
        if kept
            .last()
            .is_some_and(|last| last.figures.currency != product.figures.currency)
        {
            in_currency = 0;
        }
        if in_currency < TOP_PRODUCTS {
            in_currency += 1;
            kept.push(product);
        }
    }
    kept
}

impl Workspace {
    /// The dashboard for `query`, with relative periods counted from `today` (UTC).
    pub fn dashboard(&self, query: &DashboardQuery, today: Day) -> Result<Dashboard, EngineError> {
        let span = span(query, today)?;
        let ledger = &self.ledger;
        // One state of the ledger for every figure, even while the CLI or a sync commits.
        let _snapshot = ledger.snapshot()?;
        let grouped = |by| ReportQuery {
            from: span.from,
            to: span.to,
            by: Some(by),
        };
        let totals = ledger.report(&grouped(GroupBy::Month))?;
        let estimated_months = totals
            .groups
            .iter()
            .filter(|g| g.figures.estimated_events > 0)
            .map(|g| g.key.clone())
            .fold(Vec::<String>::new(), |mut months, month| {
                if months.last() != Some(&month) {
                    months.push(month);
                }
                months
            });
        // Only a ledger with estimates in the period reads them one by one.
        let still_estimated = match estimated_months.is_empty() {
            true => Vec::new(),
            false => ledger
                .still_estimated()?
                .into_iter()
                .filter(|p| estimated_months.contains(&p.month))
                .collect(),
        };
        let coverage = ledger.coverage()?;
        let previous = match span.previous {
            Some((from, to)) => {
                ledger
                    .report(&ReportQuery {
                        from: Some(from),
                        to: Some(to),
                        by: None,
                    })?
                    .totals
            }
            None => Vec::new(),
        };
        Ok(Dashboard {
            today: today.iso(),
            from: span.from.map(Day::iso),
            to: span.to.map(Day::iso),
            previous_from: span.previous.map(|(from, _)| from.iso()),
            previous_to: span.previous.map(|(_, to)| to.iso()),
            totals: totals.totals,
            previous,
            series: ledger.series(span.from, span.to, query.bucket)?,
            platforms: ledger.report(&grouped(GroupBy::Platform))?.groups,
            products: top_products(ledger.report(&grouped(GroupBy::Product))?.groups),
            countries: ledger.report(&grouped(GroupBy::Country))?.groups,
            estimated_months,
            still_estimated,
            comparison_partial: comparison_partial(&span, &coverage),
            coverage,
        })
    }
}
