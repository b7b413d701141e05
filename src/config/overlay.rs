//! The pushed configuration: the keys staff pushed from lapak-central (see `sync::remote_config`), kept as an
//! overlay under the kiosk's data folder, never in `kiosk.toml` itself. `kiosk.toml` may sit in a folder the
//! kiosk program cannot write (`/etc/lapak-kiosk` on a kiosk installed from the package); the data folder is
//! always its own. Every load of a `kiosk.toml` sets the overlay's keys over the file's.

use std::path::{Path, PathBuf};

/// The folder under `storage.data_dir` holding the pushed configuration and its state.
pub const REMOTE_DIR: &str = "remote-config";
/// The overlay in force: the pushed keys, merged over `kiosk.toml` at every load.
pub const APPLIED_FILE: &str = "applied.toml";

/// The folder of the pushed configuration for a kiosk whose data folder is `data_dir`.
pub fn remote_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(REMOTE_DIR)
}

/// `base` (a kiosk.toml, comments kept) with every key of `overlay` set.
pub fn merge(base: &str, overlay: &str) -> Result<String, String> {
    let mut doc: toml_edit::DocumentMut = base
        .parse()
        .map_err(|e: toml_edit::TomlError| format!("kiosk.toml is not TOML: {}", e.message()))?;
    let over: toml_edit::DocumentMut = overlay
        .parse()
        .map_err(|e: toml_edit::TomlError| format!("not TOML: {}", e.message()))?;
    merge_tables(doc.as_table_mut(), over.as_table());
    Ok(doc.to_string())
}

fn merge_tables(into: &mut toml_edit::Table, from: &toml_edit::Table) {
    for (key, item) in from.iter() {
        match (into.get_mut(key), item) {
            (Some(toml_edit::Item::Table(dst)), toml_edit::Item::Table(src)) => {
                merge_tables(dst, src)
            }
            (Some(toml_edit::Item::Value(dst)), toml_edit::Item::Value(src)) => {
                // Keep the line's comment; take the new value.
                let decor = dst.decor().clone();
                *dst = src.clone();
                *dst.decor_mut() = decor;
            }
            _ => {
                into.insert(key, item.clone());
            }
        }
    }
}
