//! Accuracy and speed of reading the cards, over varied synthetic frames (size, tilt, turn, shift,
//! backdrop, blur, uneven light, glare, noise: `Condition::varied`) of varied made-up holders. Prints:
//! NIK read exactly (%), NIK wrong but offered as read (must be 0), name, place and date of birth
//! exact (%), KPJ exact and wrong (%), time per card (find + straighten + read; median, p95) and the
//! model's size. `CARD_READING_FRAMES` sets the number of frames (default 120).

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use lapak_kiosk::camera::Frame;
use lapak_kiosk::claim::regions::Regions;
use lapak_kiosk::claim::validate::KpjLength;
use lapak_kiosk::reading::synthetic::draw::{render_ektp, render_kpj_card};
use lapak_kiosk::reading::synthetic::people::{kpj_holder, person};
use lapak_kiosk::reading::synthetic::scene::{Condition, camera_frame, guide};
use lapak_kiosk::reading::{Recognizer, card_from_frame, read_ektp, read_kpj_card};

fn percent(n: usize, of: usize) -> f64 {
    100.0 * n as f64 / of.max(1) as f64
}

fn quantile(times: &mut [Duration], q: f64) -> Duration {
    times.sort();
    times
        .get(((times.len() as f64 - 1.0) * q).round() as usize)
        .copied()
        .unwrap_or_default()
}

fn main() {
    let frames: u64 = std::env::var("CARD_READING_FRAMES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(120);
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).expect("a date");
    let started = Instant::now();
    let recognizer = Recognizer::shared().expect("the shipped recognizer loads");
    // Prepare the network for every line width once, as the kiosk does at start.
    let warm = person(0);
    let warm_card = card_from_frame(&Frame::from_image(
        &camera_frame(&render_ektp(&warm, 1011), &Condition::clean()),
        0,
    ))
    .expect("card found");
    read_ektp(recognizer, &warm_card, Regions::embedded(), today).expect("reads");
    println!("recognizer ready in {:.2?}", started.elapsed());

    let (mut nik_exact, mut nik_wrong, mut nik_doubt, mut not_found) = (0, 0, 0, 0);
    // Frames whose card was found at the wrong place (a straightened width under 80 % of the card's
    // true width in the frame), and the NIKs read exactly on the others.
    let (mut misplaced, mut exact_when_placed) = (0, 0);
    let (mut name_exact, mut name_wrong, mut place_exact, mut date_exact, mut date_wrong) =
        (0, 0, 0, 0, 0);
    let mut times = Vec::new();
    for seed in 0..frames {
        let p = person(1000 + seed);
        let frame = Frame::from_image(
            &camera_frame(&render_ektp(&p, 1011), &Condition::varied(seed)),
            0,
        );
        let t = Instant::now();
        let Some(card) = card_from_frame(&frame) else {
            not_found += 1;
            times.push(t.elapsed());
            continue;
        };
        let r = read_ektp(recognizer, &card, Regions::embedded(), today).expect("reads");
        times.push(t.elapsed());
        let condition = Condition::varied(seed);
        let true_width = guide().width as f64 * condition.pose.share;
        let placed = card.width as f64 >= 0.8 * true_width.min(1011.0);
        if !placed {
            misplaced += 1;
        } else if r.nik.value.as_deref() == Some(p.nik.as_str()) {
            exact_when_placed += 1;
        }
        match r.nik.value.as_deref() {
            Some(n) if n == p.nik => nik_exact += 1,
            Some(_) => nik_wrong += 1,
            None => nik_doubt += 1,
        }
        match r.name.value.as_deref() {
            Some(n) if n == p.name => name_exact += 1,
            Some(_) => name_wrong += 1,
            None => {}
        }
        if r.place_of_birth.value.as_deref() == Some(p.place_of_birth.as_str()) {
            place_exact += 1;
        }
        match r.date_of_birth.value {
            Some(d) if d == p.date_of_birth => date_exact += 1,
            Some(_) => date_wrong += 1,
            None => {}
        }
    }
    let n = frames as usize;
    let (mut kpj_exact, mut kpj_wrong) = (0, 0);
    let kpj_frames = (frames / 2).max(1);
    for seed in 0..kpj_frames {
        let holder = kpj_holder(seed);
        let frame = Frame::from_image(
            &camera_frame(
                &render_kpj_card(&holder, 1011),
                &Condition::varied(5000 + seed),
            ),
            0,
        );
        let Some(card) = card_from_frame(&frame) else {
            continue;
        };
        match read_kpj_card(recognizer, &card, KpjLength::default())
            .expect("reads")
            .kpj
            .value
        {
            Some(k) if k == holder.kpj => kpj_exact += 1,
            Some(_) => kpj_wrong += 1,
            None => {}
        }
    }
    let model_bytes = std::fs::metadata(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/ocr/ch_PP-OCRv4_rec_infer.w8.onnx"
    ))
    .map(|m| m.len())
    .unwrap_or(0);
    println!(
        "e-KTP frames: {n} (card not found in {not_found}, found at the wrong place in {misplaced})"
    );
    println!(
        "NIK read exactly where the card was found in place: {:.1} % of {}",
        percent(exact_when_placed, n - not_found - misplaced),
        n - not_found - misplaced
    );
    println!("NIK read exactly: {:.1} %", percent(nik_exact, n));
    println!(
        "NIK left for the participant: {:.1} %",
        percent(nik_doubt + not_found, n)
    );
    println!("NIK wrong but offered as read: {nik_wrong}");
    println!(
        "name exact: {:.1} % (wrong but offered: {name_wrong})",
        percent(name_exact, n)
    );
    println!("place of birth exact: {:.1} %", percent(place_exact, n));
    println!(
        "date of birth exact: {:.1} % (wrong but offered: {date_wrong})",
        percent(date_exact, n)
    );
    println!(
        "KPJ exact: {:.1} % of {kpj_frames} (wrong but offered: {kpj_wrong})",
        percent(kpj_exact, kpj_frames as usize)
    );
    println!(
        "time per e-KTP (find + straighten + read): median {:.0?}, p95 {:.0?}",
        quantile(&mut times, 0.5),
        quantile(&mut times, 0.95)
    );
    println!("model: {:.1} MB", model_bytes as f64 / 1e6);
}
