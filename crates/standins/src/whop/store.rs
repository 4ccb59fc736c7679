//! The Whop stand-in's payments, kept oldest first by `created_at` (ties by id), with the changes
//! tests make: inserts (ids given to those without), refunds (which move `updated_at`), and the
//! newest-payment and refund-the-oldest changes the shared faults ask for.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};

use super::payment::{StandInPayment, Status};
use crate::error::StandInError;
use crate::refund::Refund;
use crate::rng::mix;

type Key = (i64, String);

#[derive(Debug, Default)]
pub(crate) struct PaymentStore {
    by_key: BTreeMap<Key, StandInPayment>,
    by_id: HashMap<String, Key>,
    /// Ids handed out so far, for the next one.
    issued: u64,
}

impl PaymentStore {
    pub fn insert(&mut self, mut p: StandInPayment) -> Result<StandInPayment, StandInError> {
        if p.id.is_empty() {
            loop {
                self.issued += 1;
                let id = payment_id(self.issued);
                if !self.by_id.contains_key(&id) {
                    p.id = id;
                    break;
                }
            }
        } else if self.by_id.contains_key(&p.id) {
            return Err(StandInError::DuplicateId(p.id));
        }
        if p.updated_at < p.created_at {
            p.updated_at = p.created_at;
        }
        let key = (p.created_at.timestamp_micros(), p.id.clone());
        self.by_id.insert(p.id.clone(), key.clone());
        self.by_key.insert(key, p.clone());
        Ok(p)
    }

    pub fn get(&self, id: &str) -> Option<&StandInPayment> {
        self.by_id.get(id).and_then(|k| self.by_key.get(k))
    }

    /// Every payment, oldest first.
    pub fn all(&self) -> impl DoubleEndedIterator<Item = &StandInPayment> {
        self.by_key.values()
    }

    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    /// Refunds a paid payment (`Refund::Partial` in its currency's minor units); `refunded_at` and
    /// `updated_at` become now.
    pub fn refund(&mut self, id: &str, refund: Refund) -> Result<StandInPayment, StandInError> {
        let key = self
            .by_id
            .get(id)
            .cloned()
            .ok_or_else(|| StandInError::UnknownSale(id.to_owned()))?;
        let p = self
            .by_key
            .get_mut(&key)
            .ok_or_else(|| StandInError::UnknownSale(id.to_owned()))?;
        if p.status != Status::Paid {
            return Err(StandInError::NotPaid(id.to_owned()));
        }
        if p.dispute.is_some() {
            return Err(StandInError::ChargedBack(id.to_owned()));
        }
        let left = p.total() - p.refunded_amount;
        if left <= 0 {
            return Err(StandInError::AlreadyRefunded(id.to_owned()));
        }
        let amount = match refund {
            Refund::Full => left,
            Refund::Partial(a) => a,
        };
        if amount <= 0 || amount > left {
            return Err(StandInError::InvalidAmount {
                id: id.to_owned(),
                amount,
                refundable: left,
            });
        }
        // Milliseconds, as the API writes times; later than anything the payment showed before.
        let now =
            DateTime::from_timestamp_millis(Utc::now().timestamp_millis()).unwrap_or_else(Utc::now);
        let now = now.max(p.updated_at + Duration::milliseconds(1));
        p.refunded_amount += amount;
        p.refunded_at = Some(now);
        p.updated_at = now;
        Ok(p.clone())
    }

    /// Opens a dispute now, or settles the open one; `updated_at` moves, as for a refund.
    pub fn dispute(
        &mut self,
        id: &str,
        outcome: super::payment::DisputeOutcome,
    ) -> Result<StandInPayment, StandInError> {
        let key = self
            .by_id
            .get(id)
            .cloned()
            .ok_or_else(|| StandInError::UnknownSale(id.to_owned()))?;
        let p = self
            .by_key
            .get_mut(&key)
            .ok_or_else(|| StandInError::UnknownSale(id.to_owned()))?;
        if !p.moved_money() {
            return Err(StandInError::NotPaid(id.to_owned()));
        }
        let now =
            DateTime::from_timestamp_millis(Utc::now().timestamp_millis()).unwrap_or_else(Utc::now);
        let now = now.max(p.updated_at + Duration::milliseconds(1));
        let alerted_at = p.dispute.as_ref().map_or(now, |d| d.alerted_at);
        p.dispute = Some(super::payment::WhopDispute {
            outcome,
            alerted_at,
        });
        p.updated_at = now;
        Ok(p.clone())
    }

    /// The oldest paid payment with money and no refund.
    pub fn oldest_untouched(&self) -> Option<String> {
        self.all()
            .find(|p| p.moved_money() && p.refunded_amount == 0 && p.dispute.is_none())
            .map(|p| p.id.clone())
    }

    /// A new paid payment one second after the newest (now, when there is none).
    pub fn insert_newest(&mut self) -> Result<StandInPayment, StandInError> {
        let at = match self.by_key.values().next_back() {
            Some(p) => {
                let whole =
                    DateTime::from_timestamp(p.created_at.timestamp(), 0).unwrap_or(p.created_at);
                whole + Duration::seconds(1)
            }
            None => DateTime::from_timestamp(Utc::now().timestamp(), 0).unwrap_or_else(Utc::now),
        };
        let n = self.len() + 1;
        self.insert(
            StandInPayment::new(at, "Trading Course", 4999)
                .email(&format!("late-member{n}@example.com")),
        )
    }
}

/// `pay_` and 14 letters and digits derived from a number, distinct for distinct numbers.
pub(crate) fn payment_id(n: u64) -> String {
    const CHARS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    // `mix` is a bijection, and 62^14 > 2^64: base 62 of it keeps the ids distinct.
    let mut z = mix(n ^ 0x5748_4F50);
    let mut out = [b'0'; 14];
    for slot in out.iter_mut().rev() {
        *slot = CHARS[(z % 62) as usize];
        z /= 62;
    }
    format!("pay_{}", String::from_utf8_lossy(&out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn payments_get_ids_and_refunds_keep_their_rules() {
        let mut store = PaymentStore::default();
        let at = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        let a = store.insert(StandInPayment::new(at, "A", 1000)).unwrap();
        let b = store
            .insert(StandInPayment::new(at, "B", 1000).status(Status::Open))
            .unwrap();
        assert!(a.id.starts_with("pay_") && a.id.len() == 18, "{}", a.id);
        assert_ne!(a.id, b.id);
        assert!(matches!(
            store.insert(a.clone()),
            Err(StandInError::DuplicateId(_))
        ));
        assert_eq!(
            store.refund(&b.id, Refund::Full),
            Err(StandInError::NotPaid(b.id.clone()))
        );
        let part = store.refund(&a.id, Refund::Partial(400)).unwrap();
        assert_eq!(part.substatus(), "partially_refunded");
        assert!(part.updated_at > a.updated_at);
        assert_eq!(
            store.refund(&a.id, Refund::Full).unwrap().substatus(),
            "refunded"
        );
        assert!(matches!(
            store.refund(&a.id, Refund::Full),
            Err(StandInError::AlreadyRefunded(_))
        ));
        assert_eq!(store.oldest_untouched(), None);
        let newest = store.insert_newest().unwrap();
        assert_eq!(newest.created_at, at + Duration::seconds(1));
    }
}
