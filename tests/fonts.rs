//! The embedded fonts are kept to what the kiosk shows (tools/subset-fonts): every character of every message,
//! of the screens' own text (pictograms, the cursor, the "not yet" mark, key labels) and of what a participant
//! can type must have a glyph in both the regular and the bold font, or it would be drawn as an empty box.
#![cfg(feature = "reading")]
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::Path;

use ab_glyph::{Font, FontRef};

const REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

fn files(dir: &Path, extension: &str, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, extension, found);
        } else if path.extension().is_some_and(|e| e == extension) {
            found.push(path);
        }
    }
}

/// The characters of the screens' source outside comments: string and character literals with their
/// pictograms and marks (a comment may hold anything; a screen never shows it).
fn screen_source_characters(root: &Path) -> BTreeSet<char> {
    let mut sources = Vec::new();
    files(&root.join("src/ui"), "rs", &mut sources);
    assert!(sources.len() > 20, "the screens' sources: {sources:?}");
    let mut chars = BTreeSet::new();
    for source in sources {
        let text = std::fs::read_to_string(&source).unwrap();
        for line in text.lines() {
            let code = match line.find("//") {
                Some(at) => &line[..at],
                None => line,
            };
            chars.extend(code.chars());
        }
    }
    chars
}

fn missing(font: &FontRef<'_>, chars: &BTreeSet<char>) -> Vec<char> {
    chars
        .iter()
        .copied()
        .filter(|c| !c.is_control() && font.glyph_id(*c).0 == 0)
        .collect()
}

#[test]
fn every_message_screen_text_pictogram_and_typed_character_has_a_glyph_in_both_fonts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut chars: BTreeSet<char> = (' '..='~').collect();
    let mut messages = Vec::new();
    files(&root.join("assets/i18n"), "ftl", &mut messages);
    assert_eq!(messages.len(), 2, "id and en: {messages:?}");
    for file in &messages {
        chars.extend(std::fs::read_to_string(file).unwrap().chars());
    }
    let mut names = Vec::new();
    files(&root.join("assets/names"), "txt", &mut names);
    for file in &names {
        chars.extend(std::fs::read_to_string(file).unwrap().chars());
    }
    let screens = screen_source_characters(root);
    // The reason pictograms and the marks are among what is checked.
    for c in ['✍', '✂', '⚑', '☕', '✈', '♿', '⚘', '☂', '⌂', '▏', '⊘'] {
        assert!(
            screens.contains(&c),
            "{c} is no longer in the screens' sources"
        );
    }
    chars.extend(screens);
    for (name, bytes) in [("DejaVuSans.ttf", REGULAR), ("DejaVuSans-Bold.ttf", BOLD)] {
        let font = FontRef::try_from_slice(bytes).unwrap();
        assert_eq!(
            missing(&font, &chars),
            Vec::<char>::new(),
            "characters without a glyph in {name}"
        );
    }
}

#[test]
fn the_glyph_check_finds_a_character_the_fonts_leave_out() {
    // Greek is not kept (tools/subset-fonts): the check above would name it.
    let font = FontRef::try_from_slice(REGULAR).unwrap();
    let greek: BTreeSet<char> = ['α', 'Ω'].into();
    assert_eq!(missing(&font, &greek), vec!['Ω', 'α']);
}
