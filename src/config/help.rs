//! `[help]`: where a participant who is stuck can ask: the office's telephone and WhatsApp numbers and its
//! opening hours, shown by "Minta bantuan" and printed on its slip.

use serde::{Deserialize, Serialize};

/// BPJS Ketenagakerjaan's national call centre, shown beside the office's own numbers.
pub const NATIONAL_LINE: &str = "175";

/// The days of the week as written in `help.open_days`, Monday first.
pub const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// `[help]`: the office's helpline and opening hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HelpSection {
    /// The office's telephone number (digits, an optional leading `+`, spaces and dashes); empty: none.
    pub phone: String,
    /// The office's WhatsApp number, a mobile number (`08…`, `628…` or `+628…`); empty: none.
    pub whatsapp: String,
    /// The days the office answers: one day (`"mon"`) or a range (`"mon-fri"`), days written
    /// mon tue wed thu fri sat sun.
    pub open_days: String,
    /// When the office opens on those days, `HH:MM`.
    pub opens: String,
    /// When the office closes on those days, `HH:MM`, after `opens`.
    pub closes: String,
}

impl Default for HelpSection {
    fn default() -> Self {
        HelpSection {
            phone: String::new(),
            whatsapp: String::new(),
            open_days: "mon-fri".to_owned(),
            opens: "08:00".to_owned(),
            closes: "16:00".to_owned(),
        }
    }
}

/// A `[help]` value that cannot be used: the key (`help.phone`…) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpError {
    /// The key, with its section.
    pub key: &'static str,
    /// What is wrong, in words a technician can act on.
    pub reason: String,
}

/// When the office answers, checked: the first and last day (indexes into [`DAYS`]) and the hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpeningHours {
    /// The first open day, 0 = Monday.
    pub first_day: usize,
    /// The last open day, 0 = Monday (the same as `first_day` for one day).
    pub last_day: usize,
    /// Opening time.
    pub opens: chrono::NaiveTime,
    /// Closing time.
    pub closes: chrono::NaiveTime,
}

impl HelpSection {
    /// Checks every key; the first problem names its key.
    pub fn validate(&self) -> Result<(), HelpError> {
        self.phone_number()?;
        self.whatsapp_number()?;
        self.hours()?;
        Ok(())
    }

    /// The office's telephone number as written (separators kept), or `None` when there is none.
    pub fn phone_number(&self) -> Result<Option<String>, HelpError> {
        let phone = self.phone.trim();
        if phone.is_empty() {
            return Ok(None);
        }
        let digits = phone.strip_prefix('+').unwrap_or(phone);
        let only_digits: String = digits.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if only_digits.is_empty() || !only_digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(HelpError {
                key: "help.phone",
                reason: format!(
                    "`{phone}` is not a telephone number: digits only, an optional leading +, spaces or dashes"
                ),
            });
        }
        if !(3..=15).contains(&only_digits.len()) {
            return Err(HelpError {
                key: "help.phone",
                reason: format!(
                    "`{phone}` has {} digits: a telephone number has 3 to 15",
                    only_digits.len()
                ),
            });
        }
        Ok(Some(phone.to_owned()))
    }

    /// The office's WhatsApp number normalised to `+628…`, or `None` when there is none.
    pub fn whatsapp_number(&self) -> Result<Option<String>, HelpError> {
        let whatsapp = self.whatsapp.trim();
        if whatsapp.is_empty() {
            return Ok(None);
        }
        match lapak_core::claim::validate::phone(whatsapp).value() {
            Some(number) => Ok(Some(number.clone())),
            None => Err(HelpError {
                key: "help.whatsapp",
                reason: format!(
                    "`{whatsapp}` is not a mobile number: write it as 08…, 628… or +628… (10 to 13 digits from 08)"
                ),
            }),
        }
    }

    /// The opening days and hours, checked.
    pub fn hours(&self) -> Result<OpeningHours, HelpError> {
        let day = |name: &str| DAYS.iter().position(|day| *day == name.trim());
        let days = self.open_days.trim().to_ascii_lowercase();
        let (first, last) = days.split_once('-').unwrap_or((&days, &days));
        let (Some(first_day), Some(last_day)) = (day(first), day(last)) else {
            return Err(HelpError {
                key: "help.open_days",
                reason: format!(
                    "`{}` is not a day or a range of days: write e.g. \"mon-fri\" or \"sat\" (days: {})",
                    self.open_days,
                    DAYS.join(" ")
                ),
            });
        };
        if first_day > last_day {
            return Err(HelpError {
                key: "help.open_days",
                reason: format!(
                    "`{}` runs backwards: the first day comes before the last in the week (mon … sun)",
                    self.open_days
                ),
            });
        }
        let time = |key: &'static str, value: &str| {
            chrono::NaiveTime::parse_from_str(value.trim(), "%H:%M").map_err(|_| HelpError {
                key,
                reason: format!("`{value}` is not a time of day: write HH:MM, e.g. \"08:00\""),
            })
        };
        let opens = time("help.opens", &self.opens)?;
        let closes = time("help.closes", &self.closes)?;
        if closes <= opens {
            return Err(HelpError {
                key: "help.closes",
                reason: format!(
                    "the office closes at {} but opens at {}: closing must come after opening",
                    self.closes.trim(),
                    self.opens.trim()
                ),
            });
        }
        Ok(OpeningHours {
            first_day,
            last_day,
            opens,
            closes,
        })
    }

    /// What the help QR code opens: a WhatsApp chat with the office when it has a WhatsApp number, else a
    /// call to the office, else a call to the national line.
    pub fn qr_link(&self) -> String {
        if let Ok(Some(whatsapp)) = self.whatsapp_number() {
            return format!("https://wa.me/{}", whatsapp.trim_start_matches('+'));
        }
        if let Ok(Some(phone)) = self.phone_number() {
            let dialled: String = phone.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
            return format!("tel:{dialled}");
        }
        format!("tel:{NATIONAL_LINE}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help(phone: &str, whatsapp: &str) -> HelpSection {
        HelpSection {
            phone: phone.to_owned(),
            whatsapp: whatsapp.to_owned(),
            ..HelpSection::default()
        }
    }

    #[test]
    fn the_default_has_no_office_numbers_and_opens_monday_to_friday_eight_to_four() {
        let default = HelpSection::default();
        assert_eq!(default.validate(), Ok(()));
        let hours = default.hours().expect("default hours");
        assert_eq!((hours.first_day, hours.last_day), (0, 4));
        assert_eq!(hours.opens.to_string(), "08:00:00");
        assert_eq!(default.qr_link(), "tel:175");
    }

    #[test]
    fn a_whatsapp_number_is_normalised_and_becomes_a_wa_me_link() {
        let help = help("(021) 555", "0812-3456-7890");
        assert_eq!(
            help.whatsapp_number(),
            Ok(Some("+6281234567890".to_owned()))
        );
        assert_eq!(help.qr_link(), "https://wa.me/6281234567890");
    }

    #[test]
    fn without_whatsapp_the_qr_code_calls_the_office_number_without_separators() {
        assert_eq!(help("+62 21 555-1234", "").qr_link(), "tel:+62215551234");
    }

    #[test]
    fn a_phone_with_letters_is_refused_naming_help_phone() {
        let err = help("021 CALL ME", "").validate().expect_err("letters");
        assert_eq!(err.key, "help.phone");
        assert!(err.reason.contains("021 CALL ME"), "{}", err.reason);
    }

    #[test]
    fn a_landline_as_whatsapp_number_is_refused_naming_help_whatsapp() {
        let err = help("", "0215551234").validate().expect_err("landline");
        assert_eq!(err.key, "help.whatsapp");
        assert!(err.reason.contains("mobile number"), "{}", err.reason);
    }

    #[test]
    fn unknown_days_backward_ranges_and_bad_times_name_their_key() {
        let with = |days: &str, opens: &str, closes: &str| HelpSection {
            open_days: days.to_owned(),
            opens: opens.to_owned(),
            closes: closes.to_owned(),
            ..HelpSection::default()
        };
        let key = |section: HelpSection| section.validate().expect_err("refused").key;
        assert_eq!(
            key(with("monday-friday", "08:00", "16:00")),
            "help.open_days"
        );
        assert_eq!(key(with("fri-mon", "08:00", "16:00")), "help.open_days");
        assert_eq!(key(with("mon-fri", "8 pagi", "16:00")), "help.opens");
        assert_eq!(key(with("mon-fri", "08:00", "25:00")), "help.closes");
        assert_eq!(key(with("mon-fri", "16:00", "08:00")), "help.closes");
        assert_eq!(with("sat", "09:00", "12:00").validate(), Ok(()));
    }
}
