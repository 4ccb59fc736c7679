//! Alert emails: a message (`Email`: subject, a plain-text part and an HTML part, and the key that
//! makes sending it twice send it once) and the two ways out — Resend's HTTP API (`resend.rs`) and an
//! SMTP server (`smtp.rs`, lettre). What to say and when is the engine's (`engine/src/email_alerts.rs`);
//! this crate only delivers, and says in its error whether a later try can help.

mod error;
mod message;
mod resend;
mod smtp;

pub use error::SendError;
pub use message::{html_of, Email};
pub use resend::{send_resend, RESEND_BASE_URL};
pub use smtp::{check_address, send_smtp, SmtpSecurity, SmtpServer};
