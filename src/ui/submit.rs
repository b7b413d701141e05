//! Submitting a claim: reference, manifest, seal, durable commit to the outbox. Runs off the UI thread; the
//! screen says "saved" only after [`Submitter::submit`] returned `Ok`.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::draft::Draft;
use crate::claim::reference::ClaimReference;
use crate::identity::KioskIdentity;
use crate::outbox::{NewClaim, Outbox};
use crate::packet::{self, Consent, Document, Manifest, SCHEMA_VERSION};

/// The version of the consent text shown on the consent screen; stored in every manifest.
pub const CONSENT_VERSION: &str = "ui-consent-2026-11";

/// Why a claim could not be stored. The participant is told in plain words; staff see the detail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubmitError {
    /// An answer is missing from the draft (a screen was skipped).
    #[error("the claim is incomplete: {0} is missing")]
    Incomplete(&'static str),
    /// The claim reference could not be made from the kiosk number and sequence.
    #[error("cannot make a claim reference: {0}")]
    Reference(String),
    /// Sealing the packet failed.
    #[error("cannot seal the claim packet: {0}")]
    Seal(String),
    /// The outbox refused or failed to store the claim (full, disk error).
    #[error("cannot store the claim: {0}")]
    Store(String),
}

/// Seals claims and commits them to the outbox.
pub struct Submitter {
    outbox: Arc<Outbox>,
    identity: Arc<KioskIdentity>,
    recipient: age::x25519::Recipient,
    app_version: String,
}

impl std::fmt::Debug for Submitter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Submitter")
            .field("kiosk", &self.identity.id())
            .finish_non_exhaustive()
    }
}

impl Submitter {
    /// A submitter storing into `outbox`, signing with the kiosk's key, sealing to the central service's
    /// `recipient`.
    pub fn new(
        outbox: Arc<Outbox>,
        identity: Arc<KioskIdentity>,
        recipient: age::x25519::Recipient,
    ) -> Submitter {
        Submitter {
            outbox,
            identity,
            recipient,
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }

    /// Seals the draft and commits it; returns the claim reference once the commit is durable.
    pub fn submit(
        &self,
        draft: &Draft,
        consented_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<ClaimReference, SubmitError> {
        let reason = draft
            .reason
            .clone()
            .ok_or(SubmitError::Incomplete("the reason"))?;
        let bank = draft
            .bank
            .clone()
            .ok_or(SubmitError::Incomplete("the bank account"))?;
        if draft.fields.nik.is_empty() {
            return Err(SubmitError::Incomplete("the NIK"));
        }
        let sequence = self
            .outbox
            .next_sequence()
            .map_err(|e| SubmitError::Store(e.to_string()))?;
        let reference = ClaimReference::new(self.identity.number(), sequence)
            .map_err(|e| SubmitError::Reference(e.to_string()))?;
        let claim_id = Uuid::new_v4();
        let manifest = Manifest {
            schema_version: SCHEMA_VERSION,
            claim_id,
            reference: reference.digits().to_owned(),
            kiosk_id: self.identity.id().to_owned(),
            created_at: now,
            app_version: self.app_version.clone(),
            test: false,
            fields: draft.fields.clone(),
            reason,
            bank,
            consent: Consent {
                version: CONSENT_VERSION.to_owned(),
                accepted_at: consented_at,
            },
            documents: Vec::new(),
        };
        let documents: Vec<Document> = draft
            .documents
            .iter()
            .map(|doc| Document {
                kind: doc.kind,
                jpeg: doc.jpeg.clone(),
                width: doc.width,
                height: doc.height,
            })
            .collect();
        let sealed = packet::seal(
            &manifest,
            &documents,
            &self.recipient,
            self.identity.signing_key(),
        )
        .map_err(|e| SubmitError::Seal(e.to_string()))?;
        self.outbox
            .submit(NewClaim {
                claim_id,
                reference: reference.digits(),
                created_at: now,
                nik: &draft.fields.nik,
                test: false,
                sealed: &sealed,
            })
            .map_err(|e| SubmitError::Store(e.to_string()))?;
        Ok(reference)
    }
}
