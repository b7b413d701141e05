//! Remote care on the heartbeat: what the kiosk reports of its remote configuration, and what it does with
//! the answer (fetch a newer configuration, upload a diagnostics bundle staff asked for). Everything rides on
//! the kiosk's own outgoing, signed requests.

use lapak_core::api::{Heartbeat, HeartbeatReply};

use super::client::CentralClient;
use super::diagnostics::Diagnostics;
use super::remote_config::RemoteCare;

/// The heartbeat's remote care hooks.
pub struct Care {
    /// Remote configuration.
    pub config: RemoteCare,
    /// Diagnostics bundles (none: requests are ignored).
    pub diagnostics: Option<Diagnostics>,
}

impl Care {
    /// Puts the running configuration version and the newest failed one in a heartbeat.
    pub fn fill(&self, beat: &mut Heartbeat) {
        let state = self.config.state();
        beat.config_version = state.version;
        beat.config_failed = state.failed;
    }

    /// Acts on a heartbeat's outcome: confirms a healthy start, and with an answer fetches the configuration
    /// it offers.
    pub fn answered(&self, client: &CentralClient, reply: Option<&HeartbeatReply>) {
        self.config.confirm_if_healthy();
        if let Some(reply) = reply {
            self.config.offered(client, reply.config_version);
            if let (Some(diagnostics), Some(request)) =
                (&self.diagnostics, &reply.diagnostics_request)
            {
                let state = serde_json::to_value(self.config.state()).unwrap_or_default();
                if let Err(e) = diagnostics.answer(client, request, state) {
                    tracing::info!(error = %e, "diagnostics bundle not uploaded; next heartbeat tries again");
                }
            }
        }
    }
}
