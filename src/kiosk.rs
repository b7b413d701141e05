//! The kiosk's parts opened from its configuration: identity, outbox and the claim pipeline. The screens, the
//! command line and the tests all start here, so they run the same code.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{ConfigError, KioskConfig, Mode};
use crate::identity::{IdentityError, KEY_FILE, KioskIdentity};
use crate::outbox::{NikHashKey, Outbox, OutboxError, OutboxLimits, OutboxOrigin, OutboxOwner};
use crate::submission::{Submitter, claim_context};

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
    /// The kiosk key exists but its outbox does not: a fresh outbox would count claims from 1 again and reuse
    /// references the central service already holds.
    #[error(
        "{outbox}: the outbox is missing beside the kiosk key {key}; a fresh outbox could reuse claim references. \
         If it is really lost, run `lapak-kiosk outbox init --after-loss` (it asks the central service for the \
         highest sequence used; give `--sequence-floor N` when the service cannot be reached)"
    )]
    OutboxMissing {
        /// The missing outbox database.
        outbox: PathBuf,
        /// The key beside it.
        key: PathBuf,
    },
    /// An outbox exists without its kiosk key: a new key would not be the one its claims were signed with.
    #[error(
        "{outbox}: an outbox exists but the kiosk key {key} does not; put the kiosk key back, or export the \
         outbox (`lapak-kiosk outbox export DIR` with the key in place) and move the data folder away"
    )]
    KeyMissing {
        /// The outbox database.
        outbox: PathBuf,
        /// The missing key file.
        key: PathBuf,
    },
    /// `outbox init --after-loss` found an outbox in place.
    #[error("{0}: an outbox exists already; `outbox init --after-loss` only replaces a lost one")]
    OutboxExists(PathBuf),
    /// `outbox init --after-loss` could not learn the highest sequence used.
    #[error(
        "cannot learn the highest claim sequence from the central service: {0}; when it cannot be reached, give \
         `--sequence-floor N` with the highest sequence staff know this kiosk used (from the central service's records)"
    )]
    SequenceUnknown(String),
    /// The highest sequence used leaves no room for another reference.
    #[error(
        "sequence {0} leaves no room for another reference (the largest is 9999999): check the number, or give this \
         kiosk a new number (`lapak-kiosk provision` in a new data folder)"
    )]
    SequenceTooHigh(u64),
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
    ///
    /// The outbox belongs to the key: when the key exists and the outbox does not, or the other way round, the
    /// kiosk refuses to start ([`StartError::OutboxMissing`], [`StartError::KeyMissing`]) rather than count claim
    /// references from 1 again; an outbox recorded for another key is refused too. Only a demo kiosk's first
    /// start (neither exists) makes both.
    pub fn open(mut config: KioskConfig) -> Result<Kiosk, StartError> {
        let data_dir = config.storage.data_dir.clone();
        let key_path = data_dir.join(KEY_FILE);
        let outbox_path = data_dir.join(OUTBOX_FILE);
        let outbox_existed = outbox_path.exists();
        let key_existed = key_path.exists();
        match (key_existed, outbox_existed) {
            (true, false) => {
                return Err(StartError::OutboxMissing {
                    outbox: outbox_path,
                    key: key_path,
                });
            }
            (false, true) => {
                return Err(StartError::KeyMissing {
                    outbox: outbox_path,
                    key: key_path,
                });
            }
            _ => {}
        }
        // `--central URL` replaces the URL after the file was checked: check the demo rule for it again.
        if let Some(refusal) = crate::config::production::check_demo(&config) {
            return Err(StartError::Config(ConfigError {
                file: "configuration".to_owned(),
                key: refusal.key.to_owned(),
                line: None,
                reason: refusal.reason,
            }));
        }
        let recipient = config.recipient()?;
        let context = claim_context(&config)?;
        let identity = KioskIdentity::load_or_demo(&data_dir, config.kiosk.mode == Mode::Demo)?;
        let origin = if outbox_existed {
            OutboxOrigin::Adopted
        } else {
            OutboxOrigin::Original
        };
        let outbox = open_outbox(&config, &identity).and_then(|outbox| {
            outbox.bind_owner(&OutboxOwner::of(&identity), origin, chrono::Utc::now())?;
            Ok(outbox)
        });
        let outbox = match outbox {
            Ok(outbox) => Arc::new(outbox),
            Err(e) => {
                // A demo first start (neither existed): the key made just now has signed nothing and the outbox
                // holds nothing; take both back, so that the next start is a first start again rather than a key
                // without its outbox.
                if !key_existed {
                    let _ = remove_database_files(&outbox_path);
                    let _ = std::fs::remove_file(&key_path);
                }
                return Err(e.into());
            }
        };
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

    /// At start: asks the central service (when one is configured) for the highest claim sequence it holds for
    /// this kiosk, waiting at most [`crate::sync::sequence::START_TIMEOUT`], and raises the outbox's sequence
    /// above it. When the service does not answer in time, a background thread keeps asking until it does; claims
    /// are taken meanwhile, since the outbox is this kiosk's own (see [`Kiosk::open`]). Returns that thread, if
    /// one was started; `Ok(None)` also when no central service is configured.
    pub fn learn_sequence_floor(
        &self,
    ) -> Result<Option<std::thread::JoinHandle<()>>, crate::sync::SyncError> {
        use crate::sync::{CentralClient, KioskCredentials, SyncError, sequence};
        let credentials = KioskCredentials {
            kiosk_id: self.identity.id().to_owned(),
            signing_key: self.identity.signing_key().clone(),
        };
        let quick = sequence::with_short_timeouts(&self.config.sync, sequence::START_TIMEOUT);
        let quick = match CentralClient::new(&quick, credentials.clone()) {
            Ok(client) => client,
            Err(SyncError::Offline) => return Ok(None),
            Err(e) => return Err(e),
        };
        match sequence::learn(&quick, &self.outbox, self.identity.number()) {
            Ok((reply, next)) => {
                tracing::info!(
                    highest = reply.highest_sequence,
                    next,
                    "claim sequence checked with the central service"
                );
                Ok(None)
            }
            Err(e) => {
                tracing::warn!(error = %e, "claim sequence not checked with the central service yet; asking again in the background");
                let client = CentralClient::new(&self.config.sync, credentials)?;
                let handle = sequence::learn_in_background(
                    client,
                    self.outbox.clone(),
                    self.identity.number(),
                    std::time::Duration::from_secs(1),
                )
                .map_err(|e| SyncError::Client(format!("cannot start a thread: {e}")))?;
                Ok(Some(handle))
            }
        }
    }
}

/// The outbox limits from the configuration.
fn limits(config: &KioskConfig) -> OutboxLimits {
    OutboxLimits {
        max_pending: u64::from(config.storage.max_pending),
        min_free_bytes: config.storage.min_free_mb.saturating_mul(1024 * 1024),
        retention_days: config.storage.retention_days,
    }
}

fn open_outbox(config: &KioskConfig, identity: &KioskIdentity) -> Result<Outbox, OutboxError> {
    Outbox::open(
        &config.storage.data_dir.join(OUTBOX_FILE),
        limits(config),
        NikHashKey::derive(identity.signing_key()),
    )
}

/// Makes the kiosk's identity and its original outbox (`lapak-kiosk provision`). Refuses when a key or an
/// outbox is already in the data folder.
pub fn provision(
    config: &KioskConfig,
    id: Option<&str>,
    number: u32,
) -> Result<KioskIdentity, StartError> {
    let data_dir = &config.storage.data_dir;
    let outbox_path = data_dir.join(OUTBOX_FILE);
    if outbox_path.exists() {
        return Err(StartError::OutboxExists(outbox_path));
    }
    let identity = KioskIdentity::generate(id, number)?;
    identity.save_new(&data_dir.join(KEY_FILE))?;
    let outbox = open_outbox(config, &identity)?;
    outbox.bind_owner(
        &OutboxOwner::of(&identity),
        OutboxOrigin::Original,
        chrono::Utc::now(),
    )?;
    Ok(identity)
}

/// Where `outbox init --after-loss` takes the highest sequence used from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SequenceFloor {
    /// Ask the central service (signed request).
    FromCentral,
    /// The highest sequence staff know was used, when the central service cannot be reached.
    GivenByStaff(u64),
}

/// What `outbox init --after-loss` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AfterLoss {
    /// The highest sequence taken as used.
    pub highest_used: u64,
    /// The next claim's sequence.
    pub next_sequence: u64,
    /// Where the floor came from, as recorded in the outbox.
    pub floor_source: String,
}

/// `lapak-kiosk outbox init --after-loss`: makes a new outbox for the existing kiosk key after the old one was
/// lost, with its sequence above the highest one used (from the central service, or given by staff), and
/// records that it was made so. The outbox is built under a temporary name and moved into place only when
/// complete, so a crash never leaves an outbox with its sequence starting at 1.
pub fn init_after_loss(
    config: &KioskConfig,
    floor: SequenceFloor,
) -> Result<AfterLoss, StartError> {
    let data_dir = &config.storage.data_dir;
    let outbox_path = data_dir.join(OUTBOX_FILE);
    if outbox_path.exists() {
        return Err(StartError::OutboxExists(outbox_path));
    }
    let identity = KioskIdentity::load(&data_dir.join(KEY_FILE))?;
    let (highest_used, floor_source) = match floor {
        SequenceFloor::GivenByStaff(n) => (n, format!("staff: --sequence-floor {n}")),
        SequenceFloor::FromCentral => {
            let credentials = crate::sync::KioskCredentials {
                kiosk_id: identity.id().to_owned(),
                signing_key: identity.signing_key().clone(),
            };
            let client = crate::sync::CentralClient::new(&config.sync, credentials)
                .map_err(|e| StartError::SequenceUnknown(e.to_string()))?;
            let reply = crate::sync::sequence::ask(&client)
                .map_err(|e| StartError::SequenceUnknown(e.to_string()))?;
            if reply.number != identity.number() {
                return Err(StartError::SequenceUnknown(format!(
                    "the central service registered {} as number {}, the key file says {}",
                    identity.id(),
                    reply.number,
                    identity.number()
                )));
            }
            let url = config.sync.central_url.clone().unwrap_or_default();
            (
                reply.highest_sequence,
                format!(
                    "central service {url}: highest sequence {}",
                    reply.highest_sequence
                ),
            )
        }
    };
    if highest_used >= crate::claim::reference::MAX_SEQUENCE {
        return Err(StartError::SequenceTooHigh(highest_used));
    }
    let partial = partial_path(&outbox_path);
    remove_database_files(&partial)?;
    let next_sequence = {
        let outbox = Outbox::open(
            &partial,
            limits(config),
            NikHashKey::derive(identity.signing_key()),
        )?;
        let next = outbox.raise_sequence_floor(highest_used)?;
        outbox.bind_owner(
            &OutboxOwner::of(&identity),
            OutboxOrigin::AfterLoss {
                floor_source: floor_source.clone(),
            },
            chrono::Utc::now(),
        )?;
        next
    };
    // Closed: the write-ahead log is checkpointed into the file and removed. A log left behind would hold part
    // of the new outbox, so the file is not moved into place without it.
    let mut wal = partial.as_os_str().to_owned();
    wal.push("-wal");
    if std::fs::metadata(PathBuf::from(wal)).is_ok_and(|m| m.len() > 0) {
        return Err(StartError::Outbox(OutboxError::Open {
            path: partial,
            reason:
                "the new outbox's write-ahead log was not folded in on close; run the command again"
                    .to_owned(),
        }));
    }
    std::fs::rename(&partial, &outbox_path).map_err(|e| {
        StartError::Outbox(OutboxError::Open {
            path: outbox_path.clone(),
            reason: format!("cannot move {} into place: {e}", partial.display()),
        })
    })?;
    Ok(AfterLoss {
        highest_used,
        next_sequence,
        floor_source,
    })
}

fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

/// Removes a database file and its WAL companions left by an interrupted `init_after_loss`.
fn remove_database_files(path: &Path) -> Result<(), StartError> {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        match std::fs::remove_file(PathBuf::from(name)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(StartError::Outbox(OutboxError::Open {
                    path: path.to_owned(),
                    reason: format!("cannot remove a leftover: {e}"),
                }));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ConfigOrigin;

    fn config(data: &Path, mode: &str) -> KioskConfig {
        let text = format!(
            "[kiosk]\nmode = \"{mode}\"\n[storage]\ndata_dir = \"{}\"\nmin_free_mb = 1\n\
             [camera]\nsource = \"simulated:pattern\"\n[printer]\nenabled = false\n",
            data.display()
        );
        KioskConfig::parse(&text, ConfigOrigin::File("kiosk.toml".into()))
            .expect("config")
            .config
    }

    #[test]
    fn demo_first_start_makes_key_and_outbox_and_opens_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data");
        let first = Kiosk::open(config(&data, "demo")).expect("first start");
        let key = first.identity.public_key_base64();
        assert_eq!(
            first
                .outbox
                .owner()
                .expect("owner")
                .map(|(o, origin)| (o.public_key, origin)),
            Some((key.clone(), OutboxOrigin::Original))
        );
        drop(first);
        let again = Kiosk::open(config(&data, "demo")).expect("second start");
        assert_eq!(again.identity.public_key_base64(), key);
    }

    #[test]
    fn open_refuses_a_fresh_outbox_beside_an_existing_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data");
        let config = config(&data, "demo");
        drop(Kiosk::open(config.clone()).expect("first start"));
        std::fs::remove_file(data.join(OUTBOX_FILE)).expect("lose the outbox");
        let refused = Kiosk::open(config.clone()).err().expect("refused");
        assert!(
            matches!(refused, StartError::OutboxMissing { .. }),
            "{refused}"
        );
        assert!(
            refused
                .to_string()
                .contains("lapak-kiosk outbox init --after-loss"),
            "{refused}"
        );
        assert!(!data.join(OUTBOX_FILE).exists());

        assert!(matches!(
            init_after_loss(&config, SequenceFloor::GivenByStaff(9_999_999)),
            Err(StartError::SequenceTooHigh(9_999_999))
        ));
        assert!(!data.join(OUTBOX_FILE).exists());
        let done = init_after_loss(&config, SequenceFloor::GivenByStaff(41)).expect("staff floor");
        assert_eq!((done.highest_used, done.next_sequence), (41, 42));
        let kiosk = Kiosk::open(config).expect("open after the staff command");
        assert_eq!(kiosk.outbox.next_sequence().expect("sequence"), 42);
        let (_, origin) = kiosk.outbox.owner().expect("owner").expect("recorded");
        assert_eq!(
            origin,
            OutboxOrigin::AfterLoss {
                floor_source: "staff: --sequence-floor 41".to_owned()
            }
        );
    }

    #[test]
    fn open_refuses_an_outbox_without_its_key_and_an_outbox_of_another_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data");
        let config = config(&data, "demo");
        drop(Kiosk::open(config.clone()).expect("first start"));
        let key = data.join(KEY_FILE);
        let kept = dir.path().join("kiosk.key.old");
        std::fs::rename(&key, &kept).expect("move the key away");
        let refused = Kiosk::open(config.clone()).err().expect("refused");
        assert!(
            matches!(refused, StartError::KeyMissing { .. }),
            "{refused}"
        );
        assert!(!key.exists(), "no new key is made beside an outbox");

        KioskIdentity::generate(Some("KIOSK-OTHER"), 9)
            .expect("identity")
            .save_new(&key)
            .expect("another key");
        let refused = Kiosk::open(config).err().expect("refused");
        assert!(
            matches!(
                refused,
                StartError::Outbox(OutboxError::OtherKiosk {
                    expected_number: 9,
                    found_number: 1,
                    ..
                })
            ),
            "{refused}"
        );
    }

    #[test]
    fn a_demo_kiosk_given_a_remote_service_after_loading_does_not_open() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data");
        let mut config = config(&data, "demo");
        config.sync.central_url = Some("https://lapak.example.go.id/".to_owned());
        let refused = Kiosk::open(config).err().expect("refused");
        assert!(
            matches!(&refused, StartError::Config(e) if e.key == "sync.central_url"),
            "{refused}"
        );
        assert!(!data.exists(), "nothing is made before the refusal");
    }

    #[test]
    fn the_sequence_floor_never_goes_down() {
        let dir = tempfile::tempdir().expect("tempdir");
        let kiosk = Kiosk::open(config(&dir.path().join("data"), "demo")).expect("open");
        assert_eq!(kiosk.outbox.raise_sequence_floor(10).expect("raise"), 11);
        assert_eq!(kiosk.outbox.raise_sequence_floor(3).expect("lower"), 11);
        assert_eq!(kiosk.outbox.next_sequence().expect("sequence"), 11);
        assert_eq!(kiosk.outbox.next_sequence().expect("sequence"), 12);
    }

    #[test]
    fn provision_makes_the_original_outbox_and_refuses_over_an_existing_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data");
        let config = config(&data, "demo");
        let identity = provision(&config, None, 7).expect("provision");
        assert!(data.join(OUTBOX_FILE).exists());
        let outbox = open_outbox(&config, &identity).expect("outbox");
        assert_eq!(
            outbox
                .owner()
                .expect("owner")
                .map(|(o, origin)| (o.kiosk_number, origin)),
            Some((7, OutboxOrigin::Original))
        );
        drop(outbox);
        std::fs::remove_file(data.join(KEY_FILE)).expect("remove the key");
        assert!(matches!(
            provision(&config, None, 8),
            Err(StartError::OutboxExists(_))
        ));
    }
}
