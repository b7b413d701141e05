//! Indonesian administrative region codes (kode wilayah Kemendagri): provinces, regencies/cities and
//! districts (kecamatan), as used in the first six digits of a NIK.
//!
//! The table ships in `assets/wilayah/` (Open Database License, attribution in its README) and is embedded in
//! the binary; [`Regions::embedded`] parses it once.

use std::collections::HashMap;
use std::sync::OnceLock;

const PROVINCES_CSV: &str = include_str!("../../../assets/wilayah/provinces.csv");
const REGENCIES_CSV: &str = include_str!("../../../assets/wilayah/regencies.csv");
const DISTRICTS_CSV: &str = include_str!("../../../assets/wilayah/districts.csv");

/// A region table that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegionsError {
    /// A line does not have the expected columns or its code has the wrong shape.
    #[error("{file} line {line}: {reason}")]
    BadLine {
        /// Which table (e.g. "districts.csv").
        file: &'static str,
        /// The 1-based line number.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
}

/// The region codes, looked up by their digits without dots (`"32"`, `"3273"`, `"327301"`).
#[derive(Debug, Clone, Default)]
pub struct Regions {
    provinces: HashMap<String, String>,
    regencies: HashMap<String, String>,
    districts: HashMap<String, String>,
}

impl Regions {
    /// The table shipped in `assets/wilayah/`, parsed on first use.
    pub fn embedded() -> &'static Regions {
        static EMBEDDED: OnceLock<Regions> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            // The embedded files are checked by a test, so this fallback only guards against a broken build.
            Regions::from_csv(PROVINCES_CSV, REGENCIES_CSV, DISTRICTS_CSV).unwrap_or_else(|error| {
                tracing::error!(%error, "embedded region table is unreadable");
                Regions::default()
            })
        })
    }

    /// Parses the three tables (`code,name`, `code,province_code,name`, `code,regency_code,name`, each with a
    /// header line; codes written with dots as `PP`, `PP.RR`, `PP.RR.DD`).
    pub fn from_csv(
        provinces: &str,
        regencies: &str,
        districts: &str,
    ) -> Result<Regions, RegionsError> {
        Ok(Regions {
            provinces: read_table(provinces, "provinces.csv", 2)?,
            regencies: read_table(regencies, "regencies.csv", 3)?,
            districts: read_table(districts, "districts.csv", 3)?,
        })
    }

    /// The province name for a two-digit code such as `"32"`.
    pub fn province(&self, code: &str) -> Option<&str> {
        self.provinces.get(code).map(String::as_str)
    }

    /// The regency or city name for a four-digit code such as `"3273"`.
    pub fn regency(&self, code: &str) -> Option<&str> {
        self.regencies.get(code).map(String::as_str)
    }

    /// The district (kecamatan) name for a six-digit code such as `"327301"`.
    pub fn district(&self, code: &str) -> Option<&str> {
        self.districts.get(code).map(String::as_str)
    }

    /// How many provinces, regencies and districts the table holds.
    pub fn counts(&self) -> (usize, usize, usize) {
        (
            self.provinces.len(),
            self.regencies.len(),
            self.districts.len(),
        )
    }
}

/// Reads one table into a map from the code's digits to the name (the last column).
fn read_table(
    text: &str,
    file: &'static str,
    columns: usize,
) -> Result<HashMap<String, String>, RegionsError> {
    let mut map = HashMap::new();
    for (index, line) in text.lines().enumerate().skip(1) {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let bad = |reason: String| RegionsError::BadLine {
            file,
            line: index + 1,
            reason,
        };
        let fields = split_csv_line(line).map_err(|reason| bad(reason.to_owned()))?;
        if fields.len() != columns {
            return Err(bad(format!(
                "expected {columns} columns, found {}",
                fields.len()
            )));
        }
        let code: String = fields[0].chars().filter(|c| *c != '.').collect();
        let expected_len = match columns {
            2 => 2,
            _ => fields[1].chars().filter(|c| *c != '.').count() + 2,
        };
        if code.len() != expected_len || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(format!("code {:?} has the wrong shape", fields[0])));
        }
        let name = fields[columns - 1].trim().to_owned();
        map.insert(code, name);
    }
    Ok(map)
}

/// Splits one CSV line, honouring double quotes (`"Ra""as"` is `Ra"as`).
fn split_csv_line(line: &str) -> Result<Vec<String>, &'static str> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (false, ',') => fields.push(std::mem::take(&mut field)),
            (false, '"') if field.is_empty() => quoted = true,
            (true, '"') => {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            }
            (_, c) => field.push(c),
        }
    }
    if quoted {
        return Err("a quoted field is not closed");
    }
    fields.push(field);
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_parses_completely() {
        let regions = Regions::from_csv(PROVINCES_CSV, REGENCIES_CSV, DISTRICTS_CSV).unwrap();
        let line_count = |text: &str| text.lines().filter(|l| !l.trim().is_empty()).count() - 1;
        assert_eq!(
            regions.counts(),
            (
                line_count(PROVINCES_CSV),
                line_count(REGENCIES_CSV),
                line_count(DISTRICTS_CSV)
            )
        );
        assert_eq!(regions.counts().0, 38);
    }

    #[test]
    fn lookups_by_digits() {
        let regions = Regions::embedded();
        assert_eq!(regions.province("32"), Some("Jawa Barat"));
        assert_eq!(regions.regency("1101"), Some("Kabupaten Aceh Selatan"));
        assert_eq!(regions.district("110101"), Some("Bakongan"));
        assert_eq!(regions.province("20"), None);
        assert_eq!(regions.regency("1100"), None);
    }

    #[test]
    fn quoted_names_are_unescaped() {
        assert_eq!(Regions::embedded().district("352922"), Some("Ra\"as"));
        assert_eq!(
            split_csv_line("a,\"b,c\",d").unwrap(),
            vec!["a", "b,c", "d"]
        );
        assert!(split_csv_line("a,\"b").is_err());
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let error = Regions::from_csv(
            "code,name\n11,Aceh\n1x,Bad\n",
            "code,p,name\n",
            "code,r,name\n",
        )
        .unwrap_err();
        assert_eq!(
            error,
            RegionsError::BadLine {
                file: "provinces.csv",
                line: 3,
                reason: "code \"1x\" has the wrong shape".into()
            }
        );
        let error = Regions::from_csv("code,name\n11,Aceh\n", "code,p,name\n11.01,11\n", "c,r,n\n")
            .unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("regencies.csv line 2: expected 3 columns")
        );
    }
}
