//! `claim submit`'s input: a JSON file with the answers and a folder of JPEGs, one per document.

use std::path::Path;

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use lapak_kiosk::claim::{BankAccount, ClaimFields, DocumentKind, ReasonDetails};
use lapak_kiosk::packet::Document;
use lapak_kiosk::submission::{ClaimContext, ClaimDraft};

/// The answers of a claim, as a file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimFile {
    fields: ClaimFields,
    reason: ReasonDetails,
    bank: BankAccount,
    #[serde(default)]
    balance_above_npwp_threshold: bool,
}

/// Reads the answers and the documents the claim's reason asks for.
pub fn read_draft(
    manifest: &Path,
    photos: &Path,
    test: bool,
    now: DateTime<Utc>,
    context: &ClaimContext,
) -> anyhow::Result<ClaimDraft> {
    let text = std::fs::read_to_string(manifest)
        .with_context(|| format!("{}: cannot read the claim file", manifest.display()))?;
    let file: ClaimFile = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a claim file", manifest.display()))?;
    let kinds = context
        .rules
        .documents_for(file.reason.reason, file.balance_above_npwp_threshold);
    let mut documents = Vec::with_capacity(kinds.len());
    for kind in kinds {
        documents.push(read_document(photos, kind)?);
    }
    Ok(ClaimDraft {
        fields: file.fields,
        reason: Some(file.reason),
        bank: Some(file.bank),
        balance_above_npwp_threshold: file.balance_above_npwp_threshold,
        consent_accepted_at: Some(now),
        documents,
        test,
    })
}

fn read_document(photos: &Path, kind: DocumentKind) -> anyhow::Result<Document> {
    let path = photos.join(format!("{}.jpg", kind.id()));
    let jpeg = std::fs::read(&path).with_context(|| {
        format!(
            "{}: the claim needs this document ({}): cannot read it",
            path.display(),
            kind.id()
        )
    })?;
    if !jpeg.starts_with(&[0xFF, 0xD8, 0xFF]) {
        bail!("{}: not a JPEG file", path.display());
    }
    let (width, height) =
        image::ImageReader::with_format(std::io::Cursor::new(&jpeg), image::ImageFormat::Jpeg)
            .into_dimensions()
            .with_context(|| format!("{}: not a readable JPEG", path.display()))?;
    Ok(Document {
        kind,
        jpeg,
        width,
        height,
    })
}
