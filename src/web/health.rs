//! `GET /healthz` and `GET /metrics`.

use std::time::Duration;

use actix_web::http::header::ContentType;
use actix_web::{HttpResponse, web};

use super::AppState;

/// How long the health check waits for the database.
const DATABASE_TIMEOUT: Duration = Duration::from_secs(3);

/// 200 `ok` when the database answers, 503 with the reason otherwise.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    match tokio::time::timeout(DATABASE_TIMEOUT, state.db.ping()).await {
        Ok(Ok(())) => HttpResponse::Ok().content_type(ContentType::plaintext()).body("ok"),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health check: database unavailable");
            HttpResponse::ServiceUnavailable()
                .content_type(ContentType::plaintext())
                .body("unavailable: database does not answer")
        }
        Err(_) => HttpResponse::ServiceUnavailable()
            .content_type(ContentType::plaintext())
            .body("unavailable: database timed out"),
    }
}

/// Prometheus text exposition.
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let body = format!(
        "# HELP art33_build_info Build and backend of this process.\n\
         # TYPE art33_build_info gauge\n\
         art33_build_info{{version=\"{}\",backend=\"{}\"}} 1\n",
        env!("CARGO_PKG_VERSION"),
        state.db.backend().name()
    );
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(body)
}
