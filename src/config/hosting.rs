//! Tre's `[hosting]` table: precompression, the server configurations and the security
//! headers they send. Every key is checked; an unknown one is an error at its position.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::diag::{Diagnostic, LineIndex};

/// `[hosting]` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct HostingSettings {
    precompress: bool,
    precompress_min_bytes: u64,
    brotli_quality: Spanned<u32>,
    gzip_level: Spanned<u32>,
    server_configs: bool,
    csp_meta: bool,
    hsts_max_age: u64,
    hsts_include_subdomains: bool,
    referrer_policy: Spanned<String>,
    permissions_policy: String,
    frame_ancestors: Vec<Spanned<String>>,
    html_max_age: u64,
    asset_max_age: u64,
    hashed_max_age: u64,
    brotli_static: bool,
    monitoring: Option<Spanned<MonitoringSettings>>,
    export: bool,
    keep_picture_metadata: bool,
    responsive_images: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct MonitoringSettings {
    src: Spanned<String>,
    integrity: Spanned<String>,
}

impl Default for HostingSettings {
    fn default() -> Self {
        Self {
            precompress: false,
            precompress_min_bytes: 1024,
            brotli_quality: Spanned::new(0..0, 5),
            gzip_level: Spanned::new(0..0, 6),
            server_configs: false,
            csp_meta: false,
            hsts_max_age: 31_536_000,
            hsts_include_subdomains: false,
            referrer_policy: Spanned::new(0..0, "strict-origin-when-cross-origin".into()),
            permissions_policy: "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
                .into(),
            frame_ancestors: vec![Spanned::new(0..0, "'none'".into())],
            html_max_age: 300,
            asset_max_age: 86_400,
            hashed_max_age: 31_536_000,
            brotli_static: true,
            monitoring: None,
            export: false,
            keep_picture_metadata: false,
            responsive_images: false,
        }
    }
}

/// The checked `[hosting]` settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hosting {
    /// Write `.br` and `.gz` beside compressible files of at least `precompress_min_bytes`.
    pub precompress: bool,
    pub precompress_min_bytes: u64,
    /// 0–11. The default 5 is within 3% of 9 on the portal's pages at a third of the time.
    pub brotli_quality: u32,
    /// 0–9. The default 6 is within 0.1% of 9.
    pub gzip_level: u32,
    /// Write `nginx.conf`, `.htaccess`, `web.config` and `_headers` into the output.
    pub server_configs: bool,
    /// Put each page's Content-Security-Policy in a `<meta http-equiv>` too.
    pub csp_meta: bool,
    pub hsts_max_age: u64,
    pub hsts_include_subdomains: bool,
    pub referrer_policy: String,
    pub permissions_policy: String,
    /// CSP `frame-ancestors` sources: `'none'`, `'self'` or origins.
    pub frame_ancestors: Vec<String>,
    /// `Cache-Control: max-age` for HTML, for other files, and for files whose names carry
    /// their content hash (`processed_images/`).
    pub html_max_age: u64,
    pub asset_max_age: u64,
    pub hashed_max_age: u64,
    /// The nginx configuration turns on `brotli_static` (needs ngx_brotli, Debian's
    /// libnginx-mod-http-brotli-static).
    pub brotli_static: bool,
    /// The one outside script a page may load: the national monitoring (EMC) script.
    pub monitoring: Option<Monitoring>,
    /// Write the JSON export of published content, its change list and its schema into
    /// `export/v1/` (see `crate::export`).
    pub export: bool,
    /// Publish JPEG, PNG and WebP files with their EXIF (GPS position, camera), XMP, IPTC and
    /// comments. Off by default: they are removed (see `assets::metadata`).
    pub keep_picture_metadata: bool,
    /// Publish a Markdown image of a local JPEG, PNG or WebP (`![alt](photo.jpg)`) as the
    /// theme's figures are: a `<picture>` of lossy WebP and a JPEG (PNG) fallback at 480 and
    /// 960 px, with `width`, `height` and `loading="lazy"`. Off: Zola's plain `<img>`.
    pub responsive_images: bool,
}

/// A script from another origin, loaded on every page with Subresource Integrity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Monitoring {
    pub src: String,
    /// `scheme://host[:port]` of `src`, the one outside origin the CSP allows.
    pub origin: String,
    pub integrity: String,
}

impl Default for Hosting {
    fn default() -> Self {
        let s = HostingSettings::default();
        Self {
            precompress: s.precompress,
            precompress_min_bytes: s.precompress_min_bytes,
            brotli_quality: *s.brotli_quality.get_ref(),
            gzip_level: *s.gzip_level.get_ref(),
            server_configs: s.server_configs,
            csp_meta: s.csp_meta,
            hsts_max_age: s.hsts_max_age,
            hsts_include_subdomains: s.hsts_include_subdomains,
            referrer_policy: s.referrer_policy.into_inner(),
            permissions_policy: s.permissions_policy,
            frame_ancestors: vec!["'none'".into()],
            html_max_age: s.html_max_age,
            asset_max_age: s.asset_max_age,
            hashed_max_age: s.hashed_max_age,
            brotli_static: s.brotli_static,
            monitoring: None,
            export: s.export,
            keep_picture_metadata: s.keep_picture_metadata,
            responsive_images: s.responsive_images,
        }
    }
}

const REFERRER_POLICIES: [&str; 8] = [
    "no-referrer",
    "no-referrer-when-downgrade",
    "origin",
    "origin-when-cross-origin",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
    "unsafe-url",
];

pub(super) fn validate_hosting(
    raw: &HostingSettings,
    file: &Path,
    text: &str,
    errors: &mut Vec<Diagnostic>,
) -> Hosting {
    let index = LineIndex::new(text);
    let mut error = |span: std::ops::Range<usize>, message: String, help: &str| {
        let at = (span != (0..0)).then(|| index.locate(span.start));
        errors.push(Diagnostic::error(file, at, message).with_help(help.to_string()));
    };
    if *raw.brotli_quality.get_ref() > 11 {
        error(
            raw.brotli_quality.span(),
            format!(
                "`hosting.brotli_quality` must be 0 to 11, found {}",
                raw.brotli_quality.get_ref()
            ),
            "5, the default, is within 3% of 9 at a third of the time",
        );
    }
    if *raw.gzip_level.get_ref() > 9 {
        error(
            raw.gzip_level.span(),
            format!(
                "`hosting.gzip_level` must be 0 to 9, found {}",
                raw.gzip_level.get_ref()
            ),
            "use 9, the smallest output",
        );
    }
    if !REFERRER_POLICIES.contains(&raw.referrer_policy.get_ref().as_str()) {
        error(
            raw.referrer_policy.span(),
            format!(
                "`hosting.referrer_policy`: `{}` is not a referrer policy",
                raw.referrer_policy.get_ref()
            ),
            "use one of: no-referrer, same-origin, strict-origin, strict-origin-when-cross-origin",
        );
    }
    let mut frame_ancestors = Vec::new();
    for f in &raw.frame_ancestors {
        let v = f.get_ref();
        if v == "'none'" || v == "'self'" {
            frame_ancestors.push(v.clone());
        } else {
            match parse_origin(v) {
                Ok(o) => frame_ancestors.push(o),
                Err(e) => error(
                    f.span(),
                    format!("`hosting.frame_ancestors`: {e}"),
                    "write 'none', 'self' or an origin such as https://chinhphu.vn",
                ),
            }
        }
    }
    if frame_ancestors.len() > 1 && frame_ancestors.iter().any(|f| f == "'none'") {
        error(
            raw.frame_ancestors.first().map_or(0..0, Spanned::span),
            "`hosting.frame_ancestors`: 'none' cannot be combined with other sources".into(),
            "keep only 'none', or list the origins allowed to frame the site",
        );
    }
    let monitoring = raw.monitoring.as_ref().and_then(|m| {
        let m = m.get_ref();
        let src = m.src.get_ref();
        let origin = match parse_origin(src) {
            // Plain http only on loopback, where the tests serve a stand-in script.
            Ok(o) if o.starts_with("https://") || is_loopback(&o) => o,
            Ok(_) => {
                error(
                    m.src.span(),
                    format!("`hosting.monitoring.src`: `{src}` is not an https:// URL"),
                    "the monitoring script must be loaded over HTTPS",
                );
                return None;
            }
            Err(e) => {
                error(
                    m.src.span(),
                    format!("`hosting.monitoring.src`: {e}"),
                    "write the full URL the agency gave, such as https://emc.example.gov.vn/emc.js",
                );
                return None;
            }
        };
        let integrity = m.integrity.get_ref();
        if !is_integrity(integrity) {
            error(
                m.integrity.span(),
                format!("`hosting.monitoring.integrity`: `{integrity}` is not a Subresource Integrity hash"),
                "write sha384- (or sha256-, sha512-) followed by the base64 digest of the script",
            );
            return None;
        }
        Some(Monitoring {
            src: src.clone(),
            origin,
            integrity: integrity.clone(),
        })
    });
    Hosting {
        precompress: raw.precompress,
        precompress_min_bytes: raw.precompress_min_bytes,
        brotli_quality: (*raw.brotli_quality.get_ref()).min(11),
        gzip_level: (*raw.gzip_level.get_ref()).min(9),
        server_configs: raw.server_configs,
        csp_meta: raw.csp_meta,
        hsts_max_age: raw.hsts_max_age,
        hsts_include_subdomains: raw.hsts_include_subdomains,
        referrer_policy: raw.referrer_policy.get_ref().clone(),
        permissions_policy: raw.permissions_policy.clone(),
        frame_ancestors,
        html_max_age: raw.html_max_age,
        asset_max_age: raw.asset_max_age,
        hashed_max_age: raw.hashed_max_age,
        brotli_static: raw.brotli_static,
        monitoring,
        export: raw.export,
        keep_picture_metadata: raw.keep_picture_metadata,
        responsive_images: raw.responsive_images,
    }
}

/// `scheme://host[:port]` of an http(s) URL, lower-cased; an error says what is wrong.
pub fn parse_origin(url: &str) -> Result<String, String> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| format!("`{url}` is not a URL with a scheme"))?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return Err(format!("`{url}` is not an http:// or https:// URL"));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    let host_ok = !host.is_empty()
        && !authority.contains('@')
        && host
            .split('.')
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.parse::<u16>().is_ok());
    if !host_ok || !port_ok {
        return Err(format!("`{url}` has no valid host"));
    }
    Ok(format!("{scheme}://{}", authority.to_ascii_lowercase()))
}

fn is_loopback(origin: &str) -> bool {
    let host = origin.trim_start_matches("http://");
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    host == "127.0.0.1" || host == "localhost"
}

fn is_integrity(v: &str) -> bool {
    use base64::Engine;
    let Some((alg, digest)) = v.split_once('-') else {
        return false;
    };
    let len = match alg {
        "sha256" => 32,
        "sha384" => 48,
        "sha512" => 64,
        _ => return false,
    };
    base64::engine::general_purpose::STANDARD
        .decode(digest)
        .is_ok_and(|d| d.len() == len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_keep_scheme_host_and_port_only() {
        assert_eq!(
            parse_origin("https://EMC.example.gov.vn/a/emc.js?v=1").unwrap(),
            "https://emc.example.gov.vn"
        );
        assert_eq!(
            parse_origin("http://127.0.0.1:8081/x.js").unwrap(),
            "http://127.0.0.1:8081"
        );
        for bad in [
            "emc.js",
            "ftp://x.vn/a",
            "https:///a",
            "https://a..b/",
            "https://x.vn:99999/",
            "https://u@x.vn/",
            "https://x y.vn/",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn integrity_needs_a_digest_of_the_right_length() {
        assert!(is_integrity(
            "sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"
        ));
        assert!(!is_integrity("sha384-abc"));
        assert!(!is_integrity("md5-oqVuAfXRKap7fdgcCY5uykM6"));
    }
}
