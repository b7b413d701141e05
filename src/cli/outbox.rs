//! `lapak-kiosk outbox …`: list, export, send held claims again, purge, and make a new outbox after a loss.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use lapak_kiosk::kiosk::Kiosk;
use lapak_kiosk::outbox::{ClaimFilter, ClaimState};

use crate::{OutboxAction, central_config, load_config};

/// Runs one `outbox` subcommand.
pub fn run(
    config: Option<&Path>,
    central: Option<String>,
    action: OutboxAction,
) -> anyhow::Result<ExitCode> {
    if let OutboxAction::Init {
        after_loss: _,
        sequence_floor,
    } = action
    {
        return init_after_loss(config, central, sequence_floor);
    }
    let kiosk = Kiosk::open(load_config(config)?.config)?;
    match action {
        OutboxAction::List { state, limit, json } => {
            let state = match state {
                None => None,
                Some(s) => Some(ClaimState::parse(&s).with_context(|| {
                    format!("unknown state `{s}`: use pending, sending, delivered or held")
                })?),
            };
            let claims = kiosk.outbox.list(&ClaimFilter { state, limit })?;
            if json {
                println!("{}", serde_json::to_string_pretty(&claims)?);
            } else {
                println!(
                    "{:<14} {:<10} {:>8} {:<20} {:<20} {:>9}  last error",
                    "reference",
                    "state",
                    "attempts",
                    "created (UTC)",
                    "next attempt (UTC)",
                    "bytes"
                );
                for c in &claims {
                    println!(
                        "{:<14} {:<10} {:>8} {:<20} {:<20} {:>9}  {}{}",
                        c.reference.digits(),
                        c.state.as_str(),
                        c.attempts,
                        c.created_at.format("%Y-%m-%d %H:%M:%S"),
                        c.next_attempt_at.format("%Y-%m-%d %H:%M:%S"),
                        c.packet_bytes,
                        c.last_error.as_deref().unwrap_or("-"),
                        if c.test { " (test)" } else { "" }
                    );
                }
                let stats = kiosk.outbox.stats(chrono::Utc::now())?;
                println!(
                    "{} pending, {} sending, {} delivered, {} held",
                    stats.pending, stats.sending, stats.delivered, stats.held
                );
            }
        }
        OutboxAction::Export { dir } => {
            let done = kiosk
                .outbox
                .export(&dir, kiosk.identity.id(), chrono::Utc::now())?;
            println!(
                "exported {} sealed packet(s) to {}",
                done.count,
                done.folder.display()
            );
        }
        OutboxAction::Requeue { reference, held } => {
            let now = chrono::Utc::now();
            match reference {
                Some(reference) if !held => {
                    let reference =
                        lapak_kiosk::claim::reference::ClaimReference::parse(&reference)
                            .map_err(|e| anyhow::anyhow!("reference: {e}"))?;
                    kiosk.outbox.requeue(&reference, now)?;
                    println!("{reference}: back in the queue, to be sent now");
                }
                _ => {
                    let count = kiosk.outbox.requeue_held(now)?;
                    println!("{count} held claim(s) back in the queue, to be sent now");
                }
            }
        }
        OutboxAction::Purge => {
            let count = kiosk.outbox.purge(chrono::Utc::now())?;
            println!(
                "purged {count} delivered claim(s) older than {} days",
                kiosk.config.storage.retention_days
            );
        }
        OutboxAction::Init { .. } => {
            anyhow::bail!("`outbox init` runs without an open outbox")
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `lapak-kiosk outbox init --after-loss`: a new outbox whose sequence continues above every one used.
fn init_after_loss(
    config: Option<&Path>,
    central: Option<String>,
    sequence_floor: Option<u64>,
) -> anyhow::Result<ExitCode> {
    let config = central_config(config, central)?;
    let floor = match sequence_floor {
        Some(n) => lapak_kiosk::kiosk::SequenceFloor::GivenByStaff(n),
        None => lapak_kiosk::kiosk::SequenceFloor::FromCentral,
    };
    let done = lapak_kiosk::kiosk::init_after_loss(&config, floor)?;
    println!(
        "new outbox made after loss: highest sequence used {} ({}); the next claim takes sequence {}",
        done.highest_used, done.floor_source, done.next_sequence
    );
    Ok(ExitCode::SUCCESS)
}
