#![allow(clippy::unwrap_used, clippy::expect_used)]

mod build;
mod compat;
mod content_fallback;
mod errors;
mod fixture;
mod i18n;
mod init;
mod serve;
mod theme;
mod zola_themes;
