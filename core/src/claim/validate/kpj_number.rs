//! KPJ (participant) numbers: digits only, length from configuration.

use super::{FieldCheck, FieldError, digits_without_separators};
use crate::i18n::{MessageArg, Translatable};

/// The accepted length of a KPJ number (from configuration; default 10 to 13 digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KpjLength {
    min: usize,
    max: usize,
}

impl Default for KpjLength {
    fn default() -> Self {
        KpjLength { min: 10, max: 13 }
    }
}

impl KpjLength {
    /// A length range; `None` unless `1 <= min <= max <= 20`.
    pub fn new(min: usize, max: usize) -> Option<KpjLength> {
        (1 <= min && min <= max && max <= 20).then_some(KpjLength { min, max })
    }

    /// The fewest digits accepted.
    pub fn min(&self) -> usize {
        self.min
    }

    /// The most digits accepted.
    pub fn max(&self) -> usize {
        self.max
    }
}

/// Why a KPJ number is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KpjError {
    /// Something other than digits was typed.
    #[error("digits only")]
    NotDigits,
    /// Fewer digits than the minimum.
    #[error("needs {min} to {max} digits")]
    TooShort {
        /// The fewest digits accepted.
        min: usize,
        /// The most digits accepted.
        max: usize,
    },
    /// More digits than the maximum.
    #[error("needs {min} to {max} digits")]
    TooLong {
        /// The fewest digits accepted.
        min: usize,
        /// The most digits accepted.
        max: usize,
    },
}

impl Translatable for KpjError {
    fn message_id(&self) -> &'static str {
        match self {
            KpjError::NotDigits => "kpj-not-digits",
            KpjError::TooShort { .. } => "kpj-too-short",
            KpjError::TooLong { .. } => "kpj-too-long",
        }
    }

    fn message_args(&self) -> Vec<(&'static str, MessageArg)> {
        match self {
            KpjError::NotDigits => Vec::new(),
            KpjError::TooShort { min, max } | KpjError::TooLong { min, max } => {
                vec![("min", (*min).into()), ("max", (*max).into())]
            }
        }
    }
}

impl KpjError {
    #[cfg(test)]
    pub(super) fn every_variant() -> Vec<KpjError> {
        let all = vec![
            KpjError::NotDigits,
            KpjError::TooShort { min: 10, max: 13 },
            KpjError::TooLong { min: 10, max: 13 },
        ];
        for item in &all {
            match item {
                KpjError::NotDigits | KpjError::TooShort { .. } | KpjError::TooLong { .. } => {}
            }
        }
        all
    }
}

/// Checks a KPJ (participant) number: digits only (spaces ignored), length within `length`.
pub fn kpj(input: &str, length: KpjLength) -> FieldCheck<String> {
    let Some(digits) = digits_without_separators(input, &[]) else {
        return FieldCheck::Invalid(FieldError::Kpj(KpjError::NotDigits));
    };
    let (min, max) = (length.min, length.max);
    if digits.len() < min {
        FieldCheck::Incomplete(FieldError::Kpj(KpjError::TooShort { min, max }))
    } else if digits.len() > max {
        FieldCheck::Invalid(FieldError::Kpj(KpjError::TooLong { min, max }))
    } else {
        FieldCheck::Valid(digits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claim::validate::error_id;

    #[test]
    fn kpj_numbers() {
        let length = KpjLength::default();
        assert_eq!(error_id(&kpj("123456789", length)), "kpj-too-short");
        assert!(matches!(
            kpj("123456789", length),
            FieldCheck::Incomplete(_)
        ));
        assert_eq!(
            kpj("12345678901", length),
            FieldCheck::Valid("12345678901".into())
        );
        assert_eq!(
            kpj("1234 5678 90", length),
            FieldCheck::Valid("1234567890".into())
        );
        assert_eq!(
            kpj("1234567890123", length),
            FieldCheck::Valid("1234567890123".into())
        );
        assert!(matches!(
            kpj("12345678901234", length),
            FieldCheck::Invalid(FieldError::Kpj(KpjError::TooLong { .. }))
        ));
        assert_eq!(
            kpj("12345-67890", length),
            FieldCheck::Invalid(FieldError::Kpj(KpjError::NotDigits))
        );
        let eleven = KpjLength::new(11, 11).unwrap();
        assert!(matches!(
            kpj("1234567890", eleven),
            FieldCheck::Incomplete(_)
        ));
        assert!(kpj("12345678901", eleven).is_acceptable());
        assert!(matches!(
            kpj("123456789012", eleven),
            FieldCheck::Invalid(_)
        ));
        assert_eq!(KpjLength::new(12, 11), None);
        assert_eq!(KpjLength::new(0, 11), None);
    }
}
