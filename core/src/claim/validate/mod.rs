//! Field validation as the participant types.
//!
//! Every validator accepts partial input and answers with a [`FieldCheck`]: valid (with the normalised
//! value), valid with a warning, incomplete (still typing: show nothing yet, but this is the error if the
//! participant moves on now), or invalid (show the error at once). Errors and warnings have message ids in
//! both languages ([`Translatable`]).

use chrono::NaiveDate;

use super::nik::{NIK_DIGITS, Nik, NikError, NikWarning, ParsedNik};
use super::regions::Regions;
use crate::i18n::{MessageArg, Translatable};

mod bank_account;
mod date_entry;
mod email_address;
mod kpj_number;
mod npwp_number;
mod person_name;
mod phone_number;

pub use bank_account::{AccountError, account_number};
pub use date_entry::{DateError, typed_date};
pub use email_address::{EMAIL_MAX_CHARS, EmailError, email};
pub use kpj_number::{KpjError, KpjLength, kpj};
pub use npwp_number::{NpwpError, npwp};
pub use person_name::{NAME_MAX_CHARS, NAME_MIN_CHARS, NameError, mother_maiden_name, name};
pub use phone_number::{PHONE_MAX_DIGITS, PHONE_MIN_DIGITS, PhoneError, phone};

/// The message id of the error a check carries (empty for an acceptable value), for the validators' tests.
#[cfg(test)]
pub(crate) fn error_id<T>(check: &FieldCheck<T>) -> &'static str {
    use crate::i18n::Translatable as _;
    match check {
        FieldCheck::Incomplete(error) | FieldCheck::Invalid(error) => error.message_id(),
        FieldCheck::Valid(_) | FieldCheck::ValidWithWarning(..) => "",
    }
}

/// The answer of a validator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldCheck<T> {
    /// Complete and valid; the value is normalised.
    Valid(T),
    /// Complete and acceptable, but the participant should check something.
    ValidWithWarning(T, FieldWarning),
    /// Not finished yet; nothing is wrong so far. The error applies if the participant moves on now.
    Incomplete(FieldError),
    /// Wrong as typed; show the error now.
    Invalid(FieldError),
}

impl<T> FieldCheck<T> {
    /// The value, when the field is acceptable.
    pub fn value(&self) -> Option<&T> {
        match self {
            FieldCheck::Valid(value) | FieldCheck::ValidWithWarning(value, _) => Some(value),
            FieldCheck::Incomplete(_) | FieldCheck::Invalid(_) => None,
        }
    }

    /// Whether the participant may move on.
    pub fn is_acceptable(&self) -> bool {
        self.value().is_some()
    }

    /// The error to show while typing (only for invalid input).
    pub fn error_while_typing(&self) -> Option<&FieldError> {
        match self {
            FieldCheck::Invalid(error) => Some(error),
            _ => None,
        }
    }

    /// The warning to show, if any.
    pub fn warning(&self) -> Option<&FieldWarning> {
        match self {
            FieldCheck::ValidWithWarning(_, warning) => Some(warning),
            _ => None,
        }
    }

    /// The value when the participant moves on, or the error to show then.
    pub fn into_result(self) -> Result<T, FieldError> {
        match self {
            FieldCheck::Valid(value) | FieldCheck::ValidWithWarning(value, _) => Ok(value),
            FieldCheck::Incomplete(error) | FieldCheck::Invalid(error) => Err(error),
        }
    }

    /// Transforms the value, keeping the verdict.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> FieldCheck<U> {
        match self {
            FieldCheck::Valid(value) => FieldCheck::Valid(f(value)),
            FieldCheck::ValidWithWarning(value, warning) => {
                FieldCheck::ValidWithWarning(f(value), warning)
            }
            FieldCheck::Incomplete(error) => FieldCheck::Incomplete(error),
            FieldCheck::Invalid(error) => FieldCheck::Invalid(error),
        }
    }
}

/// Something the participant should check in an otherwise acceptable field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldWarning {
    /// A NIK whose regency or district code is not known today.
    Nik(NikWarning),
}

impl Translatable for FieldWarning {
    fn message_id(&self) -> &'static str {
        match self {
            FieldWarning::Nik(warning) => warning.message_id(),
        }
    }
}

impl FieldWarning {
    /// One example of every variant (tests).
    #[cfg(test)]
    pub(crate) fn every_variant() -> Vec<FieldWarning> {
        let all = vec![
            FieldWarning::Nik(NikWarning::UnknownRegency),
            FieldWarning::Nik(NikWarning::UnknownDistrict),
        ];
        for item in &all {
            match item {
                FieldWarning::Nik(NikWarning::UnknownRegency | NikWarning::UnknownDistrict) => {}
            }
        }
        all
    }
}

/// Why a field is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    /// The NIK.
    #[error("NIK: {0}")]
    Nik(NikError),
    /// The KPJ number.
    #[error("KPJ number: {0}")]
    Kpj(KpjError),
    /// A person's name (the worker, the mother's maiden name, an heir, an account holder).
    #[error("name: {0}")]
    Name(NameError),
    /// The mobile phone number.
    #[error("phone: {0}")]
    Phone(PhoneError),
    /// The e-mail address.
    #[error("e-mail: {0}")]
    Email(EmailError),
    /// The NPWP.
    #[error("NPWP: {0}")]
    Npwp(NpwpError),
    /// The bank account number.
    #[error("bank account: {0}")]
    Account(AccountError),
    /// A date typed as DDMMYYYY.
    #[error("date: {0}")]
    Date(DateError),
}

impl Translatable for FieldError {
    fn message_id(&self) -> &'static str {
        match self {
            FieldError::Nik(error) => error.message_id(),
            FieldError::Kpj(error) => error.message_id(),
            FieldError::Name(error) => error.message_id(),
            FieldError::Phone(error) => error.message_id(),
            FieldError::Email(error) => error.message_id(),
            FieldError::Npwp(error) => error.message_id(),
            FieldError::Account(error) => error.message_id(),
            FieldError::Date(error) => error.message_id(),
        }
    }

    fn message_args(&self) -> Vec<(&'static str, MessageArg)> {
        match self {
            FieldError::Nik(error) => error.message_args(),
            FieldError::Kpj(error) => error.message_args(),
            FieldError::Name(error) => error.message_args(),
            FieldError::Phone(error) => error.message_args(),
            FieldError::Email(error) => error.message_args(),
            FieldError::Npwp(error) => error.message_args(),
            FieldError::Account(error) => error.message_args(),
            FieldError::Date(error) => error.message_args(),
        }
    }
}

impl FieldError {
    /// One example of every variant of every field's error (tests).
    #[cfg(test)]
    pub(crate) fn every_variant() -> Vec<FieldError> {
        let mut all: Vec<FieldError> = Vec::new();
        all.extend(NikError::every_variant().into_iter().map(FieldError::Nik));
        all.extend(KpjError::every_variant().into_iter().map(FieldError::Kpj));
        all.extend(NameError::every_variant().into_iter().map(FieldError::Name));
        all.extend(
            PhoneError::every_variant()
                .into_iter()
                .map(FieldError::Phone),
        );
        all.extend(
            EmailError::every_variant()
                .into_iter()
                .map(FieldError::Email),
        );
        all.extend(NpwpError::every_variant().into_iter().map(FieldError::Npwp));
        all.extend(
            AccountError::every_variant()
                .into_iter()
                .map(FieldError::Account),
        );
        all.extend(DateError::every_variant().into_iter().map(FieldError::Date));
        for item in &all {
            match item {
                FieldError::Nik(_)
                | FieldError::Kpj(_)
                | FieldError::Name(_)
                | FieldError::Phone(_)
                | FieldError::Email(_)
                | FieldError::Npwp(_)
                | FieldError::Account(_)
                | FieldError::Date(_) => {}
            }
        }
        all
    }
}

/// Keeps the digits of `input`, dropping the separators people type between groups (spaces, dots, dashes).
/// `None` when anything else is present.
fn digits_without_separators(input: &str, separators: &[char]) -> Option<String> {
    let mut digits = String::with_capacity(input.len());
    for c in input.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !(c.is_whitespace() || separators.contains(&c)) {
            return None;
        }
    }
    Some(digits)
}

/// Checks a NIK as it is typed; on 16 digits the value is the parsed NIK (date of birth, sex, region).
pub fn nik(input: &str, regions: &Regions, today: NaiveDate) -> FieldCheck<ParsedNik> {
    if let Err(error) = Nik::check_partial(input, regions) {
        return FieldCheck::Invalid(FieldError::Nik(error));
    }
    match Nik::parse(input, regions, today) {
        Ok(parsed) => match parsed.warning() {
            Some(warning) => FieldCheck::ValidWithWarning(parsed, FieldWarning::Nik(warning)),
            None => FieldCheck::Valid(parsed),
        },
        Err(error @ NikError::TooShort { digits }) if digits < NIK_DIGITS => {
            FieldCheck::Incomplete(FieldError::Nik(error))
        }
        Err(error) => FieldCheck::Invalid(FieldError::Nik(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn nik_field_while_typing() {
        let regions = Regions::embedded();
        let today = date(2026, 11, 28);
        assert!(matches!(
            nik("3273", regions, today),
            FieldCheck::Incomplete(_)
        ));
        assert_eq!(
            nik("20", regions, today),
            FieldCheck::Invalid(FieldError::Nik(NikError::UnknownProvince))
        );
        let FieldCheck::Valid(parsed) = nik("3273011201850003", regions, today) else {
            panic!("a valid NIK");
        };
        assert_eq!(parsed.date_of_birth(), date(1985, 1, 12));
        let check = nik("3298011201850003", regions, today);
        assert_eq!(
            check.warning(),
            Some(&FieldWarning::Nik(NikWarning::UnknownRegency))
        );
        assert!(check.is_acceptable());
        assert_eq!(
            nik("32730112018500031", regions, today),
            FieldCheck::Invalid(FieldError::Nik(NikError::TooLong { digits: 17 }))
        );
        let incomplete = nik("327301120185", regions, today);
        assert_eq!(incomplete.error_while_typing(), None);
        assert_eq!(
            incomplete.into_result(),
            Err(FieldError::Nik(NikError::TooShort { digits: 12 }))
        );
    }

    #[test]
    fn field_check_helpers() {
        let valid: FieldCheck<u8> = FieldCheck::Valid(3);
        assert_eq!(valid.clone().map(|v| v * 2), FieldCheck::Valid(6));
        assert_eq!(valid.into_result(), Ok(3));
        let invalid: FieldCheck<u8> = FieldCheck::Invalid(FieldError::Npwp(NpwpError::TooLong));
        assert_eq!(
            invalid.error_while_typing(),
            Some(&FieldError::Npwp(NpwpError::TooLong))
        );
        assert!(!invalid.is_acceptable());
    }
}
