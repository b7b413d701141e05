//! One claim, from the participant's answers to a sealed packet committed in the outbox.
//!
//! The kiosk's screens and `lapak-kiosk claim submit` go through this same path: every field is checked again
//! with the claim rules (whatever the screen already showed), eligibility is decided for today, every required
//! document must be there, then a reference is drawn, the packet is sealed to the central service, and the
//! claim is committed durably. Only when [`Submitter::submit`] returns `Ok` may anyone be told "saved".

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::claim::bank::{BankTable, BankTableError};
use crate::claim::eligibility::{self, Eligibility};
use crate::claim::reference::{ClaimReference, ReferenceError};
use crate::claim::regions::Regions;
use crate::claim::rules::{RulesError, RulesTable};
use crate::claim::validate::{self, FieldError, KpjLength};
use crate::claim::{BankAccount, ClaimFields, DocumentKind, Reason, ReasonDetails};
use crate::config::{ConfigError, KioskConfig};
use crate::identity::KioskIdentity;
use crate::outbox::{NewClaim, Outbox, OutboxError, SavedClaim};
use crate::packet::{self, Consent, Document, Manifest, PacketError};

/// The version of this program, recorded in every manifest.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// What the claim rules need: the rules and bank tables, the region codes and the field settings.
#[derive(Debug, Clone)]
pub struct ClaimContext {
    /// Waiting periods, thresholds and documents per reason.
    pub rules: RulesTable,
    /// Banks with their transfer codes and account lengths.
    pub banks: BankTable,
    /// Region codes for NIK checks.
    pub regions: &'static Regions,
    /// Accepted KPJ number lengths.
    pub kpj: KpjLength,
    /// The consent text version recorded in packets.
    pub consent_version: String,
    /// The kiosk's time zone: claims are checked against the date there.
    pub time_zone: crate::config::KioskTimeZone,
}

impl ClaimContext {
    /// The context described by a configuration: the embedded tables, or the files it names.
    pub fn from_config(config: &KioskConfig) -> Result<ClaimContext, ConfigError> {
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
        let kpj =
            KpjLength::new(claim.kpj_min_len, claim.kpj_max_len).ok_or_else(|| ConfigError {
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

/// Everything the participant gave during a session. Lives in memory only.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimDraft {
    /// The worker's (and, for a death claim, the heir's) answers.
    pub fields: ClaimFields,
    /// The reason and its dates.
    pub reason: ReasonDetails,
    /// Where the money goes.
    pub bank: BankAccount,
    /// Whether the participant said the JHT balance is above the NPWP threshold.
    pub balance_above_npwp_threshold: bool,
    /// When the participant accepted the consent text; no claim without it.
    pub consent_accepted_at: Option<DateTime<Utc>>,
    /// The photographed documents.
    pub documents: Vec<Document>,
    /// A staff test claim (`claim submit`), marked as such in the manifest.
    pub test: bool,
}

/// A field that is wrong, named by its place in the draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field (`nik`, `kpj`, `name`, `phone`, `bank.account_number`, …).
    pub field: &'static str,
    /// What is wrong with it, translatable.
    pub problem: Problem,
}

/// What is wrong with one part of a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The field's value is not valid.
    Invalid(FieldError),
    /// A required answer is missing.
    Missing,
    /// The bank code is not in the bank table.
    UnknownBank,
    /// The date of birth typed differs from the one in the NIK.
    DateOfBirthDiffersFromNik,
    /// A required document was not photographed.
    MissingDocument(DocumentKind),
    /// A document that this reason does not ask for.
    UnexpectedDocument(DocumentKind),
    /// The consent was not accepted.
    NoConsent,
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.problem {
            Problem::Invalid(e) => write!(f, "{}: {e}", self.field),
            Problem::Missing => write!(f, "{}: missing", self.field),
            Problem::UnknownBank => write!(f, "{}: not a bank in the bank table", self.field),
            Problem::DateOfBirthDiffersFromNik => {
                write!(
                    f,
                    "{}: differs from the date of birth in the NIK",
                    self.field
                )
            }
            Problem::MissingDocument(kind) => write!(f, "documents: {} is missing", kind.id()),
            Problem::UnexpectedDocument(kind) => {
                write!(f, "documents: {} is not asked for this reason", kind.id())
            }
            Problem::NoConsent => write!(f, "consent: not accepted"),
        }
    }
}

/// Why a claim was not saved. Nothing is stored in any of these cases.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SubmitError {
    /// Some answers are wrong or missing.
    #[error("the claim is not complete: {}", list(.0))]
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

fn list(problems: &[FieldProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
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

/// Checks a whole draft for `today`; returns every problem at once.
pub fn check_draft(
    ctx: &ClaimContext,
    draft: &ClaimDraft,
    today: NaiveDate,
) -> Result<(), SubmitError> {
    let mut problems = Vec::new();
    let mut push =
        |field: &'static str, problem: Problem| problems.push(FieldProblem { field, problem });
    let f = &draft.fields;

    if draft.consent_accepted_at.is_none() {
        push("consent", Problem::NoConsent);
    }
    let nik = validate::nik(&f.nik, ctx.regions, today);
    match nik.value() {
        Some(parsed) => {
            if f.date_of_birth
                .is_some_and(|dob| dob != parsed.date_of_birth())
            {
                push("date_of_birth", Problem::DateOfBirthDiffersFromNik);
            }
        }
        None => push("nik", invalid_or_missing(&f.nik, nik.into_result().err())),
    }
    let checks: [(&'static str, &str, Option<FieldError>); 4] = [
        (
            "kpj",
            &f.kpj,
            validate::kpj(&f.kpj, ctx.kpj).into_result().err(),
        ),
        ("name", &f.name, validate::name(&f.name).into_result().err()),
        (
            "mother_maiden_name",
            &f.mother_maiden_name,
            validate::mother_maiden_name(&f.mother_maiden_name)
                .into_result()
                .err(),
        ),
        (
            "phone",
            &f.phone,
            validate::phone(&f.phone).into_result().err(),
        ),
    ];
    for (field, value, error) in checks {
        if let Some(error) = error {
            push(field, invalid_or_missing(value, Some(error)));
        }
    }
    if let Err(e) = validate::email(&f.email).into_result() {
        push("email", Problem::Invalid(e));
    }
    if (!f.npwp.is_empty() || draft.balance_above_npwp_threshold)
        && let Err(e) = validate::npwp(&f.npwp).into_result()
    {
        push("npwp", invalid_or_missing(&f.npwp, Some(e)));
    }
    if draft.reason.reason == Reason::Death {
        match &f.applicant {
            None => push("applicant", Problem::Missing),
            Some(applicant) => {
                let check = validate::nik(&applicant.nik, ctx.regions, today);
                if let Err(e) = check.into_result() {
                    push("applicant.nik", invalid_or_missing(&applicant.nik, Some(e)));
                }
                if let Err(e) = validate::name(&applicant.name).into_result() {
                    push(
                        "applicant.name",
                        invalid_or_missing(&applicant.name, Some(e)),
                    );
                }
                // The relationship is one of the heirs the law names: its type allows nothing else.
            }
        }
    }
    match ctx.banks.by_code(&draft.bank.bank_code) {
        None => push("bank.bank_code", Problem::UnknownBank),
        Some(bank) => {
            if let Err(e) = bank.check_account(&draft.bank.account_number).into_result() {
                push(
                    "bank.account_number",
                    invalid_or_missing(&draft.bank.account_number, Some(e)),
                );
            }
        }
    }
    if let Err(e) = validate::name(&draft.bank.holder).into_result() {
        push(
            "bank.holder",
            invalid_or_missing(&draft.bank.holder, Some(e)),
        );
    }

    let required = ctx
        .rules
        .documents_for(draft.reason.reason, draft.balance_above_npwp_threshold);
    for kind in &required {
        if !draft.documents.iter().any(|d| d.kind == *kind) {
            push("documents", Problem::MissingDocument(*kind));
        }
    }
    for doc in &draft.documents {
        let volunteered_npwp = doc.kind == DocumentKind::Npwp && !f.npwp.is_empty();
        if !required.contains(&doc.kind) && !volunteered_npwp {
            push("documents", Problem::UnexpectedDocument(doc.kind));
        }
    }
    if !problems.is_empty() {
        return Err(SubmitError::Invalid(problems));
    }

    let date_of_birth = f
        .date_of_birth
        .or_else(|| nik_date_of_birth(ctx, &f.nik, today));
    let eligibility = eligibility::check(&ctx.rules, &draft.reason, date_of_birth, today);
    if !eligibility.is_eligible() {
        return Err(SubmitError::NotEligible(eligibility));
    }
    Ok(())
}

fn nik_date_of_birth(ctx: &ClaimContext, nik: &str, today: NaiveDate) -> Option<NaiveDate> {
    validate::nik(nik, ctx.regions, today)
        .value()
        .map(|parsed| parsed.date_of_birth())
}

fn invalid_or_missing(value: &str, error: Option<FieldError>) -> Problem {
    match error {
        _ if value.trim().is_empty() => Problem::Missing,
        Some(e) => Problem::Invalid(e),
        None => Problem::Missing,
    }
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
            reference: reference.digits().to_owned(),
            kiosk_id: self.identity.id().to_owned(),
            created_at: now,
            app_version: APP_VERSION.to_owned(),
            test: draft.test,
            fields,
            reason: draft.reason.clone(),
            bank: draft.bank.clone(),
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
            reference: reference.digits(),
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
