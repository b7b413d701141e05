//! The voice clips against the Fluent messages: every participant message without a placeable has a clip in
//! both languages, every manifest entry's text is the message's current text (a changed text without a new
//! clip fails, naming the id), and `tools/make-voice` really makes a clip that decodes (espeak-ng and oggenc
//! run as separate programs).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use lapak_kiosk::i18n::{Language, Translator};
use lapak_kiosk::sound::voice::{self, BUILT_IN_VOICE};

/// The manifest: (language, id) -> (source, text).
fn manifest(path: &Path) -> BTreeMap<(String, String), (String, String)> {
    let text = std::fs::read_to_string(path).expect("manifest.tsv");
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 4, "manifest line {line:?}");
            assert!(
                ["synthesised", "recording"].contains(&fields[2]),
                "source of {line:?}"
            );
            (
                (fields[0].to_owned(), fields[1].to_owned()),
                (fields[2].to_owned(), fields[3].to_owned()),
            )
        })
        .collect()
}

/// The participant messages of one .ftl file without a placeable, as `tools/make-voice` reads them.
fn spoken_messages(language: Language) -> Vec<String> {
    let path = format!(
        "{}/assets/i18n/{}/lapak.ftl",
        env!("CARGO_MANIFEST_DIR"),
        language.code()
    );
    let text = std::fs::read_to_string(path).expect("ftl");
    let mut ids = Vec::new();
    let mut current: Option<(String, String)> = None;
    let mut close = |current: &mut Option<(String, String)>| {
        if let Some((id, value)) = current.take()
            && !value.contains('{')
            && !value.trim().is_empty()
            && !id.starts_with("ui-maintenance-")
            && !id.starts_with("ui-health-")
        {
            ids.push(id);
        }
    };
    for line in text.lines() {
        let first = line.chars().next();
        if first.is_some_and(|c| c.is_ascii_alphabetic())
            && let Some((id, value)) = line.split_once('=')
        {
            close(&mut current);
            current = Some((id.trim().to_owned(), value.to_owned()));
        } else if first.is_some_and(|c| c == ' ') && !line.trim().is_empty() {
            if let Some((_, value)) = current.as_mut() {
                value.push_str(line);
            }
        } else {
            close(&mut current);
        }
    }
    close(&mut current);
    ids
}

fn collapse(text: &str) -> String {
    text.replace(['\u{2068}', '\u{2069}'], "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_spoken_message_has_a_clip_in_both_languages_listed_in_the_manifest() {
    let voice = PathBuf::from(BUILT_IN_VOICE);
    let entries = manifest(&voice.join("manifest.tsv"));
    let mut missing = Vec::new();
    for language in Language::ALL {
        let ids = spoken_messages(language);
        assert!(ids.len() > 150, "{} messages", ids.len());
        for id in ids {
            let file = voice.join(language.code()).join(format!("{id}.ogg"));
            let listed = entries.contains_key(&(language.code().to_owned(), id.clone()));
            if !file.is_file() || !listed {
                missing.push(format!("{}/{id}", language.code()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "no voice clip for {missing:?}: run tools/make-voice"
    );
}

#[test]
fn every_manifest_entry_was_made_from_the_current_text_of_its_message() {
    let entries = manifest(&Path::new(BUILT_IN_VOICE).join("manifest.tsv"));
    assert!(!entries.is_empty());
    let mut stale = Vec::new();
    for ((language, id), (source, text)) in &entries {
        let language = Language::ALL
            .into_iter()
            .find(|l| l.code() == language)
            .expect("a known language");
        let t = Translator::new(language);
        if !t.has_message(id) || collapse(&t.tr(id)) != *text {
            stale.push(format!("{}/{id} ({source})", language.code()));
        }
    }
    assert!(
        stale.is_empty(),
        "the text changed since these clips were made: {stale:?}; run tools/make-voice (recordings: record again, then mark them in the manifest)"
    );
}

#[test]
fn make_voice_makes_a_decodable_clip_and_a_manifest_naming_it_and_the_shipped_encoding() {
    let out = tempfile::tempdir().expect("temp folder");
    let script = format!("{}/tools/make-voice", env!("CARGO_MANIFEST_DIR"));
    let run = || {
        Command::new(&script)
            .args(["--only", "ui-home-welcome", "--out"])
            .arg(out.path())
            .output()
            .expect("tools/make-voice runs (python3, espeak-ng and oggenc installed by .ci/install-deps)")
    };
    let made = run();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(String::from_utf8_lossy(&made.stdout).starts_with("2 clip(s) made"));
    for language in Language::ALL {
        let clip = out.path().join(language.code()).join("ui-home-welcome.ogg");
        let decoded = voice::decode(&clip).expect("the clip decodes");
        assert_eq!(decoded.sample_rate, 16_000);
        let seconds = decoded.samples.len() as f32 / 16_000.0;
        assert!((0.3..5.0).contains(&seconds), "{seconds} s");
        assert!(decoded.samples.iter().any(|s| s.abs() > 0.05), "silence");
    }
    let entries = manifest(&out.path().join("manifest.tsv"));
    let t = Translator::new(Language::Id);
    assert_eq!(
        entries.get(&("id".to_owned(), "ui-home-welcome".to_owned())),
        Some(&("synthesised".to_owned(), collapse(&t.tr("ui-home-welcome"))))
    );
    assert_eq!(entries.len(), 2, "{entries:?}");
    // The encoder settings it names are those of the shipped clips (a change remakes them all).
    let first_line = |path: &Path| {
        let text = std::fs::read_to_string(path).expect("manifest");
        text.lines().next().unwrap_or_default().to_owned()
    };
    let made_with = first_line(&out.path().join("manifest.tsv"));
    assert!(made_with.starts_with("# encoding: oggenc "), "{made_with}");
    let shipped = Path::new(BUILT_IN_VOICE).join("manifest.tsv");
    assert_eq!(first_line(&shipped), made_with, "run tools/make-voice");
    // A second run finds nothing to do: the clips and the text are unchanged.
    let again = run();
    assert!(String::from_utf8_lossy(&again.stdout).starts_with("0 clip(s) made"));
    // A recording is kept: marked as one, it survives a run even after its text changed.
    let manifest_path = out.path().join("manifest.tsv");
    let text = std::fs::read_to_string(&manifest_path).expect("manifest");
    std::fs::write(
        &manifest_path,
        text.replace("\tsynthesised\tSelamat datang", "\trecording\tSelamat pagi"),
    )
    .expect("mark a recording");
    let kept = run();
    assert!(String::from_utf8_lossy(&kept.stdout).starts_with("0 clip(s) made"));
    let entries = manifest(&manifest_path);
    assert_eq!(
        entries.get(&("id".to_owned(), "ui-home-welcome".to_owned())),
        Some(&("recording".to_owned(), "Selamat pagi".to_owned()))
    );
}
