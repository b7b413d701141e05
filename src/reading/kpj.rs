//! Reading the KPJ card: the participant number on its line, digits only, each read for sure, of a
//! length the kiosk accepts.

use crate::camera::Luma;
use crate::claim::validate::{FieldCheck, KpjLength, kpj};

use super::layout::KPJ_NUMBER;
use super::lines::find_line;
use super::recognizer::{Recognizer, RecognizerError};
use super::{Reading, SURE};

/// What was read from a KPJ card.
#[derive(Clone, PartialEq)]
pub struct KpjReading {
    /// The KPJ number, when every digit was read for sure and its length is accepted.
    pub kpj: Reading<String>,
}

impl std::fmt::Debug for KpjReading {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KpjReading")
            .field("kpj", &self.kpj.confidence)
            .finish()
    }
}

/// Reads the straightened KPJ `card`; `length` is the accepted length of a KPJ number.
pub fn read_kpj_card(
    recognizer: &Recognizer,
    card: &Luma,
    length: KpjLength,
) -> Result<KpjReading, RecognizerError> {
    let Some(line) = find_line(card, &KPJ_NUMBER) else {
        return Ok(KpjReading {
            kpj: Reading::doubtful(0.0),
        });
    };
    let chars = recognizer.read_line(&line.image, |c| c.is_ascii_digit())?;
    let confidence = if chars.is_empty() {
        0.0
    } else {
        chars.iter().map(|c| c.confidence).fold(1.0, f32::min)
    };
    let text: String = chars.iter().map(|c| c.ch).collect();
    let kpj = match kpj(&text, length) {
        FieldCheck::Valid(number) if confidence >= SURE => Reading::sure(number, confidence),
        _ => Reading::doubtful(confidence),
    };
    Ok(KpjReading { kpj })
}
