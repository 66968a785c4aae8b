//! Request extractors: the authenticated caller of the JSON API.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use super::AppState;
use super::error::ApiError;
use crate::auth;
use crate::domain::tenant::Principal;
use crate::storage::directory;

/// The caller of an API route, authenticated with `Authorization: Bearer TOKEN`.
#[derive(Debug, Clone)]
pub struct ApiCaller(pub Principal);

impl FromRequest for ApiCaller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        Box::pin(async move {
            let state = state.ok_or_else(ApiError::internal)?;
            let token = token?;
            let digest = auth::token_digest(&token);
            let now = state.clock.now();
            state
                .db
                .run(move |conn| directory::principal_by_token_digest(conn, &digest, now))
                .await?
                .map(ApiCaller)
                .ok_or_else(|| ApiError::unauthenticated("the API token is invalid or revoked"))
        })
    }
}

fn bearer_token(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::unauthenticated("an Authorization: Bearer TOKEN header is required"))?;
    let value = value
        .to_str()
        .map_err(|_| ApiError::unauthenticated("the Authorization header is not valid text"))?;
    let (scheme, token) = value
        .trim()
        .split_once(' ')
        .ok_or_else(|| ApiError::unauthenticated("the Authorization header must be \"Bearer TOKEN\""))?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(ApiError::unauthenticated("the Authorization header must be \"Bearer TOKEN\""));
    }
    Ok(token.trim().to_string())
}
