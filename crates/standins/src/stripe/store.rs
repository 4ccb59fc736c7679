//! The Stripe stand-in's charges, newest first as every Stripe list sorts (`created` descending, ties
//! by the order they were made in), and the lists derived from them: refunds and disputes, each
//! newest first by its own `created`. Ids are made up from a running number, Stripe-shaped.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};

use super::charge::{ChargeStatus, DisputeStatus, StandInCharge, StandInDispute, StandInRefund};
use crate::error::StandInError;
use crate::refund::Refund;
use crate::rng::mix;

/// (created, running number): the newest is the last key.
type Key = (i64, u64);

#[derive(Debug, Default)]
pub(crate) struct ChargeStore {
    by_key: BTreeMap<Key, StandInCharge>,
    by_id: HashMap<String, Key>,
    seq: u64,
}

/// A refund or dispute in a list, with the charge it belongs to.
pub(crate) struct Of<'a, T> {
    pub item: &'a T,
    pub charge: &'a StandInCharge,
}

impl ChargeStore {
    pub fn insert(&mut self, mut charge: StandInCharge) -> Result<StandInCharge, StandInError> {
        self.seq += 1;
        if charge.id.is_empty() {
            charge.id = stripe_id("ch", self.seq);
        }
        if self.by_id.contains_key(&charge.id) {
            return Err(StandInError::DuplicateId(charge.id));
        }
        for (i, r) in charge.refunds.iter_mut().enumerate() {
            if r.id.is_empty() {
                r.id = stripe_id("re", self.seq * 64 + i as u64);
            }
        }
        if let Some(d) = charge.dispute.as_mut().filter(|d| d.id.is_empty()) {
            d.id = stripe_id("dp", self.seq);
        }
        let key = (charge.created.timestamp(), self.seq);
        self.by_id.insert(charge.id.clone(), key);
        self.by_key.insert(key, charge.clone());
        Ok(charge)
    }

    pub fn get(&self, id: &str) -> Option<&StandInCharge> {
        self.by_id.get(id).and_then(|k| self.by_key.get(k))
    }

    fn get_mut(&mut self, id: &str) -> Result<&mut StandInCharge, StandInError> {
        let key = *self
            .by_id
            .get(id)
            .ok_or_else(|| StandInError::UnknownSale(id.to_owned()))?;
        self.by_key
            .get_mut(&key)
            .ok_or_else(|| StandInError::UnknownSale(id.to_owned()))
    }

    /// Every charge, newest first.
    pub fn all(&self) -> impl Iterator<Item = &StandInCharge> {
        self.by_key.values().rev()
    }

    /// The charges after `id` in list order (older ones), newest first; `None` for an unknown id.
    pub fn older_than(&self, id: &str) -> Option<impl Iterator<Item = &StandInCharge>> {
        let key = *self.by_id.get(id)?;
        Some(self.by_key.range(..key).rev().map(|(_, c)| c))
    }

    /// Every refund, newest first (by the refund's `created`).
    pub fn refunds(&self) -> Vec<Of<'_, StandInRefund>> {
        let mut out: Vec<_> = self
            .by_key
            .values()
            .flat_map(|c| c.refunds.iter().map(move |r| Of { item: r, charge: c }))
            .collect();
        out.sort_by(|a, b| {
            b.item
                .created
                .cmp(&a.item.created)
                .then(b.item.id.cmp(&a.item.id))
        });
        out
    }

    /// Every dispute, newest first.
    pub fn disputes(&self) -> Vec<Of<'_, StandInDispute>> {
        let mut out: Vec<_> = self
            .by_key
            .values()
            .filter_map(|c| c.dispute.as_ref().map(|d| Of { item: d, charge: c }))
            .collect();
        out.sort_by(|a, b| {
            b.item
                .created
                .cmp(&a.item.created)
                .then(b.item.id.cmp(&a.item.id))
        });
        out
    }

    /// Refunds a succeeded charge now; `Refund::Partial` is in the charge currency's minor units.
    pub fn refund(&mut self, id: &str, refund: Refund) -> Result<StandInCharge, StandInError> {
        let seq = self.seq + 1;
        self.seq = seq;
        let charge = self.get_mut(id)?;
        if charge.status != ChargeStatus::Succeeded {
            return Err(StandInError::NotPaid(id.to_owned()));
        }
        if charge.dispute.is_some() {
            return Err(StandInError::ChargedBack(id.to_owned()));
        }
        let left = charge.amount - charge.amount_refunded();
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
        let created = whole_second(Utc::now()).max(charge.created);
        charge.refunds.push(StandInRefund {
            id: stripe_id("re", seq * 64 + charge.refunds.len() as u64),
            amount,
            created,
        });
        Ok(charge.clone())
    }

    /// Opens a dispute of the whole charge now (`needs_response`).
    pub fn dispute(&mut self, id: &str) -> Result<StandInCharge, StandInError> {
        let seq = self.seq + 1;
        self.seq = seq;
        let charge = self.get_mut(id)?;
        if charge.status != ChargeStatus::Succeeded {
            return Err(StandInError::NotPaid(id.to_owned()));
        }
        if charge.dispute.is_some() {
            return Err(StandInError::ChargedBack(id.to_owned()));
        }
        if charge.amount_refunded() > 0 {
            return Err(StandInError::Refunded(id.to_owned()));
        }
        charge.dispute = Some(StandInDispute {
            id: stripe_id("dp", seq),
            amount: charge.amount,
            status: DisputeStatus::NeedsResponse,
            created: whole_second(Utc::now()).max(charge.created),
        });
        Ok(charge.clone())
    }

    /// Closes the charge's open dispute, won or lost.
    pub fn close_dispute(&mut self, id: &str, won: bool) -> Result<StandInCharge, StandInError> {
        let charge = self.get_mut(id)?;
        match charge.dispute.as_mut() {
            Some(d)
                if matches!(
                    d.status,
                    DisputeStatus::NeedsResponse | DisputeStatus::UnderReview
                ) =>
            {
                d.status = if won {
                    DisputeStatus::Won
                } else {
                    DisputeStatus::Lost
                };
            }
            _ => return Err(StandInError::NotDisputed(id.to_owned())),
        }
        Ok(charge.clone())
    }

    /// The oldest succeeded charge with no refund and no dispute.
    pub fn oldest_untouched(&self) -> Option<String> {
        self.by_key
            .values()
            .find(|c| {
                c.status == ChargeStatus::Succeeded && c.refunds.is_empty() && c.dispute.is_none()
            })
            .map(|c| c.id.clone())
    }

    /// A new succeeded charge one second after the newest (now, when there is none).
    pub fn insert_newest(&mut self) -> Result<StandInCharge, StandInError> {
        let at = match self.by_key.values().next_back() {
            Some(c) => c.created + Duration::seconds(1),
            None => whole_second(Utc::now()),
        };
        let n = self.by_key.len() + 1;
        self.insert(
            StandInCharge::new(at, "Ebook", 2000).email(&format!("late-buyer{n}@example.com")),
        )
    }
}

/// Stripe instants are whole seconds (`created` is a Unix timestamp).
pub(crate) fn whole_second(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(at.timestamp(), 0).unwrap_or(at)
}

/// `ch_3PqR8sAbCdEfGh12`-shaped: the prefix and 24 letters and digits derived from `n`.
pub(crate) fn stripe_id(prefix: &str, n: u64) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut out = String::with_capacity(prefix.len() + 25);
    out.push_str(prefix);
    out.push('_');
    let (mut a, mut b) = (mix(n ^ 0x5771_9E00), mix(n.rotate_left(17) ^ 0x00C4_A26E));
    for i in 0..24 {
        let word = if i < 12 { &mut a } else { &mut b };
        out.push(ALPHABET[(*word % 62) as usize] as char);
        *word /= 62;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn charges_get_ids_and_refunds_and_disputes_keep_their_rules() {
        let mut store = ChargeStore::default();
        let at = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        let a = store.insert(StandInCharge::new(at, "A", 1000)).unwrap();
        let b = store
            .insert(StandInCharge::new(at, "B", 1000).status(ChargeStatus::Failed))
            .unwrap();
        assert!(a.id.starts_with("ch_") && a.id.len() == 27, "{}", a.id);
        assert_ne!(a.id, b.id);
        assert_eq!(store.all().next().map(|c| c.id.clone()), Some(b.id.clone()));
        assert!(matches!(
            store.refund(&b.id, Refund::Full),
            Err(StandInError::NotPaid(_))
        ));
        assert_eq!(
            store
                .refund(&a.id, Refund::Partial(400))
                .unwrap()
                .amount_refunded(),
            400
        );
        assert!(store.refund(&a.id, Refund::Full).unwrap().refunded());
        assert!(matches!(
            store.refund(&a.id, Refund::Full),
            Err(StandInError::AlreadyRefunded(_))
        ));
        assert!(matches!(
            store.dispute(&a.id),
            Err(StandInError::Refunded(_))
        ));
        assert_eq!(store.refunds().len(), 2);
        let c = store.insert_newest().unwrap();
        assert_eq!(c.created, at + Duration::seconds(1));
        store.dispute(&c.id).unwrap();
        assert!(store.close_dispute(&c.id, true).unwrap().dispute.is_some());
        assert!(matches!(
            store.close_dispute(&c.id, false),
            Err(StandInError::NotDisputed(_))
        ));
        assert_eq!(store.disputes().len(), 1);
        assert_eq!(store.oldest_untouched(), None);
    }
}
