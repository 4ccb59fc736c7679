//! A generated Stripe payments export (the current header generation), as large as asked: the same
//! shape as a real `unified_payments.csv`, for measuring how fast a platform export imports.

use std::io::Write;

const HEADER: &str = "id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Fee,Taxes On Fee,\
Status,Description,Customer Email,Refunded date (UTC),Disputed Amount,Dispute Status,Card Address Country";

/// Writes rows until there are `rows` of them or the file reaches `bytes`, whichever comes first;
/// returns the number of rows. One row in 20 is refunded in part, one in 50 failed (skipped on import).
pub fn write_stripe_csv(mut out: impl Write, rows: u64, bytes: u64) -> std::io::Result<u64> {
    writeln!(out, "{HEADER}")?;
    let mut written = HEADER.len() as u64 + 1;
    let mut n = 0;
    let mut line = String::with_capacity(256);
    while n < rows && written < bytes {
        line.clear();
        let cents = 500 + (n * 7919) % 20_000;
        let (currency, minor) = match n % 4 {
            0 | 1 => ("usd", format!("{}.{:02}", cents / 100, cents % 100)),
            2 => ("eur", format!("{}.{:02}", cents / 100, cents % 100)),
            _ => ("jpy", format!("{}", cents * 2)),
        };
        let fee = match currency {
            "jpy" => format!("{}", cents / 10),
            _ => format!("0.{:02}", 30 + n % 60),
        };
        let refunded = if n % 20 == 7 {
            match currency {
                "jpy" => "100".to_string(),
                _ => "1.00".to_string(),
            }
        } else {
            "0".to_string()
        };
        let seconds = n % (365 * 86_400);
        let (day, rest) = (seconds / 86_400, seconds % 86_400);
        let status = if n % 50 == 13 { "Failed" } else { "Paid" };
        use std::fmt::Write as _;
        let _ = writeln!(
            line,
            "ch_{n:016x},2025-{:02}-{:02} {:02}:{:02}:{:02},{minor},{refunded},{currency},true,{fee},0,{status},\
\"Course, part {}\",buyer{}@example.com,{},,,{}",
            1 + (day / 31).min(11),
            1 + day % 28,
            rest / 3600,
            rest % 3600 / 60,
            rest % 60,
            n % 37,
            n % 1000,
            if refunded == "0" { "" } else { "2025-12-30 10:00:00" },
            ["US", "DE", "GB", "JP"][(n % 4) as usize],
        );
        out.write_all(line.as_bytes())?;
        written += line.len() as u64;
        n += 1;
    }
    out.flush()?;
    Ok(n)
}
