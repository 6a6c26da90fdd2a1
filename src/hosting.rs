//! What government hosting needs beside the pages: a Content-Security-Policy computed from the
//! inline scripts and styles the output really has (in each page's `<meta>` and in the server
//! headers), the monitoring script slot, and ready nginx, Apache, IIS and `_headers`
//! configurations. Works on rendered files in memory; writes nothing itself.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::{LazyLock, Mutex};

use base64::Engine;
use regex::Regex;
use sha2::{Digest, Sha256};

use crate::config::{Config, Hosting};
use crate::output::{Contents, OutputFile};

/// Inline code found in the output, as CSP hash sources (`'sha256-…'`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct InlineSources {
    pub scripts: BTreeSet<String>,
    pub styles: BTreeSet<String>,
    /// Hashes of `style="…"` attributes, which need `'unsafe-hashes'`.
    pub style_attrs: BTreeSet<String>,
}

impl InlineSources {
    fn extend(&mut self, other: InlineSources) {
        self.scripts.extend(other.scripts);
        self.styles.extend(other.styles);
        self.style_attrs.extend(other.style_attrs);
    }
}

static SCRIPT: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used, reason = "a constant pattern")]
    Regex::new(r"(?is)<script\b([^>]*)>(.*?)</script\s*>").expect("script pattern")
});
static STYLE: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used, reason = "a constant pattern")]
    Regex::new(r"(?is)<style\b[^>]*>(.*?)</style\s*>").expect("style pattern")
});
static STYLE_ATTR: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used, reason = "a constant pattern")]
    Regex::new(r#"(?i)<[a-z][^>]*?\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')"#).expect("style attr")
});
static SRC_ATTR: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used, reason = "a constant pattern")]
    Regex::new(r"(?i)(?:^|\s)src\s*=").expect("src attr")
});
static TYPE_ATTR: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used, reason = "a constant pattern")]
    Regex::new(r#"(?i)(?:^|\s)type\s*=\s*["']?([^"'\s>]*)"#).expect("type attr")
});
static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used, reason = "a constant pattern")]
    Regex::new(r"(?i)<meta\s+charset\s*=[^>]*>").expect("meta charset")
});
static HEAD: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used, reason = "a constant pattern")]
    Regex::new(r"(?i)<head(\s[^>]*)?>").expect("head")
});

fn hash_source(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Whether a `<script type>` runs (CSP covers it) rather than holding data such as JSON-LD.
fn is_executable(attrs: &str) -> bool {
    TYPE_ATTR.captures(attrs).is_none_or(|c| {
        let t = c.get(1).map_or("", |m| m.as_str()).to_ascii_lowercase();
        matches!(
            t.as_str(),
            "" | "module" | "text/javascript" | "application/javascript" | "text/ecmascript"
        )
    })
}

/// The inline scripts, styles and style attributes of one page, hashed as browsers hash them
/// (the element's text as written; an attribute's value after character references).
pub fn inline_sources(html: &str) -> InlineSources {
    let mut found = InlineSources::default();
    for c in SCRIPT.captures_iter(html) {
        let attrs = c.get(1).map_or("", |m| m.as_str());
        let body = c.get(2).map_or("", |m| m.as_str());
        if !SRC_ATTR.is_match(attrs) && is_executable(attrs) {
            found.scripts.insert(hash_source(body));
        }
    }
    for c in STYLE.captures_iter(html) {
        found
            .styles
            .insert(hash_source(c.get(1).map_or("", |m| m.as_str())));
    }
    for c in STYLE_ATTR.captures_iter(html) {
        let value = c.get(1).or(c.get(2)).map_or("", |m| m.as_str());
        found.style_attrs.insert(hash_source(&unescape(value)));
    }
    found
}

/// HTML character references in an attribute value, as the parser decodes them.
fn unescape(v: &str) -> String {
    if !v.contains('&') {
        return v.to_string();
    }
    let mut out = String::with_capacity(v.len());
    let mut rest = v;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "nbsp" => Some('\u{a0}'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The policy for `inline`. `own` is the origin of `base_url`, allowed beside `'self'` so
/// that the pages' absolute URLs still load when a copy is served elsewhere (a preview, the
/// audit). `for_meta` leaves out `frame-ancestors`, which browsers ignore (and complain
/// about) in a `<meta>`.
pub fn render_csp(
    hosting: &Hosting,
    own: Option<&str>,
    inline: &InlineSources,
    for_meta: bool,
) -> String {
    let monitor = hosting.monitoring.as_ref().map(|m| m.origin.as_str());
    let this = match own {
        Some(o) => format!("'self' {o}"),
        None => "'self'".to_string(),
    };
    let mut script = vec![this.clone()];
    script.extend(inline.scripts.iter().cloned());
    script.extend(monitor.map(str::to_string));
    let mut style = vec![this.clone()];
    style.extend(inline.styles.iter().cloned());
    if !inline.style_attrs.is_empty() {
        style.push("'unsafe-hashes'".into());
        style.extend(inline.style_attrs.iter().cloned());
    }
    let mut connect = vec![this.clone()];
    connect.extend(monitor.map(str::to_string));
    let mut img = vec![this.clone(), "data:".to_string()];
    img.extend(monitor.map(str::to_string));
    let mut policy = vec![
        format!("default-src {this}"),
        format!("script-src {}", script.join(" ")),
        format!("style-src {}", style.join(" ")),
        format!("img-src {}", img.join(" ")),
        format!("font-src {this}"),
        format!("connect-src {}", connect.join(" ")),
        "object-src 'none'".to_string(),
        "base-uri 'self'".to_string(),
        format!("form-action {this}"),
    ];
    if !for_meta {
        policy.push(format!(
            "frame-ancestors {}",
            hosting.frame_ancestors.join(" ")
        ));
    }
    policy.join("; ")
}

/// Rewrites each HTML page as it leaves the renderer: the page's own CSP `<meta>` and the
/// monitoring script go into its `<head>`; its inline hashes are kept for the site's headers.
#[derive(Debug, Default)]
pub struct PageFilter {
    hosting: Hosting,
    /// The origin of `base_url`.
    own: Option<String>,
    seen: Mutex<Seen>,
}

#[derive(Debug, Default)]
struct Seen {
    inline: InlineSources,
    /// Output paths of the 404 pages, for the per-language error documents.
    not_found: BTreeSet<String>,
}

impl PageFilter {
    pub fn new(config: &Config) -> Self {
        Self {
            hosting: config.hosting.clone(),
            own: crate::config::parse_origin(&config.base_url).ok(),
            seen: Mutex::default(),
        }
    }

    /// Whether pages need rewriting or watching at all.
    pub fn is_active(&self) -> bool {
        let h = &self.hosting;
        h.server_configs || h.csp_meta || h.monitoring.is_some()
    }

    pub fn apply(&self, files: &mut [OutputFile]) {
        for f in files.iter_mut() {
            if !f.path.ends_with(".html") {
                continue;
            }
            let Contents::Bytes(bytes) = &mut f.contents else {
                continue;
            };
            let Ok(html) = std::str::from_utf8(bytes) else {
                continue;
            };
            if let Some(rewritten) = self.rewrite(html) {
                *bytes = rewritten.into_bytes();
            }
            if f.path == "404.html" || f.path.ends_with("/404.html") {
                if let Ok(mut s) = self.seen.lock() {
                    s.not_found.insert(f.path.clone());
                }
            }
        }
    }

    fn rewrite(&self, html: &str) -> Option<String> {
        let inline = inline_sources(html);
        let meta = self.hosting.csp_meta.then(|| {
            format!(
                "\n<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
                render_csp(&self.hosting, self.own.as_deref(), &inline, true)
            )
        });
        if let Ok(mut s) = self.seen.lock() {
            s.inline.extend(inline);
        }
        let script = self.hosting.monitoring.as_ref().map(|m| {
            format!(
                "<script src=\"{}\" integrity=\"{}\" crossorigin=\"anonymous\" defer></script>\n",
                escape_attr(&m.src),
                escape_attr(&m.integrity)
            )
        });
        if meta.is_none() && script.is_none() {
            return None;
        }
        let head = HEAD.find(html)?;
        let mut out = html.to_string();
        if let Some(script) = script {
            if let Some(end) = out.find("</head>") {
                out.insert_str(end, &script);
            }
        }
        if let Some(meta) = meta {
            // After <meta charset>, which must stay within the first 1024 bytes.
            let at = META_CHARSET
                .find(&out[head.end()..])
                .map_or(head.end(), |m| head.end() + m.end());
            out.insert_str(at, &meta);
        }
        Some(out)
    }

    /// The server configurations for everything seen so far.
    pub fn server_configs(&self) -> Vec<OutputFile> {
        if !self.hosting.server_configs {
            return Vec::new();
        }
        let (inline, not_found) = match self.seen.lock() {
            Ok(s) => (s.inline.clone(), s.not_found.clone()),
            Err(_) => return Vec::new(),
        };
        let site = SiteHeaders::new(&self.hosting, self.own.as_deref(), &inline, &not_found);
        vec![
            OutputFile::text("nginx.conf", site.nginx()),
            OutputFile::text(".htaccess", site.apache()),
            OutputFile::text("web.config", site.iis()),
            OutputFile::text("_headers", site.netlify()),
        ]
    }
}

fn escape_attr(v: &str) -> String {
    v.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// The headers every response carries, and what differs by kind of file.
struct SiteHeaders<'a> {
    hosting: &'a Hosting,
    security: Vec<(&'static str, String)>,
    /// Language prefixes (`en/`) with their own 404 page.
    not_found_dirs: Vec<String>,
}

/// The media types a portal publishes, for the server configurations. An nginx `types {}`
/// block in a `server` replaces the whole inherited map (mime.types), so nginx gets all of
/// them; Apache and IIS get only `MISSING_TYPES`, which their stock tables lack.
const MEDIA_TYPES: &[(&str, &str)] = &[
    ("html htm", "text/html"),
    ("css", "text/css"),
    ("js mjs", "text/javascript"),
    ("json map", "application/json"),
    ("webmanifest", "application/manifest+json"),
    ("xml", "application/xml"),
    ("rss", "application/rss+xml"),
    ("atom", "application/atom+xml"),
    ("txt", "text/plain"),
    ("csv", "text/csv"),
    ("vtt", "text/vtt"),
    ("svg svgz", "image/svg+xml"),
    ("jpg jpeg", "image/jpeg"),
    ("png", "image/png"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("avif", "image/avif"),
    ("ico", "image/x-icon"),
    ("woff", "font/woff"),
    ("woff2", "font/woff2"),
    ("ttf", "font/ttf"),
    ("otf", "font/otf"),
    ("mp4 m4v", "video/mp4"),
    ("webm", "video/webm"),
    ("mp3", "audio/mpeg"),
    ("m4a", "audio/mp4"),
    ("ogg oga", "audio/ogg"),
    ("wasm", "application/wasm"),
    ("pdf", "application/pdf"),
    ("doc", "application/msword"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("xls", "application/vnd.ms-excel"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("ppt", "application/vnd.ms-powerpoint"),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("odp", "application/vnd.oasis.opendocument.presentation"),
    ("rtf", "application/rtf"),
    ("zip", "application/zip"),
    ("7z", "application/x-7z-compressed"),
];

/// Types for the captions, videos, pictures and fonts the portal publishes that Apache's
/// and IIS's stock tables lack (IIS answers an unmapped extension with 404.3; Apache 2.4 has
/// no `.vtt`, older ones no `.webp`, `.avif` or `.woff2`).
const MISSING_TYPES: &[(&str, &str)] = &[
    ("vtt", "text/vtt"),
    ("webm", "video/webm"),
    ("mp4", "video/mp4"),
    ("webp", "image/webp"),
    ("avif", "image/avif"),
    ("woff2", "font/woff2"),
];

/// The media type of an extension, from `MEDIA_TYPES`.
fn type_of(ext: &str) -> Option<&'static str> {
    MEDIA_TYPES
        .iter()
        .find(|(exts, _)| exts.split(' ').any(|e| e == ext))
        .map(|(_, ty)| *ty)
}

/// Text the server should send with `charset=utf-8`.
fn has_charset(ty: &str) -> bool {
    ty.starts_with("text/") || ty.ends_with("json") || ty.ends_with("/xml")
}

/// The configuration files the build writes, which the servers refuse to serve.
const GENERATED: [&str; 4] = ["nginx.conf", ".htaccess", "web.config", "_headers"];

impl<'a> SiteHeaders<'a> {
    fn new(
        hosting: &'a Hosting,
        own: Option<&str>,
        inline: &InlineSources,
        not_found: &BTreeSet<String>,
    ) -> Self {
        let mut security = vec![
            (
                "Content-Security-Policy",
                render_csp(hosting, own, inline, false),
            ),
            ("X-Content-Type-Options", "nosniff".into()),
            ("Referrer-Policy", hosting.referrer_policy.clone()),
            ("Permissions-Policy", hosting.permissions_policy.clone()),
        ];
        if hosting.hsts_max_age > 0 {
            let sub = if hosting.hsts_include_subdomains {
                "; includeSubDomains"
            } else {
                ""
            };
            security.push((
                "Strict-Transport-Security",
                format!("max-age={}{sub}", hosting.hsts_max_age),
            ));
        }
        // For browsers older than CSP 2's frame-ancestors.
        match hosting.frame_ancestors.as_slice() {
            [one] if one == "'none'" => security.push(("X-Frame-Options", "DENY".into())),
            [one] if one == "'self'" => security.push(("X-Frame-Options", "SAMEORIGIN".into())),
            _ => {}
        }
        let not_found_dirs = not_found
            .iter()
            .filter_map(|p| p.strip_suffix("404.html"))
            .filter(|d| !d.is_empty())
            .map(str::to_string)
            .collect();
        Self {
            hosting,
            security,
            not_found_dirs,
        }
    }

    fn cache(max_age: u64, immutable: bool) -> String {
        if immutable {
            format!("public, max-age={max_age}, immutable")
        } else {
            format!("public, max-age={max_age}")
        }
    }

    fn nginx(&self) -> String {
        let h = self.hosting;
        let headers = |indent: &str, cache: String| {
            let mut s = String::new();
            for (k, v) in &self.security {
                let _ = writeln!(s, "{indent}add_header {k} \"{v}\" always;");
            }
            let _ = writeln!(s, "{indent}add_header Cache-Control \"{cache}\" always;");
            s
        };
        let block = |prefix: &str, not_found: Option<&str>| {
            let mut s = format!("location /{prefix} {{\n");
            if let Some(p) = not_found {
                let _ = writeln!(s, "    error_page 404 /{p}404.html;");
            }
            s.push_str(&headers("    ", Self::cache(h.asset_max_age, false)));
            s.push_str("    location ~ (/|\\.html)$ {\n");
            s.push_str(&headers("        ", Self::cache(h.html_max_age, false)));
            s.push_str("    }\n}\n");
            s
        };
        let mut s = String::from(
            "# Written by `tre build` from [hosting] in config.toml; do not edit, rebuild.\n\
             # Include it in the server block whose root is this directory:\n\
             #     server { listen 443 ssl; root /srv/portal/current; include /srv/portal/current/nginx.conf; }\n\
             # The CSP hashes match this build's pages, so it is published with them.\n\
             charset utf-8;\n\
             charset_types text/css text/plain text/csv text/vtt text/xml text/javascript application/javascript application/json application/manifest+json application/xml application/rss+xml application/atom+xml image/svg+xml;\n\
             server_tokens off;\n\
             gzip_static on;\n\
             gzip_vary on;\n",
        );
        if h.brotli_static {
            s.push_str("# Needs ngx_brotli (Debian: libnginx-mod-http-brotli-static).\nbrotli_static on;\n");
        }
        s.push_str(
            "# A `types` block here replaces the server's whole mime.types, so it lists every\n\
             # type the portal publishes (mime.types has no text/vtt for captions).\n\
             default_type application/octet-stream;\ntypes {\n",
        );
        for (exts, ty) in MEDIA_TYPES {
            let _ = writeln!(s, "    {ty} {exts};");
        }
        s.push_str("}\n");
        s.push_str("error_page 404 /404.html;\n");
        let hidden: Vec<String> = GENERATED.iter().map(|g| regex::escape(g)).collect();
        let _ = writeln!(
            s,
            "location ~ ^/({})$ {{\n    return 404;\n}}",
            hidden.join("|")
        );
        s.push_str(&block("", None));
        let _ = writeln!(s, "location /processed_images/ {{");
        s.push_str(&headers("    ", Self::cache(h.hashed_max_age, true)));
        s.push_str("}\n");
        for dir in &self.not_found_dirs {
            s.push_str(&block(dir, Some(dir)));
        }
        s
    }

    fn apache(&self) -> String {
        let h = self.hosting;
        let mut s = String::from(
            "# Written by `tre build` from [hosting] in config.toml; do not edit, rebuild.\n\
             # Apache 2.4 with mod_headers, mod_rewrite and mod_mime; AllowOverride All.\n\
             AddDefaultCharset utf-8\n\
             Options -Indexes\n\
             ErrorDocument 404 /404.html\n",
        );
        for dir in &self.not_found_dirs {
            let _ = writeln!(
                s,
                "<If \"%{{REQUEST_URI}} =~ m#^/{dir}#\">\n    ErrorDocument 404 /{dir}404.html\n</If>"
            );
        }
        for (ext, ty) in MISSING_TYPES {
            let ty = if ty.starts_with("text/") {
                format!("\"{ty}; charset=utf-8\"")
            } else {
                (*ty).to_string()
            };
            let _ = writeln!(s, "AddType {ty} .{ext}");
        }
        // AddDefaultCharset covers only text/plain and text/html.
        let text: Vec<String> = crate::output::COMPRESSIBLE
            .iter()
            .filter(|ext| !matches!(**ext, "html" | "htm" | "txt"))
            .filter(|ext| type_of(ext).is_some_and(has_charset))
            .map(|ext| format!(".{ext}"))
            .collect();
        let _ = writeln!(s, "AddCharset utf-8 {}", text.join(" "));
        s.push_str("<IfModule mod_headers.c>\n");
        for (k, v) in &self.security {
            let _ = writeln!(s, "    Header always set {k} \"{v}\"");
        }
        let _ = writeln!(
            s,
            "    Header set Cache-Control \"{}\"",
            Self::cache(h.asset_max_age, false)
        );
        let _ = writeln!(
            s,
            "    <FilesMatch \"\\.html(\\.br|\\.gz)?$\">\n        Header set Cache-Control \"{}\"\n    </FilesMatch>",
            Self::cache(h.html_max_age, false)
        );
        let _ = writeln!(
            s,
            "    <If \"%{{REQUEST_URI}} =~ m#^/processed_images/#\">\n        Header set Cache-Control \"{}\"\n    </If>",
            Self::cache(h.hashed_max_age, true)
        );
        // A cache must not give a compressed copy to a client that did not ask for it.
        s.push_str("    Header merge Vary Accept-Encoding\n");
        s.push_str("</IfModule>\n");
        s.push_str(
            "# Serve the .br and .gz files `tre build` wrote beside each file.\n\
             <IfModule mod_rewrite.c>\n\
             \x20   RewriteEngine On\n\
             \x20   RewriteRule ^(nginx\\.conf|web\\.config|_headers)$ - [R=404,L]\n\
             \x20   RewriteCond %{REQUEST_URI} /$\n\
             \x20   RewriteRule ^(.*)$ $1index.html\n",
        );
        for (enc, ext) in [("br", "br"), ("gzip", "gz")] {
            let _ = write!(
                s,
                "    RewriteCond %{{HTTP:Accept-Encoding}} \\b{enc}\\b\n\
                 \x20   RewriteCond %{{REQUEST_FILENAME}}.{ext} -f\n\
                 \x20   RewriteRule ^(.+)$ $1.{ext} [L]\n"
            );
        }
        s.push_str("</IfModule>\n");
        // mod_mime labels the copies, so that mod_deflate and mod_brotli (on by default in
        // Debian for HTML, CSS and scripts) see an encoded body and leave it alone: a
        // `Header set Content-Encoding` comes too late for them, and they compressed the
        // copies a second time. Only the extensions the build compresses, so a published
        // `.tar.gz` stays a download. Debian's mime.conf reads `.br` as the Breton language.
        let exts = crate::output::COMPRESSIBLE.join("|");
        for (enc, ext) in [("br", "br"), ("gzip", "gz")] {
            let _ = write!(
                s,
                "<FilesMatch \"\\.({exts})\\.{ext}$\">\n\
                 \x20   RemoveType .{ext}\n\
                 \x20   RemoveLanguage .{ext}\n\
                 \x20   AddEncoding {enc} .{ext}\n\
                 </FilesMatch>\n"
            );
        }
        for ext in crate::output::COMPRESSIBLE {
            let Some(ty) = type_of(ext) else {
                continue;
            };
            let ty = if has_charset(ty) {
                format!("{ty}; charset=utf-8")
            } else {
                (*ty).to_string()
            };
            let _ = writeln!(
                s,
                "<FilesMatch \"\\.{ext}\\.(br|gz)$\">\n    ForceType \"{ty}\"\n</FilesMatch>"
            );
        }
        s
    }

    fn iis(&self) -> String {
        let h = self.hosting;
        let days = |secs: u64| {
            format!(
                "{}.{:02}:{:02}:{:02}",
                secs / 86_400,
                secs % 86_400 / 3600,
                secs % 3600 / 60,
                secs % 60
            )
        };
        let xml = |v: &str| {
            v.replace('&', "&amp;")
                .replace('"', "&quot;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        };
        let mut s = String::from(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
             <!-- Written by `tre build` from [hosting] in config.toml; do not edit, rebuild.\n\
             \x20    IIS compresses static files itself (urlCompression); HTML and other files\n\
             \x20    share one cache lifetime, processed_images/ has its own. -->\n\
             <configuration>\n  <system.webServer>\n    <httpProtocol>\n      <customHeaders>\n\
             \x20       <remove name=\"X-Powered-By\" />\n",
        );
        for (k, v) in &self.security {
            let _ = writeln!(s, "        <add name=\"{k}\" value=\"{}\" />", xml(v));
        }
        s.push_str("      </customHeaders>\n    </httpProtocol>\n");
        let _ = writeln!(
            s,
            "    <staticContent>\n      <clientCache cacheControlMode=\"UseMaxAge\" cacheControlMaxAge=\"{}\" />",
            days(h.html_max_age)
        );
        // Removed first: a <mimeMap> for an extension the server already maps is a
        // duplicate-entry error (500.19) on the IIS versions that have it.
        for (ext, ty) in MISSING_TYPES {
            let _ = writeln!(
                s,
                "      <remove fileExtension=\".{ext}\" />\n      <mimeMap fileExtension=\".{ext}\" mimeType=\"{ty}\" />"
            );
        }
        s.push_str("    </staticContent>\n");
        s.push_str(
            "    <urlCompression doStaticCompression=\"true\" doDynamicCompression=\"false\" />\n",
        );
        s.push_str("    <httpErrors errorMode=\"Custom\" existingResponse=\"Replace\">\n      <remove statusCode=\"404\" />\n      <error statusCode=\"404\" path=\"/404.html\" responseMode=\"ExecuteURL\" />\n    </httpErrors>\n");
        s.push_str("    <security>\n      <requestFiltering>\n        <hiddenSegments>\n          <add segment=\"nginx.conf\" />\n          <add segment=\"_headers\" />\n          <add segment=\".htaccess\" />\n        </hiddenSegments>\n      </requestFiltering>\n    </security>\n");
        s.push_str("  </system.webServer>\n");
        let _ = writeln!(
            s,
            "  <location path=\"processed_images\">\n    <system.webServer>\n      <staticContent>\n        <clientCache cacheControlMode=\"UseMaxAge\" cacheControlMaxAge=\"{}\" />\n      </staticContent>\n    </system.webServer>\n  </location>",
            days(h.hashed_max_age)
        );
        for dir in &self.not_found_dirs {
            let _ = writeln!(
                s,
                "  <location path=\"{}\">\n    <system.webServer>\n      <httpErrors errorMode=\"Custom\" existingResponse=\"Replace\">\n        <remove statusCode=\"404\" />\n        <error statusCode=\"404\" path=\"/{dir}404.html\" responseMode=\"ExecuteURL\" />\n      </httpErrors>\n    </system.webServer>\n  </location>",
                dir.trim_end_matches('/')
            );
        }
        s.push_str("</configuration>\n");
        s
    }

    /// Netlify and Cloudflare Pages: both merge every matching block, so Cache-Control is set
    /// only where one block matches.
    fn netlify(&self) -> String {
        let mut s = String::from(
            "# Written by `tre build` from [hosting] in config.toml; do not edit, rebuild.\n/*\n",
        );
        for (k, v) in &self.security {
            let _ = writeln!(s, "  {k}: {v}");
        }
        let _ = writeln!(
            s,
            "/processed_images/*\n  Cache-Control: {}",
            Self::cache(self.hosting.hashed_max_age, true)
        );
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_inline_code_but_not_external_scripts_or_data_blocks() {
        let html = r#"<head><script src="/a.js"></script><script type="application/ld+json">{"a":1}</script>
<script>alert(1)</script><style>p{color:red}</style></head><p style="color:&quot;x&quot;">"#;
        let s = inline_sources(html);
        assert_eq!(
            s.scripts.iter().collect::<Vec<_>>(),
            [&hash_source("alert(1)")]
        );
        assert_eq!(
            s.styles.iter().collect::<Vec<_>>(),
            [&hash_source("p{color:red}")]
        );
        assert_eq!(
            s.style_attrs.iter().collect::<Vec<_>>(),
            [&hash_source("color:\"x\"")]
        );
    }

    #[test]
    fn known_hash_of_an_inline_script() {
        // The value Chromium prints for `<script>alert(1)</script>` in a CSP violation.
        assert_eq!(
            hash_source("alert(1)"),
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
    }

    #[test]
    fn unescapes_character_references() {
        assert_eq!(unescape("a&amp;b&#39;&#x41;&bogus;&"), "a&b'A&bogus;&");
    }
}
