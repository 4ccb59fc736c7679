//! `tributary alerts [email … | test | off]`: the email alerts' settings (never their key or
//! password), setting them up from flags (the secret on standard input), a test email sent at once
//! with the server's answer or its error, and turning them off.

use crate::args::{AlertsAction, OnOff, SecurityArg};
use anyhow::{bail, Context, Result};
use std::io::Read;
use std::process::ExitCode;
use tributary_engine::{
    parse_time_of_day, EmailSettings, EmailVia, Sensitive, SmtpSecurity, SmtpServer, UtcInstant,
    Workspace,
};

pub fn run(
    workspace: &mut Workspace,
    action: Option<AlertsAction>,
    json: bool,
) -> Result<ExitCode> {
    match action {
        None => show(workspace, json),
        Some(AlertsAction::Test) => {
            let answer = workspace.send_test_email(UtcInstant::now())?;
            if json {
                super::print_json(&serde_json::json!({ "sent": true, "answer": answer }))?;
            } else {
                println!("Sent the test email ({answer}).");
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(AlertsAction::Off) => {
            workspace.remove_email()?;
            println!("Email alerts are off; their key or password is forgotten.");
            Ok(ExitCode::SUCCESS)
        }
        Some(AlertsAction::Email {
            to,
            from,
            resend,
            smtp,
            security,
            username,
            secret_stdin,
            digest,
            connection_alerts,
        }) => {
            let saved = workspace.email_settings()?;
            let via = match (resend, smtp) {
                (true, _) => EmailVia::Resend,
                (false, Some(address)) => EmailVia::Smtp(smtp_server(&address, security, username)?),
                (false, None) => match &saved {
                    Some(s) => s.via.clone(),
                    None => bail!("say how emails go out: --resend (with its key on --secret-stdin) or --smtp HOST:PORT"),
                },
            };
            let (Some(to), Some(from)) = (
                to.or_else(|| saved.as_ref().map(|s| s.to.clone())),
                from.or_else(|| saved.as_ref().map(|s| s.from.clone())),
            ) else {
                bail!("say where alerts go and who sends them: --to ADDRESS --from ADDRESS");
            };
            let digest_at = match digest.as_deref() {
                None => saved.as_ref().and_then(|s| s.digest_at),
                Some("off") => None,
                Some(time) => Some(parse_time_of_day(time)?),
            };
            let alerts = match connection_alerts {
                Some(choice) => choice == OnOff::On,
                None => saved.as_ref().is_none_or(|s| s.alerts),
            };
            let secret = if secret_stdin {
                let mut text = String::new();
                std::io::stdin()
                    .read_to_string(&mut text)
                    .context("could not read the secret from standard input")?;
                let text = text.trim().to_string();
                if text.is_empty() {
                    bail!("standard input held no key or password");
                }
                Some(Sensitive::new(text))
            } else {
                None
            };
            if let (Some(_), Some(warning)) = (&secret, workspace.secret_store()?.warning()) {
                eprintln!("tributary: {warning}");
            }
            let settings = EmailSettings {
                to,
                from,
                via,
                alerts,
                digest_at,
            };
            workspace.set_email(&settings, secret)?;
            say(&settings);
            println!("Send a test email with: tributary alerts test");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn smtp_server(
    address: &str,
    security: Option<SecurityArg>,
    username: Option<String>,
) -> Result<SmtpServer> {
    let Some((host, port)) = address.rsplit_once(':') else {
        bail!("--smtp wants HOST:PORT (smtp.example.com:587), not \"{address}\"");
    };
    let port: u16 = port
        .parse()
        .ok()
        .filter(|p| *p > 0)
        .with_context(|| format!("\"{port}\" is not a port (1 to 65535)"))?;
    let security = match security {
        Some(SecurityArg::Tls) => SmtpSecurity::Tls,
        Some(SecurityArg::Starttls) => SmtpSecurity::Starttls,
        Some(SecurityArg::None) => SmtpSecurity::None,
        None if port == 465 => SmtpSecurity::Tls,
        None => SmtpSecurity::Starttls,
    };
    Ok(SmtpServer {
        host: host.to_string(),
        port,
        security,
        username,
    })
}

fn show(workspace: &Workspace, json: bool) -> Result<ExitCode> {
    let settings = workspace.email_settings()?;
    if json {
        super::print_json(&serde_json::json!({ "email": settings }))?;
        return Ok(ExitCode::SUCCESS);
    }
    match &settings {
        Some(s) => say(s),
        None => println!(
            "Email alerts are off. Set them up with: tributary alerts email --to ADDRESS --from ADDRESS --resend --secret-stdin (or --smtp HOST:PORT)"
        ),
    }
    println!("Desktop notifications follow the app's Notifications setting.");
    Ok(ExitCode::SUCCESS)
}

fn say(s: &EmailSettings) {
    println!(
        "Email alerts go to {} from {}, through {}.",
        s.to,
        s.from,
        s.via.words()
    );
    println!(
        "Connection alerts: {}.",
        if s.alerts { "on" } else { "off" }
    );
    match s.digest_at {
        Some(m) => println!(
            "A digest of yesterday each day at {:02}:{:02}.",
            m / 60,
            m % 60
        ),
        None => println!("No daily digest."),
    }
}
