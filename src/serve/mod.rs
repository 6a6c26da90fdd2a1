//! `tre serve`: builds the site in memory with `base_url` set to the local address, serves it
//! on loopback, watches the sources, rebuilds only what an edit affects, and tells browsers to
//! reload over a websocket. All its state lives in one `Server` value.

mod browser;
mod conn;
mod files;
mod http;
mod site;
mod stored;
mod texts;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::diag::Diagnostic;
use crate::{BuildOptions, Mode};

pub use files::Files;
pub use site::{FirstPass, Outcome, Site};
pub use stored::{Pack, Stored};

/// Where to listen, and whether to open a browser there once serving.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub interface: String,
    pub port: u16,
    pub open: bool,
}

/// What requests see: the last good output, and the problems of the last rebuild if it failed.
pub struct Build {
    pub files: Arc<Files>,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

/// The state of a running `tre serve`: the current build and the live-reload clients.
pub struct Server {
    root: PathBuf,
    build: RwLock<Arc<Build>>,
    /// Every stage of the last good build; the rebuild thread holds it while it patches it.
    site: Mutex<Option<Site>>,
    /// One sender per open websocket; a closed one is dropped at the next message.
    clients: Mutex<Vec<mpsc::Sender<String>>>,
    /// The HTML page served last: a rebuild renders it first.
    viewed: Mutex<VecDeque<String>>,
}

impl Server {
    /// How many recently served pages a rebuild renders first: the last one, the page the
    /// author looks at. More would put a home that was opened once, and whose lists are a big
    /// site's slowest pages, before the edited page.
    const VIEWED: usize = 1;

    /// Notes that the page at output path `name` was served.
    pub fn saw(&self, name: &str) {
        if !name.ends_with(".html") {
            return;
        }
        let mut viewed = self.viewed.lock().unwrap_or_else(PoisonError::into_inner);
        viewed.retain(|v| v != name);
        viewed.push_front(name.to_string());
        viewed.truncate(Self::VIEWED);
    }

    fn viewed(&self) -> Vec<String> {
        let viewed = self.viewed.lock().unwrap_or_else(PoisonError::into_inner);
        viewed.iter().cloned().collect()
    }

    /// The build a request should use; a rebuild swaps in a new one.
    pub fn current(&self) -> Arc<Build> {
        Arc::clone(&self.build.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn publish(&self, build: Build, message: Option<String>) {
        *self.build.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(build);
        if let Some(m) = message {
            self.clients
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .retain(|c| c.send(m.clone()).is_ok());
        }
    }

    fn subscribe(&self) -> Receiver<String> {
        let (tx, rx) = mpsc::channel();
        self.clients
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(tx);
        rx
    }
}

/// A running server; dropping it stops listening and watching.
pub struct Handle {
    listener: conn::Listener,
    server: Arc<Server>,
    /// Tells the rebuild thread, which owns the watcher, to stop.
    stop: mpsc::Sender<Event>,
    threads: Vec<JoinHandle<()>>,
}

impl Handle {
    pub fn addr(&self) -> SocketAddr {
        self.listener.addr()
    }

    pub fn server(&self) -> &Arc<Server> {
        &self.server
    }

    /// Serves until the process is stopped.
    pub fn wait(mut self) {
        for t in std::mem::take(&mut self.threads) {
            let _ = t.join();
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.listener.stop();
        let _ = self.stop.send(Event::Stop);
    }
}

/// What the rebuild thread waits for.
enum Event {
    Fs(notify::Result<notify::Event>),
    Stop,
}

/// The directories under the site root whose files are sources.
const SOURCE_DIRS: [&str; 6] = [
    "content",
    "templates",
    "locales",
    "static",
    "sass",
    "themes",
];

/// Quiet time that ends a burst of events: an editor's save is several events within a few
/// milliseconds (write, rename, attribute change).
const QUIET: Duration = Duration::from_millis(10);

/// How long no edit must come before serve tidies its output pack.
const IDLE: Duration = Duration::from_secs(2);

/// Binds, builds, starts watching and serving; returns at once.
pub fn start(
    root: &Path,
    opts: &BuildOptions,
    serve: &ServeOptions,
) -> Result<Handle, Vec<Diagnostic>> {
    let (listener, socket) = conn::Listener::bind(&serve.interface, serve.port).map_err(|e| {
        vec![
            Diagnostic::error(
                "config.toml",
                None,
                format!("cannot listen on {}:{}: {e}", serve.interface, serve.port),
            )
            .with_help("choose another port with --port"),
        ]
    })?;
    let addr = listener.addr();
    let opts = BuildOptions {
        base_url: Some(format!("http://{addr}")),
        mode: Mode::Serve,
        ..opts.clone()
    };
    // Watchers report absolute paths; a relative root would match none of them.
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let t = Instant::now();
    let first = Site::load(&root, &opts);
    match &first {
        Ok(site) => println!(
            "Built {} files in {:.0} ms",
            site.files().len(),
            site::millis(t)
        ),
        Err(errors) => eprint!("{}", crate::diag::render_all(errors)),
    }
    let server = Arc::new(Server {
        root: root.clone(),
        build: RwLock::new(Arc::new(match &first {
            Ok(site) => build_of(site, Vec::new()),
            Err(errors) => Build {
                files: Arc::default(),
                errors: errors.clone(),
                warnings: Vec::new(),
            },
        })),
        site: Mutex::new(first.ok()),
        clients: Mutex::default(),
        viewed: Mutex::default(),
    });
    let (tx, rx) = mpsc::channel();
    let stop = tx.clone();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = tx.send(Event::Fs(event));
    })
    .map_err(|e| vec![Diagnostic::error(&root, None, format!("cannot watch: {e}"))])?;
    watch(&mut watcher, &root)?;
    let mut threads = Vec::new();
    let s = Arc::clone(&server);
    threads.push(thread::spawn(move || rebuild_loop(&s, &opts, watcher, &rx)));
    threads.push(listener.spawn(socket, Arc::clone(&server)));
    Ok(Handle {
        listener,
        server,
        stop,
        threads,
    })
}

/// Builds once, then serves and rebuilds until the process is stopped.
pub fn run(root: &Path, opts: &BuildOptions, serve: &ServeOptions) -> Result<(), Vec<Diagnostic>> {
    let handle = start(root, opts, serve)?;
    let url = format!("http://{}/", handle.addr());
    println!("Serving at {url} (status at /__tre/)");
    if !handle.addr().ip().is_loopback() {
        eprintln!(
            "warning: bản xem thử mở cho các máy khác trong mạng tại {url}, không chỉ máy này\n\
             warning: the preview is open to other machines on the network at {url}, not only this one"
        );
    }
    if serve.open {
        browser::open(&url);
    }
    handle.wait();
    Ok(())
}

/// The site's source directories, recursively, and the root itself for `config.toml`. Watching
/// directories rather than files catches editors that save by writing a new file and renaming.
fn watch(watcher: &mut notify::RecommendedWatcher, root: &Path) -> Result<(), Vec<Diagnostic>> {
    let fail = |p: &Path, e: notify::Error| {
        vec![Diagnostic::error(
            crate::diag::relative(root, p),
            None,
            format!("cannot watch: {e}"),
        )]
    };
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| fail(root, e))?;
    for dir in SOURCE_DIRS {
        let d = root.join(dir);
        if d.is_dir() {
            watcher
                .watch(&d, RecursiveMode::Recursive)
                .map_err(|e| fail(&d, e))?;
        }
    }
    Ok(())
}

fn rebuild_loop(
    server: &Server,
    opts: &BuildOptions,
    mut watcher: notify::RecommendedWatcher,
    rx: &Receiver<Event>,
) {
    while let Some(first) = next_event(server, rx) {
        let mut paths: Vec<PathBuf> = Vec::new();
        let mut take = |e: notify::Result<notify::Event>| {
            if let Ok(e) = e
                && !e.kind.is_access()
            {
                paths.extend(e.paths);
            }
        };
        take(first);
        loop {
            match rx.recv_timeout(QUIET) {
                Ok(Event::Fs(e)) => take(e),
                Err(RecvTimeoutError::Timeout) => break,
                Ok(Event::Stop) | Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        // A source directory made after the start (a first static file, say) is watched too.
        for p in &paths {
            let is_source_dir = p.parent() == Some(server.root.as_path())
                && p.file_name()
                    .is_some_and(|n| SOURCE_DIRS.iter().any(|d| n == *d))
                && p.is_dir();
            if is_source_dir {
                let _ = watcher.watch(p, RecursiveMode::Recursive);
            }
        }
        paths.sort();
        paths.dedup();
        if paths.is_empty() {
            continue;
        }
        let t = Instant::now();
        let had_errors = !server.current().errors.is_empty();
        let mut site = server.site.lock().unwrap_or_else(PoisonError::into_inner);
        // The edited pages and those open lately are published as soon as they are rendered.
        let viewed = server.viewed();
        let mut publish = |files: &Arc<Files>, changed: &[String]| {
            if had_errors || changed.is_empty() {
                return;
            }
            let warnings = server.current().warnings.clone();
            let build = Build {
                files: Arc::clone(files),
                errors: Vec::new(),
                warnings,
            };
            server.publish(build, Some(r#"{"kind":"reload"}"#.to_string()));
        };
        let result = match site.as_mut() {
            Some(s) => s.apply_in_passes(
                &paths,
                &mut site::FirstPass {
                    viewed: &viewed,
                    publish: &mut publish,
                },
            ),
            None => Site::load(&server.root, opts).map(|s| {
                *site = Some(s);
                Outcome {
                    was_full: true,
                    changed: vec!["index.html".into()],
                    ..Outcome::default()
                }
            }),
        };
        match result {
            Ok(outcome) => {
                let Some(s) = site.as_ref() else { continue };
                if outcome.changed.is_empty() && !had_errors {
                    continue;
                }
                let mut stages: Vec<String> = outcome
                    .timings
                    .iter()
                    .map(|(name, d)| format!("{name} {:.1}", d.as_secs_f64() * 1000.0))
                    .collect();
                if opts.verbose {
                    stages.extend(outcome.job_times.iter().map(|(kind, d)| {
                        format!("{kind} {:.1} (thread time)", d.as_secs_f64() * 1000.0)
                    }));
                }
                println!(
                    "Rebuilt {} files ({} targets{}) in {:.1} ms [{}]",
                    outcome.changed.len(),
                    outcome.targets,
                    if outcome.was_full { ", full" } else { "" },
                    site::millis(t),
                    stages.join(", ")
                );
                let only_css = !had_errors && outcome.changed.iter().all(|p| p.ends_with(".css"));
                let message = if only_css {
                    r#"{"kind":"css"}"#
                } else {
                    r#"{"kind":"reload"}"#
                };
                server.publish(build_of(s, Vec::new()), Some(message.to_string()));
            }
            Err(errors) => {
                eprint!("{}", crate::diag::render_all(&errors));
                let old = server.current();
                let message = serde_json::json!({"kind": "errors", "html": http::overlay(&errors)});
                server.publish(
                    Build {
                        files: Arc::clone(&old.files),
                        errors,
                        warnings: old.warnings.clone(),
                    },
                    Some(message.to_string()),
                );
            }
        }
    }
}

/// The next file event. While none comes for a moment, serve writes its output afresh if most
/// of its pack is stale, rather than making an edit wait for that; at once if the pack has
/// grown far past its output.
fn next_event(server: &Server, rx: &Receiver<Event>) -> Option<notify::Result<notify::Event>> {
    {
        let mut site = server.site.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(site) = site.as_mut().filter(|s| s.is_pack_overgrown()) {
            site.compact_pack();
        }
    }
    let is_stale = |server: &Server| {
        let site = server.site.lock().unwrap_or_else(PoisonError::into_inner);
        site.as_ref().is_some_and(Site::is_pack_stale)
    };
    if is_stale(server) {
        match rx.recv_timeout(IDLE) {
            Ok(Event::Fs(e)) => return Some(e),
            Ok(Event::Stop) | Err(RecvTimeoutError::Disconnected) => return None,
            Err(RecvTimeoutError::Timeout) => {
                let mut site = server.site.lock().unwrap_or_else(PoisonError::into_inner);
                if let Some(site) = site.as_mut() {
                    site.compact_pack();
                }
            }
        }
    }
    match rx.recv() {
        Ok(Event::Fs(e)) => Some(e),
        Ok(Event::Stop) | Err(_) => None,
    }
}

fn build_of(site: &Site, errors: Vec<Diagnostic>) -> Build {
    Build {
        files: Arc::clone(site.files()),
        errors,
        warnings: site.warnings().to_vec(),
    }
}
