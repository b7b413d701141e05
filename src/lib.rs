//! Lapak Kiosk: a self-service kiosk for JHT (old-age savings) claims.
//!
//! The library holds everything below the screen: the claim rules and field validation ([`claim`]),
//! translations ([`i18n`]), the sealed claim packet ([`packet`]), the durable outbox ([`outbox`]), the
//! kiosk's identity ([`identity`]) and configuration ([`config`]). None of it depends on the GUI.

pub mod camera;
pub mod config;
pub mod doctor;
pub mod identity;
pub mod kiosk;
pub mod log_ring;
pub mod outbox;
pub mod pin;
pub mod pin_lockout;
pub mod printer;
#[cfg(feature = "reading")]
pub mod reading;
pub mod service_notify;
pub mod sound;
pub mod submission;
pub mod sync;
#[cfg(feature = "ui")]
pub mod ui;
pub mod worker;

pub use lapak_core::{claim, i18n, packet};
