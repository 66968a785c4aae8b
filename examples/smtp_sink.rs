//! The load test's mail relay: an SMTP server that accepts every mail at once and keeps nothing.
//!
//! `benches/load/run.sh` points `mail.transport = "smtp"` at it, so that the mail lag it measures is
//! that of art33's SMTP path (a connection per mail, the SMTP conversation, the outbox's marks)
//! and not that of a relay or of a file system. It speaks only what lettre says to a plain relay
//! (greeting, EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), one task per connection, and costs
//! about 0.2 ms of CPU a mail (most of it the kernel's TCP), on the machine's cores beside the
//! server's: the load script counts it with the rest. It counts the mails it accepted and writes the count to `COUNT_FILE`
//! (when given) every second and when it ends (SIGTERM or SIGINT).
//!
//! ```text
//! cargo run --release --example smtp_sink -- 127.0.0.1:2525 /tmp/sink-count
//! ```

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// The longest line a client may send (SMTP's own limit is 1,000 octets with CRLF; a mail's body
/// lines are read the same way).
const MAX_LINE: usize = 64 * 1024;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(listen), count_file) = (args.next(), args.next()) else {
        eprintln!("usage: smtp_sink HOST:PORT [COUNT_FILE]");
        return ExitCode::from(2);
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("smtp_sink: cannot start a runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(&listen, count_file)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("smtp_sink: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(listen: &str, count_file: Option<String>) -> std::io::Result<()> {
    let listener = TcpListener::bind(listen).await?;
    eprintln!("smtp_sink listening on {}", listener.local_addr()?);
    let accepted = Arc::new(AtomicU64::new(0));
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let mut every_second = tokio::time::interval(std::time::Duration::from_secs(1));
    let write_count = |accepted: &AtomicU64| {
        if let Some(path) = &count_file {
            // Written whole, then renamed: a reader never sees half a number.
            let partial = format!("{path}.partial");
            let written = std::fs::write(&partial, format!("{}\n", accepted.load(Ordering::Relaxed)))
                .and_then(|()| std::fs::rename(&partial, path));
            if let Err(e) = written {
                eprintln!("smtp_sink: cannot write {path}: {e}");
            }
        }
    };
    loop {
        tokio::select! {
            connection = listener.accept() => {
                let (stream, _) = connection?;
                let accepted = Arc::clone(&accepted);
                tokio::spawn(async move {
                    // A client that goes away mid-conversation is its own business.
                    let _ = converse(stream, &accepted).await;
                });
            }
            _ = every_second.tick() => write_count(&accepted),
            _ = terminate.recv() => break,
            _ = tokio::signal::ctrl_c() => break,
        }
    }
    write_count(&accepted);
    eprintln!("smtp_sink accepted {} mails", accepted.load(Ordering::Relaxed));
    Ok(())
}

/// One SMTP conversation: every command accepted, every mail counted once its end is read.
async fn converse(stream: TcpStream, accepted: &AtomicU64) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let (reader, mut writer) = stream.into_split();
    let mut reader = BufReader::new(reader);
    writer.write_all(b"220 smtp_sink ready\r\n").await?;
    let mut line = Vec::with_capacity(256);
    loop {
        line.clear();
        if (&mut reader).take(MAX_LINE as u64).read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let verb = line.get(..4).map(<[u8]>::to_ascii_uppercase).unwrap_or_default();
        let reply: &[u8] = match verb.as_slice() {
            b"EHLO" => b"250-smtp_sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            b"DATA" => {
                writer.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                loop {
                    line.clear();
                    if (&mut reader).take(MAX_LINE as u64).read_until(b'\n', &mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == b".\r\n" || line == b".\n" {
                        break;
                    }
                }
                accepted.fetch_add(1, Ordering::Relaxed);
                b"250 accepted\r\n"
            }
            b"QUIT" => {
                writer.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => b"250 ok\r\n",
        };
        writer.write_all(reply).await?;
    }
}
