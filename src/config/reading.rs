//! `[reading]`: whether the kiosk reads the cards: the e-KTP and the KPJ card are photographed first and
//! what is read from them (NIK, name, place and date of birth, KPJ number) is offered for the participant to
//! confirm. Off, or in a build without the `reading` feature, the participant types them and the cards are
//! photographed with the other documents.

use serde::{Deserialize, Serialize};

/// `[reading]`: reading the cards on the kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReadingSection {
    /// Read the e-KTP and the KPJ card (default `true`).
    pub enabled: bool,
}

impl Default for ReadingSection {
    fn default() -> Self {
        ReadingSection { enabled: true }
    }
}

impl ReadingSection {
    /// Whether this kiosk reads the cards: the key is on and the build can read them.
    pub fn reads_cards(&self) -> bool {
        self.enabled && cfg!(feature = "reading")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_is_on_by_default_and_follows_the_key() {
        let on: ReadingSection = toml::from_str("").expect("an empty section");
        assert!(on.enabled);
        assert_eq!(on.reads_cards(), cfg!(feature = "reading"));
        let off: ReadingSection = toml::from_str("enabled = false").expect("the key");
        assert!(!off.reads_cards());
        assert!(toml::from_str::<ReadingSection>("enabled = \"yes\"").is_err());
    }
}
