//! The two hashes the `events_by_identity` index holds. The identity hash finds the rows that may be an
//! event's; the content hash, over the identity and every value of the current version, tells an identical
//! repeat from the index alone, so that a re-import reads no table rows for its duplicates.
//!
//! Both are XXH3-64, which is specified and stable: hashes written by one version of Tributary are found by
//! the next. A changed row is taken for a duplicate only if its content hash equals the stored one by
//! chance, about 2⁻⁶⁴ per changed row; two identities are never confused, because a row found by identity
//! hash alone is compared on its stored source and external id before anything is written.

/// A version's values, borrowed from a new event or a stored row, as the content hash reads them.
pub(crate) struct VersionView<'a> {
    pub kind: &'a str,
    pub occurred_at: i64,
    pub product_id: Option<&'a str>,
    pub product_name: Option<&'a str>,
    pub quantity: i64,
    pub currency: &'a str,
    pub gross_minor: i64,
    pub fees_minor: i64,
    pub net_minor: i64,
    pub buyer_email: Option<&'a str>,
    pub country: Option<&'a str>,
    pub raw: Option<&'a str>,
    /// The settled period and whether the version is an estimate of it.
    pub settlement: Option<(&'a str, bool)>,
}

/// The indexed key of the identity (`source_id`, `external_id`): stored in `events.identity_hash`.
pub fn identity_hash(source_id: i64, external_id: &str) -> i64 {
    // The bits are kept as they are: SQLite's integers are signed.
    xxhash_rust::xxh3::xxh3_64_with_seed(external_id.as_bytes(), source_id as u64) as i64
}

/// The hash of an identity and its version's values: stored in `events.content_hash`. `scratch` is a
/// buffer the caller keeps, so that hashing allocates nothing per row.
pub(crate) fn content_hash(
    source_id: i64,
    external_id: &str,
    values: &VersionView<'_>,
    scratch: &mut Vec<u8>,
) -> i64 {
    scratch.clear();
    // Every text is length-prefixed and an absent one has its own marker, so that no two different
    // versions encode to the same bytes.
    let mut text = |t: Option<&str>| match t {
        Some(t) => {
            scratch.extend_from_slice(&(t.len() as u64).to_le_bytes());
            scratch.extend_from_slice(t.as_bytes());
        }
        None => scratch.extend_from_slice(&u64::MAX.to_le_bytes()),
    };
    text(Some(external_id));
    text(Some(values.kind));
    text(values.product_id);
    text(values.product_name);
    text(Some(values.currency));
    text(values.buyer_email);
    text(values.country);
    text(values.raw);
    for number in [
        values.occurred_at,
        values.quantity,
        values.gross_minor,
        values.fees_minor,
        values.net_minor,
    ] {
        scratch.extend_from_slice(&number.to_le_bytes());
    }
    // Only events of a settled period add bytes, so that the hashes of every other event are the ones
    // earlier versions stored.
    if let Some((period, estimated)) = values.settlement {
        scratch.push(if estimated { 0xE5 } else { 0xF1 });
        scratch.extend_from_slice(&(period.len() as u64).to_le_bytes());
        scratch.extend_from_slice(period.as_bytes());
    }
    xxhash_rust::xxh3::xxh3_64_with_seed(scratch, source_id as u64) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view<'a>(product_id: Option<&'a str>, product_name: Option<&'a str>) -> VersionView<'a> {
        VersionView {
            kind: "sale",
            occurred_at: 1_700_000_000_000,
            product_id,
            product_name,
            quantity: 1,
            currency: "USD",
            gross_minor: 1000,
            fees_minor: 30,
            net_minor: 970,
            buyer_email: None,
            country: Some("US"),
            raw: None,
            settlement: None,
        }
    }

    #[test]
    fn text_moved_between_fields_or_absent_hashes_differently() {
        let mut scratch = Vec::new();
        let mut hash = |v: &VersionView<'_>| content_hash(1, "ch_1", v, &mut scratch);
        let all = [
            hash(&view(Some("ab"), Some(""))),
            hash(&view(Some("a"), Some("b"))),
            hash(&view(Some(""), Some("ab"))),
            hash(&view(None, Some("ab"))),
            hash(&view(Some("ab"), None)),
            hash(&view(None, None)),
        ];
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn the_same_values_hash_the_same_and_the_identity_counts() {
        let mut scratch = vec![0xAA; 7];
        let v = view(Some("p"), Some("Book"));
        let first = content_hash(1, "ch_1", &v, &mut scratch);
        assert_eq!(first, content_hash(1, "ch_1", &v, &mut Vec::new()));
        assert_ne!(first, content_hash(2, "ch_1", &v, &mut scratch));
        assert_ne!(first, content_hash(1, "ch_2", &v, &mut scratch));
    }
}
