//! `tre serve`: builds the site with `base_url` set to the local address and serves the
//! output directory over HTTP on loopback. Watching and live reload are issue 5.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::thread;

use crate::diag::Diagnostic;
use crate::{BuildOptions, Mode};

/// Where to listen.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub interface: String,
    pub port: u16,
}

/// Builds once, then serves until the process is stopped.
pub fn run(root: &Path, opts: &BuildOptions, serve: &ServeOptions) -> Result<(), Vec<Diagnostic>> {
    let listener = TcpListener::bind((serve.interface.as_str(), serve.port)).map_err(|e| {
        vec![
            Diagnostic::error(
                "config.toml",
                None,
                format!("cannot listen on {}:{}: {e}", serve.interface, serve.port),
            )
            .with_help("choose another port with --port"),
        ]
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| vec![Diagnostic::error("config.toml", None, e.to_string())])?;
    let opts = BuildOptions {
        base_url: Some(format!("http://{addr}")),
        mode: Mode::Serve,
        ..opts.clone()
    };
    let report = crate::build(root, &opts)?;
    let config = crate::config::load(root, &opts)?;
    println!(
        "Built {} pages; serving {} at http://{addr}/",
        report.pages,
        config.output_dir.display()
    );
    let dir = config.output_dir;
    for stream in listener.incoming().flatten() {
        let dir = dir.clone();
        thread::spawn(move || {
            let _ = respond(stream, &dir);
        });
    }
    Ok(())
}

fn respond(mut stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    if method != "GET" && method != "HEAD" {
        return write_response(
            &mut stream,
            405,
            "text/plain; charset=utf-8",
            b"method not allowed",
            method == "HEAD",
        );
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    match resolve(dir, &percent_decode(path)) {
        Some(file) => {
            let body = fs::read(&file)?;
            write_response(&mut stream, 200, mime(&file), &body, method == "HEAD")
        }
        None => {
            let body = fs::read(dir.join("404.html")).unwrap_or_else(|_| b"not found".to_vec());
            write_response(
                &mut stream,
                404,
                "text/html; charset=utf-8",
                &body,
                method == "HEAD",
            )
        }
    }
}

/// The file a URL path names inside `dir`; never anything outside it.
fn resolve(dir: &Path, url_path: &str) -> Option<PathBuf> {
    let rel = Path::new(url_path.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let p = dir.join(rel);
    if p.is_dir() {
        let index = p.join("index.html");
        return index.is_file().then_some(index);
    }
    p.is_file().then_some(p)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
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
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

fn write_response(
    stream: &mut TcpStream,
    status: u16,
    mime: &str,
    body: &[u8],
    head: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Method Not Allowed",
    };
    write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if !head {
        stream.write_all(body)?;
    }
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_site() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("index.html"), "x").unwrap();
        assert!(resolve(dir.path(), "/").is_some());
        assert!(resolve(dir.path(), "/../etc/passwd").is_none());
        assert_eq!(percent_decode("/l%E1%BB%85"), "/lễ");
    }
}
