//! `tre serve --open`: asks the desktop to open the served URL in the default browser. Not
//! being able to is a warning; the server runs on either way.

use std::process::{Command, Stdio};
use std::thread;

/// The program that opens a URL on this platform, and its arguments before the URL.
fn opener() -> (&'static str, &'static [&'static str]) {
    if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        // `start` is a cmd built-in; its first quoted argument is a window title.
        ("cmd", &["/C", "start", ""])
    } else {
        ("xdg-open", &[])
    }
}

/// Opens `url` in the background; prints a warning if that fails.
pub fn open(url: &str) {
    let (program, args) = opener();
    let url = url.to_string();
    thread::spawn(move || {
        if let Err(why) = run(program, args, &url) {
            eprintln!("warning: cannot open a browser at {url}: {why}");
        }
    });
}

/// Runs `program args… url` and waits for it, so a failure can be reported.
fn run(program: &str, args: &[&str], url: &str) -> Result<(), String> {
    let status = Command::new(program)
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("{program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{program} exited with {status}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_opener_is_an_error_not_a_panic() {
        let e = run("tre-no-such-program", &[], "http://127.0.0.1:1/").unwrap_err();
        assert!(e.starts_with("tre-no-such-program: "), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_failing_opener_is_reported() {
        let e = run("false", &[], "http://127.0.0.1:1/").unwrap_err();
        assert!(e.contains("exited with"), "{e}");
        assert!(run("true", &[], "http://127.0.0.1:1/").is_ok());
    }
}
