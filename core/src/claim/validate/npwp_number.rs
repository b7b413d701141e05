//! NPWP (tax numbers): 15 digits in the older format, 16 (the NIK) in the newer one.

use super::{FieldCheck, FieldError, digits_without_separators};
use crate::i18n::Translatable;

/// Why an NPWP is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NpwpError {
    /// Something other than digits and the usual `.`/`-` punctuation.
    #[error("digits only")]
    NotDigits,
    /// Fewer than 15 digits.
    #[error("has 15 or 16 digits")]
    TooShort,
    /// More than 16 digits.
    #[error("has 15 or 16 digits")]
    TooLong,
}

impl Translatable for NpwpError {
    fn message_id(&self) -> &'static str {
        match self {
            NpwpError::NotDigits => "npwp-not-digits",
            NpwpError::TooShort => "npwp-too-short",
            NpwpError::TooLong => "npwp-too-long",
        }
    }
}

impl NpwpError {
    #[cfg(test)]
    pub(super) fn every_variant() -> Vec<NpwpError> {
        let all = vec![
            NpwpError::NotDigits,
            NpwpError::TooShort,
            NpwpError::TooLong,
        ];
        for item in &all {
            match item {
                NpwpError::NotDigits | NpwpError::TooShort | NpwpError::TooLong => {}
            }
        }
        all
    }
}

/// Checks an NPWP: 15 digits (older format, e.g. `12.345.678.9-012.345`) or 16 (the NIK); punctuation is
/// stripped and the value is digits only.
pub fn npwp(input: &str) -> FieldCheck<String> {
    let Some(digits) = digits_without_separators(input, &['.', '-']) else {
        return FieldCheck::Invalid(FieldError::Npwp(NpwpError::NotDigits));
    };
    match digits.len() {
        0..=14 => FieldCheck::Incomplete(FieldError::Npwp(NpwpError::TooShort)),
        15 | 16 => FieldCheck::Valid(digits),
        _ => FieldCheck::Invalid(FieldError::Npwp(NpwpError::TooLong)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npwp_numbers() {
        assert_eq!(
            npwp("12.345.678.9-012.345"),
            FieldCheck::Valid("123456789012345".into())
        );
        assert_eq!(
            npwp("3273011201850003"),
            FieldCheck::Valid("3273011201850003".into())
        );
        assert_eq!(
            npwp("12.345.678.9-012.34"),
            FieldCheck::Incomplete(FieldError::Npwp(NpwpError::TooShort))
        );
        assert_eq!(
            npwp("12345678901234567"),
            FieldCheck::Invalid(FieldError::Npwp(NpwpError::TooLong))
        );
        assert_eq!(
            npwp("12/345"),
            FieldCheck::Invalid(FieldError::Npwp(NpwpError::NotDigits))
        );
    }
}
