//! Field validation as the participant types.
//!
//! Every validator accepts partial input and answers with a [`FieldCheck`]: valid (with the normalised
//! value), valid with a warning, incomplete (still typing: show nothing yet, but this is the error if the
//! participant moves on now), or invalid (show the error at once). Errors and warnings have message ids in
//! both languages ([`Translatable`]).

use chrono::NaiveDate;

use super::bank::AccountError;
use super::nik::{NIK_DIGITS, Nik, NikError, NikWarning, ParsedNik};
use super::regions::Regions;
use crate::i18n::{MessageArg, Translatable};

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

// ---------------------------------------------------------------------------------------------------------
// NIK

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

// ---------------------------------------------------------------------------------------------------------
// KPJ

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
    fn every_variant() -> Vec<KpjError> {
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

// ---------------------------------------------------------------------------------------------------------
// Names

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
    fn every_variant() -> Vec<NameError> {
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

// ---------------------------------------------------------------------------------------------------------
// Phone

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
    fn every_variant() -> Vec<PhoneError> {
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

// ---------------------------------------------------------------------------------------------------------
// E-mail

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
    fn every_variant() -> Vec<EmailError> {
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

// ---------------------------------------------------------------------------------------------------------
// NPWP

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
    fn every_variant() -> Vec<NpwpError> {
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

// ---------------------------------------------------------------------------------------------------------
// Dates typed on the keypad

/// Why a typed date is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Something other than digits.
    #[error("digits only, as DDMMYYYY")]
    NotDigits,
    /// Fewer than 8 digits.
    #[error("needs 8 digits: DDMMYYYY")]
    TooShort,
    /// More than 8 digits.
    #[error("needs 8 digits: DDMMYYYY")]
    TooLong,
    /// The day is not 01 to 31.
    #[error("the day must be 01 to 31")]
    BadDay,
    /// The month is not 01 to 12.
    #[error("the month must be 01 to 12")]
    BadMonth,
    /// The day does not exist in that month and year (e.g. 30 February).
    #[error("that day does not exist in that month")]
    NoSuchDay,
    /// After the latest date allowed.
    #[error("must not be after {latest}")]
    TooLate {
        /// The latest date allowed.
        latest: NaiveDate,
    },
    /// Before the earliest date allowed.
    #[error("must not be before {earliest}")]
    TooEarly {
        /// The earliest date allowed.
        earliest: NaiveDate,
    },
}

impl Translatable for DateError {
    fn message_id(&self) -> &'static str {
        match self {
            DateError::NotDigits => "date-not-digits",
            DateError::TooShort => "date-too-short",
            DateError::TooLong => "date-too-long",
            DateError::BadDay => "date-bad-day",
            DateError::BadMonth => "date-bad-month",
            DateError::NoSuchDay => "date-no-such-day",
            DateError::TooLate { .. } => "date-too-late",
            DateError::TooEarly { .. } => "date-too-early",
        }
    }

    fn message_args(&self) -> Vec<(&'static str, MessageArg)> {
        match self {
            DateError::TooLate { latest } => vec![("date", MessageArg::Date(*latest))],
            DateError::TooEarly { earliest } => vec![("date", MessageArg::Date(*earliest))],
            _ => Vec::new(),
        }
    }
}

impl DateError {
    #[cfg(test)]
    fn every_variant() -> Vec<DateError> {
        let day = NaiveDate::from_ymd_opt(2027, 1, 12).unwrap_or_default();
        let all = vec![
            DateError::NotDigits,
            DateError::TooShort,
            DateError::TooLong,
            DateError::BadDay,
            DateError::BadMonth,
            DateError::NoSuchDay,
            DateError::TooLate { latest: day },
            DateError::TooEarly { earliest: day },
        ];
        for item in &all {
            match item {
                DateError::NotDigits
                | DateError::TooShort
                | DateError::TooLong
                | DateError::BadDay
                | DateError::BadMonth
                | DateError::NoSuchDay
                | DateError::TooLate { .. }
                | DateError::TooEarly { .. } => {}
            }
        }
        all
    }
}

/// Checks a date typed as DDMMYYYY on the keypad (`/`, `-`, `.` and spaces are ignored), within
/// `earliest..=latest` (e.g. a date of birth: from 1900 to today).
pub fn typed_date(input: &str, earliest: NaiveDate, latest: NaiveDate) -> FieldCheck<NaiveDate> {
    let invalid = |error| FieldCheck::Invalid(FieldError::Date(error));
    let Some(digits) = digits_without_separators(input, &['/', '-', '.']) else {
        return invalid(DateError::NotDigits);
    };
    if digits.len() > 8 {
        return invalid(DateError::TooLong);
    }
    let number =
        |range: std::ops::Range<usize>| digits.get(range).and_then(|text| text.parse::<u32>().ok());
    // Check the day and month as soon as they are typed.
    if let Some(first) = number(0..1)
        && first > 3
    {
        return invalid(DateError::BadDay);
    }
    let day = number(0..2);
    if let Some(day) = day
        && !(1..=31).contains(&day)
    {
        return invalid(DateError::BadDay);
    }
    if let Some(first) = number(2..3)
        && first > 1
    {
        return invalid(DateError::BadMonth);
    }
    let month = number(2..4);
    if let Some(month) = month {
        let longest = match month {
            2 => 29,
            4 | 6 | 9 | 11 => 30,
            1..=12 => 31,
            _ => return invalid(DateError::BadMonth),
        };
        if day.unwrap_or(1) > longest {
            return invalid(DateError::NoSuchDay);
        }
    }
    let (Some(day), Some(month), Some(year)) =
        (day, month, number(4..8).filter(|_| digits.len() == 8))
    else {
        return FieldCheck::Incomplete(FieldError::Date(DateError::TooShort));
    };
    let Some(date) = i32::try_from(year)
        .ok()
        .and_then(|year| NaiveDate::from_ymd_opt(year, month, day))
    else {
        return invalid(DateError::NoSuchDay);
    };
    if date > latest {
        invalid(DateError::TooLate { latest })
    } else if date < earliest {
        invalid(DateError::TooEarly { earliest })
    } else {
        FieldCheck::Valid(date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn error_id<T>(check: &FieldCheck<T>) -> &'static str {
        match check {
            FieldCheck::Incomplete(error) | FieldCheck::Invalid(error) => error.message_id(),
            _ => "",
        }
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

    #[test]
    fn dates_typed_on_the_keypad() {
        let (earliest, latest) = (date(1900, 1, 1), date(2026, 11, 28));
        let check = |input: &str| typed_date(input, earliest, latest);
        assert_eq!(check("12011985"), FieldCheck::Valid(date(1985, 1, 12)));
        assert_eq!(check("12/01/1985"), FieldCheck::Valid(date(1985, 1, 12)));
        assert_eq!(check("29022000"), FieldCheck::Valid(date(2000, 2, 29)));
        assert_eq!(check("28112026"), FieldCheck::Valid(date(2026, 11, 28)));
        for incomplete in ["", "1", "12", "120", "1201", "120119", "1201198"] {
            assert_eq!(
                check(incomplete),
                FieldCheck::Incomplete(FieldError::Date(DateError::TooShort)),
                "{incomplete:?}"
            );
        }
        for (input, expected) in [
            ("4", DateError::BadDay),
            ("00", DateError::BadDay),
            ("32", DateError::BadDay),
            ("122", DateError::BadMonth),
            ("1200", DateError::BadMonth),
            ("1213", DateError::BadMonth),
            ("3002", DateError::NoSuchDay),
            ("3104", DateError::NoSuchDay),
            ("29021900", DateError::NoSuchDay),
            ("29022027", DateError::NoSuchDay),
            ("120119851", DateError::TooLong),
            ("12a1", DateError::NotDigits),
            ("29112026", DateError::TooLate { latest }),
            ("31121899", DateError::TooEarly { earliest }),
        ] {
            assert_eq!(
                check(input),
                FieldCheck::Invalid(FieldError::Date(expected)),
                "{input:?}"
            );
        }
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
