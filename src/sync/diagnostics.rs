//! Diagnostics on request: when a heartbeat answer carries a request id (`lapak-central kiosk diagnose ID`),
//! the kiosk uploads a bundle — its newest log lines, the doctor's report, the devices' states, the outbox
//! counts and its remote configuration state — over its own signed request. No screenshot and no photo is
//! ever in it, and every personal field is removed: in every text, runs of nine or more digits (NIK, KPJ,
//! phone and account numbers, references; a date or a time as the log writes it has at most eight, so it stays) become
//! `[digits]`, and the value after a personal key (`nik=`, `name:`, `phone`, `account`, `email`, `address`,
//! their Indonesian words …) becomes `[removed]`.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::Utc;
use lapak_core::api::DeviceHealth;
use lapak_core::care::DiagnosticsBundle;

use super::SyncError;
use super::client::CentralClient;
use super::queue::ClaimQueue;

/// Words naming a personal value: the value after one of them (`=`, `:` or `"…":`) is removed.
const PERSONAL_KEYS: &[&str] = &[
    "nik", "kpj", "name", "nama", "holder", "mother", "ibu", "phone", "telepon", "hp", "whatsapp",
    "account", "rekening", "email", "address", "alamat", "birth", "lahir", "npwp",
];

/// Removes personal fields from one text (see the module documentation).
pub fn scrub(text: &str) -> String {
    let digits = scrub_digits(text);
    scrub_keyed(&digits)
}

fn scrub_digits(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().filter(char::is_ascii_digit).count() >= 9 {
            out.push_str("[digits]");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        // A number written with spaces, dashes or dots between its groups counts as one run.
        let joins = matches!(c, ' ' | '-' | '.' | '+') && !run.is_empty();
        if c.is_ascii_digit() || (joins && run.chars().last().is_some_and(|l| l.is_ascii_digit())) {
            run.push(c);
        } else {
            // A trailing joiner is not part of the number.
            let tail: String = {
                let trimmed = run.trim_end_matches([' ', '-', '.', '+']).len();
                run.split_off(trimmed)
            };
            flush(&mut run, &mut out);
            out.push_str(&tail);
            out.push(c);
        }
    }
    let tail: String = {
        let trimmed = run.trim_end_matches([' ', '-', '.', '+']).len();
        run.split_off(trimmed)
    };
    flush(&mut run, &mut out);
    out.push_str(&tail);
    out
}

fn scrub_keyed(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let key = PERSONAL_KEYS.iter().find(|k| {
            text.get(i..i + k.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(k))
                && (i == 0 || !bytes[i - 1].is_ascii_alphabetic())
        });
        if let Some(key) = key {
            // The key may continue (`name_holder`, `phone_number`), then `"`, spaces and `=` or `:`.
            let mut j = i + key.len();
            while j < text.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                j += 1;
            }
            let mut k = j;
            while k < text.len() && matches!(bytes[k], b'"' | b' ') {
                k += 1;
            }
            if k < text.len() && matches!(bytes[k], b'=' | b':') {
                out.push_str(&text[i..=k]);
                let mut v = k + 1;
                while v < text.len() && bytes[v] == b' ' {
                    v += 1;
                }
                out.push_str(&text[k + 1..v]);
                let end = if v < text.len() && bytes[v] == b'"' {
                    out.push_str("\"[removed]\"");
                    text[v + 1..]
                        .find('"')
                        .map(|e| v + 1 + e + 1)
                        .unwrap_or(text.len())
                } else {
                    out.push_str("[removed]");
                    unquoted_end(text, v)
                };
                i = end;
                continue;
            }
            out.push_str(&text[i..j]);
            i = j;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Where an unquoted value starting at `from` ends: at `,`, `;`, `}` or a line end, or before the next
/// ` word=` (the next field of a log line); a name's several words go with it.
fn unquoted_end(text: &str, from: usize) -> usize {
    let rest = &text[from..];
    let mut end = rest.find([',', ';', '}', '\n']).unwrap_or(rest.len());
    let mut offset = 0;
    for word in rest[..end].split(' ') {
        if offset > 0 && word.contains('=') {
            end = offset - 1;
            break;
        }
        offset += word.len() + 1;
    }
    from + end
}

/// Scrubs every text inside a JSON value (numbers and keys are left as they are).
pub fn scrub_value(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(text) => *text = scrub(text),
        serde_json::Value::Array(items) => items.iter_mut().for_each(scrub_value),
        serde_json::Value::Object(map) => map.values_mut().for_each(scrub_value),
        _ => {}
    }
}

/// Where a bundle's parts come from.
pub struct DiagnosticsSources {
    /// The configuration file the doctor checks (none: the default place).
    pub config_file: Option<PathBuf>,
    /// The devices' current states.
    pub devices: Box<dyn Fn() -> DeviceHealth + Send + Sync>,
    /// The outbox.
    pub queue: Arc<dyn ClaimQueue>,
    /// The newest log lines (the kiosk's: [`crate::log_ring::lines`]).
    pub logs: Box<dyn Fn() -> Vec<String> + Send + Sync>,
}

/// Makes and uploads the bundles staff ask for.
pub struct Diagnostics {
    sources: DiagnosticsSources,
    uploaded: Mutex<Option<String>>,
}

impl Diagnostics {
    /// Bundles from these sources.
    pub fn new(sources: DiagnosticsSources) -> Diagnostics {
        Diagnostics {
            sources,
            uploaded: Mutex::new(None),
        }
    }

    /// The bundle answering `request`, personal fields removed.
    pub fn bundle(&self, request: &str, config_state: serde_json::Value) -> DiagnosticsBundle {
        let loaded = crate::config::KioskConfig::load(self.sources.config_file.as_deref());
        // The devices are the kiosk's own workers' (in `devices`): the doctor leaves them alone.
        let report = crate::doctor::run_beside_kiosk(loaded);
        let now = Utc::now();
        let depth = self.sources.queue.depth(now).unwrap_or_default();
        let mut bundle = DiagnosticsBundle {
            request: request.to_owned(),
            made_at: now,
            version: env!("CARGO_PKG_VERSION").to_owned(),
            package: super::heartbeat::package_state().to_owned(),
            doctor: serde_json::to_value(&report).unwrap_or_default(),
            devices: (self.sources.devices)(),
            outbox: serde_json::json!({
                "pending": depth.pending,
                "held": depth.held,
                "oldest_pending_secs": depth.oldest_pending_secs,
            }),
            logs: (self.sources.logs)().iter().map(|l| scrub(l)).collect(),
            config: config_state,
        };
        scrub_value(&mut bundle.doctor);
        scrub_value(&mut bundle.config);
        for detail in [
            &mut bundle.devices.printer_detail,
            &mut bundle.devices.camera_detail,
        ]
        .into_iter()
        .flatten()
        {
            *detail = scrub(detail);
        }
        bundle
    }

    /// Uploads the bundle for `request` unless it was uploaded already.
    pub fn answer(
        &self,
        client: &CentralClient,
        request: &str,
        config_state: serde_json::Value,
    ) -> Result<(), SyncError> {
        let mut uploaded = self.uploaded.lock().unwrap_or_else(PoisonError::into_inner);
        if uploaded.as_deref() == Some(request) {
            return Ok(());
        }
        let bundle = self.bundle(request, config_state);
        let path = format!("v1/kiosks/{}/diagnostics/{request}", client.kiosk_id());
        let (status, text) = client.post_json(&path, &bundle)?;
        if status != 200 {
            return Err(SyncError::Refused {
                status,
                message: text.chars().take(200).collect(),
            });
        }
        tracing::info!(%request, "diagnostics bundle uploaded");
        *uploaded = Some(request.to_owned());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_of_nine_or_more_digits_and_keyed_personal_values_are_removed_and_times_stay() {
        assert_eq!(scrub("nik 3171011501900001 seen"), "nik [digits] seen");
        assert_eq!(scrub("phone +62 812-3456-7890 ok"), "phone +[digits] ok");
        assert_eq!(scrub("name=Siti Rahayu level=2"), "name=[removed] level=2");
        assert_eq!(
            scrub("2026-12-01T04:05:06.123456Z"),
            "2026-12-01T04:05:06.123456Z"
        );
        assert_eq!(
            scrub("\"holder\": \"Siti Rahayu\", x"),
            "\"holder\": \"[removed]\", x"
        );
        assert_eq!(
            scrub("retry in 12345 ms, 3 tries"),
            "retry in 12345 ms, 3 tries"
        );
        assert_eq!(scrub("Nama: \"Budi\""), "Nama: \"[removed]\"");
    }

    #[test]
    fn scrubbing_a_json_value_changes_its_texts_and_leaves_its_numbers() {
        let mut v = serde_json::json!({"detail": "account 1234567890", "bytes": 5_000_000_000u64});
        scrub_value(&mut v);
        assert_eq!(v["detail"], "account [digits]");
        assert_eq!(v["bytes"], 5_000_000_000u64);
    }
}
