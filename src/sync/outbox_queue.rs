//! The outbox as the uploader's [`ClaimQueue`] and the status check's [`LocalClaims`].

use chrono::{DateTime, Utc};

use super::queue::{ClaimQueue, LocalClaim, LocalClaims, LocalState, QueueDepth, QueueError};
use super::resumable::UploadUrls;
use crate::claim::reference::ClaimReference;
use crate::outbox::{ClaimState, Outbox, OutgoingClaim};

fn flatten(e: crate::outbox::OutboxError) -> QueueError {
    QueueError(e.to_string())
}

impl ClaimQueue for Outbox {
    fn next_due(&self, now: DateTime<Utc>) -> Result<Option<OutgoingClaim>, QueueError> {
        Outbox::next_due(self, now).map_err(flatten)
    }

    fn mark_delivered(
        &self,
        id: i64,
        receipt_json: &str,
        now: DateTime<Utc>,
    ) -> Result<(), QueueError> {
        Outbox::mark_delivered(self, id, receipt_json, now).map_err(flatten)
    }

    fn mark_retry(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: DateTime<Utc>,
    ) -> Result<(), QueueError> {
        Outbox::mark_retry(self, id, error, next_attempt_at).map_err(flatten)
    }

    fn mark_held(&self, id: i64, reason: &str, now: DateTime<Utc>) -> Result<(), QueueError> {
        Outbox::mark_held(self, id, reason, now).map_err(flatten)
    }

    fn depth(&self, now: DateTime<Utc>) -> Result<QueueDepth, QueueError> {
        let stats = self.stats(now).map_err(flatten)?;
        Ok(QueueDepth {
            pending: stats.pending + stats.sending,
            held: stats.held,
            oldest_pending_secs: stats
                .oldest_pending_age
                .map(|a| a.num_seconds().max(0) as u64),
        })
    }
}

impl UploadUrls for Outbox {
    fn upload_url(&self, claim: &OutgoingClaim) -> Option<String> {
        Outbox::upload_url(self, claim.id).unwrap_or_else(|e| {
            tracing::warn!(reference = claim.reference.digits(), error = %e, "cannot read the claim's upload URL; a new upload starts");
            None
        })
    }

    fn keep_upload_url(&self, claim: &OutgoingClaim, url: Option<&str>) {
        if let Err(e) = Outbox::set_upload_url(self, claim.id, url) {
            tracing::warn!(reference = claim.reference.digits(), error = %e, "cannot keep the claim's upload URL; a restart would start a new upload");
        }
    }
}

impl LocalClaims for Outbox {
    fn find(
        &self,
        reference: &ClaimReference,
        nik: &str,
    ) -> Result<Option<LocalClaim>, QueueError> {
        let Some(summary) = self.lookup_by_reference(reference).map_err(flatten)? else {
            return Ok(None);
        };
        if !self.matches_nik(reference, nik).map_err(flatten)? {
            return Ok(None);
        }
        let state = match summary.state {
            ClaimState::Pending | ClaimState::Sending => LocalState::Pending,
            ClaimState::Delivered => {
                LocalState::Delivered(summary.delivered_at.unwrap_or(summary.updated_at))
            }
            ClaimState::Held => LocalState::Held,
        };
        Ok(Some(LocalClaim {
            reference: summary.reference,
            created_at: summary.created_at,
            state,
        }))
    }
}
