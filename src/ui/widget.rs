//! The kiosk's own input widgets: an on-screen numeric keypad and a letter keyboard, and the page marker
//! that clears the window when the page changes.

pub mod keyboard;
pub mod keypad;
pub mod repaint;

/// A key pressed on the on-screen keypad or keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A digit or a letter.
    Char(char),
    /// The space bar.
    Space,
    /// Erase the last character.
    Erase,
    /// Erase everything.
    Clear,
    /// A name suggested on the letter keyboard (its place among the suggestions for what is typed): written
    /// in place of the word being typed, with a space.
    Suggestion(usize),
}

/// Applies a key to the text being typed, keeping at most `max_len` characters.
pub fn apply(key: Key, value: &mut String, max_len: usize) {
    match key {
        Key::Char(c) => {
            if value.chars().count() < max_len {
                value.push(c);
            }
        }
        Key::Space => {
            if value.chars().count() < max_len && !value.is_empty() && !value.ends_with(' ') {
                value.push(' ');
            }
        }
        Key::Erase => {
            value.pop();
        }
        Key::Clear => value.clear(),
        Key::Suggestion(index) => keyboard::names::complete(value, index, max_len),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_edit_the_value_within_its_length() {
        let mut value = String::new();
        for c in "123".chars() {
            apply(Key::Char(c), &mut value, 2);
        }
        assert_eq!(value, "12");
        apply(Key::Erase, &mut value, 2);
        assert_eq!(value, "1");
        apply(Key::Clear, &mut value, 2);
        assert_eq!(value, "");
    }

    #[test]
    fn space_is_never_leading_or_doubled() {
        let mut value = String::new();
        apply(Key::Space, &mut value, 10);
        assert_eq!(value, "");
        apply(Key::Char('A'), &mut value, 10);
        apply(Key::Space, &mut value, 10);
        apply(Key::Space, &mut value, 10);
        apply(Key::Char('B'), &mut value, 10);
        assert_eq!(value, "A B");
    }
}
