//! One alert email: who it is from and to, the subject, a plain-text part and an HTML part made from
//! the same paragraphs, and the idempotency key (Resend's `Idempotency-Key`, a `Message-ID` over SMTP)
//! so that a retry after a crash sends it once.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    pub from: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// 1 to 256 characters of `[A-Za-z0-9._:-]`.
    pub idempotency_key: String,
}

impl Email {
    /// An email of `paragraphs` (blank-line separated in the text part, `<p>` each in the HTML).
    pub fn of(
        from: &str,
        to: &str,
        subject: &str,
        paragraphs: &[String],
        idempotency_key: &str,
    ) -> Email {
        Email {
            from: from.to_string(),
            to: to.to_string(),
            subject: subject.to_string(),
            text: format!("{}\n", paragraphs.join("\n\n")),
            html: html_of(subject, paragraphs),
            idempotency_key: idempotency_key
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-'))
                .take(256)
                .collect(),
        }
    }
}

/// A small HTML document of `paragraphs` under `title`, every text escaped.
pub fn html_of(title: &str, paragraphs: &[String]) -> String {
    let mut html = format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body style=\"font-family: system-ui, sans-serif; line-height: 1.5; color: #1f2328\">\n",
        escape(title)
    );
    for p in paragraphs {
        html.push_str(&format!("<p>{}</p>\n", escape(p).replace('\n', "<br>")));
    }
    html.push_str("</body></html>\n");
    html
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_parts_say_the_same_and_the_html_is_escaped() {
        let e = Email::of(
            "Tributary <alerts@example.com>",
            "me@example.com",
            "Whop <shop> needs reconnecting",
            &[
                "Whop refused the key & the token.".into(),
                "Line two".into(),
            ],
            "alert:email/connection 3",
        );
        assert_eq!(e.text, "Whop refused the key & the token.\n\nLine two\n");
        assert!(e
            .html
            .contains("<title>Whop &lt;shop&gt; needs reconnecting</title>"));
        assert!(e
            .html
            .contains("<p>Whop refused the key &amp; the token.</p>"));
        assert_eq!(e.idempotency_key, "alert:emailconnection3");
    }
}
