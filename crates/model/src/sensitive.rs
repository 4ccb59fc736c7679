//! A value that must never be printed: tokens, keys, refresh tokens, client secrets. `Debug` and
//! `Display` show a placeholder, so a secret that ends up in a log line, an error or a panic message
//! says only that something was there. The value is reached through `expose`, which names the moment it
//! leaves (a header, the keyring).

use std::fmt;

/// Holds `T` and refuses to show it. Not `Serialize`: writing it anywhere is a decision made at the
/// call site, through `expose`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    pub fn new(value: T) -> Self {
        Sensitive(value)
    }

    /// The value itself, for the one place that must send or store it.
    pub fn expose(&self) -> &T {
        &self.0
    }

    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> From<T> for Sensitive<T> {
    fn from(value: T) -> Self {
        Sensitive(value)
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sensitive(<hidden>)")
    }
}

impl<T> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<hidden>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neither_debug_nor_display_shows_the_value() {
        let token = Sensitive::new("gum_live_abc123".to_string());
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Holder {
            token: Sensitive<String>,
        }
        let shown = format!(
            "{token} {token:?} {:?} {:#?}",
            Holder {
                token: token.clone()
            },
            Some(&token)
        );
        assert!(!shown.contains("abc123"), "{shown}");
        assert!(shown.contains("<hidden>"));
        assert_eq!(token.expose(), "gum_live_abc123");
    }
}
