//! People's names: the worker, the mother's maiden name, an heir, an account holder.

use super::{FieldCheck, FieldError};
use crate::i18n::{MessageArg, Translatable};

/// The fewest characters in a name.
pub const NAME_MIN_CHARS: usize = 2;
/// The most characters in a name.
pub const NAME_MAX_CHARS: usize = 60;

/// Why a name is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// Nothing typed yet.
    #[error("is empty")]
    Empty,
    /// Fewer than the minimum characters.
    #[error("needs at least {min} characters")]
    TooShort {
        /// The fewest characters.
        min: usize,
    },
    /// More than the maximum characters.
    #[error("has more than {max} characters")]
    TooLong {
        /// The most characters.
        max: usize,
    },
    /// A character that is not a letter, space, `.`, `'` or `-`.
    #[error("contains {character:?}; only letters, spaces, '.', ''' and '-' are allowed")]
    BadCharacter {
        /// The first such character.
        character: char,
    },
    /// No letters at all.
    #[error("has no letters")]
    NoLetters,
}

impl Translatable for NameError {
    fn message_id(&self) -> &'static str {
        match self {
            NameError::Empty => "name-empty",
            NameError::TooShort { .. } => "name-too-short",
            NameError::TooLong { .. } => "name-too-long",
            NameError::BadCharacter { .. } => "name-bad-character",
            NameError::NoLetters => "name-no-letters",
        }
    }

    fn message_args(&self) -> Vec<(&'static str, MessageArg)> {
        match self {
            NameError::TooShort { min } => vec![("min", (*min).into())],
            NameError::TooLong { max } => vec![("max", (*max).into())],
            NameError::BadCharacter { character } => {
                vec![("character", character.to_string().into())]
            }
            NameError::Empty | NameError::NoLetters => Vec::new(),
        }
    }
}

impl NameError {
    #[cfg(test)]
    pub(super) fn every_variant() -> Vec<NameError> {
        let all = vec![
            NameError::Empty,
            NameError::TooShort { min: 2 },
            NameError::TooLong { max: 60 },
            NameError::BadCharacter { character: '@' },
            NameError::NoLetters,
        ];
        for item in &all {
            match item {
                NameError::Empty
                | NameError::TooShort { .. }
                | NameError::TooLong { .. }
                | NameError::BadCharacter { .. }
                | NameError::NoLetters => {}
            }
        }
        all
    }
}

/// Checks a person's name (the worker, the mother's maiden name, an heir, an account holder): letters,
/// spaces, `.`, `'` and `-`, 2 to 60 characters. The value has single spaces and is in upper case.
pub fn name(input: &str) -> FieldCheck<String> {
    let normalised = input
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['\u{2019}', '\u{2018}', '`'], "'")
        .to_uppercase();
    if let Some(character) = normalised
        .chars()
        .find(|c| !(c.is_alphabetic() || matches!(c, ' ' | '.' | '\'' | '-')))
    {
        return FieldCheck::Invalid(FieldError::Name(NameError::BadCharacter { character }));
    }
    let length = normalised.chars().count();
    if length > NAME_MAX_CHARS {
        return FieldCheck::Invalid(FieldError::Name(NameError::TooLong {
            max: NAME_MAX_CHARS,
        }));
    }
    if length == 0 {
        return FieldCheck::Incomplete(FieldError::Name(NameError::Empty));
    }
    if !normalised.chars().any(char::is_alphabetic) {
        // Punctuation alone: a letter may still follow, so wait before calling it wrong.
        return FieldCheck::Incomplete(FieldError::Name(NameError::NoLetters));
    }
    if length < NAME_MIN_CHARS {
        return FieldCheck::Incomplete(FieldError::Name(NameError::TooShort {
            min: NAME_MIN_CHARS,
        }));
    }
    FieldCheck::Valid(normalised)
}

/// Checks the mother's maiden name (the same rules as [`name`]).
pub fn mother_maiden_name(input: &str) -> FieldCheck<String> {
    name(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalised() {
        assert_eq!(
            name("  siti   nur'aini  "),
            FieldCheck::Valid("SITI NUR'AINI".into())
        );
        assert_eq!(
            name("Ahmad\tS. Hidayat-Putra"),
            FieldCheck::Valid("AHMAD S. HIDAYAT-PUTRA".into())
        );
        assert_eq!(name("D’Costa"), FieldCheck::Valid("D'COSTA".into()));
        assert_eq!(name("Al"), FieldCheck::Valid("AL".into()));
        assert_eq!(
            mother_maiden_name("sumarni"),
            FieldCheck::Valid("SUMARNI".into())
        );
        assert_eq!(
            name(""),
            FieldCheck::Incomplete(FieldError::Name(NameError::Empty))
        );
        assert_eq!(
            name("   "),
            FieldCheck::Incomplete(FieldError::Name(NameError::Empty))
        );
        assert_eq!(
            name("a"),
            FieldCheck::Incomplete(FieldError::Name(NameError::TooShort { min: 2 }))
        );
        assert_eq!(
            name("--"),
            FieldCheck::Incomplete(FieldError::Name(NameError::NoLetters))
        );
        assert_eq!(
            name("Budi2"),
            FieldCheck::Invalid(FieldError::Name(NameError::BadCharacter { character: '2' }))
        );
        assert_eq!(
            name("budi@rumah"),
            FieldCheck::Invalid(FieldError::Name(NameError::BadCharacter { character: '@' }))
        );
        let sixty = "A".repeat(60);
        assert_eq!(name(&sixty), FieldCheck::Valid(sixty.clone()));
        assert_eq!(
            name(&format!("{sixty}B")),
            FieldCheck::Invalid(FieldError::Name(NameError::TooLong { max: 60 }))
        );
        // Collapsed spaces count once.
        assert!(name(&format!("{}   {}", "A".repeat(29), "B".repeat(30))).is_acceptable());
    }
}
