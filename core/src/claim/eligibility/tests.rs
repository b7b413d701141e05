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
    let text = include_str!("../../../../kiosk-config/rules.toml").replace(
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
    let text = include_str!("../../../../kiosk-config/rules.toml").replacen(
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
    let text = include_str!("../../../../kiosk-config/rules.toml")
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
    let text = include_str!("../../../../kiosk-config/rules.toml").replacen(
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
