//! CSS and JavaScript, embedded in the binary: no CDN, no build step, no working-directory files.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, web};

use super::PageError;

const APP_CSS: &str = include_str!("../../../assets/app.css");
const APP_JS: &str = include_str!("../../../assets/app.js");

/// `GET /assets/{name}`.
pub async fn serve(name: web::Path<String>) -> Result<HttpResponse, PageError> {
    let (body, content_type) = match name.as_str() {
        "app.css" => (APP_CSS, "text/css; charset=utf-8"),
        "app.js" => (APP_JS, "text/javascript; charset=utf-8"),
        _ => return Err(PageError::NotFound),
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")))
        .content_type(content_type)
        .body(body))
}
