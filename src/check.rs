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

/// When the site has units, a warning for each content file no unit owns: nobody's review
/// rule covers it. Declare the home a unit (with `allow_units_inside = true`) to own the rest.
pub fn unowned(lib: &Library) -> Vec<Diagnostic> {
    if lib.units.is_empty() {
        return Vec::new();
    }
    let pages = (0..lib.pages.len())
        .filter(|&i| lib.pages[i].fallback.is_none())
        .map(Item::Page);
    let sections = (0..lib.sections.len())
        .filter(|&i| lib.sections[i].fallback.is_none() && !lib.sections[i].is_virtual)
        .map(Item::Section);
    pages
        .chain(sections)
        .filter(|&item| lib.unit_of(item).is_none())
        .map(|item| {
            let file = match item {
                Item::Page(i) => &lib.pages[i].source.file,
                Item::Section(i) => &lib.sections[i].source.file,
            };
            Diagnostic::warning(file, None, "no unit owns this file")
                .with_help("move it into a unit's directory, or make content/_index.md a unit with allow_units_inside = true")
        })
        .collect()
}
