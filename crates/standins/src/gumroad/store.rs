//! The Gumroad stand-in's sales, kept in the API's order (`created_at`, then the internal number)
//! with an index by external id, and the changes tests make to them: sales added, refunded, charged
//! back, disputes won.
//!
//! Numbers. Gumroad's next-page condition is `created_at <= key_time AND id < key_id`, which walks
//! every sale exactly once only because Gumroad's ids grow with `created_at`. The store keeps that
//! true: a sale added without a number gets one between its neighbours' numbers (generated sales
//! are numbered 1024 apart), or the next after the largest when it is the newest. Only when no
//! number is left between its neighbours (or a caller sets numbers out of order) does a sale get a
//! number out of order — and then, exactly as on Gumroad, a page walk can skip it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Bound;

use chrono::{DateTime, Duration, Utc};

use super::generate::{FIRST_NUMBER, NUMBER_STEP};
use super::ids;
use super::sale::StandInSale;
use crate::error::StandInError;
pub use crate::refund::Refund;

type Key = (i64, u64);

#[derive(Debug, Default)]
pub(crate) struct SaleStore {
    by_key: BTreeMap<Key, StandInSale>,
    by_id: HashMap<String, Key>,
    numbers: HashSet<u64>,
    max_number: u64,
}

/// Which sales one `GET /v2/sales` page may show (contract §1.2).
#[derive(Debug, Default, Clone)]
pub(crate) struct Filter {
    /// `created_at >= after` (µs since the epoch).
    pub after: Option<i64>,
    /// `created_at < before`.
    pub before: Option<i64>,
    /// From the `page_key`: `created_at <= time AND number < number`.
    pub page_key: Option<(i64, u64)>,
    pub email: Option<String>,
    pub product_id: Option<String>,
    pub number: Option<u64>,
    pub name: Option<String>,
    /// No stand-in sale has a license, so any `license_key` finds nothing.
    pub license_key: bool,
}

fn key(sale: &StandInSale) -> Key {
    (sale.created_at.timestamp_micros(), sale.number)
}

impl SaleStore {
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    /// Adds a sale, giving it a number and an id when it has none (or a taken one).
    pub fn insert(&mut self, mut sale: StandInSale) -> Result<StandInSale, StandInError> {
        let micros = sale.created_at.timestamp_micros();
        if sale.number == 0
            || sale.number >= ids::NUMBER_LIMIT
            || self.numbers.contains(&sale.number)
        {
            sale.number = self.choose_number(micros);
        }
        if sale.id.is_empty() || self.by_id.contains_key(&sale.id) {
            sale.id = ids::external_id(sale.number);
            if self.by_id.contains_key(&sale.id) {
                return Err(StandInError::DuplicateId(sale.id));
            }
        }
        if sale.product_id.is_empty() {
            sale.product_id = ids::product_id(&sale.product_name);
        }
        if sale.product_permalink.is_empty() {
            sale.product_permalink = ids::permalink(&sale.product_name);
        }
        let k = key(&sale);
        self.numbers.insert(sale.number);
        self.max_number = self.max_number.max(sale.number);
        self.by_id.insert(sale.id.clone(), k);
        self.by_key.insert(k, sale.clone());
        Ok(sale)
    }

    fn choose_number(&self, micros: i64) -> u64 {
        let after_last = if self.numbers.is_empty() {
            FIRST_NUMBER
        } else {
            self.max_number + NUMBER_STEP
        };
        let prev = self
            .by_key
            .range(..=(micros, u64::MAX))
            .next_back()
            .map(|(k, _)| k.1);
        let next = self
            .by_key
            .range((Bound::Excluded((micros, u64::MAX)), Bound::Unbounded))
            .next()
            .map(|(k, _)| k.1);
        match (prev, next) {
            (_, None) => after_last,
            (prev, Some(n)) => {
                let p = prev.unwrap_or(0);
                let candidate = p + (n.saturating_sub(p)) / 2;
                if p < n && candidate > p && !self.numbers.contains(&candidate) {
                    candidate
                } else {
                    after_last
                }
            }
        }
    }

    pub fn get(&self, id: &str) -> Option<&StandInSale> {
        self.by_id.get(id).and_then(|k| self.by_key.get(k))
    }

    fn get_mut(&mut self, id: &str) -> Result<&mut StandInSale, StandInError> {
        let k = self
            .by_id
            .get(id)
            .ok_or_else(|| StandInError::UnknownSale(id.to_owned()))?;
        self.by_key
            .get_mut(k)
            .ok_or_else(|| StandInError::UnknownSale(id.to_owned()))
    }

    /// Every sale, newest first (the API's order).
    pub fn all(&self) -> impl Iterator<Item = &StandInSale> {
        self.by_key.values().rev()
    }

    pub fn knows_product(&self, product_id: &str) -> bool {
        self.by_key.values().any(|s| s.product_id == product_id)
    }

    /// Up to `limit` sales passing `filter`, newest first.
    pub fn list(&self, filter: &Filter, limit: usize) -> Vec<&StandInSale> {
        let mut upper = i64::MAX;
        if let Some(before) = filter.before {
            upper = upper.min(before.saturating_sub(1));
        }
        if let Some((time, _)) = filter.page_key {
            upper = upper.min(time);
        }
        let after = filter.after.unwrap_or(i64::MIN);
        self.by_key
            .range(..=(upper, u64::MAX))
            .rev()
            .take_while(|(k, _)| k.0 >= after)
            .map(|(_, s)| s)
            .filter(|s| filter.page_key.is_none_or(|(_, number)| s.number < number))
            .filter(|s| filter.email.as_ref().is_none_or(|e| &s.email == e))
            .filter(|s| {
                filter
                    .product_id
                    .as_ref()
                    .is_none_or(|p| &s.product_id == p)
            })
            .filter(|s| filter.number.is_none_or(|n| s.number == n))
            .filter(|s| {
                filter.name.as_ref().is_none_or(|n| {
                    let n = n.to_lowercase();
                    s.full_name
                        .as_ref()
                        .is_some_and(|f| f.to_lowercase().contains(&n))
                })
            })
            .filter(|_| !filter.license_key)
            .take(limit)
            .collect()
    }

    pub fn refund(&mut self, id: &str, refund: Refund) -> Result<StandInSale, StandInError> {
        let sale = self.get_mut(id)?;
        if sale.is_refunded() {
            return Err(StandInError::AlreadyRefunded(id.to_owned()));
        }
        if sale.is_chargedback() {
            return Err(StandInError::ChargedBack(id.to_owned()));
        }
        let refundable = sale.price_cents - sale.refunded_cents;
        let amount = match refund {
            Refund::Full => refundable,
            Refund::Partial(cents) => cents,
        };
        if amount <= 0 || amount > refundable {
            return Err(StandInError::InvalidAmount {
                id: id.to_owned(),
                amount,
                refundable,
            });
        }
        sale.refunded_cents += amount;
        Ok(sale.clone())
    }

    pub fn chargeback(&mut self, id: &str) -> Result<StandInSale, StandInError> {
        let sale = self.get_mut(id)?;
        if sale.is_chargedback() {
            return Err(StandInError::ChargedBack(id.to_owned()));
        }
        if sale.refunded_cents > 0 {
            return Err(StandInError::Refunded(id.to_owned()));
        }
        sale.disputed = true;
        sale.dispute_won = false;
        Ok(sale.clone())
    }

    /// The seller won the dispute: `chargedback` becomes false, `dispute_won` true.
    pub fn win_dispute(&mut self, id: &str) -> Result<StandInSale, StandInError> {
        let sale = self.get_mut(id)?;
        if !sale.is_chargedback() {
            return Err(StandInError::NotDisputed(id.to_owned()));
        }
        sale.dispute_won = true;
        Ok(sale.clone())
    }

    /// The oldest sale with no refund and no dispute, for a fault that refunds "an old sale".
    pub fn oldest_untouched(&self) -> Option<String> {
        self.by_key
            .values()
            .find(|s| s.refunded_cents == 0 && !s.disputed && s.price_cents > 0)
            .map(|s| s.id.clone())
    }

    /// A new sale one second after the newest (now, when there is none): "a sale came in".
    pub fn insert_newest(&mut self) -> Result<StandInSale, StandInError> {
        let newest = self.by_key.values().next_back().map(|s| s.created_at);
        let at = match newest {
            Some(t) => {
                let whole = DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t);
                whole
                    .checked_add_signed(Duration::seconds(1))
                    .unwrap_or(whole)
            }
            None => DateTime::from_timestamp(Utc::now().timestamp(), 0).unwrap_or_else(Utc::now),
        };
        let n = self.len() + 1;
        let sale = StandInSale::new(at, "Pencil Icon PSD", 1000)
            .email(&format!("late-buyer{n}@example.com"));
        self.insert(sale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 5, day, 12, 0, 0).unwrap()
    }

    #[test]
    fn added_sales_get_numbers_in_created_at_order() {
        let mut store = SaleStore::default();
        for day in [1, 10, 20] {
            store.insert(StandInSale::new(at(day), "P", 100)).unwrap();
        }
        let middle = store.insert(StandInSale::new(at(15), "P", 100)).unwrap();
        let oldest = store.insert(StandInSale::new(at(1), "P", 100)).unwrap();
        let numbers: Vec<u64> = store.all().map(|s| s.number).collect();
        assert!(numbers.windows(2).all(|w| w[0] > w[1]), "{numbers:?}");
        assert!(store.get(&middle.id).is_some() && store.get(&oldest.id).is_some());
        let newest = store.insert_newest().unwrap();
        assert_eq!(newest.created_at, at(20) + Duration::seconds(1));
        assert_eq!(store.all().next().map(|s| s.id.clone()), Some(newest.id));
    }

    #[test]
    fn refunds_and_chargebacks_keep_their_rules() {
        let mut store = SaleStore::default();
        let a = store.insert(StandInSale::new(at(1), "P", 1000)).unwrap();
        let b = store.insert(StandInSale::new(at(2), "P", 1000)).unwrap();
        assert!(store
            .refund(&a.id, Refund::Partial(300))
            .unwrap()
            .is_partially_refunded());
        assert!(matches!(
            store.refund(&a.id, Refund::Partial(701)),
            Err(StandInError::InvalidAmount {
                refundable: 700,
                ..
            })
        ));
        assert!(store
            .refund(&a.id, Refund::Partial(700))
            .unwrap()
            .is_refunded());
        assert_eq!(
            store.refund(&a.id, Refund::Full),
            Err(StandInError::AlreadyRefunded(a.id.clone()))
        );
        assert_eq!(
            store.chargeback(&a.id),
            Err(StandInError::Refunded(a.id.clone()))
        );
        assert!(store.chargeback(&b.id).unwrap().is_chargedback());
        assert!(!store.win_dispute(&b.id).unwrap().is_chargedback());
        assert_eq!(
            store.refund("nope", Refund::Full),
            Err(StandInError::UnknownSale("nope".into()))
        );
        assert_eq!(store.oldest_untouched(), None);
    }
}
