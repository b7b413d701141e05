//! The subcommands whose work is longer than a screen, one file each.

pub mod outbox;
pub mod status;
