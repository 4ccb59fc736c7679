//! Stripe's objects as the connector reads them (contract §3.5): lists, charges with their balance
//! transaction and refunds expanded, refunds, disputes with their balance transactions, the account.
//! Only the fields the ledger uses; an expandable field may arrive as an id or as its object.

use serde::Deserialize;

#[derive(Deserialize)]
pub struct List<T> {
    pub data: Vec<T>,
    pub has_more: bool,
}

/// A field Stripe writes as an id unless the request expanded it.
#[derive(Deserialize)]
#[serde(untagged)]
pub enum Expandable<T> {
    Object(Box<T>),
    Id(String),
}

impl<T> Expandable<T> {
    pub fn object(&self) -> Option<&T> {
        match self {
            Expandable::Object(o) => Some(o),
            Expandable::Id(_) => None,
        }
    }
}

#[derive(Deserialize)]
pub struct BalanceTransaction {
    pub id: String,
    pub amount: i64,
    pub fee: i64,
    pub net: i64,
    pub currency: String,
}

#[derive(Deserialize)]
pub struct Charge {
    pub id: String,
    pub created: i64,
    pub status: String,
    #[serde(default = "yes")]
    pub captured: bool,
    pub balance_transaction: Option<Expandable<BalanceTransaction>>,
    pub refunds: Option<List<Refund>>,
    pub description: Option<String>,
    pub receipt_email: Option<String>,
    pub billing_details: Option<BillingDetails>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
pub struct BillingDetails {
    pub email: Option<String>,
    pub address: Option<Address>,
}

#[derive(Deserialize)]
pub struct Address {
    pub country: Option<String>,
}

#[derive(Deserialize)]
pub struct Refund {
    pub id: String,
    pub created: i64,
    pub status: Option<String>,
    pub balance_transaction: Option<Expandable<BalanceTransaction>>,
    pub charge: Option<Expandable<Charge>>,
}

impl Refund {
    /// The charge's id, whether or not it was expanded.
    pub fn charge_id(&self) -> Option<&str> {
        match self.charge.as_ref()? {
            Expandable::Object(c) => Some(&c.id),
            Expandable::Id(id) => Some(id),
        }
    }
}

#[derive(Deserialize)]
pub struct Dispute {
    pub id: String,
    pub created: i64,
    pub charge: Expandable<Charge>,
    #[serde(default)]
    pub balance_transactions: Vec<BalanceTransaction>,
}

#[derive(Deserialize)]
pub struct Account {
    pub id: String,
    pub email: Option<String>,
    pub settings: Option<AccountSettings>,
    pub business_profile: Option<BusinessProfile>,
}

#[derive(Deserialize)]
pub struct AccountSettings {
    pub dashboard: Option<Dashboard>,
}

#[derive(Deserialize)]
pub struct Dashboard {
    pub display_name: Option<String>,
}

#[derive(Deserialize)]
pub struct BusinessProfile {
    pub name: Option<String>,
}

impl Account {
    /// The name the person knows the account by.
    pub fn display_name(&self) -> String {
        let dashboard = self
            .settings
            .as_ref()
            .and_then(|s| s.dashboard.as_ref())
            .and_then(|d| d.display_name.clone());
        let business = self.business_profile.as_ref().and_then(|b| b.name.clone());
        dashboard
            .or(business)
            .or_else(|| self.email.clone())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| self.id.clone())
    }
}
