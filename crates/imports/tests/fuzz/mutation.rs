//! Byte-level damage to a file (flips, overwritten, inserted, deleted or repeated bytes, truncation),
//! and the mostly-in-place kind that keeps a workbook's zip offsets right.

use crate::text::token;
use proptest::prelude::*;

/// A byte-level change to a file.
#[derive(Clone, Debug)]
pub(crate) enum Mutation {
    Flip(prop::sample::Index, u8),
    Set(prop::sample::Index, u8),
    Insert(prop::sample::Index, Vec<u8>),
    Delete(prop::sample::Index, usize),
    Truncate(prop::sample::Index),
    /// A stretch of the file copied to another place (repeated rows, repeated zip headers).
    Duplicate(prop::sample::Index, prop::sample::Index, usize),
}

pub(crate) fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<prop::sample::Index>;
    prop_oneof![
        4 => (at(), 1u8..=255).prop_map(|(i, bits)| Mutation::Flip(i, bits)),
        2 => (at(), prop::sample::select(&[0u8, 0xFF, b'"', b',', b'\n', b'<', b'>', b'-', b'9', 0x80][..]))
            .prop_map(|(i, b)| Mutation::Set(i, b)),
        2 => (at(), prop_oneof![
                prop::collection::vec(any::<u8>(), 1..16),
                token().prop_map(String::into_bytes),
            ]).prop_map(|(i, bytes)| Mutation::Insert(i, bytes)),
        2 => (at(), 1usize..64).prop_map(|(i, n)| Mutation::Delete(i, n)),
        1 => at().prop_map(Mutation::Truncate),
        1 => (at(), at(), 1usize..256).prop_map(|(from, to, n)| Mutation::Duplicate(from, to, n)),
    ]
}

/// A byte-level change to a workbook: mostly in place.
pub(crate) fn workbook_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        6 => (any::<prop::sample::Index>(), 1u8..=255).prop_map(|(i, bits)| Mutation::Flip(i, bits)),
        2 => (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        1 => mutation(),
    ]
}

pub(crate) fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = bytes.len();
        match m {
            Mutation::Flip(i, bits) if len > 0 => bytes[i.index(len)] ^= bits,
            Mutation::Set(i, b) if len > 0 => bytes[i.index(len)] = *b,
            Mutation::Insert(i, new) => {
                let at = i.index(len + 1);
                bytes.splice(at..at, new.iter().copied());
            }
            Mutation::Delete(i, n) if len > 0 => {
                let at = i.index(len);
                bytes.drain(at..(at + n).min(len));
            }
            Mutation::Truncate(i) => bytes.truncate(i.index(len + 1)),
            Mutation::Duplicate(from, to, n) if len > 0 => {
                let start = from.index(len);
                let piece = bytes[start..(start + n).min(len)].to_vec();
                let at = to.index(len + 1);
                bytes.splice(at..at, piece);
            }
            _ => {}
        }
    }
    bytes
}
