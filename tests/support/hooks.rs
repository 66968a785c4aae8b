//! An in-process HTTP endpoint for the webhook tests: enough HTTP/1.1 for reqwest's POST (a head, a
//! `Content-Length` body), recording every request and how it was answered, answering from a script
//! (a status, or hanging until released) and then with the default reply (200 unless set); it can
//! stop listening (connections refused: a dead endpoint) and listen again on the same port.

use std::collections::{BTreeMap, VecDeque};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// A request the endpoint received.
#[derive(Debug, Clone)]
pub struct Received {
    /// The request target (`/hook`).
    pub path: String,
    /// Headers, names in lower case.
    pub headers: BTreeMap<String, String>,
    /// The body.
    pub body: String,
    /// How the endpoint answered it (a hang released later still shows as [`Reply::Hang`]: the
    /// client may have given up by then).
    pub reply: Reply,
}

impl Received {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str)
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// How the endpoint answers one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// This HTTP status.
    Status(u16),
    /// No answer until [`HookServer::release`] (or the client gives up).
    Hang,
}

struct Shared {
    received: Mutex<Vec<Received>>,
    script: Mutex<VecDeque<Reply>>,
    /// The reply once the script is used up.
    default: Mutex<Reply>,
    arrived: Notify,
    released: Notify,
}

impl Default for Shared {
    fn default() -> Self {
        Self {
            received: Mutex::default(),
            script: Mutex::default(),
            default: Mutex::new(Reply::Status(200)),
            arrived: Notify::new(),
            released: Notify::new(),
        }
    }
}

/// The endpoint; stopped when dropped.
pub struct HookServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: Mutex<Option<JoinHandle<()>>>,
}

/// Listens on 127.0.0.1:`port` (0: a free one), the port reusable at once after a stop.
fn listen(port: u16) -> TcpListener {
    let socket = TcpSocket::new_v4().expect("socket");
    socket.set_reuseaddr(true).expect("SO_REUSEADDR");
    socket.bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).expect("bind");
    socket.listen(128).expect("listen")
}

fn accept(listener: TcpListener, shared: Arc<Shared>) -> JoinHandle<()> {
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve(stream, shared.clone()));
        }
    })
}

impl HookServer {
    /// Starts on 127.0.0.1 at a free port.
    pub async fn start() -> HookServer {
        let listener = listen(0);
        let addr = listener.local_addr().expect("address");
        let shared = Arc::new(Shared::default());
        let task = accept(listener, shared.clone());
        HookServer { addr, shared, task: Mutex::new(Some(task)) }
    }

    /// Stops listening: connections to the port are refused (a dead endpoint). Requests already
    /// accepted are answered as scripted.
    pub async fn stop(&self) {
        let task = self.task.lock().unwrap().take();
        if let Some(task) = task {
            task.abort();
            let _ = task.await;
        }
    }

    /// Listens again on the same port, keeping what was received.
    pub fn resume(&self) {
        let mut task = self.task.lock().unwrap();
        assert!(task.is_none(), "already listening");
        *task = Some(accept(listen(self.addr.port()), self.shared.clone()));
    }

    /// Requests after the script are answered so (200 unless set).
    pub fn set_default(&self, reply: Reply) {
        *self.shared.default.lock().unwrap() = reply;
    }

    /// `http://127.0.0.1:PORT/PATH`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The next requests are answered so, in order; after them, 200.
    pub fn script(&self, replies: &[Reply]) {
        self.shared.script.lock().unwrap().extend(replies.iter().copied());
    }

    /// Every request so far.
    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    /// The requests to `path` so far.
    pub fn received_at(&self, path: &str) -> Vec<Received> {
        self.received().into_iter().filter(|r| r.path == path).collect()
    }

    /// Waits until at least `n` requests have arrived.
    pub async fn wait_for(&self, n: usize) {
        let waiting = async {
            loop {
                let arrived = self.shared.arrived.notified();
                if self.received().len() >= n {
                    return;
                }
                arrived.await;
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(20), waiting)
            .await
            .unwrap_or_else(|_| panic!("fewer than {n} requests arrived"));
    }

    /// Ends every hanging answer (with 200).
    pub fn release(&self) {
        self.shared.released.notify_waiters();
    }
}

impl Drop for HookServer {
    fn drop(&mut self) {
        if let Some(task) = self.task.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take() {
            task.abort();
        }
        // Hanging answers end too.
        self.shared.released.notify_waiters();
    }
}

async fn serve(stream: TcpStream, shared: Arc<Shared>) {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or_default().to_string();
    let mut headers = BTreeMap::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        if let Some((name, value)) = trimmed.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    let length: usize = headers.get("content-length").and_then(|l| l.parse().ok()).unwrap_or(0);
    let mut body = vec![0u8; length];
    if reader.read_exact(&mut body).await.is_err() {
        return;
    }
    let scripted = shared.script.lock().unwrap().pop_front();
    let reply = scripted.unwrap_or_else(|| *shared.default.lock().unwrap());
    let released = shared.released.notified();
    shared.received.lock().unwrap().push(Received {
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        reply,
    });
    shared.arrived.notify_waiters();
    let status = match reply {
        Reply::Status(status) => status,
        Reply::Hang => {
            released.await;
            200
        }
    };
    let answer = format!("HTTP/1.1 {status} Status\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    let mut stream = reader.into_inner();
    let _ = stream.write_all(answer.as_bytes()).await;
    let _ = stream.shutdown().await;
}
