//! The socket side of `tre serve`: accepts connections, hands them to a fixed pool of workers
//! through a bounded queue, reads one request from each with a cap on its size and its time,
//! and refuses `Host` and `Origin` values that are not this machine's (DNS rebinding).
//! What a request gets back is `http`'s business.

use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::Server;
use super::http::{self, Reply, Response};

/// The request line and headers together may take this many bytes; more is answered 431.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// Threads answering requests. A request is answered from memory, so a few suffice.
pub const WORKERS: usize = 8;
/// Accepted connections waiting for a worker; beyond this they are answered 503 at once.
const QUEUE: usize = 64;
/// Open live-reload websockets, each on a thread of its own; beyond this, 503.
pub const MAX_WEBSOCKETS: usize = 64;
/// Time a client has to send its request line and headers.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// One request as read from the socket: GET and HEAD have no body to read.
pub struct Request {
    pub method: String,
    /// The request target as sent: `/path?query`.
    pub target: String,
    /// Names in lower case.
    headers: Vec<(String, String)>,
    /// Bytes the client sent after the headers (the start of a websocket frame).
    pub rest: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The accept loop and its workers; `stop` ends them.
pub struct Listener {
    addr: SocketAddr,
    is_stopping: Arc<AtomicBool>,
}

impl Listener {
    /// Binds `interface:port`; the accept loop starts with `spawn`.
    pub fn bind(interface: &str, port: u16) -> io::Result<(Self, TcpListener)> {
        let socket = TcpListener::bind((interface, port))?;
        let addr = socket.local_addr()?;
        let listener = Self {
            addr,
            is_stopping: Arc::new(AtomicBool::new(false)),
        };
        Ok((listener, socket))
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Starts the workers, then accepts until `stop` on a thread of its own; the workers end
    /// when it does.
    pub fn spawn(&self, socket: TcpListener, server: Arc<Server>) -> JoinHandle<()> {
        let is_stopping = Arc::clone(&self.is_stopping);
        let (tx, rx) = mpsc::sync_channel::<TcpStream>(QUEUE);
        let rx = Arc::new(Mutex::new(rx));
        let sockets = Arc::new(AtomicUsize::new(0));
        for _ in 0..WORKERS {
            let (rx, server, sockets) =
                (Arc::clone(&rx), Arc::clone(&server), Arc::clone(&sockets));
            thread::spawn(move || work(&rx, &server, &sockets));
        }
        thread::spawn(move || accept_loop(&socket, &tx, &is_stopping))
    }

    /// Ends the accept loop: sets the flag, then wakes `accept` with a connection of our own.
    pub fn stop(&self) {
        self.is_stopping.store(true, Ordering::SeqCst);
        let mut wake = self.addr;
        if wake.ip().is_unspecified() {
            wake.set_ip(match wake.ip() {
                IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
                IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
            });
        }
        let _ = TcpStream::connect_timeout(&wake, Duration::from_secs(1));
    }
}

fn accept_loop(socket: &TcpListener, tx: &SyncSender<TcpStream>, is_stopping: &AtomicBool) {
    for stream in socket.incoming() {
        if is_stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        queue(tx, stream);
    }
}

/// Gives a connection to a worker, or answers 503 when all are busy and the queue is full.
fn queue(tx: &SyncSender<TcpStream>, stream: TcpStream) {
    if let Err(TrySendError::Full(mut stream)) = tx.try_send(stream) {
        let _ = stream.set_write_timeout(Some(Duration::from_millis(100)));
        let _ =
            stream.write_all(&Response::text(503, "tre serve is busy; try again").to_bytes(false));
    }
}

fn work(rx: &Mutex<Receiver<TcpStream>>, server: &Arc<Server>, sockets: &Arc<AtomicUsize>) {
    loop {
        let next = rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(stream) = next else { return };
        handle(stream, server, sockets);
    }
}

/// Reads one request, answers it, and closes the connection (or keeps it for a websocket).
fn handle(mut stream: TcpStream, server: &Arc<Server>, sockets: &Arc<AtomicUsize>) {
    let request = match read_request(&mut stream) {
        Ok(r) => r,
        Err(Some(refusal)) => return refuse(&mut stream, &refusal),
        Err(None) => return,
    };
    if let Err(refusal) = check_origin(&request) {
        return refuse(&mut stream, &refusal);
    }
    let is_head = request.method == "HEAD";
    match http::respond(&request, server) {
        Reply::Response(r) => send(&mut stream, &r, is_head),
        Reply::Upgrade { key } => upgrade(stream, request.rest, &key, server, sockets),
    }
}

fn send(stream: &mut TcpStream, response: &Response, is_head: bool) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
    let _ = stream.write_all(&response.to_bytes(is_head));
    let _ = stream.flush();
}

/// Answers a request that was not read to its end, then reads and drops what the client
/// still sends for a moment, so that closing does not reset the connection before the client
/// has read the answer.
fn refuse(stream: &mut TcpStream, response: &Response) {
    send(stream, response, false);
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
    let mut sink = [0u8; 4096];
    let mut left: usize = 256 * 1024;
    while left > 0 {
        match stream.read(&mut sink) {
            Ok(n) if n > 0 => left = left.saturating_sub(n),
            _ => break,
        }
    }
}

/// Hands a websocket to a thread of its own, if fewer than `MAX_WEBSOCKETS` are open.
fn upgrade(
    mut stream: TcpStream,
    rest: Vec<u8>,
    key: &str,
    server: &Arc<Server>,
    sockets: &Arc<AtomicUsize>,
) {
    let taken = sockets.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
        (n < MAX_WEBSOCKETS).then_some(n + 1)
    });
    if taken.is_err() {
        return send(
            &mut stream,
            &Response::text(503, "too many live-reload connections"),
            false,
        );
    }
    let accept = tungstenite::handshake::derive_accept_key(key.as_bytes());
    let handshake = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Accept: {accept}\r\n\r\n"
    );
    if stream.write_all(handshake.as_bytes()).is_err() {
        sockets.fetch_sub(1, Ordering::SeqCst);
        return;
    }
    let (server, sockets) = (Arc::clone(server), Arc::clone(sockets));
    thread::spawn(move || {
        http::livereload(stream, rest, &server);
        sockets.fetch_sub(1, Ordering::SeqCst);
    });
}

/// Reads the request line and headers within `MAX_HEADER_BYTES` and `HEADER_TIMEOUT`.
/// Err(None): the client went away; Err(Some(r)): answer `r` and close.
fn read_request(stream: &mut TcpStream) -> Result<Request, Option<Response>> {
    let start = Instant::now();
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let end = loop {
        let left = HEADER_TIMEOUT.saturating_sub(start.elapsed());
        if left.is_zero() {
            return Err(Some(Response::text(
                408,
                "the request took too long to arrive",
            )));
        }
        let _ = stream.set_read_timeout(Some(left));
        let n = match stream.read(&mut chunk) {
            Ok(0) => return Err(None),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(Some(Response::text(
                    408,
                    "the request took too long to arrive",
                )));
            }
            Err(_) => return Err(None),
        };
        let from = buf.len().saturating_sub(3);
        buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
        if let Some(i) = find(buf.get(from..).unwrap_or_default(), b"\r\n\r\n") {
            break from + i;
        }
        if buf.len() > MAX_HEADER_BYTES {
            return Err(Some(Response::text(
                431,
                &format!("the request headers exceed {MAX_HEADER_BYTES} bytes"),
            )));
        }
    };
    if end > MAX_HEADER_BYTES {
        return Err(Some(Response::text(
            431,
            &format!("the request headers exceed {MAX_HEADER_BYTES} bytes"),
        )));
    }
    let rest = buf.split_off(end + 4);
    let mut request = parse_head(buf.get(..end).unwrap_or_default())
        .ok_or_else(|| Some(Response::text(400, "malformed request")))?;
    request.rest = rest;
    check_host(&request)?;
    Ok(request)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `METHOD target HTTP/1.x` and `Name: value` lines; None if any line is not one of those.
fn parse_head(head: &[u8]) -> Option<Request> {
    let head = std::str::from_utf8(head).ok()?;
    let mut lines = head.split("\r\n");
    let mut parts = lines.next()?.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !version.starts_with("HTTP/1.") || !target.starts_with('/') {
        return None;
    }
    let headers = lines
        .map(|l| {
            let (name, value) = l.split_once(':')?;
            let is_token = !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic());
            is_token.then(|| (name.to_ascii_lowercase(), value.trim().to_string()))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Request {
        method: method.to_string(),
        target: target.to_string(),
        headers,
        rest: Vec::new(),
    })
}

/// A `Host` that a DNS-rebinding page cannot send: an IP address, `localhost` or a name under
/// `.localhost`, with or without a port. A rebinding page's requests carry its own domain name.
fn check_host(request: &Request) -> Result<(), Option<Response>> {
    match request.header("host") {
        Some(host) if is_local_authority(host) => Ok(()),
        Some(host) => Err(Some(Response::text(
            403,
            &format!(
                "tre serve chỉ trả lời yêu cầu gửi tới localhost hoặc một địa chỉ IP, không phải {host:?}.\n\
                 tre serve only answers requests for localhost or an IP address, not {host:?}."
            ),
        ))),
        None => Err(Some(Response::text(400, "the request has no Host header"))),
    }
}

/// The live-reload socket and the `/__tre/` pages answer only pages of this very server: a
/// browser's `Origin`, when it sends one, must name the host and port the request went to.
fn check_origin(request: &Request) -> Result<(), Response> {
    if !request.target.starts_with("/__tre") {
        return Ok(());
    }
    let Some(origin) = request.header("origin") else {
        return Ok(());
    };
    let authority = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    let host = request.header("host").unwrap_or_default();
    match authority {
        Some(a) if a.eq_ignore_ascii_case(host) => Ok(()),
        _ => Err(Response::text(
            403,
            &format!("tre serve: requests from {origin:?} may not use /__tre/"),
        )),
    }
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`, where host is an IP address or `localhost`.
fn is_local_authority(authority: &str) -> bool {
    let host = if let Some(v6) = authority.strip_prefix('[') {
        match v6.split_once(']') {
            Some((ip, port)) if port.is_empty() || is_port(port.strip_prefix(':')) => {
                return ip.parse::<Ipv6Addr>().is_ok();
            }
            _ => return false,
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) if is_port(Some(port)) => host,
            Some(_) => return false,
            None => authority,
        }
    };
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    host.parse::<Ipv4Addr>().is_ok() || host == "localhost" || host.ends_with(".localhost")
}

fn is_port(s: Option<&str>) -> bool {
    s.is_some_and(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ip_addresses_and_localhost_are_local() {
        for ok in [
            "127.0.0.1",
            "127.0.0.1:1111",
            "localhost",
            "LOCALHOST:8080",
            "tre.localhost:1111",
            "[::1]",
            "[::1]:1111",
            "192.168.1.5:1111",
            "localhost.",
        ] {
            assert!(is_local_authority(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "[::1",
            "[::1]x",
            "localhost:port",
            "",
        ] {
            assert!(!is_local_authority(bad), "{bad}");
        }
    }

    #[test]
    fn a_head_is_a_request_line_and_headers() {
        let r = parse_head(b"GET /a?b HTTP/1.1\r\nHost: x\r\nOrigin:  http://x ").unwrap();
        assert_eq!((r.method.as_str(), r.target.as_str()), ("GET", "/a?b"));
        assert_eq!(r.header("host"), Some("x"));
        assert_eq!(r.header("origin"), Some("http://x"));
        assert!(parse_head(b"GET / HTTP/1.1\r\nno colon").is_none());
        assert!(parse_head(b"GET http://x/ HTTP/1.1").is_none());
        assert!(parse_head(b"GET / SPDY/3").is_none());
    }
}
