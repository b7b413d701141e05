//! `lapak-central`: the reference central service for Lapak Kiosk.
//!
//! ```text
//! lapak-central [--config central.toml] init
//! lapak-central [--config central.toml] serve [--demo]
//! lapak-central [--config central.toml] kiosk add --id ID [--number N] --public-key KEY | kiosk list | kiosk revoke ID
//! lapak-central [--config central.toml] import DIR [--kiosk ID]
//! lapak-central [--config central.toml] claim set-status REF STATUS [--reason TEXT]
//! lapak-central [--config central.toml] claim export REF --out FILE
//! lapak-central fleet-token
//! lapak-central [--config central.toml] config key | config push --kiosk ID|--group NAME FILE
//! lapak-central [--config central.toml] group add NAME ID… | group list NAME
//! lapak-central [--config central.toml] kiosk diagnose ID | diagnostics get REQUEST --out FILE
//! lapak-central [--config central.toml] version withdraw VERSION [--reason TEXT] | version list
//! ```

mod blobs;
mod care;
mod config;
mod fleet;
mod identity;
mod import;
mod packet_move;
mod s3;
mod server;
mod store;
mod uploads;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use chrono::Utc;
use clap::{Parser, Subcommand};
use lapak_core::api::ClaimStatus;
use lapak_core::signing;

use config::CentralConfig;
use store::Store;

/// The reference central service for Lapak Kiosk.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// The configuration file.
    #[arg(
        long,
        short,
        env = "LAPAK_CENTRAL_CONFIG",
        default_value = "kiosk-config/central.toml"
    )]
    config: PathBuf,
    /// What to do.
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the age identity (mode 0600) and print the recipient every kiosk needs.
    Init,
    /// Run the service until SIGTERM or ctrl-c.
    Serve {
        /// Allow the public demo identity (`kiosk-config/demo/`), whose packets anyone can open: for
        /// demonstrations only.
        #[arg(long)]
        demo: bool,
    },
    /// Store the claims of a kiosk's USB export (`lapak-kiosk outbox export DIR`): each packet verified against
    /// the registered key of its kiosk and checked like an upload; a claim already held is a repeat.
    Import {
        /// The export folder (`index.json`, `REF.tar.age`, `REF.sig`).
        dir: PathBuf,
        /// The sending kiosk, for an index that does not name it.
        #[arg(long)]
        kiosk: Option<String>,
    },
    /// The kiosk registry.
    #[command(subcommand)]
    Kiosk(KioskCommand),
    /// Back-office actions on claims.
    #[command(subcommand)]
    Claim(ClaimCommand),
    /// Make a staff token for the fleet view: prints the token (give it to staff) and the
    /// `fleet_token_sha256` line for central.toml (the file keeps only the hash).
    FleetToken,
    /// Remote configuration: the key kiosks trust, and pushing a signed configuration.
    #[command(subcommand)]
    Config(care::ConfigCommand),
    /// Kiosk groups (for `config push --group`).
    #[command(subcommand)]
    Group(care::GroupCommand),
    /// Diagnostics bundles kiosks uploaded (ask with `kiosk diagnose ID`).
    #[command(subcommand)]
    Diagnostics(care::DiagnosticsCommand),
    /// Move the packets of claims stored before packets left the database into the packet store ([blobs]):
    /// each checked, written and read back before its row names it; safe to stop and run again.
    MovePackets,
    /// Kiosk versions in the fleet: withdraw one.
    #[command(subcommand)]
    Version(care::VersionCommand),
}

#[derive(Subcommand)]
enum KioskCommand {
    /// Register a kiosk, its number and its Ed25519 public key (base64 or hex). Numbers and keys are unique.
    Add {
        /// The kiosk id from provisioning.
        #[arg(long)]
        id: String,
        /// The kiosk number from provisioning (the first five digits of its references). Taken from an id of
        /// the form KIOSK-NNNNN when omitted; required for any other id.
        #[arg(long)]
        number: Option<u32>,
        /// The kiosk's public key.
        #[arg(long)]
        public_key: String,
    },
    /// List the registered kiosks.
    List,
    /// Revoke a kiosk: its requests are refused from now on.
    Revoke {
        /// The kiosk id.
        id: String,
    },
    /// Ask a kiosk for a diagnostics bundle (logs, doctor's report, devices, outbox counts; no personal
    /// data); prints the request id for `diagnostics get`.
    Diagnose {
        /// The kiosk id.
        id: String,
    },
}

#[derive(Subcommand)]
enum ClaimCommand {
    /// Set a claim's status (back-office simulation).
    SetStatus {
        /// The claim reference (13 digits; spaces and dashes are ignored).
        reference: lapak_core::claim::reference::ClaimReference,
        /// received, verifying, approved, rejected or paid.
        status: String,
        /// A reason shown to the participant (for a rejection).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Write a claim's sealed packet (age file) for opening with `age -d -i IDENTITY`.
    Export {
        /// The claim reference (13 digits; spaces and dashes are ignored).
        reference: lapak_core::claim::reference::ClaimReference,
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if matches!(cli.command, Command::FleetToken) {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        let token = hex::encode(secret);
        let hash = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(token.as_bytes()));
        println!("token: {token}");
        println!("fleet_token_sha256 = \"{hash}\"");
        eprintln!(
            "give the token to staff (Authorization: Bearer TOKEN, or as the password in the browser); put the second line in central.toml in place of its fleet_token_sha256 line (above the [blobs] table)"
        );
        return Ok(());
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let config = CentralConfig::load(&cli.config)?;
    match cli.command {
        Command::Init => {
            let recipient = identity::create(&config.identity_file)?;
            println!("{recipient}");
            eprintln!(
                "identity written to {} (keep it secret, back it up); put the recipient above in every kiosk's configuration",
                config.identity_file.display()
            );
        }
        Command::Serve { demo } => serve(&cli.config, config, demo)?,
        Command::MovePackets => {
            let store = open_store(&cli.config, &config)?;
            let blobs = open_blobs(&cli.config, &config)?;
            let report = packet_move::move_inline_packets(&*store, blobs.as_ref())
                .context("moving packets (nothing is lost; run it again)")?;
            println!(
                "moved {} packets ({} bytes) from the database into the packet store",
                report.moved, report.bytes
            );
            for claim_id in &report.mismatched {
                println!(
                    "left in its row: claim {claim_id}: the packet does not match its SHA-256"
                );
            }
        }
        Command::Import { dir, kiosk } => {
            let identity = identity::load(&config.identity_file)?;
            let store = open_store(&cli.config, &config)?;
            let blobs = open_blobs(&cli.config, &config)?;
            let app = server::App::new(config, store, blobs, identity);
            let report = import::import(&app, &dir, kiosk.as_deref())?;
            for (reference, outcome) in &report.claims {
                match outcome {
                    import::Outcome::New => println!("{reference}\tnew"),
                    import::Outcome::AlreadyHad => println!("{reference}\talready had"),
                    import::Outcome::Refused { code, reason } => {
                        println!("{reference}\trefused\t{code}: {reason}")
                    }
                }
            }
            let (new, had, refused) = report.counts();
            println!("{new} new, {had} already had, {refused} refused");
            if refused > 0 {
                bail!("{refused} claim(s) of {} refused", dir.display());
            }
        }
        Command::FleetToken => {}
        Command::Config(command) => {
            care::config(&config, || open_store(&cli.config, &config), command)?
        }
        Command::Group(command) => care::group(&open_store(&cli.config, &config)?, command)?,
        Command::Diagnostics(command) => {
            care::diagnostics(&open_store(&cli.config, &config)?, command)?
        }
        Command::Version(command) => care::version(&open_store(&cli.config, &config)?, command)?,
        Command::Kiosk(command) => {
            let store = open_store(&cli.config, &config)?;
            match command {
                KioskCommand::Add {
                    id,
                    number,
                    public_key,
                } => {
                    if id.trim().is_empty() || id.len() > 64 {
                        bail!("a kiosk id is 1 to 64 characters");
                    }
                    let number = kiosk_number(&id, number)?;
                    let key = signing::parse_public_key(&public_key).context("--public-key")?;
                    store.add_kiosk(&id, number, &signing::public_key_text(&key), Utc::now())?;
                    println!("kiosk {id} (number {number}) added");
                }
                KioskCommand::List => {
                    for k in store.list_kiosks()? {
                        let state = k
                            .revoked_at
                            .map(|at| format!("revoked {at}"))
                            .unwrap_or_else(|| "active".into());
                        let number = store
                            .kiosk_number(&k.id)?
                            .map(|n| format!("number {n}"))
                            .unwrap_or_else(|| "no number (register again with --number)".into());
                        println!(
                            "{}\t{number}\t{}\tadded {}\t{state}",
                            k.id, k.public_key, k.added_at
                        );
                    }
                }
                KioskCommand::Revoke { id } => {
                    if !store.revoke_kiosk(&id, Utc::now())? {
                        bail!("no kiosk {id}");
                    }
                    println!("kiosk {id} revoked");
                }
                KioskCommand::Diagnose { id } => care::diagnose(&store, &id)?,
            }
        }
        Command::Claim(command) => {
            let store = open_store(&cli.config, &config)?;
            match command {
                ClaimCommand::SetStatus {
                    reference,
                    status,
                    reason,
                } => {
                    let Some(status) = ClaimStatus::from_id(&status) else {
                        bail!(
                            "status {status:?}: use received, verifying, approved, rejected or paid"
                        );
                    };
                    if !store.set_status(&reference, status.id(), reason.as_deref(), Utc::now())? {
                        bail!("no claim with reference {}", reference.digits());
                    }
                    println!("{} is now {}", reference.digits(), status.id());
                }
                ClaimCommand::Export { reference, out } => {
                    let Some(stored) = store.packet(&reference)? else {
                        bail!("no claim with reference {}", reference.digits());
                    };
                    let blobs = open_blobs(&cli.config, &config)?;
                    let packet = blobs::packet_bytes(blobs.as_ref(), stored)
                        .with_context(|| format!("the packet of {}", reference.digits()))?;
                    std::fs::write(&out, packet)
                        .with_context(|| format!("writing {}", out.display()))?;
                    println!("{}", out.display());
                }
            }
        }
    }
    Ok(())
}

/// The number for `kiosk add`: `--number`, else the digits of an id `KIOSK-NNNNN`.
fn kiosk_number(id: &str, number: Option<u32>) -> anyhow::Result<u32> {
    let number = match number {
        Some(n) => n,
        None => id
            .strip_prefix("KIOSK-")
            .filter(|digits| digits.len() == 5 && digits.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|digits| digits.parse().ok())
            .with_context(|| {
                format!("--number is required: the id {id:?} is not of the form KIOSK-NNNNN")
            })?,
    };
    if !(1..=lapak_core::claim::reference::MAX_KIOSK_NUMBER).contains(&number) {
        bail!("--number {number}: a kiosk number is 1 to 99999");
    }
    Ok(number)
}

/// Opens the packet store `[blobs]` in `central.toml` names; a failure names the file and the table.
fn open_blobs(
    path: &std::path::Path,
    config: &CentralConfig,
) -> anyhow::Result<Box<dyn blobs::BlobStore>> {
    blobs::open(config).with_context(|| format!("{}: [blobs]", path.display()))
}

/// Opens the database `central.toml` names; a failure names the file and the `database` key.
fn open_store(path: &std::path::Path, config: &CentralConfig) -> anyhow::Result<Store> {
    Store::connect(&config.database).with_context(|| format!("{}: database", path.display()))
}

fn serve(path: &std::path::Path, config: CentralConfig, demo: bool) -> anyhow::Result<()> {
    let identity = identity::load(&config.identity_file)?;
    if !demo && identity::is_demo(&identity) {
        bail!(
            "{}: this is the public demo identity (kiosk-config/demo/), whose packets anyone can open; \
             run `lapak-central init` with another identity_file, or start with `serve --demo` for a demonstration",
            config.identity_file.display()
        );
    }
    let store = open_store(path, &config)?;
    let blobs = open_blobs(path, &config)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("listen = {}", config.listen))?;
        let address = listener.local_addr()?;
        let app = Arc::new(server::App::new(config, store, blobs, identity));
        server::spawn_upload_sweeper(Arc::clone(&app));
        // The first line on stdout tells scripts and tests the actual address (the port may be 0 in config).
        println!("lapak-central listening on http://{address}");
        tracing::info!(%address, "listening");
        axum::serve(listener, server::router(app))
            .with_graceful_shutdown(shutdown_signal())
            .await?;
        tracing::info!("stopped");
        anyhow::Ok(())
    })
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = ctrl_c => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = ctrl_c.await;
        }
    }
    tracing::info!("shutting down");
}
