//! Whether a claim may be paid today, and if not, from which date and why.
//!
//! The check reads the dates the participant gave and the [`RulesTable`]; `today` is a parameter, so the
//! answer is the same in tests as on the kiosk.

use chrono::{Datelike, NaiveDate};

use super::rules::{EventDate, MissingDay, RulesTable};
use super::{Reason, ReasonDetails};
use crate::i18n::{MessageArg, Translatable};

/// A date the check needs but was not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingField {
    /// The date of the event behind the reason (resignation, PHK, contract end, ...).
    EventDate(Reason),
    /// The participant's date of birth (retirement age).
    DateOfBirth,
    /// The date membership began (partial claims).
    MembershipStart,
    /// The rules table has no rule for this reason.
    Rule(Reason),
}

/// Why a claim cannot be paid yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotYetReason {
    /// The waiting period after the event (resignation, PHK) has not passed.
    WaitingPeriod {
        /// The claim reason (decides how the event is named).
        reason: Reason,
        /// The waiting period in months.
        months: u32,
    },
    /// The right counts from the month after the event (total disability).
    FromNextMonth {
        /// The claim reason.
        reason: Reason,
    },
    /// The event date is still in the future.
    EventNotYet {
        /// The claim reason.
        reason: Reason,
    },
    /// The participant has not reached the retirement age.
    RetirementAge {
        /// The age in years.
        years: u32,
    },
    /// Membership is shorter than a partial claim needs.
    MembershipYears {
        /// The years of membership needed.
        years: u32,
    },
}

/// The answer of [`check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Eligibility {
    /// The claim may be made today.
    Eligible,
    /// The claim may be made from `from`.
    NotYet {
        /// The first day the claim may be made.
        from: NaiveDate,
        /// What it waits for (the latest of the rules that apply).
        because: NotYetReason,
    },
    /// A date the check needs is missing.
    Missing(MissingField),
}

impl Eligibility {
    /// Whether the claim may be made today.
    pub fn is_eligible(&self) -> bool {
        matches!(self, Eligibility::Eligible)
    }
}

/// Decides whether the claim described by `details` may be made on `today`.
pub fn check(
    rules: &RulesTable,
    details: &ReasonDetails,
    date_of_birth: Option<NaiveDate>,
    today: NaiveDate,
) -> Eligibility {
    let reason = details.reason;
    let Some(rule) = rules.rule(reason) else {
        return Eligibility::Missing(MissingField::Rule(reason));
    };
    let missing_day = rules.missing_day();
    // Each rule that applies gives the first day it allows; the claim waits for the latest of them.
    let mut constraints: Vec<(NaiveDate, NotYetReason)> = Vec::new();

    match (rule.event_date, details.event_date) {
        (EventDate::Required, None) => {
            return Eligibility::Missing(MissingField::EventDate(reason));
        }
        (EventDate::Required | EventDate::Optional, Some(event)) => {
            let mut from = add_months(missing_day, event, rule.waiting_months);
            let mut because = if rule.waiting_months > 0 {
                NotYetReason::WaitingPeriod {
                    reason,
                    months: rule.waiting_months,
                }
            } else {
                NotYetReason::EventNotYet { reason }
            };
            if rule.from_next_month {
                from = first_of_next_month(from);
                because = NotYetReason::FromNextMonth { reason };
            }
            constraints.push((from, because));
        }
        (EventDate::Optional | EventDate::NotAsked, None) | (EventDate::NotAsked, Some(_)) => {}
    }

    if let Some(years) = rule.min_age_years {
        let Some(birth) = date_of_birth else {
            return Eligibility::Missing(MissingField::DateOfBirth);
        };
        constraints.push((
            add_months(missing_day, birth, years * 12),
            NotYetReason::RetirementAge { years },
        ));
    }

    if let Some(years) = rule.min_membership_years {
        let Some(start) = details.membership_start else {
            return Eligibility::Missing(MissingField::MembershipStart);
        };
        constraints.push((
            add_months(missing_day, start, years * 12),
            NotYetReason::MembershipYears { years },
        ));
    }

    match constraints.into_iter().max_by_key(|(from, _)| *from) {
        Some((from, because)) if from > today => Eligibility::NotYet { from, because },
        _ => Eligibility::Eligible,
    }
}

/// `date` + `months`; a date beyond the calendar's end is treated as never reached.
fn add_months(rule: MissingDay, date: NaiveDate, months: u32) -> NaiveDate {
    rule.add_months(date, months).unwrap_or(NaiveDate::MAX)
}

fn first_of_next_month(date: NaiveDate) -> NaiveDate {
    let (year, month) = if date.month() == 12 {
        (date.year() + 1, 1)
    } else {
        (date.year(), date.month() + 1)
    };
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MAX)
}

impl Translatable for Eligibility {
    fn message_id(&self) -> &'static str {
        match self {
            Eligibility::Eligible => "eligibility-eligible",
            Eligibility::NotYet { because, .. } => match because {
                NotYetReason::WaitingPeriod { .. } => "eligibility-waiting-period",
                NotYetReason::FromNextMonth { .. } => "eligibility-from-next-month",
                NotYetReason::EventNotYet { .. } => "eligibility-event-not-yet",
                NotYetReason::RetirementAge { .. } => "eligibility-retirement-age",
                NotYetReason::MembershipYears { .. } => "eligibility-membership-years",
            },
            Eligibility::Missing(field) => match field {
                MissingField::EventDate(_) => "eligibility-missing-event-date",
                MissingField::DateOfBirth => "eligibility-missing-date-of-birth",
                MissingField::MembershipStart => "eligibility-missing-membership-start",
                MissingField::Rule(_) => "eligibility-missing-rule",
            },
        }
    }

    fn message_args(&self) -> Vec<(&'static str, MessageArg)> {
        match self {
            Eligibility::Eligible => Vec::new(),
            Eligibility::NotYet { from, because } => {
                let mut args = vec![("date", MessageArg::Date(*from))];
                match because {
                    NotYetReason::WaitingPeriod { reason, months } => {
                        args.push(("reason", reason.id().into()));
                        args.push(("months", (*months).into()));
                    }
                    NotYetReason::FromNextMonth { reason }
                    | NotYetReason::EventNotYet { reason } => {
                        args.push(("reason", reason.id().into()));
                    }
                    NotYetReason::RetirementAge { years }
                    | NotYetReason::MembershipYears { years } => {
                        args.push(("years", (*years).into()));
                    }
                }
                args
            }
            Eligibility::Missing(MissingField::EventDate(reason) | MissingField::Rule(reason)) => {
                vec![("reason", reason.id().into())]
            }
            Eligibility::Missing(MissingField::DateOfBirth | MissingField::MembershipStart) => {
                Vec::new()
            }
        }
    }
}

/// One example of every answer, for the translation tests.
#[cfg(test)]
pub(crate) fn every_variant() -> Vec<Eligibility> {
    let from = NaiveDate::from_ymd_opt(2027, 1, 12).unwrap();
    let mut all = vec![
        Eligibility::Eligible,
        Eligibility::Missing(MissingField::DateOfBirth),
        Eligibility::Missing(MissingField::MembershipStart),
        Eligibility::NotYet {
            from,
            because: NotYetReason::RetirementAge { years: 56 },
        },
        Eligibility::NotYet {
            from,
            because: NotYetReason::MembershipYears { years: 10 },
        },
    ];
    for reason in Reason::ALL {
        all.push(Eligibility::Missing(MissingField::EventDate(reason)));
        all.push(Eligibility::Missing(MissingField::Rule(reason)));
        for because in [
            NotYetReason::WaitingPeriod { reason, months: 1 },
            NotYetReason::WaitingPeriod { reason, months: 3 },
            NotYetReason::FromNextMonth { reason },
            NotYetReason::EventNotYet { reason },
        ] {
            all.push(Eligibility::NotYet { from, because });
        }
    }
    // A new variant must be added above: this match has no catch-all.
    for item in &all {
        match item {
            Eligibility::Eligible
            | Eligibility::Missing(
                MissingField::EventDate(_)
                | MissingField::DateOfBirth
                | MissingField::MembershipStart
                | MissingField::Rule(_),
            )
            | Eligibility::NotYet {
                because:
                    NotYetReason::WaitingPeriod { .. }
                    | NotYetReason::FromNextMonth { .. }
                    | NotYetReason::EventNotYet { .. }
                    | NotYetReason::RetirementAge { .. }
                    | NotYetReason::MembershipYears { .. },
                ..
            } => {}
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Language, Translator};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn rules() -> RulesTable {
        RulesTable::embedded_default().unwrap()
    }

    fn event(reason: Reason, event: NaiveDate) -> ReasonDetails {
        ReasonDetails {
            reason,
            event_date: Some(event),
            membership_start: None,
        }
    }

    fn not_yet(from: NaiveDate, because: NotYetReason) -> Eligibility {
        Eligibility::NotYet { from, because }
    }

    #[test]
    fn resign_and_phk_wait_one_month_after_the_event() {
        let rules = rules();
        for reason in [Reason::Resign, Reason::Phk] {
            let waiting = NotYetReason::WaitingPeriod { reason, months: 1 };
            // (event date, today, expected)
            let cases = [
                (
                    date(2026, 12, 12),
                    date(2027, 1, 11),
                    not_yet(date(2027, 1, 12), waiting),
                ),
                (date(2026, 12, 12), date(2027, 1, 12), Eligibility::Eligible),
                (
                    date(2026, 12, 12),
                    date(2026, 12, 12),
                    not_yet(date(2027, 1, 12), waiting),
                ),
                (
                    date(2027, 1, 31),
                    date(2027, 2, 28),
                    not_yet(date(2027, 3, 1), waiting),
                ),
                (date(2027, 1, 31), date(2027, 3, 1), Eligibility::Eligible),
                (
                    date(2028, 1, 31),
                    date(2028, 2, 29),
                    not_yet(date(2028, 3, 1), waiting),
                ),
                (
                    date(2028, 1, 29),
                    date(2028, 2, 28),
                    not_yet(date(2028, 2, 29), waiting),
                ),
                (date(2028, 1, 29), date(2028, 2, 29), Eligibility::Eligible),
                (
                    date(2027, 3, 31),
                    date(2027, 4, 30),
                    not_yet(date(2027, 5, 1), waiting),
                ),
                (
                    date(2026, 12, 31),
                    date(2027, 1, 30),
                    not_yet(date(2027, 1, 31), waiting),
                ),
                (date(2026, 12, 31), date(2027, 1, 31), Eligibility::Eligible),
                (
                    date(2027, 6, 1),
                    date(2027, 5, 20),
                    not_yet(date(2027, 7, 1), waiting),
                ),
            ];
            for (event_date, today, expected) in cases {
                assert_eq!(
                    check(&rules, &event(reason, event_date), None, today),
                    expected,
                    "{reason:?} event {event_date} today {today}"
                );
            }
            let no_date = ReasonDetails {
                reason,
                event_date: None,
                membership_start: None,
            };
            assert_eq!(
                check(&rules, &no_date, None, date(2027, 1, 1)),
                Eligibility::Missing(MissingField::EventDate(reason))
            );
        }
    }

    #[test]
    fn last_of_month_rule_clamps_instead() {
        let text = include_str!("../../../kiosk-config/rules.toml").replace(
            "missing_day = \"first_of_next_month\"",
            "missing_day = \"last_of_month\"",
        );
        let rules = RulesTable::from_toml_str(&text, "rules.toml").unwrap();
        let details = event(Reason::Resign, date(2027, 1, 31));
        assert_eq!(
            check(&rules, &details, None, date(2027, 2, 28)),
            Eligibility::Eligible
        );
        assert_eq!(
            check(&rules, &details, None, date(2027, 2, 27)),
            not_yet(
                date(2027, 2, 28),
                NotYetReason::WaitingPeriod {
                    reason: Reason::Resign,
                    months: 1
                }
            )
        );
    }

    #[test]
    fn events_without_waiting_count_from_the_event_date() {
        let rules = rules();
        for reason in [Reason::ContractEnd, Reason::Death] {
            let details = event(reason, date(2027, 5, 10));
            assert_eq!(
                check(&rules, &details, None, date(2027, 5, 9)),
                not_yet(date(2027, 5, 10), NotYetReason::EventNotYet { reason })
            );
            assert_eq!(
                check(&rules, &details, None, date(2027, 5, 10)),
                Eligibility::Eligible
            );
            let no_date = ReasonDetails {
                event_date: None,
                ..details
            };
            assert_eq!(
                check(&rules, &no_date, None, date(2027, 5, 10)),
                Eligibility::Missing(MissingField::EventDate(reason))
            );
        }
    }

    #[test]
    fn leaving_indonesia_may_be_claimed_before_departure() {
        let rules = rules();
        let reason = Reason::LeavingIndonesia;
        let no_date = ReasonDetails {
            reason,
            event_date: None,
            membership_start: None,
        };
        assert_eq!(
            check(&rules, &no_date, None, date(2027, 1, 1)),
            Eligibility::Eligible
        );
        // Paid before or after departure: a departure date still to come does not hold the claim back.
        assert_eq!(
            check(
                &rules,
                &event(reason, date(2027, 6, 1)),
                None,
                date(2027, 1, 1)
            ),
            Eligibility::Eligible
        );
    }

    #[test]
    fn an_optional_event_date_is_checked_only_when_given() {
        let text = include_str!("../../../kiosk-config/rules.toml").replacen(
            "event_date = \"required\"\nwaiting_months = 1",
            "event_date = \"optional\"\nwaiting_months = 1",
            1,
        );
        let rules = RulesTable::from_toml_str(&text, "rules.toml").unwrap();
        let reason = Reason::Resign;
        let no_date = ReasonDetails {
            reason,
            event_date: None,
            membership_start: None,
        };
        assert_eq!(
            check(&rules, &no_date, None, date(2027, 1, 1)),
            Eligibility::Eligible
        );
        assert_eq!(
            check(
                &rules,
                &event(reason, date(2026, 12, 20)),
                None,
                date(2027, 1, 1)
            ),
            not_yet(
                date(2027, 1, 20),
                NotYetReason::WaitingPeriod { reason, months: 1 }
            )
        );
    }

    #[test]
    fn total_disability_counts_from_the_next_month() {
        let rules = rules();
        let reason = Reason::TotalDisability;
        let because = NotYetReason::FromNextMonth { reason };
        let cases = [
            (
                date(2027, 3, 15),
                date(2027, 3, 31),
                not_yet(date(2027, 4, 1), because),
            ),
            (date(2027, 3, 15), date(2027, 4, 1), Eligibility::Eligible),
            (
                date(2027, 3, 1),
                date(2027, 3, 1),
                not_yet(date(2027, 4, 1), because),
            ),
            (
                date(2027, 12, 31),
                date(2027, 12, 31),
                not_yet(date(2028, 1, 1), because),
            ),
            (date(2027, 12, 31), date(2028, 1, 1), Eligibility::Eligible),
        ];
        for (event_date, today, expected) in cases {
            assert_eq!(
                check(&rules, &event(reason, event_date), None, today),
                expected,
                "{event_date} {today}"
            );
        }
    }

    #[test]
    fn retirement_age_from_the_56th_birthday() {
        let rules = rules();
        let details = ReasonDetails {
            reason: Reason::RetirementAge,
            event_date: None,
            membership_start: None,
        };
        let age = NotYetReason::RetirementAge { years: 56 };
        let cases = [
            (
                date(1971, 1, 12),
                date(2027, 1, 11),
                not_yet(date(2027, 1, 12), age),
            ),
            (date(1971, 1, 12), date(2027, 1, 12), Eligibility::Eligible),
            (date(1971, 1, 12), date(2030, 6, 1), Eligibility::Eligible),
            (
                date(1972, 2, 29),
                date(2028, 2, 28),
                not_yet(date(2028, 2, 29), age),
            ),
            (date(1972, 2, 29), date(2028, 2, 29), Eligibility::Eligible),
            (
                date(1976, 2, 29),
                date(2032, 2, 28),
                not_yet(date(2032, 2, 29), age),
            ),
            // 56 years after a leap year is again a leap year (until 2100).
            (
                date(1968, 2, 29),
                date(2024, 2, 28),
                not_yet(date(2024, 2, 29), age),
            ),
            (date(1964, 2, 29), date(2020, 2, 29), Eligibility::Eligible),
            (
                date(1980, 2, 29),
                date(2036, 2, 28),
                not_yet(date(2036, 2, 29), age),
            ),
            (
                date(1971, 2, 28),
                date(2027, 2, 27),
                not_yet(date(2027, 2, 28), age),
            ),
        ];
        for (birth, today, expected) in cases {
            assert_eq!(
                check(&rules, &details, Some(birth), today),
                expected,
                "born {birth} today {today}"
            );
        }
        // With age 55, a leap-day birthday's anniversary falls in a common year: from 1 March.
        let text = include_str!("../../../kiosk-config/rules.toml")
            .replace("min_age_years = 56", "min_age_years = 55");
        let rules55 = RulesTable::from_toml_str(&text, "rules.toml").unwrap();
        let age55 = NotYetReason::RetirementAge { years: 55 };
        assert_eq!(
            check(
                &rules55,
                &details,
                Some(date(1972, 2, 29)),
                date(2027, 2, 28)
            ),
            not_yet(date(2027, 3, 1), age55)
        );
        assert_eq!(
            check(
                &rules55,
                &details,
                Some(date(1972, 2, 29)),
                date(2027, 3, 1)
            ),
            Eligibility::Eligible
        );
        assert_eq!(
            check(&rules, &details, None, date(2027, 1, 1)),
            Eligibility::Missing(MissingField::DateOfBirth)
        );
    }

    #[test]
    fn partial_claims_need_ten_years_of_membership() {
        let rules = rules();
        let years = NotYetReason::MembershipYears { years: 10 };
        for reason in [Reason::Partial10, Reason::Partial30] {
            let details = |start: NaiveDate| ReasonDetails {
                reason,
                event_date: None,
                membership_start: Some(start),
            };
            let cases = [
                (
                    date(2017, 1, 12),
                    date(2027, 1, 11),
                    not_yet(date(2027, 1, 12), years),
                ),
                (date(2017, 1, 12), date(2027, 1, 12), Eligibility::Eligible),
                (
                    date(2016, 2, 29),
                    date(2026, 2, 28),
                    not_yet(date(2026, 3, 1), years),
                ),
                (date(2016, 2, 29), date(2026, 3, 1), Eligibility::Eligible),
                (
                    date(2020, 5, 5),
                    date(2027, 1, 1),
                    not_yet(date(2030, 5, 5), years),
                ),
            ];
            for (start, today, expected) in cases {
                assert_eq!(
                    check(&rules, &details(start), None, today),
                    expected,
                    "{reason:?} {start} {today}"
                );
            }
            let no_start = ReasonDetails {
                reason,
                event_date: None,
                membership_start: None,
            };
            assert_eq!(
                check(&rules, &no_start, None, date(2027, 1, 1)),
                Eligibility::Missing(MissingField::MembershipStart)
            );
        }
    }

    #[test]
    fn the_latest_rule_decides() {
        // A table where resignation also needs age 40: the later of the two dates is given.
        let text = include_str!("../../../kiosk-config/rules.toml").replacen(
            "waiting_months = 1\n",
            "waiting_months = 1\nmin_age_years = 40\n",
            1,
        );
        let rules = RulesTable::from_toml_str(&text, "rules.toml").unwrap();
        let details = event(Reason::Resign, date(2027, 1, 10));
        assert_eq!(
            check(&rules, &details, Some(date(1990, 6, 1)), date(2027, 2, 15)),
            not_yet(date(2030, 6, 1), NotYetReason::RetirementAge { years: 40 })
        );
        assert_eq!(
            check(&rules, &details, Some(date(1980, 6, 1)), date(2027, 2, 1)),
            not_yet(
                date(2027, 2, 10),
                NotYetReason::WaitingPeriod {
                    reason: Reason::Resign,
                    months: 1
                }
            )
        );
    }

    #[test]
    fn plain_language_answer() {
        let answer = check(
            &rules(),
            &event(Reason::Resign, date(2026, 12, 12)),
            None,
            date(2026, 12, 20),
        );
        let id = Translator::new(Language::Id).message(&answer);
        assert_eq!(
            id,
            "Belum bisa: bisa diajukan mulai 12 Januari 2027 karena harus menunggu 1 bulan setelah tanggal berhenti bekerja."
        );
        let en = Translator::new(Language::En).message(&answer);
        assert_eq!(
            en,
            "Not yet: you can claim from 12 January 2027, because you must wait 1 month after the day you stopped working."
        );
        let phk = check(
            &rules(),
            &event(Reason::Phk, date(2026, 12, 12)),
            None,
            date(2026, 12, 20),
        );
        assert!(
            Translator::new(Language::Id)
                .message(&phk)
                .ends_with("setelah tanggal PHK.")
        );
    }
}
