//! The kiosk's time zone: its "today" for the claim rules, the screens and printed dates.

use serde::{Deserialize, Serialize};

/// Indonesia's three time zones; the kiosk's "today" is the date in its zone, whatever the system clock's zone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum KioskTimeZone {
    /// Waktu Indonesia Barat, UTC+7 (Sumatra, Java, West and Central Kalimantan).
    #[default]
    Wib,
    /// Waktu Indonesia Tengah, UTC+8 (Bali, Nusa Tenggara, South, East and North Kalimantan, Sulawesi).
    Wita,
    /// Waktu Indonesia Timur, UTC+9 (Maluku, Papua).
    Wit,
}

impl KioskTimeZone {
    /// The zone's offset from UTC (Indonesia has no daylight saving time).
    pub fn offset(self) -> chrono::FixedOffset {
        let hours = match self {
            KioskTimeZone::Wib => 7,
            KioskTimeZone::Wita => 8,
            KioskTimeZone::Wit => 9,
        };
        chrono::FixedOffset::east_opt(hours * 3600)
            .unwrap_or_else(|| unreachable!("7 to 9 hours is a valid offset"))
    }

    /// The wall-clock time in this zone at the instant `now`.
    pub fn local(self, now: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
        now.with_timezone(&self.offset()).naive_local()
    }

    /// The date in this zone at the instant `now`: the kiosk's "today", for the screens and the claim
    /// pipeline alike.
    pub fn today(self, now: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
        self.local(now).date()
    }
}
