//! Messages for the participant, in Bahasa Indonesia (first) and English, through Fluent.
//!
//! The translations live in `assets/i18n/<lang>/lapak.ftl` and are embedded in the binary. Every error,
//! eligibility answer, reason and document the library can show has a message id ([`Translatable`]); a test
//! checks that both languages have every one of them.

use chrono::{Datelike, NaiveDate};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};
use unic_langid::{LanguageIdentifier, langid};

const ID_FTL: &str = include_str!("../../assets/i18n/id/lapak.ftl");
const EN_FTL: &str = include_str!("../../assets/i18n/en/lapak.ftl");

/// A language the kiosk speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// Bahasa Indonesia, the default.
    #[default]
    Id,
    /// English.
    En,
}

impl Language {
    /// Every language, in the order the home screen offers them.
    pub const ALL: [Language; 2] = [Language::Id, Language::En];

    /// The language's code (`"id"`, `"en"`).
    pub fn code(self) -> &'static str {
        match self {
            Language::Id => "id",
            Language::En => "en",
        }
    }

    /// The language with this code (`"id"`, `"en"`), if the kiosk speaks it.
    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL
            .into_iter()
            .find(|language| language.code() == code)
    }

    /// The embedded Fluent source for the language.
    pub fn ftl_source(self) -> &'static str {
        match self {
            Language::Id => ID_FTL,
            Language::En => EN_FTL,
        }
    }

    fn langid(self) -> LanguageIdentifier {
        match self {
            Language::Id => langid!("id"),
            Language::En => langid!("en"),
        }
    }
}

/// A value placed into a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageArg {
    /// Text used as it is (also usable as a selector, e.g. a reason id).
    Text(String),
    /// A whole number.
    Number(i64),
    /// A date, written out in the message's language ("12 Januari 2027").
    Date(NaiveDate),
    /// Another message, translated and inserted (e.g. a document's name).
    Message(&'static str),
}

impl From<&str> for MessageArg {
    fn from(value: &str) -> Self {
        MessageArg::Text(value.to_owned())
    }
}

impl From<String> for MessageArg {
    fn from(value: String) -> Self {
        MessageArg::Text(value)
    }
}

impl From<i64> for MessageArg {
    fn from(value: i64) -> Self {
        MessageArg::Number(value)
    }
}

impl From<u32> for MessageArg {
    fn from(value: u32) -> Self {
        MessageArg::Number(i64::from(value))
    }
}

impl From<usize> for MessageArg {
    fn from(value: usize) -> Self {
        MessageArg::Number(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

impl From<NaiveDate> for MessageArg {
    fn from(value: NaiveDate) -> Self {
        MessageArg::Date(value)
    }
}

/// Something the participant can be told: a message id and the values it needs.
pub trait Translatable {
    /// The Fluent message id.
    fn message_id(&self) -> &'static str;

    /// The values the message refers to (`$name` in the `.ftl` files).
    fn message_args(&self) -> Vec<(&'static str, MessageArg)> {
        Vec::new()
    }
}

/// A message that could not be formatted cleanly.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TranslationError {
    /// The language has no message with this id.
    #[error("{language}: no message \"{id}\"")]
    Missing {
        /// The language code.
        language: &'static str,
        /// The message id.
        id: String,
    },
    /// The message exists but formatting reported problems (e.g. an unknown variable).
    #[error("{language}: message \"{id}\": {details}")]
    Format {
        /// The language code.
        language: &'static str,
        /// The message id.
        id: String,
        /// What Fluent reported.
        details: String,
    },
}

/// Turns message ids into text in one language.
pub struct Translator {
    language: Language,
    bundle: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Translator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Translator")
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

impl Translator {
    /// A translator for `language`, built from the embedded `.ftl` file.
    pub fn new(language: Language) -> Translator {
        let resource = match FluentResource::try_new(language.ftl_source().to_owned()) {
            Ok(resource) => resource,
            Err((resource, errors)) => {
                tracing::error!(
                    language = language.code(),
                    ?errors,
                    "translation file has syntax errors"
                );
                resource
            }
        };
        let mut bundle = FluentBundle::new_concurrent(vec![language.langid()]);
        bundle.set_use_isolating(false);
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(
                language = language.code(),
                ?errors,
                "translation file has duplicate messages"
            );
        }
        Translator { language, bundle }
    }

    /// The language this translator speaks.
    pub fn language(&self) -> Language {
        self.language
    }

    /// Whether the language has a message with this id.
    pub fn has_message(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    /// The message `id` without arguments; the id itself when the message is missing.
    pub fn tr(&self, id: &str) -> String {
        self.tr_args(id, &[])
    }

    /// The message `id` with its arguments; the id itself when the message is missing.
    pub fn tr_args(&self, id: &str, args: &[(&str, MessageArg)]) -> String {
        match self.format(id, args) {
            Some((text, problems)) => {
                if !problems.is_empty() {
                    let details = problems.join("; ");
                    tracing::warn!(
                        id,
                        language = self.language.code(),
                        details,
                        "message formatted with problems"
                    );
                }
                text
            }
            None => {
                tracing::warn!(id, language = self.language.code(), "missing message");
                id.to_owned()
            }
        }
    }

    /// The message `id` with its arguments, or why it cannot be formatted cleanly.
    pub fn try_tr_args(
        &self,
        id: &str,
        args: &[(&str, MessageArg)],
    ) -> Result<String, TranslationError> {
        let (text, problems) = self
            .format(id, args)
            .ok_or_else(|| TranslationError::Missing {
                language: self.language.code(),
                id: id.to_owned(),
            })?;
        if problems.is_empty() {
            Ok(text)
        } else {
            Err(TranslationError::Format {
                language: self.language.code(),
                id: id.to_owned(),
                details: problems.join("; "),
            })
        }
    }

    /// The text for anything [`Translatable`].
    pub fn message(&self, item: &dyn Translatable) -> String {
        let args = item.message_args();
        self.tr_args(item.message_id(), &args)
    }

    /// A date written out: "12 Januari 2027" / "12 January 2027".
    pub fn date(&self, date: NaiveDate) -> String {
        format!(
            "{} {} {}",
            date.day(),
            self.tr(month_message_id(date.month())),
            date.year()
        )
    }

    fn format(&self, id: &str, args: &[(&str, MessageArg)]) -> Option<(String, Vec<String>)> {
        let message = self.bundle.get_message(id)?;
        let pattern = message.value()?;
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        let mut problems = Vec::new();
        for (name, value) in args {
            let value = match value {
                MessageArg::Text(text) => FluentValue::from(text.clone()),
                MessageArg::Number(number) => FluentValue::from(*number),
                MessageArg::Date(date) => FluentValue::from(self.date(*date)),
                MessageArg::Message(inner) => match self.try_tr_args(inner, &[]) {
                    Ok(text) => FluentValue::from(text),
                    Err(error) => {
                        problems.push(error.to_string());
                        FluentValue::from(*inner)
                    }
                },
            };
            fluent_args.set(name.to_string(), value);
        }
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned();
        problems.extend(errors.iter().map(|error| error.to_string()));
        Some((text, problems))
    }
}

/// The message id of a month's name (1 = January).
pub fn month_message_id(month: u32) -> &'static str {
    const MONTHS: [&str; 12] = [
        "month-1", "month-2", "month-3", "month-4", "month-5", "month-6", "month-7", "month-8",
        "month-9", "month-10", "month-11", "month-12",
    ];
    let index = usize::try_from(month.clamp(1, 12) - 1).unwrap_or(0);
    MONTHS[index]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claim::{DocumentKind, Reason, Sex};
    use std::collections::BTreeSet;

    /// Every message the library can produce, with the arguments it produces them with.
    fn every_message() -> Vec<(&'static str, Vec<(&'static str, MessageArg)>)> {
        let mut all: Vec<(&'static str, Vec<(&'static str, MessageArg)>)> = Vec::new();
        let mut push = |item: &dyn Translatable| all.push((item.message_id(), item.message_args()));
        for reason in Reason::ALL {
            push(&reason);
        }
        for kind in DocumentKind::ALL {
            push(&kind);
        }
        for sex in [Sex::Male, Sex::Female] {
            push(&sex);
        }
        for item in crate::claim::every_translatable() {
            push(item.as_ref());
        }
        for month in 1..=12 {
            all.push((month_message_id(month), Vec::new()));
        }
        all
    }

    /// The message ids defined in a Fluent source (terms, comments and continuation lines skipped).
    fn defined_ids(source: &str) -> BTreeSet<String> {
        source
            .lines()
            .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
            .filter_map(|line| line.split_once('=').map(|(id, _)| id.trim().to_owned()))
            .collect()
    }

    #[test]
    fn every_produced_message_exists_and_formats_cleanly_in_both_languages() {
        let messages = every_message();
        assert!(
            messages.len() > 60,
            "the enumeration looks incomplete: {}",
            messages.len()
        );
        let mut failures = Vec::new();
        for language in Language::ALL {
            let translator = Translator::new(language);
            for (id, args) in &messages {
                match translator.try_tr_args(id, args) {
                    Ok(text) if !text.trim().is_empty() => {}
                    Ok(_) => failures.push(format!("{}: {id} is empty", language.code())),
                    Err(error) => failures.push(error.to_string()),
                }
            }
        }
        assert!(
            failures.is_empty(),
            "translation problems:\n{}",
            failures.join("\n")
        );
    }

    #[test]
    fn both_languages_define_the_same_ids() {
        let id = defined_ids(ID_FTL);
        let en = defined_ids(EN_FTL);
        assert!(id.len() > 60);
        let only_id: Vec<_> = id.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&id).collect();
        assert!(
            only_id.is_empty() && only_en.is_empty(),
            "only in id: {only_id:?}; only in en: {only_en:?}"
        );
    }

    #[test]
    fn translation_files_parse_without_errors() {
        for language in Language::ALL {
            let resource = FluentResource::try_new(language.ftl_source().to_owned());
            assert!(resource.is_ok(), "{} has syntax errors", language.code());
            let mut bundle = FluentBundle::new_concurrent(vec![language.langid()]);
            assert!(
                bundle.add_resource(resource.unwrap()).is_ok(),
                "{} has duplicate ids",
                language.code()
            );
        }
    }

    #[test]
    fn dates_are_written_out_without_isolation_marks() {
        let date = NaiveDate::from_ymd_opt(2027, 1, 12).unwrap();
        assert_eq!(Translator::new(Language::Id).date(date), "12 Januari 2027");
        assert_eq!(Translator::new(Language::En).date(date), "12 January 2027");
        let text = Translator::new(Language::Id).tr_args("date-too-late", &[("date", date.into())]);
        assert!(!text.contains(['\u{2068}', '\u{2069}']), "{text:?}");
    }

    #[test]
    fn every_reason_with_an_event_has_its_own_wording() {
        use crate::claim::eligibility::{Eligibility, MissingField, NotYetReason};
        for language in Language::ALL {
            let translator = Translator::new(language);
            let fallback = translator.message(&Eligibility::Missing(MissingField::DateOfBirth));
            let mut seen = BTreeSet::new();
            for reason in Reason::ALL
                .into_iter()
                .filter(|reason| reason.event_date_label_id().is_some())
            {
                let text =
                    translator.message(&Eligibility::Missing(MissingField::EventDate(reason)));
                assert_ne!(text, fallback);
                assert!(
                    seen.insert(text.clone()),
                    "{}: {reason:?} shares its wording",
                    language.code()
                );
                let from = NaiveDate::from_ymd_opt(2027, 1, 12).unwrap();
                let not_yet = [
                    NotYetReason::WaitingPeriod { reason, months: 1 },
                    NotYetReason::FromNextMonth { reason },
                    NotYetReason::EventNotYet { reason },
                ]
                .map(|because| translator.message(&Eligibility::NotYet { from, because }));
                for text in std::iter::once(text).chain(not_yet) {
                    assert!(
                        !text.contains("kejadian") && !text.contains("the event"),
                        "{}: {reason:?} falls back to the generic wording: {text}",
                        language.code()
                    );
                }
            }
        }
    }

    #[test]
    fn language_codes_round_trip() {
        for language in Language::ALL {
            assert_eq!(Language::from_code(language.code()), Some(language));
            assert_eq!(Translator::new(language).language(), language);
        }
        assert_eq!(Language::from_code("jv"), None);
    }

    #[test]
    fn translator_can_be_shared_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Translator>();
    }

    #[test]
    fn missing_message_falls_back_to_its_id() {
        let translator = Translator::new(Language::En);
        assert_eq!(translator.tr("no-such-message"), "no-such-message");
        // A missing argument still gives the sentence, with the variable's name in its place.
        assert_eq!(
            translator.tr("date-too-late"),
            "The date cannot be after {$date}."
        );
        assert!(matches!(
            translator.try_tr_args("no-such-message", &[]),
            Err(TranslationError::Missing { .. })
        ));
        assert!(matches!(
            translator.try_tr_args("date-too-late", &[]),
            Err(TranslationError::Format { .. })
        ));
    }
}
