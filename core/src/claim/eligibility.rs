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
mod tests;
