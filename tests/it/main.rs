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
mod init;
mod model;
mod pipeline;
mod safety;
mod serve;
mod theme;
mod zola_themes;
