//! The claim draft of a session: the claim pipeline's own [`ClaimDraft`], from the first answer on the keypad
//! to [`Submitter::submit`](crate::submission::Submitter::submit). Memory only; dropped when the session ends.

pub use crate::submission::{Change, ClaimDraft};

/// The answers gathered so far in one session (the pipeline's draft; photos are moved in as they are taken).
pub type Draft = ClaimDraft;
