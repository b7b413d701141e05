//! Drawn example pictures of the documents a claim needs (shapes and colours, no photo of a real document):
//! a card for the e-KTP, KPJ and NPWP cards, a form with a table for the Kartu Keluarga, an open savings book,
//! a booklet for the passport, a letter with a signature and a stamp for the statements, and a face.

use iced::widget::{Space, column, container, row};
use iced::{Background, Border, Color, Element, Length};

use crate::claim::DocumentKind;

/// The size every example is drawn in (width, height).
pub const SIZE: (f32, f32) = (150.0, 100.0);

const INK: Color = Color::from_rgb(0.25, 0.25, 0.3);
const PAPER: Color = Color::from_rgb(0.98, 0.98, 0.96);
const PHOTO: Color = Color::from_rgb(0.72, 0.74, 0.78);

/// Which drawing a document gets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Drawing {
    /// A card with a photo, a coloured band and lines of text.
    Card {
        /// The card's colour.
        colour: Color,
        /// The band across its top.
        band: Color,
    },
    /// A landscape form with a table (the Kartu Keluarga).
    Form,
    /// An open savings book: lines on the left page, the account number boxed on the right.
    BankBook,
    /// A closed booklet with an emblem (the passport).
    Booklet,
    /// A letter: heading, lines, a signature and a stamp.
    Letter,
    /// A face in an oval (the photo of the participant).
    Face,
}

/// The drawing of a document kind.
pub fn drawing(kind: DocumentKind) -> Drawing {
    match kind {
        DocumentKind::Ektp | DocumentKind::ApplicantEktp => Drawing::Card {
            colour: Color::from_rgb(0.75, 0.87, 0.97),
            band: Color::from_rgb(0.15, 0.4, 0.75),
        },
        DocumentKind::KpjCard => Drawing::Card {
            colour: Color::from_rgb(0.85, 0.95, 0.85),
            band: Color::from_rgb(0.1, 0.55, 0.3),
        },
        DocumentKind::Npwp => Drawing::Card {
            colour: Color::from_rgb(0.95, 0.93, 0.8),
            band: Color::from_rgb(0.7, 0.55, 0.1),
        },
        DocumentKind::KartuKeluarga | DocumentKind::ApplicantKk => Drawing::Form,
        DocumentKind::BankBook => Drawing::BankBook,
        DocumentKind::Passport => Drawing::Booklet,
        DocumentKind::Selfie => Drawing::Face,
        DocumentKind::Paklaring
        | DocumentKind::PhkProof
        | DocumentKind::ContractEndLetter
        | DocumentKind::NotWorkingStatement
        | DocumentKind::DoctorStatement
        | DocumentKind::DeathCertificate
        | DocumentKind::HeirCertificate
        | DocumentKind::StillWorkingStatement
        | DocumentKind::HousingDocument => Drawing::Letter,
    }
}

/// The example picture of a document kind, [`SIZE`] large.
pub fn example<'a, M: 'a>(kind: DocumentKind) -> Element<'a, M> {
    let (w, h) = SIZE;
    let inside: Element<'a, M> = match drawing(kind) {
        Drawing::Card { colour, band } => framed(
            column![
                block(Length::Fill, 14.0, band, 0.0),
                row![
                    column![lines(4, 70.0, INK)].padding(8).width(Length::Fill),
                    column![block(34.0, 44.0, PHOTO, 4.0)].padding(6),
                ]
            ]
            .into(),
            colour,
            8.0,
            (w, h),
        ),
        Drawing::Form => framed(
            column![
                block(60.0, 6.0, INK, 1.0),
                Space::new().height(6.0),
                table(4, 3),
            ]
            .padding(8)
            .into(),
            PAPER,
            2.0,
            (w, h),
        ),
        Drawing::BankBook => framed(
            row![
                column![lines(5, 50.0, INK)].padding(8).width(Length::Fill),
                block(2.0, Length::Fill, INK, 0.0),
                column![
                    block(50.0, 6.0, INK, 1.0),
                    Space::new().height(8.0),
                    framed(
                        Space::new().into(),
                        Color::from_rgb(1.0, 0.95, 0.6),
                        2.0,
                        (56.0, 20.0)
                    ),
                ]
                .padding(8),
            ]
            .into(),
            PAPER,
            4.0,
            (w, h),
        ),
        Drawing::Booklet => framed(
            column![block(34.0, 34.0, Color::from_rgb(0.85, 0.7, 0.25), 17.0)]
                .padding([30, 46])
                .into(),
            Color::from_rgb(0.45, 0.1, 0.15),
            6.0,
            (74.0, h),
        ),
        Drawing::Letter => framed(
            column![
                block(40.0, 6.0, INK, 1.0),
                Space::new().height(6.0),
                lines(4, 52.0, INK),
                row![block(22.0, 3.0, INK, 1.0), Space::new().width(8.0), stamp(),],
            ]
            .spacing(4)
            .padding(8)
            .into(),
            PAPER,
            2.0,
            (74.0, h),
        ),
        Drawing::Face => framed(
            column![
                row![
                    block(10.0, 10.0, INK, 5.0),
                    Space::new().width(16.0),
                    block(10.0, 10.0, INK, 5.0)
                ],
                Space::new().height(14.0),
                block(22.0, 5.0, Color::from_rgb(0.7, 0.3, 0.3), 2.5),
            ]
            .align_x(iced::Center)
            .padding([26, 10])
            .into(),
            Color::from_rgb(0.93, 0.8, 0.68),
            40.0,
            (64.0, 86.0),
        ),
    };
    container(inside).center_x(w).center_y(h).into()
}

/// A filled, rounded rectangle.
fn block<'a, M: 'a>(
    width: impl Into<Length>,
    height: impl Into<Length>,
    colour: Color,
    radius: f32,
) -> Element<'a, M> {
    container(Space::new().width(width).height(height))
        .style(move |_| container::Style {
            background: Some(Background::Color(colour)),
            border: Border {
                radius: radius.into(),
                ..Border::default()
            },
            ..container::Style::default()
        })
        .into()
}

/// Something drawn on a coloured, outlined sheet of the given size.
fn framed<'a, M: 'a>(
    inside: Element<'a, M>,
    colour: Color,
    radius: f32,
    (w, h): (f32, f32),
) -> Element<'a, M> {
    container(inside)
        .width(w)
        .height(h)
        .style(move |_| container::Style {
            background: Some(Background::Color(colour)),
            border: Border {
                color: INK,
                width: 2.0,
                radius: radius.into(),
            },
            ..container::Style::default()
        })
        .into()
}

/// `count` lines of "text", each a little shorter than the one before.
fn lines<'a, M: 'a>(count: usize, longest: f32, colour: Color) -> Element<'a, M> {
    let mut column = column![].spacing(6);
    for i in 0..count {
        column = column.push(block(longest - (i as f32) * 6.0, 3.0, colour, 1.0));
    }
    column.into()
}

/// A table of `rows` x `columns` outlined cells.
fn table<'a, M: 'a>(rows: usize, columns: usize) -> Element<'a, M> {
    let mut table = column![];
    for _ in 0..rows {
        let mut line = row![];
        for _ in 0..columns {
            line = line.push(framed(Space::new().into(), PAPER, 0.0, (40.0, 14.0)));
        }
        table = table.push(line);
    }
    table.into()
}

/// A round stamp.
fn stamp<'a, M: 'a>() -> Element<'a, M> {
    container(Space::new().width(18.0).height(18.0))
        .style(|_| container::Style {
            border: Border {
                color: Color::from_rgb(0.2, 0.3, 0.75),
                width: 2.0,
                radius: 9.0.into(),
            },
            ..container::Style::default()
        })
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_kind_has_a_drawing_and_the_cards_differ_in_colour() {
        for kind in DocumentKind::ALL {
            let _: Element<'_, ()> = example(kind);
        }
        let colours: Vec<Drawing> = [
            DocumentKind::Ektp,
            DocumentKind::KpjCard,
            DocumentKind::Npwp,
        ]
        .into_iter()
        .map(drawing)
        .collect();
        assert_ne!(colours[0], colours[1]);
        assert_ne!(colours[1], colours[2]);
        assert_eq!(drawing(DocumentKind::KartuKeluarga), Drawing::Form);
        assert_eq!(drawing(DocumentKind::Selfie), Drawing::Face);
    }
}
