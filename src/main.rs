//! The `lapak-kiosk` command.

fn main() -> anyhow::Result<()> {
    Ok(())
}
