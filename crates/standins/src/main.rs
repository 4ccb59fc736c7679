//! `tributary-standins`: runs a platform stand-in (or Resend's, for alert emails) on 127.0.0.1 until
//! Ctrl-C, for a person trying Tributary without a real account or for an end-to-end test. It prints
//! the base URL, the token to paste, the environment line that points Tributary at it, and the admin
//! routes. `panel` stands in for the desktop's panel instead, so that a test can read and click the
//! tray menus.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Parser, Subcommand};
use tributary_standins::gumroad::{self, GumroadConfig, GumroadStandIn};
use tributary_standins::lemonsqueezy::{self, LemonSqueezyConfig, LemonSqueezyStandIn};
use tributary_standins::resend::{self, ResendStandIn};
use tributary_standins::stripe::{self, StripeConfig, StripeStandIn};
use tributary_standins::whop::{self, WhopConfig, WhopStandIn};

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
    /// Resend's email API (POST /emails, idempotency keys), for alert emails; the emails it took
    /// are at /__admin/emails.
    Resend {
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
    /// The desktop panel's tray (StatusNotifierWatcher on the session bus): reads the tray icons'
    /// menus and clicks them. Commands on stdin, one JSON line each on stdout: `items`, `click PID
    /// LABEL` (see crates/standins/src/panel/mod.rs).
    #[cfg(target_os = "linux")]
    Panel,
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
    /// Stripe's API (charges, refunds, disputes, balance transactions), as in the contract: 25
    /// requests a second, restricted keys.
    Stripe {
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// How many made-up charges to serve.
        #[arg(long, default_value_t = 250)]
        charges: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The restricted key to accept (with every read permission).
        #[arg(long, default_value = stripe::DEFAULT_KEY)]
        key: String,
        #[arg(long, default_value_t = 0)]
        latency_ms: u64,
        /// Requests allowed per second (0: no limit).
        #[arg(long, default_value_t = 25)]
        per_second: u32,
    },
    /// Whop's API v1 (payments), as in the contract: cursor pages, amounts in major units.
    Whop {
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// How many made-up payments to serve.
        #[arg(long, default_value_t = 250)]
        payments: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The company API key to accept.
        #[arg(long, default_value = whop::DEFAULT_KEY)]
        key: String,
        #[arg(long, default_value_t = 0)]
        latency_ms: u64,
        /// Requests allowed per 10 seconds (0: no limit; v1 publishes none, v2's is 100).
        #[arg(long, default_value_t = 100)]
        per_10s: u32,
        /// Also serve Whop's OAuth 2.1 sign-in (`/oauth/authorize`, `/oauth/token`) on the same port,
        /// for `tributary connect whop --oauth` and the window's "Sign in with Whop".
        #[arg(long)]
        oauth: bool,
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
        Platform::Stripe {
            port,
            charges,
            seed,
            key,
            latency_ms,
            per_second,
        } => {
            let (from, to) = gumroad::last_year();
            let config = StripeConfig {
                port,
                api_keys: vec![key.clone()],
                charges: stripe::generate_charges(charges, seed, from, to),
                latency: Duration::from_millis(latency_ms),
                rate_limit: (per_second > 0).then(|| (per_second, Duration::from_secs(1))),
            };
            let standin = match StripeStandIn::spawn(config) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("tributary-standins: cannot start the Stripe stand-in: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let base = standin.base_url();
            let what = format!("Stripe stand-in: {charges} made-up charges at {base}");
            let env = format!("TRIBUTARY_STRIPE_BASE_URL={base}");
            let curl = format!(
                "curl -H 'Authorization: Bearer {key}' '{base}/charges?limit=3&expand[]=data.balance_transaction'"
            );
            let admin = standin.admin_url();
            print_banner(&what, &key, &env, &curl, &admin, stripe::ADMIN_ROUTES);
            wait_for_ctrl_c();
            drop(standin);
            ExitCode::SUCCESS
        }
        #[cfg(target_os = "linux")]
        Platform::Panel => match tributary_standins::panel::run(
            std::io::BufReader::new(std::io::stdin()),
            std::io::stdout(),
        ) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("tributary-standins panel: {e}");
                ExitCode::FAILURE
            }
        },
        Platform::Resend { port } => {
            let standin = match ResendStandIn::spawn_on(port) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("tributary-standins: cannot start the Resend stand-in: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let base = standin.base_url();
            let key = resend::DEFAULT_KEY;
            let what = format!("Resend stand-in at {base}");
            let env = format!("TRIBUTARY_RESEND_BASE_URL={base}");
            let curl = format!(
                "curl -H 'Authorization: Bearer {key}' -d '{{\"from\":\"a@example.com\",\"to\":\"b@example.com\",\"subject\":\"Hi\",\"text\":\"Hi\"}}' {base}/emails"
            );
            let admin = standin.admin_url();
            print_banner(&what, key, &env, &curl, &admin, resend::ADMIN_ROUTES);
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
        Platform::Whop {
            port,
            payments,
            seed,
            key,
            latency_ms,
            per_10s,
            oauth,
        } => {
            let (from, to) = gumroad::last_year();
            let config = WhopConfig {
                port,
                api_keys: vec![key.clone()],
                payments: whop::generate_payments(payments, seed, from, to),
                latency: Duration::from_millis(latency_ms),
                rate_limit: (per_10s > 0).then(|| (per_10s, Duration::from_secs(10))),
                oauth: oauth.then(tributary_standins::authorization::AuthorizationConfig::whop),
                ..WhopConfig::default()
            };
            let standin = match WhopStandIn::spawn(config) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("tributary-standins: cannot start the Whop stand-in: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let base = standin.base_url();
            let what = format!("Whop stand-in: {payments} made-up payments at {base}");
            let mut env = format!("TRIBUTARY_WHOP_BASE_URL={base}");
            if oauth {
                let (authorize, token) = standin.oauth_urls();
                env.push_str(&format!(
                    "\n  TRIBUTARY_WHOP_AUTHORIZE_URL={authorize}\n  TRIBUTARY_WHOP_TOKEN_URL={token}\n  TRIBUTARY_WHOP_CLIENT_ID={}",
                    tributary_standins::authorization::DEFAULT_CLIENT_ID
                ));
            }
            let curl = format!(
                "curl -H 'Authorization: Bearer {key}' '{base}/payments?first=5&order=created_at&direction=asc'"
            );
            let admin = standin.admin_url();
            print_banner(&what, &key, &env, &curl, &admin, whop::ADMIN_ROUTES);
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
