//! Lapak Kiosk's core: what the kiosk and the central service must agree on, with no screen, device or
//! network client in it.
//!
//! - [`claim`]: the claim reasons and their rules, field validation (NIK, KPJ, phone, bank accounts), the
//!   claim reference;
//! - [`draft`]: everything a participant gave in one session and its whole check ([`draft::check_draft`]);
//! - [`i18n`]: the participant's words in Bahasa Indonesia and English;
//! - [`packet`]: the sealed claim packet (age-encrypted, Ed25519-signed);
//! - [`api`]: the JSON bodies exchanged with the central service;
//! - [`signing`]: the signature on every request a kiosk sends;
//! - [`care`]: remote configuration (signed by the central service) and diagnostics bundles.

pub mod api;
pub mod care;
pub mod claim;
pub mod draft;
pub mod i18n;
pub mod packet;
pub mod signing;
