//! Answers one HTTP request from the in-memory build: site files with their MIME type, the
//! 404 page, the live-reload websocket and script, and the `/__tre/` status pages. HTML pages
//! get the live-reload script, and the error overlay while the last rebuild has failed.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::ErrorKind;
use std::net::TcpStream;
use std::path::{Component, Path};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use tungstenite::protocol::Role;

use super::conn::Request;
use super::{Build, Server};
use crate::diag::Diagnostic;

const LIVERELOAD: &str = "/__tre/livereload";

/// Reloads on `reload`, swaps stylesheets on `css`, shows the overlay on `errors`.
const SCRIPT: &str = r#"(() => {
  const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__tre/livereload";
  function overlay(html) {
    let o = document.getElementById("__tre_overlay");
    if (!o) { o = document.createElement("div"); document.body.appendChild(o); }
    o.outerHTML = html;
  }
  function connect() {
    const ws = new WebSocket(url);
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      if (m.kind === "css") {
        for (const l of document.querySelectorAll('link[rel="stylesheet"]')) {
          const u = new URL(l.href);
          u.searchParams.set("__tre", Date.now());
          l.href = u.href;
        }
      } else if (m.kind === "errors") {
        overlay(m.html);
      } else {
        location.reload();
      }
    };
    ws.onclose = () => setTimeout(connect, 1000);
  }
  connect();
})();
"#;

/// What a request gets: a response, or the websocket handshake, which `conn` completes.
pub enum Reply {
    Response(Response),
    Upgrade { key: String },
}

/// A response with its body in memory; written with `Content-Length` and `Connection: close`.
pub struct Response {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
}

impl Response {
    pub fn text(status: u16, s: &str) -> Self {
        body(status, "text/plain; charset=utf-8", s.as_bytes().to_vec())
    }

    /// The status line, headers and (but for HEAD) the body, as sent.
    pub fn to_bytes(&self, is_head: bool) -> Vec<u8> {
        let reason = match self.status {
            200 => "OK",
            400 => "Bad Request",
            403 => "Forbidden",
            404 => "Not Found",
            405 => "Method Not Allowed",
            408 => "Request Timeout",
            431 => "Request Header Fields Too Large",
            503 => "Service Unavailable",
            _ => "",
        };
        let mut out = format!(
            "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
            self.status,
            self.content_type,
            self.body.len()
        )
        .into_bytes();
        if !is_head {
            out.extend_from_slice(&self.body);
        }
        out
    }
}

pub fn respond(request: &Request, server: &Arc<Server>) -> Reply {
    let path = request.target.split(['?', '#']).next().unwrap_or("/");
    if request.method != "GET" && request.method != "HEAD" {
        return Reply::Response(text(405, "text/plain; charset=utf-8", "method not allowed"));
    }
    let build = server.current();
    Reply::Response(match path {
        LIVERELOAD => match request.header("sec-websocket-key") {
            Some(key) => {
                return Reply::Upgrade {
                    key: key.to_string(),
                };
            }
            None => text(400, "text/plain; charset=utf-8", "websocket only"),
        },
        "/__tre/livereload.js" => text(200, "text/javascript; charset=utf-8", SCRIPT),
        "/__tre" | "/__tre/" => text(200, HTML, &status_page(&build)),
        "/__tre/i18n" => match status(server) {
            Some(Ok(s)) => text(200, HTML, &crate::i18n::render_html(&s)),
            Some(Err(errors)) => {
                let page = format!(
                    "<!doctype html><meta charset=\"utf-8\"><title>tre</title><pre>{}</pre>",
                    escape(&crate::diag::render_all(&errors))
                );
                text(500, HTML, &page)
            }
            None => text(
                404,
                HTML,
                "no translation status: the site has not built yet",
            ),
        },
        _ => match lookup(&build, &crate::text::percent_decode(path)) {
            Some((name, bytes)) => {
                server.saw(name);
                body(200, mime(name), page_bytes(&build, name, &bytes))
            }
            None => {
                let page = build.files.get("404.html").map(|b| b.bytes());
                let page = page.as_deref().unwrap_or(b"not found");
                body(404, HTML, page_bytes(&build, "404.html", page))
            }
        },
    })
}

const HTML: &str = "text/html; charset=utf-8";

fn body(status: u16, mime: &'static str, bytes: Vec<u8>) -> Response {
    Response {
        status,
        content_type: mime,
        body: bytes,
    }
}

fn text(status: u16, mime: &'static str, s: &str) -> Response {
    body(status, mime, s.as_bytes().to_vec())
}

/// The output file a URL path names; never anything outside the site.
fn lookup<'a>(build: &'a Build, url_path: &str) -> Option<(&'a str, Cow<'a, [u8]>)> {
    let rel = url_path.trim_start_matches('/');
    if Path::new(rel)
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
        || rel.contains('\\')
    {
        return None;
    }
    let candidates = if rel.is_empty() || rel.ends_with('/') {
        vec![format!("{rel}index.html")]
    } else {
        vec![rel.to_string(), format!("{rel}/index.html")]
    };
    candidates
        .into_iter()
        .find_map(|c| build.files.get_key_value(c.as_str()))
        .map(|(k, v)| (k, v.bytes()))
}

/// HTML pages get the live-reload script before `</body>`, and the overlay after a failed build.
fn page_bytes(build: &Build, name: &str, bytes: &[u8]) -> Vec<u8> {
    if !name.ends_with(".html") {
        return bytes.to_vec();
    }
    let mut inject = String::new();
    if !build.errors.is_empty() {
        inject.push_str(&overlay(&build.errors));
    }
    inject.push_str(r#"<script src="/__tre/livereload.js"></script>"#);
    let html = String::from_utf8_lossy(bytes);
    let at = html.rfind("</body>").unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + inject.len());
    out.push_str(&html[..at]);
    out.push_str(&inject);
    out.push_str(&html[at..]);
    out.into_bytes()
}

/// The error overlay: one line per problem, `file:line:col: error: message`.
pub fn overlay(errors: &[Diagnostic]) -> String {
    format!(
        "<div id=\"__tre_overlay\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;\
         background:rgba(20,20,20,.94);color:#f3f3f3;font:14px/1.5 monospace;padding:2rem\">\
         <h2 style=\"color:#ff8a80;margin-top:0\">tre: the last rebuild failed; this is the last good page</h2>\
         <pre style=\"white-space:pre-wrap\">{}</pre></div>",
        escape(&crate::diag::render_all(errors))
    )
}

fn status_page(build: &Build) -> String {
    let mut s = String::from(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>tre serve status</title>\
         <body style=\"font:15px/1.5 system-ui;max-width:60rem;margin:2rem auto\"><h1>tre serve</h1>",
    );
    let _ = write!(
        s,
        "<p>{} files: {} MB in memory, {} MB compressed in a file beside the site. <a href=\"/__tre/i18n\">Translation status</a></p>",
        build.files.len(),
        build.files.held_bytes() / 1_000_000,
        build.files.packed_bytes() / 1_000_000
    );
    for (title, list) in [("Errors", &build.errors), ("Warnings", &build.warnings)] {
        let _ = write!(s, "<h2>{title} ({})</h2>", list.len());
        if !list.is_empty() {
            let _ = write!(s, "<pre>{}</pre>", escape(&crate::diag::render_all(list)));
        }
    }
    s.push_str("<script src=\"/__tre/livereload.js\"></script></body></html>");
    s
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Forwards every reload message to a live-reload websocket whose handshake `conn` has
/// answered, until the browser closes it. Reads in short slices between messages, so a
/// closed tab ends the thread without waiting for the next rebuild.
pub fn livereload(stream: TcpStream, rest: Vec<u8>, server: &Server) {
    if stream
        .set_read_timeout(Some(Duration::from_millis(5)))
        .is_err()
    {
        return;
    }
    let mut ws = tungstenite::WebSocket::from_partially_read(stream, rest, Role::Server, None);
    let messages = server.subscribe();
    loop {
        match messages.recv_timeout(Duration::from_millis(250)) {
            Ok(m) => {
                if ws.send(tungstenite::Message::text(m)).is_err() {
                    return;
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        match ws.read() {
            Ok(_) => {}
            Err(tungstenite::Error::Io(e))
                if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return,
        }
    }
}

fn mime(path: &str) -> &'static str {
    match path.rsplit_once('.').map_or("", |(_, e)| e) {
        "html" => HTML,
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// The translation status of the served build; none before a first build succeeded. Waits
/// for a rebuild under way, whose site it then describes.
fn status(server: &Server) -> Option<Result<Arc<crate::i18n::Status>, Vec<Diagnostic>>> {
    let mut site = server.site.lock().unwrap_or_else(PoisonError::into_inner);
    site.as_mut().map(super::Site::i18n_status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(names: &[&str]) -> Build {
        Build {
            files: Arc::new(
                names
                    .iter()
                    .map(|n| (n.to_string(), super::super::Stored::pack(b"x".to_vec())))
                    .collect(),
            ),
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn paths_cannot_leave_the_site() {
        let b = build(&["index.html", "en/index.html"]);
        assert_eq!(lookup(&b, "/").map(|f| f.0), Some("index.html"));
        assert_eq!(lookup(&b, "/en").map(|f| f.0), Some("en/index.html"));
        assert!(lookup(&b, "/../index.html").is_none());
        assert!(lookup(&b, "/en/../index.html").is_none());
    }

    #[test]
    fn the_script_goes_before_the_body_end() {
        let b = build(&[]);
        let out = page_bytes(&b, "a.html", b"<body>hi</body></html>");
        let out = String::from_utf8(out).unwrap();
        assert!(out.starts_with("<body>hi<script src=\"/__tre/livereload.js\"></script></body>"));
    }
}
