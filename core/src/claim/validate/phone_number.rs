//! Mobile phone numbers, normalised to `+628…`.

use super::{FieldCheck, FieldError, digits_without_separators};
use crate::i18n::{MessageArg, Translatable};

/// Digits in a mobile number written nationally (`08…`), fewest.
pub const PHONE_MIN_DIGITS: usize = 10;
/// Digits in a mobile number written nationally (`08…`), most.
pub const PHONE_MAX_DIGITS: usize = 13;

/// Why a phone number is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// Something other than digits (and a leading `+`, spaces or dashes).
    #[error("digits only")]
    NotDigits,
    /// Not a mobile number (`08…`, `628…` or `+628…`).
    #[error("a mobile number starts with 08")]
    NotMobile,
    /// Too few digits.
    #[error("needs {min} to {max} digits starting with 08")]
    TooShort {
        /// The fewest digits (national form).
        min: usize,
        /// The most digits (national form).
        max: usize,
    },
    /// Too many digits.
    #[error("needs {min} to {max} digits starting with 08")]
    TooLong {
        /// The fewest digits (national form).
        min: usize,
        /// The most digits (national form).
        max: usize,
    },
}

impl Translatable for PhoneError {
    fn message_id(&self) -> &'static str {
        match self {
            PhoneError::NotDigits => "phone-not-digits",
            PhoneError::NotMobile => "phone-not-mobile",
            PhoneError::TooShort { .. } => "phone-too-short",
            PhoneError::TooLong { .. } => "phone-too-long",
        }
    }

    fn message_args(&self) -> Vec<(&'static str, MessageArg)> {
        match self {
            PhoneError::TooShort { min, max } | PhoneError::TooLong { min, max } => {
                vec![("min", (*min).into()), ("max", (*max).into())]
            }
            PhoneError::NotDigits | PhoneError::NotMobile => Vec::new(),
        }
    }
}

impl PhoneError {
    #[cfg(test)]
    pub(super) fn every_variant() -> Vec<PhoneError> {
        let (min, max) = (PHONE_MIN_DIGITS, PHONE_MAX_DIGITS);
        let all = vec![
            PhoneError::NotDigits,
            PhoneError::NotMobile,
            PhoneError::TooShort { min, max },
            PhoneError::TooLong { min, max },
        ];
        for item in &all {
            match item {
                PhoneError::NotDigits
                | PhoneError::NotMobile
                | PhoneError::TooShort { .. }
                | PhoneError::TooLong { .. } => {}
            }
        }
        all
    }
}

/// Checks a mobile number typed as `08…`, `628…` or `+628…` (spaces, dots and dashes ignored); the value is
/// `+628…`. Mobile numbers have 10 to 13 digits in the national form.
pub fn phone(input: &str) -> FieldCheck<String> {
    let trimmed = input.trim();
    let (plus, rest) = match trimmed.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let Some(digits) = digits_without_separators(rest, &['-', '.', '(', ')']) else {
        return FieldCheck::Invalid(FieldError::Phone(PhoneError::NotDigits));
    };
    let (min, max) = (PHONE_MIN_DIGITS, PHONE_MAX_DIGITS);
    let too_short = FieldCheck::Incomplete(FieldError::Phone(PhoneError::TooShort { min, max }));
    let not_mobile = FieldCheck::Invalid(FieldError::Phone(PhoneError::NotMobile));
    // The subscriber part after the leading "0" (national) or "62" (international), starting with 8.
    let subscriber = if plus || digits.starts_with('6') {
        if !"628".starts_with(&digits[..digits.len().min(3)]) {
            return not_mobile;
        }
        if digits.len() < 3 {
            return too_short;
        }
        &digits[2..]
    } else {
        if !"08".starts_with(&digits[..digits.len().min(2)]) {
            return not_mobile;
        }
        if digits.len() < 2 {
            return too_short;
        }
        &digits[1..]
    };
    let national_len = subscriber.len() + 1;
    if national_len < min {
        too_short
    } else if national_len > max {
        FieldCheck::Invalid(FieldError::Phone(PhoneError::TooLong { min, max }))
    } else {
        FieldCheck::Valid(format!("+62{subscriber}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claim::validate::error_id;

    #[test]
    fn phone_numbers_are_normalised_to_plus_62() {
        for (input, expected) in [
            ("081234567890", "+6281234567890"),
            ("0812-3456-789", "+628123456789"),
            ("0812 3456 7890", "+6281234567890"),
            ("6281234567890", "+6281234567890"),
            ("+62 812 3456 7890", "+6281234567890"),
            ("0812345678", "+62812345678"),
            ("0812345678901", "+62812345678901"),
            ("+62812345678", "+62812345678"),
        ] {
            assert_eq!(
                phone(input),
                FieldCheck::Valid(expected.to_owned()),
                "{input:?}"
            );
        }
        for incomplete in [
            "",
            "0",
            "08",
            "+",
            "+6",
            "62",
            "+62",
            "628",
            "081234567",
            "+6281234567",
        ] {
            assert!(
                matches!(phone(incomplete), FieldCheck::Incomplete(_)),
                "{incomplete:?}"
            );
        }
        for (input, expected) in [
            ("0212345678", "phone-not-mobile"),
            ("1812345678", "phone-not-mobile"),
            ("+6221234567", "phone-not-mobile"),
            ("+1812345678", "phone-not-mobile"),
            ("6312345678", "phone-not-mobile"),
            ("08123456789012", "phone-too-long"),
            ("+628123456789012", "phone-too-long"),
            ("0812abc", "phone-not-digits"),
            ("0812+345", "phone-not-digits"),
        ] {
            let check = phone(input);
            assert!(
                matches!(check, FieldCheck::Invalid(_)),
                "{input:?}: {check:?}"
            );
            assert_eq!(error_id(&check), expected, "{input:?}");
        }
    }
}
