//! The processed-picture cache in `.tre-cache/images/` on tests/fixtures/zola-images: a hit is
//! not encoded again, an edited picture is, and entries no build used are deleted.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::SystemTime;

use tre::BuildOptions;

use crate::fixture;

fn cache(root: &Path) -> BTreeMap<String, SystemTime> {
    fs::read_dir(root.join(".tre-cache/images"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect()
}

fn build(root: &Path) {
    tre::build(root, &BuildOptions::default()).unwrap();
}

#[test]
fn the_picture_cache_hits_misses_and_cleans() {
    let dir = fixture::copy("zola-images");
    let root = dir.path();
    build(root);
    let first = cache(root);
    assert!(!first.is_empty());
    // Every processed picture in the output is a copy of a cache entry.
    let processed = fixture::files_under(&root.join("public/processed_images"));
    assert_eq!(processed.len(), first.len());
    for p in &processed {
        let out = fs::read(root.join("public/processed_images").join(p)).unwrap();
        assert!(
            first
                .keys()
                .any(|k| fs::read(root.join(".tre-cache/images").join(k)).unwrap() == out),
            "{p} is not in the cache"
        );
    }

    // Unchanged pictures: the same entries, none written again.
    std::thread::sleep(std::time::Duration::from_millis(20));
    build(root);
    assert_eq!(cache(root), first);

    // A new version of the logo: one new entry, and the old one is gone.
    let logo = root.join("static/img/logo.png");
    let mut img = image::open(&logo).unwrap().to_rgba8();
    for p in img.pixels_mut() {
        p.0[0] = 255 - p.0[0];
    }
    img.save(&logo).unwrap();
    build(root);
    let third = cache(root);
    assert_eq!(third.len(), first.len());
    let new: Vec<_> = third.keys().filter(|k| !first.contains_key(*k)).collect();
    assert_eq!(new.len(), 1, "{third:?}");

    // A template that no longer asks for the logo: its entry is deleted.
    fs::write(
        root.join("templates/index.html"),
        "<!DOCTYPE html>\n<html lang=\"en\"><head><title>x</title></head><body></body></html>\n",
    )
    .unwrap();
    build(root);
    let fourth = cache(root);
    assert_eq!(fourth.len(), first.len() - 1);
    assert!(!fourth.contains_key(new[0]));
}

#[test]
fn sources_with_the_same_bytes_share_a_cache_entry() {
    // The key is the content and the operation, not the path.
    let dir = fixture::copy("zola-images");
    let root = dir.path();
    fs::copy(
        root.join("static/img/logo.png"),
        root.join("static/img/logo-copy.png"),
    )
    .unwrap();
    fs::write(
        root.join("templates/index.html"),
        "<!DOCTYPE html>\n<html lang=\"en\"><head><title>x</title></head><body>\
         {% set a = resize_image(path=\"img/logo.png\", width=40, op=\"fit_width\", format=\"jpg\", quality=80) %}\
         {% set b = resize_image(path=\"img/logo-copy.png\", width=40, op=\"fit_width\", format=\"jpg\", quality=80) %}\
         <img src=\"{{ a.url }}\" alt=\"\"><img src=\"{{ b.url }}\" alt=\"\"></body></html>\n",
    )
    .unwrap();
    build(root);
    let processed = fixture::files_under(&root.join("public/processed_images"));
    let entries = cache(root);
    assert_eq!(
        processed.len(),
        entries.len() + 1,
        "{processed:?} {entries:?}"
    );
}

/// `img` as a JPEG with `tiff` as its EXIF block (APP1, right after the SOI marker).
fn jpeg_with_exif(img: &image::RgbImage, tiff: &[u8]) -> Vec<u8> {
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(img)
        .unwrap();
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
    app1.extend_from_slice(b"Exif\0\0");
    app1.extend_from_slice(tiff);
    jpeg.splice(2..2, app1);
    jpeg
}

/// A JPEG of `w`×`h` with an EXIF block (APP1) holding a GPS position and a description
/// naming it, as a phone writes one.
fn jpeg_with_gps(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([
            (x * 255 / w) as u8,
            (y * 255 / h) as u8,
            ((x + y) % 256) as u8,
        ])
    });
    // TIFF, little-endian: IFD0 = { ImageDescription, GPSInfo → GPS IFD = { GPSLatitudeRef } }.
    let description = b"GPS 22.4127N 104.5318E\0";
    let mut t = b"II\x2a\0\x08\0\0\0".to_vec();
    let ifd0_end = 8 + 2 + 2 * 12 + 4;
    let gps_ifd = ifd0_end + description.len();
    t.extend_from_slice(&2u16.to_le_bytes());
    for (tag, ty, count, value) in [
        (0x010Eu16, 2u16, description.len() as u32, ifd0_end as u32),
        (0x8825, 4, 1, gps_ifd as u32),
    ] {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&ty.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value.to_le_bytes());
    }
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(description);
    t.extend_from_slice(&1u16.to_le_bytes());
    t.extend_from_slice(&1u16.to_le_bytes()); // GPSLatitudeRef
    t.extend_from_slice(&2u16.to_le_bytes());
    t.extend_from_slice(&2u32.to_le_bytes());
    t.extend_from_slice(b"N\0\0\0");
    t.extend_from_slice(&0u32.to_le_bytes());
    jpeg_with_exif(&img, &t)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A new portal (`tre init`, the built-in theme) with an article whose hero picture is in
/// static/ and whose body has a figure and a Markdown image of a picture beside it, all
/// JPEGs with a GPS position.
fn portal_with_pictures(extra_config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let opts = tre::init::InitOptions {
        languages: vec!["vi".into(), "en".into()],
        ..tre::init::InitOptions::default()
    };
    tre::init::init(dir.path(), &opts).unwrap();
    let root = dir.path();
    if !extra_config.is_empty() {
        let config = root.join("config.toml");
        let text = fs::read_to_string(&config).unwrap();
        let text = match text.find("\n[hosting]\n") {
            Some(i) => format!(
                "{}\n[hosting]\n{extra_config}{}",
                &text[..i],
                &text[i + 10..]
            ),
            None => text.replacen("\n[", &format!("\n[hosting]\n{extra_config}\n["), 1),
        };
        fs::write(config, text).unwrap();
    }
    fs::create_dir_all(root.join("static/images")).unwrap();
    fs::write(root.join("static/images/cau.jpg"), jpeg_with_gps(1600, 900)).unwrap();
    let page = root.join("content/tin-tuc/cau-moi");
    fs::create_dir_all(&page).unwrap();
    fs::write(page.join("ho.jpg"), jpeg_with_gps(1200, 800)).unwrap();
    fs::write(
        page.join("index.md"),
        "+++\ntitle = \"Cầu mới\"\ndate = 2026-11-20\n\n[extra]\nimage = \"images/cau.jpg\"\nimage_alt = \"Cây cầu mới bắc qua sông\"\n+++\nCầu mới đã thông xe.\n\n{{ figure(src=\"ho.jpg\", alt=\"Mặt hồ\") }}\n\n![Hồ nước](ho.jpg)\n",
    )
    .unwrap();
    dir
}

#[test]
fn pictures_are_webp_and_jpeg_in_a_picture_with_sizes_and_no_gps() {
    let site = fixture::build_dir(portal_with_pictures(""), &BuildOptions::default());
    // Tera escapes `/` in attributes as `&#x2F;`, which browsers read as `/`.
    let html = site
        .read("tin-tuc/cau-moi/index.html")
        .replace("&#x2F;", "/");
    let webp_src = regex::Regex::new(
        r#"<picture><source type="image/webp" srcset="(\S+\.webp) 480w, (\S+\.webp) 960w" sizes="[^"]+">\s*<img src="\S+\.jpg" srcset="\S+\.jpg 480w, \S+\.jpg 960w" sizes="[^"]+" width="(\d+)" height="(\d+)" alt="([^"]*)"( fetchpriority="high"| loading="lazy") decoding="async"></picture>"#,
    )
    .unwrap();
    let pictures: Vec<_> = webp_src.captures_iter(&html).collect();
    assert_eq!(pictures.len(), 2, "the hero and the figure:\n{html}");
    // The hero: first on the screen, fetched first; 960 px wide at 16:9.
    assert_eq!(&pictures[0][3], "960");
    assert_eq!(&pictures[0][4], "540");
    assert_eq!(&pictures[0][5], "Cây cầu mới bắc qua sông");
    assert_eq!(&pictures[0][6], r#" fetchpriority="high""#);
    assert_eq!(&pictures[1][6], r#" loading="lazy""#);
    for p in &pictures {
        for (url, width) in [(&p[1], 480), (&p[2], 960)] {
            let path = url
                .strip_prefix("https://example.gov.vn/")
                .unwrap_or_else(|| panic!("{url}"));
            let bytes = fs::read(site.dir.path().join("public").join(path)).unwrap();
            // Lossy WebP: a `VP8 ` chunk (lossless would be `VP8L`).
            assert_eq!(&bytes[12..16], b"VP8 ", "{path} is not lossy WebP");
            let img = image::load_from_memory(&bytes).unwrap();
            assert_eq!(img.width(), width, "{path}");
        }
    }
    // Every published picture: the originals copied from static/ and beside the page, and the
    // resized ones, has no EXIF and no trace of the position, and still decodes.
    let public = site.dir.path().join("public");
    let jpegs: Vec<String> = fixture::files_under(&public)
        .into_iter()
        .filter(|f| f.ends_with(".jpg") || f.ends_with(".webp"))
        .collect();
    assert!(jpegs.contains(&"images/cau.jpg".to_string()));
    assert!(jpegs.contains(&"tin-tuc/cau-moi/ho.jpg".to_string()));
    assert!(jpegs.len() >= 10, "{jpegs:?}");
    for f in &jpegs {
        let bytes = fs::read(public.join(f)).unwrap();
        assert!(!contains(&bytes, b"Exif\0\0"), "{f} has EXIF");
        assert!(!contains(&bytes, b"22.4127N"), "{f} has the position");
        image::load_from_memory(&bytes).unwrap();
    }
    let original =
        image::load_from_memory(&fs::read(public.join("images/cau.jpg")).unwrap()).unwrap();
    assert_eq!((original.width(), original.height()), (1600, 900));
    // The Markdown image points at the cleaned copy.
    assert!(
        html.contains(r#"<img src="ho.jpg" alt="Hồ nước""#)
            || html.contains("ho.jpg\" alt=\"Hồ nước\""),
        "{html}"
    );
}

#[test]
fn a_site_that_keeps_picture_metadata_publishes_the_originals_as_they_are() {
    let dir = portal_with_pictures("keep_picture_metadata = true\n");
    let source = fs::read(dir.path().join("static/images/cau.jpg")).unwrap();
    let site = fixture::build_dir(dir, &BuildOptions::default());
    let public = site.dir.path().join("public");
    assert_eq!(fs::read(public.join("images/cau.jpg")).unwrap(), source);
    // Resized pictures never carry it: the encoders write none.
    for f in fixture::files_under(&public.join("processed_images")) {
        let bytes = fs::read(public.join("processed_images").join(&f)).unwrap();
        assert!(!contains(&bytes, b"Exif\0\0"), "{f}");
    }
}

/// A JPEG stored `w`×`h`, left half red and right half blue, with an EXIF block holding only
/// `orientation` (6: shown turned a quarter clockwise, as a phone held upright writes it).
fn jpeg_with_orientation(w: u32, h: u32, orientation: u16) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, _| {
        if x < w / 2 {
            image::Rgb([220, 20, 20])
        } else {
            image::Rgb([20, 20, 220])
        }
    });
    // TIFF, big-endian: IFD0 = { Orientation (SHORT) }.
    let mut t = b"MM\0\x2a\0\0\0\x08".to_vec();
    t.extend_from_slice(&1u16.to_be_bytes());
    t.extend_from_slice(&0x0112u16.to_be_bytes());
    t.extend_from_slice(&3u16.to_be_bytes());
    t.extend_from_slice(&1u32.to_be_bytes());
    t.extend_from_slice(&orientation.to_be_bytes());
    t.extend_from_slice(&[0, 0]);
    t.extend_from_slice(&0u32.to_be_bytes());
    jpeg_with_exif(&img, &t)
}

fn is_red(p: image::Rgb<u8>) -> bool {
    p.0[0] > 150 && p.0[2] < 100
}

fn is_blue(p: image::Rgb<u8>) -> bool {
    p.0[2] > 150 && p.0[0] < 100
}

#[test]
fn issue_14_a_rotated_photo_is_resized_upright_with_its_shown_size() {
    let dir = portal_with_pictures("");
    let page = dir.path().join("content/tin-tuc/chan-dung");
    fs::create_dir_all(&page).unwrap();
    // Stored 1200×800, shown 800×1200: red on top, blue below.
    fs::write(page.join("dung.jpg"), jpeg_with_orientation(1200, 800, 6)).unwrap();
    fs::write(
        page.join("index.md"),
        "+++\ntitle = \"Chân dung\"\ndate = 2026-11-21\n+++\n{{ figure(src=\"dung.jpg\", alt=\"Chân dung\") }}\n",
    )
    .unwrap();
    let site = fixture::build_dir(dir, &BuildOptions::default());
    let html = site
        .read("tin-tuc/chan-dung/index.html")
        .replace("&#x2F;", "/");
    let img = regex::Regex::new(
        r#"<img src="https://example.gov.vn/(\S+\.jpg)" srcset="https://example.gov.vn/(\S+\.jpg) 480w, \S+ 960w" sizes="[^"]+" width="(\d+)" height="(\d+)""#,
    )
    .unwrap();
    let c = img.captures(&html).unwrap_or_else(|| panic!("{html}"));
    // fit_width 960 of a picture 800 wide shown: 800×1200, never upscaled.
    assert_eq!((&c[3], &c[4]), ("800", "1200"));
    let public = site.dir.path().join("public");
    for (path, size) in [(&c[1], (800, 1200)), (&c[2], (480, 720))] {
        let out = image::load_from_memory(&fs::read(public.join(path)).unwrap())
            .unwrap()
            .to_rgb8();
        assert_eq!(out.dimensions(), size, "{path}");
        let (w, h) = size;
        assert!(
            is_red(*out.get_pixel(w / 2, h / 8)),
            "{path}: top is not red"
        );
        assert!(
            is_blue(*out.get_pixel(w / 2, h * 7 / 8)),
            "{path}: bottom is not blue"
        );
        assert!(!contains(
            &fs::read(public.join(path)).unwrap(),
            b"Exif\0\0"
        ));
    }
    // The original is published with its orientation alone, which browsers apply.
    let original = fs::read(public.join("tin-tuc/chan-dung/dung.jpg")).unwrap();
    assert!(
        contains(&original, &[0x01, 0x12, 0x00, 0x03])
            || contains(&original, &[0x12, 0x01, 0x03, 0x00])
    );
}

#[test]
fn issue_14_markdown_images_become_pictures_when_the_site_asks() {
    let dir = portal_with_pictures("responsive_images = true\n");
    let page = dir.path().join("content/tin-tuc/anh");
    fs::create_dir_all(&page).unwrap();
    let png = image::RgbaImage::from_pixel(300, 200, image::Rgba([0, 90, 160, 128]));
    png.save(page.join("nho.png")).unwrap();
    fs::write(
        dir.path().join("static/images/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    fs::write(
        page.join("index.md"),
        "+++\ntitle = \"Ảnh\"\ndate = 2026-11-22\n+++\n![Cầu & sông](/images/cau.jpg \"Cầu mới\")\n\n![Nhỏ](nho.png)\n\n![Xa](https://example.org/a.jpg)\n\n![Logo](/images/logo.svg)\n",
    )
    .unwrap();
    let site = fixture::build_dir(dir, &BuildOptions::default());
    let public = site.dir.path().join("public");
    let html = site.read("tin-tuc/anh/index.html").replace("&#x2F;", "/");
    let wide = regex::Regex::new(
        r#"<picture><source type="image/webp" srcset="https://example.gov.vn/(\S+\.webp) 480w, https://example.gov.vn/(\S+\.webp) 960w" sizes="[^"]+">\s*<img src="https://example.gov.vn/(\S+\.jpg)" srcset="\S+\.jpg 480w, \S+\.jpg 960w" sizes="[^"]+" width="960" height="540" alt="Cầu &amp; sông" title="Cầu mới" loading="lazy" decoding="async"></picture>"#,
    )
    .unwrap();
    let c = wide.captures(&html).unwrap_or_else(|| panic!("{html}"));
    for (path, width) in [(&c[1], 480), (&c[2], 960)] {
        let bytes = fs::read(public.join(path)).unwrap();
        assert_eq!(&bytes[12..16], b"VP8 ", "{path} is not lossy WebP");
        assert_eq!(image::load_from_memory(&bytes).unwrap().width(), width);
    }
    assert_eq!(
        image::load_from_memory(&fs::read(public.join(&c[3])).unwrap())
            .unwrap()
            .width(),
        960
    );
    // Narrower than 480 px: one size, its own; a PNG keeps a PNG fallback (transparency).
    let small = regex::Regex::new(
        r#"<picture><source type="image/webp" srcset="https://example.gov.vn/\S+\.webp">\s*<img src="https://example.gov.vn/(\S+\.png)" width="300" height="200" alt="Nhỏ" loading="lazy" decoding="async"></picture>"#,
    )
    .unwrap();
    let c = small.captures(&html).unwrap_or_else(|| panic!("{html}"));
    let fallback = image::load_from_memory(&fs::read(public.join(&c[1])).unwrap()).unwrap();
    assert!(fallback.color().has_alpha());
    // A remote picture and an SVG stay as Zola writes them.
    assert!(
        html.contains(r#"<img src="https://example.org/a.jpg" alt="Xa">"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<img src="/images/logo.svg" alt="Logo">"#),
        "{html}"
    );
    // The colocated picture of the other article, beside its figure.
    let other = site
        .read("tin-tuc/cau-moi/index.html")
        .replace("&#x2F;", "/");
    assert!(
        other.contains(r#"width="960" height="640" alt="Hồ nước" loading="lazy""#),
        "{other}"
    );
    assert!(!other.contains(r#"<img src="https://example.gov.vn/tin-tuc/cau-moi/ho.jpg""#));
}
