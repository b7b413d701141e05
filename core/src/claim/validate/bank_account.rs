//! Bank account numbers: digits only, as many as the chosen bank's accounts have.

use super::{FieldCheck, FieldError};
use crate::i18n::{MessageArg, Translatable};

/// Why an account number is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    /// The bank is not in the table (choose a bank first).
    #[error("unknown bank")]
    UnknownBank,
    /// Something other than digits.
    #[error("digits only")]
    NotDigits,
    /// Fewer digits than the bank's accounts have.
    #[error("this bank's account numbers have {length} digits")]
    TooShort {
        /// The bank's account number length.
        length: usize,
    },
    /// More digits than the bank's accounts have.
    #[error("this bank's account numbers have {length} digits")]
    TooLong {
        /// The bank's account number length.
        length: usize,
    },
}

impl Translatable for AccountError {
    fn message_id(&self) -> &'static str {
        match self {
            AccountError::UnknownBank => "account-unknown-bank",
            AccountError::NotDigits => "account-not-digits",
            AccountError::TooShort { .. } => "account-too-short",
            AccountError::TooLong { .. } => "account-too-long",
        }
    }

    fn message_args(&self) -> Vec<(&'static str, MessageArg)> {
        match self {
            AccountError::TooShort { length } | AccountError::TooLong { length } => {
                vec![("length", (*length).into())]
            }
            AccountError::UnknownBank | AccountError::NotDigits => Vec::new(),
        }
    }
}

impl AccountError {
    /// One example of every variant (tests).
    #[cfg(test)]
    pub(crate) fn every_variant() -> Vec<AccountError> {
        let all = vec![
            AccountError::UnknownBank,
            AccountError::NotDigits,
            AccountError::TooShort { length: 10 },
            AccountError::TooLong { length: 10 },
        ];
        for item in &all {
            match item {
                AccountError::UnknownBank
                | AccountError::NotDigits
                | AccountError::TooShort { .. }
                | AccountError::TooLong { .. } => {}
            }
        }
        all
    }
}

/// Checks an account number as it is typed (spaces, dots and dashes ignored) against the bank's account
/// number length; the value is digits only.
pub fn account_number(input: &str, length: usize) -> FieldCheck<String> {
    let mut digits = String::with_capacity(input.len());
    for c in input.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !(c.is_whitespace() || c == '-' || c == '.') {
            return FieldCheck::Invalid(FieldError::Account(AccountError::NotDigits));
        }
    }
    if digits.len() < length {
        FieldCheck::Incomplete(FieldError::Account(AccountError::TooShort { length }))
    } else if digits.len() > length {
        FieldCheck::Invalid(FieldError::Account(AccountError::TooLong { length }))
    } else {
        FieldCheck::Valid(digits)
    }
}
