//! The one way art33 speaks HTTP to the outside (webhook endpoints, an OpenID provider): reqwest
//! over rustls with the ring provider and the Mozilla root certificates, the same TLS stack as the
//! mail relay's, so that no second crypto library or system certificate store is needed. Redirects
//! are not followed (a webhook endpoint or an issuer that redirects is misconfigured, and following
//! one would send a signed payload somewhere else), and every request is bounded by a timeout.

use std::sync::Arc;
use std::time::Duration;

/// Why no client could be built.
#[derive(Debug, thiserror::Error)]
pub enum HttpClientError {
    /// The TLS configuration was refused.
    #[error("TLS configuration: {0}")]
    Tls(#[from] rustls::Error),
    /// reqwest refused the builder's settings.
    #[error("HTTP client: {0}")]
    Client(#[from] reqwest::Error),
}

/// Makes ring the process's rustls provider, for any reqwest client built without an explicit TLS
/// configuration (a library's own client, a test's). reqwest is built without a provider of its own
/// (no aws-lc), and would otherwise panic when such a client is built. Idempotent.
pub fn install_crypto_provider() {
    // An error only says that a provider is installed already.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A client that gives up connecting after `connect` (at most 10 s) and, with `total`, ends every
/// request after it (connect, send, and read the answer). Without `total` the caller bounds the
/// request itself (the webhook posts do, in the process's running time).
pub fn outbound(connect: Duration, total: Option<Duration>) -> Result<reqwest::Client, HttpClientError> {
    install_crypto_provider();
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let mut builder = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(connect.min(Duration::from_secs(10)))
        .user_agent(concat!("art33/", env!("CARGO_PKG_VERSION")));
    if let Some(total) = total {
        builder = builder.timeout(total);
    }
    let client = builder.build()?;
    Ok(client)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_default_client_can_be_built_once_the_provider_is_installed() {
        install_crypto_provider();
        install_crypto_provider();
        drop(reqwest::Client::new());
    }

    #[test]
    fn a_client_is_built_with_rustls_and_ring() {
        // An unknown preconfigured backend would only fail at the first request; building checks
        // that reqwest took the rustls configuration.
        assert!(outbound(Duration::from_secs(5), Some(Duration::from_secs(5))).is_ok());
        assert!(outbound(Duration::from_secs(5), None).is_ok());
    }
}
