//! `POST /v1/kiosks/{id}/sequence`: a kiosk learns the highest claim sequence the centre holds under its number,
//! so that a kiosk whose outbox was lost or restored never makes a reference again.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use lapak_kiosk::sync::api::SequenceReply;

use super::auth::authenticate;
use super::{ApiError, App, SMALL_BODY_LIMIT, json_off_thread, read_body};

pub(super) async fn post_sequence(
    State(app): State<Arc<App>>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let bytes = match read_body(&headers, body, SMALL_BODY_LIMIT).await {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let path = uri.path().to_owned();
    let id = path
        .strip_prefix("/v1/kiosks/")
        .and_then(|rest| rest.strip_suffix("/sequence"))
        .unwrap_or_default()
        .to_owned();
    let worker = Arc::clone(&app);
    json_off_thread(move || sequence(&worker, &id, &path, &headers, &bytes)).await
}

fn sequence(
    app: &App,
    id: &str,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<SequenceReply, ApiError> {
    let (kiosk, _) = authenticate(app, "POST", path, headers, body)?;
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
