//! The Lemon Squeezy stand-in's orders, newest first as `GET /v1/orders` sorts them (`-createdAt`,
//! ties by id), with the filters the contract lists and the changes tests make.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};

use super::generate::{FIRST_ID, FIRST_ORDER_NUMBER};
use super::order::{Payment, StandInOrder};
use crate::error::StandInError;
use crate::refund::Refund;
use crate::rng::mix;

type Key = (i64, u64);

#[derive(Debug, Default)]
pub(crate) struct OrderStore {
    by_key: BTreeMap<Key, StandInOrder>,
    by_id: HashMap<u64, Key>,
    max_id: u64,
    max_order_number: u64,
}

/// `filter[store_id]`, `filter[user_email]`, `filter[order_number]`.
#[derive(Debug, Default, Clone)]
pub(crate) struct Filter {
    pub store_id: Option<u64>,
    pub user_email: Option<String>,
    pub order_number: Option<u64>,
}

impl OrderStore {
    pub fn insert(&mut self, mut order: StandInOrder) -> Result<StandInOrder, StandInError> {
        if order.id == 0 || self.by_id.contains_key(&order.id) {
            order.id = self.max_id.max(FIRST_ID - 1) + 1;
        }
        if order.order_number == 0 {
            order.order_number = self.max_order_number.max(FIRST_ORDER_NUMBER - 1) + 1;
        }
        if order.identifier.is_empty() {
            order.identifier = uuid_like(order.id);
        }
        if order.updated_at < order.created_at {
            order.updated_at = order.created_at;
        }
        let key = (order.created_at.timestamp_micros(), order.id);
        self.max_id = self.max_id.max(order.id);
        self.max_order_number = self.max_order_number.max(order.order_number);
        self.by_id.insert(order.id, key);
        self.by_key.insert(key, order.clone());
        Ok(order)
    }

    pub fn get(&self, id: u64) -> Option<&StandInOrder> {
        self.by_id.get(&id).and_then(|k| self.by_key.get(k))
    }

    /// Every order, newest first.
    pub fn all(&self) -> impl Iterator<Item = &StandInOrder> {
        self.by_key.values().rev()
    }

    /// The orders passing `filter`, newest first.
    pub fn matching<'a>(
        &'a self,
        filter: &'a Filter,
    ) -> impl Iterator<Item = &'a StandInOrder> + 'a {
        self.all()
            .filter(|o| filter.store_id.is_none_or(|s| o.store_id == s))
            .filter(|o| {
                filter
                    .user_email
                    .as_ref()
                    .is_none_or(|e| &o.user_email == e)
            })
            .filter(|o| filter.order_number.is_none_or(|n| o.order_number == n))
    }

    pub fn refund(&mut self, id: u64, refund: Refund) -> Result<StandInOrder, StandInError> {
        let name = id.to_string();
        let key = *self
            .by_id
            .get(&id)
            .ok_or_else(|| StandInError::UnknownSale(name.clone()))?;
        let order = self
            .by_key
            .get_mut(&key)
            .ok_or_else(|| StandInError::UnknownSale(name.clone()))?;
        if order.payment != Payment::Paid {
            return Err(StandInError::NotPaid(name));
        }
        let left = order.total() - order.refunded_amount;
        if left <= 0 {
            return Err(StandInError::AlreadyRefunded(name));
        }
        let amount = match refund {
            Refund::Full => left,
            Refund::Partial(a) => a,
        };
        if amount <= 0 || amount > left {
            return Err(StandInError::InvalidAmount {
                id: name,
                amount,
                refundable: left,
            });
        }
        let now = Utc::now();
        order.refunded_amount += amount;
        order.refunded_at = Some(now);
        order.updated_at = now.max(order.created_at);
        Ok(order.clone())
    }

    /// The oldest paid order with no refund.
    pub fn oldest_untouched(&self) -> Option<u64> {
        self.by_key
            .values()
            .find(|o| o.payment == Payment::Paid && o.refunded_amount == 0 && o.total() > 0)
            .map(|o| o.id)
    }

    /// A new paid order one second after the newest (now, when there is none).
    pub fn insert_newest(&mut self) -> Result<StandInOrder, StandInError> {
        let at = match self.by_key.values().next_back() {
            Some(o) => {
                let whole =
                    DateTime::from_timestamp(o.created_at.timestamp(), 0).unwrap_or(o.created_at);
                whole
                    .checked_add_signed(Duration::seconds(1))
                    .unwrap_or(whole)
            }
            None => DateTime::from_timestamp(Utc::now().timestamp(), 0).unwrap_or_else(Utc::now),
        };
        let n = self.by_key.len() + 1;
        self.insert(
            StandInOrder::new(at, "Icon Set Pro", 1900)
                .email(&format!("late-customer{n}@example.com")),
        )
    }
}

/// `104e18a2-d755-4d4b-80c4-a6c1dcbe1c10`-shaped, derived from the id.
fn uuid_like(id: u64) -> String {
    let (a, b) = (mix(id ^ 0x1E30_75C1), mix(id.rotate_left(29) ^ 0x0D_EC0D));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        a & 0x0FFF,
        0x8000 | (b >> 48) & 0x3FFF,
        b & 0xFFFF_FFFF_FFFF
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn orders_get_ids_numbers_and_identifiers_and_refunds_keep_their_rules() {
        let mut store = OrderStore::default();
        let at = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        let a = store.insert(StandInOrder::new(at, "A", 1000)).unwrap();
        let b = store
            .insert(StandInOrder::new(at, "B", 1000).payment(Payment::Failed))
            .unwrap();
        assert_eq!((a.id, b.id), (FIRST_ID, FIRST_ID + 1));
        assert_eq!(
            (a.order_number, b.order_number),
            (FIRST_ORDER_NUMBER, FIRST_ORDER_NUMBER + 1)
        );
        assert_eq!(a.identifier.len(), 36);
        assert_ne!(a.identifier, b.identifier);
        assert_eq!(
            store.all().next().map(|o| o.id),
            Some(b.id),
            "ties: the higher id first"
        );
        assert_eq!(
            store.refund(b.id, Refund::Full),
            Err(StandInError::NotPaid(b.id.to_string()))
        );
        assert_eq!(
            store.refund(a.id, Refund::Partial(400)).unwrap().status(),
            "partial_refund"
        );
        assert_eq!(
            store.refund(a.id, Refund::Full).unwrap().status(),
            "refunded"
        );
        assert!(matches!(
            store.refund(a.id, Refund::Full),
            Err(StandInError::AlreadyRefunded(_))
        ));
        assert_eq!(store.oldest_untouched(), None);
        let newest = store.insert_newest().unwrap();
        assert_eq!(newest.created_at, at + Duration::seconds(1));
    }
}
