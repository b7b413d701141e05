//! Checks a field as it is typed, with the claim rules, and says what to fix in the participant's language.
//!
//! Every rule lives in [`crate::claim`]; this module only turns its answers into what a screen shows.

use chrono::NaiveDate;

use crate::claim::Sex;
use crate::claim::bank::BankTable;
use crate::claim::regions::Regions;
use crate::claim::validate::{self, FieldCheck, KpjLength};
use crate::i18n::{MessageArg, Translatable, Translator};

/// What a field's content means so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// Nothing typed yet.
    Empty,
    /// Typing, not wrong yet (too short to judge).
    Typing,
    /// Acceptable.
    Valid,
    /// Acceptable, with something the participant should know.
    Warning(Note),
    /// Not acceptable; the note says how to fix it.
    Invalid(Note),
}

impl Check {
    /// Whether the participant may go on with this value.
    pub fn accepts(&self) -> bool {
        matches!(self, Check::Valid | Check::Warning(_))
    }
}

/// A translatable note about a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    id: &'static str,
    args: Vec<(&'static str, MessageArg)>,
}

impl Note {
    /// The note for something the library can describe.
    pub fn of(item: &dyn Translatable) -> Note {
        Note {
            id: item.message_id(),
            args: item.message_args(),
        }
    }

    /// A note with this message id and values.
    pub fn new(id: &'static str, args: Vec<(&'static str, MessageArg)>) -> Note {
        Note { id, args }
    }

    /// The message id.
    pub fn id(&self) -> &'static str {
        self.id
    }

    /// The note in the translator's language.
    pub fn text(&self, t: &Translator) -> String {
        t.tr_args(self.id, &self.args)
    }
}

/// What a valid NIK tells about its holder, for the participant to confirm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NikFacts {
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// Sex.
    pub sex: Sex,
}

/// Turns a validator's answer into what the screen shows and the value, if acceptable.
fn verdict<T>(input: &str, answer: FieldCheck<T>) -> (Check, Option<T>) {
    match answer {
        FieldCheck::Valid(value) => (Check::Valid, Some(value)),
        FieldCheck::ValidWithWarning(value, warning) => {
            (Check::Warning(Note::of(&warning)), Some(value))
        }
        FieldCheck::Incomplete(_) if input.trim().is_empty() => (Check::Empty, None),
        FieldCheck::Incomplete(_) => (Check::Typing, None),
        FieldCheck::Invalid(error) => (Check::Invalid(Note::of(&error)), None),
    }
}

/// Checks a NIK against the built-in region codes; once valid, also gives the date of birth and sex it encodes.
pub fn nik(value: &str, today: NaiveDate) -> (Check, Option<NikFacts>) {
    nik_in(Regions::embedded(), value, today)
}

/// Checks a NIK against these region codes (the screens pass the configured ones the claim pipeline uses);
/// once valid, also gives the date of birth and sex it encodes.
pub fn nik_in(regions: &Regions, value: &str, today: NaiveDate) -> (Check, Option<NikFacts>) {
    let (check, parsed) = verdict(value, validate::nik(value, regions, today));
    let facts = parsed.map(|parsed| NikFacts {
        date_of_birth: parsed.date_of_birth(),
        sex: parsed.sex(),
    });
    (check, facts)
}

/// Checks a KPJ number against the configured length (the claim pipeline's `ClaimContext::kpj`).
pub fn kpj(value: &str, length: KpjLength) -> Check {
    verdict(value, validate::kpj(value, length)).0
}

/// Checks a name; once valid, also gives it normalised (single spaces, upper case).
pub fn name(value: &str) -> (Check, Option<String>) {
    verdict(value, validate::name(value))
}

/// Checks a mother's maiden name; once valid, also gives it normalised.
pub fn mother_maiden_name(value: &str) -> (Check, Option<String>) {
    verdict(value, validate::mother_maiden_name(value))
}

/// Checks an NPWP (15 or 16 digits); once valid, also gives the digits.
pub fn npwp(value: &str) -> (Check, Option<String>) {
    verdict(value, validate::npwp(value))
}

/// Checks a mobile number; once valid, also gives it as `+628…`.
pub fn phone(value: &str) -> (Check, Option<String>) {
    verdict(value, validate::phone(value))
}

/// Checks an e-mail address (empty is fine: the address is optional).
pub fn email(value: &str) -> Check {
    if value.is_empty() {
        return Check::Empty;
    }
    verdict(value, validate::email(value)).0
}

/// Checks an account number against the chosen bank's length.
pub fn account(banks: &BankTable, bank_code: &str, value: &str) -> Check {
    verdict(value, banks.check_account(bank_code, value)).0
}

/// The earliest date the kiosk accepts for any event or membership start.
fn earliest_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1950, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// Checks a date typed as DDMMYYYY: from 1950 up to a year after today (a contract may end soon; the
/// eligibility check then says from when the claim is possible).
pub fn date(value: &str, today: NaiveDate) -> (Check, Option<NaiveDate>) {
    let latest = today
        .checked_add_months(chrono::Months::new(12))
        .unwrap_or(today);
    verdict(value, validate::typed_date(value, earliest_date(), latest))
}

/// Shows typed date digits as `DD/MM/YYYY` while they are typed.
pub fn show_date(digits: &str) -> String {
    let mut shown = String::new();
    for (index, c) in digits.chars().enumerate() {
        if index == 2 || index == 4 {
            shown.push('/');
        }
        shown.push(c);
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    #[test]
    fn a_valid_nik_gives_birth_date_and_sex() {
        // Jakarta Selatan (31 74 01), woman born 12 March 1985 (52 = 12 + 40), serial 0001.
        let (check, facts) = nik("3174015203850001", today());
        assert!(check.accepts(), "{check:?}");
        let facts = facts.unwrap();
        assert_eq!(facts.sex, Sex::Female);
        assert_eq!(
            facts.date_of_birth,
            NaiveDate::from_ymd_opt(1985, 3, 12).unwrap()
        );
    }

    #[test]
    fn a_short_nik_is_typing_and_a_bad_one_says_why() {
        assert_eq!(nik("", today()).0, Check::Empty);
        assert_eq!(nik("3174", today()).0, Check::Typing);
        let (check, facts) = nik("3174015203850000", today());
        assert!(matches!(check, Check::Invalid(_)), "{check:?}");
        assert!(facts.is_none());
    }

    #[test]
    fn dates_are_shown_with_slashes_as_typed() {
        assert_eq!(show_date("1203"), "12/03");
        assert_eq!(show_date("12031985"), "12/03/1985");
        assert_eq!(show_date("1"), "1");
    }

    #[test]
    fn a_typed_date_is_checked() {
        let (check, date_value) = date("12031985", today());
        assert!(check.accepts());
        assert_eq!(date_value, NaiveDate::from_ymd_opt(1985, 3, 12));
        assert!(matches!(date("4", today()).0, Check::Invalid(_)));
    }
}
