//! Dates typed as DDMMYYYY on the keypad.

use chrono::NaiveDate;

use super::{FieldCheck, FieldError, digits_without_separators};
use crate::i18n::{MessageArg, Translatable};

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
    pub(super) fn every_variant() -> Vec<DateError> {
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
}
