//! The claim itself: what a participant tells the kiosk, and the rules that decide whether it may be paid.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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

/// Sex as encoded in the NIK (women have 40 added to the day of birth).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Laki-laki.
    Male,
    /// Perempuan.
    Female,
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    /// The heir's NIK.
    pub nik: String,
    /// The heir's full name.
    pub name: String,
    /// Relationship to the worker (e.g. "istri", "anak").
    pub relationship: String,
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
