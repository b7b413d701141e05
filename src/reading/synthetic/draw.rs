//! Drawing the synthetic cards: e-KTP-like (light blue, header, NIK large, the field rows, a photo box)
//! and KPJ-like (green band, holder's name, number), with DejaVu Sans (its licence is beside it in
//! `assets/fonts/`).

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use image::{Rgb, RgbImage};

use crate::camera::sample_card::{ID1_ASPECT, fill_rect};
use crate::claim::Sex;
use crate::reading::layout::{self, Row};

use super::people::{EktpPerson, KpjHolder};

const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");
const INK: Rgb<u8> = Rgb([25, 27, 35]);

/// Which face of the font.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// DejaVu Sans.
    Regular,
    /// DejaVu Sans Bold.
    Bold,
}

fn font(weight: Weight) -> Option<FontRef<'static>> {
    FontRef::try_from_slice(match weight {
        Weight::Regular => REGULAR,
        Weight::Bold => BOLD,
    })
    .ok()
}

/// The width in pixels of `text` at `size` pixels.
pub fn text_width(text: &str, size: f32, weight: Weight) -> f32 {
    let Some(font) = font(weight) else {
        return 0.0;
    };
    let scaled = font.as_scaled(PxScale::from(size));
    text.chars()
        .map(|c| scaled.h_advance(scaled.glyph_id(c)))
        .sum()
}

/// Draws `text` with its em box's top at (`x`, `top`), `size` pixels tall, blended onto `img`.
pub fn draw_text(
    img: &mut RgbImage,
    x: f32,
    top: f32,
    text: &str,
    size: f32,
    weight: Weight,
    color: Rgb<u8>,
) {
    let Some(font) = font(weight) else {
        return;
    };
    let scaled = font.as_scaled(PxScale::from(size));
    let baseline = top + scaled.ascent();
    let mut caret = x;
    let (w, h) = img.dimensions();
    for c in text.chars() {
        let mut glyph = scaled.scaled_glyph(c);
        glyph.position = point(caret, baseline);
        caret += scaled.h_advance(glyph.id);
        let Some(outlined) = font.outline_glyph(glyph) else {
            continue;
        };
        let bounds = outlined.px_bounds();
        outlined.draw(|gx, gy, coverage| {
            let px = bounds.min.x as i64 + gx as i64;
            let py = bounds.min.y as i64 + gy as i64;
            if px < 0 || py < 0 || px >= w as i64 || py >= h as i64 {
                return;
            }
            let under = img.get_pixel(px as u32, py as u32).0;
            let a = coverage.clamp(0.0, 1.0);
            let mix = |u: u8, c: u8| (u as f32 * (1.0 - a) + c as f32 * a).round() as u8;
            img.put_pixel(
                px as u32,
                py as u32,
                Rgb([
                    mix(under[0], color.0[0]),
                    mix(under[1], color.0[1]),
                    mix(under[2], color.0[2]),
                ]),
            );
        });
    }
}

/// Draws `text` on `row` of a card `w` x `h` pixels, starting at `x` (share of the width).
fn draw_on_row(card: &mut RgbImage, row: &Row, x: f64, text: &str, weight: Weight) {
    let (w, h) = (card.width() as f64, card.height() as f64);
    let size = (row.size * h) as f32;
    draw_text(
        card,
        (x * w) as f32,
        (row.top * h) as f32,
        text,
        size,
        weight,
        INK,
    );
}

/// Draws `text` centred across the card with its top at `top` (share of the height).
fn draw_centred(
    card: &mut RgbImage,
    top: f64,
    size: f64,
    text: &str,
    weight: Weight,
    color: Rgb<u8>,
) {
    let (w, h) = (card.width() as f32, card.height() as f32);
    let px = size as f32 * h;
    let x = (w - text_width(text, px, weight)) / 2.0;
    draw_text(card, x, top as f32 * h, text, px, weight, color);
}

/// A light guilloche-like background: `base` with faint waves.
fn patterned(width: u32, height: u32, base: [f32; 3], wave: [f32; 3]) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32 / width as f32, y as f32 / height as f32);
        let waves = ((fx * 40.0 + (fy * 9.0).sin() * 3.0).sin() * 0.5 + 0.5).powi(8);
        let shade = 1.0 - 0.06 * fy;
        Rgb(std::array::from_fn(|c| {
            ((base[c] * shade) * (1.0 - 0.35 * waves) + wave[c] * 0.35 * waves) as u8
        }))
    })
}

/// The date as printed on the card: `DD-MM-YYYY`.
pub fn printed_date(date: chrono::NaiveDate) -> String {
    date.format("%d-%m-%Y").to_string()
}

/// A synthetic e-KTP for `person`, `width` pixels wide at the ID-1 card's proportions.
pub fn render_ektp(person: &EktpPerson, width: u32) -> RgbImage {
    let width = width.max(200);
    let height = (width as f64 / ID1_ASPECT).round() as u32;
    let mut card = patterned(width, height, [196.0, 224.0, 240.0], [150.0, 190.0, 215.0]);
    let header = [
        format!("PROVINSI {}", person.province),
        person.regency.clone(),
    ];
    for (top, text) in layout::EKTP_HEADER_TOPS.iter().zip(&header) {
        draw_centred(
            &mut card,
            *top,
            layout::EKTP_HEADER_SIZE,
            text,
            Weight::Bold,
            INK,
        );
    }
    let nik = layout::EKTP_NIK;
    draw_on_row(&mut card, &nik, layout::EKTP_LABEL_X, "NIK", Weight::Bold);
    draw_on_row(&mut card, &nik, layout::EKTP_NIK_COLON_X, ":", Weight::Bold);
    draw_on_row(&mut card, &nik, nik.value_x, &person.nik, Weight::Bold);
    let sex = match person.sex {
        Sex::Male => "LAKI-LAKI",
        Sex::Female => "PEREMPUAN",
    };
    let values = [
        person.name.clone(),
        format!(
            "{}, {}",
            person.place_of_birth,
            printed_date(person.date_of_birth)
        ),
        sex.to_owned(),
        person.address.clone(),
        "003/011".to_owned(),
        "SUKAMAJU".to_owned(),
        "CIBEUNYING".to_owned(),
        "ISLAM".to_owned(),
        "KAWIN".to_owned(),
        "KARYAWAN SWASTA".to_owned(),
        "WNI".to_owned(),
        "SEUMUR HIDUP".to_owned(),
    ];
    for (i, (label, value)) in layout::EKTP_LABELS.iter().zip(&values).enumerate() {
        let row = layout::ektp_field(i, layout::EKTP_FIELD_RIGHT);
        draw_on_row(
            &mut card,
            &row,
            layout::EKTP_LABEL_X,
            label,
            Weight::Regular,
        );
        draw_on_row(
            &mut card,
            &row,
            layout::EKTP_FIELD_COLON_X,
            ":",
            Weight::Regular,
        );
        draw_on_row(&mut card, &row, row.value_x, value, Weight::Regular);
        if i == layout::EKTP_ROW_SEX {
            draw_on_row(
                &mut card,
                &row,
                layout::EKTP_BLOOD_TYPE_X,
                "Gol. Darah : O",
                Weight::Regular,
            );
        }
    }
    // The photo: a grey-blue box with a head and shoulders.
    let (px0, py0, px1, py1) = layout::EKTP_PHOTO;
    let (w, h) = (width as f64, height as f64);
    let (bx, by, bw, bh) = (
        (px0 * w) as u32,
        (py0 * h) as u32,
        ((px1 - px0) * w) as u32,
        ((py1 - py0) * h) as u32,
    );
    fill_rect(&mut card, bx, by, bw, bh, Rgb([170, 40, 45]));
    let (cx, cy, r) = (
        bx as f64 + bw as f64 / 2.0,
        by as f64 + bh as f64 * 0.4,
        bw as f64 * 0.25,
    );
    for y in by..by + bh {
        for x in bx..bx + bw {
            let (dx, dy) = (x as f64 - cx, y as f64 - cy);
            let head = dx * dx + dy * dy < r * r;
            let body = y as f64 > cy + r * 0.9 && dx.abs() < r * 1.8 - (y as f64 - cy - r) * -0.2;
            if head || body {
                card.put_pixel(x, y, Rgb([70, 55, 50]));
            }
        }
    }
    let under = |share: f64| (py1 + share) * h;
    let city = person.regency.trim_start_matches("KOTA ").to_owned();
    let size = (layout::EKTP_FIELD_SIZE * h * 0.8) as f32;
    for (i, text) in [city.as_str(), "12-08-2012"].iter().enumerate() {
        let x = ((px0 + px1) / 2.0 * w) as f32 - text_width(text, size, Weight::Regular) / 2.0;
        draw_text(
            &mut card,
            x,
            under(0.02 + i as f64 * 0.045) as f32,
            text,
            size,
            Weight::Regular,
            INK,
        );
    }
    card
}

/// A synthetic KPJ card for `holder`, `width` pixels wide at the ID-1 card's proportions.
pub fn render_kpj_card(holder: &KpjHolder, width: u32) -> RgbImage {
    let width = width.max(200);
    let height = (width as f64 / ID1_ASPECT).round() as u32;
    let mut card = patterned(width, height, [236.0, 242.0, 232.0], [200.0, 225.0, 200.0]);
    // The green bands stand inside a light margin, as on the printed card.
    let margin = (0.03 * height as f64) as u32;
    let band = (layout::KPJ_BAND_BOTTOM * height as f64) as u32;
    let green = Rgb([0, 128, 70]);
    fill_rect(
        &mut card,
        margin,
        margin,
        width - 2 * margin,
        band - margin,
        green,
    );
    let white = Rgb([245, 248, 245]);
    draw_centred(
        &mut card,
        0.05,
        0.075,
        "BPJS KETENAGAKERJAAN",
        Weight::Bold,
        white,
    );
    draw_centred(
        &mut card,
        0.27,
        0.05,
        "KARTU PESERTA",
        Weight::Bold,
        Rgb([0, 110, 60]),
    );
    let name = layout::KPJ_NAME;
    draw_on_row(&mut card, &name, name.value_x, &holder.name, Weight::Bold);
    let number = layout::KPJ_NUMBER;
    draw_on_row(
        &mut card,
        &number,
        layout::KPJ_LABEL_X,
        "No. KPJ",
        Weight::Regular,
    );
    draw_on_row(
        &mut card,
        &number,
        number.value_x,
        &holder.kpj,
        Weight::Bold,
    );
    fill_rect(
        &mut card,
        0,
        (0.9 * height as f64) as u32,
        width,
        height,
        Rgb([0, 128, 70]),
    );
    card
}
