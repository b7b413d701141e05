//! Reading the cards on the kiosk: the NIK, name, place and date of birth and sex from the e-KTP, the
//! participant number from the KPJ card. The card is found and straightened as for its photo
//! ([`crate::camera::card`]); each field's line is found where the card's layout puts it
//! ([`layout`], [`lines`]) and read by a text recognition network run on the CPU ([`recognizer`]).
//! What is read is checked by the same rules as typed input; anything doubtful is left for the
//! participant to type, never guessed. Nothing read is logged.

pub mod card_ground;
pub mod ektp;
pub mod kpj;
pub mod layout;
pub mod lines;
pub mod recognizer;
pub mod synthetic;

use card_ground::card_quad;
pub use ektp::{EktpReading, read_ektp};
pub use kpj::{KpjReading, read_kpj_card};
pub use recognizer::{Recognizer, RecognizerError};

use crate::camera::card::{Quad, straightened_size, warp};
use crate::camera::sample_card::ID1_ASPECT;
use crate::camera::{Frame, Luma, analysis_luma, luma_of_rgb};

/// The lowest confidence (0-1) every character of a field must have for the field to be offered
/// as read.
pub const SURE: f32 = 0.9;

/// The size a card is straightened to for reading (at most; never enlarged).
pub const READING_MAX: (u32, u32) = (1011, 638);

/// One field read from a card: its value when it was read for sure and passed its checks, and the
/// lowest confidence of its characters.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading<T> {
    /// The value, or `None` when it is doubtful (the participant types it).
    pub value: Option<T>,
    /// The lowest confidence of the characters read (0-1).
    pub confidence: f32,
}

impl<T> Reading<T> {
    /// A field read for sure.
    pub fn sure(value: T, confidence: f32) -> Reading<T> {
        Reading {
            value: Some(value),
            confidence,
        }
    }

    /// A field that could not be read for sure.
    pub fn doubtful(confidence: f32) -> Reading<T> {
        Reading {
            value: None,
            confidence,
        }
    }
}

/// The card in `frame` found around the card guide box (the e-KTP by its blue ground, else as for its
/// photo) and straightened for reading, as grey levels; `None` when no card is found.
pub fn card_from_frame(frame: &Frame) -> Option<Luma> {
    let full = luma_of_rgb(&frame.rgb, frame.width, frame.height);
    let quad = card_quad(frame, &full, &analysis_luma(frame))?;
    let (w, h) = straightened_size(&quad, ID1_ASPECT, READING_MAX);
    Some(warp::straighten_luma(&full, &quad, w, h))
}

/// Where the card is in `frame`: its corners (frame pixels, TL, TR, BR, BL) as [`card_from_frame`]
/// finds them; `None` when no card is found.
pub fn find_card(frame: &Frame) -> Option<Quad> {
    let full = luma_of_rgb(&frame.rgb, frame.width, frame.height);
    card_quad(frame, &full, &analysis_luma(frame))
}
