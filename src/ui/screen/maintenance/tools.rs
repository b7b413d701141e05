//! The staff tools behind the health page: the test print, "sync now", sending held claims again, reading
//! the configuration again (and applying it), listing the drives and exporting packets. What touches files or
//! the database runs off the UI thread and reports back as the maintenance screen's own message.

use std::path::PathBuf;
use std::sync::PoisonError;

use iced::Task;

use super::Message;
use crate::config::LoadedConfig;
use crate::i18n::MessageArg;
use crate::outbox::OutboxError;
use crate::ui::Context;
use crate::ui::check::Note;
use crate::ui::context::blocking;
use crate::ui::screen::Action;

/// Prints the staff test page, or says there is no printer.
pub(super) fn test_print(ctx: &Context<'_>) -> Note {
    match &ctx.devices.printer {
        Some(printer) => {
            let job = printer.print_test(ctx.local_time);
            tracing::info!(%job, "test page sent from maintenance mode");
            Note::new("ui-maintenance-test-print-sent", Vec::new())
        }
        None => Note::new("ui-maintenance-no-printer", Vec::new()),
    }
}

/// Wakes the uploader, or says this kiosk has none.
pub(super) fn sync_now(ctx: &Context<'_>) -> Note {
    match &ctx.devices.uploader {
        Some(uploader) => {
            uploader.wake();
            tracing::info!("uploader woken from maintenance mode");
            Note::new("ui-maintenance-sync-started", Vec::new())
        }
        None => Note::new("ui-maintenance-no-uploader", Vec::new()),
    }
}

/// Puts the held claims back in the queue off the UI thread ("send held claims again").
pub(super) fn requeue_held(ctx: &Context<'_>) -> Action<Message> {
    let Some(outbox) = ctx.devices.outbox.clone() else {
        return Action::Notice(Note::new("ui-maintenance-no-outbox", Vec::new()));
    };
    let now = ctx.now;
    Action::Run(Task::perform(
        blocking(move || outbox.requeue_held(now).map_err(|error| error.to_string())),
        |result| {
            Message::Requeued(
                result.unwrap_or_else(|| Err("the work stopped before it finished".to_owned())),
            )
        },
    ))
}

/// Reports the requeue; after claims went back in the queue the uploader is woken.
pub(super) fn requeued(ctx: &Context<'_>, result: Result<usize, String>) -> Note {
    match result {
        Ok(count) => {
            tracing::info!(
                count,
                "held claims put back in the queue from maintenance mode"
            );
            if let Some(uploader) = &ctx.devices.uploader {
                uploader.wake();
            }
            Note::new(
                "ui-maintenance-held-requeued",
                vec![("count", MessageArg::from(count))],
            )
        }
        Err(error) => {
            tracing::error!(%error, "held claims could not be put back in the queue");
            Note::new(
                "ui-maintenance-requeue-failed",
                vec![("error", MessageArg::Text(error))],
            )
        }
    }
}

/// Reads the configuration file again off the UI thread.
pub(super) fn read_config(ctx: &Context<'_>) -> Task<Message> {
    let path = ctx.settings.config_file.clone();
    Task::perform(
        blocking(move || {
            crate::config::KioskConfig::load(path.as_deref())
                .map(Box::new)
                .map_err(|error| error.to_string())
        }),
        |result| {
            Message::ConfigRead(
                result.unwrap_or_else(|| Err("the work stopped before it finished".to_owned())),
            )
        },
    )
}

/// Lists the mounted removable drives off the UI thread.
pub(super) fn find_drives() -> Task<Message> {
    Task::perform(
        blocking(crate::ui::drives::mounted_removable_drives),
        |drives| Message::DrivesFound(drives.unwrap_or_default()),
    )
}

/// Exports the undelivered packets into a new folder `<folder>/<kiosk id>/<date-time>/`, off the UI thread.
pub(super) fn export(ctx: &Context<'_>, folder: PathBuf) -> Action<Message> {
    let Some(outbox) = ctx.devices.outbox.clone() else {
        return Action::Notice(Note::new("ui-maintenance-no-outbox", Vec::new()));
    };
    let kiosk_id = ctx.devices.kiosk_id.clone();
    let at = ctx.now;
    let task = Task::perform(
        blocking(move || {
            outbox
                .export(&folder, &kiosk_id, at)
                .map(|done| (done.count, done.folder))
        }),
        |result| {
            Message::Exported(result.unwrap_or_else(|| {
                Err(OutboxError::Database {
                    action: "export packets",
                    reason: "the export stopped before it finished".to_owned(),
                })
            }))
        },
    );
    Action::Working(Note::new("ui-maintenance-exporting", Vec::new()), task)
}

/// Reports the export with the count and the folder, or why it failed.
pub(super) fn exported(result: Result<(usize, PathBuf), OutboxError>) -> Note {
    match result {
        Ok((count, folder)) => {
            tracing::info!(count, folder = %folder.display(), "packets exported");
            Note::new(
                "ui-maintenance-exported",
                vec![
                    ("count", MessageArg::from(count)),
                    ("folder", MessageArg::Text(folder.display().to_string())),
                ],
            )
        }
        Err(error) => {
            tracing::error!(%error, "export failed");
            Note::new(
                "ui-maintenance-export-failed",
                vec![("error", MessageArg::Text(error.to_string()))],
            )
        }
    }
}

/// Applies a configuration read again: session times, the staff PIN, photo checks, the kiosk's location and
/// the help numbers apply at once; devices, the central service and the claim rules are opened at start and change when the
/// kiosk program restarts. Returns the notice for staff.
pub fn reconfigure(
    context: &mut crate::ui::UiContext,
    gate: &std::sync::Mutex<crate::pin::PinGate>,
    loaded: &LoadedConfig,
) -> Note {
    let config = &loaded.config;
    let settings = &mut context.settings;
    settings.idle_after_secs = config.session.idle_after_secs;
    settings.idle_countdown_secs = config.session.idle_countdown_secs;
    settings.language =
        crate::i18n::Language::from_code(&config.kiosk.language).unwrap_or_default();
    settings.maintenance_pin_hash =
        Some(config.maintenance.pin_hash.clone()).filter(|hash| !hash.is_empty());
    gate.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .replace_hash(settings.maintenance_pin_hash.clone());
    context.devices.quality = config.camera.quality.clone();
    context.devices.location = config.kiosk.location.clone();
    context.devices.help = config.help.clone();
    Note::new(
        "ui-maintenance-config-ok",
        vec![
            ("origin", MessageArg::Text(loaded.origin.to_string())),
            ("warnings", MessageArg::from(loaded.warnings.len())),
        ],
    )
}
