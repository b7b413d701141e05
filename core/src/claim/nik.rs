//! The NIK (Nomor Induk Kependudukan): 16 digits `PP RR DD ddmmyy ssss`, no check digit.
//!
//! `PP RR DD` is the province, regency/city and district where the NIK was first issued; `dd` is the day of
//! birth, plus 40 for women; `mm` the month; `yy` the last two digits of the year; `ssss` a serial from 0001.
//! A NIK is valid when it has 16 digits, a known province, a real date of birth and a serial other than 0000.
//! An unknown regency or district is only a warning: old NIKs keep codes that have since been split or renamed.

use chrono::{Datelike, NaiveDate};

use super::Sex;
use super::regions::Regions;
use crate::i18n::{MessageArg, Translatable};

/// The number of digits in a NIK.
pub const NIK_DIGITS: usize = 16;

/// Why a NIK is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NikError {
    /// Something other than digits was typed.
    #[error("a NIK has digits only")]
    NotDigits,
    /// Fewer than 16 digits.
    #[error("a NIK has 16 digits, this has {digits}")]
    TooShort {
        /// How many digits were typed.
        digits: usize,
    },
    /// More than 16 digits.
    #[error("a NIK has 16 digits, this has {digits}")]
    TooLong {
        /// How many digits were typed.
        digits: usize,
    },
    /// The first two digits are not a known province code.
    #[error("the first two digits are not a known province")]
    UnknownProvince,
    /// Digits 7 to 12 are not a real date of birth.
    #[error("digits 7 to 12 are not a real date of birth")]
    BadBirthDate,
    /// The last four digits are 0000.
    #[error("the last four digits cannot be 0000")]
    ZeroSerial,
}

impl Translatable for NikError {
    fn message_id(&self) -> &'static str {
        match self {
            NikError::NotDigits => "nik-not-digits",
            NikError::TooShort { .. } => "nik-too-short",
            NikError::TooLong { .. } => "nik-too-long",
            NikError::UnknownProvince => "nik-unknown-province",
            NikError::BadBirthDate => "nik-bad-birth-date",
            NikError::ZeroSerial => "nik-zero-serial",
        }
    }

    fn message_args(&self) -> Vec<(&'static str, MessageArg)> {
        match self {
            NikError::TooShort { digits } | NikError::TooLong { digits } => {
                vec![("digits", (*digits).into())]
            }
            _ => Vec::new(),
        }
    }
}

impl NikError {
    /// One example of every variant (a new variant must be added here: the match has no catch-all).
    #[cfg(test)]
    pub(crate) fn every_variant() -> Vec<NikError> {
        let all = vec![
            NikError::NotDigits,
            NikError::TooShort { digits: 10 },
            NikError::TooLong { digits: 17 },
            NikError::UnknownProvince,
            NikError::BadBirthDate,
            NikError::ZeroSerial,
        ];
        for error in &all {
            match error {
                NikError::NotDigits
                | NikError::TooShort { .. }
                | NikError::TooLong { .. }
                | NikError::UnknownProvince
                | NikError::BadBirthDate
                | NikError::ZeroSerial => {}
            }
        }
        all
    }
}

/// Something to check in a valid NIK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NikWarning {
    /// Digits 3-4 are not a regency or city known today.
    UnknownRegency,
    /// Digits 5-6 are not a district known today.
    UnknownDistrict,
}

impl Translatable for NikWarning {
    fn message_id(&self) -> &'static str {
        match self {
            NikWarning::UnknownRegency => "nik-warning-unknown-regency",
            NikWarning::UnknownDistrict => "nik-warning-unknown-district",
        }
    }
}

/// A NIK known to have 16 digits. Its `Debug` form hides the digits, so it cannot end up in a log.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Nik(String);

impl std::fmt::Debug for Nik {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Nik(<hidden>)")
    }
}

/// What a valid NIK tells: where it was issued, the date of birth and sex.
#[derive(Clone, PartialEq, Eq)]
pub struct ParsedNik {
    nik: Nik,
    province: String,
    regency: Option<String>,
    district: Option<String>,
    date_of_birth: NaiveDate,
    sex: Sex,
    warning: Option<NikWarning>,
}

impl std::fmt::Debug for ParsedNik {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParsedNik")
            .field("warning", &self.warning)
            .finish_non_exhaustive()
    }
}

impl Nik {
    /// Checks a complete NIK. Spaces are ignored. The two-digit year is placed in the latest century that
    /// does not put the date of birth after `today`.
    pub fn parse(input: &str, regions: &Regions, today: NaiveDate) -> Result<ParsedNik, NikError> {
        let digits = digits_of(input)?;
        check_prefix(&digits, regions)?;
        if digits.len() < NIK_DIGITS {
            return Err(NikError::TooShort {
                digits: digits.len(),
            });
        }
        let number = |range: std::ops::Range<usize>| digits[range].parse::<u32>().unwrap_or(0);
        let (coded_day, month, year2) = (number(6..8), number(8..10), number(10..12));
        let (day, sex) = if coded_day > 40 {
            (coded_day - 40, Sex::Female)
        } else {
            (coded_day, Sex::Male)
        };
        let date_of_birth = birth_date(day, month, year2, today).ok_or(NikError::BadBirthDate)?;
        if &digits[12..16] == "0000" {
            return Err(NikError::ZeroSerial);
        }
        let province = regions
            .province(&digits[0..2])
            .ok_or(NikError::UnknownProvince)?
            .to_owned();
        let regency = regions.regency(&digits[0..4]).map(str::to_owned);
        let district = regions.district(&digits[0..6]).map(str::to_owned);
        let warning = if regency.is_none() {
            Some(NikWarning::UnknownRegency)
        } else if district.is_none() {
            Some(NikWarning::UnknownDistrict)
        } else {
            None
        };
        Ok(ParsedNik {
            nik: Nik(digits),
            province,
            regency,
            district,
            date_of_birth,
            sex,
            warning,
        })
    }

    /// Checks what has been typed so far: `Ok` when nothing is wrong yet (the NIK may still be incomplete).
    /// Catches an unknown province after two digits and an impossible day or month as soon as they are typed.
    pub fn check_partial(input: &str, regions: &Regions) -> Result<(), NikError> {
        let digits = digits_of(input)?;
        check_prefix(&digits, regions)
    }

    /// The 16 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl ParsedNik {
    /// The NIK itself.
    pub fn nik(&self) -> &Nik {
        &self.nik
    }

    /// The province where the NIK was first issued.
    pub fn province(&self) -> &str {
        &self.province
    }

    /// The regency or city, when its code is known.
    pub fn regency(&self) -> Option<&str> {
        self.regency.as_deref()
    }

    /// The district (kecamatan), when its code is known.
    pub fn district(&self) -> Option<&str> {
        self.district.as_deref()
    }

    /// The date of birth (ask the participant to confirm it).
    pub fn date_of_birth(&self) -> NaiveDate {
        self.date_of_birth
    }

    /// The sex (ask the participant to confirm it).
    pub fn sex(&self) -> Sex {
        self.sex
    }

    /// A code to check (unknown regency or district), if any.
    pub fn warning(&self) -> Option<NikWarning> {
        self.warning
    }
}

/// The digits of `input` with spaces removed.
fn digits_of(input: &str) -> Result<String, NikError> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NikError::NotDigits);
    }
    if digits.len() > NIK_DIGITS {
        return Err(NikError::TooLong {
            digits: digits.len(),
        });
    }
    Ok(digits)
}

/// Checks the digits typed so far (at most 16, all ASCII digits).
fn check_prefix(digits: &str, regions: &Regions) -> Result<(), NikError> {
    let number =
        |range: std::ops::Range<usize>| digits.get(range).and_then(|text| text.parse::<u32>().ok());
    if let Some(province) = digits.get(0..2)
        && regions.province(province).is_none()
    {
        return Err(NikError::UnknownProvince);
    }
    // The first digit of the day (0-3 for men, 4-7 for women) and of the month (0-1), as soon as typed.
    if number(6..7).is_some_and(|first| first > 7) || number(8..9).is_some_and(|first| first > 1) {
        return Err(NikError::BadBirthDate);
    }
    if let Some(coded_day) = number(6..8) {
        let day = if coded_day > 40 {
            coded_day - 40
        } else {
            coded_day
        };
        if !(1..=31).contains(&day) || coded_day > 71 {
            return Err(NikError::BadBirthDate);
        }
        if let Some(month) = number(8..10) {
            let longest = match month {
                2 => 29,
                4 | 6 | 9 | 11 => 30,
                1..=12 => 31,
                _ => return Err(NikError::BadBirthDate),
            };
            if day > longest {
                return Err(NikError::BadBirthDate);
            }
        }
    }
    if digits.len() == NIK_DIGITS && &digits[12..16] == "0000" {
        return Err(NikError::ZeroSerial);
    }
    Ok(())
}

/// The date of birth from day, month and two-digit year, in the latest century that is not after `today`.
fn birth_date(day: u32, month: u32, year2: u32, today: NaiveDate) -> Option<NaiveDate> {
    let year2 = i32::try_from(year2).ok()?;
    let century = today.year() - today.year().rem_euclid(100);
    let mut year = century + year2;
    if year > today.year() {
        year -= 100;
    }
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    if date > today {
        return NaiveDate::from_ymd_opt(year - 100, month, day);
    }
    Some(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const TODAY: (i32, u32, u32) = (2026, 11, 28);

    fn today() -> NaiveDate {
        date(TODAY.0, TODAY.1, TODAY.2)
    }

    fn parse(nik: &str) -> Result<ParsedNik, NikError> {
        Nik::parse(nik, Regions::embedded(), today())
    }

    /// Builds a NIK from its parts.
    fn compose(region: &str, birth: NaiveDate, sex: Sex, serial: u32) -> String {
        let day = birth.day() + if sex == Sex::Female { 40 } else { 0 };
        format!(
            "{region}{day:02}{:02}{:02}{serial:04}",
            birth.month(),
            birth.year().rem_euclid(100)
        )
    }

    #[test]
    fn parses_a_man_and_a_woman() {
        let man = parse("3273011201850003").unwrap();
        assert_eq!(man.province(), "Jawa Barat");
        assert_eq!(man.regency(), Some("Kota Bandung"));
        assert_eq!(man.district(), Regions::embedded().district("327301"));
        assert_eq!(man.date_of_birth(), date(1985, 1, 12));
        assert_eq!(man.sex(), Sex::Male);
        assert_eq!(man.warning(), None);
        assert_eq!(man.nik().as_str(), "3273011201850003");

        let woman = parse("3273 0152 0785 0001").unwrap();
        assert_eq!(woman.date_of_birth(), date(1985, 7, 12));
        assert_eq!(woman.sex(), Sex::Female);
    }

    #[test]
    fn debug_output_hides_the_number() {
        let parsed = parse("3273011201850003").unwrap();
        let text = format!("{parsed:?} {:?}", parsed.nik());
        assert!(
            !text.contains("3273011201850003") && !text.contains("1985"),
            "{text}"
        );
    }

    #[test]
    fn century_is_chosen_so_the_birth_date_is_not_in_the_future() {
        // Today is 28 November 2026.
        assert_eq!(
            parse("3273012811260001").unwrap().date_of_birth(),
            date(2026, 11, 28)
        );
        assert_eq!(
            parse("3273012911260001").unwrap().date_of_birth(),
            date(1926, 11, 29)
        );
        assert_eq!(
            parse("3273010101270001").unwrap().date_of_birth(),
            date(1927, 1, 1)
        );
        assert_eq!(
            parse("3273010101000001").unwrap().date_of_birth(),
            date(2000, 1, 1)
        );
        assert_eq!(
            parse("3273012902000001").unwrap().date_of_birth(),
            date(2000, 2, 29)
        );
        assert_eq!(
            parse("3273016902960001").unwrap().date_of_birth(),
            date(1996, 2, 29)
        );
        assert_eq!(parse("3273012902970001"), Err(NikError::BadBirthDate));
    }

    #[test]
    fn rejections() {
        let cases = [
            ("", NikError::TooShort { digits: 0 }),
            ("327301120185000", NikError::TooShort { digits: 15 }),
            ("32730112018500031", NikError::TooLong { digits: 17 }),
            ("3273O11201850003", NikError::NotDigits),
            ("2073011201850003", NikError::UnknownProvince),
            ("3273011201850000", NikError::ZeroSerial),
            ("3273013201850003", NikError::BadBirthDate),
            ("3273010001850003", NikError::BadBirthDate),
            ("3273014001850003", NikError::BadBirthDate),
            ("3273017201850003", NikError::BadBirthDate),
            ("3273011213850003", NikError::BadBirthDate),
            ("3273011200850003", NikError::BadBirthDate),
            ("3273013104850003", NikError::BadBirthDate),
            ("3273013002850003", NikError::BadBirthDate),
        ];
        for (input, expected) in cases {
            assert_eq!(parse(input), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn unknown_regency_or_district_only_warns() {
        let regency = parse("3298011201850003").unwrap();
        assert_eq!(regency.warning(), Some(NikWarning::UnknownRegency));
        assert_eq!(
            (regency.province(), regency.regency(), regency.district()),
            ("Jawa Barat", None, None)
        );
        let district = parse("3273991201850003").unwrap();
        assert_eq!(district.warning(), Some(NikWarning::UnknownDistrict));
        assert_eq!(district.regency(), Some("Kota Bandung"));
    }

    #[test]
    fn partial_input_is_checked_as_far_as_typed() {
        let regions = Regions::embedded();
        for ok in [
            "",
            "3",
            "32",
            "327301",
            "3273014",
            "32730152",
            "3273015202",
            "327301520285",
        ] {
            assert_eq!(Nik::check_partial(ok, regions), Ok(()), "{ok:?}");
        }
        let cases = [
            ("20", NikError::UnknownProvince),
            ("3273019", NikError::BadBirthDate),
            ("32730100", NikError::BadBirthDate),
            ("32730132", NikError::BadBirthDate),
            ("32730172", NikError::BadBirthDate),
            ("3273013102", NikError::BadBirthDate),
            ("3273011213", NikError::BadBirthDate),
            ("327301122", NikError::BadBirthDate),
            ("3273011201850000", NikError::ZeroSerial),
            ("32x", NikError::NotDigits),
        ];
        for (input, expected) in cases {
            assert_eq!(
                Nik::check_partial(input, regions),
                Err(expected),
                "{input:?}"
            );
        }
    }

    fn known_region() -> impl Strategy<Value = String> {
        let mut districts: Vec<String> = Vec::new();
        for province in ["11", "31", "32", "35", "51", "73", "91", "96"] {
            for regency in 1..=80 {
                for district in 1..=40 {
                    let code = format!("{province}{regency:02}{district:02}");
                    if Regions::embedded().district(&code).is_some() {
                        districts.push(code);
                    }
                }
            }
        }
        proptest::sample::select(districts)
    }

    fn birth_date_strategy() -> impl Strategy<Value = NaiveDate> {
        // Any day from 99 years before today up to today.
        let today = today();
        let first = date(TODAY.0 - 99, TODAY.1, TODAY.2).succ_opt().unwrap();
        let span = (today - first).num_days();
        (0..=span).prop_map(move |offset| first + chrono::Duration::days(offset))
    }

    fn sex_strategy() -> impl Strategy<Value = Sex> {
        prop_oneof![Just(Sex::Male), Just(Sex::Female)]
    }

    proptest! {
        #[test]
        fn any_valid_nik_parses_with_its_date_and_sex(
            region in known_region(),
            birth in birth_date_strategy(),
            sex in sex_strategy(),
            serial in 1u32..=9999,
        ) {
            let nik = compose(&region, birth, sex, serial);
            let parsed = parse(&nik);
            prop_assert!(parsed.is_ok(), "{nik}: {parsed:?}");
            let parsed = parsed.unwrap();
            prop_assert_eq!(parsed.date_of_birth(), birth);
            prop_assert_eq!(parsed.sex(), sex);
            prop_assert_eq!(parsed.warning(), None);
            prop_assert_eq!(parsed.nik().as_str(), nik.as_str());
        }

        #[test]
        fn wrong_length_is_rejected(
            region in known_region(),
            birth in birth_date_strategy(),
            serial in 1u32..=9999,
            cut in 1usize..=15,
            extra in "[0-9]{1,5}",
        ) {
            let nik = compose(&region, birth, Sex::Male, serial);
            let short = &nik[..NIK_DIGITS - cut];
            prop_assert!(parse(short).is_err());
            let long = format!("{nik}{extra}");
            prop_assert_eq!(parse(&long), Err(NikError::TooLong { digits: long.len() }));
        }

        #[test]
        fn zero_serial_is_rejected(region in known_region(), birth in birth_date_strategy(), sex in sex_strategy()) {
            prop_assert_eq!(parse(&compose(&region, birth, sex, 0)), Err(NikError::ZeroSerial));
        }

        #[test]
        fn impossible_dates_are_rejected(
            region in known_region(),
            birth in birth_date_strategy(),
            serial in 1u32..=9999,
            bad_day in prop_oneof![Just(0u32), 32u32..=40, Just(40u32), 72u32..=99],
            bad_month in prop_oneof![Just(0u32), 13u32..=99],
        ) {
            let nik = compose(&region, birth, Sex::Male, serial);
            let with_day = format!("{}{bad_day:02}{}", &nik[..6], &nik[8..]);
            prop_assert_eq!(parse(&with_day), Err(NikError::BadBirthDate), "{}", with_day);
            let with_month = format!("{}{bad_month:02}{}", &nik[..8], &nik[10..]);
            prop_assert_eq!(parse(&with_month), Err(NikError::BadBirthDate), "{}", with_month);
            // A day past the end of its month (31 in a 30-day month, 30 or 31 February).
            let month = [2u32, 4, 6, 9, 11][serial as usize % 5];
            let day = if month == 2 { 30 + serial % 2 } else { 31 };
            let past_end = format!("{}{day:02}{month:02}{}", &nik[..6], &nik[10..]);
            prop_assert_eq!(parse(&past_end), Err(NikError::BadBirthDate), "{}", past_end);
        }
    }
}
