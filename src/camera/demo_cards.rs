//! The demo participant's cards for the simulated camera: a synthetic e-KTP and KPJ card of a fictional
//! participant whose NIK follows its rules, drawn with a real font (see [`crate::reading::synthetic`]) and
//! held on the desk inside the card guide box, so the demo kiosk and the journey tests read real pixels.
//! Without the `reading` feature (no font renderer built) the sample card stands in for them.

use image::RgbImage;

/// The demo participant's NIK: Jakarta Selatan (3174 01), born 12 March 1985 (a woman: day + 40), serial 1.
pub const DEMO_NIK: &str = "3174015203850001";
/// The demo participant's name as printed on both cards.
pub const DEMO_NAME: &str = "SITI AMINAH";
/// The demo participant's place of birth as printed on the e-KTP.
pub const DEMO_PLACE_OF_BIRTH: &str = "JAKARTA";
/// The demo participant's KPJ number as printed on the KPJ card.
pub const DEMO_KPJ: &str = "12345678901";

/// Which of the demo participant's cards is held up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoCard {
    /// The e-KTP.
    Ektp,
    /// The e-KTP with an ink blot over the NIK: the NIK cannot be read for sure.
    SmudgedEktp,
    /// The KPJ card.
    Kpj,
}

/// The demo participant's card `card` held square on the desk inside the card guide box of a `width` x
/// `height` frame (drawn as the reader's own synthetic camera sees a clean card, then fitted to the frame).
#[cfg(feature = "reading")]
pub fn demo_card_scene(card: DemoCard, width: u32, height: u32) -> RgbImage {
    use std::sync::{Mutex, OnceLock};
    type Drawn = Vec<((DemoCard, u32, u32), RgbImage)>;
    // Drawing a card takes a while: each is drawn once per size and kept, so the camera switches at once.
    static DRAWN: OnceLock<Mutex<Drawn>> = OnceLock::new();
    let drawn = DRAWN.get_or_init(Mutex::default);
    let mut drawn = drawn
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, scene)) = drawn.iter().find(|(key, _)| *key == (card, width, height)) {
        return scene.clone();
    }
    let scene = draw_scene(card, width, height);
    drawn.push(((card, width, height), scene.clone()));
    scene
}

#[cfg(feature = "reading")]
fn draw_scene(card: DemoCard, width: u32, height: u32) -> RgbImage {
    use crate::reading::synthetic::scene::{Condition, FRAME_H, FRAME_W, camera_frame};
    let scene = camera_frame(&render(card, 1011), &Condition::clean());
    if (width, height) == (FRAME_W, FRAME_H) {
        return scene;
    }
    image::imageops::resize(
        &scene,
        width.max(1),
        height.max(1),
        image::imageops::FilterType::Triangle,
    )
}

/// The sample card on the desk (this build cannot draw the demo participant's cards).
#[cfg(not(feature = "reading"))]
pub fn demo_card_scene(_card: DemoCard, width: u32, height: u32) -> RgbImage {
    super::simulated::card_scene(width, height)
}

#[cfg(feature = "reading")]
fn render(card: DemoCard, width: u32) -> RgbImage {
    use crate::reading::synthetic::draw::{render_ektp, render_kpj_card};
    use crate::reading::synthetic::people::{EktpPerson, KpjHolder};
    let person = EktpPerson {
        nik: DEMO_NIK.to_owned(),
        name: DEMO_NAME.to_owned(),
        place_of_birth: DEMO_PLACE_OF_BIRTH.to_owned(),
        date_of_birth: chrono::NaiveDate::from_ymd_opt(1985, 3, 12).unwrap_or_default(),
        sex: crate::claim::Sex::Female,
        province: "DKI JAKARTA".to_owned(),
        regency: "JAKARTA SELATAN".to_owned(),
        address: "JL. MERDEKA NO. 12".to_owned(),
    };
    match card {
        DemoCard::Ektp => render_ektp(&person, width),
        DemoCard::SmudgedEktp => {
            let mut drawn = render_ektp(&person, width);
            smudge_nik(&mut drawn);
            drawn
        }
        DemoCard::Kpj => render_kpj_card(
            &KpjHolder {
                kpj: DEMO_KPJ.to_owned(),
                name: DEMO_NAME.to_owned(),
            },
            width,
        ),
    }
}

/// An ink blot over the middle of the NIK's digits.
#[cfg(feature = "reading")]
fn smudge_nik(card: &mut RgbImage) {
    let nik = crate::reading::layout::EKTP_NIK;
    let (w, h) = (card.width() as f64, card.height() as f64);
    let x0 = ((nik.value_x + 0.12) * w) as u32;
    let y0 = (nik.top * h) as u32;
    let (bw, bh) = ((0.14 * w) as u32, (nik.size * h * 1.1) as u32);
    super::sample_card::fill_rect(card, x0, y0, bw, bh, image::Rgb([40, 42, 60]));
}
