//! Reading the kiosk's documented TOML tables (rules, banks): typed values with the key's full path in every
//! error, and keys the kiosk does not know collected as warnings instead of being silently ignored.

use toml::{Table, Value};

/// A table file that cannot be used; the kiosk refuses to start on it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// The text is not valid TOML.
    #[error("{origin}: not valid TOML: {message}")]
    Syntax {
        /// Where the text came from (a file path, or "built-in rules.toml").
        origin: String,
        /// The parser's description, with line and column.
        message: String,
    },
    /// A required key is absent.
    #[error("{origin}: {key} is missing")]
    Missing {
        /// Where the text came from.
        origin: String,
        /// The key's full path (e.g. `reasons.resign.waiting_months`).
        key: String,
    },
    /// A key has a value the kiosk cannot use.
    #[error("{origin}: {key}: {reason}")]
    Invalid {
        /// Where the text came from.
        origin: String,
        /// The key's full path.
        key: String,
        /// What is wrong and what is expected.
        reason: String,
    },
}

/// A key the kiosk does not know; it is ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableWarning {
    /// Where the text came from.
    pub origin: String,
    /// The unknown key's full path.
    pub key: String,
}

impl std::fmt::Display for TableWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: unknown key {} (ignored)", self.origin, self.key)
    }
}

/// Walks a parsed table, remembering the origin and the warnings.
pub(crate) struct TableReader {
    origin: String,
    warnings: Vec<TableWarning>,
}

impl TableReader {
    /// Parses `text`; the reader names `origin` in every error.
    pub(crate) fn parse(text: &str, origin: &str) -> Result<(Table, TableReader), TableError> {
        let table = toml::from_str::<Table>(text).map_err(|error| TableError::Syntax {
            origin: origin.to_owned(),
            message: match error.span() {
                Some(span) => format!(
                    "{}: {}",
                    line_and_column(text, span.start),
                    error.message().trim()
                ),
                None => error.message().trim().to_owned(),
            },
        })?;
        Ok((
            table,
            TableReader {
                origin: origin.to_owned(),
                warnings: Vec::new(),
            },
        ))
    }

    /// The warnings collected so far.
    pub(crate) fn into_warnings(self) -> Vec<TableWarning> {
        self.warnings
    }

    /// Records every key of `table` (at `path`) that is not in `known`.
    pub(crate) fn warn_unknown(&mut self, table: &Table, path: &str, known: &[&str]) {
        for key in table.keys() {
            if !known.contains(&key.as_str()) {
                self.warnings.push(TableWarning {
                    origin: self.origin.clone(),
                    key: join(path, key),
                });
            }
        }
    }

    /// An error for `key` under `path`.
    pub(crate) fn invalid(&self, path: &str, key: &str, reason: impl Into<String>) -> TableError {
        TableError::Invalid {
            origin: self.origin.clone(),
            key: join(path, key),
            reason: reason.into(),
        }
    }

    fn missing(&self, path: &str, key: &str) -> TableError {
        TableError::Missing {
            origin: self.origin.clone(),
            key: join(path, key),
        }
    }

    /// A required value.
    pub(crate) fn required<'t>(
        &self,
        table: &'t Table,
        path: &str,
        key: &str,
    ) -> Result<&'t Value, TableError> {
        table.get(key).ok_or_else(|| self.missing(path, key))
    }

    /// A required sub-table.
    pub(crate) fn table<'t>(
        &self,
        table: &'t Table,
        path: &str,
        key: &str,
    ) -> Result<&'t Table, TableError> {
        self.required(table, path, key)?
            .as_table()
            .ok_or_else(|| self.invalid(path, key, "must be a table"))
    }

    /// An optional whole number within `range`.
    pub(crate) fn optional_int(
        &self,
        table: &Table,
        path: &str,
        key: &str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Result<Option<i64>, TableError> {
        let Some(value) = table.get(key) else {
            return Ok(None);
        };
        let reason = || {
            format!(
                "must be a whole number from {} to {}",
                range.start(),
                range.end()
            )
        };
        let number = value
            .as_integer()
            .ok_or_else(|| self.invalid(path, key, reason()))?;
        if range.contains(&number) {
            Ok(Some(number))
        } else {
            Err(self.invalid(path, key, format!("{}, not {number}", reason())))
        }
    }

    /// A required whole number within `range`.
    pub(crate) fn int(
        &self,
        table: &Table,
        path: &str,
        key: &str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Result<i64, TableError> {
        self.optional_int(table, path, key, range)?
            .ok_or_else(|| self.missing(path, key))
    }

    /// An optional true/false value.
    pub(crate) fn optional_bool(
        &self,
        table: &Table,
        path: &str,
        key: &str,
    ) -> Result<Option<bool>, TableError> {
        table
            .get(key)
            .map(|value| {
                value
                    .as_bool()
                    .ok_or_else(|| self.invalid(path, key, "must be true or false"))
            })
            .transpose()
    }

    /// A required string.
    pub(crate) fn string<'t>(
        &self,
        table: &'t Table,
        path: &str,
        key: &str,
    ) -> Result<&'t str, TableError> {
        self.required(table, path, key)?
            .as_str()
            .ok_or_else(|| self.invalid(path, key, "must be text in quotes"))
    }

    /// A required list of strings.
    pub(crate) fn strings<'t>(
        &self,
        table: &'t Table,
        path: &str,
        key: &str,
    ) -> Result<Vec<&'t str>, TableError> {
        let list = self
            .required(table, path, key)?
            .as_array()
            .ok_or_else(|| self.invalid(path, key, "must be a list of names in quotes"))?;
        list.iter()
            .map(|item| {
                item.as_str()
                    .ok_or_else(|| self.invalid(path, key, "must be a list of names in quotes"))
            })
            .collect()
    }
}

/// "line L, column C" (1-based, columns in characters) of a byte offset into `text`.
fn line_and_column(text: &str, offset: usize) -> String {
    let mut start = offset.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |index| index + 1);
    let column = before[line_start..].chars().count() + 1;
    format!("line {line}, column {column}")
}

/// `path.key`, or `key` at the top level.
fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}
