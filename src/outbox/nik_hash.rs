//! The keyed hash under which the outbox keeps a NIK, so that a status check can match a participant
//! without the NIK ever being stored.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop};

type HmacSha256 = Hmac<Sha256>;

/// The label that separates this key from every other use of the kiosk's signing key.
const DERIVATION_LABEL: &[u8] = b"lapak-kiosk/outbox/nik-hash-key/v1";

/// A per-kiosk 32-byte key for HMAC-SHA256 of NIKs. Wiped on drop; never printed.
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

    /// The keyed hash of a NIK (surrounding spaces ignored).
    pub fn hash(&self, nik: &str) -> [u8; 32] {
        let mut mac = mac_with(&self.0);
        mac.update(nik.trim().as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// Whether `nik` hashes to `stored`, compared in constant time.
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
}
