//! `structured_data(page=…, url=…, agency=…)`: a page's JSON-LD (schema.org) by its kind, as
//! text safe inside `<script type="application/ld+json">`.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use serde_json::{Map, Value, json};
use tera::{Error, Tera};

use super::data::SiteData;
use crate::model::lunar::{self, LunarDay};

pub fn register(tera: &mut Tera, data: &Arc<SiteData>) {
    let d = Arc::clone(data);
    tera.register_function("structured_data", move |args: &HashMap<String, Value>| {
        let agency = organization(args.get("agency").unwrap_or(&Value::Null), &d);
        let ld = match args.get("page") {
            Some(page) if page.is_object() => page_ld(page, args, agency, &d),
            Some(_) => return Err(Error::msg("`structured_data`: `page` must be a page")),
            None => {
                let mut org = agency;
                org.insert("@context".into(), json!("https://schema.org"));
                Value::Object(org)
            }
        };
        Ok(Value::String(script_safe(&ld)))
    });
}

/// JSON text that cannot end its `<script>` element early.
fn script_safe(v: &Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The agency as a GovernmentOrganization: `agency` is config `[extra.agency]` (or its name).
fn organization(agency: &Value, d: &SiteData) -> Map<String, Value> {
    let mut org = Map::new();
    org.insert("@type".into(), json!("GovernmentOrganization"));
    let name = match agency {
        Value::String(s) => Some(s.clone()),
        Value::Object(a) => a.get("name").and_then(Value::as_str).map(str::to_string),
        _ => None,
    };
    let name = name.or_else(|| d.config.title.clone()).unwrap_or_default();
    org.insert("name".into(), json!(name));
    org.insert("url".into(), json!(d.config.permalink("/")));
    if let Value::Object(a) = agency {
        for (from, to) in [
            ("address", "address"),
            ("phone", "telephone"),
            ("email", "email"),
        ] {
            if let Some(v) = a.get(from).filter(|v| v.is_string()) {
                org.insert(to.into(), v.clone());
            }
        }
    }
    org
}

fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn page_ld(
    page: &Value,
    args: &HashMap<String, Value>,
    agency: Map<String, Value>,
    d: &SiteData,
) -> Value {
    let x = &page["extra"];
    let url = args
        .get("url")
        .and_then(Value::as_str)
        .or_else(|| s(page, "permalink"))
        .unwrap_or_default();
    let image = s(x, "image").map(|i| {
        d.config
            .permalink(&format!("/{}", i.trim_start_matches('/')))
    });
    let mut ld = Map::new();
    ld.insert("@context".into(), json!("https://schema.org"));
    let kind = s(x, "kind").unwrap_or("");
    let mut put = |k: &str, v: Value| {
        if !v.is_null() {
            ld.insert(k.into(), v);
        }
    };
    let opt = |v: Option<&str>| v.map_or(Value::Null, |v| json!(v));
    let place = |name: Option<&str>| {
        name.map_or(Value::Null, |n| {
            let mut p = json!({ "@type": "Place", "name": n });
            if let (Some(lat), Some(lon)) = (x.get("latitude"), x.get("longitude")) {
                p["geo"] = json!({ "@type": "GeoCoordinates", "latitude": lat, "longitude": lon });
            }
            p
        })
    };
    let ty = match kind {
        "correction" if s(x, "scope") == Some("outside") => "ClaimReview",
        "news" | "statement" | "correction" => "NewsArticle",
        "document" => match s(x, "doc_type") {
            Some("law" | "decree" | "resolution" | "decision" | "directive" | "circular") => {
                "Legislation"
            }
            _ => "DigitalDocument",
        },
        "destination" => "TouristAttraction",
        "event" => "Event",
        "gallery" => "ImageGallery",
        "video" => "VideoObject",
        "person" => "Person",
        _ => "Article",
    };
    put("@type", json!(ty));
    put("url", json!(url));
    put("inLanguage", opt(s(page, "lang")));
    let title = opt(s(page, "title"));
    let description = opt(s(page, "description"));
    match ty {
        "Person" => {
            put("name", title);
            put(
                "description",
                opt(s(x, "known_for"))
                    .as_str()
                    .map_or(description, |k| json!(k)),
            );
            put("birthDate", opt(s(x, "born")));
            put("deathDate", opt(s(x, "died")));
            put("birthPlace", place(s(x, "birth_place")));
            put("image", opt(image.as_deref()));
            return Value::Object(ld);
        }
        "TouristAttraction" => {
            put("name", title);
            put("description", description);
            put("address", opt(s(x, "location")));
            if let (Some(lat), Some(lon)) = (x.get("latitude"), x.get("longitude")) {
                put(
                    "geo",
                    json!({ "@type": "GeoCoordinates", "latitude": lat, "longitude": lon }),
                );
            }
            put("openingHours", opt(s(x, "opening_hours")));
            put("image", opt(image.as_deref()));
            return Value::Object(ld);
        }
        "Event" => {
            put("name", title);
            put("description", description);
            put("startDate", opt(event_start(x, d).as_deref()));
            put(
                "eventAttendanceMode",
                json!("https://schema.org/OfflineEventAttendanceMode"),
            );
            put("eventStatus", json!("https://schema.org/EventScheduled"));
            put("location", place(s(x, "location")));
            put(
                "organizer",
                opt(s(x, "organizer")).as_str().map_or(
                    Value::Object(agency),
                    |o| json!({ "@type": "Organization", "name": o }),
                ),
            );
            put("image", opt(image.as_deref()));
            return Value::Object(ld);
        }
        _ => {}
    }
    put(
        if ty == "ClaimReview" {
            "name"
        } else {
            "headline"
        },
        title,
    );
    put("description", description);
    put("datePublished", opt(s(page, "date")));
    put(
        "dateModified",
        opt(s(page, "updated").or_else(|| s(page, "date"))),
    );
    put("image", opt(image.as_deref()));
    put("publisher", Value::Object(agency.clone()));
    let authors: Vec<Value> = page["authors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|a| json!({ "@type": "Person", "name": a }))
        .collect();
    put(
        "author",
        if authors.is_empty() {
            Value::Object(agency)
        } else {
            json!(authors)
        },
    );
    match ty {
        "ClaimReview" => {
            put("claimReviewed", opt(s(x, "claim")));
            let mut claim = json!({ "@type": "Claim" });
            if let Some(src) = s(x, "claim_source") {
                claim["author"] = json!({ "@type": "Organization", "name": src });
            }
            if let Some(date) = s(x, "claim_date") {
                claim["datePublished"] = json!(date);
            }
            if let Some(u) = s(x, "claim_url") {
                claim["appearance"] = json!(u);
            }
            put("itemReviewed", claim);
            if let Some(v) = s(x, "verdict") {
                put(
                    "reviewRating",
                    json!({ "@type": "Rating", "alternateName": v }),
                );
            }
        }
        "Legislation" | "DigitalDocument" => {
            put("abstract", opt(s(x, "abstract")));
            if ty == "Legislation" {
                put("legislationIdentifier", opt(s(x, "number")));
                put("legislationDate", opt(s(x, "issued")));
                put(
                    "legislationPassedBy",
                    opt(s(x, "issuer")).as_str().map_or(
                        Value::Null,
                        |i| json!({ "@type": "GovernmentOrganization", "name": i }),
                    ),
                );
                put("legislationType", opt(s(x, "doc_type")));
            } else {
                put("identifier", opt(s(x, "number")));
                put("dateCreated", opt(s(x, "issued")));
            }
            let files: Vec<Value> = x["attachments"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|a| {
                    json!({
                        "@type": "MediaObject",
                        "name": a["title"],
                        "contentUrl": s(a, "file").map(|f| d.config.permalink(&format!("/{}", f.trim_start_matches('/')))),
                        "encodingFormat": a["format"],
                        "contentSize": a["size"],
                    })
                })
                .collect();
            if !files.is_empty() {
                put("associatedMedia", json!(files));
            }
        }
        "ImageGallery" => {
            let pictures: Vec<Value> = x["pictures"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| {
                    json!({
                        "@type": "ImageObject",
                        "contentUrl": s(p, "src").map(|f| d.config.permalink(&format!("/{}", f.trim_start_matches('/')))),
                        "caption": p.get("caption").or_else(|| p.get("alt")),
                    })
                })
                .collect();
            put("associatedMedia", json!(pictures));
        }
        "VideoObject" => {
            put("name", opt(s(page, "title")));
            put("uploadDate", opt(s(page, "date")));
            let abs = |f: &str| {
                d.config
                    .permalink(&format!("/{}", f.trim_start_matches('/')))
            };
            put("contentUrl", opt(s(x, "video").map(abs).as_deref()));
            put("thumbnailUrl", opt(s(x, "poster").map(abs).as_deref()));
            let captions: Vec<Value> = x["captions"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| {
                    json!({
                        "@type": "MediaObject",
                        "contentUrl": s(c, "src").map(abs),
                        "encodingFormat": "text/vtt",
                        "inLanguage": c["lang"],
                    })
                })
                .collect();
            put("caption", json!(captions));
        }
        _ => {}
    }
    Value::Object(ld)
}

/// An event's next date: its recurring lunar day converted, or its solar date.
fn event_start(x: &Value, d: &SiteData) -> Option<String> {
    let e = &d.config.editorial;
    let today = e.now.with_timezone(&e.time_zone).date_naive();
    match s(x, "lunar").and_then(LunarDay::parse) {
        Some(day) => {
            lunar::next_occurrence(day, today, lunar::VIETNAM, true).map(|d| d.to_string())
        }
        None => s(x, "solar_date")
            .and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
            .map(|d| d.to_string()),
    }
}
