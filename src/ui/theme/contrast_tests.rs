//! The theme's colours meet the WCAG contrast minimums, read from the styles the screens use: text 4.5:1
//! against what it sits on, borders and the photo guide 3:1; a disabled button differs by more than colour.

use super::*;

fn fill(background: Option<Background>) -> Color {
    match background {
        Some(Background::Color(color)) => color,
        other => panic!("expected a plain colour fill, found {other:?}"),
    }
}

fn assert_at_least(minimum: f32, a: Color, b: Color, what: &str) {
    let ratio = contrast_ratio(a, b);
    assert!(
        ratio >= minimum,
        "{what}: contrast {ratio:.2}:1 is below {minimum}:1 ({a:?} on {b:?})"
    );
}

#[test]
fn contrast_ratio_matches_the_wcag_reference_values() {
    assert!((contrast_ratio(Color::BLACK, Color::WHITE) - 21.0).abs() < 0.01);
    assert!((contrast_ratio(Color::WHITE, Color::WHITE) - 1.0).abs() < 0.001);
    // #767676 on white is the well-known 4.54:1.
    let grey = Color::from_rgb8(0x76, 0x76, 0x76);
    assert!((contrast_ratio(grey, Color::WHITE) - 4.54).abs() < 0.01);
}

#[test]
fn every_text_colour_reaches_four_and_a_half_to_one_on_what_it_sits_on() {
    let theme = kiosk();
    let page = BACKGROUND;
    let white_panel = fill(panel(&theme).background);
    for (what, color) in [
        ("text", TEXT),
        ("ok text", ok_text(&theme).color.expect("colour")),
        ("error text", error_text(&theme).color.expect("colour")),
        ("warning text", warning_text(&theme).color.expect("colour")),
    ] {
        assert_at_least(4.5, color, page, &format!("{what} on the page"));
        assert_at_least(4.5, color, white_panel, &format!("{what} on a panel"));
    }
    let notice = notice(&theme);
    assert_at_least(
        4.5,
        notice.text_color.expect("colour"),
        fill(notice.background),
        "notice text",
    );
    let header = header(&theme);
    assert_at_least(
        4.5,
        header.text_color.expect("colour"),
        fill(header.background),
        "header text",
    );
    for status in [
        button::Status::Active,
        button::Status::Hovered,
        button::Status::Pressed,
        button::Status::Disabled,
    ] {
        for (what, style) in [
            ("primary button", primary_button(&theme, status)),
            ("secondary button", secondary_button(&theme, status)),
            ("selected button", selected_button(&theme, status)),
        ] {
            assert_at_least(
                4.5,
                style.text_color,
                fill(style.background),
                &format!("{what} label ({status:?})"),
            );
        }
    }
}

#[test]
fn borders_reach_three_to_one_on_the_page_and_on_panels() {
    let theme = kiosk();
    let page = BACKGROUND;
    let white_panel = fill(panel(&theme).background);
    for (what, border) in [
        (
            "secondary button",
            secondary_button(&theme, button::Status::Active).border,
        ),
        (
            "selected button",
            selected_button(&theme, button::Status::Active).border,
        ),
        ("typing field", field(&theme).border),
        ("notice", notice(&theme).border),
        ("panel", panel(&theme).border),
    ] {
        assert!(
            border.width >= 2.0,
            "{what}: a border of {} px",
            border.width
        );
        assert_at_least(
            3.0,
            border.color,
            page,
            &format!("{what} border on the page"),
        );
        assert_at_least(
            3.0,
            border.color,
            white_panel,
            &format!("{what} border on a panel"),
        );
    }
    // A primary button is a filled shape: its fill is what stands out.
    let primary = fill(primary_button(&theme, button::Status::Active).background);
    assert_at_least(3.0, primary, page, "primary button on the page");
    assert_at_least(3.0, primary, white_panel, "primary button on a panel");
}

#[test]
fn the_photo_guide_stands_out_three_to_one_from_any_picture() {
    // Every grey from black to white, as the camera may show behind the guide: the bright line or its dark
    // edge reaches 3:1.
    for step in 0..=255u8 {
        let behind = Color::from_rgb8(step, step, step);
        let best = contrast_ratio(GUIDE, behind).max(contrast_ratio(GUIDE_EDGE, behind));
        assert!(best >= 3.0, "the guide is {best:.2}:1 on grey {step}");
    }
}

#[test]
fn a_disabled_button_has_no_outline_where_a_live_one_has_one() {
    let theme = kiosk();
    for (what, style) in [
        (
            "primary",
            primary_button as fn(&Theme, button::Status) -> button::Style,
        ),
        ("secondary", secondary_button),
    ] {
        let live = style(&theme, button::Status::Active);
        let disabled = style(&theme, button::Status::Disabled);
        assert_eq!(
            disabled.border.width, 0.0,
            "{what}: a disabled button is outlined"
        );
        assert!(
            live.border.width >= 2.0,
            "{what}: a live button has no outline"
        );
        assert_ne!(
            fill(live.background),
            fill(disabled.background),
            "{what}: disabled looks filled like a live one"
        );
    }
}
