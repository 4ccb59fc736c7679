//! Gumroad's identifiers, imitated: sale, product and seller ids are obfuscated base64 strings
//! (`B28UKN-dvxYabdavG97Y-Q==`, from `ObfuscateIds.encrypt`), while `order_id` and the id inside a
//! `page_key` are the internal number put through `ObfuscateIds.encrypt_numeric` (an XOR with a key,
//! then the bits reversed). Ours are not Gumroad's ciphers, only the same shapes and properties:
//! unique, stable, and the numeric one reversible.

use crate::rng::mix;

/// The internal numbers stay below 2^39 and the key has bit 39 set, so no obfuscated number is 0
/// (Gumroad's decoder refuses 0).
pub(crate) const NUMBER_LIMIT: u64 = 1 << 39;
const NUMERIC_BITS: u32 = 40;
const NUMERIC_MASK: u64 = (1 << NUMERIC_BITS) - 1;
const NUMERIC_KEY: u64 = 0x9A_5C3E_71D5;

/// A sale's external id, e.g. `zR0cB0a4j5o1xVc2W6dB7A==`: 16 bytes of a bijective mix of the number,
/// so distinct numbers give distinct ids.
pub(crate) fn external_id(number: u64) -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&mix(number ^ 0x005E_ED0F_5A1E).to_be_bytes());
    bytes[8..].copy_from_slice(&mix(number.rotate_left(17) ^ 0x000B_F05C_A7E5).to_be_bytes());
    base64url(&bytes)
}

/// A product's external id, derived from its name so that the same name is the same product.
pub(crate) fn product_id(name: &str) -> String {
    let h = fnv1a(name.as_bytes());
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&mix(h).to_be_bytes());
    bytes[8..].copy_from_slice(&mix(h ^ 0x0070_D0C7).to_be_bytes());
    base64url(&bytes)
}

/// A product's short permalink (`XCBbJ`), from its name.
pub(crate) fn permalink(name: &str) -> String {
    const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut h = mix(fnv1a(name.as_bytes()));
    (0..5)
        .map(|_| {
            let c = LETTERS[(h % LETTERS.len() as u64) as usize] as char;
            h /= LETTERS.len() as u64;
            c
        })
        .collect()
}

/// Whether `s` has the shape of an obfuscated id (url-safe base64 of 16 bytes).
pub(crate) fn looks_like_external_id(s: &str) -> bool {
    s.len() == 24
        && s.ends_with("==")
        && s[..22]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub(crate) fn encrypt_numeric(number: u64) -> u64 {
    reverse_bits((number ^ NUMERIC_KEY) & NUMERIC_MASK)
}

/// The number behind an obfuscated one; `None` when it cannot have come from `encrypt_numeric`.
pub(crate) fn decrypt_numeric(obfuscated: u64) -> Option<u64> {
    if obfuscated == 0 || obfuscated > NUMERIC_MASK {
        return None;
    }
    Some(reverse_bits(obfuscated) ^ NUMERIC_KEY)
}

fn reverse_bits(x: u64) -> u64 {
    x.reverse_bits() >> (64 - NUMERIC_BITS)
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xCBF2_9CE4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01B3)
    })
}

/// URL-safe base64 with padding, as Ruby's `Base64.urlsafe_encode64`.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_gumroads_shape_and_are_distinct() {
        let a = external_id(1);
        assert!(looks_like_external_id(&a), "{a}");
        assert_ne!(a, external_id(2));
        assert_eq!(base64url(b"hi?"), "aGk_");
        assert_eq!(base64url(b"h"), "aA==");
        assert!(looks_like_external_id(&product_id("Pencil Icon PSD")));
        assert_eq!(permalink("x").len(), 5);
    }

    #[test]
    fn numeric_obfuscation_round_trips_and_is_never_zero() {
        for n in [1u64, 2, 1000, 123_456_789, NUMBER_LIMIT - 1] {
            let e = encrypt_numeric(n);
            assert_ne!(e, 0);
            assert_eq!(decrypt_numeric(e), Some(n));
        }
        assert_eq!(decrypt_numeric(0), None);
        assert_eq!(decrypt_numeric(1 << 41), None);
    }
}
