//! What `tre serve` keeps of each source file once its body is rendered: a digest instead of
//! the text. A 50k-article portal holds ~0.75 GB of Markdown; serve needs it only to tell a
//! body edit from a front-matter edit, which digests do, and to render every body again,
//! which reads the files again and checks them against their digests.

use std::hash::{DefaultHasher, Hasher};
use std::path::Path;

use rayon::prelude::*;

use crate::content::{self, Item, Library, SourceFile};
use crate::diag::Diagnostic;

/// A source text as digests: where its body starts, its front matter's and its whole text's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digest {
    pub body_start: usize,
    pub front: u64,
    pub whole: u64,
}

impl Digest {
    pub fn of(text: &str, body_start: usize) -> Digest {
        let front = text.get(..body_start).unwrap_or(text);
        Digest {
            body_start,
            front: hash(front.as_bytes()),
            whole: hash(text.as_bytes()),
        }
    }
}

/// Within one process the standard hasher is stable, and 64 bits make a collision between
/// two saves of one file negligible.
fn hash(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

/// The digests of the texts serve let go, per page and per section.
#[derive(Default)]
pub struct Texts {
    pages: Vec<Option<Digest>>,
    sections: Vec<Option<Digest>>,
}

impl Texts {
    /// The digest of `item`'s text, held or let go.
    pub fn digest(&self, lib: &Library, item: Item) -> Digest {
        let kept = match item {
            Item::Page(i) => self.pages.get(i),
            Item::Section(i) => self.sections.get(i),
        };
        let source = source(lib, item);
        match kept.copied().flatten() {
            Some(d) if source.text.is_empty() => d,
            _ => Digest::of(&source.text, source.body_start),
        }
    }

    /// Notes that the library holds `item`'s text again, read from its file after an edit.
    pub fn held(&mut self, item: Item) {
        let kept = match item {
            Item::Page(i) => self.pages.get_mut(i),
            Item::Section(i) => self.sections.get_mut(i),
        };
        if let Some(d) = kept {
            *d = None;
        }
    }

    /// Lets go of every text the library holds, keeping its digest. A library loaded again
    /// holds every text; after an edit, only the edited files' texts are held.
    pub fn forget(&mut self, lib: &mut Library) {
        forget_all(&mut self.pages, lib.pages.iter_mut().map(|p| &mut p.source));
        forget_all(
            &mut self.sections,
            lib.sections.iter_mut().map(|s| &mut s.source),
        );
    }

    /// Reads again every text let go, for a render of every body. False if a file changed
    /// since it was parsed (an edit not yet applied): the library no longer matches the
    /// files, and must be loaded again.
    pub fn restore(&mut self, root: &Path, lib: &mut Library) -> Result<bool, Vec<Diagnostic>> {
        let pages = restore_all(
            root,
            &mut self.pages,
            lib.pages.iter_mut().map(|p| &mut p.source),
        )?;
        let sections = restore_all(
            root,
            &mut self.sections,
            lib.sections.iter_mut().map(|s| &mut s.source),
        )?;
        Ok(pages && sections)
    }
}

fn source(lib: &Library, item: Item) -> &SourceFile {
    match item {
        Item::Page(i) => &lib.pages[i].source,
        Item::Section(i) => &lib.sections[i].source,
    }
}

fn forget_all<'a>(
    digests: &mut Vec<Option<Digest>>,
    sources: impl Iterator<Item = &'a mut SourceFile>,
) {
    let sources: Vec<&mut SourceFile> = sources.collect();
    digests.resize(sources.len(), None);
    digests.truncate(sources.len());
    sources
        .into_par_iter()
        .zip(digests.par_iter_mut())
        .filter(|(s, _)| !s.text.is_empty())
        .for_each(|(s, d)| {
            *d = Some(Digest::of(&s.text, s.body_start));
            s.text = String::new();
        });
}

fn restore_all<'a>(
    root: &Path,
    digests: &mut [Option<Digest>],
    sources: impl Iterator<Item = &'a mut SourceFile>,
) -> Result<bool, Vec<Diagnostic>> {
    let sources: Vec<&mut SourceFile> = sources.collect();
    let read: Vec<Result<bool, Vec<Diagnostic>>> = sources
        .into_par_iter()
        .zip(digests.par_iter_mut())
        .filter(|(s, d)| d.is_some() && s.text.is_empty())
        .map(|(s, d)| {
            let text = content::read_text(root, &root.join(&s.file))?;
            if Some(Digest::of(&text, s.body_start)) != *d {
                return Ok(false);
            }
            s.text = text;
            *d = None;
            Ok(true)
        })
        .collect();
    let mut same = true;
    for r in read {
        same &= r?;
    }
    Ok(same)
}
