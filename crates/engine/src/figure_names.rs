//! The money figures' names, in the order every table, card and preview shows them: the one list the
//! CLI's tables and the window read (the window through `ui/src/bindings/figureNames.ts`, generated
//! from this list). What each figure sums is `tributary_ledger::Figures`'; the identity is
//! Sales − Refunds − Chargebacks − Fees + Adjustments = Net.

use tributary_ledger::Figures;

/// One money figure as people read it.
#[derive(Clone, Copy)]
pub struct FigureName {
    /// Its field in `Figures` (and in the JSON of `tributary report --json`).
    pub key: &'static str,
    pub label: &'static str,
    /// Taken off on the way to Net: shown with a minus sign (the JSON keeps it positive).
    pub deducted: bool,
    /// Shown even when zero (Chargebacks and Adjustments only where some figure has them).
    pub always: bool,
    /// What it holds, in a sentence (tooltips, `tributary report --help`).
    pub meaning: &'static str,
    /// The figure's amount, as the identity adds it (positive for a deduction).
    pub amount: fn(&Figures) -> i64,
}

impl FigureName {
    /// The amount as shown: a deduction with its minus sign.
    pub fn shown(&self, f: &Figures) -> i64 {
        if self.deducted {
            -(self.amount)(f)
        } else {
            (self.amount)(f)
        }
    }
}

pub const MONEY_FIGURES: [FigureName; 6] = [
    FigureName {
        key: "sales_minor",
        amount: |f| f.sales_minor,
        label: "Sales",
        deducted: false,
        always: true,
        meaning: "What buyers paid: sales, subscriptions and royalties",
    },
    FigureName {
        key: "refunds_minor",
        amount: |f| f.refunds_minor,
        label: "Refunds",
        deducted: true,
        always: true,
        meaning: "What refunds gave back to buyers",
    },
    FigureName {
        key: "chargebacks_minor",
        amount: |f| f.chargebacks_minor,
        label: "Chargebacks",
        deducted: true,
        always: false,
        meaning: "What disputes the creator lost took back",
    },
    FigureName {
        key: "fees_minor",
        amount: |f| f.fees_minor,
        label: "Fees",
        deducted: true,
        always: true,
        meaning: "The platforms' and payment processors' fees",
    },
    FigureName {
        key: "adjustments_minor",
        amount: |f| f.adjustments_minor,
        label: "Adjustments",
        deducted: false,
        always: false,
        meaning: "Adjustments, and what platforms withheld (tax) or added beyond their fees",
    },
    FigureName {
        key: "net_minor",
        amount: |f| f.net_minor,
        label: "Net",
        deducted: false,
        always: true,
        meaning: "What the creator keeps",
    },
];

/// The figures worth a column for these sums: the four always, Chargebacks and Adjustments where
/// any of them has some.
pub fn figures_shown<'a>(all: impl IntoIterator<Item = &'a Figures> + Clone) -> Vec<FigureName> {
    MONEY_FIGURES
        .into_iter()
        .filter(|name| name.always || all.clone().into_iter().any(|f| (name.amount)(f) != 0))
        .collect()
}

/// The list as TypeScript, for `ui/src/bindings/figureNames.ts`.
pub fn figure_names_typescript() -> String {
    let mut out = String::from(
        "// Generated from crates/engine/src/figure_names.rs by src-tauri/src/bindings.rs. Do not edit.\n\
         // Sales - Refunds - Chargebacks - Fees + Adjustments = Net.\n\
         export const MONEY_FIGURES = [\n",
    );
    for f in MONEY_FIGURES {
        out.push_str(&format!(
            "  {{ key: {:?}, label: {:?}, deducted: {}, always: {}, meaning: {:?} }},\n",
            f.key, f.label, f.deducted, f.always, f.meaning
        ));
    }
    out.push_str("] as const;\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shown_figures_add_up_to_net() {
        let f = Figures {
            currency: "EUR".into(),
            sales_minor: 10_000,
            refunds_minor: 1_500,
            chargebacks_minor: 2_000,
            fees_minor: 640,
            adjustments_minor: -100,
            net_minor: 5_760,
            ..Figures::default()
        };
        assert!(f.reconciles());
        let shown = figures_shown([&f]);
        assert_eq!(shown.len(), 6);
        let (last, terms) = shown.split_last().unwrap();
        assert_eq!(last.label, "Net");
        assert_eq!(
            terms.iter().map(|n| n.shown(&f)).sum::<i64>(),
            last.shown(&f)
        );
        // Without chargebacks or adjustments, their columns go.
        let plain = Figures {
            chargebacks_minor: 0,
            adjustments_minor: 0,
            net_minor: 7_860,
            ..f
        };
        let labels: Vec<_> = figures_shown([&plain]).iter().map(|n| n.label).collect();
        assert_eq!(labels, ["Sales", "Refunds", "Fees", "Net"]);
    }
}
