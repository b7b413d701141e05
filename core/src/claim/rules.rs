//! The claim rules table: waiting periods, ages, membership years, the NPWP threshold and the documents each
//! reason needs. The shipped default is `kiosk-config/rules.toml` (every rule with its source); a kiosk can be
//! given a replacement without a new build.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};

use super::table_file::{TableReader, TableWarning};
use super::{DocumentKind, Reason};
use crate::i18n::Translatable;

pub use super::table_file::TableError as RulesError;

const EMBEDDED_RULES: &str = include_str!("../../../kiosk-config/rules.toml");

/// How "N months after" is counted when the day does not exist in the target month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingDay {
    /// The 1st of the following month (31 January + 1 month = 1 March).
    FirstOfNextMonth,
    /// The last day of the target month (31 January + 1 month = 28 or 29 February).
    LastOfMonth,
}

impl MissingDay {
    /// `date` plus `months` whole months, following this rule when the day does not exist.
    pub fn add_months(self, date: NaiveDate, months: u32) -> Option<NaiveDate> {
        let clamped = date.checked_add_months(Months::new(months))?;
        if clamped.day() == date.day() {
            return Some(clamped);
        }
        match self {
            MissingDay::LastOfMonth => Some(clamped),
            MissingDay::FirstOfNextMonth => clamped.succ_opt(),
        }
    }
}

/// Whether the kiosk asks for the date of the event behind a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventDate {
    /// The date must be given.
    Required,
    /// The date is asked for and checked when given.
    Optional,
    /// The date is not asked for.
    NotAsked,
}

/// The rule for one claim reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReasonRule {
    /// Whether the event date is asked for.
    pub event_date: EventDate,
    /// Whole months to wait after the event date.
    pub waiting_months: u32,
    /// Eligible only from the 1st of the month after the event date (after any waiting months).
    pub from_next_month: bool,
    /// Eligible from this birthday.
    pub min_age_years: Option<u32>,
    /// Eligible this many years after membership began.
    pub min_membership_years: Option<u32>,
    /// Show the note that only one partial claim is ever possible.
    pub only_one_partial_claim: bool,
    /// Documents besides the common set.
    pub documents: Vec<DocumentKind>,
}

/// A note the kiosk shows with a reason, so the participant is not surprised later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleNote {
    /// Only one partial claim (10 % or 30 %) is possible while a participant.
    OnlyOnePartialClaim,
}

impl Translatable for RuleNote {
    fn message_id(&self) -> &'static str {
        match self {
            RuleNote::OnlyOnePartialClaim => "note-only-one-partial-claim",
        }
    }
}

/// The claim rules, read from `rules.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesTable {
    missing_day: MissingDay,
    npwp_threshold_rupiah: u64,
    common_documents: Vec<DocumentKind>,
    reasons: BTreeMap<Reason, ReasonRule>,
    warnings: Vec<TableWarning>,
}

impl RulesTable {
    /// The rules shipped with the kiosk (`kiosk-config/rules.toml`, built in). Fails only if the shipped file
    /// is broken, which the test suite rules out.
    pub fn embedded_default() -> Result<RulesTable, RulesError> {
        RulesTable::from_toml_str(EMBEDDED_RULES, "built-in rules.toml")
    }

    /// Reads a rules table; errors name `origin`, the key and the reason. Unknown keys are collected in
    /// [`RulesTable::warnings`].
    pub fn from_toml_str(text: &str, origin: &str) -> Result<RulesTable, RulesError> {
        let (root, mut reader) = TableReader::parse(text, origin)?;
        reader.warn_unknown(&root, "", &["dates", "npwp", "documents", "reasons"]);

        let dates = reader.table(&root, "", "dates")?;
        reader.warn_unknown(dates, "dates", &["missing_day"]);
        let missing_day = match reader.string(dates, "dates", "missing_day")? {
            "first_of_next_month" => MissingDay::FirstOfNextMonth,
            "last_of_month" => MissingDay::LastOfMonth,
            other => {
                return Err(reader.invalid(
                    "dates",
                    "missing_day",
                    format!("must be \"first_of_next_month\" or \"last_of_month\", not {other:?}"),
                ));
            }
        };

        let npwp = reader.table(&root, "", "npwp")?;
        reader.warn_unknown(npwp, "npwp", &["threshold_rupiah"]);
        let threshold = reader.int(npwp, "npwp", "threshold_rupiah", 1..=i64::MAX)?;
        let npwp_threshold_rupiah = u64::try_from(threshold)
            .map_err(|_| reader.invalid("npwp", "threshold_rupiah", "must be above 0"))?;

        let documents = reader.table(&root, "", "documents")?;
        reader.warn_unknown(documents, "documents", &["common"]);
        let common_documents = document_list(&reader, documents, "documents", "common")?;

        let reasons_table = reader.table(&root, "", "reasons")?;
        let known_reasons: Vec<&str> = Reason::ALL.iter().map(|reason| reason.id()).collect();
        reader.warn_unknown(reasons_table, "reasons", &known_reasons);
        let mut reasons = BTreeMap::new();
        for reason in Reason::ALL {
            let path = format!("reasons.{}", reason.id());
            let table = reader.table(reasons_table, "reasons", reason.id())?;
            reasons.insert(reason, reason_rule(&mut reader, table, &path)?);
        }

        Ok(RulesTable {
            missing_day,
            npwp_threshold_rupiah,
            common_documents,
            reasons,
            warnings: reader.into_warnings(),
        })
    }

    /// Keys in the file that the kiosk does not know (ignored); show them to field staff.
    pub fn warnings(&self) -> &[TableWarning] {
        &self.warnings
    }

    /// How month arithmetic treats a day missing from the target month.
    pub fn missing_day(&self) -> MissingDay {
        self.missing_day
    }

    /// An NPWP is needed when the JHT balance is above this many rupiah.
    pub fn npwp_threshold_rupiah(&self) -> u64 {
        self.npwp_threshold_rupiah
    }

    /// Whether a claim with this JHT balance needs an NPWP.
    pub fn needs_npwp(&self, balance_rupiah: u64) -> bool {
        balance_rupiah > self.npwp_threshold_rupiah
    }

    /// The rule for `reason`. Every reason has one (the reader refuses a table without it).
    pub fn rule(&self, reason: Reason) -> Option<&ReasonRule> {
        self.reasons.get(&reason)
    }

    /// The notes to show with `reason`.
    pub fn notes_for(&self, reason: Reason) -> Vec<RuleNote> {
        match self.rule(reason) {
            Some(rule) if rule.only_one_partial_claim => vec![RuleNote::OnlyOnePartialClaim],
            _ => Vec::new(),
        }
    }

    /// The documents to photograph for `reason`, in the order the kiosk asks for them: the common set, the
    /// reason's own documents, the NPWP when needed, and the face photo last.
    pub fn documents_for(&self, reason: Reason, needs_npwp: bool) -> Vec<DocumentKind> {
        let mut documents: Vec<DocumentKind> = Vec::new();
        let mut add = |kind: DocumentKind| {
            if !documents.contains(&kind) {
                documents.push(kind);
            }
        };
        let is_selfie = |kind: &&DocumentKind| **kind == DocumentKind::Selfie;
        self.common_documents
            .iter()
            .filter(|kind| !is_selfie(kind))
            .for_each(|kind| add(*kind));
        if let Some(rule) = self.rule(reason) {
            rule.documents
                .iter()
                .filter(|kind| !is_selfie(kind))
                .for_each(|kind| add(*kind));
        }
        if needs_npwp {
            add(DocumentKind::Npwp);
        }
        let selfie_wanted = self.common_documents.contains(&DocumentKind::Selfie)
            || self
                .rule(reason)
                .is_some_and(|rule| rule.documents.contains(&DocumentKind::Selfie));
        if selfie_wanted {
            add(DocumentKind::Selfie);
        }
        documents
    }
}

fn reason_rule(
    reader: &mut TableReader,
    table: &toml::Table,
    path: &str,
) -> Result<ReasonRule, RulesError> {
    reader.warn_unknown(
        table,
        path,
        &[
            "event_date",
            "waiting_months",
            "from_next_month",
            "min_age_years",
            "min_membership_years",
            "only_one_partial_claim",
            "documents",
        ],
    );
    let event_date = match reader.string(table, path, "event_date")? {
        "required" => EventDate::Required,
        "optional" => EventDate::Optional,
        "none" => EventDate::NotAsked,
        other => {
            return Err(reader.invalid(
                path,
                "event_date",
                format!("must be \"required\", \"optional\" or \"none\", not {other:?}"),
            ));
        }
    };
    let small = |value: Option<i64>| value.and_then(|v| u32::try_from(v).ok());
    let waiting_months =
        small(reader.optional_int(table, path, "waiting_months", 0..=120)?).unwrap_or(0);
    let from_next_month = reader
        .optional_bool(table, path, "from_next_month")?
        .unwrap_or(false);
    let min_age_years = small(reader.optional_int(table, path, "min_age_years", 1..=100)?);
    let min_membership_years =
        small(reader.optional_int(table, path, "min_membership_years", 1..=60)?);
    let only_one_partial_claim = reader
        .optional_bool(table, path, "only_one_partial_claim")?
        .unwrap_or(false);
    let documents = document_list(reader, table, path, "documents")?;
    if event_date == EventDate::NotAsked && (waiting_months > 0 || from_next_month) {
        return Err(reader.invalid(
            path,
            "waiting_months",
            "a waiting period needs an event date: set event_date to \"required\" or \"optional\"",
        ));
    }
    Ok(ReasonRule {
        event_date,
        waiting_months,
        from_next_month,
        min_age_years,
        min_membership_years,
        only_one_partial_claim,
        documents,
    })
}

fn document_list(
    reader: &TableReader,
    table: &toml::Table,
    path: &str,
    key: &str,
) -> Result<Vec<DocumentKind>, RulesError> {
    reader
        .strings(table, path, key)?
        .into_iter()
        .map(|name| {
            DocumentKind::from_id(name).ok_or_else(|| {
                reader.invalid(
                    path,
                    key,
                    format!("unknown document {name:?} (see the list at the top of the file)"),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn embedded_rules_load_without_warnings() {
        let rules = RulesTable::embedded_default().unwrap();
        assert!(rules.warnings().is_empty(), "{:?}", rules.warnings());
        assert_eq!(rules.npwp_threshold_rupiah(), 50_000_000);
        assert_eq!(rules.missing_day(), MissingDay::FirstOfNextMonth);
        for reason in Reason::ALL {
            assert!(rules.rule(reason).is_some(), "{reason:?}");
        }
        let resign = rules.rule(Reason::Resign).unwrap();
        assert_eq!(
            (resign.event_date, resign.waiting_months),
            (EventDate::Required, 1)
        );
        assert_eq!(rules.rule(Reason::Phk).unwrap().waiting_months, 1);
        assert_eq!(
            rules.rule(Reason::RetirementAge).unwrap().min_age_years,
            Some(56)
        );
        for partial in [Reason::Partial10, Reason::Partial30] {
            assert_eq!(rules.rule(partial).unwrap().min_membership_years, Some(10));
            assert_eq!(
                rules.notes_for(partial),
                vec![RuleNote::OnlyOnePartialClaim]
            );
        }
        assert!(rules.notes_for(Reason::Resign).is_empty());
    }

    #[test]
    fn npwp_needed_only_above_the_threshold() {
        let rules = RulesTable::embedded_default().unwrap();
        assert!(!rules.needs_npwp(50_000_000));
        assert!(rules.needs_npwp(50_000_001));
    }

    #[test]
    fn documents_per_reason() {
        use DocumentKind::*;
        let rules = RulesTable::embedded_default().unwrap();
        let common = [KpjCard, Ektp, KartuKeluarga, BankBook];
        let expect = |own: &[DocumentKind], npwp: bool| {
            let mut all: Vec<DocumentKind> = common.to_vec();
            all.extend_from_slice(own);
            if npwp {
                all.push(Npwp);
            }
            all.push(Selfie);
            all
        };
        let table: [(Reason, &[DocumentKind]); 9] = [
            (Reason::Resign, &[Paklaring]),
            (Reason::Phk, &[PhkProof]),
            (Reason::ContractEnd, &[ContractEndLetter]),
            (Reason::RetirementAge, &[]),
            (Reason::LeavingIndonesia, &[Passport, NotWorkingStatement]),
            (Reason::TotalDisability, &[DoctorStatement]),
            (
                Reason::Death,
                &[
                    DeathCertificate,
                    HeirCertificate,
                    ApplicantEktp,
                    ApplicantKk,
                ],
            ),
            (Reason::Partial10, &[StillWorkingStatement]),
            (Reason::Partial30, &[StillWorkingStatement, HousingDocument]),
        ];
        for (reason, own) in table {
            assert_eq!(
                rules.documents_for(reason, false),
                expect(own, false),
                "{reason:?}"
            );
            assert_eq!(
                rules.documents_for(reason, true),
                expect(own, true),
                "{reason:?} with NPWP"
            );
        }
    }

    #[test]
    fn month_arithmetic_follows_the_missing_day_rule() {
        let first = MissingDay::FirstOfNextMonth;
        let last = MissingDay::LastOfMonth;
        assert_eq!(
            first.add_months(date(2027, 1, 31), 1),
            Some(date(2027, 3, 1))
        );
        assert_eq!(
            last.add_months(date(2027, 1, 31), 1),
            Some(date(2027, 2, 28))
        );
        assert_eq!(
            last.add_months(date(2028, 1, 31), 1),
            Some(date(2028, 2, 29))
        );
        assert_eq!(
            first.add_months(date(2028, 1, 30), 1),
            Some(date(2028, 3, 1))
        );
        assert_eq!(
            first.add_months(date(2027, 3, 31), 1),
            Some(date(2027, 5, 1))
        );
        assert_eq!(
            first.add_months(date(2027, 1, 15), 1),
            Some(date(2027, 2, 15))
        );
        assert_eq!(
            first.add_months(date(2026, 12, 31), 1),
            Some(date(2027, 1, 31))
        );
        assert_eq!(
            first.add_months(date(1968, 2, 29), 56 * 12),
            Some(date(2024, 2, 29))
        );
        assert_eq!(
            first.add_months(date(1972, 2, 29), 56 * 12),
            Some(date(2028, 2, 29))
        );
        assert_eq!(
            first.add_months(date(1971, 2, 28), 56 * 12),
            Some(date(2027, 2, 28))
        );
        assert_eq!(
            first.add_months(date(1980, 2, 29), 56 * 12),
            Some(date(2036, 2, 29))
        );
        assert_eq!(
            first.add_months(date(1969, 2, 28), 56 * 12),
            Some(date(2025, 2, 28))
        );
        assert_eq!(
            first.add_months(date(1970, 2, 28), 56 * 12),
            Some(date(2026, 2, 28))
        );
        assert_eq!(
            first.add_months(date(2016, 2, 29), 10 * 12),
            Some(date(2026, 3, 1))
        );
        assert_eq!(
            last.add_months(date(2016, 2, 29), 10 * 12),
            Some(date(2026, 2, 28))
        );
    }

    fn replace(from: &str, to: &str) -> String {
        assert!(EMBEDDED_RULES.contains(from), "{from}");
        EMBEDDED_RULES.replacen(from, to, 1)
    }

    #[test]
    fn errors_name_origin_key_and_reason() {
        let text = replace(
            "waiting_months = 1\ndocuments = [\"paklaring\"]",
            "waiting_months = \"satu\"",
        );
        let error = RulesTable::from_toml_str(&text, "/etc/lapak/rules.toml").unwrap_err();
        assert_eq!(
            error.to_string(),
            "/etc/lapak/rules.toml: reasons.resign.waiting_months: must be a whole number from 0 to 120"
        );

        let text = replace("\"phk_proof\"", "\"phk_letter\"");
        let error = RulesTable::from_toml_str(&text, "rules.toml").unwrap_err();
        assert!(
            matches!(&error, RulesError::Invalid { key, .. } if key == "reasons.phk.documents"),
            "{error}"
        );
        assert!(error.to_string().contains("\"phk_letter\""));

        let text = replace("[reasons.death]", "[reasons.dead]");
        let error = RulesTable::from_toml_str(&text, "rules.toml").unwrap_err();
        assert_eq!(error.to_string(), "rules.toml: reasons.death is missing");

        let text = replace(
            "missing_day = \"first_of_next_month\"",
            "missing_day = \"round\"",
        );
        let error = RulesTable::from_toml_str(&text, "rules.toml").unwrap_err();
        assert!(matches!(&error, RulesError::Invalid { key, .. } if key == "dates.missing_day"));

        let text = replace("threshold_rupiah = 50_000_000", "threshold_rupiah = 0");
        let error = RulesTable::from_toml_str(&text, "rules.toml").unwrap_err();
        assert!(
            matches!(&error, RulesError::Invalid { key, .. } if key == "npwp.threshold_rupiah")
        );

        let error = RulesTable::from_toml_str("[dates\n", "rules.toml").unwrap_err();
        assert!(matches!(&error, RulesError::Syntax { origin, .. } if origin == "rules.toml"));
        assert!(
            error
                .to_string()
                .starts_with("rules.toml: not valid TOML: line 1, column 7: "),
            "{error}"
        );
        let error = RulesTable::from_toml_str("# é\n[dates]\nmissing_day = first\n", "rules.toml")
            .unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("rules.toml: not valid TOML: line 3, column 15: "),
            "{error}"
        );
    }

    #[test]
    fn waiting_without_event_date_is_refused() {
        let text = replace(
            "event_date = \"none\"\nmin_age_years = 56",
            "event_date = \"none\"\nwaiting_months = 2",
        );
        let error = RulesTable::from_toml_str(&text, "rules.toml").unwrap_err();
        assert!(
            matches!(&error, RulesError::Invalid { key, .. } if key == "reasons.retirement_age.waiting_months")
        );
    }

    #[test]
    fn unknown_keys_are_warnings_and_values_are_honoured() {
        let text = replace(
            "waiting_months = 1\ndocuments = [\"paklaring\"]",
            "waiting_months = 3\nwaitng = 2\ndocuments = []",
        );
        let text = format!("colour = \"blue\"\n{text}");
        let rules = RulesTable::from_toml_str(&text, "rules.toml").unwrap();
        let keys: Vec<&str> = rules.warnings().iter().map(|w| w.key.as_str()).collect();
        assert_eq!(keys, vec!["colour", "reasons.resign.waitng"]);
        assert_eq!(
            rules.warnings()[0].to_string(),
            "rules.toml: unknown key colour (ignored)"
        );
        assert_eq!(rules.rule(Reason::Resign).unwrap().waiting_months, 3);
        assert!(
            !rules
                .documents_for(Reason::Resign, false)
                .contains(&DocumentKind::Paklaring)
        );
    }
}
