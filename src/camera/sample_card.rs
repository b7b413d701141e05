//! A sample e-KTP-like identity card drawn in code, for the simulated camera and the tests.
//!
//! Everything on it is fictional (name, NIK-like digits, address) and it is marked CONTOH / SAMPLE.

use image::{Rgb, RgbImage};

use super::glyphs::{GLYPH_H, GLYPH_W, glyph};

/// Width over height of an ID-1 card (85.60 x 53.98 mm).
pub const ID1_ASPECT: f64 = 85.60 / 53.98;

const INK: Rgb<u8> = Rgb([28, 30, 42]);
const RED: Rgb<u8> = Rgb([200, 30, 40]);

/// The sample card at `width` pixels wide (ID-1 aspect).
pub fn render_card(width: u32) -> RgbImage {
    let width = width.max(160);
    let height = (width as f64 / ID1_ASPECT).round() as u32;
    let mut card = RgbImage::from_fn(width, height, |x, y| {
        // Light blue security background with a gentle wave, as on an e-KTP.
        let fx = x as f64 / width as f64;
        let fy = y as f64 / height as f64;
        let wave = ((fx * 40.0 + (fy * 9.0).sin() * 3.0).sin() * 6.0) as i32;
        let r = 150 + (fy * 25.0) as i32 + wave;
        let g = 188 + (fx * 18.0) as i32 + wave;
        let b = 214 + (fy * 16.0) as i32;
        Rgb([
            r.clamp(0, 255) as u8,
            g.clamp(0, 255) as u8,
            b.clamp(0, 255) as u8,
        ])
    });
    // Font pixel size so that the longest line fits.
    let s = (width / 200).max(1);
    let line = (GLYPH_H + 3) * s;
    let centre = |text: &str| (width.saturating_sub(text_width(text, s))) / 2;
    let title = "PROVINSI JAWA CONTOH";
    draw_text(&mut card, centre(title), s * 4, title, s, INK);
    let sub = "KABUPATEN CONTOH";
    draw_text(&mut card, centre(sub), s * 4 + line, sub, s, INK);

    let left = s * 6;
    let nik_y = s * 6 + line * 2 + s * 2;
    draw_text(&mut card, left, nik_y, "NIK", s * 2, INK);
    draw_text(
        &mut card,
        left + text_width("NIK ", s * 2),
        nik_y,
        ": 3273010112850001",
        s * 2,
        INK,
    );
    let fields = [
        "NAMA         : BUDI CONTOH SAMPEL",
        "TEMPAT/TGL LAHIR: BANDUNG, 01-12-1985",
        "JENIS KELAMIN: LAKI-LAKI",
        "ALAMAT       : JL. CONTOH NO. 1",
        "RT/RW        : 001/002",
        "KEL/DESA     : CONTOH",
        "KECAMATAN    : SAMPEL",
        "AGAMA        : -",
        "PEKERJAAN    : KARYAWAN SWASTA",
        "BERLAKU HINGGA: SEUMUR HIDUP",
    ];
    let mut y = nik_y + (GLYPH_H + 4) * s * 2;
    for field in fields {
        draw_text(&mut card, left, y, field, s, INK);
        y += line;
    }

    // Photo box on the right with a plain head-and-shoulders silhouette.
    let pw = width / 5;
    let ph = pw * 4 / 3;
    let px = width - pw - s * 8;
    let py = nik_y + s * 4;
    let mut photo = RgbImage::from_pixel(pw, ph, Rgb([196, 38, 52]));
    fill_ellipse(
        &mut photo,
        pw / 2,
        ph * 2 / 5,
        pw / 4,
        ph / 5,
        Rgb([92, 70, 58]),
    );
    fill_ellipse(&mut photo, pw / 2, ph, pw / 2, ph / 3, Rgb([40, 44, 60]));
    image::imageops::replace(&mut card, &photo, px as i64, py as i64);
    let below = py + ph;
    let city = "BANDUNG";
    draw_text(
        &mut card,
        px + pw.saturating_sub(text_width(city, s)) / 2,
        below + s * 3,
        city,
        s,
        INK,
    );

    // The sample mark, large and red.
    let mark = "CONTOH / SAMPLE";
    let ms = s * 3;
    let mark_y = height.saturating_sub((GLYPH_H + 3) * ms);
    draw_text(
        &mut card,
        (width.saturating_sub(text_width(mark, ms))) / 2,
        mark_y,
        mark,
        ms,
        RED,
    );
    card
}

/// A desk-like background: brown with soft wood grain.
pub fn render_desk(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let grain = ((y as f64 * 0.07 + (x as f64 * 0.011).sin() * 2.5).sin() * 7.0) as i32;
        let shade = (x as i32 * 10 / width.max(1) as i32) - 5;
        Rgb([
            (124 + grain + shade).clamp(0, 255) as u8,
            (88 + grain + shade).clamp(0, 255) as u8,
            (58 + grain / 2 + shade).clamp(0, 255) as u8,
        ])
    })
}

/// Width in pixels of `text` drawn at font pixel size `scale`.
pub fn text_width(text: &str, scale: u32) -> u32 {
    text.chars().count() as u32 * (GLYPH_W + 1) * scale
}

/// Draws `text` with its top-left corner at (x, y); pixels outside the image are skipped.
pub fn draw_text(img: &mut RgbImage, x: u32, y: u32, text: &str, scale: u32, color: Rgb<u8>) {
    let mut cx = x;
    for c in text.chars() {
        if let Some(rows) = glyph(c) {
            for (row, bits) in rows.iter().enumerate() {
                for col in 0..GLYPH_W {
                    if bits & (1 << (GLYPH_W - 1 - col)) != 0 {
                        fill_rect(
                            img,
                            cx + col * scale,
                            y + row as u32 * scale,
                            scale,
                            scale,
                            color,
                        );
                    }
                }
            }
        }
        cx += (GLYPH_W + 1) * scale;
    }
}

/// Fills a rectangle, clipped to the image.
pub fn fill_rect(img: &mut RgbImage, x: u32, y: u32, w: u32, h: u32, color: Rgb<u8>) {
    let (iw, ih) = img.dimensions();
    for yy in y.min(ih)..y.saturating_add(h).min(ih) {
        for xx in x.min(iw)..x.saturating_add(w).min(iw) {
            img.put_pixel(xx, yy, color);
        }
    }
}

/// Fills an axis-aligned ellipse centred at (cx, cy) with radii (rx, ry), clipped to the image.
pub fn fill_ellipse(img: &mut RgbImage, cx: u32, cy: u32, rx: u32, ry: u32, color: Rgb<u8>) {
    let (iw, ih) = img.dimensions();
    let (rx_f, ry_f) = (rx.max(1) as f64, ry.max(1) as f64);
    for yy in cy.saturating_sub(ry)..cy.saturating_add(ry + 1).min(ih) {
        for xx in cx.saturating_sub(rx)..cx.saturating_add(rx + 1).min(iw) {
            let dx = (xx as f64 - cx as f64) / rx_f;
            let dy = (yy as f64 - cy as f64) / ry_f;
            if dx * dx + dy * dy <= 1.0 {
                img.put_pixel(xx, yy, color);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_has_id1_aspect_and_dark_text() {
        let card = render_card(1011);
        let aspect = card.width() as f64 / card.height() as f64;
        assert!((aspect - ID1_ASPECT).abs() < 0.01, "aspect {aspect}");
        let ink = card.pixels().filter(|p| **p == INK).count();
        let red = card.pixels().filter(|p| **p == RED).count();
        assert!(ink > 2000, "text drawn: {ink} ink pixels");
        assert!(red > 1000, "sample mark drawn: {red} red pixels");
    }
}
