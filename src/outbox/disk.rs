//! Free space on the file system that holds the outbox.

use std::path::Path;

use super::OutboxError;

/// Bytes available to unprivileged writers on the file system holding `folder`.
pub(crate) fn free_bytes(folder: &Path) -> Result<u64, OutboxError> {
    let stats = rustix::fs::statvfs(folder).map_err(|err| OutboxError::DiskSpace {
        path: folder.to_owned(),
        reason: err.to_string(),
    })?;
    Ok(stats.f_bavail.saturating_mul(stats.f_frsize))
}
