//! Optional e-mail addresses.

use super::{FieldCheck, FieldError};
use crate::i18n::Translatable;

/// The longest e-mail address accepted.
pub const EMAIL_MAX_CHARS: usize = 254;

/// Why an e-mail address is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Not finished (no `@` or no domain yet).
    #[error("is not complete, e.g. nama@contoh.com")]
    Incomplete,
    /// A space or a character e-mail addresses do not use.
    #[error("contains a character e-mail addresses do not use")]
    BadCharacter,
    /// The shape is wrong (two `@`, empty parts, a domain without a dot).
    #[error("is not an e-mail address, e.g. nama@contoh.com")]
    BadFormat,
    /// Longer than an address can be.
    #[error("is too long")]
    TooLong,
}

impl Translatable for EmailError {
    fn message_id(&self) -> &'static str {
        match self {
            EmailError::Incomplete => "email-incomplete",
            EmailError::BadCharacter => "email-bad-character",
            EmailError::BadFormat => "email-bad-format",
            EmailError::TooLong => "email-too-long",
        }
    }
}

impl EmailError {
    #[cfg(test)]
    pub(super) fn every_variant() -> Vec<EmailError> {
        let all = vec![
            EmailError::Incomplete,
            EmailError::BadCharacter,
            EmailError::BadFormat,
            EmailError::TooLong,
        ];
        for item in &all {
            match item {
                EmailError::Incomplete
                | EmailError::BadCharacter
                | EmailError::BadFormat
                | EmailError::TooLong => {}
            }
        }
        all
    }
}

/// Checks an optional e-mail address: empty is valid (`None`); otherwise `local@domain.tld` with a sane set of
/// characters. The domain is put in lower case.
pub fn email(input: &str) -> FieldCheck<Option<String>> {
    let text = input.trim();
    if text.is_empty() {
        return FieldCheck::Valid(None);
    }
    let invalid = |error| FieldCheck::Invalid(FieldError::Email(error));
    let incomplete = FieldCheck::Incomplete(FieldError::Email(EmailError::Incomplete));
    if text.chars().count() > EMAIL_MAX_CHARS {
        return invalid(EmailError::TooLong);
    }
    let local_ok = |c: char| c.is_ascii_alphanumeric() || "._%+-!#$&'*/=?^`{|}~".contains(c);
    let domain_ok = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
    let Some((local, domain)) = text.split_once('@') else {
        return if text.chars().all(local_ok) {
            incomplete
        } else {
            invalid(EmailError::BadCharacter)
        };
    };
    if !local.chars().all(local_ok) || !domain.chars().all(|c| domain_ok(c) || c == '@') {
        return invalid(EmailError::BadCharacter);
    }
    if domain.contains('@')
        || local.is_empty()
        || local.len() > 64
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
        || domain.starts_with('.')
        || domain.contains("..")
    {
        return invalid(EmailError::BadFormat);
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let last = labels.last().copied().unwrap_or("");
    if labels.len() < 2 || last.is_empty() {
        return incomplete;
    }
    let label_ok =
        |label: &&str| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-');
    if !labels.iter().all(label_ok)
        || last.len() < 2
        || !last.chars().all(|c| c.is_ascii_alphabetic())
    {
        // "nama@contoh.c" may still become ".com": wait while the last part is one letter.
        return if last.len() == 1 && last.chars().all(|c| c.is_ascii_alphabetic()) {
            incomplete
        } else {
            invalid(EmailError::BadFormat)
        };
    }
    FieldCheck::Valid(Some(format!("{local}@{}", domain.to_ascii_lowercase())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claim::validate::error_id;

    #[test]
    fn email_addresses() {
        assert_eq!(email(""), FieldCheck::Valid(None));
        assert_eq!(email("  "), FieldCheck::Valid(None));
        assert_eq!(
            email("Budi.S@Contoh.CO.ID"),
            FieldCheck::Valid(Some("Budi.S@contoh.co.id".into()))
        );
        assert_eq!(
            email("a+b@mail-x.com"),
            FieldCheck::Valid(Some("a+b@mail-x.com".into()))
        );
        for incomplete in [
            "budi",
            "budi@",
            "budi@contoh",
            "budi@contoh.",
            "budi@contoh.c",
        ] {
            assert!(
                matches!(email(incomplete), FieldCheck::Incomplete(_)),
                "{incomplete:?}"
            );
        }
        for (input, expected) in [
            ("budi santoso@contoh.com", "email-bad-character"),
            ("budi@con toh.com", "email-bad-character"),
            ("budi@@contoh.com", "email-bad-format"),
            ("budi@a@contoh.com", "email-bad-format"),
            ("@contoh.com", "email-bad-format"),
            (".budi@contoh.com", "email-bad-format"),
            ("budi..s@contoh.com", "email-bad-format"),
            ("budi@contoh..com", "email-bad-format"),
            ("budi@-contoh.com", "email-bad-format"),
            ("budi@contoh.c0m", "email-bad-format"),
            ("budi@contoh.1", "email-bad-format"),
        ] {
            let check = email(input);
            assert!(
                matches!(check, FieldCheck::Invalid(_)),
                "{input:?}: {check:?}"
            );
            assert_eq!(error_id(&check), expected, "{input:?}");
        }
        let long = format!("{}@contoh.com", "a".repeat(250));
        assert_eq!(error_id(&email(&long)), "email-too-long");
    }
}
