//! `lapak-kiosk status REF`: a claim's status from the central service, else from this kiosk's outbox.

use std::path::Path;
use std::process::ExitCode;

use lapak_kiosk::kiosk::Kiosk;

use crate::{central_client, central_config, read_nik};

/// Asks for the status of the claim with `reference` (typed as the participant reads it).
pub fn run(
    config: Option<&Path>,
    central: Option<String>,
    reference: &str,
) -> anyhow::Result<ExitCode> {
    use lapak_kiosk::sync::status::{self, Proof};
    let kiosk = Kiosk::open(central_config(config, central)?)?;
    let client = central_client(&kiosk).ok();
    let reference = lapak_kiosk::claim::reference::ClaimReference::parse(reference)
        .map_err(|e| anyhow::anyhow!("reference: {e}"))?;
    let proof = Proof::Nik(read_nik()?);
    let answer = status::check(client.as_ref(), kiosk.outbox.as_ref(), &reference, &proof)?;
    use lapak_kiosk::sync::status::StatusAnswer;
    let words = match answer {
            StatusAnswer::Central {
                status,
                changed_at,
                reason,
            } => format!(
                "{} since {} (central service){}",
                status.id(),
                changed_at.format("%Y-%m-%d %H:%M UTC"),
                reason.map(|r| format!(": {r}")).unwrap_or_default()
            ),
            StatusAnswer::SavedNotSent { saved_at } => format!(
                "saved on this kiosk on {}, not yet sent (central service not reached)",
                saved_at.format("%Y-%m-%d %H:%M UTC")
            ),
            StatusAnswer::SentOn { delivered_at } => format!(
                "sent to the central service on {} (its status could not be asked now)",
                delivered_at.format("%Y-%m-%d %H:%M UTC")
            ),
            StatusAnswer::RefusedOnSend => {
                "refused by the central service when sent, held on this kiosk: see `outbox list --state held`".to_owned()
            }
            StatusAnswer::NotFound => "not found for this reference and NIK".to_owned(),
            StatusAnswer::TryLater => {
                "the central service refuses more checks of this reference for now (too many failed tries); \
                 try again later"
                    .to_owned()
            }
            StatusAnswer::CannotCheckNow => {
                "cannot check now: the central service is not reachable and this kiosk cannot match this \
                 reference and NIK by itself"
                    .to_owned()
            }
        };
    println!("{reference}: {words}");
    Ok(ExitCode::SUCCESS)
}
