//! The `lapak-kiosk` command: the kiosk itself and the tools field staff use to look after it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use lapak_kiosk::config::{KioskConfig, LoadedConfig, Mode};
use lapak_kiosk::identity::KEY_FILE;
use lapak_kiosk::kiosk::Kiosk;

mod claim_file;
mod cli;
#[cfg(feature = "ui")]
mod start_kiosk;

/// Lapak Kiosk: self-service JHT claims, sealed and stored on the kiosk, forwarded when the central service is
/// reachable.
#[derive(Parser)]
#[command(name = "lapak-kiosk", version, about, long_about = None)]
struct Cli {
    /// The configuration file. Default: ./kiosk-config/kiosk.toml if it exists, else the embedded defaults
    /// (demo mode).
    #[arg(long, global = true, env = "LAPAK_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,

    /// Run the kiosk against this central service (e.g. http://127.0.0.1:8080), instead of `sync.central_url`.
    #[arg(long, global = true, value_name = "URL")]
    central: Option<String>,

    /// Run the kiosk in a 1280x800 window instead of fullscreen.
    #[arg(long)]
    windowed: bool,

    /// Without a command, the kiosk's screens start.
    #[command(subcommand)]
    command: Option<Command>,
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
    /// Claims without the screens (staff test claims, scripted checks).
    Claim {
        #[command(subcommand)]
        action: ClaimAction,
    },
    /// The outbox: claims stored on this kiosk and their delivery state.
    Outbox {
        #[command(subcommand)]
        action: OutboxAction,
    },
    /// Prints a test page on the receipt printer and reports the printer's state.
    PrintTest,
    /// Photographs one frame with the configured camera and saves it as JPEG.
    CameraTest {
        /// Where to save the picture.
        #[arg(long, value_name = "FILE.jpg")]
        save: PathBuf,
    },
    /// Reads a staff PIN (4-8 digits) from standard input and prints its argon2 hash for
    /// `maintenance.pin_hash`.
    PinHash,
    /// Sends every waiting claim to the central service now, showing progress.
    Sync {
        /// Stop after this many failures in a row (the rest stays queued for the kiosk's uploader).
        #[arg(long, default_value_t = 5)]
        give_up_after: u32,
    },
    /// Asks for the status of a claim: the central service if reachable, else what this kiosk knows. The
    /// participant's NIK is read from standard input (one line), so that it never appears in the process list
    /// or the shell history.
    Status {
        /// The claim reference (digits; spaces and dashes are ignored).
        reference: String,
    },
    /// Checks every part of the kiosk (configuration, data folder and disk, key, outbox, camera, printer) and
    /// prints each fault with its fix. Exit code 1 when anything is broken. Run it while the kiosk is stopped.
    Doctor {
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ClaimAction {
    /// Checks, seals and stores a claim through the same pipeline as the screens, marked as a test claim.
    /// Prints the claim reference.
    Submit {
        /// A JSON file with `fields`, `reason`, `bank` (and optionally `balance_above_npwp_threshold`), as in
        /// tests/fixtures/claim-resign.json.
        #[arg(long, value_name = "FILE")]
        manifest: PathBuf,
        /// A folder with one JPEG per required document, named by document kind: `ektp.jpg`, `kpj_card.jpg`,
        /// `kartu_keluarga.jpg`, `bank_book.jpg`, `selfie.jpg`, …
        #[arg(long, value_name = "DIR")]
        photos: PathBuf,
        /// Store it as a real claim rather than a test claim.
        #[arg(long)]
        not_test: bool,
    },
}

#[derive(Subcommand)]
enum OutboxAction {
    /// Lists stored claims (no personal data: reference, state, attempts, times, last error).
    List {
        /// Only claims in this state: pending, sending, delivered, held.
        #[arg(long)]
        state: Option<String>,
        /// At most this many, newest first.
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Copies every pending or held sealed packet (`REF.tar.age` + `REF.sig` + an index) to a folder, e.g. a
    /// USB stick, for when the network has been down for long.
    Export {
        /// The destination folder (created if missing).
        dir: PathBuf,
    },
    /// Deletes delivered claims older than `storage.retention_days`.
    Purge,
    /// Sends a held claim again (after the cause of its refusal is fixed): back in the queue, due now; a
    /// running kiosk's uploader picks it up, or run `lapak-kiosk sync`.
    Requeue {
        /// The reference of the held claim (digits; spaces and dashes are ignored).
        #[arg(required_unless_present = "held", conflicts_with = "held")]
        reference: Option<String>,
        /// Every held claim.
        #[arg(long)]
        held: bool,
    },
    /// Makes a new outbox for this kiosk's key after the old one was lost (deleted, or a disk restored without
    /// it): its claim sequence continues above the highest one the central service holds, so no reference is
    /// made twice. The kiosk refuses to start beside its key without an outbox until this is run.
    Init {
        /// Confirms that the previous outbox is lost (required).
        #[arg(long, required = true)]
        after_loss: bool,
        /// The highest sequence this kiosk used, when the central service cannot be reached (staff read it from
        /// the central service's records or the last receipts). Without it the central service is asked.
        #[arg(long, value_name = "N")]
        sequence_floor: Option<u64>,
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
        // stderr (the journal), with the newest lines kept in memory for a diagnostics bundle.
        .with_writer(lapak_kiosk::log_ring::Tee)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(feature = "ui")]
fn start(
    config: Option<&std::path::Path>,
    central: Option<String>,
    windowed: bool,
) -> anyhow::Result<ExitCode> {
    // Checked first: a kiosk started without a display says so (and does not count it against a pushed
    // configuration), instead of failing deep in the window system.
    if !display_available() {
        anyhow::bail!(
            "no display: the kiosk's screens need a Wayland compositor (WAYLAND_DISPLAY, as cage gives them in \
             lapak-kiosk.service) or an X server (DISPLAY); `lapak-kiosk doctor` checks everything else without one"
        );
    }
    // A remote configuration the kiosk keeps failing to start with is rolled back before it is read.
    let config_file = config.map(Path::to_path_buf).or_else(|| {
        let default = PathBuf::from(lapak_kiosk::config::DEFAULT_CONFIG_PATH);
        default.is_file().then_some(default)
    });
    if let Some(file) = &config_file
        && let Some(rolled_back) = lapak_kiosk::sync::remote_config::note_start(file)
    {
        eprintln!("warning: {rolled_back}");
    }
    let loaded = load_config(config)?;
    start_kiosk::run(
        loaded.config,
        start_kiosk::StartOptions {
            central,
            windowed,
            config_file: match &loaded.origin {
                lapak_kiosk::config::ConfigOrigin::File(path) => Some(path.clone()),
                lapak_kiosk::config::ConfigOrigin::Embedded => None,
            },
        },
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Whether a window can be opened: a Wayland compositor or an X server is named in the environment.
#[cfg(feature = "ui")]
fn display_available() -> bool {
    ["WAYLAND_DISPLAY", "WAYLAND_SOCKET", "DISPLAY"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|value| !value.is_empty()))
}

#[cfg(not(feature = "ui"))]
fn start(_: Option<&std::path::Path>, _: Option<String>, _: bool) -> anyhow::Result<ExitCode> {
    anyhow::bail!(
        "this build has no screens (built without the `ui` feature): use a subcommand, see --help"
    )
}

fn central_config(
    path: Option<&std::path::Path>,
    central: Option<String>,
) -> anyhow::Result<KioskConfig> {
    let mut config = load_config(path)?.config;
    if let Some(url) = central {
        config.sync.central_url = Some(url);
        config.sync.validate().context("--central")?;
    }
    Ok(config)
}

fn central_client(kiosk: &Kiosk) -> anyhow::Result<lapak_kiosk::sync::CentralClient> {
    lapak_kiosk::sync::CentralClient::new(
        &kiosk.config.sync,
        lapak_kiosk::sync::KioskCredentials {
            kiosk_id: kiosk.identity.id().to_owned(),
            signing_key: kiosk.identity.signing_key().clone(),
        },
    )
    .context("no central service: set sync.central_url or give --central URL")
}

fn pin_hash() -> anyhow::Result<ExitCode> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let pin = zeroize::Zeroizing::new(line.trim().to_owned());
    if !(4..=8).contains(&pin.len()) || !pin.chars().all(|c| c.is_ascii_digit()) {
        anyhow::bail!("a staff PIN is 4 to 8 digits");
    }
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let hash = lapak_kiosk::pin::hash_pin(&pin, &hex::encode(salt)).context("hashing the PIN")?;
    println!("{hash}");
    Ok(ExitCode::SUCCESS)
}

/// Reads the participant's NIK from standard input (one line; a prompt on stderr when it is a terminal).
fn read_nik() -> anyhow::Result<String> {
    use std::io::{BufRead as _, IsTerminal as _, Write as _};
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("NIK: ");
        let _ = std::io::stderr().flush();
    }
    let mut line = zeroize::Zeroizing::new(String::new());
    stdin
        .lock()
        .read_line(&mut line)
        .context("reading the NIK from standard input")?;
    let nik = line.trim();
    if nik.is_empty() {
        anyhow::bail!(
            "no NIK on standard input: type it (or pipe it) as one line, or give --date-of-birth"
        );
    }
    Ok(nik.to_owned())
}

fn load_config(path: Option<&std::path::Path>) -> anyhow::Result<LoadedConfig> {
    let loaded = KioskConfig::load(path)?;
    for warning in &loaded.warnings {
        eprintln!("warning: {warning}");
    }
    Ok(loaded)
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = cli.config.as_deref();
    let Some(command) = cli.command else {
        return start(config, cli.central, cli.windowed);
    };
    match command {
        Command::Provision { number, id } => provision(config, number, id),
        Command::Config {
            action: ConfigAction::Check,
        } => config_check(config),
        Command::Claim {
            action:
                ClaimAction::Submit {
                    manifest,
                    photos,
                    not_test,
                },
        } => claim_submit(config, &manifest, &photos, not_test),
        Command::Outbox { action } => cli::outbox::run(config, cli.central, action),
        Command::CameraTest { save } => camera_test(config, &save),
        Command::PinHash => pin_hash(),
        Command::Sync { give_up_after } => sync(config, cli.central, give_up_after),
        Command::Status { reference } => cli::status::run(config, cli.central, &reference),
        Command::Doctor { json } => doctor(config, json),
        Command::PrintTest => print_test(config),
    }
}

/// `lapak-kiosk provision`: makes this kiosk's identity and prints what to register on the central service.
fn provision(config: Option<&Path>, number: u32, id: Option<String>) -> anyhow::Result<ExitCode> {
    let loaded = load_config(config)?;
    let path = loaded.config.storage.data_dir.join(KEY_FILE);
    let identity = lapak_kiosk::kiosk::provision(&loaded.config, id.as_deref(), number)
        .with_context(|| "provisioning refused".to_owned())?;
    println!("kiosk id:    {}", identity.id());
    println!("kiosk number: {}", identity.number());
    println!("key file:    {} (mode 0600)", path.display());
    println!("public key:  {}", identity.public_key_base64());
    println!();
    println!(
        "Register it on the central service:\n  lapak-central kiosk add --id {} --number {} --public-key {}",
        identity.id(),
        identity.number(),
        identity.public_key_base64()
    );
    Ok(ExitCode::SUCCESS)
}

/// `lapak-kiosk config check`: loads and checks the configuration.
fn config_check(config: Option<&Path>) -> anyhow::Result<ExitCode> {
    let loaded = load_config(config)?;
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
    println!("location:      {}", config.kiosk.location);
    if let lapak_kiosk::config::ConfigOrigin::File(file) = &loaded.origin
        && let Ok(files) = lapak_kiosk::sync::remote_config::ConfigFiles::for_config(file)
    {
        match files.state().version {
            Some(version) => println!(
                "pushed:        version {version} in force ({})",
                files.applied().display()
            ),
            None if files.applied().is_file() => println!(
                "pushed:        keys in force from {}",
                files.applied().display()
            ),
            None => println!("pushed:        none (kiosk.toml alone)"),
        }
    }
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

/// `lapak-kiosk claim submit`: seals and stores a claim read from a file and a folder of photos.
fn claim_submit(
    config: Option<&Path>,
    manifest: &Path,
    photos: &Path,
    not_test: bool,
) -> anyhow::Result<ExitCode> {
    let kiosk = Kiosk::open(load_config(config)?.config)?;
    let now = chrono::Utc::now();
    let draft =
        claim_file::read_draft(manifest, photos, !not_test, now, kiosk.submitter.context())?;
    let submitted = kiosk.submitter.submit(&draft, now)?;
    println!("saved: {}", submitted.reference);
    println!("reference digits: {}", submitted.reference.digits());
    println!("claim id: {}", submitted.claim_id);
    Ok(ExitCode::SUCCESS)
}

/// `lapak-kiosk camera-test`: takes one picture and saves it.
fn camera_test(config: Option<&Path>, save: &Path) -> anyhow::Result<ExitCode> {
    let loaded = load_config(config)?;
    match lapak_kiosk::camera::camera_test(&loaded.config.camera, save) {
        Ok((source, width, height)) => {
            println!(
                "camera: {} ({} @{} fps): saved a {width}x{height} picture to {}",
                source.name,
                source.format,
                source.fps,
                save.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            println!("camera: no picture: {e}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// `lapak-kiosk sync`: sends every due claim now.
fn sync(
    config: Option<&Path>,
    central: Option<String>,
    give_up_after: u32,
) -> anyhow::Result<ExitCode> {
    let kiosk = Kiosk::open(central_config(config, central)?)?;
    let client = central_client(&kiosk)?;
    let summary =
        lapak_kiosk::sync::drain_now(&client, kiosk.outbox.as_ref(), give_up_after, &mut |p| {
            println!("{:?}", p.event);
        })?;
    println!(
        "delivered {}, held {}, failed attempts {}{}",
        summary.delivered,
        summary.held,
        summary.failed_attempts,
        summary
            .stopped_by
            .map(|why| format!(" — stopped early: {why}"))
            .unwrap_or_default()
    );
    let stats = kiosk.outbox.stats(chrono::Utc::now())?;
    println!("{} claim(s) still waiting", stats.pending + stats.sending);
    Ok(if summary.failed_attempts > 0 && stats.pending > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `lapak-kiosk doctor`: checks the configuration, devices, outbox and central service.
fn doctor(config: Option<&Path>, json: bool) -> anyhow::Result<ExitCode> {
    let loaded = KioskConfig::load(config);
    let report = lapak_kiosk::doctor::run(loaded, lapak_kiosk::doctor::DoctorOptions::default());
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.to_table());
    }
    Ok(ExitCode::from(report.exit_code()))
}

/// `lapak-kiosk print-test`: prints the staff test page.
fn print_test(config: Option<&Path>) -> anyhow::Result<ExitCode> {
    let loaded = load_config(config)?;
    let kiosk = Kiosk::open(loaded.config)?;
    let printer = &kiosk.config.printer;
    if !printer.enabled {
        println!("printer: disabled in the configuration");
        return Ok(ExitCode::FAILURE);
    }
    let when = chrono::Local::now().naive_local();
    match lapak_kiosk::printer::print_test(printer, when, std::time::Duration::from_secs(10)) {
        Ok(status) => {
            println!("printer: test page printed ({:?})", status.state);
            if printer.is_simulated() {
                println!("simulated printer output: {}", printer.simulator_output);
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            println!("printer: test page NOT printed: {e}");
            Ok(ExitCode::FAILURE)
        }
    }
}
