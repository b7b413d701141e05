//! The maintenance screen's update tests.
use super::*;
use crate::ui::context::test_context;

fn unlocked() -> Maintenance {
    let mut screen = Maintenance::new();
    let action = screen.update(
        Message::PinChecked(Some(PinOutcome::Accepted)),
        &test_context(),
    );
    assert!(action.runs(), "the health page reads the devices");
    assert_eq!(screen.step(), Step::Health);
    screen
}

fn notice(id: &'static str) -> Action<Message> {
    Action::Notice(Note::new(id, Vec::new()))
}

#[test]
fn tools_are_closed_until_the_pin_is_accepted() {
    let ctx = test_context();
    let mut screen = Maintenance::new();
    assert_eq!(screen.update(Message::SyncNow, &ctx), Action::None);
    assert_eq!(screen.update(Message::SendHeldAgain, &ctx), Action::None);
    assert_eq!(screen.update(Message::OpenExport, &ctx), Action::None);
    assert_eq!(screen.update(Message::ReloadConfig, &ctx), Action::None);
    assert_eq!(screen.step(), Step::Pin);
}

#[test]
fn health_page_syncs_requeues_and_reloads_or_says_what_is_missing() {
    let ctx = test_context();
    let mut screen = unlocked();
    // This kiosk has no uploader and no outbox: the tools say so instead of failing silently.
    assert_eq!(
        screen.update(Message::SyncNow, &ctx),
        notice("ui-maintenance-no-uploader")
    );
    assert_eq!(
        screen.update(Message::SendHeldAgain, &ctx),
        notice("ui-maintenance-no-outbox")
    );
    assert!(screen.update(Message::ReloadConfig, &ctx).runs());
    assert_eq!(screen.update(Message::OpenCamera, &ctx), Action::None);
    assert!(screen.wants_camera());
    screen.update(Message::BackToHealth, &ctx);
    assert!(!screen.wants_camera());
}

#[test]
fn the_pin_check_and_the_drive_list_run_as_the_screens_own_work() {
    let ctx = test_context();
    let mut screen = Maintenance::new();
    screen.update(Message::KeyPressed(Key::Char('1')), &ctx);
    let Action::Run(task) = screen.update(Message::Enter, &ctx) else {
        panic!("the PIN was not checked");
    };
    let replies = crate::ui::headless::Headless::new()
        .expect("runtime")
        .outputs(task)
        .expect("ran");
    // No PIN hash is configured in the test setting: the gate says so, and the page stays closed.
    assert!(
        matches!(
            replies.as_slice(),
            [Message::PinChecked(Some(PinOutcome::NotConfigured))]
        ),
        "{replies:?}"
    );
    for reply in replies {
        screen.update(reply, &ctx);
    }
    assert_eq!(screen.step(), Step::Pin);
}

#[test]
fn export_goes_to_a_chosen_drive_or_an_absolute_typed_folder() {
    let ctx = test_context();
    let mut screen = unlocked();
    assert!(screen.update(Message::OpenExport, &ctx).runs());
    let drive = PathBuf::from("/media/kiosk/USB");
    screen.update(Message::DrivesFound(vec![drive.clone()]), &ctx);
    assert_eq!(screen.drives, vec![drive.clone()]);
    // Without an outbox there is nothing to export: staff are told so.
    assert_eq!(
        screen.update(Message::DriveChosen(drive), &ctx),
        notice("ui-maintenance-no-outbox")
    );
    for c in "TMP".chars() {
        screen.update(Message::KeyPressed(Key::Char(c)), &ctx);
    }
    // Not absolute: refused.
    assert_eq!(screen.update(Message::ExportTyped, &ctx), Action::None);
    screen.update(Message::KeyPressed(Key::Clear), &ctx);
    for c in "/MNT/X".chars() {
        screen.update(Message::KeyPressed(Key::Char(c)), &ctx);
    }
    assert_eq!(screen.typed_folder(), Some(PathBuf::from("/mnt/x")));
    assert_eq!(
        screen.update(Message::ExportTyped, &ctx),
        notice("ui-maintenance-no-outbox")
    );
    // A drive label in capitals: small letters, then capitals, then small letters again.
    screen.update(Message::KeyPressed(Key::Clear), &ctx);
    for c in "/MEDIA/".chars() {
        screen.update(Message::KeyPressed(Key::Char(c)), &ctx);
    }
    screen.update(Message::ToggleCapitals, &ctx);
    for c in "KINGSTON".chars() {
        screen.update(Message::KeyPressed(Key::Char(c)), &ctx);
    }
    screen.update(Message::ToggleCapitals, &ctx);
    for c in "/X".chars() {
        screen.update(Message::KeyPressed(Key::Char(c)), &ctx);
    }
    assert_eq!(
        screen.typed_folder(),
        Some(PathBuf::from("/media/KINGSTON/x"))
    );
}
