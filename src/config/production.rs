//! What `mode = "production"` refuses, and what demo mode refuses: settings that would let anyone read the
//! claims or open the staff screens.
//!
//! Production refuses the public demo recipient, the demo PIN hash or a hash of any trivial PIN
//! ([`TRIVIAL_PINS`]), a simulated camera or printer (checked with those sections), and plain http to a central
//! service that is not on this machine (checked for every mode by `sync.central_url`). Demo mode refuses to send
//! packets sealed to the public demo recipient to a central service that is not on this machine.

use argon2::password_hash::{PasswordHash, PasswordVerifier};

use super::{DEMO_RECIPIENT, KioskConfig, Mode};

/// The PIN hash shipped in `kiosk-config/kiosk.toml`: the demo PIN 123456.
pub const DEMO_PIN_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$NDk4N2E5ZGFjNWU5NjU3YmQwZDZmMzlkM2I0YzAwNTU$94NqQgsLlshcMO0mT36mq7eU3B9xJxw5JeUS0pf0Giw";

/// PINs anyone would try first; a production kiosk refuses a PIN hash that verifies any of them (the demo PIN
/// 123456 is among them). Each costs one argon2 verification at start: 15 of the shipped kind (m=19456, t=2)
/// take about 0.6 s in a release build on one core.
pub const TRIVIAL_PINS: &[&str] = &[
    "000000", "111111", "222222", "333333", "444444", "555555", "666666", "777777", "888888",
    "999999", "123456", "654321", "123123", "112233", "121212",
];

/// A setting that production (or demo) mode refuses: the key, what is wrong, and the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The dotted key.
    pub key: &'static str,
    /// What is wrong and what to do, in one line.
    pub reason: String,
}

/// The fix line for a refused key, for `lapak-kiosk doctor`.
pub fn fix_for(key: &str) -> Option<&'static str> {
    Some(match key {
        "central.recipient" => {
            "set central.recipient to your central service's recipient (`lapak-central init` prints it)"
        }
        "maintenance.pin_hash" => {
            "choose a PIN that is not a trivial one and set maintenance.pin_hash to `lapak-kiosk pin-hash` of it"
        }
        "camera.source" => {
            "set camera.source to the real camera (`auto`, an index or a /dev/v4l/by-id path)"
        }
        "printer.port" => {
            "set printer.port to the real printer (/dev/serial/by-id/...), or enabled = false"
        }
        "sync.central_url" => {
            "use https:// for the central service; in demo mode, a loopback central_url or the service's own recipient"
        }
        _ => return None,
    })
}

/// The first setting `config` must not have in its mode, if any. Runs up to [`TRIVIAL_PINS`]`.len()` argon2
/// verifications in production mode (spread over the machine's cores).
pub fn check(config: &KioskConfig) -> Option<Refusal> {
    match config.kiosk.mode {
        Mode::Production => check_production(config),
        Mode::Demo => check_demo(config),
    }
}

fn check_production(config: &KioskConfig) -> Option<Refusal> {
    if config.central.recipient.trim() == DEMO_RECIPIENT.trim() {
        return Some(Refusal {
            key: "central.recipient",
            reason: "is the public demo recipient, whose identity anyone can download: a production kiosk \
                     seals to its own central service (`lapak-central init` prints its recipient)"
                .to_owned(),
        });
    }
    let hash = config.maintenance.pin_hash.trim();
    if hash == DEMO_PIN_HASH {
        return Some(Refusal {
            key: "maintenance.pin_hash",
            reason: "is the shipped demo PIN's hash: set the hash of this kiosk's own PIN (`lapak-kiosk pin-hash`)"
                .to_owned(),
        });
    }
    if !hash.is_empty() && verifies_a_trivial_pin(hash) {
        return Some(Refusal {
            key: "maintenance.pin_hash",
            reason: "is the hash of a trivial PIN (a repeated digit or a run such as 123456): choose another PIN \
                     and set its hash (`lapak-kiosk pin-hash`)"
                .to_owned(),
        });
    }
    None
}

/// The demo-mode check alone (no argon2 work): a central service on another machine while sealing to the demo
/// recipient. Run again where `--central URL` replaces the configured URL after loading.
pub fn check_demo(config: &KioskConfig) -> Option<Refusal> {
    if config.kiosk.mode != Mode::Demo {
        return None;
    }
    let url = config.sync.central_url.as_deref()?;
    if config.uses_demo_recipient() && !is_loopback_url(url) {
        return Some(Refusal {
            key: "sync.central_url",
            reason: format!(
                "{url:?} is not on this machine, but claims are sealed to the public demo recipient that anyone can \
                 open: set central.recipient to that service's own recipient, or use a loopback central_url"
            ),
        });
    }
    None
}

/// Whether `url` names this machine (127.0.0.0/8, ::1 or localhost). An unparsable URL counts as not local.
fn is_loopback_url(url: &str) -> bool {
    let Ok(parsed) = reqwest::Url::parse(url) else {
        return false;
    };
    let Some(host) = parsed.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => bare.eq_ignore_ascii_case("localhost"),
    }
}

/// Whether the argon2 hash verifies one of [`TRIVIAL_PINS`]. An unreadable hash verifies nothing (the format
/// is checked elsewhere).
pub fn verifies_a_trivial_pin(hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let threads = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .clamp(1, 4);
    let chunk = TRIVIAL_PINS.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = TRIVIAL_PINS
            .chunks(chunk)
            .map(|pins| {
                let parsed = &parsed;
                scope.spawn(move || {
                    pins.iter().any(|pin| {
                        argon2::Argon2::default()
                            .verify_password(pin.as_bytes(), parsed)
                            .is_ok()
                    })
                })
            })
            .collect();
        workers
            .into_iter()
            .any(|worker| worker.join().unwrap_or(false))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ConfigOrigin, EMBEDDED_KIOSK_TOML};
    use std::time::Instant;

    fn hash(pin: &str) -> String {
        use argon2::password_hash::{PasswordHasher, SaltString};
        let salt = SaltString::encode_b64(b"production-test-salt").expect("salt");
        argon2::Argon2::default()
            .hash_password(pin.as_bytes(), &salt)
            .expect("hash")
            .to_string()
    }

    const REAL_RECIPIENT: &str = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

    fn production(extra: &str) -> Result<KioskConfig, crate::config::ConfigError> {
        let text = format!(
            "[kiosk]\nmode = \"production\"\n[central]\nrecipient = \"{REAL_RECIPIENT}\"\n\
             [camera]\nsource = \"auto\"\n[printer]\nport = \"/dev/ttyUSB0\"\n{extra}"
        );
        KioskConfig::parse(&text, ConfigOrigin::File("kiosk.toml".into())).map(|l| l.config)
    }

    #[test]
    fn the_shipped_demo_pin_hash_is_the_demo_pin() {
        let shipped = KioskConfig::parse(EMBEDDED_KIOSK_TOML, ConfigOrigin::Embedded)
            .expect("embedded")
            .config;
        assert_eq!(shipped.maintenance.pin_hash, DEMO_PIN_HASH);
        assert!(verifies_a_trivial_pin(DEMO_PIN_HASH));
    }

    #[test]
    fn production_accepts_its_own_recipient_and_a_real_pin() {
        let config = production(&format!(
            "[maintenance]\npin_hash = \"{}\"\n",
            hash("739251")
        ))
        .expect("a production config");
        assert_eq!(config.kiosk.mode, Mode::Production);
    }

    #[test]
    fn production_refuses_the_demo_recipient() {
        let text = format!(
            "[kiosk]\nmode = \"production\"\n[central]\nrecipient = \"{}\"\n[camera]\nsource = \"auto\"\n\
             [printer]\nport = \"/dev/ttyUSB0\"\n",
            DEMO_RECIPIENT.trim()
        );
        let err = KioskConfig::parse(&text, ConfigOrigin::File("kiosk.toml".into()))
            .expect_err("refused");
        assert_eq!(err.key, "central.recipient");
        assert!(err.reason.contains("public demo recipient"), "{err}");
        assert!(fix_for(&err.key).is_some());
    }

    #[test]
    fn production_refuses_the_demo_pin_hash() {
        let err = production(&format!("[maintenance]\npin_hash = \"{DEMO_PIN_HASH}\"\n"))
            .expect_err("refused");
        assert_eq!(err.key, "maintenance.pin_hash");
        assert!(err.reason.contains("demo PIN"), "{err}");
    }

    #[test]
    fn production_refuses_a_hash_of_each_trivial_pin_kind() {
        for pin in ["777777", "121212", "112233"] {
            let err = production(&format!("[maintenance]\npin_hash = \"{}\"\n", hash(pin)))
                .expect_err(pin);
            assert_eq!(err.key, "maintenance.pin_hash", "{pin}");
            assert!(err.reason.contains("trivial PIN"), "{pin}: {err}");
        }
    }

    #[test]
    fn checking_every_trivial_pin_takes_under_a_second() {
        let real = hash("739251");
        let started = Instant::now();
        assert!(!verifies_a_trivial_pin(&real));
        let took = started.elapsed();
        eprintln!("{} argon2 verifications took {took:?}", TRIVIAL_PINS.len());
        // Debug builds run argon2 several times slower than the release build the kiosk runs.
        let limit = if cfg!(debug_assertions) { 8.0 } else { 1.0 };
        assert!(took.as_secs_f64() < limit, "{took:?}");
    }

    #[test]
    fn production_refuses_simulated_devices_and_plain_http_to_another_machine() {
        let err = KioskConfig::parse(
            &format!(
                "[kiosk]\nmode = \"production\"\n[central]\nrecipient = \"{REAL_RECIPIENT}\"\n\
                 [camera]\nsource = \"simulated:card\"\n[printer]\nport = \"/dev/ttyUSB0\"\n"
            ),
            ConfigOrigin::File("kiosk.toml".into()),
        )
        .expect_err("simulated camera");
        assert_eq!(err.key, "camera.source");
        let err = KioskConfig::parse(
            &format!(
                "[kiosk]\nmode = \"production\"\n[central]\nrecipient = \"{REAL_RECIPIENT}\"\n\
                 [camera]\nsource = \"auto\"\n[printer]\nport = \"simulated\"\n"
            ),
            ConfigOrigin::File("kiosk.toml".into()),
        )
        .expect_err("simulated printer");
        assert_eq!(err.key, "printer.port");
        let err = production("[sync]\ncentral_url = \"http://lapak.example.go.id/\"\n")
            .expect_err("plain http");
        assert_eq!(err.key, "sync.central_url");
        assert!(err.reason.contains("plain http"), "{err}");
        production("[sync]\ncentral_url = \"https://lapak.example.go.id/\"\n").expect("https");
    }

    #[test]
    fn demo_refuses_a_remote_service_while_sealing_to_the_demo_recipient() {
        let parse = |text: &str| {
            KioskConfig::parse(text, ConfigOrigin::File("kiosk.toml".into())).map(|l| l.config)
        };
        let err = parse("[sync]\ncentral_url = \"https://lapak.example.go.id/\"\n")
            .expect_err("remote with the demo recipient");
        assert_eq!(err.key, "sync.central_url");
        assert!(err.reason.contains("public demo recipient"), "{err}");
        parse("[sync]\ncentral_url = \"http://127.0.0.1:8080\"\n").expect("loopback demo");
        parse("[sync]\ncentral_url = \"http://localhost:8080\"\n").expect("localhost demo");
        parse(&format!(
            "[central]\nrecipient = \"{REAL_RECIPIENT}\"\n[sync]\ncentral_url = \"https://lapak.example.go.id/\"\n"
        ))
        .expect("remote with its own recipient");
    }
}
