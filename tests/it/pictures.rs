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
