//! The contact screen's questions, answered as the participant would.

use super::*;
use crate::claim::ReasonDetails;
use crate::ui::context::test_context;

fn draft_for(reason: Reason) -> Draft {
    Draft {
        reason: Some(ReasonDetails {
            reason,
            event_date: chrono::NaiveDate::from_ymd_opt(2026, 8, 1),
            membership_start: None,
        }),
        ..Draft::default()
    }
}

fn type_text(screen: &mut Contact, text: &str) {
    for c in text.chars() {
        let key = if c == ' ' { Key::Space } else { Key::Char(c) };
        assert_eq!(
            screen.update(Message::KeyPressed(key), &test_context()),
            Action::None
        );
    }
}

#[test]
fn a_death_claim_asks_the_heir_first_and_records_them() {
    let mut screen = Contact::new(&draft_for(Reason::Death));
    assert_eq!(screen.step(), Step::HeirNik);
    type_text(&mut screen, "3174014505900002");
    screen.update(Message::Next, &test_context());
    assert_eq!(screen.step(), Step::HeirName);
    type_text(&mut screen, "ANDI");
    screen.update(Message::Next, &test_context());
    assert_eq!(screen.step(), Step::HeirRelationship);
    screen.update(
        Message::Relationship(HeirRelationship::Child),
        &test_context(),
    );
    assert_eq!(screen.step(), Step::Phone);
    type_text(&mut screen, "1234567890");
    screen.update(Message::Next, &test_context());
    let Action::Record(
        Change::Contact {
            applicant: Some(applicant),
            phone,
            ..
        },
        Target::Bank,
    ) = screen.update(Message::BalanceAbove(false), &test_context())
    else {
        panic!("the heir was not recorded");
    };
    assert_eq!(applicant.nik, "3174014505900002");
    assert_eq!(applicant.name, "ANDI");
    assert_eq!(applicant.relationship, HeirRelationship::Child);
    assert_eq!(phone, "+6281234567890");
}

#[test]
fn the_email_keyboard_fits_under_the_question_with_full_height_keys() {
    let mut screen = Contact::new(&draft_for(Reason::Resign));
    type_text(&mut screen, "1234567890");
    screen.update(Message::AddEmail, &test_context());
    assert_eq!(screen.step(), Step::Email);
    let t = crate::i18n::Translator::new(crate::i18n::Language::Id);
    // The body of a 1280x800 window: under the 88-pixel header, inside 32 pixels of padding.
    let body = iced::Size::new(1280.0 - 64.0, 800.0 - 88.0 - 64.0);
    let mut ui =
        iced_test::Simulator::with_size(theme::settings(), body, screen.view(&test_context()));
    let labels = [
        "1".to_owned(),
        "Q".to_owned(),
        "Z".to_owned(),
        t.tr("ui-key-clear"),
        t.tr("ui-key-erase"),
    ];
    let mut bottoms = Vec::new();
    for label in labels {
        let key = ui.find(label.as_str()).unwrap();
        let bounds = key.bounds();
        // The label fills its key inside the button's 5-pixel padding.
        assert!(
            bounds.height >= theme::TOUCH - 10.0,
            "{label:?} is squeezed: {bounds:?}"
        );
        let visible = key.visible_bounds().unwrap();
        assert!(
            visible.height >= bounds.height - 0.5 && visible.width >= bounds.width - 0.5,
            "{label:?} is clipped: {visible:?} of {bounds:?}"
        );
        bottoms.push(bounds.y + bounds.height);
    }
    let navigation = ui.find(t.tr("ui-contact-no-email").as_str()).unwrap();
    let lowest_key = bottoms.into_iter().fold(0.0, f32::max);
    assert!(lowest_key + theme::GAP <= navigation.bounds().y + 1.0);
}

#[test]
fn a_balance_above_the_threshold_needs_a_valid_npwp() {
    let mut screen = Contact::new(&draft_for(Reason::Resign));
    assert_eq!(screen.step(), Step::Phone);
    type_text(&mut screen, "1234567890");
    screen.update(Message::Next, &test_context());
    assert_eq!(screen.step(), Step::Balance);
    screen.update(Message::BalanceAbove(true), &test_context());
    assert_eq!(screen.step(), Step::Npwp);
    type_text(&mut screen, "01234567890123");
    // 14 digits: not an NPWP yet.
    assert_eq!(screen.update(Message::Next, &test_context()), Action::None);
    type_text(&mut screen, "4");
    let Action::Record(
        Change::Contact {
            applicant,
            balance_above_npwp_threshold,
            npwp,
            ..
        },
        Target::Bank,
    ) = screen.update(Message::Next, &test_context())
    else {
        panic!("a valid NPWP was not recorded");
    };
    assert!(applicant.is_none());
    assert!(balance_above_npwp_threshold);
    assert_eq!(npwp, "012345678901234");
}

fn recorded_contact(action: Action<Message>) -> (String, String) {
    match action {
        Action::Record(Change::Contact { phone, email, .. }, Target::Bank) => (phone, email),
        other => panic!("the contact answers were not recorded: {other:?}"),
    }
}

#[test]
fn the_phone_field_starts_with_08_and_a_62_number_typed_over_it_is_still_accepted() {
    let mut screen = Contact::new(&draft_for(Reason::Resign));
    assert_eq!(screen.phone, "08");
    type_text(&mut screen, "1234567890");
    screen.update(Message::Next, &test_context());
    let (phone, _) = recorded_contact(screen.update(Message::BalanceAbove(false), &test_context()));
    assert_eq!(phone, "+6281234567890");
    // The "08" can be erased: an international "62…" number goes through today's validation.
    let mut screen = Contact::new(&draft_for(Reason::Resign));
    screen.update(Message::KeyPressed(Key::Clear), &test_context());
    assert_eq!(screen.phone, "");
    type_text(&mut screen, "6281234567890");
    screen.update(Message::Next, &test_context());
    assert_eq!(screen.step(), Step::Balance);
    let (phone, _) = recorded_contact(screen.update(Message::BalanceAbove(false), &test_context()));
    assert_eq!(phone, "+6281234567890");
    // Coming back from the review shows the number given, not "08" again.
    let draft = Draft {
        fields: crate::claim::ClaimFields {
            phone: "+6285712345678".to_owned(),
            ..Default::default()
        },
        ..draft_for(Reason::Resign)
    };
    assert_eq!(Contact::new(&draft).phone, "085712345678");
}

#[test]
fn next_on_the_phone_skips_the_email_which_is_asked_only_after_tambah_email() {
    let mut screen = Contact::new(&draft_for(Reason::Resign));
    // Not before the number is a mobile number.
    screen.update(Message::AddEmail, &test_context());
    assert_eq!(screen.step(), Step::Phone);
    type_text(&mut screen, "1234567890");
    screen.update(Message::Next, &test_context());
    assert_eq!(screen.step(), Step::Balance);
    // Back from the balance is back to the phone: no e-mail question was on the way.
    screen.update(Message::Back, &test_context());
    assert_eq!(screen.step(), Step::Phone);
    let (_, email) = {
        screen.update(Message::Next, &test_context());
        recorded_contact(screen.update(Message::BalanceAbove(false), &test_context()))
    };
    assert_eq!(email, "");
    // Asked for: the keyboard, and the address is recorded.
    screen.update(Message::Back, &test_context());
    screen.update(Message::AddEmail, &test_context());
    assert_eq!(screen.step(), Step::Email);
    type_text(&mut screen, "SITI@MAIL.CO");
    screen.update(Message::Next, &test_context());
    assert_eq!(screen.step(), Step::Balance);
    screen.update(Message::Back, &test_context());
    assert_eq!(screen.step(), Step::Email);
    screen.update(Message::Next, &test_context());
    let (_, email) = recorded_contact(screen.update(Message::BalanceAbove(false), &test_context()));
    assert_eq!(email, "siti@mail.co");
}
