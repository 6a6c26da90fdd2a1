//! Tre: a fast, Zola-compatible static site generator for multilingual portals.

pub mod config;
pub mod diag;
pub mod markdown;
pub mod text;
