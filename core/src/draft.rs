//! A participant's claim before it is sealed: the draft, the configured facts it is checked against, and the
//! whole check. The kiosk's screens, `lapak-kiosk claim submit` and the sealing pipeline all use this one check.

use chrono::{DateTime, NaiveDate, Utc};

use crate::claim::bank::BankTable;
use crate::claim::eligibility::{self, Eligibility};
use crate::claim::regions::Regions;
use crate::claim::rules::RulesTable;
use crate::claim::validate::{self, FieldError, KpjLength};
use crate::claim::{
    Applicant, BankAccount, ClaimFields, DocumentKind, KioskTimeZone, Reason, ReasonDetails, Sex,
};
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

/// Everything the participant gave during a session, from the first answer on the kiosk's screens (or from a
/// claim file) to the sealing pipeline. Lives in memory only.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClaimDraft {
    /// The worker's (and, for a death claim, the heir's) answers.
    pub fields: ClaimFields,
    /// The reason and its dates, once chosen.
    pub reason: Option<ReasonDetails>,
    /// Where the money goes, once given.
    pub bank: Option<BankAccount>,
    /// Whether the participant said the JHT balance is above the NPWP threshold.
    pub balance_above_npwp_threshold: bool,
    /// When the participant accepted the consent text; no claim without it.
    pub consent_accepted_at: Option<DateTime<Utc>>,
    /// The photographed documents.
    pub documents: Vec<Document>,
    /// A staff test claim (`claim submit`), marked as such in the manifest.
    pub test: bool,
}

/// One answer given on a screen, recorded in the draft.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// The participant agreed to the consent text.
    Consented,
    /// Identity: NIK, confirmed date of birth and sex, KPJ number, name and mother's maiden name.
    Identity {
        /// The NIK (16 digits).
        nik: String,
        /// The confirmed date of birth.
        date_of_birth: NaiveDate,
        /// The confirmed sex.
        sex: Sex,
        /// The KPJ number.
        kpj: String,
        /// The name as on the e-KTP, normalised.
        name: String,
        /// The place of birth as read from the e-KTP and confirmed, or empty (it is not asked on the keypad).
        place_of_birth: String,
        /// The mother's maiden name, normalised.
        mother_maiden_name: String,
    },
    /// The reason and its dates.
    Reason(ReasonDetails),
    /// Contact and tax answers: the heir (death claims), phone, e-mail, the balance question and the NPWP.
    Contact {
        /// For a death claim: the heir who applies.
        applicant: Option<Applicant>,
        /// The phone number, `+628…`.
        phone: String,
        /// The e-mail address or empty.
        email: String,
        /// "Saldo JHT di atas Rp50 juta?" answered yes.
        balance_above_npwp_threshold: bool,
        /// The NPWP digits, or empty when the balance is not above the threshold.
        npwp: String,
    },
    /// The bank account.
    Bank(BankAccount),
    /// A document photo that passed the checks (replaces an earlier one of the same kind); moved in.
    Document(Document),
    /// A document photo to take again.
    ForgetDocument(DocumentKind),
    /// The reason no longer holds (the participant changed whom the claim is for): it is asked again.
    ForgetReason,
}

impl ClaimDraft {
    /// Records one answer; `now` is when it was given.
    pub fn apply(&mut self, change: Change, now: DateTime<Utc>) {
        match change {
            Change::Consented => self.consent_accepted_at = Some(now),
            Change::Identity {
                nik,
                date_of_birth,
                sex,
                kpj,
                name,
                place_of_birth,
                mother_maiden_name,
            } => {
                self.fields.place_of_birth = place_of_birth;
                self.fields.nik = nik;
                self.fields.date_of_birth = Some(date_of_birth);
                self.fields.sex = Some(sex);
                self.fields.kpj = kpj;
                self.fields.name = name;
                self.fields.mother_maiden_name = mother_maiden_name;
            }
            Change::Reason(details) => self.reason = Some(details),
            Change::Contact {
                applicant,
                phone,
                email,
                balance_above_npwp_threshold,
                npwp,
            } => {
                self.fields.applicant = applicant;
                self.fields.phone = phone;
                self.fields.email = email;
                self.balance_above_npwp_threshold = balance_above_npwp_threshold;
                self.fields.npwp = npwp;
                if !balance_above_npwp_threshold {
                    self.documents.retain(|doc| doc.kind != DocumentKind::Npwp);
                }
            }
            Change::Bank(bank) => self.bank = Some(bank),
            Change::Document(document) => {
                self.documents.retain(|doc| doc.kind != document.kind);
                self.documents.push(document);
            }
            Change::ForgetDocument(kind) => self.documents.retain(|doc| doc.kind != kind),
            Change::ForgetReason => self.reason = None,
        }
    }
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
    if draft.reason.is_none() {
        push("reason", Problem::Missing);
    }
    if draft
        .reason
        .as_ref()
        .is_some_and(|details| details.reason == Reason::Death)
    {
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
    match &draft.bank {
        None => push("bank", Problem::Missing),
        Some(account) => {
            match ctx.banks.by_code(&account.bank_code) {
                None => push("bank.bank_code", Problem::UnknownBank),
                Some(bank) => {
                    if let Err(e) = bank.check_account(&account.account_number).into_result() {
                        push(
                            "bank.account_number",
                            invalid_or_missing(&account.account_number, Some(e)),
                        );
                    }
                }
            }
            if let Err(e) = validate::name(&account.holder).into_result() {
                push("bank.holder", invalid_or_missing(&account.holder, Some(e)));
            }
        }
    }

    let required = draft
        .reason
        .as_ref()
        .map(|details| {
            ctx.rules
                .documents_for(details.reason, draft.balance_above_npwp_threshold)
        })
        .unwrap_or_default();
    for kind in &required {
        if !draft.documents.iter().any(|d| d.kind == *kind) {
            push("documents", Problem::MissingDocument(*kind));
        }
    }
    for doc in draft.documents.iter().filter(|_| draft.reason.is_some()) {
        let volunteered_npwp = doc.kind == DocumentKind::Npwp && !f.npwp.is_empty();
        if !required.contains(&doc.kind) && !volunteered_npwp {
            push("documents", Problem::UnexpectedDocument(doc.kind));
        }
    }
    let Some(reason) = draft.reason.as_ref().filter(|_| problems.is_empty()) else {
        return Err(DraftError::Invalid(problems));
    };

    let date_of_birth = f
        .date_of_birth
        .or_else(|| nik_date_of_birth(ctx, &f.nik, today));
    let eligibility = eligibility::check(&ctx.rules, reason, date_of_birth, today);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> ClaimContext {
        ClaimContext {
            rules: RulesTable::embedded_default().expect("rules"),
            banks: BankTable::embedded_default().expect("banks"),
            regions: Regions::embedded(),
            kpj: KpjLength::default(),
            consent_version: "test".to_owned(),
            time_zone: KioskTimeZone::Wib,
        }
    }

    fn resign() -> ReasonDetails {
        ReasonDetails {
            reason: Reason::Resign,
            event_date: NaiveDate::from_ymd_opt(2026, 8, 1),
            membership_start: None,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default()
    }

    fn problems(draft: &ClaimDraft) -> Vec<FieldProblem> {
        match check_draft(&context(), draft, today()) {
            Err(DraftError::Invalid(problems)) => problems,
            other => panic!("the draft was not refused for its answers: {other:?}"),
        }
    }

    #[test]
    fn a_missing_reason_or_bank_is_reported_as_missing_like_any_answer() {
        let missing = |field: &str, problems: &[FieldProblem]| {
            problems
                .iter()
                .any(|p| p.field == field && p.problem == Problem::Missing)
        };
        let empty = problems(&ClaimDraft::default());
        assert!(missing("reason", &empty), "{empty:?}");
        assert!(missing("bank", &empty), "{empty:?}");
        assert!(missing("nik", &empty), "{empty:?}");
        // Without a reason no document is called unexpected: what is asked for depends on the reason.
        let mut draft = ClaimDraft::default();
        draft.apply(
            Change::Document(Document {
                kind: DocumentKind::Paklaring,
                jpeg: vec![0xFF, 0xD8],
                width: 1,
                height: 1,
            }),
            Utc::now(),
        );
        let found = problems(&draft);
        assert!(
            !found
                .iter()
                .any(|p| matches!(p.problem, Problem::UnexpectedDocument(_))),
            "{found:?}"
        );
        // With a reason, its documents are asked for.
        draft.apply(Change::Reason(resign()), Utc::now());
        let found = problems(&draft);
        assert!(!missing("reason", &found), "{found:?}");
        assert!(
            found
                .iter()
                .any(|p| p.problem == Problem::MissingDocument(DocumentKind::Selfie)),
            "{found:?}"
        );
    }

    #[test]
    fn answers_are_recorded_and_saying_the_balance_is_not_above_drops_the_npwp_photo() {
        let mut draft = ClaimDraft::default();
        let now = Utc::now();
        draft.apply(Change::Consented, now);
        draft.apply(Change::Reason(resign()), now);
        draft.apply(
            Change::Contact {
                applicant: None,
                phone: "+6281234567890".to_owned(),
                email: String::new(),
                balance_above_npwp_threshold: true,
                npwp: "012345678901234".to_owned(),
            },
            now,
        );
        let npwp_card = Document {
            kind: DocumentKind::Npwp,
            jpeg: vec![0xFF, 0xD8],
            width: 1,
            height: 1,
        };
        draft.apply(Change::Document(npwp_card), now);
        assert_eq!(draft.reason, Some(resign()));
        assert!(draft.balance_above_npwp_threshold);
        assert_eq!(draft.fields.npwp, "012345678901234");
        assert_eq!(draft.consent_accepted_at, Some(now));
        assert_eq!(draft.documents.len(), 1);
        assert!(!draft.test);
        draft.apply(
            Change::Contact {
                applicant: None,
                phone: "+6281234567890".to_owned(),
                email: String::new(),
                balance_above_npwp_threshold: false,
                npwp: String::new(),
            },
            now,
        );
        assert!(draft.documents.is_empty());
    }
}
