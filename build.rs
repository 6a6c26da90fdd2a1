//! Embeds `elasticlunr.min.js` from the npm package `elasticlunr` (pinned in
//! tools/elasticlunr/package-lock.json; `npm ci --prefix tools/elasticlunr` installs it), which
//! Tre writes beside an elasticlunr search index as Zola does. Without the package, Tre is
//! built with an empty script and says so when a site asks for one.

use std::path::PathBuf;
use std::{env, fs};

fn main() {
    println!("cargo:rerun-if-changed=tools/elasticlunr");
    println!("cargo:rerun-if-env-changed=TRE_ELASTICLUNR_JS");
    let source = env::var_os("TRE_ELASTICLUNR_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from("tools/elasticlunr/node_modules/elasticlunr/elasticlunr.min.js")
        });
    let script = fs::read(&source).unwrap_or_else(|_| {
        println!(
            "cargo:warning=no {}: Tre will not write elasticlunr.min.js (run `npm ci --prefix tools/elasticlunr` and build again)",
            source.display()
        );
        Vec::new()
    });
    let Some(out) = env::var_os("OUT_DIR") else {
        panic!("cargo sets OUT_DIR for build scripts");
    };
    let target = PathBuf::from(out).join("elasticlunr.min.js");
    if fs::read(&target).ok().as_deref() != Some(script.as_slice()) {
        if let Err(e) = fs::write(&target, &script) {
            panic!("cannot write {}: {e}", target.display());
        }
    }
}
