#![allow(clippy::unwrap_used, clippy::expect_used)]

mod build;
mod compat;
mod content_fallback;
mod editorial;
mod errors;
mod fixture;
mod i18n;
mod pipeline;
mod report;
mod serve;
mod theme;
mod units;
mod zola_themes;
