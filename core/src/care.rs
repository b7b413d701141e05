//! Looking after kiosks from afar, over the kiosk's own outgoing requests (kiosks sit behind NAT): remote
//! configuration, diagnostics on request, and the version and package state a kiosk reports.
//!
//! A remote configuration is signed when staff push it (`lapak-central config push`) with the central
//! service's configuration key, an Ed25519 key derived from its age identity; the kiosk knows the public half
//! (`central.config_key` in `kiosk.toml`, printed by `lapak-central config key`). The signature covers exactly
//! these bytes (UTF-8, `\n` = 0x0A, no trailing newline):
//!
//! ```text
//! lapak-config-v1\n
//! <target: kiosk:ID or group:NAME>\n
//! <version, decimal>\n
//! <lower-case hex SHA-256 of the TOML text>
//! ```
//!
//! so neither the database, a proxy nor the network path can change the text, its version or whom it is for
//! without the kiosk noticing.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::signing::content_sha256;

/// Domain-separation label of a configuration signature.
const CONFIG_LABEL: &str = "lapak-config-v1";

/// A configuration pushed for one kiosk or a group, as the kiosk fetches it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteConfig {
    /// Increases with every push, across the fleet.
    pub version: u64,
    /// `kiosk:ID` or `group:NAME`.
    pub target: String,
    /// The TOML text: only the keys that may be set from afar (see the kiosk's field guide).
    pub toml: String,
    /// Base64 Ed25519 signature of [`config_message`] with the central configuration key.
    pub signature: String,
}

/// A configuration the kiosk refused or rolled back, reported in its heartbeat until a newer one applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigFailure {
    /// The version refused.
    pub version: u64,
    /// Why, in words staff can act on (never personal data: configuration only).
    pub reason: String,
}

/// The exact bytes signed for a configuration (see the module documentation).
pub fn config_message(target: &str, version: u64, toml: &str) -> Vec<u8> {
    format!(
        "{CONFIG_LABEL}\n{target}\n{version}\n{}",
        content_sha256(toml.as_bytes())
    )
    .into_bytes()
}

/// Signs a configuration; returns the base64 signature.
pub fn sign_config(key: &SigningKey, target: &str, version: u64, toml: &str) -> String {
    BASE64.encode(key.sign(&config_message(target, version, toml)).to_bytes())
}

/// Why a fetched configuration was refused before anything was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigSignatureError {
    /// Not base64 of 64 bytes.
    #[error("the configuration signature is not base64 of 64 bytes")]
    Encoding,
    /// Does not verify with the central configuration key.
    #[error("the configuration signature does not verify with central.config_key")]
    BadSignature,
    /// Signed for another kiosk.
    #[error("the configuration is for {0}, not this kiosk")]
    NotForThisKiosk(String),
}

/// Checks a fetched configuration: its signature with the central key, and that it is meant for `kiosk_id`
/// (its own id, or a group: group membership is kept by the central service, which signed it).
pub fn verify_config(
    key: &VerifyingKey,
    kiosk_id: &str,
    config: &RemoteConfig,
) -> Result<(), ConfigSignatureError> {
    let bytes = BASE64
        .decode(config.signature.trim())
        .map_err(|_| ConfigSignatureError::Encoding)?;
    let bytes =
        <[u8; 64]>::try_from(bytes.as_slice()).map_err(|_| ConfigSignatureError::Encoding)?;
    key.verify(
        &config_message(&config.target, config.version, &config.toml),
        &Signature::from_bytes(&bytes),
    )
    .map_err(|_| ConfigSignatureError::BadSignature)?;
    let for_us = config.target.strip_prefix("kiosk:") == Some(kiosk_id)
        || config.target.starts_with("group:");
    if !for_us {
        return Err(ConfigSignatureError::NotForThisKiosk(config.target.clone()));
    }
    Ok(())
}

/// A diagnostics bundle a kiosk uploads when staff asked for one: no personal field, no screenshot, no photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiagnosticsBundle {
    /// The request it answers.
    pub request: String,
    /// When the kiosk made it.
    pub made_at: chrono::DateTime<chrono::Utc>,
    /// The kiosk software version and package state.
    pub version: String,
    /// `source`, or the installed Debian package's version.
    pub package: String,
    /// The doctor's checks that run beside the running kiosk (configuration, data folder, key, outbox), in
    /// the JSON form of `lapak-kiosk doctor --json`; the devices' states are in `devices`.
    pub doctor: serde_json::Value,
    /// The devices' states as the heartbeat reports them.
    pub devices: crate::api::DeviceHealth,
    /// Outbox counts: pending, held, delivered, oldest pending age.
    pub outbox: serde_json::Value,
    /// The newest log lines, personal fields removed.
    pub logs: Vec<String>,
    /// The remote configuration state: applied version, a failed one.
    pub config: serde_json::Value,
}

/// Keys a remote configuration may never set (a key is refused when it is one of these or lies under one):
/// what makes the kiosk itself (its mode, data, the keys it trusts and seals to, where it sends claims and which
/// CAs it trusts), the staff PIN, and paths on the kiosk's own disk. Everything else may be set from afar.
pub const LOCAL_ONLY_KEYS: &[&str] = &[
    "kiosk.mode",
    "storage.data_dir",
    "central",
    "sync.central_url",
    "sync.ca_file",
    "maintenance",
    "claim.rules_file",
    "claim.banks_file",
    "sound.voice",
    "printer.simulator_output",
];

/// Checks that a remote configuration text is TOML and sets no local-only key; the error names the keys.
pub fn check_remote_keys(text: &str) -> Result<(), String> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| format!("not TOML: {}", e.message().trim()))?;
    let mut keys = Vec::new();
    leaves(&table, "", &mut keys);
    let refused: Vec<String> = keys
        .into_iter()
        .filter(|key| {
            LOCAL_ONLY_KEYS
                .iter()
                .any(|local| key == local || key.starts_with(&format!("{local}.")))
        })
        .collect();
    if refused.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "these keys can only be set in the kiosk's own kiosk.toml: {}",
            refused.join(", ")
        ))
    }
}

/// The dotted names of every value in a table (a section is named by its keys).
fn leaves(table: &toml::Table, prefix: &str, out: &mut Vec<String>) {
    for (key, value) in table {
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(inner) if !inner.is_empty() => leaves(inner, &name, out),
            _ => out.push(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(target: &str) -> (SigningKey, RemoteConfig) {
        let key = SigningKey::from_bytes(&[3u8; 32]);
        let toml = "[help]\nphone = \"021 555\"\n".to_owned();
        let signature = sign_config(&key, target, 7, &toml);
        (
            key,
            RemoteConfig {
                version: 7,
                target: target.to_owned(),
                toml,
                signature,
            },
        )
    }

    #[test]
    fn local_only_keys_are_refused_by_name_and_the_rest_pass() {
        assert_eq!(
            check_remote_keys("[help]\nphone = \"021\"\n[sync]\nheartbeat_interval_secs = 30\n"),
            Ok(())
        );
        let refused = check_remote_keys(
            "[central]\nrecipient = \"age1x\"\n[sync]\ncentral_url = \"http://evil\"\n[kiosk]\nlocation = \"A\"\n",
        );
        assert_eq!(
            refused,
            Err(
                "these keys can only be set in the kiosk's own kiosk.toml: central.recipient, sync.central_url"
                    .to_owned()
            )
        );
        assert!(check_remote_keys("[maintenance]\npin_hash = \"x\"").is_err());
        assert!(check_remote_keys("not = = toml").is_err());
    }

    #[test]
    fn a_signed_configuration_verifies_for_its_kiosk_and_a_group() {
        let (key, c) = config("kiosk:K1");
        assert_eq!(verify_config(&key.verifying_key(), "K1", &c), Ok(()));
        let (key, g) = config("group:jakarta");
        assert_eq!(verify_config(&key.verifying_key(), "K9", &g), Ok(()));
    }

    #[test]
    fn changing_text_version_or_target_breaks_the_signature_and_another_kiosk_is_refused() {
        let (key, c) = config("kiosk:K1");
        let vk = key.verifying_key();
        let mut text = c.clone();
        text.toml.push_str("x = 1\n");
        assert_eq!(
            verify_config(&vk, "K1", &text),
            Err(ConfigSignatureError::BadSignature)
        );
        let mut version = c.clone();
        version.version = 8;
        assert_eq!(
            verify_config(&vk, "K1", &version),
            Err(ConfigSignatureError::BadSignature)
        );
        let mut target = c.clone();
        target.target = "kiosk:K2".into();
        assert_eq!(
            verify_config(&vk, "K2", &target),
            Err(ConfigSignatureError::BadSignature)
        );
        assert_eq!(
            verify_config(&vk, "K2", &c),
            Err(ConfigSignatureError::NotForThisKiosk("kiosk:K1".into()))
        );
        let other = SigningKey::from_bytes(&[4u8; 32]).verifying_key();
        assert_eq!(
            verify_config(&other, "K1", &c),
            Err(ConfigSignatureError::BadSignature)
        );
    }
}
