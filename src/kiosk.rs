//! The kiosk's parts opened from its configuration: identity, outbox and the claim pipeline. The screens, the
//! command line and the tests all start here, so they run the same code.

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::{ConfigError, KioskConfig, Mode};
use crate::identity::{IdentityError, KioskIdentity};
use crate::outbox::{NikHashKey, Outbox, OutboxError, OutboxLimits};
use crate::submission::{ClaimContext, Submitter};

/// The outbox database's file name in the data directory.
pub const OUTBOX_FILE: &str = "outbox.sqlite3";

/// The simulated printer's output file in the data directory, when the configuration names none.
pub const SIMULATED_RECEIPTS_FILE: &str = "receipts.txt";

/// Why the kiosk could not start.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StartError {
    /// The configuration is unusable.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The kiosk key is missing or unreadable.
    #[error(transparent)]
    Identity(#[from] IdentityError),
    /// The outbox cannot be opened.
    #[error(transparent)]
    Outbox(#[from] OutboxError),
}

/// An opened kiosk: what every part needs.
pub struct Kiosk {
    /// The configuration in force.
    pub config: KioskConfig,
    /// Who this kiosk is.
    pub identity: KioskIdentity,
    /// The durable outbox.
    pub outbox: Arc<Outbox>,
    /// The claim pipeline.
    pub submitter: Arc<Submitter>,
}

impl Kiosk {
    /// Opens the kiosk: the identity (made on first start in demo mode), the outbox (claims left `sending`
    /// requeued) and the claim pipeline.
    pub fn open(mut config: KioskConfig) -> Result<Kiosk, StartError> {
        let data_dir = config.storage.data_dir.clone();
        let identity = KioskIdentity::load_or_demo(&data_dir, config.kiosk.mode == Mode::Demo)?;
        let recipient = config.recipient()?;
        let context = ClaimContext::from_config(&config)?;
        let limits = OutboxLimits {
            max_pending: u64::from(config.storage.max_pending),
            min_free_bytes: config.storage.min_free_mb.saturating_mul(1024 * 1024),
            retention_days: config.storage.retention_days,
        };
        let outbox = Arc::new(Outbox::open(
            &data_dir.join(OUTBOX_FILE),
            limits,
            NikHashKey::derive(identity.signing_key()),
        )?);
        if outbox.requeued_at_open() > 0 {
            tracing::info!(
                claims = outbox.requeued_at_open(),
                "claims left in flight by the last run are queued again"
            );
        }
        if config.printer.is_simulated() && config.printer.simulator_output.is_empty() {
            config.printer.simulator_output =
                data_dir.join(SIMULATED_RECEIPTS_FILE).display().to_string();
        }
        let submitter = Arc::new(Submitter::new(
            outbox.clone(),
            identity.clone(),
            recipient,
            context,
        ));
        Ok(Kiosk {
            config,
            identity,
            outbox,
            submitter,
        })
    }

    /// The data directory.
    pub fn data_dir(&self) -> PathBuf {
        self.config.storage.data_dir.clone()
    }
}
