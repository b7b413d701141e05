//! Finding a printed line on the straightened card: within the band around where the layout puts a row,
//! a row profile of ink (pixels clearly darker than the local paper) separates the text lines, the one
//! nearest the expected centre is kept, and its ink columns give its left and right ends.

use crate::camera::Luma;

use super::SURE;
use super::layout::Row;
use super::recognizer::ReadChar;

/// A line of text cut out of the card, contrast stretched (paper white, ink black).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The pixels of the line.
    pub image: Luma,
    /// Which columns of the line have ink.
    pub inked: Vec<bool>,
    /// Height of the text's ink in pixels.
    pub text_height: u32,
    /// Vertical centre of the text's ink on the card (share of the card's height).
    pub centre: f64,
}

impl Line {
    /// `chars` (read from this line) with a space wherever a word gap lies between two of them. A gap
    /// neither clearly a letter's nor clearly a word's gets a space of confidence 0, so the text is
    /// doubtful rather than guessed.
    pub fn with_spaces(&self, chars: &[ReadChar]) -> Vec<ReadChar> {
        self.spaced(chars, |_| None)
    }

    /// Like [`Line::with_spaces`], but an in-between gap is a sure space when the network was sure of
    /// one there: `space_after[i]` is its probability of a space after the `i`-th character (spaces
    /// aside), and at least [`crate::reading::SURE`] makes the space sure. The network's "no space"
    /// is not trusted (on a blurred line it misses word gaps), so such a gap stays doubtful.
    pub fn with_judged_spaces(&self, chars: &[ReadChar], space_after: &[f32]) -> Vec<ReadChar> {
        self.spaced(chars, |i| {
            let p = *space_after.get(i)?;
            (p >= SURE).then_some(Some(p))
        })
    }

    /// `chars` with the spaces the gaps call for; `judge(i)` settles an in-between gap after the
    /// `i`-th character (`Some(Some(confidence))` a space, `Some(None)` no space, `None` doubtful).
    fn spaced(
        &self,
        chars: &[ReadChar],
        judge: impl Fn(usize) -> Option<Option<f32>>,
    ) -> Vec<ReadChar> {
        let mut out: Vec<ReadChar> = Vec::with_capacity(chars.len() + 4);
        let h = self.text_height.max(1) as f32;
        for (i, c) in chars.iter().filter(|c| c.ch != ' ').enumerate() {
            if let Some(prev) = out.last() {
                let gap = self.widest_gap(prev.x, c.x) as f32 / h;
                let confidence = if gap >= SPACE_SURE {
                    Some(1.0)
                } else if gap > NO_SPACE_SURE {
                    judge(i - 1).unwrap_or(Some(0.0))
                } else {
                    None
                };
                if let Some(confidence) = confidence {
                    out.push(ReadChar {
                        ch: ' ',
                        confidence,
                        x: (prev.x + c.x) / 2.0,
                    });
                }
            }
            out.push(*c);
        }
        out
    }

    /// The widest run of ink-free columns between `from` and `to` (pixels of the line).
    fn widest_gap(&self, from: f32, to: f32) -> u32 {
        let (a, b) = (
            from.max(0.0) as usize,
            (to.max(0.0) as usize).min(self.inked.len()),
        );
        let (mut widest, mut run) = (0u32, 0u32);
        for &ink in self.inked.get(a..b).unwrap_or(&[]) {
            run = if ink { 0 } else { run + 1 };
            widest = widest.max(run);
        }
        widest
    }
}

/// A gap at least this share of the text's height is a space between words.
const SPACE_SURE: f32 = 0.42;
/// A gap at most this share of the text's height is between letters of a word.
const NO_SPACE_SURE: f32 = 0.22;
/// Share of a row's type size the band reaches above and below the row.
const BAND_REACH: f64 = 0.75;
/// A pixel is ink when it is this share of the paper-to-darkest range darker than the paper.
const INK_SHARE: f64 = 0.45;
/// Fewest grey levels between paper and ink for anything to count as text.
const MIN_CONTRAST: f64 = 28.0;

/// The text line on `row` of `card`, or `None` when no line is there (blank, or no contrast).
pub fn find_line(card: &Luma, row: &Row) -> Option<Line> {
    find_line_near(card, row, row.centre())
}

/// The text line on `row` of `card` nearest `centre` (share of the height) rather than the row's own
/// centre, for a card whose rows were located on the card itself.
pub fn find_line_near(card: &Luma, row: &Row, centre: f64) -> Option<Line> {
    let row = &Row {
        top: row.top + centre - row.centre(),
        ..*row
    };
    let (w, h) = (card.width as f64, card.height as f64);
    let size = row.size * h;
    let x0 = ((row.value_x * w) - size * 0.1).max(0.0) as u32;
    let x1 = ((row.value_right * w) as u32).min(card.width);
    let y0 = ((row.top * h) - size * BAND_REACH).max(0.0) as u32;
    let y1 = (((row.top * h) + size * (1.0 + BAND_REACH)) as u32).min(card.height);
    if x1 <= x0 + 4 || y1 <= y0 + 4 {
        return None;
    }
    let ink = ink_mask(card, x0, x1, y0, y1)?;
    let (bw, bh) = ((x1 - x0) as usize, (y1 - y0) as usize);
    let counts: Vec<usize> = (0..bh)
        .map(|y| ink[y * bw..(y + 1) * bw].iter().filter(|&&i| i).count())
        .collect();
    let min_count = (bw / 150).max(2);
    let runs = runs_of(&counts, min_count, (size * 0.08).round() as usize);
    let expected = row.centre() * h - y0 as f64;
    let min_height = size * 0.3;
    let (top, bottom) = runs
        .into_iter()
        .filter(|(a, b)| (b - a) as f64 >= min_height)
        .min_by(|a, b| {
            let d = |r: &(usize, usize)| ((r.0 + r.1) as f64 / 2.0 - expected).abs();
            d(a).total_cmp(&d(b))
        })?;
    // Columns with ink in the line, ignoring specks far from the rest.
    let columns: Vec<bool> = (0..bw)
        .map(|x| (top..bottom).any(|y| ink[y * bw + x]))
        .collect();
    let gap_allowed = (size * 1.2) as usize;
    let (left, right) = text_span(&columns, gap_allowed)?;
    let height = bottom - top;
    let pad_y = (height as f64 * 0.25).ceil() as usize;
    let pad_x = (height as f64 * 0.4).ceil() as usize;
    let crop = (
        x0 as usize + left.saturating_sub(pad_x),
        (x0 as usize + right + pad_x).min(card.width as usize),
        y0 as usize + top.saturating_sub(pad_y),
        (y0 as usize + bottom + pad_y).min(card.height as usize),
    );
    let image = stretched(card, crop);
    let inked = inked_columns(&image);
    Some(Line {
        image,
        inked,
        text_height: height as u32,
        centre: (y0 as f64 + (top + bottom) as f64 / 2.0) / h,
    })
}

/// Ink pixels of the band, judged against the paper's level measured per column strip (so uneven
/// light and a glare spot shift the paper's level, not the text).
fn ink_mask(card: &Luma, x0: u32, x1: u32, y0: u32, y1: u32) -> Option<Vec<bool>> {
    let (bw, bh) = ((x1 - x0) as usize, (y1 - y0) as usize);
    let strip = ((y1 - y0) as usize).max(8);
    let mut mask = vec![false; bw * bh];
    let mut any = false;
    let mut sx = 0usize;
    while sx < bw {
        let ex = (sx + strip).min(bw);
        let mut values: Vec<u8> = (0..bh)
            .flat_map(|y| (sx..ex).map(move |x| (x, y)))
            .map(|(x, y)| card.at(x0 + x as u32, y0 + y as u32))
            .collect();
        values.sort_unstable();
        let paper = values[values.len() * 9 / 10] as f64;
        let dark = values[values.len() / 50] as f64;
        if paper - dark >= MIN_CONTRAST {
            let limit = paper - (paper - dark).max(MIN_CONTRAST * 1.5) * INK_SHARE;
            for y in 0..bh {
                for x in sx..ex {
                    if (card.at(x0 + x as u32, y0 + y as u32) as f64) < limit {
                        mask[y * bw + x] = true;
                        any = true;
                    }
                }
            }
        }
        sx = ex;
    }
    any.then_some(mask)
}

/// Centres (shares of the height) of the text lines in the columns `x0`-`x1` between `y0` and `y1`
/// (shares of the card), top to bottom: lines at least `min_height` (share of the height) tall.
pub fn line_centres(card: &Luma, x: (f64, f64), y: (f64, f64), min_height: f64) -> Vec<f64> {
    let (w, h) = (card.width as f64, card.height as f64);
    let (x0, x1) = ((x.0 * w) as u32, ((x.1 * w) as u32).min(card.width));
    let (y0, y1) = (
        (y.0 * h).max(0.0) as u32,
        ((y.1 * h) as u32).min(card.height),
    );
    if x1 <= x0 + 4 || y1 <= y0 + 4 {
        return Vec::new();
    }
    let Some(ink) = ink_mask(card, x0, x1, y0, y1) else {
        return Vec::new();
    };
    let bw = (x1 - x0) as usize;
    let counts: Vec<usize> = ink
        .chunks_exact(bw)
        .map(|row| row.iter().filter(|&&i| i).count())
        .collect();
    let bridge = (min_height * h * 0.25).round() as usize;
    runs_of(&counts, (bw / 100).max(2), bridge)
        .into_iter()
        .filter(|(a, b)| (b - a) as f64 >= min_height * h)
        .map(|(a, b)| (y0 as f64 + (a + b) as f64 / 2.0) / h)
        .collect()
}

/// Runs of rows with at least `min_count` ink pixels, gaps up to `bridge` rows joined.
fn runs_of(counts: &[usize], min_count: usize, bridge: usize) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (y, &c) in counts.iter().enumerate() {
        if c < min_count {
            continue;
        }
        match runs.last_mut() {
            Some(last) if y <= last.1 + bridge => last.1 = y + 1,
            _ => runs.push((y, y + 1)),
        }
    }
    runs
}

/// The leftmost and rightmost ink column of the main text: the first group of columns starting from
/// the left, extended right across gaps up to `gap_allowed` columns.
fn text_span(columns: &[bool], gap_allowed: usize) -> Option<(usize, usize)> {
    let left = columns.iter().position(|&c| c)?;
    let mut right = left;
    let mut gap = 0usize;
    for (x, &c) in columns.iter().enumerate().skip(left) {
        if c {
            right = x + 1;
            gap = 0;
        } else {
            gap += 1;
            if gap > gap_allowed {
                break;
            }
        }
    }
    Some((left, right))
}

/// The crop (x0, x1, y0, y1) of `card`, stretched so its paper is white and its darkest ink black.
fn stretched(card: &Luma, (x0, x1, y0, y1): (usize, usize, usize, usize)) -> Luma {
    let (w, h) = (x1.saturating_sub(x0).max(1), y1.saturating_sub(y0).max(1));
    let mut data = Vec::with_capacity(w * h);
    for y in y0..y0 + h {
        for x in x0..x0 + w {
            data.push(card.at(x as u32, y as u32));
        }
    }
    let mut sorted = data.clone();
    sorted.sort_unstable();
    let paper = sorted[sorted.len() * 9 / 10] as f32;
    let ink = sorted[sorted.len() / 100] as f32;
    let range = (paper - ink).max(1.0);
    for v in &mut data {
        *v = ((*v as f32 - ink) / range * 255.0).clamp(0.0, 255.0) as u8;
    }
    Luma {
        width: w as u32,
        height: h as u32,
        data,
    }
}

/// `line` with its edges sharpened (unsharp mask: the line plus `amount` times its difference from a
/// Gaussian blur of `sigma` pixels), to undo some of a camera's defocus.
pub fn sharpened(line: &Luma, sigma: f32, amount: f32) -> Luma {
    let radius = (sigma * 3.0).ceil() as i64;
    let kernel: Vec<f32> = (-radius..=radius)
        .map(|i| (-(i * i) as f32 / (2.0 * sigma * sigma)).exp())
        .collect();
    let total: f32 = kernel.iter().sum();
    let (w, h) = (line.width as i64, line.height as i64);
    let source: Vec<f32> = line.data.iter().map(|&v| v as f32).collect();
    let pass = |from: &[f32], horizontal: bool| -> Vec<f32> {
        let mut out = vec![0.0f32; from.len()];
        for y in 0..h {
            for x in 0..w {
                let mut acc = 0.0;
                for (k, weight) in kernel.iter().enumerate() {
                    let o = k as i64 - radius;
                    let (sx, sy) = if horizontal {
                        ((x + o).clamp(0, w - 1), y)
                    } else {
                        (x, (y + o).clamp(0, h - 1))
                    };
                    acc += from[(sy * w + sx) as usize] * weight;
                }
                out[(y * w + x) as usize] = acc / total;
            }
        }
        out
    };
    let blurred = pass(&pass(&source, true), false);
    let data = source
        .iter()
        .zip(&blurred)
        .map(|(&v, &b)| (v + amount * (v - b)).round().clamp(0.0, 255.0) as u8)
        .collect();
    Luma {
        width: line.width,
        height: line.height,
        data,
    }
}

/// Columns of a stretched line with ink: a clearly dark pixel and at least two darkish ones.
fn inked_columns(line: &Luma) -> Vec<bool> {
    (0..line.width)
        .map(|x| {
            let column = (0..line.height).map(|y| line.at(x, y));
            column.clone().any(|v| v < 170) && column.filter(|&v| v < 200).count() >= 2
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line 20 pixels tall whose ink columns are `inked`.
    fn line_with(inked: Vec<bool>) -> Line {
        Line {
            image: Luma {
                width: inked.len() as u32,
                height: 20,
                data: vec![255; inked.len() * 20],
            },
            inked,
            text_height: 20,
            centre: 0.5,
        }
    }

    fn at(ch: char, x: f32) -> ReadChar {
        ReadChar {
            ch,
            confidence: 0.99,
            x,
        }
    }

    /// Ink everywhere except the columns in `gaps`.
    fn columns(width: usize, gaps: &[std::ops::Range<usize>]) -> Vec<bool> {
        (0..width)
            .map(|x| !gaps.iter().any(|g| g.contains(&x)))
            .collect()
    }

    #[test]
    fn a_wide_gap_is_a_sure_space_a_narrow_one_none_and_one_between_a_doubtful_space() {
        // Gaps of 10 (0.5 of the height), 2 (0.1) and 6 (0.3) columns.
        let line = line_with(columns(100, &[20..30, 50..52, 70..76]));
        let read = line.with_spaces(&[at('A', 10.0), at('B', 40.0), at('C', 60.0), at('D', 90.0)]);
        let text: String = read.iter().map(|c| c.ch).collect();
        assert_eq!(text, "A BC D");
        assert_eq!(read[1].confidence, 1.0, "the wide gap is a sure space");
        assert_eq!(
            read[4].confidence, 0.0,
            "the in-between gap is a doubtful space"
        );
    }

    #[test]
    fn an_in_between_gap_is_a_space_only_when_the_network_was_sure_of_one() {
        // Two in-between gaps (0.3 of the height): the network sure of a space at the first, sure
        // of none at the second; the second stays a doubtful space, never dropped.
        let line = line_with(columns(100, &[20..26, 50..56]));
        let read = line.with_judged_spaces(
            &[at('A', 10.0), at('B', 40.0), at('C', 70.0)],
            &[0.97, 0.01],
        );
        let text: String = read.iter().map(|c| c.ch).collect();
        assert_eq!(text, "A B C");
        assert!(read[1].confidence >= SURE, "the network's sure space");
        assert_eq!(
            read[3].confidence, 0.0,
            "the gap the network saw no space in"
        );
    }

    #[test]
    fn no_line_is_found_on_a_blank_card() {
        let blank = Luma {
            width: 400,
            height: 250,
            data: vec![230; 400 * 250],
        };
        assert_eq!(find_line(&blank, &crate::reading::layout::EKTP_NIK), None);
    }
}
