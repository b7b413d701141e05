//! The claim reference the participant takes home: 13 digits, unique across kiosks without asking the server.
//!
//! Layout: the kiosk number from provisioning (5 digits), the kiosk's own claim sequence (7 digits) and a
//! Damm check digit, which catches every single wrong digit and every swap of two neighbouring digits.
//! Shown in groups of four and three (`0001 200 000 345`), easy to read aloud and to type on a keypad.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::i18n::{MessageArg, Translatable};

/// Digits in a reference.
pub const REFERENCE_DIGITS: usize = 13;
/// The largest kiosk number (5 digits).
pub const MAX_KIOSK_NUMBER: u32 = 99_999;
/// The largest sequence number (7 digits).
pub const MAX_SEQUENCE: u64 = 9_999_999;

/// The Damm quasigroup of order 10 (totally anti-symmetric, zero diagonal).
const DAMM: [[u8; 10]; 10] = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

/// The Damm interim digit of a string of ASCII digits (0 for a string with a correct check digit).
fn damm(digits: &[u8]) -> u8 {
    digits.iter().fold(0u8, |interim, digit| {
        DAMM[usize::from(interim)][usize::from(digit - b'0')]
    })
}

/// Why a reference cannot be made or read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    /// The kiosk number has more than 5 digits.
    #[error("kiosk number {0} is above {MAX_KIOSK_NUMBER}")]
    KioskNumberOutOfRange(u32),
    /// The sequence has more than 7 digits.
    #[error("sequence {0} is above {MAX_SEQUENCE}")]
    SequenceOutOfRange(u64),
    /// Something other than digits, spaces and dashes.
    #[error("a claim reference has digits only")]
    NotDigits,
    /// Not 13 digits.
    #[error("a claim reference has 13 digits, this has {digits}")]
    WrongLength {
        /// How many digits were typed.
        digits: usize,
    },
    /// The check digit does not match: a digit is wrong or two are swapped.
    #[error("the claim reference has a wrong digit")]
    CheckDigit,
}

impl Translatable for ReferenceError {
    fn message_id(&self) -> &'static str {
        match self {
            ReferenceError::KioskNumberOutOfRange(_) | ReferenceError::SequenceOutOfRange(_) => {
                "reference-out-of-range"
            }
            ReferenceError::NotDigits => "reference-not-digits",
            ReferenceError::WrongLength { .. } => "reference-wrong-length",
            ReferenceError::CheckDigit => "reference-check-digit",
        }
    }

    fn message_args(&self) -> Vec<(&'static str, MessageArg)> {
        match self {
            ReferenceError::WrongLength { digits } => vec![("digits", (*digits).into())],
            _ => Vec::new(),
        }
    }
}

impl ReferenceError {
    /// One example of every variant (tests).
    #[cfg(test)]
    pub(crate) fn every_variant() -> Vec<ReferenceError> {
        let all = vec![
            ReferenceError::KioskNumberOutOfRange(100_000),
            ReferenceError::SequenceOutOfRange(10_000_000),
            ReferenceError::NotDigits,
            ReferenceError::WrongLength { digits: 12 },
            ReferenceError::CheckDigit,
        ];
        for item in &all {
            match item {
                ReferenceError::KioskNumberOutOfRange(_)
                | ReferenceError::SequenceOutOfRange(_)
                | ReferenceError::NotDigits
                | ReferenceError::WrongLength { .. }
                | ReferenceError::CheckDigit => {}
            }
        }
        all
    }
}

/// A claim reference: 13 digits, the last a Damm check digit. Parsed once where it enters (a keypad, a CLI
/// argument, an HTTP body, a database row, a packet's manifest) and carried typed from there; its JSON, TOML and
/// database form is the 13 digits as a string.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClaimReference {
    digits: String,
}

impl ClaimReference {
    /// The reference for this kiosk's claim number `sequence`.
    pub fn new(kiosk_number: u32, sequence: u64) -> Result<ClaimReference, ReferenceError> {
        if kiosk_number > MAX_KIOSK_NUMBER {
            return Err(ReferenceError::KioskNumberOutOfRange(kiosk_number));
        }
        if sequence > MAX_SEQUENCE {
            return Err(ReferenceError::SequenceOutOfRange(sequence));
        }
        let mut digits = format!("{kiosk_number:05}{sequence:07}");
        let check = damm(digits.as_bytes());
        digits.push(char::from(b'0' + check));
        Ok(ClaimReference { digits })
    }

    /// Reads a reference as typed or read out: spaces and dashes are ignored; the length and the check digit
    /// must be right.
    pub fn parse(input: &str) -> Result<ClaimReference, ReferenceError> {
        let mut digits = String::with_capacity(REFERENCE_DIGITS);
        for c in input.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
            } else if !(c.is_whitespace() || c == '-') {
                return Err(ReferenceError::NotDigits);
            }
        }
        if digits.len() != REFERENCE_DIGITS {
            return Err(ReferenceError::WrongLength {
                digits: digits.len(),
            });
        }
        if damm(digits.as_bytes()) != 0 {
            return Err(ReferenceError::CheckDigit);
        }
        Ok(ClaimReference { digits })
    }

    /// The 13 digits without spaces (for storage, QR codes and the central service).
    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// The kiosk number the reference was made with.
    pub fn kiosk_number(&self) -> u32 {
        self.digits[0..5].parse().unwrap_or(0)
    }

    /// The kiosk's sequence number the reference was made with.
    pub fn sequence(&self) -> u64 {
        self.digits[5..12].parse().unwrap_or(0)
    }
}

impl fmt::Debug for ClaimReference {
    /// `ClaimReference("0001200000345")`: the digits, as logs and staff output showed them before the type.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ClaimReference").field(&self.digits).finish()
    }
}

impl fmt::Display for ClaimReference {
    /// Groups of 4, 3, 3 and 3 digits: `0001 200 000 345`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.digits;
        write!(f, "{} {} {} {}", &d[0..4], &d[4..7], &d[7..10], &d[10..13])
    }
}

impl FromStr for ClaimReference {
    type Err = ReferenceError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ClaimReference::parse(s)
    }
}

impl TryFrom<String> for ClaimReference {
    type Error = ReferenceError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        ClaimReference::parse(&value)
    }
}

impl From<ClaimReference> for String {
    fn from(value: ClaimReference) -> Self {
        value.digits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_damm_values() {
        // The published example: 572 has the check digit 4.
        assert_eq!(damm(b"572"), 4);
        assert_eq!(damm(b"5724"), 0);
    }

    #[test]
    fn layout_and_display() {
        let reference = ClaimReference::new(12, 345).unwrap();
        assert_eq!(&reference.digits()[..12], "000120000345");
        assert_eq!(reference.digits().len(), REFERENCE_DIGITS);
        let shown = reference.to_string();
        assert_eq!(shown.replace(' ', ""), reference.digits());
        assert_eq!(
            shown.split(' ').map(str::len).collect::<Vec<_>>(),
            vec![4, 3, 3, 3]
        );
        assert_eq!((reference.kiosk_number(), reference.sequence()), (12, 345));
        assert_eq!(ClaimReference::parse(&shown), Ok(reference.clone()));
        let dashed = format!(
            "{}-{}-{}",
            &reference.digits()[..5],
            &reference.digits()[5..12],
            &reference.digits()[12..]
        );
        assert_eq!(dashed.parse::<ClaimReference>(), Ok(reference));
    }

    #[test]
    fn range_limits() {
        assert!(ClaimReference::new(MAX_KIOSK_NUMBER, MAX_SEQUENCE).is_ok());
        assert!(ClaimReference::new(0, 0).is_ok());
        assert_eq!(
            ClaimReference::new(100_000, 1),
            Err(ReferenceError::KioskNumberOutOfRange(100_000))
        );
        assert_eq!(
            ClaimReference::new(1, 10_000_000),
            Err(ReferenceError::SequenceOutOfRange(10_000_000))
        );
    }

    #[test]
    fn malformed_input() {
        let good = ClaimReference::new(7, 42).unwrap();
        assert_eq!(
            ClaimReference::parse(&good.digits()[..12]),
            Err(ReferenceError::WrongLength { digits: 12 })
        );
        assert_eq!(
            ClaimReference::parse(&format!("{}0", good.digits())),
            Err(ReferenceError::WrongLength { digits: 14 })
        );
        assert_eq!(
            ClaimReference::parse(""),
            Err(ReferenceError::WrongLength { digits: 0 })
        );
        assert_eq!(
            ClaimReference::parse("0001 200 000 34x"),
            Err(ReferenceError::NotDigits)
        );
        assert_eq!(
            ClaimReference::parse("٠٠٠١٢٠٠٠٠٠٣٤٥٦"),
            Err(ReferenceError::NotDigits)
        );
    }

    #[test]
    fn debug_shows_the_digits() {
        let reference = ClaimReference::new(12, 345).unwrap();
        assert_eq!(
            format!("{reference:?}"),
            format!("ClaimReference(\"{}\")", reference.digits())
        );
    }

    #[test]
    fn serde_uses_the_digits() {
        let reference = ClaimReference::new(123, 4567).unwrap();
        let json = serde_json::to_string(&reference).unwrap();
        assert_eq!(json, format!("\"{}\"", reference.digits()));
        assert_eq!(
            serde_json::from_str::<ClaimReference>(&json).unwrap(),
            reference
        );
        let mut broken = reference.digits().to_owned();
        broken.replace_range(0..1, "9");
        assert!(serde_json::from_str::<ClaimReference>(&format!("\"{broken}\"")).is_err());
    }

    proptest! {
        #[test]
        fn round_trip(kiosk in 0u32..=MAX_KIOSK_NUMBER, sequence in 0u64..=MAX_SEQUENCE) {
            let reference = ClaimReference::new(kiosk, sequence).unwrap();
            prop_assert_eq!(reference.digits().len(), REFERENCE_DIGITS);
            prop_assert_eq!(reference.kiosk_number(), kiosk);
            prop_assert_eq!(reference.sequence(), sequence);
            prop_assert_eq!(ClaimReference::parse(reference.digits()), Ok(reference.clone()));
            prop_assert_eq!(ClaimReference::parse(&reference.to_string()), Ok(reference));
        }

        #[test]
        fn every_single_digit_substitution_is_rejected(kiosk in 0u32..=MAX_KIOSK_NUMBER, sequence in 0u64..=MAX_SEQUENCE) {
            let digits = ClaimReference::new(kiosk, sequence).unwrap().digits().as_bytes().to_vec();
            for position in 0..REFERENCE_DIGITS {
                for replacement in b'0'..=b'9' {
                    if replacement == digits[position] {
                        continue;
                    }
                    let mut changed = digits.clone();
                    changed[position] = replacement;
                    let text = String::from_utf8(changed).unwrap();
                    prop_assert_eq!(ClaimReference::parse(&text), Err(ReferenceError::CheckDigit), "{}", text);
                }
            }
        }

        #[test]
        fn every_adjacent_transposition_is_rejected(kiosk in 0u32..=MAX_KIOSK_NUMBER, sequence in 0u64..=MAX_SEQUENCE) {
            let digits = ClaimReference::new(kiosk, sequence).unwrap().digits().as_bytes().to_vec();
            for position in 0..REFERENCE_DIGITS - 1 {
                if digits[position] == digits[position + 1] {
                    continue;
                }
                let mut swapped = digits.clone();
                swapped.swap(position, position + 1);
                let text = String::from_utf8(swapped).unwrap();
                prop_assert_eq!(ClaimReference::parse(&text), Err(ReferenceError::CheckDigit), "{}", text);
            }
        }
    }
}
