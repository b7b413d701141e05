//! The `reference` column read back: a row whose reference no longer parses is a damaged row, named by the caller.

use crate::claim::reference::ClaimReference;

/// Parses a stored `reference` column; the error says what is wrong with it (the caller names the row).
pub(crate) fn from_column(stored: &str) -> Result<ClaimReference, String> {
    ClaimReference::parse(stored)
        .map_err(|err| format!("reference {stored:?} is not a claim reference: {err}"))
}
