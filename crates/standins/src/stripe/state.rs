//! What the Stripe stand-in's handlers share: the charges and the API keys with what each may read.

use std::collections::HashMap;
use std::sync::Mutex;

use super::store::ChargeStore;

/// What a restricted key may read (Stripe's `rak_*_read` permissions); a secret key reads all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    Charges,
    Refunds,
    Disputes,
    BalanceTransactions,
    Account,
}

impl Permission {
    pub const ALL: [Permission; 5] = [
        Permission::Charges,
        Permission::Refunds,
        Permission::Disputes,
        Permission::BalanceTransactions,
        Permission::Account,
    ];

    /// The name Stripe's 403 gives the permission.
    pub fn rak_name(self) -> &'static str {
        match self {
            Permission::Charges => "rak_charge_read",
            Permission::Refunds => "rak_refund_read",
            Permission::Disputes => "rak_dispute_read",
            Permission::BalanceTransactions => "rak_balance_transaction_source_read",
            Permission::Account => "rak_accounts_kyc_basic_read",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Grant {
    pub valid: bool,
    pub permissions: Vec<Permission>,
}

impl Grant {
    pub fn allows(&self, p: Permission) -> bool {
        self.permissions.contains(&p)
    }
}

pub(crate) struct StripeState {
    pub store: Mutex<ChargeStore>,
    pub keys: Mutex<HashMap<String, Grant>>,
}
