//! Checks over a rendered site that need every page at once: `@/` links whose `#anchor` does
//! not exist in the target. Reads the library and bodies; writes nothing.

use crate::content::{Item, Library};
use crate::diag::Diagnostic;
use crate::render::Bodies;

/// Every internal link whose anchor is missing from the page or section it points at.
pub fn anchors(lib: &Library, bodies: &Bodies) -> Vec<Diagnostic> {
    let sources = lib
        .pages
        .iter()
        .zip(&bodies.pages)
        .map(|(p, b)| (&p.source.file, b))
        .chain(
            lib.sections
                .iter()
                .zip(&bodies.sections)
                .map(|(s, b)| (&s.source.file, b)),
        );
    let mut problems = Vec::new();
    for (file, body) in sources {
        for link in &body.internal_links {
            let Some(anchor) = &link.anchor else { continue };
            let target = match lib.get(&link.path) {
                Some(Item::Page(i)) => &bodies.pages[i],
                Some(Item::Section(i)) => &bodies.sections[i],
                None => continue,
            };
            if !target.anchors.iter().any(|a| a == anchor) {
                problems.push(
                    Diagnostic::error(
                        file,
                        Some(link.at),
                        format!(
                            "broken anchor: `@/{}` has no heading with id `{anchor}`",
                            link.path
                        ),
                    )
                    .with_help("check the heading's id (headings get slug ids, or `{#id}`)"),
                );
            }
        }
    }
    crate::diag::sort(&mut problems);
    problems
}
