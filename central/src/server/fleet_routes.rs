//! `GET /fleet` (HTML) and `GET /v1/fleet` (JSON): every kiosk with its last heartbeat and alerts.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;

use super::{ApiError, App};
use crate::fleet;

async fn fleet_view(app: Arc<App>) -> Result<fleet::FleetView, ApiError> {
    tokio::task::spawn_blocking(move || {
        let rows = app.store.fleet().map_err(|e| ApiError::internal(&e))?;
        Ok(fleet::view(&rows, &app.config, Utc::now()))
    })
    .await
    .map_err(|_| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "internal", "try again").retry(1))?
}

pub(super) async fn get_fleet_json(State(app): State<Arc<App>>) -> Response {
    match fleet_view(app).await {
        Ok(view) => (StatusCode::OK, axum::Json(view)).into_response(),
        Err(e) => e.into_response(),
    }
}

pub(super) async fn get_fleet_html(State(app): State<Arc<App>>) -> Response {
    match fleet_view(app).await {
        Ok(view) => Html(fleet::html(&view)).into_response(),
        Err(e) => e.into_response(),
    }
}
