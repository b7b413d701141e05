//! `lapak-central import DIR`: the claims of a kiosk's USB export (`lapak-kiosk outbox export`), verified and
//! stored exactly once through the same checks as `POST /v1/claims`.
//!
//! The folder holds `<reference>.tar.age` (the sealed packet), `<reference>.sig` (the kiosk's 64-byte Ed25519
//! packet signature) and `index.json`, which names each claim's id, files and sending kiosk. Each packet's
//! signature is checked against the registered key of that kiosk, then the packet is opened and checked like an
//! upload. A claim the service already holds is a repeat; the kiosk's own later upload of it is answered as a
//! repeat too.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use axum::http::StatusCode;
use serde::Deserialize;
use uuid::Uuid;

use crate::server::{App, store_verified_claim};

/// One claim as listed in an export's `index.json` (other fields are ignored).
#[derive(Debug, Deserialize)]
struct IndexEntry {
    reference: String,
    claim_id: Uuid,
    packet_file: String,
    signature_file: String,
    #[serde(default)]
    kiosk_id: Option<String>,
}

/// What happened to one exported claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Stored now.
    New,
    /// The service had it already (from an upload or an earlier import).
    AlreadyHad,
    /// Not stored: the code and the reason.
    Refused {
        /// The stable code (`bad_packet_signature`, `reference_not_yours`, `unknown_kiosk`, …).
        code: String,
        /// Why, in words.
        reason: String,
    },
}

/// The outcome of each claim of an export, in index order.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Each claim's reference and what happened to it.
    pub claims: Vec<(String, Outcome)>,
}

impl ImportReport {
    /// How many claims had each outcome: new, already had, refused.
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |f: fn(&Outcome) -> bool| self.claims.iter().filter(|(_, o)| f(o)).count();
        (
            count(|o| *o == Outcome::New),
            count(|o| *o == Outcome::AlreadyHad),
            count(|o| matches!(o, Outcome::Refused { .. })),
        )
    }
}

/// Imports the export in `dir`. `kiosk` names the sending kiosk for an index that does not (exports made before
/// the index named it); an index that names one must agree with it.
pub fn import(app: &App, dir: &Path, kiosk: Option<&str>) -> anyhow::Result<ImportReport> {
    let index_path = dir.join("index.json");
    let text = std::fs::read_to_string(&index_path)
        .with_context(|| format!("{}: cannot read the export index", index_path.display()))?;
    let entries: Vec<IndexEntry> = serde_json::from_str(&text)
        .with_context(|| format!("{}: not an export index", index_path.display()))?;
    let mut report = ImportReport::default();
    for entry in entries {
        let outcome = match import_one(app, dir, &entry, kiosk) {
            Ok(outcome) => outcome,
            Err((code, reason)) => Outcome::Refused {
                code: code.to_owned(),
                reason,
            },
        };
        report.claims.push((entry.reference, outcome));
    }
    Ok(report)
}

type Refusal = (&'static str, String);

fn import_one(
    app: &App,
    dir: &Path,
    entry: &IndexEntry,
    kiosk: Option<&str>,
) -> Result<Outcome, Refusal> {
    let kiosk_id = match (entry.kiosk_id.as_deref(), kiosk) {
        (Some(named), Some(given)) if named != given => {
            return Err((
                "kiosk_mismatch",
                format!("the index names kiosk {named}, --kiosk says {given}"),
            ));
        }
        (Some(named), _) => named,
        (None, Some(given)) => given,
        (None, None) => {
            return Err((
                "unknown_kiosk",
                "the index does not name the kiosk: give --kiosk ID".to_owned(),
            ));
        }
    };
    let row = app
        .store
        .kiosk(kiosk_id)
        .map_err(|e| ("storage_unavailable", e.to_string()))?
        .ok_or_else(|| {
            (
                "unknown_kiosk",
                format!("kiosk {kiosk_id} is not registered (`lapak-central kiosk add`)"),
            )
        })?;
    if row.revoked_at.is_some() {
        return Err(("revoked_kiosk", format!("kiosk {kiosk_id} is revoked")));
    }
    let key = lapak_core::signing::parse_public_key(&row.public_key)
        .map_err(|e| ("bad_signature", format!("registered key unusable: {e}")))?;
    let packet = std::fs::read(file_in(dir, &entry.packet_file)?)
        .map_err(|e| ("missing_file", format!("{}: {e}", entry.packet_file)))?;
    let signature = std::fs::read(file_in(dir, &entry.signature_file)?)
        .map_err(|e| ("missing_file", format!("{}: {e}", entry.signature_file)))?;
    let signature = <[u8; 64]>::try_from(signature.as_slice()).map_err(|_| {
        (
            "bad_packet_signature",
            format!(
                "{}: {} bytes, a signature has 64",
                entry.signature_file,
                signature.len()
            ),
        )
    })?;
    match store_verified_claim(
        app,
        kiosk_id,
        &key,
        entry.claim_id,
        &packet,
        None,
        &signature,
    ) {
        Ok((StatusCode::CREATED, _)) => Ok(Outcome::New),
        Ok(_) => Ok(Outcome::AlreadyHad),
        Err(e) => Err((e.code(), e.message().to_owned())),
    }
}

/// A file named by the index, which must be a plain name inside the export folder.
fn file_in(dir: &Path, name: &str) -> Result<PathBuf, Refusal> {
    let plain = !name.is_empty()
        && !name.contains('/')
        && name != "."
        && name != ".."
        && !name.starts_with('.');
    if !plain {
        return Err((
            "bad_index",
            format!("{name:?} is not a file name inside the export folder"),
        ));
    }
    Ok(dir.join(name))
}
