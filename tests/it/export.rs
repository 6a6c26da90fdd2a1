//! The JSON export (`[hosting] export = true`) on tests/fixtures/units, with a page of a kind
//! with a picture and tags added: every file validated against schema/export-v1.schema.json by
//! a real JSON Schema validator (the `jsonschema` crate), its contents, and the change list
//! after an edit, an addition and a removal.

use std::fs;
use std::path::Path;

use serde_json::Value;
use tre::BuildOptions;

use crate::fixture;

const FAIR: &str = "+++
title = \"Hội chợ hàng nông sản\"
date = 2026-11-15
description = \"Hội chợ đặc sản tháng Mười một.\"

[taxonomies]
tags = [\"hội chợ\", \"nông sản\"]

[extra]
kind = \"event\"
location = \"Quảng trường tỉnh\"
image = \"images/hoi-cho.jpg\"
image_alt = \"Gian hàng mật ong bản Phìn\"
+++
Hội chợ hàng nông sản đặc sản của tỉnh.
";

fn site_with_export() -> tempfile::TempDir {
    let dir = fixture::copy("units");
    let config = dir.path().join("config.toml");
    let mut text = fs::read_to_string(&config).unwrap();
    text = text.replacen(
        "build_search_index = true\n",
        "build_search_index = true\ntaxonomies = [{ name = \"tags\", render = false }]\n",
        1,
    );
    text.push_str("\n[hosting]\nexport = true\n");
    fs::write(&config, text).unwrap();
    let page = dir.path().join("content/don-vi/so-cong-thuong/hoi-cho.md");
    fs::write(page, FAIR).unwrap();
    dir
}

fn json(root: &Path, path: &str) -> Value {
    let text = fs::read_to_string(root.join("public").join(path)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn validate(schema: &Value, doc: &Value, what: &str) {
    let validator = jsonschema::draft202012::new(schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}:\n{}", errors.join("\n"));
}

fn item<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item {id}"))
}

fn ids(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap())
        .collect()
}

#[test]
fn the_export_of_each_language_follows_its_published_schema() {
    let site = fixture::build_dir(site_with_export(), &BuildOptions::default());
    let root = site.dir.path();
    // The published schema is the repository's.
    let schema = json(root, "export/v1/schema.json");
    let repo: Value = serde_json::from_str(tre::export::SCHEMA).unwrap();
    assert_eq!(schema, repo);
    for lang in ["vi", "en"] {
        let doc = json(root, &format!("export/v1/{lang}.json"));
        validate(&schema, &doc, &format!("export/v1/{lang}.json"));
        assert_eq!(doc["version"], 1);
        assert_eq!(doc["language"], lang);
        assert!(doc["items"].as_array().unwrap().len() >= 5, "{lang}: {doc}");
    }
    validate(
        &schema,
        &json(root, "export/v1/changes.json"),
        "changes.json",
    );

    let vi = json(root, "export/v1/vi.json");
    let fair = item(&vi, "don-vi/so-cong-thuong/hoi-cho");
    assert_eq!(fair["type"], "page");
    assert_eq!(
        fair["url"],
        "https://tinh.example.gov.vn/don-vi/so-cong-thuong/hoi-cho/"
    );
    assert_eq!(fair["title"], "Hội chợ hàng nông sản");
    assert_eq!(fair["summary"], "Hội chợ đặc sản tháng Mười một.");
    assert_eq!(fair["kind"], "event");
    assert_eq!(fair["fields"]["location"], "Quảng trường tỉnh");
    assert!(fair["fields"].get("image").is_none() && fair["fields"].get("kind").is_none());
    assert_eq!(fair["date"], "2026-11-15T00:00:00+00:00");
    assert_eq!(fair["unit"]["id"], "don-vi/so-cong-thuong");
    assert_eq!(fair["unit"]["name"], "Sở Công Thương");
    assert_eq!(
        fair["translations"],
        serde_json::json!([{ "language": "en", "url": "https://tinh.example.gov.vn/en/don-vi/so-cong-thuong/hoi-cho/" }])
    );
    assert_eq!(
        fair["taxonomies"]["tags"],
        serde_json::json!(["hội chợ", "nông sản"])
    );
    assert_eq!(
        fair["pictures"],
        serde_json::json!([{ "field": "image", "url": "https://tinh.example.gov.vn/images/hoi-cho.jpg", "alt": "Gian hàng mật ong bản Phìn" }])
    );
    // The English unit name, and a commune page shown in English before it is translated.
    let en = json(root, "export/v1/en.json");
    let fair_en = item(&en, "don-vi/so-cong-thuong/hoi-cho");
    assert_eq!(fair_en["unit"]["name"], "Department of Industry and Trade");
    let water = item(&en, "don-vi/xa-tan-lap/nuoc-sach");
    assert_eq!(
        (&water["language"], &water["text_language"]),
        (&"en".into(), &"vi".into())
    );

    // A first build: everything is new.
    let changes = json(root, "export/v1/changes.json");
    assert!(changes["languages"]["vi"]["from"].is_null());
    assert_eq!(changes["languages"]["vi"]["to"], vi["digest"]);
    assert_eq!(
        ids(&changes["languages"]["vi"]["added"]).len(),
        vi["items"].as_array().unwrap().len()
    );
}

#[test]
fn the_change_list_names_what_was_added_changed_and_removed_since_the_last_build() {
    let site = fixture::build_dir(site_with_export(), &BuildOptions::default());
    let root = site.dir.path().to_path_buf();
    let before = json(&root, "export/v1/vi.json");
    let content = root.join("content");
    fs::write(
        content.join("don-vi/so-cong-thuong/hoi-cho.md"),
        FAIR.replace("Quảng trường tỉnh", "Nhà văn hóa tỉnh"),
    )
    .unwrap();
    fs::remove_file(content.join("don-vi/xa-tan-lap/nuoc-sach.md")).unwrap();
    fs::write(
        content.join("tin-tuc/le-hoi.md"),
        "+++\ntitle = \"Lễ hội\"\ndate = 2026-10-01\n+++\nLễ hội.\n",
    )
    .unwrap();
    let site = fixture::build_dir(site.dir, &BuildOptions::default());
    let after = json(site.dir.path(), "export/v1/vi.json");
    let changes = json(site.dir.path(), "export/v1/changes.json");
    let vi = &changes["languages"]["vi"];
    assert_eq!(vi["from"], before["digest"]);
    assert_eq!(vi["to"], after["digest"]);
    assert_ne!(before["digest"], after["digest"]);
    assert_eq!(ids(&vi["added"]), ["tin-tuc/le-hoi"]);
    assert_eq!(ids(&vi["changed"]), ["don-vi/so-cong-thuong/hoi-cho"]);
    assert_eq!(ids(&vi["removed"]), ["don-vi/xa-tan-lap/nuoc-sach"]);
    // English: the fair's translation did not change; the commune's fallback copy is gone.
    let en = &changes["languages"]["en"];
    assert_eq!(ids(&en["changed"]), Vec::<&str>::new());
    assert_eq!(ids(&en["removed"]), ["don-vi/xa-tan-lap/nuoc-sach"]);

    // A build with nothing changed has nothing to report, and the same digest.
    let site = fixture::build_dir(site.dir, &BuildOptions::default());
    let changes = json(site.dir.path(), "export/v1/changes.json");
    let vi = &changes["languages"]["vi"];
    assert_eq!(vi["from"], vi["to"]);
    for list in ["added", "changed", "removed"] {
        assert!(ids(&vi[list]).is_empty(), "{list}: {vi}");
    }
}

#[test]
fn an_export_that_breaks_the_schema_is_caught_by_the_validator() {
    // The validator really checks: a missing field and a wrong type are both found.
    let site = fixture::build_dir(site_with_export(), &BuildOptions::default());
    let schema: Value = serde_json::from_str(tre::export::SCHEMA).unwrap();
    let doc = json(site.dir.path(), "export/v1/vi.json");
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    assert!(validator.is_valid(&doc));
    let mut no_url = doc.clone();
    no_url["items"][0].as_object_mut().unwrap().remove("url");
    assert!(!validator.is_valid(&no_url));
    let mut bad_date = doc.clone();
    bad_date["items"][1]["date"] = 20261115.into();
    assert!(!validator.is_valid(&bad_date));
    let mut unknown = doc;
    unknown["items"][2]["author_phone"] = "0209".into();
    assert!(!validator.is_valid(&unknown));
}
