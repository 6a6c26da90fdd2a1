//! Answers one HTTP request from the in-memory build: site files with their MIME type, the
//! 404 page, the live-reload websocket and script, and the `/__tre/` status pages. HTML pages
//! get the live-reload script, and the error overlay while the last rebuild has failed.

use std::fmt::Write as _;
use std::path::{Component, Path};
use std::sync::{Arc, PoisonError};

use tiny_http::{Header, Request, Response, StatusCode};
use tungstenite::protocol::Role;

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

pub fn respond(request: Request, server: &Arc<Server>) {
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("/").to_string();
    let is_head = *request.method() == tiny_http::Method::Head;
    if *request.method() != tiny_http::Method::Get && !is_head {
        let _ = request.respond(text(405, "text/plain; charset=utf-8", "method not allowed"));
        return;
    }
    let build = server.current();
    let response = match path.as_str() {
        LIVERELOAD => return upgrade(request, server),
        "/__tre/livereload.js" => text(200, "text/javascript; charset=utf-8", SCRIPT),
        "/__tre" | "/__tre/" => text(200, HTML, &status_page(&build)),
        "/__tre/i18n" => match status(server) {
            Some(s) => text(200, HTML, &crate::i18n::render_html(&s)),
            None => text(
                404,
                HTML,
                "no translation status: the site has not built yet",
            ),
        },
        _ => match lookup(&build, &crate::text::percent_decode(&path)) {
            Some((name, bytes)) => body(200, mime(name), page_bytes(&build, name, bytes)),
            None => {
                let page = build
                    .files
                    .get("404.html")
                    .map_or(&b"not found"[..], |b| &b[..]);
                body(404, HTML, page_bytes(&build, "404.html", page))
            }
        },
    };
    let _ = if is_head {
        request.respond(Response::empty(response.status_code()))
    } else {
        request.respond(response)
    };
}

const HTML: &str = "text/html; charset=utf-8";

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn body(status: u16, mime: &str, bytes: Vec<u8>) -> Response<std::io::Cursor<Vec<u8>>> {
    let mut r = Response::from_data(bytes).with_status_code(StatusCode(status));
    for h in [
        header("Content-Type", mime),
        header("Cache-Control", "no-store"),
        header("X-Content-Type-Options", "nosniff"),
    ]
    .into_iter()
    .flatten()
    {
        r.add_header(h);
    }
    r
}

fn text(status: u16, mime: &str, s: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    body(status, mime, s.as_bytes().to_vec())
}

/// The output file a URL path names; never anything outside the site.
fn lookup<'a>(build: &'a Build, url_path: &str) -> Option<(&'a str, &'a [u8])> {
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
        .map(|(k, v)| (k, &v[..]))
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
        "<p>{} files in memory. <a href=\"/__tre/i18n\">Translation status</a></p>",
        build.files.len()
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

/// Answers the websocket handshake and forwards every reload message until the socket closes.
fn upgrade(request: Request, server: &Arc<Server>) {
    let key = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Sec-WebSocket-Key"))
        .map(|h| h.value.as_str().to_string());
    let Some(key) = key else {
        let _ = request.respond(text(400, "text/plain; charset=utf-8", "websocket only"));
        return;
    };
    let accept = tungstenite::handshake::derive_accept_key(key.as_bytes());
    let mut response = Response::empty(StatusCode(101));
    for h in [
        header("Upgrade", "websocket"),
        header("Connection", "Upgrade"),
        header("Sec-WebSocket-Accept", &accept),
    ]
    .into_iter()
    .flatten()
    {
        response.add_header(h);
    }
    let stream = request.upgrade("websocket", response);
    let mut ws = tungstenite::WebSocket::from_raw_socket(stream, Role::Server, None);
    let messages = server.subscribe();
    for m in messages {
        if ws.send(tungstenite::Message::text(m)).is_err() {
            break;
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
fn status(server: &Server) -> Option<Arc<crate::i18n::Status>> {
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
                    .map(|n| (n.to_string(), Arc::from(&b"x"[..])))
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
