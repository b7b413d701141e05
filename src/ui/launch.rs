//! Opening the kiosk's window: its size, fullscreen or not, and the [`App`] it runs.

use chrono::Local;

use super::{App, UiContext, theme};

/// Runs the kiosk's screens until the window closes.
pub fn run(context: UiContext) -> iced::Result {
    let window = iced::window::Settings {
        size: iced::Size::new(1280.0, 800.0),
        fullscreen: context.settings.fullscreen,
        decorations: !context.settings.fullscreen,
        resizable: !context.settings.fullscreen,
        ..iced::window::Settings::default()
    };
    iced::application(
        move || App::new(context.clone(), Local::now()),
        App::update,
        App::view,
    )
    .title(App::title)
    .subscription(App::subscription)
    .theme(App::theme)
    .scale_factor(App::scale_factor)
    .settings(theme::settings())
    .window(window)
    .run()
}
