//! `/api/v1/incidents`.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::storage::incidents;
use crate::web::AppState;
use crate::web::error::ApiError;
use crate::web::extract::ApiCaller;

/// Query of `GET /api/v1/incidents`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only incidents in this state.
    pub state: Option<String>,
    /// Only incidents of this client (slug).
    pub client: Option<String>,
    /// Only overdue incidents.
    pub overdue: Option<bool>,
}

#[derive(Serialize)]
struct Items<T> {
    items: Vec<T>,
}

/// `GET /api/v1/incidents`: the caller's incidents.
pub async fn list(
    state: web::Data<AppState>,
    caller: ApiCaller,
    _query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = caller.0.scope();
    let items = state.db.run(move |conn| incidents::list_ids(conn, &scope)).await?;
    Ok(HttpResponse::Ok().json(Items { items }))
}
