//! `lapak-central`: the reference central service for Lapak Kiosk.
//!
//! ```text
//! lapak-central [--config central.toml] init
//! lapak-central [--config central.toml] serve
//! lapak-central [--config central.toml] kiosk add --id ID --public-key KEY | kiosk list | kiosk revoke ID
//! lapak-central [--config central.toml] claim set-status REF STATUS [--reason TEXT]
//! lapak-central [--config central.toml] claim export REF --out FILE
//! ```

mod config;
mod fleet;
mod identity;
mod server;
mod store;
mod uploads;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use chrono::Utc;
use clap::{Parser, Subcommand};
use lapak_kiosk::sync::api::ClaimStatus;
use lapak_kiosk::sync::signing;

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
    Serve,
    /// The kiosk registry.
    #[command(subcommand)]
    Kiosk(KioskCommand),
    /// Back-office actions on claims.
    #[command(subcommand)]
    Claim(ClaimCommand),
}

#[derive(Subcommand)]
enum KioskCommand {
    /// Register a kiosk and its Ed25519 public key (base64 or hex).
    Add {
        /// The kiosk id from provisioning.
        #[arg(long)]
        id: String,
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
}

#[derive(Subcommand)]
enum ClaimCommand {
    /// Set a claim's status (back-office simulation).
    SetStatus {
        /// The claim reference.
        reference: String,
        /// received, verifying, approved, rejected or paid.
        status: String,
        /// A reason shown to the participant (for a rejection).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Write a claim's sealed packet (age file) for opening with `age -d -i IDENTITY`.
    Export {
        /// The claim reference.
        reference: String,
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
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
        Command::Serve => serve(config)?,
        Command::Kiosk(command) => {
            let store = Store::open(&config.database)?;
            match command {
                KioskCommand::Add { id, public_key } => {
                    if id.trim().is_empty() || id.len() > 64 {
                        bail!("a kiosk id is 1 to 64 characters");
                    }
                    let key = signing::parse_public_key(&public_key).context("--public-key")?;
                    store.add_kiosk(&id, &signing::public_key_text(&key), Utc::now())?;
                    println!("kiosk {id} added");
                }
                KioskCommand::List => {
                    for k in store.list_kiosks()? {
                        let state = k
                            .revoked_at
                            .map(|at| format!("revoked {at}"))
                            .unwrap_or_else(|| "active".into());
                        println!("{}\t{}\tadded {}\t{state}", k.id, k.public_key, k.added_at);
                    }
                }
                KioskCommand::Revoke { id } => {
                    if !store.revoke_kiosk(&id, Utc::now())? {
                        bail!("no kiosk {id}");
                    }
                    println!("kiosk {id} revoked");
                }
            }
        }
        Command::Claim(command) => {
            let store = Store::open(&config.database)?;
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
                        bail!("no claim with reference {reference}");
                    }
                    println!("{reference} is now {}", status.id());
                }
                ClaimCommand::Export { reference, out } => {
                    let Some(packet) = store.packet(&reference)? else {
                        bail!("no claim with reference {reference}");
                    };
                    std::fs::write(&out, packet)
                        .with_context(|| format!("writing {}", out.display()))?;
                    println!("{}", out.display());
                }
            }
        }
    }
    Ok(())
}

fn serve(config: CentralConfig) -> anyhow::Result<()> {
    let identity = identity::load(&config.identity_file)?;
    let store = Store::open(&config.database)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("listen = {}", config.listen))?;
        let address = listener.local_addr()?;
        let app = Arc::new(server::App::new(config, store, identity));
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
