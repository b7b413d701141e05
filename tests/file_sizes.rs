//! No source file of the kiosk, its core or the central service grows past 600 lines: a file that long holds
//! more than one job and is split by job. Test modules in their own `tests.rs` (or under a `tests/` folder)
//! are not counted.

use std::path::{Path, PathBuf};

/// The most lines a non-test source file may have.
const MAX_LINES: usize = 600;

/// Every `.rs` file under `dir`, except test modules (`tests.rs`, anything under a `tests` folder).
fn source_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display()));
    for entry in entries {
        let path = entry
            .unwrap_or_else(|err| panic!("cannot read an entry of {}: {err}", dir.display()))
            .path();
        if path.is_dir() {
            if path.file_name().is_some_and(|name| name != "tests") {
                source_files(&path, found);
            }
        } else if path.extension().is_some_and(|ext| ext == "rs")
            && path.file_name().is_some_and(|name| name != "tests.rs")
        {
            found.push(path);
        }
    }
}

#[test]
fn no_source_file_is_over_600_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "core/src", "central/src"] {
        source_files(&root.join(dir), &mut files);
    }
    assert!(
        files.len() > 50,
        "only {} source files found: the walk is broken",
        files.len()
    );
    let mut too_long = Vec::new();
    for path in &files {
        let relative = path
            .strip_prefix(root)
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|err| panic!("cannot read {relative}: {err}"));
        let lines = text.lines().count();
        if lines > MAX_LINES {
            too_long.push(format!("{relative}: {lines} lines"));
        }
    }
    assert!(
        too_long.is_empty(),
        "split these files by job (at most {MAX_LINES} lines each):\n{}",
        too_long.join("\n")
    );
}

/// The most lines of the screens' root (`src/ui/mod.rs`): it only routes messages, switches pages and owns the
/// shared workers; what grows there belongs in a screen's file or a module of its own.
const MAX_ROOT_LINES: usize = 500;

#[test]
fn the_screens_root_module_stays_under_500_lines() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui/mod.rs");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    let lines = text.lines().count();
    assert!(
        lines < MAX_ROOT_LINES,
        "src/ui/mod.rs has {lines} lines (fewer than {MAX_ROOT_LINES} wanted): move behaviour to the file named after it"
    );
}
