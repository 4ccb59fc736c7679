//! A deterministic generator of realistic ledger CSV: six platforms, several currencies (JPY and KWD
//! among them), refunds, subscription payments, KENP pages, payouts, product names with commas, quotes
//! and non-ASCII text, and a share of rows repeated exactly (as overlapping exports repeat them).

use std::collections::BTreeMap;
use std::io::Write;

/// Sums a correct report shows for one group and currency.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sums {
    /// Sales: the gross of sales and subscription payments.
    pub sales_minor: i64,
    /// Refunds: what refund rows gave back (positive).
    pub refunds_minor: i64,
    /// Fees: the fee columns, and what fee rows charged.
    pub fees_minor: i64,
    pub net_minor: i64,
    pub units: i64,
    pub events: i64,
}

/// What the generated file must produce, keyed by (group, currency).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expected {
    pub rows_written: u64,
    pub unique_events: u64,
    pub repeated_rows: u64,
    pub by_currency: BTreeMap<String, Sums>,
    pub by_month: BTreeMap<(String, String), Sums>,
    pub by_platform: BTreeMap<(String, String), Sums>,
}

pub struct Fixture {
    pub rows: u64,
    /// What the rows are spread over (platforms, products, currencies).
    pub shape: Shape,
    pub seed: u64,
    /// One row in this many repeats an earlier row exactly (100 → about 1%); 0 for none.
    pub repeat_every: u64,
    /// First external id number, so that two fixtures can overlap or not.
    pub first_id: u64,
}

/// How a fixture's rows are spread.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Shape {
    /// Six platforms with their own currencies (USD, EUR, GBP, JPY, KWD), eight products: one creator's
    /// shop, whose rollups stay small (about 200,000 product-days over four years).
    #[default]
    Shop,
    /// A thousand products over five platforms in four currencies (USD, EUR, GBP, JPY), any product in
    /// any currency: what a merged export of a large catalogue looks like, and the hard case for the
    /// rollups, since nearly every row is a product-day of its own.
    Catalogue,
}

/// The catalogue shape's platforms and currencies; a product's platform is its number modulo five.
const CATALOGUE_PLATFORMS: [&str; 5] = ["gumroad", "stripe", "lemonsqueezy", "whop", "kdp"];
const CATALOGUE_CURRENCIES: [&str; 4] = ["USD", "EUR", "GBP", "JPY"];
const CATALOGUE_PRODUCTS: u64 = 1_000;

const PLATFORMS: [(&str, &[&str]); 6] = [
    ("gumroad", &["USD"]),
    ("stripe", &["USD", "EUR", "GBP", "JPY"]),
    ("lemonsqueezy", &["USD", "EUR"]),
    ("whop", &["USD"]),
    ("kdp", &["USD", "GBP", "EUR", "JPY"]),
    ("whatnot", &["USD", "KWD"]),
];
const COUNTRIES: [&str; 8] = ["US", "DE", "GB", "JP", "FR", "CA", "KW", ""];
const PRODUCTS: [&str; 8] = [
    "The Quiet Garden",
    "Course: \"Sell Your Art\"",
    "Presets, Vol. 2",
    "Ünïcødé Stories 📚",
    "Membership",
    "Zine #4",
    "Pattern Pack",
    "Audio Lessons",
];
/// 2022-01-01T00:00:00Z and four years of seconds.
const START_SECONDS: i64 = 1_640_995_200;
pub const SPAN_SECONDS: i64 = 4 * 365 * 86_400;

/// splitmix64: a well-mixed bijection, so that ids are unique and values look random but are repeatable.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn exponent(currency: &str) -> u32 {
    match currency {
        "JPY" => 0,
        "KWD" => 3,
        _ => 2,
    }
}

fn decimal(minor: i64, currency: &str) -> String {
    let e = exponent(currency);
    if e == 0 {
        return minor.to_string();
    }
    let scale = 10i64.pow(e);
    let sign = if minor < 0 { "-" } else { "" };
    let m = minor.abs();
    format!(
        "{sign}{}.{:0width$}",
        m / scale,
        m % scale,
        width = e as usize
    )
}

fn civil_month(epoch_seconds: i64) -> String {
    // Howard Hinnant's days-to-civil, so that the expectation does not use the ledger's date code.
    let z = epoch_seconds.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}")
}

fn rfc3339(epoch_seconds: i64, offset_minutes: i64) -> String {
    // Written in a local offset for some rows, as real exports are; the instant stays the same.
    let local = epoch_seconds + offset_minutes * 60;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let offset = if offset_minutes == 0 {
        "Z".to_string()
    } else {
        let sign = if offset_minutes < 0 { '-' } else { '+' };
        format!(
            "{sign}{:02}:{:02}",
            offset_minutes.abs() / 60,
            offset_minutes.abs() % 60
        )
    };
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}{offset}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

impl Fixture {
    /// Writes the file and returns what a correct ledger must then report.
    pub fn write(&self, out: impl Write) -> std::io::Result<Expected> {
        self.write_from(out, START_SECONDS)
    }

    /// The same, with the four years of events starting at `start_seconds` (Unix time) instead of
    /// 2022-01-01: the app's benchmark wants them to run up to today, where the dashboard looks.
    pub fn write_from(&self, out: impl Write, start_seconds: i64) -> std::io::Result<Expected> {
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(out);
        csv.write_record([
            "platform",
            "account",
            "external_id",
            "kind",
            "occurred_at",
            "product_id",
            "product_name",
            "quantity",
            "currency",
            "gross",
            "fees",
            "net",
            "buyer_email",
            "country",
        ])?;
        let mut expected = Expected::default();
        let mut written = 0u64;
        let mut n = 0u64;
        while written < self.rows {
            let repeat = self.repeat_every > 0
                && n > 0
                && mix(self.seed ^ (written << 1)).is_multiple_of(self.repeat_every);
            let id = if repeat {
                self.first_id + mix(self.seed.wrapping_add(n)) % n
            } else {
                self.first_id + n
            };
            let row = self.row(id, start_seconds);
            csv.write_record(&row.fields)?;
            written += 1;
            if repeat {
                expected.repeated_rows += 1;
            } else {
                n += 1;
                expected.unique_events += 1;
                if let Some((month, platform, currency, sums)) = row.counted {
                    for entry in [
                        expected.by_currency.entry(currency.clone()).or_default(),
                        expected
                            .by_month
                            .entry((month, currency.clone()))
                            .or_default(),
                        expected
                            .by_platform
                            .entry((platform, currency))
                            .or_default(),
                    ] {
                        entry.sales_minor += sums.sales_minor;
                        entry.refunds_minor += sums.refunds_minor;
                        entry.fees_minor += sums.fees_minor;
                        entry.net_minor += sums.net_minor;
                        entry.units += sums.units;
                        entry.events += sums.events;
                    }
                }
            }
        }
        expected.rows_written = written;
        csv.flush()?;
        Ok(expected)
    }

    fn row(&self, id: u64, start_seconds: i64) -> Row {
        // Identity comes from the id alone, values from the seed too: two fixtures with different seeds
        // and overlapping ids describe the same events with other values (as a corrected export does).
        let identity = |k: u64| mix(mix(id.wrapping_mul(31).wrapping_add(k)));
        let r = |k: u64| mix(self.seed ^ mix(id.wrapping_mul(31).wrapping_add(k)));
        let (platform, currency, product_id, product_name) = match self.shape {
            Shape::Shop => {
                let (platform, currencies) =
                    PLATFORMS[(identity(1) % PLATFORMS.len() as u64) as usize];
                let product = (r(6) % PRODUCTS.len() as u64) as usize;
                (
                    platform,
                    currencies[(r(2) % currencies.len() as u64) as usize],
                    format!("prod_{product}"),
                    PRODUCTS[product].to_string(),
                )
            }
            Shape::Catalogue => {
                let product = identity(1) % CATALOGUE_PRODUCTS;
                (
                    CATALOGUE_PLATFORMS[(product % CATALOGUE_PLATFORMS.len() as u64) as usize],
                    CATALOGUE_CURRENCIES[(r(2) % CATALOGUE_CURRENCIES.len() as u64) as usize],
                    format!("item_{product:04}"),
                    format!(
                        "Title {product:04}, {} edition",
                        ["first", "second"][(product % 2) as usize]
                    ),
                )
            }
        };
        let kind = match r(3) % 100 {
            0..=84 => "sale",
            85..=89 => "refund",
            90..=95 => "subscription_payment",
            96..=97 => "kenp_read",
            98 => "payout",
            _ => "fee",
        };
        let seconds = start_seconds + (r(4) % SPAN_SECONDS as u64) as i64;
        let offset = [0, 0, 0, 60, -300, 540][(r(5) % 6) as usize];
        let base = 100 + (r(7) % 20_000) as i64;
        let base = if exponent(currency) == 3 {
            base * 10
        } else {
            base
        };
        let (quantity, gross, fees) = match kind {
            "sale" => (1 + (r(8) % 3) as i64, base, base / 10),
            "refund" => (-1, -base, 0),
            "subscription_payment" => (1, base, base / 12),
            "kenp_read" => ((r(8) % 900) as i64 + 1, 0, 0),
            "payout" => (0, -base * 10, 0),
            _ => (0, -(base / 20), 0),
        };
        let net = gross - fees;
        let country = COUNTRIES[(r(9) % COUNTRIES.len() as u64) as usize];
        let fields = vec![
            platform.to_string(),
            if identity(10) % 5 == 0 {
                "shop2"
            } else {
                "main"
            }
            .to_string(),
            format!("{platform}_{:016x}", identity(13)),
            kind.to_string(),
            rfc3339(seconds, offset),
            product_id,
            product_name,
            quantity.to_string(),
            currency.to_string(),
            decimal(gross, currency),
            decimal(fees, currency),
            decimal(net, currency),
            if r(11) % 3 == 0 {
                format!("buyer{}@example.com", r(12) % 1000)
            } else {
                String::new()
            },
            country.to_string(),
        ];
        let counted = (kind != "payout").then(|| {
            let units = match kind {
                "sale" | "refund" | "subscription_payment" => quantity,
                _ => 0,
            };
            (
                civil_month(seconds),
                platform.to_string(),
                currency.to_string(),
                Sums {
                    sales_minor: if kind == "refund" || kind == "fee" {
                        0
                    } else {
                        gross
                    },
                    refunds_minor: if kind == "refund" { -gross } else { 0 },
                    fees_minor: if kind == "fee" { fees - gross } else { fees },
                    net_minor: net,
                    units,
                    events: 1,
                },
            )
        });
        Row { fields, counted }
    }
}

struct Row {
    fields: Vec<String>,
    counted: Option<(String, String, String, Sums)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_match_known_values() {
        assert_eq!(rfc3339(1_709_667_536, 0), "2024-03-05T19:38:56Z");
        assert_eq!(rfc3339(1_709_667_536, 60), "2024-03-05T20:38:56+01:00");
        assert_eq!(rfc3339(1_709_667_536, -300), "2024-03-05T14:38:56-05:00");
        assert_eq!(civil_month(1_709_667_536), "2024-03");
        assert_eq!(civil_month(START_SECONDS), "2022-01");
    }

    #[test]
    fn the_same_fixture_is_the_same_file() {
        let f = Fixture {
            shape: Shape::Shop,
            rows: 500,
            seed: 7,
            repeat_every: 10,
            first_id: 0,
        };
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let ea = f.write(&mut a).unwrap();
        let eb = f.write(&mut b).unwrap();
        assert_eq!(a, b);
        assert_eq!(ea, eb);
        assert_eq!(ea.rows_written, 500);
        assert!(
            ea.repeated_rows > 20 && ea.repeated_rows < 90,
            "{}",
            ea.repeated_rows
        );
        assert_eq!(ea.unique_events + ea.repeated_rows, 500);
    }
}
