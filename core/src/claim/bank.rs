//! The bank table (`kiosk-config/banks.toml`): each bank's transfer code, names and account number length,
//! and the check of an account number against it (the check itself is [`super::validate::account_number`]:
//! validation knows nothing of the table).

use super::table_file::{TableReader, TableWarning};
use super::validate::{AccountError, FieldCheck, FieldError, account_number};

pub use super::table_file::TableError as BankTableError;

const EMBEDDED_BANKS: &str = include_str!("../../../kiosk-config/banks.toml");

/// One bank the JHT can be paid to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bank {
    /// The 3-digit transfer code (e.g. "014").
    pub code: String,
    /// The short name shown on the button (e.g. "BCA").
    pub name: String,
    /// The legal name.
    pub full_name: String,
    /// How many digits an account number has.
    pub account_length: usize,
}

impl Bank {
    /// Checks an account number as it is typed (spaces, dots and dashes ignored); the value is digits only.
    pub fn check_account(&self, input: &str) -> FieldCheck<String> {
        account_number(input, self.account_length)
    }
}

/// The banks, in the order the kiosk offers them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankTable {
    banks: Vec<Bank>,
    warnings: Vec<TableWarning>,
}

impl BankTable {
    /// The banks shipped with the kiosk (`kiosk-config/banks.toml`, built in). Fails only if the shipped file
    /// is broken, which the test suite rules out.
    pub fn embedded_default() -> Result<BankTable, BankTableError> {
        BankTable::from_toml_str(EMBEDDED_BANKS, "built-in banks.toml")
    }

    /// Reads a bank table; errors name `origin`, the key (e.g. `banks[3].account_length`) and the reason.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<BankTable, BankTableError> {
        let (root, mut reader) = TableReader::parse(text, origin)?;
        reader.warn_unknown(&root, "", &["banks"]);
        let list = reader
            .required(&root, "", "banks")?
            .as_array()
            .ok_or_else(|| reader.invalid("", "banks", "must be a list of [[banks]] entries"))?;
        if list.is_empty() {
            return Err(reader.invalid("", "banks", "needs at least one bank"));
        }
        let mut banks: Vec<Bank> = Vec::with_capacity(list.len());
        for (index, entry) in list.iter().enumerate() {
            let path = format!("banks[{}]", index + 1);
            let table = entry
                .as_table()
                .ok_or_else(|| reader.invalid("", &path, "must be a [[banks]] entry"))?;
            reader.warn_unknown(
                table,
                &path,
                &["code", "name", "full_name", "account_length"],
            );
            let code = reader.string(table, &path, "code")?;
            if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(reader.invalid(
                    &path,
                    "code",
                    format!("must be 3 digits in quotes, not {code:?}"),
                ));
            }
            if banks.iter().any(|bank| bank.code == code) {
                return Err(reader.invalid(&path, "code", format!("{code} is listed twice")));
            }
            let name = reader.string(table, &path, "name")?.trim();
            if name.is_empty() {
                return Err(reader.invalid(&path, "name", "must not be empty"));
            }
            let full_name = reader.string(table, &path, "full_name")?.trim();
            let account_length = reader.int(table, &path, "account_length", 5..=20)?;
            banks.push(Bank {
                code: code.to_owned(),
                name: name.to_owned(),
                full_name: full_name.to_owned(),
                account_length: usize::try_from(account_length).unwrap_or(0),
            });
        }
        Ok(BankTable {
            banks,
            warnings: reader.into_warnings(),
        })
    }

    /// Keys in the file that the kiosk does not know (ignored).
    pub fn warnings(&self) -> &[TableWarning] {
        &self.warnings
    }

    /// Every bank, in order.
    pub fn banks(&self) -> &[Bank] {
        &self.banks
    }

    /// The bank with this transfer code.
    pub fn by_code(&self, code: &str) -> Option<&Bank> {
        self.banks.iter().find(|bank| bank.code == code)
    }

    /// Checks an account number for the bank with this transfer code.
    pub fn check_account(&self, bank_code: &str, input: &str) -> FieldCheck<String> {
        match self.by_code(bank_code) {
            Some(bank) => bank.check_account(input),
            None => FieldCheck::Invalid(FieldError::Account(AccountError::UnknownBank)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_banks_have_the_published_codes_and_lengths() {
        let table = BankTable::embedded_default().unwrap();
        assert!(table.warnings().is_empty());
        let expected = [
            ("BCA", "014", 10),
            ("BNI", "009", 10),
            ("BSI", "451", 10),
            ("OCBC", "028", 12),
            ("Mandiri", "008", 13),
            ("CIMB Niaga", "022", 13),
            ("BRI", "002", 15),
            ("BTN", "200", 16),
        ];
        for (name, code, length) in expected {
            let bank = table.by_code(code).unwrap();
            assert_eq!(
                (bank.name.as_str(), bank.account_length),
                (name, length),
                "{code}"
            );
        }
        assert_eq!(table.banks().len(), expected.len());
    }

    #[test]
    fn account_numbers_follow_the_bank_length() {
        let table = BankTable::embedded_default().unwrap();
        assert_eq!(
            table.check_account("014", "123-456 7890"),
            FieldCheck::Valid("1234567890".into())
        );
        assert_eq!(
            table.check_account("014", "123456789"),
            FieldCheck::Incomplete(FieldError::Account(AccountError::TooShort { length: 10 }))
        );
        assert_eq!(
            table.check_account("014", "12345678901"),
            FieldCheck::Invalid(FieldError::Account(AccountError::TooLong { length: 10 }))
        );
        assert_eq!(
            table.check_account("002", "1234567890"),
            FieldCheck::Incomplete(FieldError::Account(AccountError::TooShort { length: 15 }))
        );
        assert!(
            table
                .check_account("002", "123456789012345")
                .is_acceptable()
        );
        assert!(
            table
                .check_account("200", "1234567890123456")
                .is_acceptable()
        );
        assert_eq!(
            table.check_account("014", "12345x"),
            FieldCheck::Invalid(FieldError::Account(AccountError::NotDigits))
        );
        assert_eq!(
            table.check_account("999", "1234567890"),
            FieldCheck::Invalid(FieldError::Account(AccountError::UnknownBank))
        );
    }

    #[test]
    fn bad_entries_name_the_entry_and_key() {
        let text = EMBEDDED_BANKS.replacen("account_length = 15", "account_length = 0", 1);
        let error = BankTable::from_toml_str(&text, "/etc/lapak/banks.toml").unwrap_err();
        assert_eq!(
            error.to_string(),
            "/etc/lapak/banks.toml: banks[2].account_length: must be a whole number from 5 to 20, not 0"
        );
        let text = EMBEDDED_BANKS.replacen("code = \"009\"", "code = \"014\"", 1);
        let error = BankTable::from_toml_str(&text, "banks.toml").unwrap_err();
        assert_eq!(
            error.to_string(),
            "banks.toml: banks[3].code: 014 is listed twice"
        );
        let text = EMBEDDED_BANKS.replacen("code = \"009\"", "code = \"9\"", 1);
        assert!(BankTable::from_toml_str(&text, "banks.toml").is_err());
        let text = EMBEDDED_BANKS.replacen("full_name = \"PT Bank Central Asia Tbk\"\n", "", 1);
        let error = BankTable::from_toml_str(&text, "banks.toml").unwrap_err();
        assert_eq!(
            error.to_string(),
            "banks.toml: banks[1].full_name is missing"
        );
        let error = BankTable::from_toml_str("", "banks.toml").unwrap_err();
        assert_eq!(error.to_string(), "banks.toml: banks is missing");
    }

    #[test]
    fn unknown_keys_are_warnings() {
        let text = EMBEDDED_BANKS.replacen(
            "account_length = 10",
            "account_length = 10\nswift = \"CENAIDJA\"",
            1,
        );
        let table = BankTable::from_toml_str(&text, "banks.toml").unwrap();
        assert_eq!(table.warnings().len(), 1);
        assert_eq!(table.warnings()[0].key, "banks[1].swift");
    }
}
