//! The keyed, salted hash under which the outbox keeps a NIK while its claim is undelivered, so that a status
//! check can match a participant without the NIK ever being stored.
//!
//! A NIK has few plausible values (a district's birth dates, two sexes, a few serial numbers), so a fast hash
//! could be reversed by trying them all. Claims are therefore stored with argon2id ([`NIK_KDF`]: one guess
//! costs tens of milliseconds and 32 MiB), a random salt per claim, and this kiosk's derived key as argon2's
//! secret (pepper). When a claim is delivered the outbox clears its hash in the same transaction, so nothing
//! derived from the NIK stays on the kiosk after delivery. Rows stored before the salted form (outbox schema
//! version 4 and older) keep their HMAC-SHA256 ([`NikHashKey::hash`]) until they are delivered.

use argon2::{Algorithm, Argon2, Params, Version};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop};

type HmacSha256 = Hmac<Sha256>;

/// The label that separates this key from every other use of the kiosk's signing key.
const DERIVATION_LABEL: &[u8] = b"lapak-kiosk/outbox/nik-hash-key/v1";

/// Bytes of the random salt stored with each salted NIK hash.
pub const NIK_SALT_BYTES: usize = 16;

/// The argon2id cost of one NIK hash: memory in KiB, passes and lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NikKdfParams {
    /// Memory per hash, in KiB.
    pub m_cost_kib: u32,
    /// Passes over the memory.
    pub t_cost: u32,
    /// Parallel lanes.
    pub p_cost: u32,
}

/// The parameters new claims are hashed with: 32 MiB and 4 passes, about 0.1 s per guess measured on the busy
/// two-core development machine (`one_guess_costs_at_least_50_ms_on_this_machine` measures it), so
/// trying the NIKs of one district (~70,000 birth dates, two sexes, a few serial numbers) costs days for each
/// claim.
pub const NIK_KDF: NikKdfParams = NikKdfParams {
    m_cost_kib: 32 * 1024,
    t_cost: 4,
    p_cost: 1,
};

// At least the memory promised: 19 MiB or more per guess.
const _: () = assert!(NIK_KDF.m_cost_kib >= 19 * 1024);

impl NikKdfParams {
    /// The form stored in the `nik_kdf` column: `argon2id$v=19$m=…,t=…,p=…`.
    pub fn encode(&self) -> String {
        format!(
            "argon2id$v=19$m={},t={},p={}",
            self.m_cost_kib, self.t_cost, self.p_cost
        )
    }

    /// Parses the stored form; `None` for anything else.
    pub fn decode(text: &str) -> Option<NikKdfParams> {
        let costs = text.strip_prefix("argon2id$v=19$")?;
        let mut m_cost_kib = None;
        let mut t_cost = None;
        let mut p_cost = None;
        for part in costs.split(',') {
            let (name, value) = part.split_once('=')?;
            let value: u32 = value.parse().ok()?;
            match name {
                "m" => m_cost_kib = Some(value),
                "t" => t_cost = Some(value),
                "p" => p_cost = Some(value),
                _ => return None,
            }
        }
        Some(NikKdfParams {
            m_cost_kib: m_cost_kib?,
            t_cost: t_cost?,
            p_cost: p_cost?,
        })
    }
}

/// A salted NIK hash as stored with an undelivered claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaltedNikHash {
    /// The argon2id output (32 bytes).
    pub hash: [u8; 32],
    /// The claim's random salt.
    pub salt: [u8; NIK_SALT_BYTES],
    /// The cost it was made with.
    pub params: NikKdfParams,
}

/// Why a NIK could not be hashed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NikHashError {
    /// The operating system gave no random salt.
    #[error("no random salt available: {0}")]
    Random(String),
    /// argon2 refused the parameters.
    #[error("argon2 refused the NIK hash parameters: {0}")]
    Kdf(String),
}

/// A per-kiosk 32-byte key: argon2's secret for salted NIK hashes, and the HMAC key of the older form.
/// Wiped on drop; never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct NikHashKey([u8; 32]);

impl NikHashKey {
    /// Derives the key from the kiosk's signing key: HMAC-SHA256 keyed with the signing key's secret bytes
    /// over a fixed label, so no extra secret file is needed and the key differs on every kiosk.
    pub fn derive(signing_key: &ed25519_dalek::SigningKey) -> NikHashKey {
        let mut secret = signing_key.to_bytes();
        let mut mac = mac_with(&secret);
        secret.zeroize();
        mac.update(DERIVATION_LABEL);
        NikHashKey(mac.finalize().into_bytes().into())
    }

    /// Wraps raw key bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> NikHashKey {
        NikHashKey(bytes)
    }

    /// The salted argon2id hash of a NIK (surrounding spaces ignored) with a fresh random salt and
    /// [`NIK_KDF`]: what the outbox stores for a new claim.
    pub fn salted(&self, nik: &str) -> Result<SaltedNikHash, NikHashError> {
        let mut salt = [0u8; NIK_SALT_BYTES];
        getrandom::fill(&mut salt).map_err(|err| NikHashError::Random(err.to_string()))?;
        let hash = self.argon2(nik, &salt, NIK_KDF)?;
        Ok(SaltedNikHash {
            hash,
            salt,
            params: NIK_KDF,
        })
    }

    /// The argon2id hash of a NIK with this salt and cost, keyed with this kiosk's secret.
    pub fn argon2(
        &self,
        nik: &str,
        salt: &[u8],
        params: NikKdfParams,
    ) -> Result<[u8; 32], NikHashError> {
        let kdf_error = |err: argon2::Error| NikHashError::Kdf(err.to_string());
        let params = Params::new(params.m_cost_kib, params.t_cost, params.p_cost, Some(32))
            .map_err(kdf_error)?;
        let argon2 = Argon2::new_with_secret(&self.0, Algorithm::Argon2id, Version::V0x13, params)
            .map_err(kdf_error)?;
        let mut out = [0u8; 32];
        argon2
            .hash_password_into(nik.trim().as_bytes(), salt, &mut out)
            .map_err(kdf_error)?;
        Ok(out)
    }

    /// Whether `nik` is the NIK of a salted hash, compared in constant time (false when it cannot be
    /// computed).
    pub fn matches_salted(
        &self,
        nik: &str,
        stored: &[u8],
        salt: &[u8],
        params: NikKdfParams,
    ) -> bool {
        let Ok(computed) = self.argon2(nik, salt, params) else {
            return false;
        };
        // An HMAC over both values compares them in constant time.
        let mut mac = mac_with(&self.0);
        mac.update(&computed);
        let expected = mac.finalize().into_bytes();
        let mut mac = mac_with(&self.0);
        mac.update(stored);
        mac.verify_slice(&expected).is_ok()
    }

    /// The HMAC-SHA256 of a NIK (surrounding spaces ignored): the unsalted form of rows stored before
    /// outbox schema version 5, still matched until those claims are delivered.
    pub fn hash(&self, nik: &str) -> [u8; 32] {
        let mut mac = mac_with(&self.0);
        mac.update(nik.trim().as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// Whether `nik` hashes to `stored` in the HMAC form, compared in constant time.
    pub fn matches(&self, nik: &str, stored: &[u8]) -> bool {
        let mut mac = mac_with(&self.0);
        mac.update(nik.trim().as_bytes());
        mac.verify_slice(stored).is_ok()
    }
}

fn mac_with(key: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length, so this cannot fail for a 32-byte key.
    <HmacSha256 as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"))
}

impl std::fmt::Debug for NikHashKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NikHashKey(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_key_depends_on_the_signing_key_and_hash_on_the_nik() {
        let a = NikHashKey::derive(&ed25519_dalek::SigningKey::from_bytes(&[1; 32]));
        let b = NikHashKey::derive(&ed25519_dalek::SigningKey::from_bytes(&[2; 32]));
        let again = NikHashKey::derive(&ed25519_dalek::SigningKey::from_bytes(&[1; 32]));
        let nik = "3173054509870002";
        assert_eq!(a.hash(nik), again.hash(nik));
        assert_ne!(a.hash(nik), b.hash(nik));
        assert_ne!(a.hash(nik), a.hash("3173054509870003"));
        assert!(a.matches(" 3173054509870002 ", &a.hash(nik)));
        assert!(!b.matches(nik, &a.hash(nik)));
        assert!(!a.matches(nik, &a.hash(nik)[..31]));
        assert_eq!(format!("{a:?}"), "NikHashKey(..)");
    }

    #[test]
    fn salted_hash_uses_a_new_salt_each_time_and_needs_the_kiosk_key() {
        let a = NikHashKey::derive(&ed25519_dalek::SigningKey::from_bytes(&[1; 32]));
        let b = NikHashKey::derive(&ed25519_dalek::SigningKey::from_bytes(&[2; 32]));
        let nik = "3173054509870002";
        let first = a.salted(nik).unwrap();
        let second = a.salted(nik).unwrap();
        assert_ne!(first.salt, second.salt);
        assert_ne!(first.hash, second.hash);
        assert_eq!(first.params, NIK_KDF);
        for stored in [&first, &second] {
            assert!(a.matches_salted(" 3173054509870002 ", &stored.hash, &stored.salt, NIK_KDF));
            assert!(!a.matches_salted("3173054509870003", &stored.hash, &stored.salt, NIK_KDF));
            // Another kiosk's key (the pepper) does not match, nor does the salt of another claim.
            assert!(!b.matches_salted(nik, &stored.hash, &stored.salt, NIK_KDF));
        }
        assert!(!a.matches_salted(nik, &first.hash, &second.salt, NIK_KDF));
        // Neither the HMAC form nor an unkeyed argon2 gives the stored bytes.
        assert_ne!(first.hash, a.hash(nik));
        let unkeyed = NikHashKey::from_bytes([0; 32]);
        assert_ne!(
            first.hash,
            unkeyed.argon2(nik, &first.salt, NIK_KDF).unwrap()
        );
    }

    /// The cost of one guess on this machine with [`NIK_KDF`] (argon2 and blake2 are optimised in test builds
    /// too): `cargo nextest run -p lapak-kiosk --lib nik_hash --run-ignored only --no-capture`.
    #[test]
    #[ignore = "measures wall time; run by hand on the kiosk hardware"]
    fn one_guess_costs_at_least_50_ms_on_this_machine() {
        let key = NikHashKey::from_bytes([9; 32]);
        let salt = [3u8; NIK_SALT_BYTES];
        let guesses = 20u32;
        let started = std::time::Instant::now();
        for n in 0..guesses {
            key.argon2(&format!("31730545098700{n:02}"), &salt, NIK_KDF)
                .unwrap();
        }
        let each = started.elapsed() / guesses;
        eprintln!(
            "argon2id m={} KiB t={} p={}: {each:?} per guess",
            NIK_KDF.m_cost_kib, NIK_KDF.t_cost, NIK_KDF.p_cost
        );
        assert!(each >= std::time::Duration::from_millis(50), "{each:?}");
    }

    #[test]
    fn kdf_parameters_round_trip_and_reject_other_forms() {
        assert_eq!(NikKdfParams::decode(&NIK_KDF.encode()), Some(NIK_KDF));
        assert_eq!(NIK_KDF.encode(), "argon2id$v=19$m=32768,t=4,p=1");
        assert_eq!(NikKdfParams::decode("argon2i$v=19$m=32768,t=3,p=1"), None);
        assert_eq!(NikKdfParams::decode("argon2id$v=19$m=32768,t=3"), None);
        assert_eq!(NikKdfParams::decode("argon2id$v=19$m=x,t=3,p=1"), None);
    }
}
