//! How much the fleet view slows claim intake: with 1,000 claims in the database, rounds of four kiosks
//! delivering 100 claims at once, alone and with a client asking for `/v1/fleet` up to 200 times a second,
//! alternating; the best round of each is compared (so other work on the machine counts least). Target: the
//! fleet view lowers intake by less than 10 %.
//!
//! Run with `cargo bench -p lapak-central --bench fleet_load`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use common::fleet_load::*;

/// Rounds per condition.
const ROUNDS: u64 = 4;

fn main() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut central = loaded_central(&tmp.path().join("central"));
    let url = central.url();
    let mut quiet = Vec::new();
    let mut asked = Vec::new();
    let mut fleet_answers = 0;
    for r in 0..ROUNDS {
        quiet.push(round(
            &central,
            &tmp.path().join(format!("quiet{r}")),
            100_000 + r * 10_000,
        ));
        let hammer = Hammer::start(&url);
        asked.push(round(
            &central,
            &tmp.path().join(format!("asked{r}")),
            200_000 + r * 10_000,
        ));
        fleet_answers += hammer.stop();
    }
    let best = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    let (alone, with_fleet) = (best(&quiet), best(&asked));
    let drop = 1.0 - with_fleet / alone;
    println!(
        "fleet_load: intake {alone:.1} claims/s alone, {with_fleet:.1} claims/s with /v1/fleet asked up to 200 \
         times a second ({fleet_answers} fleet answers): drop {:.1} % (target < 10 %: {}); rounds {quiet:.1?} / \
         {asked:.1?}",
        drop * 100.0,
        if drop < 0.10 { "met" } else { "missed" }
    );
    central.stop();
}
