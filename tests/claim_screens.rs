//! The claim library as the screens use it: fields checked key by key, eligibility in plain words, the
//! documents to photograph, and the reference on the receipt.

use chrono::NaiveDate;
use lapak_kiosk::claim::bank::BankTable;
use lapak_kiosk::claim::eligibility::{self, Eligibility};
use lapak_kiosk::claim::reference::ClaimReference;
use lapak_kiosk::claim::regions::Regions;
use lapak_kiosk::claim::rules::RulesTable;
use lapak_kiosk::claim::validate::{self, FieldCheck};
use lapak_kiosk::claim::{DocumentKind, Reason, ReasonDetails, Sex};
use lapak_kiosk::i18n::{Language, Translatable, Translator};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("test dates are real dates")
}

#[test]
fn typing_a_nik_key_by_key() {
    let today = date(2026, 11, 28);
    let nik = "3273015207700002";
    let mut typed = String::new();
    for (index, key) in nik.chars().enumerate() {
        typed.push(key);
        let check = validate::nik(&typed, Regions::embedded(), today);
        if index + 1 < nik.len() {
            assert!(
                matches!(check, FieldCheck::Incomplete(_)),
                "after {} keys: {check:?}",
                index + 1
            );
            assert_eq!(check.error_while_typing(), None);
        } else {
            let parsed = check.into_result().unwrap();
            assert_eq!(parsed.date_of_birth(), date(1970, 7, 12));
            assert_eq!(parsed.sex(), Sex::Female);
            assert_eq!(parsed.regency(), Some("Kota Bandung"));
        }
    }
    // A wrong province shows at once, in the participant's language.
    let check = validate::nik("99", Regions::embedded(), today);
    let error = check.error_while_typing().unwrap();
    let text = Translator::new(Language::Id).message(error);
    assert!(text.starts_with("Dua angka pertama NIK"), "{text}");
}

#[test]
fn reason_screen_for_a_resignation() {
    let rules = RulesTable::embedded_default().unwrap();
    let details = ReasonDetails {
        reason: Reason::Resign,
        event_date: Some(date(2026, 12, 12)),
        membership_start: None,
    };
    let answer = eligibility::check(
        &rules,
        &details,
        Some(date(1970, 7, 12)),
        date(2026, 12, 20),
    );
    assert!(matches!(answer, Eligibility::NotYet { from, .. } if from == date(2027, 1, 12)));
    assert_eq!(
        Translator::new(Language::Id).message(&answer),
        "Belum bisa: bisa diajukan mulai 12 Januari 2027 karena harus menunggu 1 bulan setelah tanggal berhenti bekerja."
    );
    let later = eligibility::check(&rules, &details, Some(date(1970, 7, 12)), date(2027, 1, 12));
    assert!(later.is_eligible());

    let documents = rules.documents_for(Reason::Resign, rules.needs_npwp(75_000_000));
    assert_eq!(documents.first(), Some(&DocumentKind::KpjCard));
    assert_eq!(documents.last(), Some(&DocumentKind::Selfie));
    assert!(
        documents.contains(&DocumentKind::Paklaring) && documents.contains(&DocumentKind::Npwp)
    );
    let en = Translator::new(Language::En);
    let names: Vec<String> = documents.iter().map(|kind| en.message(kind)).collect();
    assert!(
        names
            .iter()
            .all(|name| !name.is_empty() && !name.starts_with("doc-")),
        "{names:?}"
    );
    assert_eq!(en.message(&Reason::Resign), "I resigned");
}

#[test]
fn contact_and_bank_screens() {
    assert_eq!(
        validate::phone("0812 3456 7890").into_result().unwrap(),
        "+6281234567890"
    );
    assert_eq!(
        validate::name("  budi   santoso ").into_result().unwrap(),
        "BUDI SANTOSO"
    );
    let banks = BankTable::embedded_default().unwrap();
    let bca = banks
        .banks()
        .iter()
        .find(|bank| bank.name == "BCA")
        .unwrap();
    assert!(matches!(
        bca.check_account("12345"),
        FieldCheck::Incomplete(_)
    ));
    assert_eq!(
        bca.check_account("1234567890").into_result().unwrap(),
        "1234567890"
    );
    let error = bca.check_account("12345678901").into_result().unwrap_err();
    assert_eq!(error.message_id(), "account-too-long");
    assert_eq!(
        Translator::new(Language::Id).message(&error),
        "Nomor rekening bank ini terdiri dari 10 angka. Lihat buku tabungan Anda."
    );
}

#[test]
fn saved_screen_reference() {
    let reference = ClaimReference::new(1203, 45).unwrap();
    let shown = reference.to_string();
    assert_eq!(shown.len(), 13 + 3);
    // Typed back on the status screen, with or without the spaces.
    assert_eq!(ClaimReference::parse(&shown).unwrap(), reference);
    assert_eq!(
        ClaimReference::parse(reference.digits()).unwrap(),
        reference
    );
    let mut wrong = reference.digits().to_owned();
    let last = wrong.pop().unwrap();
    wrong.push(if last == '0' { '1' } else { '0' });
    let error = ClaimReference::parse(&wrong).unwrap_err();
    assert_eq!(
        Translator::new(Language::En).message(&error),
        "The claim number is not right. Please check each digit on your receipt."
    );
}
