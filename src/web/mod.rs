//! The HTTP shell: actix-web application, routes, error mapping and extractors.

pub mod ack;
pub mod api;
pub mod calendar;
pub mod client_addr;
pub mod drafts;
pub mod error;
pub mod extract;
pub mod health;
pub mod oidc;
pub mod pages;

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Instant;

use actix_web::dev::{Server, ServerHandle};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};

use crate::clock::SharedClock;
use crate::config::Settings;
use crate::storage::Database;
use error::ApiError;

/// What every handler may reach.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub db: Database,
    /// The source of `now`.
    pub clock: SharedClock,
    /// The configuration.
    pub settings: Arc<Settings>,
    /// What this process's scheduler loops report (never started when a test drives ticks by hand).
    pub scheduler: Arc<crate::scheduler::Status>,
    /// This process's metrics (`GET /metrics`); they read `scheduler` too.
    pub metrics: Arc<crate::telemetry::metrics::Metrics>,
    /// Where AP drafts stand (the dashboards' completeness, the incident page's checklist),
    /// remembered per incident version.
    pub standings: Arc<drafts::StandingMemo>,
    /// Single sign-on: the provider's discovery, cached for the whole process (`web::oidc`).
    pub sso: Arc<oidc::Sso>,
}

/// How the server is run.
#[derive(Debug, Clone, Copy)]
pub struct ServerOptions {
    /// Worker threads (0: one per core).
    pub workers: usize,
    /// Whether SIGINT/SIGTERM stop the server gracefully (off in tests).
    pub handle_signals: bool,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self { workers: 0, handle_signals: true }
    }
}

/// The threads each HTTP worker may run blocking work on (its queries, page renderings, password
/// checks): together the workers' threads match the pool's connections, at least two each. Tokio's
/// default, 512 per runtime, let a burst start a thread per waiting request: dozens of threads
/// waiting for a connection, each with an allocator heap of its own; the officers' dashboard peaked
/// at 67 MB and 300 views a second instead of 58 MB and 440 (`benches/load/NOTES.md`).
pub fn blocking_threads_per_worker(pool_size: u32, workers: usize) -> usize {
    (pool_size as usize).div_ceil(workers.max(1)).max(2)
}

/// How long a new connection may take to send its first request's head before it is answered 408
/// and closed. Sixty seconds, as nginx's `client_header_timeout`, not actix's five: actix starts this
/// clock from a time each worker caches and refreshes every 500 ms, so after the process was paused
/// (SIGSTOP, a suspended VM) for longer than the timeout, a connection the worker polled before its
/// cached time caught up was cut off at once, its request unanswered. Only a pause longer than this
/// can still do that.
pub const REQUEST_HEAD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// A bound, not yet running HTTP server, with its metrics server when `server.metrics_listen` is
/// set.
pub struct Application {
    server: Server,
    addr: SocketAddr,
    metrics: Option<(Server, SocketAddr)>,
}

impl Application {
    /// Binds `server.listen` (and `server.metrics_listen`, if set) and builds the servers around
    /// `state`. A failed bind's error names the address and its key.
    pub fn build(state: AppState, options: ServerOptions) -> std::io::Result<Self> {
        let bind = |listen: &str, key: &str| {
            TcpListener::bind(listen)
                .map_err(|e| std::io::Error::new(e.kind(), format!("cannot listen on {listen} ({key}): {e}")))
        };
        let listener = bind(&state.settings.server.listen, "server.listen")?;
        let addr = listener.local_addr()?;
        let metrics_listener = match &state.settings.server.metrics_listen {
            Some(listen) => Some(bind(listen, "server.metrics_listen")?),
            None => None,
        };
        let shutdown = state.settings.server.shutdown_timeout_seconds;
        let data = web::Data::new(state);
        let https = data.settings.server.is_https();
        let main_data = data.clone();
        let body_timeout = std::time::Duration::from_secs(data.settings.server.body_timeout_seconds);
        let mut server = HttpServer::new(move || {
            App::new()
                .configure(|cfg| configure(cfg, main_data.clone()))
                .wrap_fn(move |req, srv| body_deadline(req, srv, body_timeout))
                .wrap_fn(refuse_nul_in_url)
                .wrap(security_headers(https))
                .wrap_fn(no_store)
                .wrap_fn(request_logger)
        })
        .client_request_timeout(REQUEST_HEAD_TIMEOUT)
        .listen(listener)?
        .shutdown_timeout(shutdown);
        let workers = match options.workers {
            0 => std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
            n => n,
        };
        server = server.workers(workers).worker_max_blocking_threads(blocking_threads_per_worker(
            data.settings.database.pool_size,
            workers,
        ));
        if !options.handle_signals {
            server = server.disable_signals();
        }
        let metrics = match metrics_listener {
            Some(listener) => {
                let metrics_addr = listener.local_addr()?;
                let metrics_server = HttpServer::new(move || {
                    App::new()
                        .app_data(data.clone())
                        .route("/metrics", web::get().to(health::metrics_unguarded))
                        .default_service(web::to(|| async { HttpResponse::NotFound().finish() }))
                        .wrap(security_headers(https))
                        .wrap_fn(request_logger)
                })
                .client_request_timeout(REQUEST_HEAD_TIMEOUT)
                .listen(listener)?
                .workers(1)
                .disable_signals()
                .shutdown_timeout(shutdown);
                Some((metrics_server.run(), metrics_addr))
            }
            None => None,
        };
        Ok(Self { server: server.run(), addr, metrics })
    }

    /// The address actually bound (port 0 picks a free port).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The address the metrics server bound, when `server.metrics_listen` is set.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().map(|(_, addr)| *addr)
    }

    /// A handle to stop the server (the metrics server stops with it).
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped (by a signal or the handle); then stops the metrics server too.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let Some((metrics, _)) = self.metrics else { return self.server.await };
        let metrics_handle = metrics.handle();
        let metrics_task = tokio::spawn(metrics);
        let served = self.server.await;
        metrics_handle.stop(true).await;
        match metrics_task.await {
            Ok(Err(e)) => tracing::warn!(error = %e, "the metrics server stopped with an error"),
            Err(e) => tracing::warn!(error = %e, "the metrics server's task failed"),
            Ok(Ok(())) => {}
        }
        served
    }
}

/// Registers every route, extractor configuration and middleware.
pub fn configure(cfg: &mut web::ServiceConfig, data: web::Data<AppState>) {
    let limit = data.settings.server.body_limit_bytes;
    let metrics_guarded = data.settings.server.metrics_token.is_some();
    cfg.app_data(data)
        .app_data(web::PayloadConfig::new(limit))
        .route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .configure(|cfg| {
            // Metrics on the main port only behind their token; otherwise `/metrics` is not a route.
            if metrics_guarded {
                cfg.route("/metrics", web::get().to(health::metrics));
            }
        })
        .service(
            web::resource("/ack/{token}").route(web::get().to(ack::show)).route(web::post().to(ack::record)),
        )
        .route("/calendar/{file}", web::get().to(calendar::feed))
        .route("/login/oidc", web::get().to(oidc::start))
        .route("/login/oidc/callback", web::get().to(oidc::callback))
        .service(api::scope(limit))
        .configure(|cfg| pages::configure(cfg, limit))
        .default_service(web::to(not_found));
}

/// The Content-Security-Policy of every answer: nothing inline, nothing from elsewhere, never framed.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// Security headers on every answer (a handler may set its own, e.g. a stricter Referrer-Policy).
pub fn security_headers(https: bool) -> actix_web::middleware::DefaultHeaders {
    let headers = actix_web::middleware::DefaultHeaders::new()
        .add(("Content-Security-Policy", CONTENT_SECURITY_POLICY))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"))
        .add(("Permissions-Policy", "camera=(), microphone=(), geolocation=()"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"));
    if https {
        headers.add(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    } else {
        headers
    }
}

/// `Cache-Control: no-store` on every answer that does not choose its own: the API's answers and
/// the pages show a client's incidents, which no browser or proxy cache may keep. Only the embedded
/// assets (`/assets/*`, `public, max-age=…`) and the downloads (`no-store` already) set their own.
pub fn no_store<S, B>(
    req: actix_web::dev::ServiceRequest,
    srv: &S,
) -> impl std::future::Future<Output = Result<actix_web::dev::ServiceResponse<B>, actix_web::Error>> + use<S, B>
where
    S: actix_web::dev::Service<
            actix_web::dev::ServiceRequest,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
{
    let call = srv.call(req);
    async move {
        let mut response = call.await?;
        let headers = response.headers_mut();
        if !headers.contains_key(actix_web::http::header::CACHE_CONTROL) {
            headers.insert(
                actix_web::http::header::CACHE_CONTROL,
                actix_web::http::header::HeaderValue::from_static("no-store"),
            );
        }
        Ok(response)
    }
}

/// Gives a request's body `timeout` from the moment its head arrived (`server.body_timeout_seconds`):
/// a client that sends its body slowly, or stops halfway, would otherwise hold its connection and
/// its handler for as long as it likes (actix's `client_request_timeout` covers only the head).
/// Past the deadline the body ends in an error, which the body's reader answers with 400 and the
/// connection closes.
pub fn body_deadline<S, B>(
    mut req: actix_web::dev::ServiceRequest,
    srv: &S,
    timeout: std::time::Duration,
) -> S::Future
where
    S: actix_web::dev::Service<
            actix_web::dev::ServiceRequest,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
{
    use actix_web::HttpMessage as _;
    use futures_util::StreamExt as _;
    type BodyStream = std::pin::Pin<
        Box<dyn futures_util::Stream<Item = Result<web::Bytes, actix_web::error::PayloadError>>>,
    >;
    let deadline = tokio::time::Instant::now() + timeout;
    let payload = req.take_payload();
    let limited = futures_util::stream::unfold(Some(payload), move |payload| async move {
        let mut payload = payload?;
        match tokio::time::timeout_at(deadline, payload.next()).await {
            Ok(Some(chunk)) => Some((chunk, Some(payload))),
            Ok(None) => None,
            Err(_) => {
                let late = std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    format!("the request body did not arrive within {} s", timeout.as_secs()),
                );
                Some((Err(actix_web::error::PayloadError::Io(late)), None))
            }
        }
    });
    let boxed: BodyStream = Box::pin(limited);
    req.set_payload(actix_web::dev::Payload::from(boxed));
    srv.call(req)
}

/// Answers 400 to a URL whose path or query holds an encoded NUL (`%00`), before any handler: no
/// identifier, slug or filter contains one, and PostgreSQL refuses text that does, which would make
/// every lookup by such a value a server error.
pub fn refuse_nul_in_url<S, B>(
    req: actix_web::dev::ServiceRequest,
    srv: &S,
) -> impl std::future::Future<
    Output = Result<actix_web::dev::ServiceResponse<actix_web::body::EitherBody<B>>, actix_web::Error>,
> + use<S, B>
where
    S: actix_web::dev::Service<
            actix_web::dev::ServiceRequest,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
{
    let has_nul = req.path().contains("%00") || req.query_string().contains("%00");
    let call = if has_nul { Err(req) } else { Ok(srv.call(req)) };
    async move {
        match call {
            Ok(call) => Ok(call.await?.map_into_left_body()),
            Err(req) => {
                let refusal: actix_web::Error = if req.path().starts_with("/api/") {
                    ApiError::bad_request("the URL must not contain NUL characters (%00)").into()
                } else {
                    pages::PageError::BadRequest.into()
                };
                Ok(req.error_response(refusal).map_into_right_body())
            }
        }
    }
}

/// Logs and counts each request by route pattern (never the raw path: it may hold a token), status
/// and time.
pub fn request_logger<S, B>(
    req: actix_web::dev::ServiceRequest,
    srv: &S,
) -> impl std::future::Future<Output = Result<actix_web::dev::ServiceResponse<B>, actix_web::Error>> + use<S, B>
where
    S: actix_web::dev::Service<
            actix_web::dev::ServiceRequest,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
{
    let method = crate::telemetry::escaped(req.method());
    let route = req.match_pattern().unwrap_or_else(|| "(unmatched)".into());
    let metrics = req.app_data::<web::Data<AppState>>().map(|state| state.metrics.clone());
    let started = Instant::now();
    let call = srv.call(req);
    async move {
        let response = call.await?;
        let status = response.status().as_u16();
        let elapsed = started.elapsed().as_secs_f64();
        if let Some(metrics) = metrics {
            metrics.request_answered(&method, &route, status, elapsed);
        }
        let elapsed_ms = elapsed * 1000.0;
        if status >= 500 {
            tracing::warn!(%method, %route, status, elapsed_ms, "request");
        } else {
            tracing::info!(%method, %route, status, elapsed_ms, "request");
        }
        Ok(response)
    }
}

async fn not_found(req: HttpRequest) -> Result<HttpResponse, actix_web::Error> {
    if req.path().starts_with("/api/") {
        return Err(ApiError::not_found().into());
    }
    Err(pages::PageError::NotFound.into())
}

/// How a file answer is shown: in the browser, or saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    /// Shown in the browser (the API's drafts).
    Inline,
    /// Saved as a file (the pages' downloads).
    Attachment,
}

/// A file answer (an AP draft, the register) of `content_type` named `file_name`; never cached,
/// since it holds a client's data.
pub fn file_response(
    content_type: &str,
    disposition: Disposition,
    file_name: &str,
    body: impl actix_web::body::MessageBody + 'static,
) -> HttpResponse {
    let how = match disposition {
        Disposition::Inline => "inline",
        Disposition::Attachment => "attachment",
    };
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("{how}; filename=\"{file_name}\""),
        ))
        .body(body)
}

#[cfg(test)]
mod tests {
    use super::blocking_threads_per_worker;

    #[test]
    fn the_workers_blocking_threads_together_match_the_pool() {
        assert_eq!(blocking_threads_per_worker(8, 2), 4);
        assert_eq!(blocking_threads_per_worker(9, 2), 5);
        assert_eq!(blocking_threads_per_worker(16, 4), 4);
        // At least two, so that a password check does not hold a worker's only thread.
        assert_eq!(blocking_threads_per_worker(1, 2), 2);
        assert_eq!(blocking_threads_per_worker(8, 0), 8);
    }
}
