//! The fleet view: every kiosk with its last heartbeat and the alerts field staff act on.

use chrono::{DateTime, Utc};
use lapak_core::api::{CameraState, DeliveryAlert, Heartbeat, PrinterState};
use serde::Serialize;

use crate::config::CentralConfig;
use crate::store::FleetRow;

/// `GET /v1/fleet`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FleetView {
    /// When the view was made (server clock).
    pub generated_at: DateTime<Utc>,
    /// Every registered kiosk.
    pub kiosks: Vec<FleetKiosk>,
}

/// One kiosk in the fleet view.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FleetKiosk {
    /// Kiosk id.
    pub id: String,
    /// Revoked kiosks are listed but send nothing.
    pub revoked: bool,
    /// When the last heartbeat arrived.
    pub last_heard_at: Option<DateTime<Utc>>,
    /// Software version from the last heartbeat.
    pub version: Option<String>,
    /// How it is installed: the Debian package's version, or `source` (from the last heartbeat).
    pub package: Option<String>,
    /// The remote configuration version it runs (none: only its local kiosk.toml).
    pub config_version: Option<u64>,
    /// The newest remote configuration it refused or rolled back, and why.
    pub config_failed: Option<lapak_core::care::ConfigFailure>,
    /// Printer state from the last heartbeat.
    pub printer: Option<PrinterState>,
    /// Camera state from the last heartbeat.
    pub camera: Option<CameraState>,
    /// Claims waiting on the kiosk.
    pub backlog: Option<u64>,
    /// Age in seconds of the oldest waiting claim.
    pub oldest_pending_secs: Option<u64>,
    /// Free bytes on the kiosk's data disk.
    pub disk_free_bytes: Option<u64>,
    /// Claims held on the kiosk after a claim-level refusal (staff send them again on the kiosk).
    pub held: Option<u64>,
    /// The kiosk's delivery alert: claims failing or waiting past its limits.
    pub delivery_alert: Option<DeliveryAlert>,
    /// Claims received from this kiosk.
    pub claims_received: u64,
    /// What needs attention.
    pub alerts: Vec<Alert>,
}

/// Something field staff should act on.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Alert {
    /// No heartbeat for longer than the configured minutes (or never).
    NotHeard,
    /// The printer's paper is low.
    PaperLow,
    /// The printer is out of paper.
    PaperOut,
    /// The printer is offline or in error.
    PrinterError,
    /// The camera is lost.
    CameraLost,
    /// The oldest unsent claim is older than the configured minutes.
    Backlog,
    /// Claims are held on the kiosk after a claim-level refusal.
    HeldClaims,
    /// The kiosk reports claims that keep failing to reach this service (its delivery alert).
    DeliveryFailing,
    /// The maintenance PIN is locked after too many wrong tries (someone may be guessing it).
    PinLocked,
    /// The kiosk refused or rolled back the newest remote configuration (it runs its last good one).
    ConfigFailed,
    /// The kiosk runs a version staff withdrew (`lapak-central version withdraw`).
    WithdrawnVersion,
}

impl Alert {
    /// The sentence shown on the fleet page.
    pub fn text(self) -> &'static str {
        match self {
            Alert::NotHeard => "not heard from",
            Alert::PaperLow => "paper low",
            Alert::PaperOut => "paper out",
            Alert::PrinterError => "printer offline or in error",
            Alert::CameraLost => "camera lost",
            Alert::Backlog => "claims waiting more than the limit",
            Alert::HeldClaims => {
                "claims held on the kiosk: send them again from its maintenance screen"
            }
            Alert::DeliveryFailing => "claims keep failing to reach the central service",
            Alert::PinLocked => "maintenance PIN locked after wrong tries",
            Alert::ConfigFailed => {
                "the remote configuration failed on the kiosk: it runs its last good one"
            }
            Alert::WithdrawnVersion => "runs a withdrawn version: update it",
        }
    }
}

/// Builds the view from the database rows at `now`.
pub fn view(rows: &[FleetRow], config: &CentralConfig, now: DateTime<Utc>) -> FleetView {
    let kiosks = rows
        .iter()
        .map(|row| {
            let heard = row.last.as_ref().and_then(|(at, body)| {
                let at = DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc);
                let beat: Heartbeat = serde_json::from_str(body).ok()?;
                Some((at, beat))
            });
            let mut alerts = Vec::new();
            let silent = chrono::Duration::minutes(config.silent_after_minutes as i64);
            match &heard {
                None => alerts.push(Alert::NotHeard),
                Some((at, beat)) => {
                    if now - *at > silent {
                        alerts.push(Alert::NotHeard);
                    }
                    match beat.devices.printer {
                        PrinterState::PaperLow => alerts.push(Alert::PaperLow),
                        PrinterState::PaperOut => alerts.push(Alert::PaperOut),
                        PrinterState::Error => alerts.push(Alert::PrinterError),
                        PrinterState::Ok | PrinterState::Unknown => {}
                    }
                    if beat.devices.camera == CameraState::Lost {
                        alerts.push(Alert::CameraLost);
                    }
                    if beat
                        .oldest_pending_secs
                        .is_some_and(|s| s > config.backlog_alert_minutes * 60)
                    {
                        alerts.push(Alert::Backlog);
                    }
                    if beat.outbox_held.max(beat.outbox_rejected) > 0 {
                        alerts.push(Alert::HeldClaims);
                    }
                    if beat.delivery_alert.is_some() {
                        alerts.push(Alert::DeliveryFailing);
                    }
                    if beat.pin_locked_until.is_some_and(|until| until > now) {
                        alerts.push(Alert::PinLocked);
                    }
                    if beat.config_failed.is_some() {
                        alerts.push(Alert::ConfigFailed);
                    }
                }
            }
            if row.kiosk.revoked_at.is_some() {
                alerts.retain(|a| *a != Alert::NotHeard);
            }
            let beat = heard.as_ref().map(|(_, b)| b);
            FleetKiosk {
                id: row.kiosk.id.clone(),
                revoked: row.kiosk.revoked_at.is_some(),
                last_heard_at: heard.as_ref().map(|(at, _)| *at),
                version: beat.map(|b| b.version.clone()),
                package: beat.and_then(|b| b.package.clone()),
                config_version: beat.and_then(|b| b.config_version),
                config_failed: beat.and_then(|b| b.config_failed.clone()),
                printer: beat.map(|b| b.devices.printer),
                camera: beat.map(|b| b.devices.camera),
                backlog: beat.map(|b| b.outbox_pending),
                oldest_pending_secs: beat.and_then(|b| b.oldest_pending_secs),
                disk_free_bytes: beat.and_then(|b| b.disk_free_bytes),
                held: beat.map(|b| b.outbox_held.max(b.outbox_rejected)),
                delivery_alert: beat.and_then(|b| b.delivery_alert.clone()),
                claims_received: row.claims,
                alerts,
            }
        })
        .collect();
    FleetView {
        generated_at: now,
        kiosks,
    }
}

/// Raises [`Alert::WithdrawnVersion`] on every kiosk whose last heartbeat reports one of `withdrawn`.
pub fn alert_withdrawn(view: &mut FleetView, withdrawn: &[String]) {
    for kiosk in &mut view.kiosks {
        if kiosk
            .version
            .as_ref()
            .is_some_and(|v| withdrawn.iter().any(|w| w == v))
        {
            kiosk.alerts.push(Alert::WithdrawnVersion);
        }
    }
}

fn escape(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '&' => "&amp;".to_owned(),
            '"' => "&quot;".to_owned(),
            '\'' => "&#39;".to_owned(),
            c => c.to_string(),
        })
        .collect()
}

fn ago(now: DateTime<Utc>, at: Option<DateTime<Utc>>) -> String {
    match at {
        None => "never".into(),
        Some(at) => {
            let secs = (now - at).num_seconds().max(0);
            match secs {
                0..=119 => format!("{secs} s ago"),
                120..=7199 => format!("{} min ago", secs / 60),
                _ => format!("{} h ago", secs / 3600),
            }
        }
    }
}

fn snake<T: Serialize>(value: &Option<T>) -> String {
    value
        .as_ref()
        .and_then(|v| serde_json::to_value(v).ok())
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "-".into())
}

/// `GET /fleet`: a plain HTML page, one card per kiosk, readable on a phone.
pub fn html(view: &FleetView) -> String {
    let mut out = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"refresh\" content=\"30\"><title>Lapak Kiosk fleet</title>\
         <style>body{font-family:sans-serif;margin:0.5em;background:#f4f4f4}\
         .k{background:#fff;border-radius:6px;padding:0.6em;margin:0.5em 0;border-left:6px solid #2a2}\
         .k.alert{border-left-color:#c22}dl{display:grid;grid-template-columns:auto 1fr;gap:0.1em 0.8em;margin:0.3em 0}\
         dt{color:#555}.a{color:#c22;font-weight:bold}</style></head><body>",
    );
    out.push_str(&format!(
        "<h1>Kiosks ({})</h1><p>Updated {}</p>",
        view.kiosks.len(),
        view.generated_at.format("%Y-%m-%d %H:%M:%S UTC")
    ));
    for k in &view.kiosks {
        let class = if k.alerts.is_empty() { "k" } else { "k alert" };
        out.push_str(&format!(
            "<section class=\"{class}\"><h2>{}{}</h2>",
            escape(&k.id),
            if k.revoked { " (revoked)" } else { "" }
        ));
        for a in &k.alerts {
            out.push_str(&format!("<div class=\"a\">⚠ {}</div>", a.text()));
        }
        if let Some(alert) = &k.delivery_alert {
            out.push_str(&format!(
                "<div class=\"a\">{} claim(s) not delivered; the oldest, {}, waiting since {} ({} attempts): {}</div>",
                alert.claims,
                escape(alert.reference.digits()),
                alert.waiting_since.format("%Y-%m-%d %H:%M UTC"),
                alert.attempts,
                escape(&alert.last_error)
            ));
        }
        if let Some(failed) = &k.config_failed {
            out.push_str(&format!(
                "<div class=\"a\">configuration version {} not applied: {}</div>",
                failed.version,
                escape(&failed.reason)
            ));
        }
        let disk = k
            .disk_free_bytes
            .map(|b| format!("{:.1} GB", b as f64 / 1e9))
            .unwrap_or_else(|| "-".into());
        let oldest = k
            .oldest_pending_secs
            .map(|s| format!("{} min", s / 60))
            .unwrap_or_else(|| "-".into());
        out.push_str(&format!(
            "<dl><dt>Last heard</dt><dd>{}</dd><dt>Version</dt><dd>{} ({})</dd><dt>Configuration</dt><dd>{}</dd>\
             <dt>Printer</dt><dd>{}</dd>\
             <dt>Camera</dt><dd>{}</dd><dt>Backlog</dt><dd>{} (oldest {})</dd><dt>Held</dt><dd>{}</dd>\
             <dt>Disk free</dt><dd>{}</dd><dt>Claims received</dt><dd>{}</dd></dl></section>",
            ago(view.generated_at, k.last_heard_at),
            escape(k.version.as_deref().unwrap_or("-")),
            escape(k.package.as_deref().unwrap_or("package unknown")),
            k.config_version
                .map(|v| format!("remote version {v}"))
                .unwrap_or_else(|| "local kiosk.toml".into()),
            snake(&k.printer),
            snake(&k.camera),
            k.backlog.map(|b| b.to_string()).unwrap_or_else(|| "-".into()),
            oldest,
            k.held.map(|b| b.to_string()).unwrap_or_else(|| "-".into()),
            disk,
            k.claims_received,
        ));
    }
    out.push_str("</body></html>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::KioskRow;
    use lapak_core::api::DeviceHealth;

    fn row(id: &str, beat: Option<(DateTime<Utc>, Heartbeat)>) -> FleetRow {
        FleetRow {
            kiosk: KioskRow {
                id: id.into(),
                public_key: String::new(),
                added_at: String::new(),
                revoked_at: None,
            },
            last: beat.map(|(at, b)| {
                (
                    at.to_rfc3339(),
                    serde_json::to_string(&b).unwrap_or_default(),
                )
            }),
            claims: 3,
        }
    }

    fn beat(printer: PrinterState, camera: CameraState, oldest: Option<u64>) -> Heartbeat {
        Heartbeat {
            sent_at: Utc::now(),
            version: "1.2.3".into(),
            devices: DeviceHealth {
                printer,
                camera,
                ..DeviceHealth::default()
            },
            outbox_pending: 4,
            outbox_rejected: 0,
            outbox_held: 0,
            oldest_pending_secs: oldest,
            disk_free_bytes: Some(5_000_000_000),
            last_upload_error: None,
            delivery_alert: None,
            pin_locked_until: None,
            package: Some("source".into()),
            config_version: None,
            config_failed: None,
        }
    }

    #[test]
    fn alerts_follow_the_last_heartbeat() {
        let now = Utc::now();
        let config = CentralConfig::default();
        let rows = vec![
            row(
                "A",
                Some((now, beat(PrinterState::Ok, CameraState::Ok, Some(60)))),
            ),
            row(
                "B",
                Some((
                    now - chrono::Duration::minutes(6),
                    beat(PrinterState::PaperOut, CameraState::Lost, Some(4000)),
                )),
            ),
            row("C", None),
            row(
                "D",
                Some((now, beat(PrinterState::PaperLow, CameraState::Ok, None))),
            ),
        ];
        let v = view(&rows, &config, now);
        assert!(v.kiosks[0].alerts.is_empty());
        assert_eq!(
            v.kiosks[1].alerts,
            vec![
                Alert::NotHeard,
                Alert::PaperOut,
                Alert::CameraLost,
                Alert::Backlog
            ]
        );
        assert_eq!(v.kiosks[2].alerts, vec![Alert::NotHeard]);
        assert_eq!(v.kiosks[3].alerts, vec![Alert::PaperLow]);
        let page = html(&v);
        assert!(
            page.contains("paper out") && page.contains("camera lost") && page.contains("1.2.3")
        );
        assert!(page.contains("viewport"));
    }

    #[test]
    fn held_claims_and_the_delivery_alert_are_alerts_with_their_details() {
        let now = Utc::now();
        let mut held = beat(PrinterState::Ok, CameraState::Ok, None);
        held.outbox_held = 2;
        held.outbox_rejected = 2;
        let mut failing = beat(PrinterState::Ok, CameraState::Ok, None);
        failing.delivery_alert = Some(DeliveryAlert {
            claims: 3,
            reference: lapak_core::claim::reference::ClaimReference::new(9, 17)
                .expect("a reference"),
            attempts: 12,
            waiting_since: now - chrono::Duration::hours(2),
            raised_at: now - chrono::Duration::minutes(40),
            last_error: "401: unknown_kiosk: <not registered>".into(),
        });
        // A kiosk of an older version reports held claims only as `outbox_rejected`.
        let mut older = beat(PrinterState::Ok, CameraState::Ok, None);
        older.outbox_rejected = 1;
        let rows = vec![
            row("H", Some((now, held))),
            row("F", Some((now, failing))),
            row("O", Some((now, older))),
        ];
        let v = view(&rows, &CentralConfig::default(), now);
        assert_eq!(v.kiosks[0].alerts, vec![Alert::HeldClaims]);
        assert_eq!(v.kiosks[0].held, Some(2));
        assert_eq!(v.kiosks[1].alerts, vec![Alert::DeliveryFailing]);
        assert_eq!(v.kiosks[1].held, Some(0));
        assert_eq!(v.kiosks[2].alerts, vec![Alert::HeldClaims]);
        let page = html(&v);
        assert!(page.contains(Alert::HeldClaims.text()));
        assert!(page.contains(Alert::DeliveryFailing.text()));
        let oldest = lapak_core::claim::reference::ClaimReference::new(9, 17).expect("a reference");
        assert!(page.contains(oldest.digits()) && page.contains("12 attempts"));
        assert!(
            page.contains("&lt;not registered&gt;"),
            "the kiosk's error text is escaped"
        );
        let json = serde_json::to_value(&v).unwrap_or_default();
        assert_eq!(json["kiosks"][1]["alerts"][0], "delivery_failing");
        assert_eq!(json["kiosks"][1]["delivery_alert"]["claims"], 3);
    }

    #[test]
    fn a_pin_lockout_in_force_is_an_alert_and_one_that_ended_is_not() {
        let now = Utc::now();
        let locked = |until: DateTime<Utc>| Heartbeat {
            pin_locked_until: Some(until),
            ..beat(PrinterState::Ok, CameraState::Ok, None)
        };
        let rows = vec![
            row(
                "A",
                Some((now, locked(now + chrono::Duration::minutes(14)))),
            ),
            row("B", Some((now, locked(now - chrono::Duration::minutes(1))))),
        ];
        let v = view(&rows, &CentralConfig::default(), now);
        assert_eq!(v.kiosks[0].alerts, vec![Alert::PinLocked]);
        assert!(v.kiosks[1].alerts.is_empty());
        assert!(html(&v).contains("maintenance PIN locked"));
    }

    #[test]
    fn a_failed_configuration_and_a_withdrawn_version_are_alerts_with_the_version_and_package_shown()
     {
        let now = Utc::now();
        let failed = Heartbeat {
            config_version: Some(3),
            config_failed: Some(lapak_core::care::ConfigFailure {
                version: 4,
                reason: "storage.max_pending: must be at least 1".into(),
            }),
            ..beat(PrinterState::Ok, CameraState::Ok, None)
        };
        let rows = vec![
            row("A", Some((now, failed))),
            row(
                "B",
                Some((now, beat(PrinterState::Ok, CameraState::Ok, None))),
            ),
        ];
        let mut v = view(&rows, &CentralConfig::default(), now);
        alert_withdrawn(&mut v, &["1.2.4".to_owned()]);
        assert_eq!(v.kiosks[0].alerts, vec![Alert::ConfigFailed]);
        assert!(v.kiosks[1].alerts.is_empty());
        alert_withdrawn(&mut v, &["1.2.3".to_owned()]);
        assert_eq!(
            v.kiosks[0].alerts,
            vec![Alert::ConfigFailed, Alert::WithdrawnVersion]
        );
        assert_eq!(v.kiosks[1].alerts, vec![Alert::WithdrawnVersion]);
        let page = html(&v);
        assert!(page.contains("1.2.3 (source)"), "{page}");
        assert!(page.contains("remote version 3"));
        assert!(page.contains("configuration version 4 not applied: storage.max_pending"));
        assert!(page.contains(Alert::WithdrawnVersion.text()));
    }

    #[test]
    fn html_escapes_kiosk_ids() {
        let v = view(
            &[row("<b>x</b>", None)],
            &CentralConfig::default(),
            Utc::now(),
        );
        let page = html(&v);
        assert!(page.contains("&lt;b&gt;x&lt;/b&gt;") && !page.contains("<b>x</b>"));
    }
}
