//! The claim itself: what a participant tells the kiosk, and the rules that decide whether it may be paid.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::i18n::Translatable;

pub mod bank;
pub mod eligibility;
pub mod nik;
pub mod reference;
pub mod regions;
pub mod rules;
mod table_file;
mod time_zone;
pub mod validate;

pub use table_file::{TableError, TableWarning};
pub use time_zone::KioskTimeZone;

/// Why the participant claims their JHT balance (sebab klaim).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Mengundurkan diri: the participant resigned.
    Resign,
    /// Pemutusan hubungan kerja: the participant was dismissed.
    Phk,
    /// A fixed-term contract (PKWT) ended.
    ContractEnd,
    /// The participant reached retirement age.
    RetirementAge,
    /// The participant leaves Indonesia for good.
    LeavingIndonesia,
    /// Total permanent disability.
    TotalDisability,
    /// The participant died; an heir claims.
    Death,
    /// Partial claim of 10 % (preparation for old age) while still working.
    Partial10,
    /// Partial claim of 30 % (housing) while still working.
    Partial30,
}

impl Reason {
    /// Every reason, in the order the kiosk offers them.
    pub const ALL: [Reason; 9] = [
        Reason::Resign,
        Reason::Phk,
        Reason::ContractEnd,
        Reason::RetirementAge,
        Reason::LeavingIndonesia,
        Reason::TotalDisability,
        Reason::Death,
        Reason::Partial10,
        Reason::Partial30,
    ];

    /// The stable identifier used in configuration, manifests and message ids.
    pub fn id(self) -> &'static str {
        match self {
            Reason::Resign => "resign",
            Reason::Phk => "phk",
            Reason::ContractEnd => "contract_end",
            Reason::RetirementAge => "retirement_age",
            Reason::LeavingIndonesia => "leaving_indonesia",
            Reason::TotalDisability => "total_disability",
            Reason::Death => "death",
            Reason::Partial10 => "partial_10",
            Reason::Partial30 => "partial_30",
        }
    }

    /// The reason with this stable identifier, if any.
    pub fn from_id(id: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|reason| reason.id() == id)
    }

    /// The message id of the label for the reason's event date ("Tanggal berhenti bekerja"), for the reasons
    /// that have an event.
    pub fn event_date_label_id(self) -> Option<&'static str> {
        match self {
            Reason::Resign => Some("event-date-resign"),
            Reason::Phk => Some("event-date-phk"),
            Reason::ContractEnd => Some("event-date-contract-end"),
            Reason::LeavingIndonesia => Some("event-date-leaving-indonesia"),
            Reason::TotalDisability => Some("event-date-total-disability"),
            Reason::Death => Some("event-date-death"),
            Reason::RetirementAge | Reason::Partial10 | Reason::Partial30 => None,
        }
    }
}

impl Translatable for Reason {
    fn message_id(&self) -> &'static str {
        match self {
            Reason::Resign => "reason-resign",
            Reason::Phk => "reason-phk",
            Reason::ContractEnd => "reason-contract-end",
            Reason::RetirementAge => "reason-retirement-age",
            Reason::LeavingIndonesia => "reason-leaving-indonesia",
            Reason::TotalDisability => "reason-total-disability",
            Reason::Death => "reason-death",
            Reason::Partial10 => "reason-partial-10",
            Reason::Partial30 => "reason-partial-30",
        }
    }
}

/// A document the kiosk photographs for a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Kartu peserta BPJS Ketenagakerjaan (KPJ card).
    KpjCard,
    /// The participant's e-KTP.
    Ektp,
    /// Kartu Keluarga.
    KartuKeluarga,
    /// The savings book page (buku tabungan) of the participant's own account.
    BankBook,
    /// A photo of the participant's face (swafoto).
    Selfie,
    /// Tax number card (NPWP), required above the configured balance.
    Npwp,
    /// Paklaring / surat keterangan berhenti bekerja.
    Paklaring,
    /// One proof of PHK (employer letter, bipartite agreement, manpower office receipt, court decision).
    PhkProof,
    /// Letter stating that the fixed-term contract ended.
    ContractEndLetter,
    /// Passport (leaving Indonesia).
    Passport,
    /// Statement of no longer working in Indonesia.
    NotWorkingStatement,
    /// Doctor's statement of total permanent disability.
    DoctorStatement,
    /// Death certificate.
    DeathCertificate,
    /// Heir certificate (surat keterangan ahli waris).
    HeirCertificate,
    /// The heir's (applicant's) e-KTP.
    ApplicantEktp,
    /// The heir's (applicant's) Kartu Keluarga.
    ApplicantKk,
    /// Employer's statement that the participant still works there (partial claims).
    StillWorkingStatement,
    /// Sale agreement (PPJB/AJB) or mortgage (KPR) documents.
    HousingDocument,
}

impl DocumentKind {
    /// Every document kind.
    pub const ALL: [DocumentKind; 18] = [
        DocumentKind::KpjCard,
        DocumentKind::Ektp,
        DocumentKind::KartuKeluarga,
        DocumentKind::BankBook,
        DocumentKind::Selfie,
        DocumentKind::Npwp,
        DocumentKind::Paklaring,
        DocumentKind::PhkProof,
        DocumentKind::ContractEndLetter,
        DocumentKind::Passport,
        DocumentKind::NotWorkingStatement,
        DocumentKind::DoctorStatement,
        DocumentKind::DeathCertificate,
        DocumentKind::HeirCertificate,
        DocumentKind::ApplicantEktp,
        DocumentKind::ApplicantKk,
        DocumentKind::StillWorkingStatement,
        DocumentKind::HousingDocument,
    ];

    /// The document kind with this stable identifier, if any.
    pub fn from_id(id: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|kind| kind.id() == id)
    }

    /// The stable identifier used in configuration, manifests, file names and message ids.
    pub fn id(self) -> &'static str {
        match self {
            DocumentKind::KpjCard => "kpj_card",
            DocumentKind::Ektp => "ektp",
            DocumentKind::KartuKeluarga => "kartu_keluarga",
            DocumentKind::BankBook => "bank_book",
            DocumentKind::Selfie => "selfie",
            DocumentKind::Npwp => "npwp",
            DocumentKind::Paklaring => "paklaring",
            DocumentKind::PhkProof => "phk_proof",
            DocumentKind::ContractEndLetter => "contract_end_letter",
            DocumentKind::Passport => "passport",
            DocumentKind::NotWorkingStatement => "not_working_statement",
            DocumentKind::DoctorStatement => "doctor_statement",
            DocumentKind::DeathCertificate => "death_certificate",
            DocumentKind::HeirCertificate => "heir_certificate",
            DocumentKind::ApplicantEktp => "applicant_ektp",
            DocumentKind::ApplicantKk => "applicant_kk",
            DocumentKind::StillWorkingStatement => "still_working_statement",
            DocumentKind::HousingDocument => "housing_document",
        }
    }

    /// Whether the document is an ID-1 sized card (aspect 1.586) rather than a page or a face.
    pub fn is_card(self) -> bool {
        matches!(
            self,
            DocumentKind::KpjCard
                | DocumentKind::Ektp
                | DocumentKind::Npwp
                | DocumentKind::ApplicantEktp
        )
    }
}

impl Translatable for DocumentKind {
    fn message_id(&self) -> &'static str {
        match self {
            DocumentKind::KpjCard => "doc-kpj-card",
            DocumentKind::Ektp => "doc-ektp",
            DocumentKind::KartuKeluarga => "doc-kartu-keluarga",
            DocumentKind::BankBook => "doc-bank-book",
            DocumentKind::Selfie => "doc-selfie",
            DocumentKind::Npwp => "doc-npwp",
            DocumentKind::Paklaring => "doc-paklaring",
            DocumentKind::PhkProof => "doc-phk-proof",
            DocumentKind::ContractEndLetter => "doc-contract-end-letter",
            DocumentKind::Passport => "doc-passport",
            DocumentKind::NotWorkingStatement => "doc-not-working-statement",
            DocumentKind::DoctorStatement => "doc-doctor-statement",
            DocumentKind::DeathCertificate => "doc-death-certificate",
            DocumentKind::HeirCertificate => "doc-heir-certificate",
            DocumentKind::ApplicantEktp => "doc-applicant-ektp",
            DocumentKind::ApplicantKk => "doc-applicant-kk",
            DocumentKind::StillWorkingStatement => "doc-still-working-statement",
            DocumentKind::HousingDocument => "doc-housing-document",
        }
    }
}

/// Sex as encoded in the NIK (women have 40 added to the day of birth).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Laki-laki.
    Male,
    /// Perempuan.
    Female,
}

impl Translatable for Sex {
    fn message_id(&self) -> &'static str {
        match self {
            Sex::Male => "sex-male",
            Sex::Female => "sex-female",
        }
    }
}

/// The participant's answers, as validated text. Held in memory only during a session; on disk it exists
/// only inside a sealed packet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimFields {
    /// The worker's NIK (16 digits).
    pub nik: String,
    /// The worker's KPJ (participant) number.
    pub kpj: String,
    /// The worker's full name as on the e-KTP.
    pub name: String,
    /// The worker's mother's maiden name (a security question on the F5 form).
    pub mother_maiden_name: String,
    /// Place of birth.
    #[serde(default)]
    pub place_of_birth: String,
    /// Date of birth, confirmed by the participant (pre-filled from the NIK).
    pub date_of_birth: Option<NaiveDate>,
    /// Sex, confirmed by the participant (pre-filled from the NIK).
    pub sex: Option<Sex>,
    /// Mobile phone number, normalised to `+628…`.
    pub phone: String,
    /// E-mail address, optional.
    #[serde(default)]
    pub email: String,
    /// Home address.
    #[serde(default)]
    pub address: String,
    /// NPWP (15 or 16 digits), when required or given.
    #[serde(default)]
    pub npwp: String,
    /// For a death claim: the heir who applies.
    #[serde(default)]
    pub applicant: Option<Applicant>,
}

/// The heir who claims for a deceased worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    /// The heir's NIK.
    pub nik: String,
    /// The heir's full name.
    pub name: String,
    /// How the heir is related to the worker.
    pub relationship: HeirRelationship,
}

/// Who may receive a deceased worker's JHT, in the order the law calls them (PP 46/2015 art. 26: the widow or
/// widower or children; failing them blood relatives up and down to the second degree, siblings, parents-in-law,
/// and whoever the worker named in a will). The packet carries the snake_case id; the Indonesian words of
/// earlier kiosk versions are still read, so no packet already sealed is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeirRelationship {
    /// Husband or wife (janda / duda).
    #[serde(alias = "pasangan")]
    Spouse,
    /// Son or daughter.
    #[serde(alias = "anak")]
    Child,
    /// Father or mother.
    #[serde(alias = "orang tua")]
    Parent,
    /// Grandfather or grandmother.
    Grandparent,
    /// Grandson or granddaughter.
    Grandchild,
    /// Brother or sister.
    #[serde(alias = "saudara kandung")]
    Sibling,
    /// Father- or mother-in-law.
    ParentInLaw,
    /// Named in the worker's will.
    NamedInWill,
}

impl HeirRelationship {
    /// Every relationship, in the order the law calls heirs.
    pub const ALL: [HeirRelationship; 8] = [
        HeirRelationship::Spouse,
        HeirRelationship::Child,
        HeirRelationship::Parent,
        HeirRelationship::Grandparent,
        HeirRelationship::Grandchild,
        HeirRelationship::Sibling,
        HeirRelationship::ParentInLaw,
        HeirRelationship::NamedInWill,
    ];
}

/// The bank account the money is paid to; it must be in the participant's own name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankAccount {
    /// The bank's transfer code from the bank table (e.g. "014" for BCA).
    pub bank_code: String,
    /// The account number, digits only.
    pub account_number: String,
    /// The account holder's name.
    pub holder: String,
}

/// The claim reason with the dates that decide eligibility.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonDetails {
    /// The reason.
    pub reason: Reason,
    /// The date of the event: resignation, PHK, contract end, departure, disability, death. Absent for
    /// retirement age (derived from the date of birth) and partial claims.
    #[serde(default)]
    pub event_date: Option<NaiveDate>,
    /// When membership began (for the partial claims' 10-year rule).
    #[serde(default)]
    pub membership_start: Option<NaiveDate>,
}

/// Every message the claim modules can produce (one example per variant), for the translation tests.
#[cfg(test)]
pub(crate) fn every_translatable() -> Vec<Box<dyn Translatable>> {
    let mut all: Vec<Box<dyn Translatable>> = Vec::new();
    for item in eligibility::every_variant() {
        all.push(Box::new(item));
    }
    for item in validate::FieldError::every_variant() {
        all.push(Box::new(item));
    }
    for item in validate::FieldWarning::every_variant() {
        all.push(Box::new(item));
    }
    for item in reference::ReferenceError::every_variant() {
        all.push(Box::new(item));
    }
    all.push(Box::new(rules::RuleNote::OnlyOnePartialClaim));
    for reason in Reason::ALL {
        if let Some(id) = reason.event_date_label_id() {
            all.push(Box::new(FixedMessage(id)));
        }
    }
    all
}

/// A message without arguments, by id (tests only).
#[cfg(test)]
struct FixedMessage(&'static str);

#[cfg(test)]
impl Translatable for FixedMessage {
    fn message_id(&self) -> &'static str {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_unique() {
        for reason in Reason::ALL {
            assert_eq!(Reason::from_id(reason.id()), Some(reason));
        }
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::from_id(kind.id()), Some(kind));
        }
        let mut ids: Vec<&str> = DocumentKind::ALL
            .iter()
            .map(|kind| kind.message_id())
            .collect();
        ids.extend(Reason::ALL.iter().map(|reason| reason.message_id()));
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count);
        assert_eq!(Reason::from_id("retired"), None);
    }

    #[test]
    fn heir_relationships_are_a_closed_set_that_still_reads_older_packets() {
        let applicant = |relationship: &str| {
            serde_json::from_str::<Applicant>(&format!(
                r#"{{"nik":"3174014505900002","name":"ANDI","relationship":"{relationship}"}}"#
            ))
        };
        for relationship in HeirRelationship::ALL {
            let written = serde_json::to_value(relationship).expect("serialise");
            let id = written.as_str().expect("a string id").to_owned();
            assert!(
                id.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{id}"
            );
            assert_eq!(
                applicant(&id).expect("reads back").relationship,
                relationship
            );
        }
        // The words earlier kiosk versions wrote.
        assert_eq!(
            applicant("anak").expect("old value").relationship,
            HeirRelationship::Child
        );
        assert_eq!(
            applicant("saudara kandung")
                .expect("old value")
                .relationship,
            HeirRelationship::Sibling
        );
        // Anything else is refused when the packet is opened.
        assert!(applicant("tetangga").is_err());
        assert!(applicant("").is_err());
    }
}
