//! Sending through an SMTP server with lettre's blocking transport (its socket timeouts bound every
//! read and write, so a server that stops answering fails the send instead of hanging it): TLS from
//! the first byte (port 465), STARTTLS (587), or plain — for a relay on this machine. The password,
//! when there is one, comes from the keyring and goes nowhere else.

use crate::{Email, SendError};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tributary_model::{FailureClass, Sensitive};

/// How the connection to the server is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SmtpSecurity {
    /// TLS from the first byte (usually port 465).
    Tls,
    /// Plain, then STARTTLS before anything is said (usually port 587); refused if the server
    /// does not offer it.
    Starttls,
    /// No encryption: only for a relay on this machine.
    None,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SmtpServer {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    /// The login, when the server asks for one (its password is in the keyring).
    #[serde(default)]
    pub username: Option<String>,
}

/// `Ok` when `address` is an email address a message can carry ("Name <a@b.example>" or "a@b.example").
pub fn check_address(address: &str) -> Result<(), String> {
    address
        .parse::<Mailbox>()
        .map(|_| ())
        .map_err(|e| format!("\"{address}\" is not an email address ({e})"))
}

/// Each read and write on the connection, and the connect itself.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Sends `email` through `server`; the server's answer (e.g. `250 2.0.0 Ok: queued as …`).
pub fn send_smtp(
    server: &SmtpServer,
    password: Option<&Sensitive<String>>,
    email: &Email,
) -> Result<String, SendError> {
    let via = format!("SMTP {}:{}", server.host, server.port);
    let refused = |class: FailureClass, reason: String| SendError::new(&via, class, reason);
    let mailbox = |what: &str, address: &str| {
        address.parse::<Mailbox>().map_err(|e| {
            refused(
                FailureClass::Configuration,
                format!("the {what} address \"{address}\" is not an email address ({e})"),
            )
        })
    };
    let message = Message::builder()
        .from(mailbox("from", &email.from)?)
        .to(mailbox("to", &email.to)?)
        .subject(&email.subject)
        .message_id(Some(format!(
            "<{}@tributary.invalid>",
            email.idempotency_key
        )))
        .multipart(MultiPart::alternative_plain_html(
            email.text.clone(),
            email.html.clone(),
        ))
        .map_err(|e| {
            refused(
                FailureClass::Configuration,
                format!("could not write the email: {e}"),
            )
        })?;
    let builder = match server.security {
        SmtpSecurity::None => Ok(SmtpTransport::builder_dangerous(&server.host)),
        SmtpSecurity::Starttls => SmtpTransport::starttls_relay(&server.host),
        SmtpSecurity::Tls => SmtpTransport::relay(&server.host),
    }
    .map_err(|e| {
        refused(
            FailureClass::Configuration,
            format!("could not set up TLS: {e}"),
        )
    })?;
    let mut builder = builder.port(server.port).timeout(Some(TIMEOUT));
    if let (Some(user), Some(password)) = (&server.username, password) {
        builder = builder.credentials(Credentials::new(user.clone(), password.expose().clone()));
    }
    match builder.build().send(&message) {
        Ok(response) => Ok(response.message().collect::<Vec<_>>().join(" ")),
        Err(e) => Err(classify(&via, &e)),
    }
}

/// A 5xx is the server's final no (535: the login), a 4xx a "not now"; no answer at all is the
/// network's, worth another try.
fn classify(via: &str, e: &lettre::transport::smtp::Error) -> SendError {
    let code = e.status().map(|c| c.to_string());
    let class = match code.as_deref() {
        Some("535") | Some("530") => FailureClass::Authentication,
        _ if e.is_permanent() => FailureClass::Configuration,
        _ => FailureClass::Transient,
    };
    let reason = match code {
        Some(code) => format!("the server answered {code}: {e}"),
        None => format!("no answer: {e}"),
    };
    SendError::new(via, class, reason)
}
