//! An in-process SMTP server for the tests: enough RFC 5321 for lettre's
//! `AsyncSmtpTransport<Tokio1Executor>` over plain SMTP (no TLS, no AUTH), recording every accepted
//! message, with switchable failure modes (temporary or permanent rejection, a hanging server).
//!
//! The server runs as tasks on the current tokio runtime: one accepting task and one task per connection.
//! Note that lettre's async transport applies its `timeout` only to the TCP connect, not to replies, so a
//! test against a hanging server must bound the send itself (e.g. with `tokio::time::timeout`).

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::OwnedReadHalf;
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// A message the server accepted.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    /// The envelope sender (`MAIL FROM`), without angle brackets; empty for the null sender `<>`.
    pub from: String,
    /// The envelope recipients (`RCPT TO`), without angle brackets, in order.
    pub to: Vec<String>,
    /// The message content as transmitted after `DATA`: dot-stuffing undone, every line ended by CRLF.
    pub data: String,
    /// When the server accepted it (wall clock, just before its reply).
    pub received_at: chrono::DateTime<chrono::Utc>,
}

impl ReceivedMail {
    /// The value of a header (case-insensitive name), unfolded, first occurrence. (Headers end at the first
    /// empty line.) Encoded-words are left as they are; see [`ReceivedMail::subject`].
    pub fn header(&self, name: &str) -> Option<String> {
        let (head, _) = split_entity(self.entity());
        header_value(&parse_headers(head), name)
    }

    /// The Message-ID header without surrounding whitespace (e.g. "<abc@art33>").
    pub fn message_id(&self) -> Option<String> {
        self.header("Message-ID").map(|id| id.trim().to_owned())
    }

    /// The decoded Subject (RFC 2047 encoded-words, several, possibly folded); empty if there is none.
    pub fn subject(&self) -> String {
        self.header("Subject").map(|subject| decode_encoded_words(&subject)).unwrap_or_default()
    }

    /// The text/plain part's body, decoded (quoted-printable, base64 or 7bit/8bit), line endings as `\n`.
    /// For a multipart message the first text/plain part that is not an attachment (searched depth-first);
    /// empty if there is none. A message that is not multipart gives its whole body, whatever its type.
    pub fn text_body(&self) -> String {
        if let Some(text) = find_part(self.entity(), "text/plain") {
            return text;
        }
        let (head, body) = split_entity(self.entity());
        let headers = parse_headers(head);
        let content_type = content_type(&headers);
        if media_type(&content_type).starts_with("multipart/") {
            String::new()
        } else {
            decode_body(body, &headers, &content_type)
        }
    }

    /// The text/html part's body, decoded like [`ReceivedMail::text_body`], if there is one (or the whole
    /// body of a message that is itself text/html).
    pub fn html_body(&self) -> Option<String> {
        find_part(self.entity(), "text/html")
    }

    /// The message without the line break that ends its last line (which SMTP's `.` line requires).
    fn entity(&self) -> &str {
        strip_line_break(&self.data)
    }
}

/// How the server behaves; can be changed while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// Accept everything (`250 OK` to MAIL/RCPT, `250 queued as <n>` after DATA).
    Accept,
    /// Answer MAIL FROM with this temporary failure code, e.g. 451.
    TempFail(u16),
    /// Answer MAIL FROM with this permanent failure code, e.g. 550.
    PermFail(u16),
    /// Accept the connection and greet, then never answer anything after EHLO (a hanging server).
    HangAfterGreeting,
    /// Accept DATA content but never send the final reply after the terminating "." (hang).
    HangAfterData,
    /// Accept everything, but take this long before accepting each message (a slow relay).
    Slow(Duration),
    /// Answer RCPT TO with this permanent failure code for this one recipient (an unknown user),
    /// accept everyone else.
    RejectRecipient(u16, &'static str),
}

/// An SMTP server on 127.0.0.1 for the duration of a test. Dropping it stops it (like [`SmtpServer::stop`],
/// without waiting for the tasks to end).
pub struct SmtpServer {
    port: u16,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl SmtpServer {
    /// Starts on 127.0.0.1 with a random free port, on the current tokio runtime (spawned tasks).
    pub async fn start() -> SmtpServer {
        SmtpServer::start_on(0).await.expect("start the test SMTP server on a free port")
    }

    /// Starts on a given port (e.g. to come back on the same port after `stop`); errors if the port is taken.
    pub async fn start_on(port: u16) -> io::Result<SmtpServer> {
        let socket = TcpSocket::new_v4()?;
        // Lets the port be bound again at once after `stop`, despite connections in TIME_WAIT; it still
        // fails while another socket listens on it.
        socket.set_reuseaddr(true)?;
        socket.bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))?;
        let listener = socket.listen(128)?;
        let port = listener.local_addr()?.port();
        let shared = Arc::new(Shared {
            behaviour: Mutex::new(Behaviour::Accept),
            received: Mutex::new(Vec::new()),
            connections: AtomicUsize::new(0),
            open: AtomicUsize::new(0),
            most_open: AtomicUsize::new(0),
            sessions: Mutex::new(Vec::new()),
        });
        let acceptor = tokio::spawn(accept(listener, Arc::clone(&shared)));
        Ok(SmtpServer { port, shared, acceptor: Some(acceptor) })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// "smtp://127.0.0.1:PORT" (the URL lettre's `AsyncSmtpTransport::from_url` accepts for plain SMTP).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Takes effect for the next command on every connection, open or new.
    pub fn set_behaviour(&self, b: Behaviour) {
        *lock(&self.shared.behaviour) = b;
    }

    /// Every message accepted so far (clone).
    pub fn received(&self) -> Vec<ReceivedMail> {
        lock(&self.shared.received).clone()
    }

    /// Waits (polling every 10 ms) until at least `n` messages were received or `timeout` passes; returns
    /// what was received.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let deadline = Instant::now() + timeout;
        loop {
            let received = self.received();
            if received.len() >= n || Instant::now() >= deadline {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Stops listening AND closes every open connection (so that a pooled client's next command fails),
    /// releasing the port.
    pub async fn stop(mut self) {
        if let Some(acceptor) = self.acceptor.take() {
            acceptor.abort();
            let _ = acceptor.await;
        }
        // The acceptor is gone, so no session can be added any more.
        let sessions = std::mem::take(&mut *lock(&self.shared.sessions));
        for session in &sessions {
            session.abort();
        }
        for session in sessions {
            let _ = session.await;
        }
    }

    /// Number of connections accepted so far.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// The most connections that were open at the same time.
    pub fn most_at_once(&self) -> usize {
        self.shared.most_open.load(Ordering::SeqCst)
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        if let Some(acceptor) = self.acceptor.take() {
            acceptor.abort();
        }
        for session in lock(&self.shared.sessions).drain(..) {
            session.abort();
        }
    }
}

/// The state shared by the server handle, the accepting task and the connection tasks.
struct Shared {
    behaviour: Mutex<Behaviour>,
    received: Mutex<Vec<ReceivedMail>>,
    connections: AtomicUsize,
    /// Connections open now, and the most that were ever open at once.
    open: AtomicUsize,
    most_open: AtomicUsize,
    /// The connection tasks, so that stopping can close their connections.
    sessions: Mutex<Vec<JoinHandle<()>>>,
}

impl Shared {
    fn behaviour(&self) -> Behaviour {
        *lock(&self.behaviour)
    }

    /// Records an accepted message and returns its number (1-based).
    fn record(&self, mail: ReceivedMail) -> usize {
        let mut received = lock(&self.received);
        received.push(mail);
        received.len()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn accept(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // E.g. too many open files: try again shortly rather than spin.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        shared.connections.fetch_add(1, Ordering::SeqCst);
        let session = tokio::spawn(serve(stream, Arc::clone(&shared)));
        let mut sessions = lock(&shared.sessions);
        sessions.retain(|session| !session.is_finished());
        sessions.push(session);
    }
}

async fn serve(stream: TcpStream, shared: Arc<Shared>) {
    let open = shared.open.fetch_add(1, Ordering::SeqCst) + 1;
    shared.most_open.fetch_max(open, Ordering::SeqCst);
    // An I/O error just ends the connection.
    let _ = session(stream, &shared).await;
    shared.open.fetch_sub(1, Ordering::SeqCst);
}

/// One SMTP connection, until QUIT, the client closing, or an I/O error.
async fn session(stream: TcpStream, shared: &Shared) -> io::Result<()> {
    let (reader, mut writer) = stream.into_split();
    let mut reader = BufReader::new(reader);
    writer.write_all(b"220 localhost ESMTP test server ready\r\n").await?;

    let mut from: Option<String> = None;
    let mut to: Vec<String> = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        if shared.behaviour() == Behaviour::HangAfterGreeting {
            return hang(&mut reader).await;
        }
        let line = String::from_utf8_lossy(&line);
        let command = line.trim_end_matches(['\r', '\n']);
        let (verb, argument) = command.split_once([' ', '\t']).unwrap_or((command, ""));
        let argument = argument.trim();
        let reply = match verb.to_ascii_uppercase().as_str() {
            "EHLO" => {
                from = None;
                to.clear();
                let greeting = if argument.is_empty() {
                    "localhost".to_owned()
                } else {
                    format!("localhost greets {argument}")
                };
                format!("250-{greeting}\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
            }
            "HELO" => {
                from = None;
                to.clear();
                "250 localhost\r\n".to_owned()
            }
            "MAIL" => match (&from, path_argument(argument, "FROM:")) {
                (Some(_), _) => "503 Sender already given\r\n".to_owned(),
                (None, None) => "501 Syntax: MAIL FROM:<address>\r\n".to_owned(),
                (None, Some(sender)) => match shared.behaviour() {
                    Behaviour::TempFail(code) => format!("{code} Temporary failure, try again later\r\n"),
                    Behaviour::PermFail(code) => format!("{code} Sender rejected\r\n"),
                    _ => {
                        from = Some(sender);
                        "250 OK\r\n".to_owned()
                    }
                },
            },
            "RCPT" => match (&from, path_argument(argument, "TO:")) {
                (None, _) => "503 Need MAIL before RCPT\r\n".to_owned(),
                (Some(_), None) => "501 Syntax: RCPT TO:<address>\r\n".to_owned(),
                (Some(_), Some(recipient)) => match shared.behaviour() {
                    Behaviour::RejectRecipient(code, unknown) if recipient.eq_ignore_ascii_case(unknown) => {
                        format!("{code} No such user here\r\n")
                    }
                    _ => {
                        to.push(recipient);
                        "250 OK\r\n".to_owned()
                    }
                },
            },
            "DATA" => match from.take() {
                None => "503 Need MAIL before DATA\r\n".to_owned(),
                Some(sender) if to.is_empty() => {
                    from = Some(sender);
                    "554 No valid recipients\r\n".to_owned()
                }
                Some(sender) => {
                    writer.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
                    let Some(data) = read_data(&mut reader).await? else {
                        return Ok(());
                    };
                    match shared.behaviour() {
                        Behaviour::HangAfterData => return hang(&mut reader).await,
                        Behaviour::Slow(delay) => tokio::time::sleep(delay).await,
                        _ => {}
                    }
                    // Recorded before the reply goes out, so that it is there once the client has its 250.
                    let number = shared.record(ReceivedMail {
                        from: sender,
                        to: std::mem::take(&mut to),
                        data,
                        received_at: chrono::Utc::now(),
                    });
                    format!("250 OK queued as {number}\r\n")
                }
            },
            "RSET" => {
                from = None;
                to.clear();
                "250 OK\r\n".to_owned()
            }
            "NOOP" => "250 OK\r\n".to_owned(),
            "QUIT" => {
                writer.write_all(b"221 Bye\r\n").await?;
                return Ok(());
            }
            _ => "502 Command not implemented\r\n".to_owned(),
        };
        writer.write_all(reply.as_bytes()).await?;
    }
}

/// The address of `FROM:<address> PARAMETERS` (given `keyword` "FROM:"), without the angle brackets.
fn path_argument(argument: &str, keyword: &str) -> Option<String> {
    let prefix = argument.get(..keyword.len())?;
    if !prefix.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let path = argument[keyword.len()..].trim_start();
    if let Some(path) = path.strip_prefix('<') {
        path.split_once('>').map(|(address, _)| address.to_owned())
    } else {
        path.split_whitespace().next().map(str::to_owned)
    }
}

/// Reads the DATA content up to the line ".", undoing dot-stuffing; `None` if the client went away first.
async fn read_data(reader: &mut BufReader<OwnedReadHalf>) -> io::Result<Option<String>> {
    let mut data = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).await? == 0 {
            return Ok(None);
        }
        acknowledge_now(reader.get_ref());
        let content = line.strip_suffix(b"\n").unwrap_or(&line);
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        if content == b"." {
            return Ok(Some(String::from_utf8_lossy(&data).into_owned()));
        }
        data.extend_from_slice(content.strip_prefix(b".").unwrap_or(content));
        data.extend_from_slice(b"\r\n");
    }
}

/// Acknowledges what was read at once. lettre writes the message and its final "." in two writes;
/// with Nagle's algorithm on its side and delayed acknowledgements on this side, the "." waited
/// 40 ms for every mail, which made the tests' mail rate that of the kernel's ACK timer.
#[expect(unsafe_code, reason = "setsockopt is a C function")]
fn acknowledge_now(reader: &OwnedReadHalf) {
    use std::os::fd::AsRawFd;
    let fd = AsRef::<TcpStream>::as_ref(reader).as_raw_fd();
    let on: libc::c_int = 1;
    // SAFETY: a valid socket descriptor, an option value of the size given.
    unsafe {
        libc::setsockopt(
            fd,
            libc::IPPROTO_TCP,
            libc::TCP_QUICKACK,
            (&raw const on).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        );
    }
}

/// Never answers again: reads and discards whatever comes until the client closes the connection.
async fn hang(reader: &mut BufReader<OwnedReadHalf>) -> io::Result<()> {
    tokio::io::copy(reader, &mut tokio::io::sink()).await.map(drop)
}

// ---- Message parsing (just enough for what lettre produces) ----

/// Splits an entity into its header section and its body, at the first empty line.
fn split_entity(entity: &str) -> (&str, &str) {
    let mut start = 0;
    while start < entity.len() {
        let end = entity[start..].find('\n').map_or(entity.len(), |i| start + i + 1);
        if entity[start..end].trim_end_matches(['\r', '\n']).is_empty() {
            return (&entity[..start], &entity[end..]);
        }
        start = end;
    }
    (entity, "")
}

/// The header fields in order, names as written, values unfolded and trimmed.
fn parse_headers(head: &str) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push_str(line);
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_owned(), value.to_owned()));
        }
    }
    headers.into_iter().map(|(name, value)| (name, value.trim().to_owned())).collect()
}

fn header_value(headers: &[(String, String)], name: &str) -> Option<String> {
    headers.iter().find(|(candidate, _)| candidate.eq_ignore_ascii_case(name)).map(|(_, value)| value.clone())
}

fn content_type(headers: &[(String, String)]) -> String {
    header_value(headers, "Content-Type").unwrap_or_else(|| "text/plain".to_owned())
}

/// "text/plain" of "Text/Plain; charset=utf-8".
fn media_type(value: &str) -> String {
    value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// A parameter of a header value such as `multipart/alternative; boundary="abc"`, unquoted.
fn parameter(value: &str, name: &str) -> Option<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in value.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            ';' if !quoted => parts.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    parts.push(current);
    parts.iter().skip(1).find_map(|part| {
        let (key, value) = part.split_once('=')?;
        key.trim().eq_ignore_ascii_case(name).then(|| value.trim().trim_matches('"').to_owned())
    })
}

fn strip_line_break(text: &str) -> &str {
    text.strip_suffix("\r\n").or_else(|| text.strip_suffix('\n')).unwrap_or(text)
}

/// The first part of type `wanted` that is not an attachment, searching multiparts depth-first, decoded.
fn find_part(entity: &str, wanted: &str) -> Option<String> {
    let (head, body) = split_entity(entity);
    let headers = parse_headers(head);
    let content_type = content_type(&headers);
    let media = media_type(&content_type);
    if media.starts_with("multipart/") {
        let boundary = parameter(&content_type, "boundary")?;
        return multipart_parts(body, &boundary).into_iter().find_map(|part| find_part(part, wanted));
    }
    let attachment = header_value(&headers, "Content-Disposition")
        .is_some_and(|disposition| media_type(&disposition) == "attachment");
    (media == wanted && !attachment).then(|| decode_body(body, &headers, &content_type))
}

/// The parts of a multipart body (RFC 2046: the line break before a delimiter belongs to the delimiter).
fn multipart_parts<'a>(body: &'a str, boundary: &str) -> Vec<&'a str> {
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut part_start: Option<usize> = None;
    let mut start = 0;
    while start < body.len() {
        let end = body[start..].find('\n').map_or(body.len(), |i| start + i + 1);
        let line = body[start..end].trim_end_matches(['\r', '\n']);
        if let Some(rest) = line.strip_prefix(&delimiter) {
            let rest = rest.trim_end_matches([' ', '\t']);
            if rest.is_empty() || rest == "--" {
                if let Some(part_start) = part_start {
                    parts.push(strip_line_break(&body[part_start..start]));
                }
                if rest == "--" {
                    return parts;
                }
                part_start = Some(end);
            }
        }
        start = end;
    }
    if let Some(part_start) = part_start {
        parts.push(&body[part_start..]);
    }
    parts
}

/// Undoes the Content-Transfer-Encoding and the charset; line endings become `\n`.
fn decode_body(body: &str, headers: &[(String, String)], content_type: &str) -> String {
    let encoding =
        header_value(headers, "Content-Transfer-Encoding").unwrap_or_default().to_ascii_lowercase();
    let bytes = match encoding.as_str() {
        "quoted-printable" => decode_quoted_printable(body),
        "base64" => decode_base64(body),
        _ => body.as_bytes().to_vec(),
    };
    decode_charset(&bytes, parameter(content_type, "charset").as_deref()).replace("\r\n", "\n")
}

fn decode_charset(bytes: &[u8], charset: Option<&str>) -> String {
    match charset.map(str::to_ascii_lowercase).as_deref() {
        Some("iso-8859-1" | "latin1" | "latin-1") => bytes.iter().map(|&b| char::from(b)).collect(),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

fn decode_quoted_printable(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            let rest = &bytes[i + 1..];
            if rest.starts_with(b"\r\n") {
                i += 3;
                continue;
            }
            if rest.starts_with(b"\n") {
                i += 2;
                continue;
            }
            if let Some(byte) = rest.get(..2).and_then(hex_byte) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// The byte of two hexadecimal digits.
fn hex_byte(digits: &[u8]) -> Option<u8> {
    let high = char::from(*digits.first()?).to_digit(16)?;
    let low = char::from(*digits.get(1)?).to_digit(16)?;
    u8::try_from(high * 16 + low).ok()
}

/// Standard (or URL-safe) base64, ignoring line breaks and anything else outside the alphabet.
fn decode_base64(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut accumulator: u32 = 0;
    let mut bits = 0;
    for c in text.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => continue,
        };
        accumulator = (accumulator << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((accumulator >> bits) as u8);
            accumulator &= (1 << bits) - 1;
        }
    }
    out
}

/// The "Q" encoding of RFC 2047: quoted-printable with `_` for a space.
fn decode_q(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'_' => out.push(b' '),
            b'=' => {
                if let Some(byte) = bytes.get(i + 1..i + 3).and_then(hex_byte) {
                    out.push(byte);
                    i += 3;
                    continue;
                }
                out.push(b'=');
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    out
}

/// A stretch of a header value: plain text, or the charset and bytes of an encoded-word.
enum Piece {
    Text(String),
    Word(String, Vec<u8>),
}

/// Decodes the RFC 2047 encoded-words in an (unfolded) header value. Whitespace between adjacent
/// encoded-words is dropped, and adjacent words in the same charset are decoded together (so that a
/// character split across two words survives).
fn decode_encoded_words(value: &str) -> String {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut rest = value;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("=?")
            && let Some((charset, bytes, length)) = parse_encoded_word(rest)
        {
            if !text.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut text)));
            }
            pieces.push(Piece::Word(charset, bytes));
            rest = &rest[length..];
            continue;
        }
        text.push(c);
        rest = &rest[c.len_utf8()..];
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }

    let mut out = String::new();
    let mut pending: Option<(String, Vec<u8>)> = None;
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Word(charset, bytes) => match &mut pending {
                Some((pending_charset, pending_bytes)) if pending_charset.eq_ignore_ascii_case(charset) => {
                    pending_bytes.extend_from_slice(bytes);
                }
                _ => {
                    flush_word(&mut out, &mut pending);
                    pending = Some((charset.clone(), bytes.clone()));
                }
            },
            Piece::Text(text) => {
                let between_words = text.chars().all(char::is_whitespace)
                    && i > 0
                    && matches!(pieces[i - 1], Piece::Word(..))
                    && matches!(pieces.get(i + 1), Some(Piece::Word(..)));
                if !between_words {
                    flush_word(&mut out, &mut pending);
                    out.push_str(text);
                }
            }
        }
    }
    flush_word(&mut out, &mut pending);
    out
}

fn flush_word(out: &mut String, pending: &mut Option<(String, Vec<u8>)>) {
    if let Some((charset, bytes)) = pending.take() {
        out.push_str(&decode_charset(&bytes, Some(&charset)));
    }
}

/// `=?charset?encoding?text?=` at the start of `text`: the charset (without a language), the decoded bytes
/// and the length of the word.
fn parse_encoded_word(text: &str) -> Option<(String, Vec<u8>, usize)> {
    let inner = text.strip_prefix("=?")?;
    let (charset, inner) = inner.split_once('?')?;
    let (encoding, inner) = inner.split_once('?')?;
    let end = inner.find("?=")?;
    let encoded = &inner[..end];
    if charset.is_empty() || charset.contains(char::is_whitespace) || encoded.contains(char::is_whitespace) {
        return None;
    }
    let bytes = match encoding {
        "b" | "B" => decode_base64(encoded),
        "q" | "Q" => decode_q(encoded),
        _ => return None,
    };
    let length = "=?".len() + charset.len() + 1 + encoding.len() + 1 + end + "?=".len();
    let charset = charset.split('*').next().unwrap_or(charset).to_owned();
    Some((charset, bytes, length))
}
