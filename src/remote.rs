//! Remote data for `load_data(url=…)`: one HTTP(S) request per URL, method and body, with a
//! timeout, kept in `.tre-cache/load_data/` so that later builds, and `--offline` ones, ask
//! nothing of the network. It knows nothing of templates: `render::load_data` words its errors.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use sha2::Digest;

/// How long a server may take to answer before `load_data` gives up, unless config says.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The largest response Tre keeps: a data file, not a download.
const MAX_BODY: u64 = 32 * 1024 * 1024;

/// Where fetched bodies are kept between builds: outside the output, ignored by git.
pub fn cache_dir(root: &Path) -> PathBuf {
    root.join(".tre-cache").join("load_data")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    /// `GET` or `POST`, in any case, as Zola accepts them.
    pub fn parse(s: &str) -> Option<Method> {
        match s.to_ascii_uppercase().as_str() {
            "GET" => Some(Method::Get),
            "POST" => Some(Method::Post),
            _ => None,
        }
    }
}

/// One request as a template asks for it.
#[derive(Debug, Clone)]
pub struct Request {
    pub url: String,
    pub method: Method,
    pub body: Option<String>,
    pub content_type: Option<String>,
    /// Added to the client's own headers, in order; a name may repeat.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// The cache entry's name: a hash of what decides the answer. Headers are left out on
    /// purpose: they carry tokens that differ between machines (`get_env`), and an
    /// `--offline` build without the token must still find the entry.
    fn key(&self) -> String {
        let mut h = sha2::Sha256::new();
        for part in [
            format!("{:?}", self.method).as_str(),
            self.url.as_str(),
            self.content_type.as_deref().unwrap_or(""),
            self.body.as_deref().unwrap_or(""),
        ] {
            h.update(part.len().to_le_bytes());
            h.update(part.as_bytes());
        }
        h.finalize()
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// Why a request gave no body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// `--offline`, and no earlier build kept this request's answer.
    NotCached,
    /// The server answered with a status that is not a success.
    Status(u16),
    /// No answer within the timeout.
    TimedOut(Duration),
    /// No connection, no such host, a TLS failure or a broken answer.
    Unreachable(String),
    /// The URL is not an HTTP(S) URL Tre can request.
    BadUrl(String),
    /// The answer came but could not be kept in the cache.
    Cache(String),
}

impl FetchError {
    /// Whether the data is simply missing, so `required=false` gives null (as in Zola: an
    /// HTTP error or an unreachable server), rather than a fault in the site.
    pub fn is_missing(&self) -> bool {
        matches!(
            self,
            FetchError::NotCached
                | FetchError::Status(_)
                | FetchError::TimedOut(_)
                | FetchError::Unreachable(_)
        )
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::NotCached => write!(f, "not in the cache, and --offline forbids requests"),
            FetchError::Status(code) => write!(f, "the server answered HTTP {code}"),
            FetchError::TimedOut(t) => write!(f, "no answer within {} s", t.as_secs_f64()),
            FetchError::Unreachable(cause) => write!(f, "{cause}"),
            FetchError::BadUrl(cause) => write!(f, "{cause}"),
            FetchError::Cache(cause) => write!(f, "{cause}"),
        }
    }
}

type Answer = Result<Arc<[u8]>, FetchError>;

/// The requests of one render pass. Each distinct request is made at most once per pass,
/// however many pages and threads ask for it at the same time; its answer comes from the disk
/// cache when an earlier build kept it.
pub struct Remote {
    dir: PathBuf,
    timeout: Duration,
    is_offline: bool,
    agent: OnceLock<ureq::Agent>,
    answers: Mutex<HashMap<String, Arc<OnceLock<Answer>>>>,
}

impl Remote {
    pub fn new(root: &Path, timeout: Duration, is_offline: bool) -> Self {
        Remote {
            dir: cache_dir(root),
            timeout,
            is_offline,
            agent: OnceLock::new(),
            answers: Mutex::new(HashMap::new()),
        }
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    pub fn is_offline(&self) -> bool {
        self.is_offline
    }

    /// The body of the answer to `req`: from the disk cache, or from the network (then kept).
    pub fn fetch(&self, req: &Request) -> Answer {
        let key = req.key();
        let slot = match self.answers.lock() {
            Ok(mut answers) => Arc::clone(answers.entry(key.clone()).or_default()),
            Err(_) => Arc::new(OnceLock::new()),
        };
        slot.get_or_init(|| self.fetch_uncached(&key, req)).clone()
    }

    fn fetch_uncached(&self, key: &str, req: &Request) -> Answer {
        let entry = self.dir.join(key);
        if let Ok(bytes) = fs::read(&entry) {
            touch(&entry);
            return Ok(bytes.into());
        }
        if self.is_offline {
            return Err(FetchError::NotCached);
        }
        let bytes = self.request(req)?;
        let cache_err = |e: io::Error| {
            FetchError::Cache(format!(
                "cannot write the cache {}: {e}",
                self.dir.display()
            ))
        };
        fs::create_dir_all(&self.dir).map_err(cache_err)?;
        // Written aside and renamed, so a killed build never leaves half an answer behind.
        let tmp = entry.with_extension(format!("tmp{}", std::process::id()));
        fs::write(&tmp, &bytes).map_err(cache_err)?;
        fs::rename(&tmp, &entry).map_err(cache_err)?;
        Ok(bytes.into())
    }

    fn request(&self, req: &Request) -> Result<Vec<u8>, FetchError> {
        let url = req.url.as_str();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(FetchError::BadUrl(
                "only http:// and https:// URLs can be loaded".into(),
            ));
        }
        let agent = self.agent.get_or_init(|| {
            ureq::Agent::config_builder()
                .timeout_global(Some(self.timeout))
                .http_status_as_error(false)
                .user_agent(concat!("tre/", env!("CARGO_PKG_VERSION")))
                .build()
                .into()
        });
        let response = match req.method {
            Method::Get => {
                let mut r = agent.get(url);
                for (name, value) in &req.headers {
                    r = r.header(name.as_str(), value.as_str());
                }
                r.call()
            }
            Method::Post => {
                let mut r = agent.post(url);
                if let Some(ct) = &req.content_type {
                    r = r.header("content-type", ct.as_str());
                }
                for (name, value) in &req.headers {
                    r = r.header(name.as_str(), value.as_str());
                }
                r.send(req.body.as_deref().unwrap_or("").as_bytes())
            }
        };
        let mut response = response.map_err(|e| self.describe(e))?;
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            return Err(FetchError::Status(status));
        }
        response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(|e| self.describe(e))
    }

    fn describe(&self, e: ureq::Error) -> FetchError {
        match e {
            ureq::Error::Timeout(_) => FetchError::TimedOut(self.timeout),
            ureq::Error::Io(io) if io.kind() == io::ErrorKind::TimedOut => {
                FetchError::TimedOut(self.timeout)
            }
            ureq::Error::BadUri(u) => FetchError::BadUrl(format!("invalid URL: {u}")),
            ureq::Error::Http(h) => FetchError::BadUrl(format!("invalid request: {h}")),
            ureq::Error::StatusCode(code) => FetchError::Status(code),
            ureq::Error::HostNotFound => FetchError::Unreachable("no such host".into()),
            ureq::Error::ConnectionFailed => {
                FetchError::Unreachable("the connection failed".into())
            }
            ureq::Error::BodyExceedsLimit(n) => FetchError::Unreachable(format!(
                "the answer is larger than {} MiB",
                n / (1024 * 1024)
            )),
            other => FetchError::Unreachable(other.to_string()),
        }
    }
}

/// Marks a cache entry as used now, so `clean_cache` after this build keeps it.
fn touch(entry: &Path) {
    if let Ok(f) = fs::File::options().write(true).open(entry) {
        let _ = f.set_modified(SystemTime::now());
    }
}

/// Deletes the cache entries that no request of the build begun at `started` used (each use
/// touches its entry). A second of slack covers file systems with coarse times.
pub fn clean_cache(root: &Path, started: SystemTime) {
    let Some(cutoff) = started.checked_sub(Duration::from_secs(1)) else {
        return;
    };
    let Ok(entries) = fs::read_dir(cache_dir(root)) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let is_stale = e
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t < cutoff);
        if is_stale {
            let _ = fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(url: &str) -> Request {
        Request {
            url: url.into(),
            method: Method::Get,
            body: None,
            content_type: None,
            headers: Vec::new(),
        }
    }

    #[test]
    fn the_key_tells_method_url_and_body_apart_but_not_headers() {
        let a = get("https://example.gov.vn/a.json");
        let mut post = a.clone();
        post.method = Method::Post;
        let mut with_body = post.clone();
        with_body.body = Some("{}".into());
        let mut with_token = a.clone();
        with_token
            .headers
            .push(("authorization".into(), "Bearer x".into()));
        assert_ne!(a.key(), post.key());
        assert_ne!(post.key(), with_body.key());
        assert_ne!(a.key(), get("https://example.gov.vn/b.json").key());
        assert_eq!(a.key(), with_token.key());
    }

    #[test]
    fn offline_without_an_entry_is_not_cached() {
        let dir = tempfile::tempdir().unwrap();
        let remote = Remote::new(dir.path(), DEFAULT_TIMEOUT, true);
        let got = remote.fetch(&get("http://127.0.0.1:9/data.json"));
        assert_eq!(got.unwrap_err(), FetchError::NotCached);
    }

    #[test]
    fn methods_parse_in_any_case() {
        assert_eq!(Method::parse("post"), Some(Method::Post));
        assert_eq!(Method::parse("GET"), Some(Method::Get));
        assert_eq!(Method::parse("PUT"), None);
    }
}
