//! The health page's facts: read from the devices and the outbox off the UI thread (the page refreshes them
//! every second while it shows), kept as data and put in words when the page is drawn.

use chrono::{DateTime, Local, Utc};
use iced::Task;

use crate::camera::CameraState;
use crate::i18n::{MessageArg, Translator};
use crate::outbox::OutboxStats;
use crate::printer::PrinterState;
use crate::sync::uploader::UploaderStatus;
use crate::ui::context::{Devices, blocking};

/// What the devices and the outbox said at the last reading.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HealthFacts {
    /// The camera worker's state; `None` when the kiosk has no camera.
    pub camera: Option<CameraState>,
    /// The printer's state; `None` when the kiosk has no printer.
    pub printer: Option<PrinterState>,
    /// The outbox counts, or why they could not be read; `None` when the kiosk has no outbox.
    pub outbox: Option<Result<OutboxStats, String>>,
    /// The uploader's state; `None` on an offline kiosk.
    pub uploader: Option<UploaderStatus>,
}

/// What staff see on the health page, in words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Health {
    /// The camera's state in words.
    pub camera: String,
    /// The printer's state and what to do about it.
    pub printer: String,
    /// Outbox counts, oldest pending and last error.
    pub outbox: String,
    /// The network and the central service: the uploader's last delivery or its last error.
    pub central: String,
    /// The delivery alert in words, while claims fail or wait past the alert limits.
    pub alert: Option<String>,
    /// Claims held after the central service refused them (staff can send them again).
    pub held: u64,
}

/// Reads the devices' state and the outbox counts (SQLite) off the UI thread.
pub fn read(devices: &Devices, now: DateTime<Utc>) -> Task<HealthFacts> {
    let devices = devices.clone();
    Task::perform(
        blocking(move || HealthFacts {
            camera: devices.camera.as_ref().map(|camera| camera.state()),
            printer: devices
                .printer
                .as_ref()
                .map(|printer| printer.status().state),
            outbox: devices
                .outbox
                .as_ref()
                .map(|outbox| outbox.stats(now).map_err(|error| error.to_string())),
            uploader: devices.uploader.as_ref().map(|uploader| uploader.status()),
        }),
        Option::unwrap_or_default,
    )
}

impl HealthFacts {
    /// The camera's state in words.
    pub fn camera_line(&self, t: &Translator) -> String {
        match &self.camera {
            None => t.tr("ui-health-camera-none"),
            Some(CameraState::Starting) => t.tr("ui-health-camera-starting"),
            Some(CameraState::Running(info)) => t.tr_args(
                "ui-health-camera-running",
                &[
                    ("name", MessageArg::Text(info.name.clone())),
                    ("width", MessageArg::from(info.width)),
                    ("height", MessageArg::from(info.height)),
                ],
            ),
            Some(CameraState::Paused(info)) => t.tr_args(
                "ui-health-camera-resting",
                &[("name", MessageArg::Text(info.name.clone()))],
            ),
            Some(CameraState::Lost(reason)) => t.tr_args(
                "ui-health-camera-lost",
                &[("reason", MessageArg::Text(reason.clone()))],
            ),
            Some(CameraState::Stopped) => t.tr("ui-health-camera-stopped"),
        }
    }

    /// Every line of the health page in the translator's language.
    pub fn words(&self, t: &Translator) -> Health {
        let printer = match self.printer {
            None => t.tr("ui-health-printer-none"),
            Some(state) => t.tr(printer_state_id(state)),
        };
        let mut held = 0;
        let outbox = match &self.outbox {
            None => t.tr("ui-health-outbox-none"),
            Some(Ok(stats)) => {
                held = stats.held;
                outbox_line(t, stats)
            }
            Some(Err(error)) => t.tr_args(
                "ui-health-outbox-unreadable",
                &[("error", MessageArg::Text(error.clone()))],
            ),
        };
        let central = match &self.uploader {
            None => t.tr("ui-health-central-none"),
            Some(status) => central_line(t, status),
        };
        Health {
            camera: self.camera_line(t),
            printer,
            outbox,
            central,
            alert: self
                .uploader
                .as_ref()
                .and_then(|status| status.alert.as_ref())
                .map(|alert| alert_line(t, alert)),
            held,
        }
    }
}

/// The outbox counts, the oldest waiting claim and the last error in words.
fn outbox_line(t: &Translator, stats: &OutboxStats) -> String {
    let count = |n: u64| MessageArg::Number(i64::try_from(n).unwrap_or(i64::MAX));
    let mut line = t.tr_args(
        "ui-health-outbox-counts",
        &[
            ("pending", count(stats.pending)),
            ("sending", count(stats.sending)),
            ("delivered", count(stats.delivered)),
            ("held", count(stats.held)),
        ],
    );
    if let Some(age) = stats.oldest_pending_age {
        line.push(' ');
        line.push_str(&t.tr_args(
            "ui-health-outbox-oldest",
            &[("minutes", MessageArg::Number(age.num_minutes()))],
        ));
    }
    if let Some(error) = &stats.last_error {
        line.push(' ');
        line.push_str(&t.tr_args(
            "ui-health-outbox-error",
            &[("error", MessageArg::Text(error.clone()))],
        ));
    }
    line
}

/// The uploader's state in words for staff: failing (with the error), delivering, or nothing sent yet.
pub fn central_line(t: &Translator, status: &crate::sync::uploader::UploaderStatus) -> String {
    let count = |n: u64| MessageArg::Number(i64::try_from(n).unwrap_or(i64::MAX));
    if status.failures_in_a_row > 0 {
        let error = status.last_error.clone().unwrap_or_default();
        return t.tr_args(
            "ui-health-central-failing",
            &[
                ("error", MessageArg::Text(error)),
                ("failures", MessageArg::from(status.failures_in_a_row)),
            ],
        );
    }
    match status.last_delivered_at {
        Some(at) => {
            let local = at.with_timezone(&Local);
            t.tr_args(
                "ui-health-central-ok",
                &[
                    ("date", MessageArg::Date(local.date_naive())),
                    ("time", MessageArg::Text(local.format("%H:%M").to_string())),
                    ("delivered", count(status.delivered)),
                ],
            )
        }
        None => t.tr_args(
            "ui-health-central-waiting",
            &[("requests", count(status.requests))],
        ),
    }
}

/// The delivery alert in words for staff: how many claims, the longest-waiting one, since when, the last error.
pub fn alert_line(t: &Translator, alert: &crate::sync::api::DeliveryAlert) -> String {
    let since = alert.waiting_since.with_timezone(&Local);
    t.tr_args(
        "ui-health-delivery-alert",
        &[
            ("claims", MessageArg::from(alert.claims)),
            (
                "reference",
                MessageArg::Text(alert.reference.digits().to_owned()),
            ),
            ("attempts", MessageArg::from(alert.attempts)),
            ("date", MessageArg::Date(since.date_naive())),
            ("time", MessageArg::Text(since.format("%H:%M").to_string())),
            ("error", MessageArg::Text(alert.last_error.clone())),
        ],
    )
}

/// The message id of a printer state, with what staff should do about it.
fn printer_state_id(state: PrinterState) -> &'static str {
    match state {
        PrinterState::Ready => "ui-health-printer-ready",
        PrinterState::PaperLow => "ui-health-printer-paper-low",
        PrinterState::PaperOut => "ui-health-printer-paper-out",
        PrinterState::CoverOpen => "ui-health-printer-cover-open",
        PrinterState::CutterError => "ui-health-printer-cutter-error",
        PrinterState::Unrecoverable => "ui-health-printer-unrecoverable",
        PrinterState::Offline => "ui-health-printer-offline",
        PrinterState::NoResponse => "ui-health-printer-no-response",
        PrinterState::Disconnected => "ui-health-printer-disconnected",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Language;

    #[test]
    fn staff_read_whether_claims_reach_the_central_service() {
        use crate::sync::uploader::UploaderStatus;
        use chrono::TimeZone as _;
        let t = Translator::new(Language::Id);
        let waiting = UploaderStatus {
            running: true,
            requests: 0,
            ..UploaderStatus::default()
        };
        assert!(central_line(&t, &waiting).starts_with("Belum ada klaim terkirim"));
        let delivered_at = Local
            .with_ymd_and_hms(2026, 11, 28, 9, 5, 0)
            .single()
            .map(|at| at.with_timezone(&Utc));
        let delivering = UploaderStatus {
            requests: 3,
            delivered: 3,
            last_delivered_at: delivered_at,
            ..waiting.clone()
        };
        let line = central_line(&t, &delivering);
        assert!(line.starts_with("Terhubung"), "{line}");
        assert!(line.contains("09.05") || line.contains("09:05"), "{line}");
        assert!(line.contains("28 November 2026"), "{line}");
        // A failure after deliveries: the error is what staff read, not the old success.
        let failing = UploaderStatus {
            failures_in_a_row: 4,
            last_error: Some("connection refused".to_owned()),
            ..delivering
        };
        let line = central_line(&t, &failing);
        assert!(line.starts_with("Tidak terhubung"), "{line}");
        assert!(
            line.contains("connection refused") && line.contains('4'),
            "{line}"
        );
    }

    #[test]
    fn staff_read_the_delivery_alert_with_claim_time_attempts_and_error() {
        use crate::sync::api::DeliveryAlert;
        use chrono::TimeZone as _;
        let waiting_since = Local
            .with_ymd_and_hms(2026, 11, 28, 7, 30, 0)
            .single()
            .map(|at| at.with_timezone(&Utc))
            .expect("a local time");
        let alert = DeliveryAlert {
            claims: 4,
            reference: "0000700000015".parse().expect("a reference"),
            attempts: 11,
            waiting_since,
            raised_at: waiting_since,
            last_error: "413: Request Entity Too Large".into(),
        };
        for language in Language::ALL {
            let line = alert_line(&Translator::new(language), &alert);
            for part in [
                "0000700000015",
                "11",
                "413: Request Entity Too Large",
                "2026",
            ] {
                assert!(line.contains(part), "{}: {line}", language.code());
            }
            assert!(
                line.contains("07.30") || line.contains("07:30"),
                "{}: {line}",
                language.code()
            );
        }
        let line = alert_line(&Translator::new(Language::Id), &alert);
        assert!(line.starts_with("Perhatian: 4 klaim"), "{line}");
    }
}
