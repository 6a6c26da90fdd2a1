//! Tre: a fast, Zola-compatible static site generator for multilingual portals.

pub mod diag;
pub mod i18n;
