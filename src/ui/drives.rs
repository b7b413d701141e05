//! The removable drives staff can export packets to: the file systems mounted under `/media` and
//! `/run/media` (where the desktop's automounter puts USB sticks).

use std::path::{Path, PathBuf};

/// Where removable drives are mounted.
pub const REMOVABLE_ROOTS: [&str; 2] = ["/media", "/run/media"];

/// The mount table of this process.
const MOUNTS_FILE: &str = "/proc/self/mounts";

/// The mount points under [`REMOVABLE_ROOTS`] now; empty when the mount table cannot be read.
pub fn mounted_removable_drives() -> Vec<PathBuf> {
    match std::fs::read_to_string(MOUNTS_FILE) {
        Ok(table) => mount_points_under(&table, &REMOVABLE_ROOTS.map(Path::new)),
        Err(error) => {
            tracing::warn!(%error, "cannot read the mount table");
            Vec::new()
        }
    }
}

/// The mount points in a `/proc/mounts` table that lie below one of `roots` (not the roots themselves),
/// sorted, each once.
pub fn mount_points_under(table: &str, roots: &[&Path]) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = table
        .lines()
        .filter_map(|line| line.split_whitespace().nth(1))
        .map(|escaped| PathBuf::from(unescape(escaped)))
        .filter(|point| {
            roots
                .iter()
                .any(|root| point.starts_with(root) && point.as_path() != *root)
        })
        .collect();
    found.sort();
    found.dedup();
    found
}

/// Undoes the octal escapes of the mount table (`\040` is a space).
fn unescape(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut rest = field;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let code = rest.get(at + 1..at + 4);
        match code.and_then(|digits| u8::from_str_radix(digits, 8).ok()) {
            Some(byte) => {
                out.push(char::from(byte));
                rest = &rest[at + 4..];
            }
            None => {
                out.push('\\');
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "\
/dev/sda2 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid 0 0
/dev/sdb1 /media/kiosk/KINGSTON vfat rw,nosuid,nodev 0 0
/dev/sdc1 /run/media/staff/DATA\\040USB exfat rw 0 0
tmpfs /run/media tmpfs rw 0 0
/dev/sdd1 /mnt/backup ext4 rw 0 0
/dev/sdb1 /media/kiosk/KINGSTON vfat rw,nosuid,nodev 0 0
";

    #[test]
    fn only_drives_below_the_removable_roots_are_offered() {
        let roots = REMOVABLE_ROOTS.map(Path::new);
        assert_eq!(
            mount_points_under(TABLE, &roots),
            vec![
                PathBuf::from("/media/kiosk/KINGSTON"),
                PathBuf::from("/run/media/staff/DATA USB"),
            ]
        );
    }

    #[test]
    fn escapes_are_undone_and_broken_ones_kept() {
        assert_eq!(unescape("a\\040b\\011c"), "a b\tc");
        assert_eq!(unescape("trail\\"), "trail\\");
        assert_eq!(unescape("x\\9zz"), "x\\9zz");
    }
}
