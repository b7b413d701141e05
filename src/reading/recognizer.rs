//! The text-line recognizer: PP-OCRv4's CTC recognition network (shipped in `assets/ocr/`, licence
//! beside it) run on the CPU by tract. One call reads one line of text, restricted to the characters a
//! field can hold, and says how sure it is of every character.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use tract_onnx::prelude::*;

use crate::camera::Luma;

/// The recognition network, as shipped by the registries' `rapidocr-onnxruntime` package (Apache-2.0).
const MODEL: &[u8] = include_bytes!("../../assets/ocr/ch_PP-OCRv4_rec_infer.w8.onnx");
/// The network reads lines scaled to this height.
pub const LINE_HEIGHT: u32 = 48;
/// The widest line (after scaling to [`LINE_HEIGHT`]) the network is given; wider lines are squeezed.
pub const MAX_LINE_WIDTH: u32 = 960;
/// Lines are padded to a multiple of this width, so the network sees few distinct shapes.
const WIDTH_STEP: u32 = 160;

/// Why the recognizer could not be made ready.
#[derive(Debug, thiserror::Error)]
pub enum RecognizerError {
    /// The shipped network could not be loaded or prepared.
    #[error("the text recognition model could not be prepared: {0}")]
    Model(String),
    /// The network carries no character list in its metadata.
    #[error("the text recognition model has no character list")]
    NoCharacters,
}

/// One character read, with the network's probability for it (0-1).
#[derive(Clone, Copy, PartialEq)]
pub struct ReadChar {
    /// The character.
    pub ch: char,
    /// The highest probability the network gave this character over the frames it spans.
    pub confidence: f32,
    /// Where the character stands in the line (pixels from the line's left edge, at that frame).
    pub x: f32,
}

impl std::fmt::Debug for ReadChar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // What was read may be personal data: only the confidence is shown.
        write!(f, "ReadChar({:.2})", self.confidence)
    }
}

type Plan = std::sync::Arc<TypedSimplePlan>;

/// The loaded network and its character list (class 0 is the CTC blank, then the list, then a space).
pub struct Recognizer {
    model: InferenceModel,
    plans: Mutex<HashMap<u32, Plan>>,
    classes: Vec<char>,
}

impl std::fmt::Debug for Recognizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recognizer")
            .field("classes", &self.classes.len())
            .finish_non_exhaustive()
    }
}

impl Recognizer {
    /// Loads and optimises the shipped network (about a second; see [`Recognizer::shared`]).
    pub fn load() -> Result<Recognizer, RecognizerError> {
        let model_err = |e: TractError| RecognizerError::Model(e.to_string());
        let model = tract_onnx::onnx()
            .model_for_read(&mut &MODEL[..])
            .map_err(model_err)?;
        let characters = model
            .properties
            .get("onnx.metadata_props.character")
            .and_then(|t| {
                t.try_as_plain_ram()
                    .and_then(|view| view.to_scalar::<String>().cloned())
                    .ok()
            })
            .ok_or(RecognizerError::NoCharacters)?;
        let mut classes = vec!['\0'];
        classes.extend(characters.lines().filter_map(|l| l.chars().next()));
        classes.push(' ');
        Ok(Recognizer {
            model,
            plans: Mutex::new(HashMap::new()),
            classes,
        })
    }

    /// The network prepared for lines `width` pixels wide (prepared once per width bucket).
    fn plan_for(&self, width: u32) -> Result<Plan, RecognizerError> {
        let mut plans = self
            .plans
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(plan) = plans.get(&width) {
            return Ok(Plan::clone(plan));
        }
        let plan = self
            .prepared(width)
            .and_then(|m| m.into_runnable())
            .map_err(|e| RecognizerError::Model(e.to_string()))?;
        plans.insert(width, Plan::clone(&plan));
        Ok(plan)
    }

    /// The network for lines `width` pixels wide, optimised: constants folded (the 8-bit weights turned
    /// into the float32 ones once, here), operators fused.
    fn prepared(&self, width: u32) -> TractResult<TypedModel> {
        let shape = [1, 3, LINE_HEIGHT as usize, width as usize];
        self.model
            .clone()
            .with_input_fact(0, f32::fact(shape).into())
            .and_then(|m| m.into_optimized())
    }

    /// The recognizer loaded once for the whole program, or why it could not be.
    pub fn shared() -> Result<&'static Recognizer, &'static RecognizerError> {
        static SHARED: OnceLock<Result<Recognizer, RecognizerError>> = OnceLock::new();
        SHARED.get_or_init(Recognizer::load).as_ref()
    }

    /// Reads the single line of text in `line` (dark text on a light ground, cropped close to the
    /// text), keeping only characters `allowed` accepts. Each frame's choice is made among the blank
    /// and the allowed characters, so a character the network prefers outside the set shows as a low
    /// confidence, never as a different character taken for sure.
    pub fn read_line(
        &self,
        line: &Luma,
        allowed: impl Fn(char) -> bool,
    ) -> Result<Vec<ReadChar>, RecognizerError> {
        Ok(self.read_line_spaced(line, allowed)?.chars)
    }

    /// Like [`Recognizer::read_line`], and also how likely the network found a space between each two
    /// characters read (spaces aside).
    pub fn read_line_spaced(
        &self,
        line: &Luma,
        allowed: impl Fn(char) -> bool,
    ) -> Result<SpacedLine, RecognizerError> {
        let (input, width, scaled) = line_tensor(line);
        let outputs = self
            .plan_for(width)?
            .run(tvec![input.into_tvalue()])
            .map_err(|e| RecognizerError::Model(e.to_string()))?;
        let probs = outputs[0]
            .to_plain_array_view::<f32>()
            .map_err(|e| RecognizerError::Model(e.to_string()))?;
        let shape = probs.shape().to_vec();
        let (frames, n_classes) = (shape[1], shape[2].min(self.classes.len()));
        // Frame `t` covers this column of the line (the input is scaled, then padded on the right).
        let line_x = |t: usize| {
            (t as f32 + 0.5) * width as f32 / frames.max(1) as f32 * line.width as f32
                / scaled as f32
        };
        let wanted: Vec<usize> = (1..n_classes)
            .filter(|&c| allowed(self.classes[c]))
            .collect();
        let space = (1..n_classes).find(|&c| self.classes[c] == ' ');
        let mut read: Vec<ReadChar> = Vec::new();
        let mut space_after: Vec<f32> = Vec::new();
        // The highest space probability since the last character other than a space.
        let mut space_seen = 0.0f32;
        let mut previous = 0usize;
        for t in 0..frames {
            let p = |c: usize| probs[[0, t, c]];
            let (mut best, mut best_p) = (0usize, p(0));
            for &c in &wanted {
                if p(c) > best_p {
                    (best, best_p) = (c, p(c));
                }
            }
            if best != 0 {
                if best == previous {
                    if let Some(last) = read.last_mut()
                        && best_p > last.confidence
                    {
                        last.confidence = best_p;
                        last.x = line_x(t);
                    }
                } else {
                    read.push(ReadChar {
                        ch: self.classes[best],
                        confidence: best_p,
                        x: line_x(t),
                    });
                }
            }
            if Some(best) != space && best != 0 {
                if best != previous && read.iter().filter(|c| c.ch != ' ').count() > 1 {
                    space_after.push(space_seen);
                }
                space_seen = 0.0;
            } else if let Some(s) = space {
                space_seen = space_seen.max(p(s));
            }
            previous = best;
        }
        Ok(SpacedLine {
            chars: read,
            space_after,
        })
    }
}

/// A line read with the network's word spaces: `space_after[i]` is the highest probability of a space
/// the network gave between the `i`-th and the next character read (spaces aside).
#[derive(Clone, PartialEq)]
pub struct SpacedLine {
    /// The characters read, with any spaces the network chose.
    pub chars: Vec<ReadChar>,
    /// Probability (0-1) of a space between each two characters other than spaces.
    pub space_after: Vec<f32>,
}

/// The line scaled to [`LINE_HEIGHT`] (width in proportion, at most [`MAX_LINE_WIDTH`]), normalised to
/// -1..1 on three equal channels, padded on the right with the ground; with the padded and the
/// scaled width.
fn line_tensor(line: &Luma) -> (Tensor, u32, u32) {
    let (w, h) = (line.width.max(1), line.height.max(1));
    let scaled_w =
        ((w as f64 * LINE_HEIGHT as f64 / h as f64).round() as u32).clamp(8, MAX_LINE_WIDTH);
    let padded_w = (scaled_w + WIDTH_STEP / 4).div_ceil(WIDTH_STEP) * WIDTH_STEP;
    let (lh, pw) = (LINE_HEIGHT as usize, padded_w as usize);
    let mut data = vec![1.0f32; 3 * lh * pw];
    for y in 0..lh {
        let sy =
            ((y as f64 + 0.5) * h as f64 / LINE_HEIGHT as f64 - 0.5).clamp(0.0, (h - 1) as f64);
        for x in 0..scaled_w as usize {
            let sx =
                ((x as f64 + 0.5) * w as f64 / scaled_w as f64 - 0.5).clamp(0.0, (w - 1) as f64);
            let v = bilinear(line, sx, sy) / 127.5 - 1.0;
            for c in 0..3 {
                data[(c * lh + y) * pw + x] = v;
            }
        }
    }
    // The padding is the ground's colour: white after normalisation.
    let tensor = match tract_ndarray::Array4::from_shape_vec((1, 3, lh, pw), data) {
        Ok(array) => array.into(),
        Err(_) => Tensor::zero::<f32>(&[1, 3, lh, pw]).unwrap_or_else(|_| Tensor::default()),
    };
    (tensor, padded_w, scaled_w)
}

fn bilinear(l: &Luma, x: f64, y: f64) -> f32 {
    let (x0, y0) = (x.floor() as u32, y.floor() as u32);
    let (x1, y1) = ((x0 + 1).min(l.width - 1), (y0 + 1).min(l.height - 1));
    let (ax, ay) = ((x - x0 as f64) as f32, (y - y0 as f64) as f32);
    let at = |x: u32, y: u32| l.at(x, y) as f32;
    let top = at(x0, y0) * (1.0 - ax) + at(x1, y0) * ax;
    let bottom = at(x0, y1) * (1.0 - ax) + at(x1, y1) * ax;
    top * (1.0 - ay) + bottom * ay
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How many values of the network are 8-bit integers (the stored weights, and anything computed from
    /// them before they become float32).
    fn eight_bit_values(model: &TypedModel) -> usize {
        model
            .nodes()
            .iter()
            .flat_map(|node| &node.outputs)
            .filter(|output| output.fact.datum_type == i8::datum_type())
            .count()
    }

    #[test]
    fn the_prepared_network_holds_its_8_bit_weights_as_32_bit_constants_with_no_conversion_left_to_run()
     {
        let recognizer = Recognizer::load().unwrap();
        let shape = [1, 3, LINE_HEIGHT as usize, WIDTH_STEP as usize];
        let as_read = recognizer
            .model
            .clone()
            .with_input_fact(0, f32::fact(shape).into())
            .and_then(|m| m.into_typed())
            .unwrap();
        // The shipped file stores the 41 large Conv/MatMul weights in 8 bits (tools/compact-ocr-model).
        assert_eq!(eight_bit_values(&as_read), 41);
        let prepared = recognizer.prepared(WIDTH_STEP).unwrap();
        assert_eq!(
            eight_bit_values(&prepared),
            0,
            "every 8-bit weight is folded into a float32 constant when the network is prepared"
        );
    }
}
