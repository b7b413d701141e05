//! The `lapak-kiosk` command: the kiosk itself and the tools field staff use to look after it.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use lapak_kiosk::config::{KioskConfig, LoadedConfig, Mode};
use lapak_kiosk::identity::{KEY_FILE, KioskIdentity};

/// Lapak Kiosk: self-service JHT claims, sealed and stored on the kiosk, forwarded when the central service is
/// reachable.
#[derive(Parser)]
#[command(name = "lapak-kiosk", version, about, long_about = None)]
struct Cli {
    /// The configuration file. Default: ./kiosk-config/kiosk.toml if it exists, else the embedded defaults
    /// (demo mode).
    #[arg(long, global = true, env = "LAPAK_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Makes this kiosk's identity: an Ed25519 key pair (file mode 0600) and a kiosk id. Prints the public key
    /// to register with `lapak-central kiosk add`.
    Provision {
        /// The kiosk number (1-99999): the first five digits of every claim reference. Unique in the fleet.
        #[arg(long)]
        number: u32,
        /// The kiosk id sent with every request. Default: KIOSK-<number>.
        #[arg(long)]
        id: Option<String>,
    },
    /// Checks the configuration and reports what it would use.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
}

#[derive(Subcommand)]
enum ConfigAction {
    /// Loads and checks the configuration: errors name the file, line, key and reason; unknown keys are warned.
    Check,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("LAPAK_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn load_config(path: Option<&std::path::Path>) -> anyhow::Result<LoadedConfig> {
    let loaded = KioskConfig::load(path)?;
    for warning in &loaded.warnings {
        eprintln!("warning: {warning}");
    }
    Ok(loaded)
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Provision { number, id } => {
            let loaded = load_config(cli.config.as_deref())?;
            let path = loaded.config.storage.data_dir.join(KEY_FILE);
            let identity = KioskIdentity::generate(id.as_deref(), number)?;
            identity
                .save_new(&path)
                .with_context(|| "provisioning refused".to_owned())?;
            println!("kiosk id:    {}", identity.id());
            println!("kiosk number: {}", identity.number());
            println!("key file:    {} (mode 0600)", path.display());
            println!("public key:  {}", identity.public_key_base64());
            println!();
            println!(
                "Register it on the central service:\n  lapak-central kiosk add --id {} --public-key {}",
                identity.id(),
                identity.public_key_base64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Config {
            action: ConfigAction::Check,
        } => {
            let loaded = load_config(cli.config.as_deref())?;
            let config = &loaded.config;
            println!("configuration: {} — ok", loaded.origin);
            println!(
                "mode:          {}",
                match config.kiosk.mode {
                    Mode::Demo => "demo",
                    Mode::Production => "production",
                }
            );
            println!("data dir:      {}", config.storage.data_dir.display());
            let recipient = config.recipient()?;
            println!(
                "sealed to:     {recipient}{}",
                if config.uses_demo_recipient() {
                    " (the public demo recipient: not for production)"
                } else {
                    ""
                }
            );
            if !loaded.warnings.is_empty() {
                println!("{} warning(s), see above", loaded.warnings.len());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
