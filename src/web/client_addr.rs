//! The client's network address, for the login limits and the logs (issue 17): the peer of the TCP
//! connection, unless that peer is one of `server.trusted_proxies`; only then is
//! `X-Forwarded-For` believed, read from the right: the first address that is not a trusted proxy
//! is the client. Anyone can send the header, so an untrusted peer's header is ignored.

use std::net::IpAddr;

use actix_web::HttpRequest;
use actix_web::http::header::HeaderName;
use ipnet::IpNet;

/// `X-Forwarded-For`.
const FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// The client address of `req` (see the module), or `unknown` when there is no peer (tests
/// without a socket).
pub fn client_address(req: &HttpRequest, trusted: &[IpNet]) -> String {
    let peer = req.peer_addr().map(|a| a.ip());
    let headers: Vec<&str> = req.headers().get_all(FORWARDED_FOR).filter_map(|v| v.to_str().ok()).collect();
    resolve(peer, &headers, trusted).map_or_else(|| "unknown".to_string(), |ip| ip.to_string())
}

/// The client among `peer` and the `X-Forwarded-For` values (each a comma-separated list, oldest
/// first; several headers are read as one list in order).
pub fn resolve(peer: Option<IpAddr>, forwarded_for: &[&str], trusted: &[IpNet]) -> Option<IpAddr> {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(&ip.to_canonical()));
    let mut client = peer.map(|ip| ip.to_canonical())?;
    if !is_trusted(&client) {
        return Some(client);
    }
    let hops: Vec<&str> = forwarded_for.iter().flat_map(|h| h.split(',')).map(str::trim).collect();
    for hop in hops.iter().rev() {
        // A hop that is not an address ends the walk: the last trusted proxy is all we know.
        let Some(ip) = parse_hop(hop) else { break };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    Some(client)
}

/// `203.0.113.7`, `2001:db8::1`, `[2001:db8::1]:443` or `203.0.113.7:80`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .or_else(|_| hop.parse::<std::net::SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(|ip| ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_peer() {
        let none: Vec<IpNet> = Vec::new();
        let proxies =
            crate::config::parse_trusted_proxies(&["10.0.0.0/8".into(), " ::1 ".into(), String::new()])
                .unwrap();
        assert_eq!(proxies.len(), 2);
        // No trusted proxies: the peer, whatever the header says.
        assert_eq!(resolve(Some(ip("203.0.113.9")), &["1.2.3.4"], &none), Some(ip("203.0.113.9")));
        assert_eq!(resolve(Some(ip("10.0.0.1")), &["1.2.3.4"], &none), Some(ip("10.0.0.1")));
        // An untrusted peer's header is ignored.
        assert_eq!(resolve(Some(ip("203.0.113.9")), &["1.2.3.4"], &proxies), Some(ip("203.0.113.9")));
        // A trusted peer: the right-most address that is not a trusted proxy.
        assert_eq!(
            resolve(Some(ip("10.0.0.1")), &["6.6.6.6, 198.51.100.4, 10.1.1.1"], &proxies),
            Some(ip("198.51.100.4"))
        );
        assert_eq!(
            resolve(Some(ip("10.0.0.1")), &["6.6.6.6", "198.51.100.4"], &proxies),
            Some(ip("198.51.100.4"))
        );
        assert_eq!(resolve(Some(ip("::1")), &["[2001:db8::7]:443"], &proxies), Some(ip("2001:db8::7")));
        assert_eq!(
            resolve(Some(ip("::ffff:10.0.0.1")), &["198.51.100.4:80"], &proxies),
            Some(ip("198.51.100.4"))
        );
        // No header, or only proxies, or garbage: the nearest hop known.
        assert_eq!(resolve(Some(ip("10.0.0.1")), &[], &proxies), Some(ip("10.0.0.1")));
        assert_eq!(resolve(Some(ip("10.0.0.1")), &["10.0.0.2, 10.0.0.3"], &proxies), Some(ip("10.0.0.2")));
        assert_eq!(resolve(Some(ip("10.0.0.1")), &["6.6.6.6, nonsense"], &proxies), Some(ip("10.0.0.1")));
        assert_eq!(resolve(None, &["6.6.6.6"], &proxies), None);
    }
}
