//! The claim draft: what the participant has told the kiosk in this session. Memory only; dropped when the
//! session ends.

use chrono::{DateTime, NaiveDate, Utc};

use crate::camera::CapturedDocument;
use crate::claim::{Applicant, BankAccount, ClaimFields, DocumentKind, ReasonDetails, Sex};
use crate::packet::Document;
use crate::submission::{ClaimDraft, FieldProblem, Problem, SubmitError};

/// The answers gathered so far in one session.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    /// When the participant agreed to the consent text.
    pub consented_at: Option<DateTime<Utc>>,
    /// Identity and contact answers.
    pub fields: ClaimFields,
    /// The reason and its dates, once chosen.
    pub reason: Option<ReasonDetails>,
    /// The bank account, once given.
    pub bank: Option<BankAccount>,
    /// Whether the participant said the JHT balance is above the NPWP threshold (Rp50 juta).
    pub balance_above_npwp_threshold: bool,
    /// The photographed documents (JPEG, in memory only).
    pub documents: Vec<CapturedDocument>,
}

/// One answer a screen hands to the draft.
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
    /// A document photo that passed the checks (replaces an earlier one of the same kind).
    Document(CapturedDocument),
    /// A document photo to take again.
    ForgetDocument(DocumentKind),
}

impl Draft {
    /// Records one answer; `now` is when it was given.
    pub fn apply(&mut self, change: Change, now: DateTime<Utc>) {
        match change {
            Change::Consented => self.consented_at = Some(now),
            Change::Identity {
                nik,
                date_of_birth,
                sex,
                kpj,
                name,
                mother_maiden_name,
            } => {
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
        }
    }

    /// The draft as the claim pipeline takes it. A draft without a reason is refused here (the screens
    /// cannot reach the review without one); every other gap is found by the pipeline's own checks.
    pub fn claim_draft(&self) -> Result<ClaimDraft, SubmitError> {
        let Some(reason) = self.reason.clone() else {
            return Err(SubmitError::Invalid(vec![FieldProblem {
                field: "reason",
                problem: Problem::Missing,
            }]));
        };
        Ok(ClaimDraft {
            fields: self.fields.clone(),
            reason,
            bank: self.bank.clone().unwrap_or_default(),
            balance_above_npwp_threshold: self.balance_above_npwp_threshold,
            consent_accepted_at: self.consented_at,
            documents: self
                .documents
                .iter()
                .map(|doc| Document {
                    kind: doc.kind,
                    jpeg: doc.jpeg.clone(),
                    width: doc.width,
                    height: doc.height,
                })
                .collect(),
            test: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claim::Reason;

    fn resign() -> ReasonDetails {
        ReasonDetails {
            reason: Reason::Resign,
            event_date: NaiveDate::from_ymd_opt(2026, 8, 1),
            membership_start: None,
        }
    }

    #[test]
    fn a_draft_without_a_reason_is_refused_before_the_pipeline() {
        let draft = Draft::default();
        let Err(SubmitError::Invalid(problems)) = draft.claim_draft() else {
            panic!("a draft without a reason must be refused");
        };
        assert_eq!(problems[0].field, "reason");
    }

    #[test]
    fn the_claim_draft_carries_every_answer() {
        let mut draft = Draft::default();
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
        let claim = draft.claim_draft().unwrap();
        assert_eq!(claim.reason, resign());
        assert!(claim.balance_above_npwp_threshold);
        assert_eq!(claim.fields.npwp, "012345678901234");
        assert_eq!(claim.consent_accepted_at, Some(now));
        assert!(!claim.test);
    }
}
