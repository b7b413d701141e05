//! Reading the e-KTP: the NIK, name, place and date of birth and sex, each checked before it is
//! offered. The NIK must follow its own rules (known province, a real date, a serial) and agree with
//! the printed date of birth and sex; anything the network is unsure of is reported as doubtful.

use chrono::NaiveDate;

use crate::camera::Luma;
use crate::claim::Sex;
use crate::claim::nik::Nik;
use crate::claim::regions::Regions;
use crate::claim::validate::{FieldCheck, name};

use super::layout::{self, EKTP_NIK};
use super::lines::{Line, find_line, find_line_near, line_centres, sharpened};
use super::recognizer::{ReadChar, Recognizer, RecognizerError};
use super::{Reading, SURE};

/// What was read from an e-KTP. A field is `None` when it could not be read for sure: the
/// participant is then asked, never shown a guess.
#[derive(Clone, PartialEq)]
pub struct EktpReading {
    /// The NIK, when every digit was read for sure, it follows the NIK's rules and it agrees with the
    /// printed date of birth and sex.
    pub nik: Reading<String>,
    /// The name as printed, capitals.
    pub name: Reading<String>,
    /// The place of birth as printed.
    pub place_of_birth: Reading<String>,
    /// The printed date of birth.
    pub date_of_birth: Reading<NaiveDate>,
    /// The printed sex.
    pub sex: Reading<Sex>,
}

impl std::fmt::Debug for EktpReading {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Personal data: only whether each field was read, and how surely.
        f.debug_struct("EktpReading")
            .field("nik", &self.nik.confidence)
            .field("name", &self.name.confidence)
            .field("place_of_birth", &self.place_of_birth.confidence)
            .field("date_of_birth", &self.date_of_birth.confidence)
            .field("sex", &self.sex.confidence)
            .finish()
    }
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_uppercase() || matches!(c, ' ' | '.' | ',' | '\'' | '-')
}

fn is_birth_char(c: char) -> bool {
    is_name_char(c) || is_digit(c) || c == '/'
}

/// The lowest confidence of `chars` (0 when nothing was read).
fn weakest(chars: &[ReadChar]) -> f32 {
    if chars.is_empty() {
        return 0.0;
    }
    chars.iter().map(|c| c.confidence).fold(1.0, f32::min)
}

fn text_of(chars: &[ReadChar]) -> String {
    chars.iter().map(|c| c.ch).collect()
}

/// Unsharp masks (Gaussian sigma in line pixels, amount) a line is read again with, in turn, while
/// its reading is not sure: a defocused frame's letters often read surely once their edges are
/// sharpened. Each reading must pass every check on its own; none is mixed with another.
const SHARPENINGS: [(f32, f32); 2] = [(1.2, 1.0), (2.0, 2.0)];

/// The readings of `line` as cut out, then sharpened by each of [`SHARPENINGS`], read with the
/// characters `allowed` accepts and spaced by its gaps; `more(reads)` says whether to go on after
/// each. Nothing when there is no line.
fn read_variants(
    recognizer: &Recognizer,
    line: Option<&Line>,
    allowed: fn(char) -> bool,
    mut more: impl FnMut(&[Vec<ReadChar>]) -> bool,
) -> Result<Vec<Vec<ReadChar>>, RecognizerError> {
    let mut reads: Vec<Vec<ReadChar>> = Vec::new();
    let Some(line) = line else {
        return Ok(reads);
    };
    for variant in 0..=SHARPENINGS.len() {
        let image = match variant.checked_sub(1).and_then(|i| SHARPENINGS.get(i)) {
            Some(&(sigma, amount)) => sharpened(&line.image, sigma, amount),
            None => line.image.clone(),
        };
        let read = recognizer.read_line_spaced(&image, allowed)?;
        reads.push(line.with_judged_spaces(&read.chars, &read.space_after));
        if !more(&reads) {
            break;
        }
    }
    Ok(reads)
}

/// The first sure reading of `readings`, else the first (doubtful) one.
fn first_sure<T>(readings: Vec<Reading<T>>) -> Reading<T> {
    let mut readings = readings.into_iter();
    let Some(first) = readings.next() else {
        return Reading::doubtful(0.0);
    };
    if first.value.is_some() {
        return first;
    }
    readings.find(|r| r.value.is_some()).unwrap_or(first)
}

/// Reads the straightened e-KTP `card` (85.6 x 54 mm proportions, any size). `regions` is the wilayah
/// table and `today` bounds the date of birth, as for a typed NIK.
pub fn read_ektp(
    recognizer: &Recognizer,
    card: &Luma,
    regions: &Regions,
    today: NaiveDate,
) -> Result<EktpReading, RecognizerError> {
    let nik_line = find_line(card, &EKTP_NIK);
    let centres = field_centres(card, nik_line.as_ref().map(|l| l.centre));
    let name_row = layout::ektp_field(layout::EKTP_ROW_NAME, layout::EKTP_FIELD_RIGHT);
    let name_line = find_line_near(card, &name_row, centres[0]);
    let birth_row = layout::ektp_field(layout::EKTP_ROW_BIRTH, layout::EKTP_FIELD_RIGHT);
    let birth_line = find_line_near(card, &birth_row, centres[1]);
    let sex_row = layout::ektp_field(layout::EKTP_ROW_SEX, layout::EKTP_BLOOD_TYPE_X - 0.01);
    let sex_line = find_line_near(card, &sex_row, centres[2]);

    let sex_reads = read_variants(recognizer, sex_line.as_ref(), is_name_char, |r| {
        r.last().is_some_and(|c| sex_reading(c).value.is_none())
    })?;
    let sex = first_sure(sex_reads.iter().map(|c| sex_reading(c)).collect());
    let name_reads = read_variants(recognizer, name_line.as_ref(), is_name_char, |r| {
        r.last().is_some_and(|c| name_reading(c).value.is_none())
    })?;
    let name = first_sure(name_reads.iter().map(|c| name_reading(c)).collect());
    let birth_reads = read_variants(recognizer, birth_line.as_ref(), is_birth_char, |r| {
        r.last().is_some_and(|c| {
            let (place, date) = birth_reading(c);
            place.value.is_none() || date.date.is_none() || date.confidence < SURE
        })
    })?;
    let births: Vec<(Reading<String>, PrintedDate)> =
        birth_reads.iter().map(|c| birth_reading(c)).collect();
    let dates: Vec<&PrintedDate> = births.iter().map(|(_, d)| d).collect();
    // The NIK as cut out, then sharpened, until one reading is sure against one printed date.
    let mut nik = Reading::doubtful(0.0);
    read_variants(recognizer, nik_line.as_ref(), is_digit, |r| {
        if let Some(chars) = r.last() {
            let reading = nik_reading(chars, regions, today, &dates, &sex);
            if r.len() == 1 || reading.value.is_some() {
                nik = reading;
            }
        }
        nik.value.is_none()
    })?;
    let place_of_birth = first_sure(births.iter().map(|(p, _)| p.clone()).collect());
    // The printed date counts as read when one reading of it was sure, or when it agrees with a NIK
    // read for sure (two readings of the same date).
    let nik_date = nik
        .value
        .as_deref()
        .and_then(|n| Nik::parse(n, regions, today).ok())
        .map(|n| n.date_of_birth());
    let sure_date = dates
        .iter()
        .find(|d| d.date.is_some() && d.confidence >= SURE)
        .or_else(|| {
            dates
                .iter()
                .find(|d| d.date.is_some() && d.date == nik_date)
        });
    let date_of_birth = match sure_date.and_then(|d| d.date.map(|v| (v, d.confidence))) {
        Some((d, confidence)) => Reading::sure(d, confidence),
        None => Reading::doubtful(dates.first().map_or(0.0, |d| d.confidence)),
    };
    Ok(EktpReading {
        nik,
        name,
        place_of_birth,
        date_of_birth,
        sex,
    })
}

/// The date of birth as printed, when its text is a real date read at least [`DATE_FLOOR`] surely.
struct PrintedDate {
    date: Option<NaiveDate>,
    confidence: f32,
}

/// The least confidence a printed date needs to be compared with the NIK's.
const DATE_FLOOR: f32 = 0.5;

/// Centres (shares of the height) of the name, birth and sex rows: the first three label lines
/// below the NIK (so a card straightened a little high or low, or a print shifted, still reads the
/// right rows), else the layout's rows moved by the NIK line's offset.
fn field_centres(card: &Luma, nik_centre: Option<f64>) -> [f64; 3] {
    let shift = nik_centre.map_or(0.0, |c| c - EKTP_NIK.centre());
    let planned: [f64; 3] = [
        layout::EKTP_ROW_NAME,
        layout::EKTP_ROW_BIRTH,
        layout::EKTP_ROW_SEX,
    ]
    .map(|i| layout::ektp_field(i, layout::EKTP_FIELD_RIGHT).centre() + shift);
    let from = EKTP_NIK.top + EKTP_NIK.size + shift;
    let labels = line_centres(
        card,
        (
            layout::EKTP_LABEL_X - 0.02,
            layout::EKTP_FIELD_COLON_X - 0.01,
        ),
        (from, from + 4.0 * layout::EKTP_FIELD_PITCH),
        layout::EKTP_FIELD_SIZE * 0.4,
    );
    let pitch = layout::EKTP_FIELD_PITCH;
    let evenly = labels.len() >= 3
        && labels
            .windows(2)
            .take(2)
            .all(|p| ((p[1] - p[0]) / pitch - 1.0).abs() < 0.3)
        && (labels[0] - planned[0]).abs() < pitch * 0.8;
    if evenly {
        [labels[0], labels[1], labels[2]]
    } else {
        planned
    }
}

/// The NIK read: 16 digits each read for sure, the NIK's rules met, the printed date of birth read
/// and the same as the NIK's, and no disagreement with the printed sex when that was read.
fn nik_reading(
    chars: &[ReadChar],
    regions: &Regions,
    today: NaiveDate,
    printed_births: &[&PrintedDate],
    printed_sex: &Reading<Sex>,
) -> Reading<String> {
    // Digits only: a space the line's gaps suggest does not count.
    let digits: Vec<ReadChar> = chars.iter().filter(|c| c.ch != ' ').copied().collect();
    let confidence = weakest(&digits);
    let text = text_of(&digits);
    let Ok(parsed) = Nik::parse(&text, regions, today) else {
        return Reading::doubtful(confidence);
    };
    let birth_agrees = printed_births
        .iter()
        .any(|b| b.date == Some(parsed.date_of_birth()));
    let sex_disagrees = printed_sex.value.is_some_and(|s| s != parsed.sex());
    if confidence < SURE || !birth_agrees || sex_disagrees {
        return Reading::doubtful(confidence);
    }
    Reading::sure(parsed.nik().as_str().to_owned(), confidence)
}

/// Where the date starts: the tenth character from the end, spaces aside; `None` when the line is
/// too short to hold a date.
fn date_start(chars: &[ReadChar]) -> Option<usize> {
    let mut seen = 0;
    for (i, c) in chars.iter().enumerate().rev() {
        if c.ch != ' ' {
            seen += 1;
            if seen == 10 {
                return Some(i);
            }
        }
    }
    None
}

/// `chars` without spaces at either end.
fn trim_spaces(chars: &[ReadChar]) -> &[ReadChar] {
    let start = chars
        .iter()
        .position(|c| c.ch != ' ')
        .unwrap_or(chars.len());
    let end = chars
        .iter()
        .rposition(|c| c.ch != ' ')
        .map_or(start, |e| e + 1);
    &chars[start..end.max(start)]
}

/// The name: at least two letters, meeting the name rule of a typed name.
fn name_reading(chars: &[ReadChar]) -> Reading<String> {
    let chars = trim_spaces(chars);
    let confidence = weakest(chars);
    let text = text_of(chars);
    match name(text.trim()) {
        FieldCheck::Valid(n) | FieldCheck::ValidWithWarning(n, _) if confidence >= SURE => {
            Reading::sure(n, confidence)
        }
        _ => Reading::doubtful(confidence),
    }
}

/// Place and date of birth from "PLACE, DD-MM-YYYY": the date is the last ten characters (spaces
/// aside) whose eight digits must make a real calendar date; the place is what stands before it,
/// less its comma.
fn birth_reading(chars: &[ReadChar]) -> (Reading<String>, PrintedDate) {
    let Some(date_at) = date_start(chars) else {
        let confidence = weakest(chars);
        return (
            Reading::doubtful(confidence),
            PrintedDate {
                date: None,
                confidence,
            },
        );
    };
    // The place ends at its comma; without one just before the date, where it ends is not known.
    let place_chars = trim_spaces(&chars[..date_at]);
    let (place_chars, ends_at_comma) = match place_chars.last() {
        Some(c) if matches!(c.ch, ',' | '.') => (&place_chars[..place_chars.len() - 1], true),
        _ => (place_chars, false),
    };
    let place_chars = trim_spaces(place_chars);
    // The date's digits: its separators carry nothing the digits do not.
    let date_chars: Vec<ReadChar> = chars[date_at..]
        .iter()
        .filter(|c| c.ch.is_ascii_digit())
        .copied()
        .collect();
    let place = text_of(place_chars).trim().to_owned();
    let place_conf = weakest(place_chars);
    let place_ok = ends_at_comma
        && place.chars().filter(char::is_ascii_uppercase).count() >= 2
        && place
            .chars()
            .all(|c| c.is_ascii_uppercase() || matches!(c, ' ' | '.' | '-'));
    let place_reading = if place_ok && place_conf >= SURE {
        Reading::sure(place, place_conf)
    } else {
        Reading::doubtful(place_conf)
    };
    let date_text: String = text_of(&date_chars);
    let date_conf = weakest(&date_chars);
    let date = NaiveDate::parse_from_str(&date_text, "%d%m%Y").ok();
    let date_reading = PrintedDate {
        date: date.filter(|_| date_conf >= DATE_FLOOR && date_text.len() == 8),
        confidence: date_conf,
    };
    (place_reading, date_reading)
}

/// The sex: "LAKI-LAKI" or "PEREMPUAN" exactly.
fn sex_reading(chars: &[ReadChar]) -> Reading<Sex> {
    let chars = trim_spaces(chars);
    let confidence = weakest(chars);
    let sex = match text_of(chars).trim() {
        "LAKI-LAKI" => Some(Sex::Male),
        "PEREMPUAN" => Some(Sex::Female),
        _ => None,
    };
    match sex {
        Some(s) if confidence >= SURE => Reading::sure(s, confidence),
        _ => Reading::doubtful(confidence),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reading::synthetic::people::person;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or(NaiveDate::MIN)
    }

    /// `text` read with every character `confidence` sure.
    fn read_as(text: &str, confidence: f32) -> Vec<ReadChar> {
        text.chars()
            .enumerate()
            .map(|(i, ch)| ReadChar {
                ch,
                confidence,
                x: i as f32 * 10.0,
            })
            .collect()
    }

    fn printed(date: NaiveDate) -> PrintedDate {
        PrintedDate {
            date: Some(date),
            confidence: 0.95,
        }
    }

    #[test]
    fn a_sure_nik_agreeing_with_one_printed_date_is_offered_and_an_unsure_digit_makes_it_doubtful()
    {
        let p = person(3);
        let other = printed(p.date_of_birth.succ_opt().unwrap_or(NaiveDate::MIN));
        let right = printed(p.date_of_birth);
        let unknown = Reading::doubtful(0.0);
        let regions = Regions::embedded();
        let sure = nik_reading(
            &read_as(&p.nik, 0.97),
            regions,
            today(),
            &[&other, &right],
            &unknown,
        );
        assert_eq!(sure.value.as_deref(), Some(p.nik.as_str()));
        let mut one_unsure = read_as(&p.nik, 0.97);
        one_unsure[12].confidence = SURE - 0.01;
        let unsure = nik_reading(&one_unsure, regions, today(), &[&right], &unknown);
        assert_eq!(unsure.value, None);
    }

    #[test]
    fn a_nik_is_doubtful_when_no_printed_date_agrees_or_the_printed_sex_disagrees() {
        let p = person(4);
        let regions = Regions::embedded();
        let chars = read_as(&p.nik, 0.99);
        let other = printed(p.date_of_birth.succ_opt().unwrap_or(NaiveDate::MIN));
        let unknown = Reading::doubtful(0.0);
        let no_date = nik_reading(&chars, regions, today(), &[&other], &unknown);
        assert_eq!(no_date.value, None, "no printed date agrees");
        let none_read = nik_reading(&chars, regions, today(), &[], &unknown);
        assert_eq!(none_read.value, None, "no printed date read");
        let wrong_sex = if p.sex == Sex::Male {
            Sex::Female
        } else {
            Sex::Male
        };
        let sex = Reading::sure(wrong_sex, 0.99);
        let right = printed(p.date_of_birth);
        let disagrees = nik_reading(&chars, regions, today(), &[&right], &sex);
        assert_eq!(disagrees.value, None, "the printed sex disagrees");
    }

    #[test]
    fn first_sure_takes_the_first_sure_reading_else_the_first_doubtful_one() {
        let picked = first_sure(vec![
            Reading::doubtful(0.4),
            Reading::sure(2, 0.95),
            Reading::sure(3, 0.99),
        ]);
        assert_eq!(picked, Reading::sure(2, 0.95));
        let none = first_sure::<u8>(vec![Reading::doubtful(0.4), Reading::doubtful(0.8)]);
        assert_eq!(none, Reading::doubtful(0.4));
    }
}
