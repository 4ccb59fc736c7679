//! `tributary-standins`: runs a platform stand-in on 127.0.0.1 until Ctrl-C, for a person trying
//! Tributary without a real account or for an end-to-end test. It prints the base URL, the token to
//! paste, the environment line that points Tributary at it, and the admin routes.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Parser, Subcommand};
use tributary_standins::gumroad::{self, GumroadConfig, GumroadStandIn};
use tributary_standins::lemonsqueezy::{self, LemonSqueezyConfig, LemonSqueezyStandIn};

#[derive(Parser)]
#[command(
    name = "tributary-standins",
    about = "Platform stand-ins on 127.0.0.1, with switchable faults"
)]
struct Cli {
    #[command(subcommand)]
    platform: Platform,
}

#[derive(Subcommand)]
enum Platform {
    /// Gumroad's API v2 (sales, user), as in the contract.
    Gumroad {
        /// The port on 127.0.0.1 (0: any free one).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// How many made-up sales to serve.
        #[arg(long, default_value_t = 250)]
        sales: usize,
        /// The seed of the made-up sales (the same seed, the same sales).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The token to accept (with the view_sales and view_profile scopes).
        #[arg(long, default_value = gumroad::DEFAULT_TOKEN)]
        token: String,
        /// Added to every answer, in milliseconds.
        #[arg(long, default_value_t = 0)]
        latency_ms: u64,
        /// The first day of the sales (YYYY-MM-DD); default: 365 days ago.
        #[arg(long)]
        from: Option<NaiveDate>,
        /// The last day of the sales (YYYY-MM-DD); default: today.
        #[arg(long)]
        to: Option<NaiveDate>,
    },
    /// Lemon Squeezy's API v1 (orders), as in the contract: JSON:API, 300 requests a minute.
    Lemonsqueezy {
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// How many made-up orders to serve.
        #[arg(long, default_value_t = 250)]
        orders: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The API key to accept.
        #[arg(long, default_value = lemonsqueezy::DEFAULT_KEY)]
        key: String,
        #[arg(long, default_value_t = 0)]
        latency_ms: u64,
        /// Requests allowed per minute (0: no limit).
        #[arg(long, default_value_t = 300)]
        per_minute: u32,
    },
}

fn main() -> ExitCode {
    match Cli::parse().platform {
        Platform::Gumroad {
            port,
            sales,
            seed,
            token,
            latency_ms,
            from,
            to,
        } => {
            let (default_from, default_to) = gumroad::last_year();
            let from = from.map_or(default_from, start_of);
            let to = to.map_or(default_to, |d| {
                start_of(d) + chrono::Duration::seconds(86_399)
            });
            let config = GumroadConfig {
                port,
                tokens: vec![token.clone()],
                latency: Duration::from_millis(latency_ms),
                ..GumroadConfig::with_generated_sales(sales, seed, from, to)
            };
            let standin = match GumroadStandIn::spawn(config) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("tributary-standins: cannot start the Gumroad stand-in: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let base = standin.base_url();
            let what = format!("Gumroad stand-in: {sales} made-up sales at {base}");
            let env = format!("TRIBUTARY_GUMROAD_BASE_URL={base}");
            let curl = format!("curl -H 'Authorization: Bearer {token}' {base}/sales");
            let admin = standin.admin_url();
            print_banner(&what, &token, &env, &curl, &admin, gumroad::ADMIN_ROUTES);
            wait_for_ctrl_c();
            drop(standin);
            ExitCode::SUCCESS
        }
        Platform::Lemonsqueezy {
            port,
            orders,
            seed,
            key,
            latency_ms,
            per_minute,
        } => {
            let (from, to) = gumroad::last_year();
            let config = LemonSqueezyConfig {
                port,
                api_keys: vec![key.clone()],
                orders: lemonsqueezy::generate_orders(orders, seed, from, to),
                latency: Duration::from_millis(latency_ms),
                rate_limit: (per_minute > 0).then(|| (per_minute, Duration::from_secs(60))),
            };
            let standin = match LemonSqueezyStandIn::spawn(config) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("tributary-standins: cannot start the Lemon Squeezy stand-in: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let base = standin.base_url();
            let what = format!("Lemon Squeezy stand-in: {orders} made-up orders at {base}");
            let env = format!("TRIBUTARY_LEMONSQUEEZY_BASE_URL={base}");
            let curl = format!(
                "curl -H 'Accept: application/vnd.api+json' -H 'Authorization: Bearer {key}' '{base}/orders?page[size]=5'"
            );
            let admin = standin.admin_url();
            print_banner(&what, &key, &env, &curl, &admin, lemonsqueezy::ADMIN_ROUTES);
            wait_for_ctrl_c();
            drop(standin);
            ExitCode::SUCCESS
        }
    }
}

fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(chrono::NaiveTime::MIN).and_utc()
}

fn print_banner(
    what: &str,
    token: &str,
    env: &str,
    curl: &str,
    admin: &str,
    routes: &[(&str, &str)],
) {
    let mut out = format!(
        "{what}\n\nToken to paste:  {token}\nPoint Tributary at it:\n  {env}\n\nTry:  {curl}\n\n"
    );
    out.push_str(&format!("Admin routes ({admin}):\n"));
    for (route, what) in routes {
        out.push_str(&format!("  {route:<40} {what}\n"));
    }
    out.push_str(&format!(
        "  e.g. curl -X POST {admin}/faults -d '{{\"kind\":\"too_many_requests\",\"retry_after_secs\":5,\"times\":3}}'\n\n"
    ));
    out.push_str("Ctrl-C to stop.\n");
    let mut stdout = std::io::stdout();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
}

fn wait_for_ctrl_c() {
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => {
            let _ = rt.block_on(tokio::signal::ctrl_c());
        }
        // Without a runtime there is no signal handling: serve until killed.
        Err(_) => loop {
            std::thread::park();
        },
    }
}
