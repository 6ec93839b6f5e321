//! The one source of time and randomness, so tests can pin both.
//!
//! `ROTA_NOW` (RFC 3339) replaces the clock; `ROTA_SEED` replaces the random seed that a new
//! rotation is started with.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};

pub fn now() -> Result<DateTime<Utc>> {
    at(crate::cli::environment()
        .now
        .as_deref()
        .map(std::ffi::OsStr::new))
}

/// The moment `value` (`ROTA_NOW`) names, or the clock's when there is none.
pub fn at(value: Option<&std::ffi::OsStr>) -> Result<DateTime<Utc>> {
    match value.map(|v| v.to_string_lossy()) {
        Some(value) => {
            let now = DateTime::parse_from_rfc3339(value.trim())
                .map(|t| t.with_timezone(&Utc))
                .map_err(|e| {
                    Error::invalid(format!("ROTA_NOW={value:?} is not an RFC 3339 time: {e}")).hint(
                        "write it like 2026-11-23T17:05:00+01:00, or unset ROTA_NOW to use the clock",
                    )
                })?;
            if !crate::calendar::in_range(now.date_naive()) {
                return Err(
                    Error::invalid(format!("ROTA_NOW={value:?} is out of range"))
                        .hint(crate::calendar::RANGE_HINT),
                );
            }
            Ok(now)
        }
        None => Ok(Utc::now()),
    }
}

/// A seed for a new rotation: `ROTA_SEED` if set, otherwise random. Kept below 2^32 so that it
/// reads well in the file.
pub fn new_seed() -> Result<u64> {
    match &crate::cli::environment().seed {
        Some(value) => value.trim().parse().map_err(|_| {
            Error::invalid(format!("ROTA_SEED={value:?} is not a non-negative integer"))
                .hint("unset ROTA_SEED to let rota pick a random seed")
        }),
        None => Ok(u64::from(rand::random::<u32>())),
    }
}
