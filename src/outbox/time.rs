//! Times are stored as milliseconds since the Unix epoch (UTC), which sort and compare as integers.

use chrono::{DateTime, Utc};

/// A time as stored.
pub(crate) fn to_millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// A stored time back as a `DateTime` (out-of-range values clamp to the epoch).
pub(crate) fn from_millis(millis: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(millis).unwrap_or(DateTime::UNIX_EPOCH)
}
