//! `lapak-kiosk` with no subcommand: opens the kiosk, starts its device and sync workers, runs the screens.
//!
//! Every device is optional at start: a camera that does not open, a printer that is unplugged or a central
//! service that is down each becomes a state the screens show, never a reason not to start.

use std::sync::Arc;

use anyhow::Context;

use lapak_kiosk::camera;
use lapak_kiosk::config::KioskConfig;
use lapak_kiosk::kiosk::Kiosk;
use lapak_kiosk::printer;
use lapak_kiosk::sync::api::{
    CameraState as WireCamera, DeviceHealth, PrinterState as WirePrinter,
};
use lapak_kiosk::sync::diagnostics::{Diagnostics, DiagnosticsSources};
use lapak_kiosk::sync::heartbeat::{HeartbeatSources, HeartbeatWorker};
use lapak_kiosk::sync::remote_config::{self, RemoteCare};
use lapak_kiosk::sync::uploader::Uploader;
use lapak_kiosk::sync::{CentralClient, ClaimQueue, KioskCredentials, LocalClaims, SyncError};
use lapak_kiosk::ui::{self, Devices, StatusChecker, UiContext, UiSettings};

/// Options from the command line.
pub struct StartOptions {
    /// Talk to this central service instead of the configured one.
    pub central: Option<String>,
    /// A 1280x800 window instead of fullscreen.
    pub windowed: bool,
    /// The configuration file in use (re-read by the maintenance screen's "reload config").
    pub config_file: Option<std::path::PathBuf>,
}

/// Runs the kiosk until its window closes.
pub fn run(mut config: KioskConfig, options: StartOptions) -> anyhow::Result<()> {
    if let Some(url) = options.central {
        config.sync.central_url = Some(url);
        config.sync.validate().context("--central")?;
    }
    let kiosk = Kiosk::open(config)?;
    let config = kiosk.config.clone();
    // The thread (if the central service did not answer at once) ends by itself once it has the answer.
    let _sequence_floor = kiosk.learn_sequence_floor().context("sync")?;
    // Delivered claims leave the kiosk within `storage.retention_days`: a purge now and then daily.
    let purge = lapak_kiosk::outbox::purge_worker::PurgeWorker::spawn(
        kiosk.outbox.clone(),
        lapak_kiosk::outbox::purge_worker::PURGE_EVERY,
    )?;

    let (camera, demo_camera) = match camera::spawn_with_control(&config.camera) {
        Ok((handle, control)) => {
            // The camera rests (closed, its light off) until a screen that shows it watches it.
            handle.pause();
            (Some(Arc::new(handle)), control)
        }
        Err(e) => {
            tracing::warn!(error = %e, "camera not available: claims are paused until it is");
            (None, None)
        }
    };
    let printer = if config.printer.enabled {
        match printer::spawn(&config.printer) {
            Ok(handle) => Some(Arc::new(handle)),
            Err(e) => {
                tracing::warn!(error = %e, "printer not available: references are shown on screen only");
                None
            }
        }
    } else {
        None
    };

    let credentials = KioskCredentials {
        kiosk_id: kiosk.identity.id().to_owned(),
        signing_key: kiosk.identity.signing_key().clone(),
    };
    let central = match CentralClient::new(&config.sync, credentials) {
        Ok(client) => Some(client),
        Err(SyncError::Offline) => {
            tracing::info!(
                "no central service configured: claims stay in the outbox (offline demo)"
            );
            None
        }
        Err(e) => return Err(e).context("sync"),
    };
    let queue: Arc<dyn ClaimQueue> = kiosk.outbox.clone();
    let uploader = match &central {
        Some(client) => Some(Arc::new(Uploader::spawn(
            client.clone(),
            queue.clone(),
            Box::new(|event| tracing::info!(?event, "upload")),
        )?)),
        None => None,
    };
    let heartbeat = match &central {
        Some(client) => {
            let camera_for_beat = camera.clone();
            let printer_for_beat = printer.clone();
            let camera_for_diagnostics = camera.clone();
            let printer_for_diagnostics = printer.clone();
            let uploader_status = uploader.clone();
            let uploader_alert = uploader.clone();
            Some(HeartbeatWorker::spawn(
                client.clone(),
                HeartbeatSources {
                    devices: Box::new(move || {
                        device_health(camera_for_beat.as_deref(), printer_for_beat.as_deref())
                    }),
                    last_upload_error: Box::new(move || {
                        uploader_status.as_ref().and_then(|u| u.status().last_error)
                    }),
                    delivery_alert: Box::new(move || {
                        uploader_alert.as_ref().and_then(|u| u.status().alert)
                    }),
                    queue: queue.clone(),
                    data_dir: kiosk.data_dir(),
                    care: Some(Arc::new(lapak_kiosk::sync::care::Care {
                        config: RemoteCare::new(
                            options.config_file.clone(),
                            &config.central.config_key,
                            Box::new(remote_config::devices_exist),
                            Box::new(remote_config::hand_to_screens),
                        ),
                        diagnostics: Some(Diagnostics::new(DiagnosticsSources {
                            config_file: options.config_file.clone(),
                            devices: Box::new(move || {
                                device_health(
                                    camera_for_diagnostics.as_deref(),
                                    printer_for_diagnostics.as_deref(),
                                )
                            }),
                            queue: queue.clone(),
                            logs: Box::new(lapak_kiosk::log_ring::lines),
                        })),
                    })),
                },
            )?)
        }
        None => None,
    };

    let local: Arc<dyn LocalClaims + Send + Sync> = kiosk.outbox.clone();
    let context = kiosk.submitter.context();
    let ui_context = UiContext {
        settings: UiSettings {
            idle_after_secs: config.session.idle_after_secs,
            idle_countdown_secs: config.session.idle_countdown_secs,
            fullscreen: config.session.fullscreen && !options.windowed,
            maintenance_pin_hash: Some(config.maintenance.pin_hash.clone())
                .filter(|h| !h.is_empty()),
            // The file "Reload config" reads again: the one this kiosk started from.
            config_file: options.config_file.clone(),
            time_zone: config.kiosk.time_zone,
            retention_days: config.storage.retention_days,
            pin_lockout_file: Some(
                kiosk
                    .data_dir()
                    .join(lapak_kiosk::pin_lockout::PIN_LOCKOUT_FILE),
            ),
            language: lapak_kiosk::i18n::Language::from_code(&config.kiosk.language)
                .unwrap_or_default(),
        },
        rules: Arc::new(context.rules.clone()),
        banks: Arc::new(context.banks.clone()),
        devices: Devices {
            camera,
            quality: config.camera.quality.clone(),
            printer,
            submitter: Some(kiosk.submitter.clone()),
            receipt_header: vec![
                "BPJS KETENAGAKERJAAN".to_owned(),
                "KIOS LAPAK ASIK".to_owned(),
            ],
            location: config.kiosk.location.clone(),
            kiosk_id: kiosk.identity.id().to_owned(),
            status: Some(StatusChecker {
                central: central.map(Arc::new),
                local,
            }),
            outbox: Some(kiosk.outbox.clone()),
            uploader: uploader.clone(),
            demo_camera,
            service: lapak_kiosk::service_notify::ServiceNotifier::from_env().map(Arc::new),
            sound: lapak_kiosk::sound::start(&config.sound),
            help: config.help.clone(),
            narrator: Default::default(),
            read_cards: config.reading.reads_cards(),
        },
    };
    let result = ui::run(ui_context);
    // Dropping the workers stops them; a claim being sent is finished or left pending for the next start.
    drop(heartbeat);
    drop(uploader);
    drop(purge);
    result.context("the kiosk window")
}

fn device_health(
    camera: Option<&camera::CameraHandle>,
    printer: Option<&printer::PrinterHandle>,
) -> DeviceHealth {
    let (camera, camera_detail) = match camera.map(camera::CameraHandle::state) {
        Some(camera::CameraState::Running(info) | camera::CameraState::Paused(info)) => {
            (WireCamera::Ok, Some(info.name))
        }
        Some(camera::CameraState::Lost(why)) => (WireCamera::Lost, Some(why)),
        Some(camera::CameraState::Starting) | Some(camera::CameraState::Stopped) => {
            (WireCamera::Unknown, None)
        }
        None => (WireCamera::Lost, Some("camera did not open".to_owned())),
    };
    let (printer, printer_detail) = match printer.map(printer::PrinterHandle::status) {
        Some(status) => {
            let wire = match status.state {
                printer::PrinterState::Ready => WirePrinter::Ok,
                printer::PrinterState::PaperLow => WirePrinter::PaperLow,
                printer::PrinterState::PaperOut => WirePrinter::PaperOut,
                printer::PrinterState::NoResponse => WirePrinter::Unknown,
                _ => WirePrinter::Error,
            };
            (wire, Some(format!("{:?}", status.state)))
        }
        None => (WirePrinter::Unknown, Some("no printer".to_owned())),
    };
    DeviceHealth {
        printer,
        printer_detail,
        camera,
        camera_detail,
    }
}
