//! One claim, from the participant's answers to a sealed packet committed in the outbox.
//!
//! The kiosk's screens and `lapak-kiosk claim submit` go through this same path: every field is checked again
//! with the claim rules (whatever the screen already showed), eligibility is decided for today, every required
//! document must be there, then a reference is drawn, the packet is sealed to the central service, and the
//! claim is committed durably. Only when [`Submitter::submit`] returns `Ok` may anyone be told "saved".

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::claim::bank::{BankTable, BankTableError};
use crate::claim::eligibility::Eligibility;
use crate::claim::reference::{ClaimReference, ReferenceError};
use crate::claim::regions::Regions;
use crate::claim::rules::{RulesError, RulesTable};
use crate::claim::validate::{self, KpjLength};
use crate::config::{ConfigError, KioskConfig};
use crate::identity::KioskIdentity;
use crate::outbox::{NewClaim, Outbox, OutboxError, SavedClaim};
use crate::packet::{self, Consent, Manifest, PacketError};

pub use lapak_core::draft::{
    Change, ClaimContext, ClaimDraft, DraftError, FieldProblem, Problem, check_draft,
};

/// The version of this program, recorded in every manifest.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The claim facts a configuration describes: the embedded tables, or the files it names.
pub fn claim_context(config: &KioskConfig) -> Result<ClaimContext, ConfigError> {
    let claim = &config.claim;
    let rules = if claim.rules_file.as_os_str().is_empty() {
        RulesTable::embedded_default().map_err(|e| table_error("claim.rules_file", &e))?
    } else {
        let text = read_table(&claim.rules_file, "claim.rules_file")?;
        RulesTable::from_toml_str(&text, &claim.rules_file.display().to_string())
            .map_err(|e| table_error("claim.rules_file", &e))?
    };
    let banks = if claim.banks_file.as_os_str().is_empty() {
        BankTable::embedded_default().map_err(|e| bank_error(&e))?
    } else {
        let text = read_table(&claim.banks_file, "claim.banks_file")?;
        BankTable::from_toml_str(&text, &claim.banks_file.display().to_string())
            .map_err(|e| bank_error(&e))?
    };
    let kpj = KpjLength::new(claim.kpj_min_len, claim.kpj_max_len).ok_or_else(|| ConfigError {
        file: "configuration".to_owned(),
        key: "claim.kpj_min_len".to_owned(),
        line: None,
        reason: "impossible KPJ length range".to_owned(),
    })?;
    Ok(ClaimContext {
        rules,
        banks,
        regions: Regions::embedded(),
        kpj,
        consent_version: claim.consent_version.clone(),
        time_zone: config.kiosk.time_zone,
    })
}

fn read_table(path: &Path, key: &str) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|e| ConfigError {
        file: path.display().to_string(),
        key: key.to_owned(),
        line: None,
        reason: format!("cannot read the table: {e}"),
    })
}

fn table_error(key: &str, e: &RulesError) -> ConfigError {
    ConfigError {
        file: "rules table".to_owned(),
        key: key.to_owned(),
        line: None,
        reason: e.to_string(),
    }
}

fn bank_error(e: &BankTableError) -> ConfigError {
    ConfigError {
        file: "bank table".to_owned(),
        key: "claim.banks_file".to_owned(),
        line: None,
        reason: e.to_string(),
    }
}
/// Why a claim was not saved. Nothing is stored in any of these cases.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SubmitError {
    /// Some answers are wrong or missing.
    #[error("{}", draft_problems(.0))]
    Invalid(Vec<FieldProblem>),
    /// The claim cannot be paid yet (or a date it needs is missing).
    #[error("not eligible: {0:?}")]
    NotEligible(Eligibility),
    /// The outbox refused or failed (full, disk).
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    /// Sealing failed.
    #[error(transparent)]
    Packet(#[from] PacketError),
    /// The kiosk has used up its reference numbers.
    #[error(transparent)]
    Reference(#[from] ReferenceError),
}

impl From<DraftError> for SubmitError {
    fn from(error: DraftError) -> SubmitError {
        match error {
            DraftError::Invalid(problems) => SubmitError::Invalid(problems),
            DraftError::NotEligible(eligibility) => SubmitError::NotEligible(eligibility),
        }
    }
}

fn draft_problems(problems: &[FieldProblem]) -> String {
    DraftError::Invalid(problems.to_vec()).to_string()
}
/// A claim that is sealed and committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    /// The reference the participant takes home.
    pub reference: ClaimReference,
    /// The claim's id (the idempotency key towards the central service).
    pub claim_id: Uuid,
    /// What the outbox stored.
    pub saved: SavedClaim,
}
/// Seals and commits claims for one kiosk.
pub struct Submitter {
    outbox: Arc<Outbox>,
    identity: KioskIdentity,
    recipient: age::x25519::Recipient,
    context: ClaimContext,
}

impl Submitter {
    /// A submitter for this kiosk, sealing to `recipient`.
    pub fn new(
        outbox: Arc<Outbox>,
        identity: KioskIdentity,
        recipient: age::x25519::Recipient,
        context: ClaimContext,
    ) -> Submitter {
        Submitter {
            outbox,
            identity,
            recipient,
            context,
        }
    }

    /// The claim rules in force.
    pub fn context(&self) -> &ClaimContext {
        &self.context
    }

    /// The outbox claims are committed to.
    pub fn outbox(&self) -> &Arc<Outbox> {
        &self.outbox
    }

    /// Checks, seals and durably commits a claim. Returns only after the commit; on any error nothing was
    /// stored (a reference sequence number may have been used up, never reused).
    pub fn submit(&self, draft: &ClaimDraft, now: DateTime<Utc>) -> Result<Submitted, SubmitError> {
        // The same "today" as the screens: the date in the kiosk's time zone.
        let today = self.context.time_zone.today(now);
        check_draft(&self.context, draft, today)?;
        // The check found both; a draft without them never gets here.
        let (Some(reason), Some(bank)) = (draft.reason.clone(), draft.bank.clone()) else {
            let missing = |field| FieldProblem {
                field,
                problem: Problem::Missing,
            };
            return Err(SubmitError::Invalid(vec![
                missing("reason"),
                missing("bank"),
            ]));
        };
        let mut fields = draft.fields.clone();
        if (fields.date_of_birth.is_none() || fields.sex.is_none())
            && let Some(parsed) = validate::nik(&fields.nik, self.context.regions, today).value()
        {
            fields.date_of_birth.get_or_insert(parsed.date_of_birth());
            fields.sex.get_or_insert(parsed.sex());
        }
        if let Some(phone) = validate::phone(&fields.phone).value() {
            fields.phone = phone.clone();
        }
        for name in [&mut fields.name, &mut fields.mother_maiden_name] {
            if let Some(normal) = validate::name(name).value() {
                *name = normal.clone();
            }
        }
        let sequence = self.outbox.next_sequence()?;
        let reference = ClaimReference::new(self.identity.number(), sequence)?;
        let claim_id = Uuid::new_v4();
        let manifest = Manifest {
            schema_version: packet::SCHEMA_VERSION,
            claim_id,
            reference: reference.clone(),
            kiosk_id: self.identity.id().to_owned(),
            created_at: now,
            app_version: APP_VERSION.to_owned(),
            test: draft.test,
            fields,
            reason,
            bank,
            consent: Consent {
                version: self.context.consent_version.clone(),
                accepted_at: draft.consent_accepted_at.unwrap_or(now),
            },
            documents: Vec::new(),
        };
        let sealed = packet::seal(
            &manifest,
            &draft.documents,
            &self.recipient,
            self.identity.signing_key(),
        )?;
        let saved = self.outbox.submit(NewClaim {
            claim_id,
            reference: &reference,
            created_at: now,
            nik: &draft.fields.nik,
            test: draft.test,
            sealed: &sealed,
        })?;
        Ok(Submitted {
            reference,
            claim_id,
            saved,
        })
    }
}
