//! An optional instant in a saved cursor, as RFC 3339 text (`2026-11-30T10:00:00Z`), for serde's
//! `with =`: cursors are JSON a person may read in `tributary connections --json`.

use serde::{Deserialize, Deserializer, Serializer};
use tributary_model::UtcInstant;

pub fn serialize<S: Serializer>(v: &Option<UtcInstant>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(t) => s.serialize_str(&t.to_rfc3339()),
        None => s.serialize_none(),
    }
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<UtcInstant>, D::Error> {
    let text: Option<String> = Option::deserialize(d)?;
    text.map(|t| UtcInstant::parse_rfc3339(&t).map_err(serde::de::Error::custom))
        .transpose()
}
