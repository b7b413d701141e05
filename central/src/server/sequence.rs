//! `POST /v1/kiosks/{id}/sequence`: a kiosk learns the highest claim sequence the centre holds under its number,
//! so that a kiosk whose outbox was lost or restored never makes a reference again.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use lapak_core::api::SequenceReply;

use super::auth::signed_post;
use super::{ApiError, App, SMALL_BODY_LIMIT, json_off_thread};

pub(super) async fn post_sequence(
    State(app): State<Arc<App>>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let path = uri.path().to_owned();
    // The body is ignored, but it is read (and checked against the signed hash) like every other.
    let (auth, _body) = match signed_post(&app, &path, &headers, body, SMALL_BODY_LIMIT).await {
        Ok(signed) => signed,
        Err(refusal) => return refusal,
    };
    let id = path
        .strip_prefix("/v1/kiosks/")
        .and_then(|rest| rest.strip_suffix("/sequence"))
        .unwrap_or_default()
        .to_owned();
    let worker = Arc::clone(&app);
    let kiosk = auth.kiosk;
    json_off_thread(move || sequence(&worker, &id, kiosk)).await
}

fn sequence(app: &App, id: &str, kiosk: String) -> Result<SequenceReply, ApiError> {
    if kiosk != id {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "kiosk_mismatch",
            "a kiosk may only ask for its own sequence",
        ));
    }
    let number = app
        .store
        .kiosk_number(&kiosk)
        .map_err(|e| ApiError::internal(&e))?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::FORBIDDEN,
                "kiosk_number_unknown",
                format!(
                    "kiosk {kiosk} has no registered number: register it with `lapak-central kiosk add --number`"
                ),
            )
        })?;
    let highest_sequence = app
        .store
        .highest_sequence(number)
        .map_err(|e| ApiError::internal(&e))?;
    Ok(SequenceReply {
        kiosk_id: kiosk,
        number,
        highest_sequence,
    })
}
