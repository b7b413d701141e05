//! What the kiosk listens to besides taps on its widgets: the wall clock, any touch (which keeps the session
//! alive), the device workers' events and the current screen's own clocks.

use std::time::Duration;

use chrono::Local;
use iced::Subscription;

use super::{App, Message, feed};

impl App {
    /// The clock, the touches that keep the session alive, and the [feeds](App::feeds).
    pub fn subscription(&self) -> Subscription<Message> {
        let tick = iced::time::every(Duration::from_secs(1)).map(|_| Message::Tick(Local::now()));
        let touches = iced::event::listen_raw(|event, _status, _window| match event {
            iced::Event::Mouse(iced::mouse::Event::ButtonPressed(_))
            | iced::Event::Touch(iced::touch::Event::FingerPressed { .. }) => {
                Some(Message::Activity)
            }
            _ => None,
        });
        Subscription::batch([tick, touches, self.feeds()])
    }

    /// The device workers' events and the current screen's own clocks (everything but the wall clock and the
    /// touches; the headless runner runs these as the kiosk window does).
    pub fn feeds(&self) -> Subscription<Message> {
        let devices = &self.shared.context.devices;
        // A panel over the screen pauses the screen's clocks and picture (no photo takes itself beneath it).
        let open = self.shared.panel.is_none();
        let mut subscriptions = Vec::new();
        if open {
            let screen = self.screen.subscription(&self.shared.context());
            subscriptions.push(screen.map(Message::Reply));
        }
        // Frames are only wanted where the picture shows: elsewhere they would redraw the screen for nothing.
        if let Some(camera) = &devices.camera
            && self.screen.wants_camera()
            && open
        {
            subscriptions.push(feed::camera(camera).map(Message::Camera));
        }
        if let Some(printer) = &devices.printer {
            subscriptions.push(feed::printer(printer).map(Message::Printer));
        }
        Subscription::batch(subscriptions)
    }
}
