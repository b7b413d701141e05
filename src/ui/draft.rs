//! The claim draft: what the participant has told the kiosk in this session. Memory only; dropped when the
//! session ends.

use chrono::{DateTime, NaiveDate, Utc};

use crate::camera::CapturedDocument;
use crate::claim::{BankAccount, ClaimFields, DocumentKind, ReasonDetails, Sex};

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
    /// The photographed documents (JPEG, in memory only).
    pub documents: Vec<CapturedDocument>,
}

/// One answer a screen hands to the draft.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// The participant agreed to the consent text.
    Consented,
    /// Identity: NIK, confirmed date of birth and sex, KPJ number and name.
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
    },
    /// The reason and its dates.
    Reason(ReasonDetails),
    /// Contact: phone (normalised) and optional e-mail.
    Contact {
        /// The phone number, `+628…`.
        phone: String,
        /// The e-mail address or empty.
        email: String,
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
            } => {
                self.fields.nik = nik;
                self.fields.date_of_birth = Some(date_of_birth);
                self.fields.sex = Some(sex);
                self.fields.kpj = kpj;
                self.fields.name = name;
            }
            Change::Reason(details) => self.reason = Some(details),
            Change::Contact { phone, email } => {
                self.fields.phone = phone;
                self.fields.email = email;
            }
            Change::Bank(bank) => self.bank = Some(bank),
            Change::Document(document) => {
                self.documents.retain(|doc| doc.kind != document.kind);
                self.documents.push(document);
            }
            Change::ForgetDocument(kind) => self.documents.retain(|doc| doc.kind != kind),
        }
    }
}
