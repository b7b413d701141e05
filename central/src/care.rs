//! Looking after kiosks from afar (kiosks sit behind NAT, so everything rides on their own requests): the
//! configuration key, and the staff commands `config`, `group`, `kiosk diagnose`, `diagnostics` and
//! `version`.
//!
//! The configuration key is an Ed25519 key derived from the service's age identity (like the look-up key), so
//! there is no other secret file to keep; `lapak-central config key` prints its public half for every kiosk's
//! `central.config_key`.

use std::path::PathBuf;

use age::secrecy::ExposeSecret as _;
use anyhow::{Context as _, bail};
use chrono::Utc;
use clap::Subcommand;
use ed25519_dalek::SigningKey;
use sha2::{Digest as _, Sha256};

use crate::config::CentralConfig;
use crate::identity;
use crate::store::Store;

/// The Ed25519 key remote configurations are signed with, derived from the identity.
pub fn config_key(identity: &age::x25519::Identity) -> SigningKey {
    let mut hasher = Sha256::new();
    hasher.update(b"lapak-central/config-key/v1\0");
    hasher.update(identity.to_string().expose_secret().as_bytes());
    SigningKey::from_bytes(&hasher.finalize().into())
}

/// `lapak-central config …`.
#[derive(Subcommand)]
pub enum ConfigCommand {
    /// Print the public configuration key: put it in every kiosk's `central.config_key`.
    Key,
    /// Sign and store a configuration (TOML with only the keys that may be set from afar) for one kiosk or a
    /// group; the kiosks learn of it in their next heartbeat answer.
    Push {
        /// For this kiosk.
        #[arg(long, conflicts_with = "group", required_unless_present = "group")]
        kiosk: Option<String>,
        /// For every kiosk of this group (`lapak-central group add`).
        #[arg(long)]
        group: Option<String>,
        /// The TOML file.
        file: PathBuf,
    },
}

/// `lapak-central group …`.
#[derive(Subcommand)]
pub enum GroupCommand {
    /// Put kiosks in a group.
    Add {
        /// The group's name.
        name: String,
        /// The kiosk ids.
        #[arg(required = true)]
        kiosks: Vec<String>,
    },
    /// List a group's kiosks.
    List {
        /// The group's name.
        name: String,
    },
}

/// `lapak-central diagnostics …`.
#[derive(Subcommand)]
pub enum DiagnosticsCommand {
    /// Write a kiosk's uploaded diagnostics bundle (JSON) to a file, or say it has not arrived yet.
    Get {
        /// The request id `lapak-central kiosk diagnose` printed.
        request: String,
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
    },
}

/// `lapak-central version …`.
#[derive(Subcommand)]
pub enum VersionCommand {
    /// Mark a kiosk version withdrawn: the fleet view alerts on every kiosk running it.
    Withdraw {
        /// The version as kiosks report it (`lapak-kiosk --version`).
        version: String,
        /// Why, shown to staff.
        #[arg(long, default_value = "withdrawn")]
        reason: String,
    },
    /// List the withdrawn versions.
    List,
}

/// Runs `config …`.
pub fn config(
    config: &CentralConfig,
    store: impl FnOnce() -> anyhow::Result<Store>,
    command: ConfigCommand,
) -> anyhow::Result<()> {
    let identity = identity::load(&config.identity_file)?;
    let key = config_key(&identity);
    match command {
        ConfigCommand::Key => {
            println!(
                "{}",
                lapak_core::signing::public_key_text(&key.verifying_key())
            );
            eprintln!("put it in every kiosk's kiosk.toml: [central] config_key = \"…\"");
        }
        ConfigCommand::Push { kiosk, group, file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            lapak_core::care::check_remote_keys(&text)
                .map_err(|reason| anyhow::anyhow!("{}: {reason}", file.display()))?;
            let store = store()?;
            let target = match (kiosk, group) {
                (Some(id), None) => {
                    if store.kiosk(&id)?.is_none() {
                        bail!("no kiosk {id}");
                    }
                    format!("kiosk:{id}")
                }
                (None, Some(name)) => {
                    if store.group_members(&name)?.is_empty() {
                        bail!("group {name} has no kiosks (lapak-central group add {name} ID…)");
                    }
                    format!("group:{name}")
                }
                _ => bail!("give either --kiosk ID or --group NAME"),
            };
            let sign = |version: u64| lapak_core::care::sign_config(&key, &target, version, &text);
            let version = store.push_config(&target, &text, &sign, Utc::now())?;
            println!("configuration version {version} pushed to {target}");
        }
    }
    Ok(())
}

/// Runs `group …`.
pub fn group(store: &Store, command: GroupCommand) -> anyhow::Result<()> {
    match command {
        GroupCommand::Add { name, kiosks } => {
            if name.trim().is_empty() || name.len() > 64 {
                bail!("a group name is 1 to 64 characters");
            }
            for id in &kiosks {
                if !store.join_group(id, &name)? {
                    bail!("no kiosk {id}");
                }
            }
            println!("{} kiosk(s) in group {name}", kiosks.len());
        }
        GroupCommand::List { name } => {
            for id in store.group_members(&name)? {
                println!("{id}");
            }
        }
    }
    Ok(())
}

/// Runs `kiosk diagnose ID`: records the request and prints its id.
pub fn diagnose(store: &Store, kiosk_id: &str) -> anyhow::Result<()> {
    if store.kiosk(kiosk_id)?.is_none() {
        bail!("no kiosk {kiosk_id}");
    }
    let request = uuid::Uuid::new_v4().to_string();
    store.request_diagnostics(kiosk_id, &request, Utc::now())?;
    println!("{request}");
    eprintln!(
        "the kiosk uploads its bundle after its next heartbeat; fetch it with `lapak-central diagnostics get {request} --out FILE`"
    );
    Ok(())
}

/// Runs `diagnostics …`.
pub fn diagnostics(store: &Store, command: DiagnosticsCommand) -> anyhow::Result<()> {
    match command {
        DiagnosticsCommand::Get { request, out } => {
            let Some(row) = store.diagnostics(&request)? else {
                bail!("no diagnostics request {request}");
            };
            let Some(bundle) = row.bundle else {
                bail!(
                    "kiosk {} has not uploaded the bundle yet (asked {}); it does after its next heartbeat",
                    row.kiosk_id,
                    row.requested_at
                );
            };
            std::fs::write(&out, bundle).with_context(|| format!("writing {}", out.display()))?;
            println!("{}", out.display());
        }
    }
    Ok(())
}

/// Runs `version …`.
pub fn version(store: &Store, command: VersionCommand) -> anyhow::Result<()> {
    match command {
        VersionCommand::Withdraw { version, reason } => {
            if version.trim().is_empty() {
                bail!("give the version to withdraw, e.g. 0.1.0");
            }
            store.withdraw_version(version.trim(), &reason, Utc::now())?;
            println!("version {} withdrawn", version.trim());
        }
        VersionCommand::List => {
            for w in store.withdrawn_versions()? {
                println!("{}\t{}\t{}", w.version, w.withdrawn_at, w.reason);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_key_is_fixed_by_the_identity_and_differs_between_identities() {
        let a = age::x25519::Identity::generate();
        let b = age::x25519::Identity::generate();
        assert_eq!(config_key(&a).to_bytes(), config_key(&a).to_bytes());
        assert_ne!(config_key(&a).to_bytes(), config_key(&b).to_bytes());
    }
}
