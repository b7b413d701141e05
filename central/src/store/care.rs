//! What looking after kiosks from afar keeps, on either engine ([`Care`], a part of every [`super::Engine`]):
//! remote configurations (signed when pushed), kiosk groups, diagnostics bundles staff asked for, and kiosk
//! versions withdrawn from the fleet.

use chrono::{DateTime, Utc};
use lapak_core::care::RemoteConfig;

use super::StoreError;

/// A diagnostics request and, once the kiosk answered, its bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagnosticsRow {
    /// The request id.
    pub request: String,
    /// The kiosk asked.
    pub kiosk_id: String,
    /// When staff asked (RFC 3339).
    pub requested_at: String,
    /// When the kiosk uploaded it (RFC 3339), if it has.
    pub uploaded_at: Option<String>,
    /// The bundle (JSON), if uploaded.
    pub bundle: Option<String>,
}

/// A version withdrawn from the fleet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithdrawnVersion {
    /// The kiosk version (as its heartbeat reports it).
    pub version: String,
    /// When (RFC 3339).
    pub withdrawn_at: String,
    /// Why, for staff.
    pub reason: String,
}

/// Signs a configuration once its version is known (the store gives the version inside its transaction).
pub type SignConfig<'a> = &'a (dyn Fn(u64) -> String + Sync);

/// Remote care's tables. Every method blocks; call it off the async threads.
pub trait Care: Send + Sync {
    /// Stores a configuration for `target` (`kiosk:ID` or `group:NAME`) under the next version of the fleet
    /// (one more than any before), signed by `sign` with that version; returns the version.
    fn push_config(
        &self,
        target: &str,
        toml: &str,
        sign: SignConfig<'_>,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError>;
    /// The newest configuration for a kiosk: pushed to it, or to a group it belongs to.
    fn config_for(&self, kiosk_id: &str) -> Result<Option<RemoteConfig>, StoreError>;
    /// Puts a kiosk in a group; false when there is no such kiosk.
    fn join_group(&self, kiosk_id: &str, group: &str) -> Result<bool, StoreError>;
    /// The kiosks in a group, by id.
    fn group_members(&self, group: &str) -> Result<Vec<String>, StoreError>;
    /// Records that staff asked a kiosk for a diagnostics bundle under the id `request`.
    fn request_diagnostics(
        &self,
        kiosk_id: &str,
        request: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// The oldest request of this kiosk still waiting for its bundle.
    fn pending_diagnostics(&self, kiosk_id: &str) -> Result<Option<String>, StoreError>;
    /// Stores the bundle of a waiting request of this kiosk; false when it has no such waiting request.
    fn store_diagnostics(
        &self,
        kiosk_id: &str,
        request: &str,
        bundle: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// One request with its bundle.
    fn diagnostics(&self, request: &str) -> Result<Option<DiagnosticsRow>, StoreError>;
    /// Marks a kiosk version withdrawn (again: the reason and time are replaced).
    fn withdraw_version(
        &self,
        version: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Every withdrawn version.
    fn withdrawn_versions(&self) -> Result<Vec<WithdrawnVersion>, StoreError>;
}
