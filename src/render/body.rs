//! What rendering a Markdown body leaves for the rest of the build: the HTML and what the
//! site data, the checks and the search index read of it. Plain values, no rendering here.

use std::collections::HashMap;

use crate::compressed::Compressed;
use crate::diag::Diagnostic;
use crate::markdown;

/// A rendered Markdown body and what the rest of the build needs from it.
#[derive(Debug, Default, Clone)]
pub struct Body {
    /// Held compressed for the whole build (a third of the memory); shared with the site data,
    /// which unpacks it into a context only where a template reads it.
    pub html: Compressed,
    pub summary: Option<String>,
    /// The table of contents as the JSON templates see, compressed: a big portal's headings
    /// were ~1 KB of small strings per page, held for the whole build and by `tre serve`.
    pub toc: Compressed,
    pub anchors: Vec<String>,
    pub internal_links: Vec<markdown::InternalLink>,
    pub word_count: usize,
    pub reading_time: usize,
}

/// Bodies of all pages and sections, indexed like the library, plus who links to whom.
#[derive(Debug, Default)]
pub struct Bodies {
    pub pages: Vec<Body>,
    pub sections: Vec<Body>,
    /// Relative path of a target → relative paths of the items linking to it.
    pub backlinks: HashMap<String, Vec<String>>,
    pub warnings: Vec<Diagnostic>,
}

impl Bodies {
    /// Empty bodies for every item: what shortcodes see of the site, whose bodies are not
    /// rendered yet while they run.
    pub fn blank(lib: &crate::content::Library) -> Bodies {
        Bodies {
            pages: vec![Body::default(); lib.pages.len()],
            sections: vec![Body::default(); lib.sections.len()],
            ..Bodies::default()
        }
    }
}
