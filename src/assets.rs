//! Files that are copied rather than rendered: `static/` (theme's first, site's over it),
//! colocated content assets, and image operations queued by `resize_image` during rendering
//! and run after it, in parallel. Renders no templates.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use image::imageops::FilterType;
use image::metadata::Orientation;
use rayon::prelude::*;
use serde_json::{Value, json};
use sha2::Digest as _;
use walkdir::WalkDir;

use crate::config::Config;
use crate::content::Library;
use crate::diag::{self, Diagnostic};
use crate::output::OutputFile;

pub mod metadata;

/// Zola's resize operations (content/image-processing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResizeOp {
    Scale,
    FitWidth,
    FitHeight,
    Fit,
    Fill,
}

/// One image to produce after rendering.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageJob {
    pub source: PathBuf,
    pub op: ResizeOp,
    pub width: u32,
    pub height: u32,
    pub format: String,
    pub quality: u8,
    /// WebP without a `quality`: lossless, as in Zola; with one, lossy (libwebp).
    pub lossless: bool,
    /// Relative to the output directory.
    pub output: String,
}

/// Image operations requested by templates, deduplicated by output path.
#[derive(Debug)]
pub struct ImageQueue {
    root: PathBuf,
    theme: Option<String>,
    base_url: String,
    jobs: Mutex<HashMap<String, ImageJob>>,
}

impl ImageQueue {
    pub fn new(config: &Config) -> Self {
        Self {
            root: config.root.clone(),
            theme: config.theme.clone(),
            base_url: config.base_url.trim_end_matches('/').to_string(),
            jobs: Mutex::default(),
        }
    }

    /// The `resize_image` Tera function: plans the image now, produces it after rendering.
    pub fn enqueue(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let path = args
            .get("path")
            .and_then(Value::as_str)
            .ok_or_else(|| tera::Error::msg("`resize_image` requires a `path` argument"))?;
        let source = find_file(&self.root, path, self.theme.as_deref())
            .map_err(|e| tera::Error::msg(format!("`resize_image`: {e}")))?;
        let (ow, oh) = shown_dimensions(&source).map_err(|e| {
            tera::Error::msg(format!(
                "`resize_image`: `{path}` is not a readable image: {e}"
            ))
        })?;
        let op = match args.get("op").and_then(Value::as_str).unwrap_or("fill") {
            "scale" => ResizeOp::Scale,
            "fit_width" => ResizeOp::FitWidth,
            "fit_height" => ResizeOp::FitHeight,
            "fit" => ResizeOp::Fit,
            "fill" => ResizeOp::Fill,
            other => {
                return Err(tera::Error::msg(format!(
                    "`resize_image`: unknown op `{other}`"
                )));
            }
        };
        check_size("the source image", ow, oh, path)?;
        let side = |k: &str| {
            args.get(k)
                .and_then(Value::as_u64)
                .map(|v| v.min(u64::from(u32::MAX)) as u32)
        };
        let (w, h) = (side("width"), side("height"));
        let (width, height) = target_size(op, (ow, oh), w, h)?;
        check_size("the resized image", width, height, path)?;
        let src_ext = source
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("jpg")
            .to_lowercase();
        let format = match args.get("format").and_then(Value::as_str).unwrap_or("auto") {
            "auto" => if src_ext == "png" { "png" } else { "jpg" }.to_string(),
            "jpeg" => "jpg".to_string(),
            f @ ("jpg" | "png" | "webp") => f.to_string(),
            other => {
                return Err(tera::Error::msg(format!(
                    "`resize_image`: unsupported format `{other}`"
                )));
            }
        };
        let requested_quality = args
            .get("quality")
            .and_then(Value::as_u64)
            .map(|q| q.min(100) as u8);
        let quality = requested_quality.unwrap_or(75);
        let name = processed_name(
            path,
            &source,
            hashed_op(op, w, h),
            &format,
            requested_quality,
        );
        let output = format!("processed_images/{name}");
        let job = ImageJob {
            source,
            op,
            width,
            height,
            lossless: format == "webp" && requested_quality.is_none(),
            format,
            quality,
            output: output.clone(),
        };
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.insert(output.clone(), job);
        }
        Ok(json!({
            "url": format!("{}/{}", self.base_url, output),
            "static_path": format!("static/{output}"),
            "width": width,
            "height": height,
            "orig_width": ow,
            "orig_height": oh,
        }))
    }

    pub fn take(&self) -> Vec<ImageJob> {
        let mut jobs: Vec<ImageJob> = self
            .jobs
            .lock()
            .map(|mut j| j.drain().map(|(_, v)| v).collect())
            .unwrap_or_default();
        jobs.sort_by(|a, b| a.output.cmp(&b.output));
        jobs
    }
}

/// Zola's `ResizeOperation` with the sizes as requested, in its variant order: the hash of a
/// processed picture's name covers it as Rust's derived `Hash` writes it.
#[derive(Hash)]
enum HashedOp {
    Scale(u32, u32),
    FitWidth(u32),
    FitHeight(u32),
    Fit(u32, u32),
    Fill(u32, u32),
}

fn hashed_op(op: ResizeOp, w: Option<u32>, h: Option<u32>) -> HashedOp {
    let (w, h) = (w.unwrap_or(0), h.unwrap_or(0));
    match op {
        ResizeOp::Scale => HashedOp::Scale(w, h),
        ResizeOp::FitWidth => HashedOp::FitWidth(w),
        ResizeOp::FitHeight => HashedOp::FitHeight(h),
        ResizeOp::Fit => HashedOp::Fit(w, h),
        ResizeOp::Fill => HashedOp::Fill(w, h),
    }
}

/// A processed picture's file name as Zola 0.22 gives it, `<stem>.<hash>.<ext>`, so a theme's
/// pictures keep their URLs: the hash is std's `DefaultHasher` (SipHash-1-3, zero keys) over
/// the path as the template wrote it (`@/` read as `content/`, a leading `/` dropped), the
/// operation, then the extension and the quality and speed as `i16`, -1 where they do not
/// apply (Zola's `imageproc` crate, `get_processed_filename` and `impl Hash for Format`).
fn processed_name(
    written: &str,
    source: &Path,
    op: HashedOp,
    format: &str,
    quality: Option<u8>,
) -> String {
    use std::hash::{Hash, Hasher};
    let written = match written.strip_prefix("@/") {
        Some(rest) => format!("content/{rest}"),
        None => written.trim_start_matches('/').to_string(),
    };
    let quality: i16 = match format {
        "jpg" => quality.unwrap_or(75).into(),
        "webp" => quality.map_or(-1, i16::from),
        _ => -1,
    };
    let mut hasher = std::hash::DefaultHasher::new();
    hasher.write(written.as_bytes());
    op.hash(&mut hasher);
    hasher.write(format.as_bytes());
    hasher.write_i16(quality);
    hasher.write_i16(-1);
    let stem = source
        .file_stem()
        .map_or_else(|| "unknown".into(), |s| s.to_string_lossy());
    format!("{stem}.{:016x}.{format}", hasher.finish())
}

/// The largest side of a picture Tre decodes or makes, in pixels.
pub const MAX_SIDE: u32 = 16_384;
/// The most pixels a picture Tre decodes or makes may have (about 8K by 8K): an RGBA buffer
/// of it is 256 MiB, and a few run at once.
pub const MAX_PIXELS: u64 = 64 * 1024 * 1024;

/// Refuses a picture larger than the caps, before anything is allocated for it.
fn check_size(what: &str, w: u32, h: u32, path: &str) -> tera::Result<()> {
    if w > MAX_SIDE || h > MAX_SIDE || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(tera::Error::msg(format!(
            "`resize_image`: {what} for `{path}` would be {w}×{h} pixels; tre makes pictures of at most {MAX_SIDE} pixels a side and {} megapixels",
            MAX_PIXELS / (1024 * 1024)
        )));
    }
    Ok(())
}

/// A picture's size as it is shown: a camera's EXIF orientation 5 to 8 turns it a quarter,
/// so its width and height swap. Read from the header only.
fn shown_dimensions(path: &Path) -> image::ImageResult<(u32, u32)> {
    use image::ImageDecoder;
    let mut decoder = image::ImageReader::open(path)?
        .with_guessed_format()?
        .into_decoder()?;
    let (w, h) = decoder.dimensions();
    Ok(
        if turns_a_quarter(decoder.orientation().unwrap_or(Orientation::NoTransforms)) {
            (h, w)
        } else {
            (w, h)
        },
    )
}

fn turns_a_quarter(o: Orientation) -> bool {
    matches!(
        o,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// Decoding limits: a picture whose header claims more than the caps is refused unread.
fn decode_limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 4);
    limits
}

fn target_size(
    op: ResizeOp,
    (ow, oh): (u32, u32),
    w: Option<u32>,
    h: Option<u32>,
) -> tera::Result<(u32, u32)> {
    let need = |v: Option<u32>, n: &str| {
        v.filter(|x| *x > 0)
            .ok_or_else(|| tera::Error::msg(format!("`resize_image`: this op needs `{n}`")))
    };
    let ratio = ow as f64 / oh.max(1) as f64;
    Ok(match op {
        ResizeOp::Scale | ResizeOp::Fill => (need(w, "width")?, need(h, "height")?),
        ResizeOp::FitWidth => {
            let w = need(w, "width")?.min(ow);
            (w, ((w as f64 / ratio).round() as u32).max(1))
        }
        ResizeOp::FitHeight => {
            let h = need(h, "height")?.min(oh);
            (((h as f64 * ratio).round() as u32).max(1), h)
        }
        ResizeOp::Fit => {
            let (w, h) = (need(w, "width")?, need(h, "height")?);
            if ow <= w && oh <= h {
                (ow, oh)
            } else if (w as f64 / h as f64) > ratio {
                (((h as f64 * ratio).round() as u32).max(1), h)
            } else {
                (w, ((w as f64 / ratio).round() as u32).max(1))
            }
        }
    })
}

/// Why `find_file` found nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotFound {
    Missing(String),
    /// The file exists, but only outside the site (by `..`, an absolute path or a symlink).
    Outside(String),
}

impl std::fmt::Display for NotFound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotFound::Missing(p) => write!(f, "cannot find `{p}`"),
            NotFound::Outside(p) => write!(
                f,
                "`{p}` is outside the site (reached through `..`, an absolute path or a symbolic link); only files inside the site and its theme are read"
            ),
        }
    }
}

/// Zola's file searching logic for images and data files.
pub fn find_file(root: &Path, path: &str, theme: Option<&str>) -> Result<PathBuf, NotFound> {
    let rel = match path.strip_prefix("@/") {
        Some(r) => format!("content/{r}"),
        None => path.trim_start_matches('/').to_string(),
    };
    let mut candidates = vec![
        root.join(&rel),
        root.join("static").join(&rel),
        root.join("content").join(&rel),
    ];
    if let Some(t) = theme {
        candidates.push(root.join("themes").join(t).join("static").join(&rel));
    }
    // Zola joins the path to each folder as written, so `../theme.toml` finds the root's
    // `theme.toml` through `static/` (abridge's showdata shortcode). A path that leaves the
    // site, by `..` or by a symlink, is never read (crate::paths decides).
    let theme_dir = theme.map(|t| root.join("themes").join(t));
    let roots = crate::paths::InputRoots::new(root, theme_dir.as_deref());
    if let Some(found) = candidates
        .iter()
        .filter_map(|p| roots.resolve(p))
        .find(|p| p.is_file())
    {
        return Ok(found);
    }
    if candidates.iter().any(|p| p.is_file()) {
        Err(NotFound::Outside(path.to_string()))
    } else {
        Err(NotFound::Missing(path.to_string()))
    }
}

/// `get_image_metadata`: width, height, format and MIME type, read from the header only.
pub fn metadata(file: &Path) -> Result<Value, String> {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    if ext == "svg" {
        return Ok(
            json!({"width": Value::Null, "height": Value::Null, "format": "svg", "mime": "image/svg+xml"}),
        );
    }
    let reader = image::ImageReader::open(file)
        .and_then(|r| r.with_guessed_format())
        .map_err(|e| format!("cannot open `{}`: {e}", file.display()))?;
    let format = reader.format();
    let (w, h) = shown_dimensions(file)
        .map_err(|e| format!("`{}` is not a readable image: {e}", file.display()))?;
    let (fmt, mime) = match format {
        Some(image::ImageFormat::Png) => ("png", "image/png"),
        Some(image::ImageFormat::Jpeg) => ("jpg", "image/jpeg"),
        Some(image::ImageFormat::WebP) => ("webp", "image/webp"),
        Some(image::ImageFormat::Gif) => ("gif", "image/gif"),
        _ => ("unknown", "application/octet-stream"),
    };
    Ok(json!({"width": w, "height": h, "format": fmt, "mime": mime}))
}

/// Stylesheets the build makes: compiled Sass and, for `style = "class"` highlighting, the
/// theme's classes. `static/` files of the same name replace them.
pub fn stylesheets(
    config: &Config,
    markdown: &crate::markdown::MarkdownConfig,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let mut files = crate::sass::compile(config)?;
    if let Some(h) = &markdown.highlighting {
        for (path, css) in crate::markdown::highlight_stylesheets(h) {
            files.push(OutputFile::text(path, css));
        }
    }
    Ok(files)
}

/// Everything the output holds besides rendered pages: compiled stylesheets, static files
/// (which replace them), colocated assets, processed images.
pub fn collect(
    root: &Path,
    config: &Config,
    library: &Library,
    stylesheets: Vec<OutputFile>,
    images: Vec<ImageJob>,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let mut files: HashMap<String, OutputFile> = stylesheets
        .into_iter()
        .map(|f| (f.path.clone(), f))
        .collect();
    let mut dirs = Vec::new();
    if let Some(t) = config.theme_dir() {
        dirs.push(t.join("static"));
    }
    dirs.push(root.join("static"));
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        // Zola copies hidden files from static/ (`.well-known/security.txt`, `.htaccess`), so
        // do we; editors' leftovers are never meant for the web. An `ignored_static` folder
        // takes its contents with it.
        let walk = WalkDir::new(dir).into_iter().filter_entry(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            e.depth() == 0
                || !(crate::text::is_editor_leftover(&e.file_name().to_string_lossy())
                    || config.ignored_static.is_match(rel))
        });
        for e in walk.filter_map(Result::ok) {
            if !e.file_type().is_file() {
                continue;
            }
            let Ok(rel) = e.path().strip_prefix(dir) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.insert(rel.clone(), OutputFile::copy(rel, e.path().to_path_buf()));
        }
    }
    for p in &library.pages {
        if !p.is_rendered() {
            continue;
        }
        for a in &p.assets {
            let Ok(rel) = a.strip_prefix(&p.source.dir) else {
                continue;
            };
            let out = format!(
                "{}{}",
                p.path.trim_start_matches('/'),
                rel.to_string_lossy().replace('\\', "/")
            );
            files.insert(out.clone(), OutputFile::copy(out, a.clone()));
        }
    }
    for s in &library.sections {
        for a in &s.assets {
            let Some(name) = a.file_name() else { continue };
            let out = format!(
                "{}{}",
                s.path.trim_start_matches('/'),
                name.to_string_lossy()
            );
            files.insert(out.clone(), OutputFile::copy(out, a.clone()));
        }
    }
    if !config.hosting.keep_picture_metadata {
        strip_metadata(root, &mut files)?;
    }
    let cache = image_cache_dir(root);
    let processed: Vec<Result<OutputFile, Diagnostic>> = images
        .par_iter()
        .map(|j| process_cached(root, &cache, j))
        .collect();
    let mut errors = Vec::new();
    for r in processed {
        match r {
            Ok(f) => {
                files.insert(f.path.clone(), f);
            }
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        diag::sort(&mut errors);
        return Err(errors);
    }
    let mut out: Vec<OutputFile> = files.into_values().collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Replaces each copied JPEG, PNG or WebP that carries metadata by its bytes without it.
/// Pictures without any stay copies (or hard links) of their source.
fn strip_metadata(
    root: &Path,
    files: &mut HashMap<String, OutputFile>,
) -> Result<(), Vec<Diagnostic>> {
    let is_picture = |p: &str| {
        let p = p.to_ascii_lowercase();
        [".jpg", ".jpeg", ".png", ".webp"]
            .iter()
            .any(|e| p.ends_with(e))
    };
    let sources: Vec<(String, PathBuf)> = files
        .values()
        .filter_map(|f| match &f.contents {
            crate::output::Contents::CopyOf(src) if is_picture(&f.path) => {
                Some((f.path.clone(), src.clone()))
            }
            _ => None,
        })
        .collect();
    let stripped: Vec<Result<Option<OutputFile>, Vec<Diagnostic>>> = sources
        .par_iter()
        .map(|(path, src)| {
            let bytes = std::fs::read(src).map_err(|e| {
                vec![Diagnostic::error(
                    diag::relative(root, src),
                    None,
                    format!("cannot read: {e}"),
                )]
            })?;
            Ok(metadata::strip(&bytes).map(|clean| OutputFile {
                path: path.clone(),
                contents: crate::output::Contents::Bytes(clean),
            }))
        })
        .collect();
    let stripped = diag::collect_all(stripped)?;
    for f in stripped.into_iter().flatten() {
        files.insert(f.path.clone(), f);
    }
    Ok(())
}

/// Where encoded pictures are kept between builds: outside the output, ignored by git.
pub fn image_cache_dir(root: &Path) -> PathBuf {
    root.join(".tre-cache").join("images")
}

/// A picture's name in the cache: the hash of the source's bytes and of the operation, so an
/// unchanged picture is never encoded twice, whatever its path, and an edited one is.
fn cache_key(source: &[u8], job: &ImageJob) -> String {
    let mut h = sha2::Sha256::new();
    h.update(source);
    h.update(
        format!(
            // `upright`: entries made before EXIF orientation was applied are not reused.
            "\0{:?} {}x{} {} q{}{} upright",
            job.op,
            job.width,
            job.height,
            job.format,
            job.quality,
            if job.lossless { " lossless" } else { "" }
        )
        .as_bytes(),
    );
    let hex: String = h
        .finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{hex}.{}", job.format)
}

/// The job's picture from the cache, encoding it into the cache first on a miss. The output
/// file is a copy of the cache entry, so `clean_image_cache` sees which entries a build used.
fn process_cached(root: &Path, cache: &Path, job: &ImageJob) -> Result<OutputFile, Diagnostic> {
    let file = diag::relative(root, &job.source);
    let source = std::fs::read(&job.source)
        .map_err(|e| Diagnostic::error(&file, None, format!("cannot read image: {e}")))?;
    let entry = cache.join(cache_key(&source, job));
    if !entry.is_file() {
        let OutputFile {
            contents: crate::output::Contents::Bytes(bytes),
            ..
        } = process(root, job, &source)?
        else {
            return Err(Diagnostic::error(&file, None, "the encoder made no bytes"));
        };
        let cache_err = |e: std::io::Error| {
            Diagnostic::error(
                diag::relative(root, cache),
                None,
                format!("cannot write the picture cache: {e}"),
            )
            .with_help("check the permissions of .tre-cache/, or delete it")
        };
        std::fs::create_dir_all(cache).map_err(cache_err)?;
        // Written aside and renamed, so a killed build or a parallel one never leaves half a
        // picture; named per job, as two jobs of one build can make the same entry at once.
        static JOBS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = JOBS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = entry.with_extension(format!("tmp{}-{n}", std::process::id()));
        std::fs::write(&tmp, bytes).map_err(cache_err)?;
        std::fs::rename(&tmp, &entry).map_err(cache_err)?;
    }
    Ok(OutputFile::copy(job.output.clone(), entry))
}

/// Deletes the cache entries that none of `files` (a finished build's output) was copied from.
pub fn clean_image_cache(root: &Path, files: &[OutputFile]) {
    let cache = image_cache_dir(root);
    let used: std::collections::HashSet<&Path> = files
        .iter()
        .filter_map(|f| match &f.contents {
            crate::output::Contents::CopyOf(p) if p.starts_with(&cache) => Some(p.as_path()),
            _ => None,
        })
        .collect();
    let Ok(entries) = std::fs::read_dir(&cache) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        if !used.contains(e.path().as_path()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn process(root: &Path, job: &ImageJob, source: &[u8]) -> Result<OutputFile, Diagnostic> {
    let file = diag::relative(root, &job.source);
    let mut reader = image::ImageReader::new(std::io::Cursor::new(source))
        .with_guessed_format()
        .map_err(|e| Diagnostic::error(&file, None, format!("cannot read image: {e}")))?;
    reader.limits(decode_limits());
    let does_not_decode = |e: image::ImageError| {
        Diagnostic::error(&file, None, format!("the image does not decode: {e}"))
            .with_help("re-export it as JPEG, PNG or WebP")
    };
    let mut decoder = reader.into_decoder().map_err(does_not_decode)?;
    // Pixels are turned upright before resizing: the encoders write no EXIF, so a resized
    // picture would otherwise show on its side (a phone's portrait photo is stored landscape).
    let orientation =
        image::ImageDecoder::orientation(&mut decoder).unwrap_or(Orientation::NoTransforms);
    let mut img = image::DynamicImage::from_decoder(decoder).map_err(does_not_decode)?;
    img.apply_orientation(orientation);
    let resized = match job.op {
        ResizeOp::Scale => img.resize_exact(job.width, job.height, FilterType::Lanczos3),
        ResizeOp::Fill => img.resize_to_fill(job.width, job.height, FilterType::Lanczos3),
        _ => img.resize(job.width, job.height, FilterType::Lanczos3),
    };
    let mut bytes = Vec::new();
    let mut cursor = std::io::Cursor::new(&mut bytes);
    let result = match job.format.as_str() {
        "png" => resized.write_to(&mut cursor, image::ImageFormat::Png),
        "webp" if job.lossless => resized
            .to_rgba8()
            .write_to(&mut cursor, image::ImageFormat::WebP),
        "webp" => {
            let encoded = lossy_webp(&resized, job.quality).map_err(|e| {
                Diagnostic::error(&file, None, format!("cannot encode the resized image: {e}"))
            })?;
            cursor.get_mut().extend_from_slice(&encoded);
            Ok(())
        }
        _ => {
            let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut cursor, job.quality);
            resized.to_rgb8().write_with_encoder(enc)
        }
    };
    result.map_err(|e| {
        Diagnostic::error(&file, None, format!("cannot encode the resized image: {e}"))
    })?;
    Ok(OutputFile {
        path: job.output.clone(),
        contents: crate::output::Contents::Bytes(bytes),
    })
}

/// Lossy WebP at `quality` (0–100) with libwebp: the image crate's encoder is lossless only,
/// which makes photographs several times heavier than JPEG.
fn lossy_webp(img: &image::DynamicImage, quality: u8) -> Result<Vec<u8>, String> {
    let (w, h) = (img.width(), img.height());
    let memory = if img.color().has_alpha() {
        let rgba = img.to_rgba8();
        webp::Encoder::from_rgba(&rgba, w, h).encode_simple(false, f32::from(quality))
    } else {
        let rgb = img.to_rgb8();
        webp::Encoder::from_rgb(&rgb, w, h).encode_simple(false, f32::from(quality))
    };
    memory
        .map(|m| m.to_vec())
        .map_err(|e| format!("libwebp: {e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn find_file_follows_dot_dot_inside_the_site_only() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path().join("site");
        fs::create_dir_all(root.join("static")).unwrap();
        fs::write(root.join("theme.toml"), "min_version = \"0.22.0\"").unwrap();
        fs::write(site.path().join("secret.txt"), "no").unwrap();
        let found = find_file(&root, "../theme.toml", None).unwrap();
        assert_eq!(
            fs::read_to_string(found).unwrap(),
            "min_version = \"0.22.0\""
        );
        assert!(matches!(
            find_file(&root, "../secret.txt", None),
            Err(NotFound::Outside(_))
        ));
        assert!(find_file(&root, "static/../../secret.txt", None).is_err());
        assert!(matches!(
            find_file(&root, "nope.txt", None),
            Err(NotFound::Missing(_))
        ));
    }

    #[test]
    fn processed_names_are_zolas() {
        // The names Zola 0.22.1's own tests expect for `resize_image(width=40, height=40)`
        // (components/templates/src/global_fns/images.rs, `can_resize_image`).
        let name = |written: &str, file: &str| {
            processed_name(
                written,
                Path::new(file),
                hashed_op(ResizeOp::Fill, Some(40), Some(40)),
                "jpg",
                None,
            )
        };
        let content = "gutenberg.155d032b1aae0133.jpg";
        assert_eq!(
            name("static/gutenberg.jpg", "/s/static/gutenberg.jpg"),
            "gutenberg.e99218b5a3185c99.jpg"
        );
        assert_eq!(
            name("content/gutenberg.jpg", "/s/content/gutenberg.jpg"),
            content
        );
        assert_eq!(
            name("/content/gutenberg.jpg", "/s/content/gutenberg.jpg"),
            content
        );
        assert_eq!(name("@/gutenberg.jpg", "/s/content/gutenberg.jpg"), content);
        assert_eq!(
            name("gallery/asset.jpg", "/s/content/gallery/asset.jpg"),
            "asset.160461e0d0be19e6.jpg"
        );
        assert_eq!(
            name("in-theme.jpg", "/s/themes/name/static/in-theme.jpg"),
            "in-theme.d8f4f6eef30de1b2.jpg"
        );
    }

    #[test]
    fn fit_width_keeps_the_ratio_and_never_upscales() {
        assert_eq!(
            target_size(ResizeOp::FitWidth, (1200, 675), Some(600), None).unwrap(),
            (600, 338)
        );
        assert_eq!(
            target_size(ResizeOp::FitWidth, (300, 200), Some(600), None).unwrap(),
            (300, 200)
        );
        assert_eq!(
            target_size(ResizeOp::Fit, (1200, 600), Some(300), Some(300)).unwrap(),
            (300, 150)
        );
        assert!(target_size(ResizeOp::Fill, (10, 10), Some(5), None).is_err());
    }
}
