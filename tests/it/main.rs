#![allow(clippy::unwrap_used, clippy::expect_used)]

mod build;
mod compat;
mod compat_round2;
mod content_fallback;
mod deploy;
mod editorial;
mod errors;
mod fixture;
mod i18n;
mod model;
mod pipeline;
mod report;
mod serve;
mod theme;
mod units;
mod zola_themes;
