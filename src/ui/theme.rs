//! The kiosk's look: a calm, high-contrast light theme, large text and large touch targets.

use iced::border::Border;
use iced::font::Weight;
use iced::theme::Palette;
use iced::widget::{button, container, text};
use iced::{Background, Color, Font, Pixels, Shadow, Theme};

/// The embedded regular font (DejaVu Sans; licence in `assets/fonts/LICENSE-DejaVu.txt`).
pub const FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// The embedded bold font (DejaVu Sans Bold).
pub const FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
/// The family name of the embedded font, used as the default font.
pub const FONT: Font = Font::with_name("DejaVu Sans");
/// The embedded font in bold, for headings and keys.
pub const FONT_BOLD_FACE: Font = Font {
    weight: Weight::Bold,
    ..FONT
};

/// Body text size: never below 28 px on a kiosk.
pub const BODY: f32 = 28.0;
/// Size of a screen's one question.
pub const HEADING: f32 = 40.0;
/// Size of a claim reference shown on screen.
pub const REFERENCE: f32 = 72.0;
/// The smallest height of anything that can be touched.
pub const TOUCH: f32 = 64.0;
/// The height of a key on the on-screen keypad and keyboard.
pub const KEY: f32 = 80.0;
/// Space between blocks on a screen.
pub const GAP: f32 = 24.0;

/// Deep blue for actions.
const PRIMARY: Color = Color::from_rgb(0.05, 0.28, 0.55);
/// Green for "valid" and "saved".
const SUCCESS: Color = Color::from_rgb(0.05, 0.45, 0.20);
/// Amber for warnings.
const WARNING: Color = Color::from_rgb(0.60, 0.38, 0.0);
/// Dark red for errors.
const DANGER: Color = Color::from_rgb(0.65, 0.08, 0.08);
/// Near-black text.
const TEXT: Color = Color::from_rgb(0.07, 0.09, 0.12);
/// Warm off-white background.
const BACKGROUND: Color = Color::from_rgb(0.97, 0.97, 0.95);
/// White surfaces (panels, keys).
const SURFACE: Color = Color::WHITE;
/// Grey borders (at least 3:1 against the background and the white surfaces).
const LINE: Color = Color::from_rgb(0.42, 0.44, 0.47);
/// The fill of a button that cannot be pressed yet.
const DISABLED_FILL: Color = Color::from_rgb(0.90, 0.90, 0.90);
/// The label of a button that cannot be pressed yet (still readable: 4.5:1 on its fill).
const DISABLED_TEXT: Color = Color::from_rgb(0.33, 0.34, 0.36);
/// The photo guide's bright line, over the dark parts of the picture.
pub const GUIDE: Color = Color::from_rgb(1.0, 0.85, 0.0);
/// The photo guide's dark edge, over the bright parts of the picture: with [`GUIDE`] one of the two stands
/// out 3:1 from whatever the camera sees.
pub const GUIDE_EDGE: Color = Color::from_rgb(0.0, 0.0, 0.0);

/// The kiosk theme.
pub fn kiosk() -> Theme {
    Theme::custom(
        "Lapak Kiosk",
        Palette {
            background: BACKGROUND,
            text: TEXT,
            primary: PRIMARY,
            success: SUCCESS,
            warning: WARNING,
            danger: DANGER,
        },
    )
}

/// The application settings every window and every headless test uses: the embedded font as default.
pub fn settings() -> iced::Settings {
    iced::Settings {
        fonts: vec![FONT_REGULAR.into(), FONT_BOLD.into()],
        default_font: FONT,
        default_text_size: Pixels(BODY),
        antialiasing: true,
        ..iced::Settings::default()
    }
}

fn key_border(color: Color) -> Border {
    Border {
        color,
        width: 2.0,
        radius: 12.0.into(),
    }
}

/// A button that cannot be pressed yet: flat, with no outline (so it differs from a live button by its shape,
/// not only by colour), its label still readable.
fn disabled_button() -> button::Style {
    button::Style {
        background: Some(Background::Color(DISABLED_FILL)),
        text_color: DISABLED_TEXT,
        border: Border {
            color: Color::TRANSPARENT,
            width: 0.0,
            radius: 12.0.into(),
        },
        shadow: Shadow::default(),
        snap: true,
    }
}

/// The main action on a screen: filled blue.
pub fn primary_button(_theme: &Theme, status: button::Status) -> button::Style {
    let background = match status {
        button::Status::Pressed => Color::from_rgb(0.02, 0.18, 0.38),
        button::Status::Disabled => return disabled_button(),
        button::Status::Active | button::Status::Hovered => PRIMARY,
    };
    button::Style {
        background: Some(Background::Color(background)),
        text_color: Color::WHITE,
        border: key_border(background),
        shadow: Shadow::default(),
        snap: true,
    }
}

/// A secondary action (back, cancel, a key): white with a dark outline.
pub fn secondary_button(_theme: &Theme, status: button::Status) -> button::Style {
    let (background, text_color) = match status {
        button::Status::Pressed => (Color::from_rgb(0.85, 0.88, 0.92), TEXT),
        button::Status::Disabled => return disabled_button(),
        button::Status::Active | button::Status::Hovered => (SURFACE, TEXT),
    };
    button::Style {
        background: Some(Background::Color(background)),
        text_color,
        border: key_border(LINE),
        shadow: Shadow::default(),
        snap: true,
    }
}

/// A choice that is currently selected (language, reason, sex): outlined in blue, pale blue fill.
pub fn selected_button(_theme: &Theme, _status: button::Status) -> button::Style {
    button::Style {
        background: Some(Background::Color(Color::from_rgb(0.86, 0.92, 0.98))),
        text_color: PRIMARY,
        border: Border {
            color: PRIMARY,
            width: 4.0,
            radius: 12.0.into(),
        },
        shadow: Shadow::default(),
        snap: true,
    }
}

/// The white panel that holds a screen's content.
pub fn panel(_theme: &Theme) -> container::Style {
    container::Style {
        text_color: Some(TEXT),
        background: Some(Background::Color(SURFACE)),
        border: Border {
            color: LINE,
            width: 2.0,
            radius: 16.0.into(),
        },
        shadow: Shadow::default(),
        snap: true,
    }
}

/// The box that shows what has been typed so far.
pub fn field(_theme: &Theme) -> container::Style {
    container::Style {
        text_color: Some(TEXT),
        background: Some(Background::Color(SURFACE)),
        border: Border {
            color: PRIMARY,
            width: 3.0,
            radius: 8.0.into(),
        },
        shadow: Shadow::default(),
        snap: true,
    }
}

/// The header bar across the top of every screen.
pub fn header(_theme: &Theme) -> container::Style {
    container::Style {
        text_color: Some(Color::WHITE),
        background: Some(Background::Color(PRIMARY)),
        border: Border::default(),
        shadow: Shadow::default(),
        snap: true,
    }
}

/// A notice that something needs attention (printer, camera, idle countdown).
pub fn notice(_theme: &Theme) -> container::Style {
    container::Style {
        text_color: Some(TEXT),
        background: Some(Background::Color(Color::from_rgb(1.0, 0.95, 0.82))),
        border: Border {
            color: WARNING,
            width: 3.0,
            radius: 12.0.into(),
        },
        shadow: Shadow::default(),
        snap: true,
    }
}

/// Text that says an entry is fine.
pub fn ok_text(_theme: &Theme) -> text::Style {
    text::Style {
        color: Some(SUCCESS),
    }
}

/// Text that says an entry needs a fix.
pub fn error_text(_theme: &Theme) -> text::Style {
    text::Style {
        color: Some(DANGER),
    }
}

/// Text that warns without blocking.
pub fn warning_text(_theme: &Theme) -> text::Style {
    text::Style {
        color: Some(WARNING),
    }
}

/// The WCAG 2 contrast ratio of two opaque colours (1 to 21): text needs 4.5, borders and guides 3.
pub fn contrast_ratio(a: Color, b: Color) -> f32 {
    fn luminance(color: Color) -> f32 {
        let channel = |c: f32| {
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)
    }
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod contrast_tests;
