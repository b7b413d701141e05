//! A participant's claim before it is sealed: the draft, the configured facts it is checked against, and the
//! whole check. The kiosk's screens, `lapak-kiosk claim submit` and the sealing pipeline all use this one check.

use chrono::{DateTime, NaiveDate, Utc};

use crate::claim::bank::BankTable;
use crate::claim::eligibility::{self, Eligibility};
use crate::claim::regions::Regions;
use crate::claim::rules::RulesTable;
use crate::claim::validate::{self, FieldError, KpjLength};
use crate::claim::{BankAccount, ClaimFields, DocumentKind, KioskTimeZone, Reason, ReasonDetails};
use crate::packet::Document;

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
    pub time_zone: KioskTimeZone,
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
/// Why a draft cannot become a claim.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DraftError {
    /// Some answers are wrong or missing.
    #[error("the claim is not complete: {}", list(.0))]
    Invalid(Vec<FieldProblem>),
    /// The claim cannot be paid yet (or a date it needs is missing).
    #[error("not eligible: {0:?}")]
    NotEligible(Eligibility),
}

fn list(problems: &[FieldProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Checks a whole draft for `today`; returns every problem at once.
pub fn check_draft(
    ctx: &ClaimContext,
    draft: &ClaimDraft,
    today: NaiveDate,
) -> Result<(), DraftError> {
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
        return Err(DraftError::Invalid(problems));
    }

    let date_of_birth = f
        .date_of_birth
        .or_else(|| nik_date_of_birth(ctx, &f.nik, today));
    let eligibility = eligibility::check(&ctx.rules, &draft.reason, date_of_birth, today);
    if !eligibility.is_eligible() {
        return Err(DraftError::NotEligible(eligibility));
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
