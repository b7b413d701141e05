//! Lapak Kiosk: a self-service kiosk for JHT (old-age savings) claims.
//!
//! The library holds everything below the screen: the claim rules and field validation ([`claim`]),
//! the sealed claim packet ([`packet`]), the durable outbox ([`outbox`]) and the kiosk configuration
//! ([`config`]). None of it depends on the GUI.

pub mod claim;
pub mod config;
pub mod identity;
pub mod outbox;
pub mod packet;
pub mod sync;
