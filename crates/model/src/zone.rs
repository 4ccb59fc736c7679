//! The creator's time zone: which calendar day an instant belongs to. Instants stay UTC everywhere;
//! days, weeks and months are counted in a zone (a sale at 7 pm in California is that day's, not the
//! next day's in UTC). Zones are IANA names, read from the system's zoneinfo or, where there is none,
//! the database bundled with `jiff`.

use crate::instant::{Day, UtcInstant};
use std::fmt;

const MILLIS_PER_DAY: i64 = 86_400_000;

/// An IANA time zone, with the name it was asked by.
#[derive(Clone)]
pub struct Zone {
    name: String,
    tz: jiff::tz::TimeZone,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("'{name}' is not a time zone Tributary knows (an IANA name such as Europe/Berlin, America/Los_Angeles or UTC)")]
pub struct UnknownZone {
    pub name: String,
}

/// Names of UTC itself: one zone, so that a machine set to `Etc/UTC` does not recount a ledger counted
/// in `UTC`.
const UTC_ALIASES: [&str; 8] = [
    "UTC",
    "Etc/UTC",
    "Etc/UCT",
    "Etc/Universal",
    "Etc/Zulu",
    "UCT",
    "Universal",
    "Zulu",
];

/// A zone as its IANA name says it, UTC's aliases as `UTC`.
fn known(name: String, tz: jiff::tz::TimeZone) -> Zone {
    if UTC_ALIASES.contains(&name.as_str()) {
        Zone::utc()
    } else {
        Zone { name, tz }
    }
}

impl Zone {
    pub fn utc() -> Zone {
        Zone {
            name: "UTC".into(),
            tz: jiff::tz::TimeZone::UTC,
        }
    }

    /// The zone named `name` (IANA, e.g. `America/Los_Angeles`; `UTC`).
    pub fn named(name: &str) -> Result<Zone, UnknownZone> {
        let unknown = || UnknownZone {
            name: name.to_string(),
        };
        let name = name.trim();
        if name.is_empty() {
            return Err(unknown());
        }
        let tz = jiff::tz::db().get(name).map_err(|_| unknown())?;
        Ok(known(tz.iana_name().unwrap_or(name).to_string(), tz))
    }

    /// The system's zone (`TZ`, else `/etc/localtime`), when it has an IANA name; UTC otherwise.
    pub fn system() -> Zone {
        jiff::tz::TimeZone::try_system()
            .ok()
            .and_then(|tz| {
                let name = tz.iana_name()?.to_string();
                Some(known(name, tz))
            })
            .unwrap_or_else(Zone::utc)
    }

    /// Every zone name the database knows that names a place or UTC, sorted (for a picker).
    pub fn available() -> Vec<String> {
        let mut names: Vec<String> = jiff::tz::db()
            .available()
            .map(|name| name.as_str().to_string())
            // Region/City and UTC: not the legacy aliases (EST5EDT, GB, posix/…, right/…).
            .filter(|name| {
                name == "UTC"
                    || (name.contains('/')
                        && !name.starts_with("posix/")
                        && !name.starts_with("right/")
                        && !name.starts_with("Etc/"))
            })
            .collect();
        names.sort();
        names.dedup();
        names
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Days since 1970-01-01 of the day `at` falls on in this zone.
    pub fn epoch_day(&self, at: UtcInstant) -> i64 {
        let offset = jiff::Timestamp::from_millisecond(at.millis())
            .map(|t| i64::from(self.tz.to_offset(t).seconds()) * 1000)
            .unwrap_or(0);
        (at.millis() + offset).div_euclid(MILLIS_PER_DAY)
    }

    /// Minutes since local midnight at `at` in this zone (0 to 1,439): when a daily digest is due.
    pub fn minute_of_day(&self, at: UtcInstant) -> u32 {
        let offset = jiff::Timestamp::from_millisecond(at.millis())
            .map(|t| i64::from(self.tz.to_offset(t).seconds()) * 1000)
            .unwrap_or(0);
        ((at.millis() + offset).rem_euclid(MILLIS_PER_DAY) / 60_000) as u32
    }

    /// The day `at` falls on in this zone.
    pub fn day(&self, at: UtcInstant) -> Day {
        Day::from_epoch_day(self.epoch_day(at)).unwrap_or_else(|| at.day())
    }

    /// Today in this zone.
    pub fn today(&self) -> Day {
        self.day(UtcInstant::now())
    }
}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Zone({})", self.name)
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> UtcInstant {
        UtcInstant::parse_rfc3339(text).unwrap()
    }

    #[test]
    fn an_evening_in_california_is_that_days() {
        let la = Zone::named("America/Los_Angeles").unwrap();
        // 23:30 on 30 November in Los Angeles (PST, UTC−8) is 07:30 on 1 December in UTC.
        let sale = at("2026-12-01T07:30:00Z");
        assert_eq!(la.day(sale).iso(), "2026-11-30");
        assert_eq!(Zone::utc().day(sale).iso(), "2026-12-01");
        // Summer time: 23:30 on 31 July (PDT, UTC−7).
        assert_eq!(la.day(at("2026-08-01T06:30:00Z")).iso(), "2026-07-31");
        // East of UTC the day starts earlier: 00:30 on 1 January in Auckland (UTC+13).
        let auckland = Zone::named("Pacific/Auckland").unwrap();
        assert_eq!(auckland.day(at("2025-12-31T11:30:00Z")).iso(), "2026-01-01");
        // Before 1970 too.
        assert_eq!(la.day(at("1969-01-01T03:00:00Z")).iso(), "1968-12-31");
    }

    #[test]
    fn unknown_names_are_refused_with_an_example() {
        let e = Zone::named("Mars/Olympus").unwrap_err();
        assert!(
            e.to_string().contains("'Mars/Olympus' is not a time zone"),
            "{e}"
        );
        assert!(Zone::named("").is_err());
        assert_eq!(Zone::named("UTC").unwrap().name(), "UTC");
        assert_eq!(
            Zone::named("Etc/UTC").unwrap(),
            Zone::utc(),
            "one UTC, whatever its name"
        );
        assert_eq!(
            Zone::named("Europe/Berlin").unwrap().to_string(),
            "Europe/Berlin"
        );
    }

    #[test]
    fn every_zone_offered_can_be_named() {
        let all = Zone::available();
        assert!(all.len() > 300, "{} zones", all.len());
        assert!(all.iter().any(|z| z == "America/Los_Angeles") && all.iter().any(|z| z == "UTC"));
        assert!(all.windows(2).all(|w| w[0] < w[1]), "sorted, once each");
        assert!(all.iter().all(|z| Zone::named(z).is_ok()));
    }
}
