//! The packet's plaintext container: a tar archive written and read entirely in memory.

use std::io::Read;

use zeroize::Zeroizing;

use super::PacketError;

/// One regular file of the archive.
pub(crate) struct ArchiveFile {
    /// Path inside the archive.
    pub path: String,
    /// The file's bytes (wiped on drop).
    pub data: Zeroizing<Vec<u8>>,
}

/// Builds a tar archive of regular files (mode 0600, owner 0, the given modification time) in memory.
pub(crate) fn build(
    files: &[(&str, &[u8])],
    mtime: u64,
) -> Result<Zeroizing<Vec<u8>>, PacketError> {
    let capacity = files
        .iter()
        .map(|(_, data)| data.len() + 1024)
        .sum::<usize>()
        + 2048;
    let mut builder = tar::Builder::new(Vec::with_capacity(capacity));
    for (path, data) in files {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(data.len() as u64);
        header.set_mode(0o600);
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(mtime);
        builder
            .append_data(&mut header, path, *data)
            .map_err(|err| bad_tar(format!("cannot add {path}: {err}")))?;
    }
    builder
        .into_inner()
        .map(Zeroizing::new)
        .map_err(|err| bad_tar(format!("cannot finish the archive: {err}")))
}

/// Reads every entry of an in-memory tar archive. Only regular files are allowed; each path may occur once;
/// `limit_for(path)` gives the largest size accepted for a file at that path.
pub(crate) fn read(
    tar_bytes: &[u8],
    limit_for: impl Fn(&str) -> u64,
) -> Result<Vec<ArchiveFile>, PacketError> {
    let mut archive = tar::Archive::new(tar_bytes);
    let entries = archive.entries().map_err(|err| bad_tar(err.to_string()))?;
    let mut files: Vec<ArchiveFile> = Vec::new();
    for entry in entries {
        let mut entry = entry.map_err(|err| bad_tar(err.to_string()))?;
        let path = entry
            .path()
            .map_err(|err| bad_tar(format!("entry path: {err}")))?
            .to_string_lossy()
            .into_owned();
        let kind = entry.header().entry_type();
        if kind != tar::EntryType::Regular {
            return Err(PacketError::UnexpectedFile {
                path: format!("{path} (not a regular file)"),
            });
        }
        if files.iter().any(|file| file.path == path) {
            return Err(PacketError::UnexpectedFile {
                path: format!("{path} (second copy)"),
            });
        }
        let limit = limit_for(&path);
        let size = entry.size();
        if size > limit {
            return Err(PacketError::TooLarge { what: path, limit });
        }
        let capacity = usize::try_from(size).map_err(|_| PacketError::TooLarge {
            what: path.clone(),
            limit,
        })?;
        let mut data = Zeroizing::new(Vec::with_capacity(capacity));
        entry
            .read_to_end(&mut data)
            .map_err(|err| bad_tar(format!("{path}: {err}")))?;
        files.push(ArchiveFile { path, data });
    }
    Ok(files)
}

fn bad_tar(reason: String) -> PacketError {
    PacketError::BadTar { reason }
}
