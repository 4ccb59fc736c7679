//! Which names may key a secret: the same rule for every store, so code that works against memory in
//! tests works against files and the keyring too. A key is a file name in the file store, so nothing
//! that could climb out of its folder is a key.

use crate::SecretError;

/// Longest key accepted (bytes; keys are ASCII).
pub const MAX_KEY_LEN: usize = 128;

/// `Ok` for 1 to `MAX_KEY_LEN` characters of `[A-Za-z0-9._-]`, not all dots.
pub fn check_key(key: &str) -> Result<(), SecretError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    let fine = !key.is_empty()
        && key.len() <= MAX_KEY_LEN
        && key.chars().all(allowed)
        && !key.chars().all(|c| c == '.');
    if fine {
        Ok(())
    } else {
        Err(SecretError::BadKey { key: shown(key) })
    }
}

/// The key as an error may show it: cut short, so that a value passed by mistake as a key is not
/// printed whole.
fn shown(key: &str) -> String {
    const SHOWN: usize = 40;
    match key.char_indices().nth(SHOWN) {
        Some((at, _)) => format!("{}…", &key[..at]),
        None => key.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_are_keys() {
        for key in [
            "gumroad-1",
            "stripe.acct_1.refresh",
            "a",
            "...x",
            "A-Z_09",
            &"k".repeat(MAX_KEY_LEN),
        ] {
            assert!(check_key(key).is_ok(), "{key}");
        }
    }

    #[test]
    fn paths_dots_and_odd_characters_are_refused() {
        let too_long = "k".repeat(MAX_KEY_LEN + 1);
        for key in [
            "",
            ".",
            "..",
            "...",
            "a/b",
            "../x",
            "a\\b",
            "a b",
            "key\0",
            "é",
            "a:b",
            too_long.as_str(),
        ] {
            assert!(
                matches!(check_key(key), Err(SecretError::BadKey { .. })),
                "{key:?}"
            );
        }
    }

    #[test]
    fn a_long_bad_key_is_shown_cut_short() {
        let key = format!("/{}", "s".repeat(200));
        let message = check_key(&key).unwrap_err().to_string();
        assert!(!message.contains(&"s".repeat(41)), "{message}");
        assert!(message.contains('…'), "{message}");
    }
}
