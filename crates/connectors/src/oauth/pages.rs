//! The small HTML pages the loopback listener answers the browser with: received (close the tab),
//! declined, failed, and not found. Plain, self-contained (no scripts, no outside resources), and
//! holding nothing from the request.

pub(crate) enum Page {
    Received,
    Declined,
    Failed,
    NotFound,
    BadRequest,
    MethodNotAllowed,
}

impl Page {
    pub fn status_line(&self) -> &'static str {
        match self {
            Page::Received | Page::Declined | Page::Failed => "200 OK",
            Page::NotFound => "404 Not Found",
            Page::BadRequest => "400 Bad Request",
            Page::MethodNotAllowed => "405 Method Not Allowed",
        }
    }

    pub fn html(&self, platform: &str) -> String {
        let platform = escape(platform);
        let (title, text) = match self {
            Page::Received => (
                format!("{platform}: authorization received"),
                format!(
                    "Tributary received the authorization from {platform}. You can close this tab \
                     and go back to Tributary."
                ),
            ),
            Page::Declined => (
                format!("{platform} was not connected"),
                format!(
                    "The authorization was declined, so {platform} was not connected. You can close \
                     this tab and go back to Tributary."
                ),
            ),
            Page::Failed => (
                format!("{platform} was not connected"),
                format!(
                    "Tributary could not finish connecting {platform}. You can close this tab and \
                     go back to Tributary to see why."
                ),
            ),
            Page::NotFound => ("Not found".into(), "Nothing is here.".into()),
            Page::BadRequest => (
                "Not an authorization answer".into(),
                "This address only takes the answer of an authorization.".into(),
            ),
            Page::MethodNotAllowed => ("Not allowed".into(), "Only GET is answered here.".into()),
        };
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
             <style>body{{font-family:system-ui,sans-serif;max-width:32em;margin:4em auto;\
             padding:0 1em;line-height:1.5}}</style></head>\n<body><h1>{title}</h1><p>{text}</p>\
             </body></html>\n"
        )
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
