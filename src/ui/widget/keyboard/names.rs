//! Name suggestions for the letter keyboard: after two letters of a word, up to three common Indonesian given
//! names that start with them, from the list shipped in `assets/names/given-names-id.txt` (compiled in; its
//! header says where it came from). Nothing typed or chosen is kept: the suggestions are worked out from the
//! field's text each time the keyboard is drawn.

use std::sync::OnceLock;

/// The shipped list, as written.
const LIST: &str = include_str!("../../../../assets/names/given-names-id.txt");

/// Letters of a word typed before names are suggested.
pub const SUGGEST_AFTER: usize = 2;
/// Most suggestions shown at once.
pub const MOST_SUGGESTIONS: usize = 3;

/// The names of the list in its order (the more common first), without comments, blanks or repeats.
pub fn given_names() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: Vec<&'static str> = Vec::new();
        for name in LIST
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
        {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    })
}

/// The word being typed: the letters after the last space.
fn last_word(typed: &str) -> &str {
    typed.rsplit(' ').next().unwrap_or_default()
}

/// Up to [`MOST_SUGGESTIONS`] names that start with the word being typed, once it has [`SUGGEST_AFTER`]
/// letters; none when the word is already a whole name and no longer one starts with it.
pub fn suggestions(typed: &str) -> Vec<&'static str> {
    let word = last_word(typed).to_uppercase();
    if word.chars().count() < SUGGEST_AFTER {
        return Vec::new();
    }
    given_names()
        .iter()
        .copied()
        .filter(|name| name.starts_with(word.as_str()))
        .take(MOST_SUGGESTIONS)
        .collect()
}

/// Writes suggestion `index` (of [`suggestions`] for `typed`) in place of the word being typed, and a space,
/// within `max_len` characters; nothing happens when there is no such suggestion or it does not fit.
pub fn complete(typed: &mut String, index: usize, max_len: usize) {
    let Some(name) = suggestions(typed).get(index).copied() else {
        return;
    };
    let start = typed.len() - last_word(typed).len();
    let completed = format!("{}{name} ", &typed[..start]);
    if completed.chars().count() <= max_len {
        *typed = completed;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_holds_common_names_once_each_in_capitals() {
        let names = given_names();
        assert!(names.len() >= 200, "{}", names.len());
        for name in ["SITI", "SRI", "WAHYUNI", "AMINAH", "BUDI"] {
            assert!(names.contains(&name), "{name}");
        }
        for name in names {
            assert!(
                name.chars().all(|c| c.is_ascii_uppercase()),
                "{name:?} is not one word in capitals"
            );
            assert_eq!(
                names.iter().filter(|other| *other == name).count(),
                1,
                "{name}"
            );
        }
    }

    #[test]
    fn two_letters_bring_up_to_three_names_and_one_letter_none() {
        assert!(suggestions("S").is_empty());
        assert!(suggestions("SRI W").is_empty());
        let sr = suggestions("SR");
        assert_eq!(sr.first(), Some(&"SRI"));
        assert!(sr.len() <= MOST_SUGGESTIONS);
        assert!(suggestions("SU").len() == MOST_SUGGESTIONS);
        // The word being typed is the last one, whatever came before.
        assert!(suggestions("SRI WAH").contains(&"WAHYUNI"));
        assert!(suggestions("QX").is_empty());
    }

    #[test]
    fn a_suggestion_replaces_the_word_being_typed_and_adds_a_space() {
        let mut typed = "SR".to_owned();
        complete(&mut typed, 0, 60);
        assert_eq!(typed, "SRI ");
        typed.push_str("WAH");
        let index = suggestions(&typed)
            .iter()
            .position(|name| *name == "WAHYUNI")
            .expect("WAHYUNI suggested");
        complete(&mut typed, index, 60);
        assert_eq!(typed, "SRI WAHYUNI ");
        // No such suggestion, or too long for the field: nothing changes.
        let mut typed = "SR".to_owned();
        complete(&mut typed, 5, 60);
        assert_eq!(typed, "SR");
        complete(&mut typed, 0, 3);
        assert_eq!(typed, "SR");
    }
}
