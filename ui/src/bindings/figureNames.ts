// Generated from crates/engine/src/figure_names.rs by src-tauri/src/bindings.rs. Do not edit.
// Sales - Refunds - Chargebacks - Fees + Adjustments = Net.
export const MONEY_FIGURES = [
  { key: "sales_minor", label: "Sales", deducted: false, always: true, meaning: "What buyers paid: sales, subscriptions and royalties" },
  { key: "refunds_minor", label: "Refunds", deducted: true, always: true, meaning: "What refunds gave back to buyers" },
  { key: "chargebacks_minor", label: "Chargebacks", deducted: true, always: false, meaning: "What disputes the creator lost took back" },
  { key: "fees_minor", label: "Fees", deducted: true, always: true, meaning: "The platforms' and payment processors' fees" },
  { key: "adjustments_minor", label: "Adjustments", deducted: false, always: false, meaning: "Adjustments, and what platforms withheld (tax) or added beyond their fees" },
  { key: "net_minor", label: "Net", deducted: false, always: true, meaning: "What the creator keeps" },
] as const;
