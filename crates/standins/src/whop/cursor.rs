//! The Whop stand-in's page cursors (contract §2.2): GraphQL-style opaque text that is in fact the
//! base64 of a 1-based position in the ordered, filtered list — the contract's `"MjA="` is `"20"`,
//! `"MQ=="` is `"1"` [I: read from that example]. So `after` works like an offset: a payment that
//! enters the list before the position shifts the later ones by one (read again, never skipped),
//! and one added at the far end changes nothing before it.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Position `20` → `"MjA="`.
pub(crate) fn encode(position: u64) -> String {
    let bytes = position.to_string().into_bytes();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `"MjA="` → `20`; `None` for anything that is not the base64 of a position.
pub(crate) fn decode(cursor: &str) -> Option<u64> {
    let text = cursor.trim();
    if text.is_empty() || !text.len().is_multiple_of(4) {
        return None;
    }
    let mut bytes = Vec::with_capacity(text.len() / 4 * 3);
    for quad in text.as_bytes().chunks(4) {
        let pad = quad.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 {
            return None;
        }
        let mut n: u32 = 0;
        for &c in &quad[..4 - pad] {
            let v = ALPHABET.iter().position(|&a| a == c)?;
            n = (n << 6) | v as u32;
        }
        n <<= 6 * pad as u32;
        let decoded = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        bytes.extend_from_slice(&decoded[..3 - pad]);
    }
    let digits = std::str::from_utf8(&bytes).ok()?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_are_base64_positions_as_in_the_contract() {
        assert_eq!(encode(20), "MjA=");
        assert_eq!(encode(1), "MQ==");
        assert_eq!(encode(100), "MTAw");
        for n in [1, 9, 10, 99, 100, 1234, 98_765] {
            assert_eq!(decode(&encode(n)), Some(n));
        }
        for bad in ["", "MjA", "!!!!", "YWJj", "M===", "bm90IGEgbnVtYmVy"] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }
}
