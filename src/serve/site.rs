//! The site as `tre serve` keeps it between edits: every stage's value, and the output in
//! memory. An edit is mapped to the stages it affects and only those run again; the result
//! equals a clean build of the same sources (tests/it/serve.rs checks it byte for byte).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::assets::{ImageJob, ImageQueue};
use crate::content::{self, Item, Library};
use crate::diag::{self, Diagnostic};
use crate::i18n::Locales;
use crate::output::Contents;

use super::texts::{Digest, Texts};
use super::{Files, Pack, Stored};
use crate::paths::index_file;
use crate::render::{self, BodyField, BodyState, SiteState, Target, TemplateUse, Templates};
use crate::{BuildOptions, Stages, load_locales};

/// What an edit touched, from the path of a changed file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Change {
    /// `config.toml` or a theme: everything again.
    Config,
    Template,
    /// A `.ftl` file: the languages whose messages changed are found by comparing them.
    Locale,
    /// A Markdown file under `content/`.
    Content(PathBuf),
    /// Anything else under `content/` (colocated assets).
    ContentAsset,
    Static,
}

/// Which stages a rebuild ran and what it changed, for the log and for live reload.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Output paths whose bytes changed, appeared or went away.
    pub changed: Vec<String>,
    pub was_full: bool,
    pub targets: usize,
    /// Milliseconds per stage.
    pub timings: Vec<(&'static str, Duration)>,
    /// Thread time per kind of render job, slowest first.
    pub job_times: Vec<(&'static str, Duration)>,
    /// Set when `changed` already lists every changed output: the rebuild wrote only files it
    /// compared, so the whole site need not be compared again.
    pub(super) is_diffed: bool,
}

/// Every stage's value of the last good build.
pub struct Site {
    root: PathBuf,
    opts: BuildOptions,
    /// The stages a build makes, made by the same functions.
    stages: Stages,
    uses: TemplateUse,
    body_state: BodyState,
    site_state: SiteState,
    images: Vec<ImageJob>,
    files: Arc<Files>,
    copied: HashSet<String>,
    /// Each item's entry of the search indexes, reused while the item is unchanged.
    search: crate::search::Entries,
    search_warnings: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// The translation status of this build, made when first asked for.
    i18n_status: Option<Arc<crate::i18n::Status>>,
    /// Digests of the source texts the library let go once their bodies were rendered.
    texts: Texts,
    /// Where outputs go once rendered; none where the site's directory cannot hold it.
    pack: Option<Arc<Pack>>,
    /// Set when a rebuild failed part way: the next one starts from scratch.
    is_stale: bool,
}

impl Site {
    /// Runs every stage, as a build does, keeping the output in memory.
    pub fn load(root: &Path, opts: &BuildOptions) -> Result<Site, Vec<Diagnostic>> {
        let config = crate::config::load(root, opts)?;
        let queue = Arc::new(ImageQueue::new(&config));
        let mut stages = Stages::load(root, config, &queue, &mut |_| {})?;
        // Before rendering, which then reuses the memory the texts took.
        let mut texts = Texts::default();
        texts.forget(&mut stages.library);
        let mut site = Site {
            root: root.to_path_buf(),
            opts: opts.clone(),
            uses: TemplateUse::new(&stages.templates),
            body_state: BodyState::new(
                &stages.config,
                &stages.markdown,
                &stages.library,
                &stages.templates,
            ),
            site_state: SiteState::new(
                &stages.config,
                &stages.markdown,
                &stages.library,
                &stages.bodies,
            ),
            stages,
            images: Vec::new(),
            files: Arc::new(Files::new()),
            copied: HashSet::new(),
            search: crate::search::Entries::default(),
            search_warnings: Vec::new(),
            warnings: Vec::new(),
            i18n_status: None,
            texts,
            pack: Pack::create(root).ok().map(Arc::new),
            is_stale: false,
        };
        site.render_outputs(&queue, None)?;
        let problems = site.stages.check();
        if !problems.is_empty() {
            return Err(problems);
        }
        site.refresh_warnings();
        Ok(site)
    }

    pub fn files(&self) -> &Arc<Files> {
        &self.files
    }

    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    pub fn locales(&self) -> &Arc<Locales> {
        &self.stages.locales
    }

    /// The translation status of the served build: messages, and pages from its library,
    /// whose texts (word counts, body hashes) are read again for it. If a file changed since
    /// the last rebuild, from the files as they are now.
    pub fn i18n_status(&mut self) -> Result<Arc<crate::i18n::Status>, Vec<Diagnostic>> {
        if let Some(status) = &self.i18n_status {
            return Ok(Arc::clone(status));
        }
        let is_current = self.texts.restore(&self.root, &mut self.stages.library);
        let status = match is_current {
            Ok(true) => {
                let Stages {
                    config,
                    library,
                    locales,
                    ..
                } = &self.stages;
                Ok(locales.status_with_pages(&self.root, config, library))
            }
            Ok(false) | Err(_) => crate::i18n_status(&self.root, &self.stages.config),
        };
        self.texts.forget(&mut self.stages.library);
        let status = Arc::new(status?);
        self.i18n_status = Some(Arc::clone(&status));
        Ok(status)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Brings the site up to date with the files at `paths` (absolute, or relative to the root).
    /// On error the previous output stays in place and the next call rebuilds from scratch.
    pub fn apply(&mut self, paths: &[PathBuf]) -> Result<Outcome, Vec<Diagnostic>> {
        let mut first = FirstPass {
            viewed: &[],
            publish: &mut |_, _| {},
        };
        self.apply_in_passes(paths, &mut first)
    }

    /// `apply`, telling `first.publish` of the output as soon as the pages of the edited files
    /// and those in `first.viewed` are rendered, before the rest.
    pub fn apply_in_passes(
        &mut self,
        paths: &[PathBuf],
        first: &mut FirstPass,
    ) -> Result<Outcome, Vec<Diagnostic>> {
        let changes: Vec<Change> = paths.iter().filter_map(|p| self.classify(p)).collect();
        if changes.is_empty() && !self.is_stale {
            return Ok(Outcome::default());
        }
        let before = Arc::clone(&self.files);
        let result = if self.is_stale || changes.contains(&Change::Config) {
            self.reload()
        } else {
            self.update(&changes, first)
        };
        // The checks a build runs after rendering.
        let result = result.and_then(|mut outcome| {
            let t = Instant::now();
            let problems = self.stages.check();
            outcome.timings.push(("check", t.elapsed()));
            if problems.is_empty() {
                Ok(outcome)
            } else {
                Err(problems)
            }
        });
        self.texts.forget(&mut self.stages.library);
        match result {
            Ok(mut outcome) => {
                // Until a rebuild succeeds, the status stays that of the site served.
                self.i18n_status = None;
                self.is_stale = false;
                self.refresh_warnings();
                if !outcome.is_diffed {
                    outcome.changed = self.files.changed_since(&before);
                }
                Ok(outcome)
            }
            Err(e) => {
                self.is_stale = true;
                self.files = before;
                Err(e)
            }
        }
    }

    fn reload(&mut self) -> Result<Outcome, Vec<Diagnostic>> {
        let fresh = Site::load(&self.root, &self.opts)?;
        *self = fresh;
        Ok(Outcome {
            was_full: true,
            targets: render::all_targets(&self.stages.library).len(),
            ..Outcome::default()
        })
    }

    fn classify(&self, path: &Path) -> Option<Change> {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        let parts: Vec<&str> = rel
            .components()
            .filter_map(|c| match c {
                Component::Normal(s) => s.to_str(),
                _ => None,
            })
            .collect();
        let name = parts.last()?;
        if is_editors_own(name) {
            return None;
        }
        match parts.as_slice() {
            // The content model (`kinds.toml`) checks every page.
            ["config.toml" | "kinds.toml"] => Some(Change::Config),
            // A stylesheet's hash may be in every page (`get_url(cachebust=true)`).
            ["themes"] | ["sass", ..] => Some(Change::Config),
            // The theme in use is a second root of templates, messages and static files,
            // under the site's: its edits map to the same stages as the site's own.
            ["themes", theme, rest @ ..] => {
                if self.stages.config.theme.as_deref() != Some(*theme) {
                    return None;
                }
                match rest {
                    // The theme's directory itself, made or removed.
                    [] | ["theme.toml" | "kinds.toml"] | ["sass", ..] => Some(Change::Config),
                    _ => Self::classify_shared(rest, name),
                }
            }
            ["content", ..] if name.ends_with(".md") => Some(Change::Content(self.root.join(rel))),
            // An editor's temporary file is gone by the time we look; a real asset is still
            // there, or was one the library knew.
            ["content", ..] if self.is_asset(&self.root.join(rel)) => Some(Change::ContentAsset),
            ["content", ..] => None,
            _ => Self::classify_shared(&parts, name),
        }
    }

    /// A path under the site's root or the theme's (`parts` from that root) in a directory
    /// both may have: `templates/`, `locales/`, `static/`.
    fn classify_shared(parts: &[&str], name: &str) -> Option<Change> {
        match parts {
            ["templates", ..] => Some(Change::Template),
            ["locales", _, ..] if name.ends_with(".ftl") || parts.len() == 2 => {
                Some(Change::Locale)
            }
            ["static", ..] => Some(Change::Static),
            _ => None,
        }
    }

    fn is_asset(&self, path: &Path) -> bool {
        path.is_file()
            || self
                .stages
                .library
                .pages
                .iter()
                .any(|p| p.assets.iter().any(|a| a == path))
            || self
                .stages
                .library
                .sections
                .iter()
                .any(|s| s.assets.iter().any(|a| a == path))
    }

    /// The change → stages mapping. Stages run in pipeline order; each collects what it made
    /// dirty, and one render runs the targets that can see any of it.
    fn update(
        &mut self,
        changes: &[Change],
        first: &mut FirstPass,
    ) -> Result<Outcome, Vec<Diagnostic>> {
        let mut plan = Plan::default();
        if changes.contains(&Change::Template) {
            self.update_templates(&mut plan)?;
        }
        if changes.contains(&Change::Locale) {
            self.update_locales(&mut plan)?;
        }
        let edited: Vec<&Path> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Content(p) => Some(p.as_path()),
                _ => None,
            })
            .collect();
        let has_asset = changes.contains(&Change::ContentAsset);
        let content_dir = self.root.join("content");
        plan.edited = edited
            .iter()
            .filter_map(|p| p.strip_prefix(&content_dir).ok())
            .map(|r| r.to_string_lossy().replace('\\', "/"))
            .collect();
        if (!edited.is_empty() || has_asset) && !plan.is_full {
            let t = Instant::now();
            self.update_content(&edited, has_asset, &mut plan)?;
            plan.timings.push(("content", t.elapsed()));
        }
        if changes.contains(&Change::Static) {
            plan.is_static = true;
        }
        self.run(plan, first)
    }

    fn update_templates(&mut self, plan: &mut Plan) -> Result<(), Vec<Diagnostic>> {
        let fresh = Templates::load(&self.root, &self.stages.config)?;
        let old = &self.stages.templates.sources;
        let new = &fresh.sources;
        let changed: HashSet<String> = old
            .iter()
            .filter(|(n, t)| new.get(*n) != Some(*t))
            .map(|(n, _)| n.clone())
            .chain(new.keys().filter(|n| !old.contains_key(*n)).cloned())
            .collect();
        let uses = TemplateUse::new(&fresh);
        let names_differ = old.len() != new.len() || new.keys().any(|n| !old.contains_key(n));
        let reaches_bodies = {
            let body = self.uses.body_templates();
            let body_new = uses.body_templates();
            changed
                .iter()
                .any(|c| body.contains(c.as_str()) || body_new.contains(c.as_str()))
        };
        self.stages.templates = fresh;
        self.uses = uses;
        if names_differ || reaches_bodies {
            plan.is_full = true;
        }
        plan.templates.extend(changed);
        Ok(())
    }

    fn update_locales(&mut self, plan: &mut Plan) -> Result<(), Vec<Diagnostic>> {
        let fresh = Arc::new(load_locales(&self.root, &self.stages.config)?);
        // Only languages that now format some message differently can show the edit: a
        // language's messages also show through every language that falls back to it.
        let changed = fresh.messages_changed_from(&self.stages.locales);
        self.stages.locales = fresh;
        for l in &self.stages.config.languages {
            let reaches = match &changed {
                Some(changed) => changed.contains_key(&l.code),
                None => true,
            };
            if reaches {
                plan.langs.insert(l.code.clone());
            }
        }
        plan.messages = changed;
        if plan.langs.is_empty() {
            return Ok(());
        }
        let shortcodes_translate = self.stages.templates.sources.iter().any(|(n, t)| {
            n.starts_with("shortcodes/") && (t.contains("trans(") || t.contains("t("))
        });
        if shortcodes_translate {
            plan.is_full = true;
        }
        Ok(())
    }

    /// A body-only edit replaces the text in place; a front-matter edit that keeps the
    /// library's shape (`Page::shape`) parses that file again; anything else reloads the
    /// library, and if its shape (paths, order, neighbours, terms, translations) is unchanged,
    /// only the edited items and those showing their metadata are dirty.
    fn update_content(
        &mut self,
        edited: &[&Path],
        has_asset: bool,
        plan: &mut Plan,
    ) -> Result<(), Vec<Diagnostic>> {
        let mut texts = Vec::new();
        let mut fronts = Vec::new();
        let mut is_structural = has_asset;
        // A page or section added or removed: the library's shape changes for sure.
        let mut changes_shape = false;
        for path in edited {
            let item = path
                .strip_prefix(self.root.join("content"))
                .ok()
                .and_then(|r| {
                    self.stages
                        .library
                        .get(&r.to_string_lossy().replace('\\', "/"))
                });
            let (Some(item), true) = (item, path.is_file()) else {
                is_structural = true;
                changes_shape |= match item {
                    Some(_) => true,
                    None => content::adds_an_item(&self.root, &self.stages.config, path),
                };
                continue;
            };
            let text = content::read_text(&self.root, path)?;
            let file = match item {
                Item::Page(i) => &self.stages.library.pages[i].source.file,
                Item::Section(i) => &self.stages.library.sections[i].source.file,
            };
            let split = content::front_matter::split(file, &text).map_err(|d| vec![d])?;
            let was = self.texts.digest(&self.stages.library, item);
            let now = Digest::of(&text, split.body_start);
            let same_front = now.body_start == was.body_start && now.front == was.front;
            // Content-fallback copies share the text: a reload finds them changed too.
            if !self.stages.library.fallbacks_of(item).is_empty() {
                is_structural = true;
            } else if !same_front {
                fronts.push(item);
            } else if now.whole != was.whole {
                texts.push((item, text));
            }
        }
        if !is_structural && !fronts.is_empty() {
            is_structural = !self.reparse(&fronts, plan)?;
        }
        if is_structural {
            if changes_shape {
                // Everything renders again: the old stages go before the new are made.
                self.let_go_of_stages(true);
            }
            let t = Instant::now();
            let fresh = crate::load_content(&self.root, &self.stages.config)?;
            plan.timings.push(("load content", t.elapsed()));
            if !same_shape(&self.stages.library, &fresh) {
                self.texts = Texts::default();
                self.stages.replace_library(fresh)?;
                plan.is_full = true;
                return Ok(());
            }
            let lib = &self.stages.library;
            let meta: Vec<Item> = (0..fresh.pages.len())
                .map(Item::Page)
                .chain((0..fresh.sections.len()).map(Item::Section))
                .filter(|&i| {
                    let source = match i {
                        Item::Page(i) => &fresh.pages[i].source,
                        Item::Section(i) => &fresh.sections[i].source,
                    };
                    Digest::of(&source.text, source.body_start) != self.texts.digest(lib, i)
                })
                .collect();
            plan.has_sitemap_change = meta
                .iter()
                .any(|&i| sitemap_fields(&self.stages.library, i) != sitemap_fields(&fresh, i));
            // A section's `insert_anchor_links` reaches its pages' bodies too.
            self.texts = Texts::default();
            if self.stages.replace_library(fresh)? {
                plan.is_full = true;
                return Ok(());
            }
            self.mark_metadata(&meta, plan);
        }
        plan.is_body_only = !is_structural && fronts.is_empty() && !texts.is_empty();
        for (item, text) in texts {
            self.texts.held(item);
            match item {
                Item::Page(i) => self.stages.library.pages[i].source.text = text,
                Item::Section(i) => self.stages.library.sections[i].source.text = text,
            }
            plan.rerender_bodies.insert(item);
            plan.dirty.insert(item);
        }
        Ok(())
    }

    /// Parses the files of `items` again and swaps them into the library, if none of them
    /// changes its shape; false (and nothing changed) otherwise.
    fn reparse(&mut self, items: &[Item], plan: &mut Plan) -> Result<bool, Vec<Diagnostic>> {
        let mut fresh = Vec::new();
        for &item in items {
            let lib = &self.stages.library;
            match content::reparse(&self.root, &self.stages.config, lib, item)? {
                Some(r) => fresh.push(r),
                None => return Ok(false),
            }
        }
        let before: Vec<_> = items
            .iter()
            .map(|&i| sitemap_fields(&self.stages.library, i))
            .collect();
        // A new date may take a page out of a feed: then the feeds must render again although
        // they no longer show it.
        let pages: HashSet<usize> = items
            .iter()
            .filter_map(|i| match i {
                Item::Page(p) => Some(*p),
                Item::Section(_) => None,
            })
            .collect();
        plan.was_in_feeds |=
            render::site_feeds_show(&self.stages.config, &self.stages.library, &pages);
        for &item in items {
            self.texts.held(item);
        }
        for r in fresh {
            self.stages.library.replace(r);
        }
        plan.has_sitemap_change = items
            .iter()
            .zip(&before)
            .any(|(&i, b)| sitemap_fields(&self.stages.library, i) != *b);
        self.mark_metadata(items, plan);
        Ok(true)
    }

    /// Items whose front matter changed, and so the items showing their metadata, are dirty.
    fn mark_metadata(&self, meta: &[Item], plan: &mut Plan) {
        plan.has_metadata = true;
        plan.rerender_bodies.extend(meta.iter().copied());
        for &item in meta {
            // Translations list this item's title; so do the backlinks of what it links to.
            plan.dirty
                .extend(self.stages.library.translations_of(item).iter().copied());
            plan.dirty.insert(item);
            self.extend_with_links(item, &mut plan.dirty);
        }
        if self.uses_data_in_shortcodes() && !meta.is_empty() {
            plan.is_full = true;
        }
    }

    fn uses_data_in_shortcodes(&self) -> bool {
        self.stages.templates.sources.keys().any(|n| {
            n.starts_with("shortcodes/")
                && self
                    .uses
                    .closure_of(n)
                    .any(|t| self.uses.reads_pages(t) || self.uses.reads_sections(t))
        })
    }

    /// Adds the items `item` links to: their backlinks show its title and permalink.
    fn extend_with_links(&self, item: Item, dirty: &mut HashSet<Item>) {
        let body = match item {
            Item::Page(i) => self.stages.bodies.pages.get(i),
            Item::Section(i) => self.stages.bodies.sections.get(i),
        };
        for link in body.map(|b| b.internal_links.as_slice()).unwrap_or(&[]) {
            dirty.extend(self.stages.library.get(&link.path));
        }
    }

    fn run(&mut self, mut plan: Plan, first: &mut FirstPass) -> Result<Outcome, Vec<Diagnostic>> {
        if plan.is_full {
            return self.render_all(Some((first, &plan.edited)));
        }
        let mut timings = std::mem::take(&mut plan.timings);
        let mut t = Instant::now();
        let mut lap = |name: &'static str, t: &mut Instant| {
            timings.push((name, t.elapsed()));
            *t = Instant::now();
        };
        if !plan.rerender_bodies.is_empty() {
            let items: Vec<Item> = plan.rerender_bodies.iter().copied().collect();
            let meta: Vec<Item> = if plan.has_metadata {
                plan.dirty.iter().copied().collect()
            } else {
                Vec::new()
            };
            self.body_state.patch(&self.stages.library, &meta);
            let queue = Arc::new(ImageQueue::new(&self.stages.config));
            let (bodies, warnings) =
                render::render_some_bodies(self.stages.inputs(), &queue, &self.body_state, &items)?;
            self.replace_body_warnings(&items, warnings);
            plan.images.extend(queue.take());
            for (item, body) in items.iter().zip(bodies) {
                if self.replace_body(*item, body, &mut plan) {
                    plan.is_body_only = false;
                }
            }
            lap("markdown", &mut t);
        }
        let dirty: Vec<Item> = plan.dirty.iter().copied().collect();
        self.site_state
            .patch(&self.stages.library, &self.stages.bodies, &dirty);
        lap("site data", &mut t);
        // A template may hash a search index (`get_hash`, `cachebust`): then, as a build does,
        // the indexes are made before the targets, and those templates render again if they
        // changed. Otherwise after, so that the page saved goes out first.
        let mut indexes = None;
        if !plan.dirty.is_empty() && self.uses.reads_any_files() {
            let files = self.search_indexes(&plan);
            plan.has_index_change = self.site_state.update_generated(&files);
            indexes = Some(files);
            lap("search", &mut t);
        }
        let (targets, list_only) = self.targets(&plan);
        lap("plan", &mut t);
        let pages = plan.dirty_pages();
        let keep_pager = |t: Target, shown: &[usize]| {
            !list_only.contains(&t) || shown.iter().any(|p| pages.contains(p))
        };
        // The pages of the edited files and those open in a browser go out first: the author
        // sees the page they saved or look at while the lists and other pages are rendered.
        // Each pass's files are final, since every target renders from the site data, which is
        // complete by now.
        let lib = &self.stages.library;
        let (now, later): (Vec<Target>, Vec<Target>) = targets
            .iter()
            .partition(|t| first.takes(lib, &plan.rerender_bodies, **t));
        let passes = if now.is_empty() || later.is_empty() {
            vec![targets.clone()]
        } else {
            vec![now, later]
        };
        let mut images = std::mem::take(&mut plan.images);
        let mut changed = Vec::new();
        let mut job_times = Vec::new();
        for (n, pass) in passes.iter().enumerate() {
            let queue = Arc::new(ImageQueue::new(&self.stages.config));
            let (rendered, packed) = self.render(&queue, pass, &keep_pager)?;
            images.extend(rendered.images);
            job_times.extend(rendered.job_times);
            changed.extend(self.put(packed));
            if n + 1 < passes.len() {
                changed.sort();
                (first.publish)(&self.files, &changed);
            }
        }
        lap("render", &mut t);
        let new_images = images.iter().any(|j| !self.images.contains(j));
        if new_images {
            self.images.extend(images);
        }
        // Assets are read again as a whole; then only a full comparison tells what changed.
        let is_diffed = !(plan.is_static || new_images);
        if !is_diffed {
            self.collect_assets()?;
        }
        lap("assets", &mut t);
        if !plan.dirty.is_empty() {
            let files = match indexes {
                Some(files) => files,
                None => {
                    let files = self.search_indexes(&plan);
                    self.site_state.update_generated(&files);
                    files
                }
            };
            self.store(files);
            lap("search", &mut t);
        }
        changed.sort();
        Ok(Outcome {
            changed,
            is_diffed,
            targets: targets.len(),
            timings,
            job_times,
            ..Outcome::default()
        })
    }

    /// The search indexes of the languages of the items `plan` made dirty (an item is in the
    /// index of its own language only), made again only from the entries of those items.
    fn search_indexes(&mut self, plan: &Plan) -> Vec<crate::output::OutputFile> {
        let lib = &self.stages.library;
        let langs: HashSet<&str> = plan.dirty.iter().map(|&i| lib.item_lang(i)).collect();
        let (files, _) = self
            .stages
            .search_indexes_of(&|l| langs.contains(l), &mut self.search);
        files
    }

    /// Swaps in a new body and notes which of its fields changed; true if its internal links
    /// changed (then backlinks did too).
    fn replace_body(&mut self, item: Item, body: render::Body, plan: &mut Plan) -> bool {
        let dirty = &mut plan.dirty;
        let (slot, from) = match item {
            Item::Page(i) => (
                &mut self.stages.bodies.pages[i],
                &self.stages.library.pages[i].source,
            ),
            Item::Section(i) => (
                &mut self.stages.bodies.sections[i],
                &self.stages.library.sections[i].source,
            ),
        };
        plan.body_fields.extend(BodyField::changed(slot, &body));
        let old: Vec<String> = slot.internal_links.iter().map(|l| l.path.clone()).collect();
        let new: Vec<String> = body.internal_links.iter().map(|l| l.path.clone()).collect();
        *slot = body;
        if old == new {
            return false;
        }
        let backlinks = &mut self.stages.bodies.backlinks;
        for target in &old {
            if let Some(list) = backlinks.get_mut(target)
                && let Some(pos) = list.iter().position(|r| *r == from.relative)
            {
                list.remove(pos);
            }
        }
        for target in &new {
            backlinks
                .entry(target.clone())
                .or_default()
                .push(from.relative.clone());
        }
        for target in old.iter().chain(&new) {
            dirty.extend(self.stages.library.get(target));
        }
        true
    }

    /// Targets that can show anything the plan made dirty, and of those, the lists that show
    /// it only as a listed page: of them, only the pagers holding a dirty page can differ.
    fn targets(&self, plan: &Plan) -> (Vec<Target>, HashSet<Target>) {
        let lib = &self.stages.library;
        let pages = plan.dirty_pages();
        // The loop below asks about every page, some several times: a bitmap answers fast.
        let mut is_dirty = vec![false; lib.pages.len()];
        for &p in &pages {
            if let Some(d) = is_dirty.get_mut(p) {
                *d = true;
            }
        }
        let dirty = |j: usize| is_dirty.get(j).copied().unwrap_or(false);
        let is_lang = |lang: &String| !plan.langs.is_empty() && plan.langs.contains(lang);
        let sections: HashSet<usize> = plan
            .dirty
            .iter()
            .filter_map(|i| match i {
                Item::Section(s) => Some(*s),
                Item::Page(_) => None,
            })
            .collect();
        // Templates that show something the plan changed, through any template they reach.
        let hot = self.uses.reaching(|n| {
            plan.templates.contains(n)
                || (!pages.is_empty() && self.uses.reads_pages(n))
                || (!sections.is_empty()
                    && (self.uses.reads_sections(n) || self.uses.reads_pages(n)))
                || ((plan.is_static || plan.has_index_change) && self.uses.reads_files(n))
        });
        // After an .ftl edit, for each language, the templates that read a message it
        // changed when rendering a target in that language.
        let languages = &self.stages.config.languages;
        let message_hot: Option<Vec<HashSet<&str>>> = match &plan.messages {
            Some(changed) if !changed.is_empty() => Some(
                languages
                    .iter()
                    .map(|l| {
                        self.uses
                            .reaching(|n| self.uses.reads_changed_message(n, &l.code, changed))
                    })
                    .collect(),
            ),
            _ => None,
        };
        // Whether a target in `lang` with this verdict shows a changed message.
        let shows_messages = |lang: &str, v: Verdict| match &message_hot {
            None => is_lang(&lang.to_string()),
            Some(_) => match languages.iter().position(|l| l.code == lang) {
                Some(k) if k < 64 => v.message_langs >> k & 1 == 1,
                _ => !plan.langs.is_empty(),
            },
        };
        // The same for targets of every language (feeds) or of none.
        let shows_any_messages = |v: Verdict| match &message_hot {
            None => !plan.langs.is_empty(),
            Some(_) => v.message_langs != 0,
        };
        let has_feed_change = plan.has_metadata
            || !sections.is_empty()
            || render::site_feeds_show(&self.stages.config, lib, &pages);
        // Shown in full: the target's own item, its language's messages, or a template changed.
        let whole = |t: Target, v: Verdict| -> bool {
            let is_hot = v.is_hot;
            match t {
                Target::Page(i) => {
                    let p = &lib.pages[i];
                    dirty(i)
                        || p.lower.is_some_and(dirty)
                        || p.higher.is_some_and(dirty)
                        || shows_messages(&p.source.lang, v)
                        || is_hot
                }
                Target::Section(i) => {
                    sections.contains(&i)
                        || shows_messages(&lib.sections[i].source.lang, v)
                        || is_hot
                }
                Target::TaxonomyList(ti) | Target::TaxonomyTerm(ti, _) => {
                    shows_messages(&lib.taxonomies[ti].config.lang, v) || is_hot
                }
                Target::Feeds => {
                    (!plan.dirty.is_empty() && (has_feed_change || plan.was_in_feeds))
                        || shows_any_messages(v)
                        || is_hot
                }
                // With the same shape, paths, permalinks, translations and aliases are as
                // they were: the sitemap shows only dates and `extra` besides.
                Target::Sitemap => plan.has_sitemap_change || shows_any_messages(v) || is_hot,
                Target::Aliases | Target::Robots | Target::NotFound => {
                    shows_any_messages(v) || is_hot
                }
            }
        };
        // A section or term shows its pages only through a template that reads `pages`
        // (`section.pages`, `paginator.pages`, `term.pages`): with the same shape, membership
        // and order are unchanged, so one that does not cannot show an edit of them.
        let sees_lists = self.uses.reaching(|n| self.uses.reads_lists(n));
        let listed = |t: Target, shows_lists: bool| -> bool {
            let holds = |list: &[usize]| list.iter().any(|&p| dirty(p));
            let hit = match t {
                Target::Section(i) => holds(&lib.sections[i].pages),
                Target::TaxonomyTerm(ti, k) => lib.taxonomies[ti]
                    .terms
                    .get(k)
                    .is_some_and(|term| holds(&term.pages)),
                Target::TaxonomyList(ti) => lib.taxonomies[ti]
                    .terms
                    .iter()
                    .any(|term| holds(&term.pages)),
                _ => false,
            };
            hit && shows_lists
        };
        // After a body-only edit, a target other than the edited items' own pages can only
        // differ if one of its templates reads a body field that changed.
        let sees_bodies = self
            .uses
            .reaching(|n| self.uses.reads_bodies(n, &plan.body_fields));
        // Section feeds see their section as `section`, whose `content` the field analysis
        // takes for the rendered section's own.
        let own = |t: Target| match t {
            Target::Page(i) => dirty(i),
            Target::Section(i) => sections.contains(&i),
            Target::Feeds => !sections.is_empty(),
            _ => false,
        };
        let is_body_only = plan.is_body_only
            && plan.templates.is_empty()
            && plan.langs.is_empty()
            && !plan.is_static;
        let may_differ = |t: Target, sees: bool| !is_body_only || own(t) || sees;
        // Whether any of a target's templates is hot, shows lists, sees the changed fields.
        let verdict = |names: &[Cow<str>]| {
            let any = |set: &HashSet<&str>| names.iter().any(|n| set.contains(n.as_ref()));
            let message_langs = message_hot.iter().flatten().enumerate().take(64);
            Verdict {
                is_hot: any(&hot),
                shows_lists: any(&sees_lists),
                sees_bodies: any(&sees_bodies),
                message_langs: message_langs
                    .filter(|(_, set)| any(set))
                    .fold(0, |bits, (k, _)| bits | 1 << k),
            }
        };
        // Pages are most targets and share a few templates: their verdicts are kept by name.
        let mut by_page_template: Vec<(&str, Verdict)> = Vec::new();
        let mut chosen = Vec::new();
        let mut list_only = HashSet::new();
        for t in render::all_targets(lib) {
            let v = match t {
                Target::Page(i) => {
                    let name = lib.pages[i].meta.template.as_deref().unwrap_or("page.html");
                    match by_page_template.iter().find(|(n, _)| *n == name) {
                        Some((_, v)) => *v,
                        None => {
                            let v = verdict(&[Cow::Borrowed(name)]);
                            by_page_template.push((name, v));
                            v
                        }
                    }
                }
                _ => verdict(&self.uses.names(&self.stages.config, lib, t)),
            };
            if !may_differ(t, v.sees_bodies) {
                continue;
            }
            if whole(t, v) {
                chosen.push(t);
            } else if listed(t, v.shows_lists) {
                chosen.push(t);
                list_only.insert(t);
            }
        }
        (chosen, list_only)
    }

    /// Renders every body and every output again with the current stages; with `first`, the
    /// pages of the edited files (relative to `content/`) and those in view go out first.
    fn render_all(
        &mut self,
        first: Option<(&mut FirstPass, &[String])>,
    ) -> Result<Outcome, Vec<Diagnostic>> {
        if !matches!(
            self.texts.restore(&self.root, &mut self.stages.library),
            Ok(true)
        ) {
            // A file changed since it was parsed (or cannot be read now): parse them all.
            let fresh = crate::load_content(&self.root, &self.stages.config)?;
            self.texts = Texts::default();
            self.stages.replace_library(fresh)?;
        }
        self.let_go_of_stages(false);
        let queue = Arc::new(ImageQueue::new(&self.stages.config));
        self.stages.render_bodies(&queue)?;
        // As `load` does: the texts are read again where needed.
        self.texts.forget(&mut self.stages.library);
        self.body_state = BodyState::new(
            &self.stages.config,
            &self.stages.markdown,
            &self.stages.library,
            &self.stages.templates,
        );
        self.site_state = SiteState::new(
            &self.stages.config,
            &self.stages.markdown,
            &self.stages.library,
            &self.stages.bodies,
        );
        let first = first.map(|(pass, edited)| {
            let lib = &self.stages.library;
            let items: HashSet<Item> = edited.iter().filter_map(|p| lib.get(p)).collect();
            let targets: HashSet<Target> = render::all_targets(lib)
                .into_iter()
                .filter(|t| pass.takes(lib, &items, *t))
                .collect();
            (pass, targets)
        });
        self.render_outputs(&queue, first)?;
        Ok(Outcome {
            was_full: true,
            targets: render::all_targets(&self.stages.library).len(),
            ..Outcome::default()
        })
    }

    /// Puts rendered outputs into the output served; the paths of those that changed.
    fn put(&mut self, made: impl IntoIterator<Item = (String, Stored)>) -> Vec<String> {
        let files = Arc::make_mut(&mut self.files);
        let mut changed = Vec::new();
        for (path, bytes) in made {
            if files.get(&path) != Some(&bytes) {
                files.insert(&path, bytes);
                changed.push(path);
            }
        }
        changed
    }

    /// Lets go of the bodies and site data, and with `library` of the library too, before new
    /// ones replace them all: at 50k articles each is about a gigabyte, and serve held both
    /// (4.5 GB to add an article). Should what follows fail, the next rebuild starts from
    /// scratch (`is_stale`).
    fn let_go_of_stages(&mut self, library: bool) {
        let empty = Library::default();
        let (config, markdown) = (&self.stages.config, &self.stages.markdown);
        self.site_state = SiteState::new(config, markdown, &empty, &render::Bodies::default());
        self.body_state = BodyState::new(config, markdown, &empty, &self.stages.templates);
        self.stages.bodies = render::Bodies::default();
        if library {
            self.stages.library = empty;
            self.texts = Texts::default();
        }
    }

    /// Everything a build makes from the bodies on: every target, the assets and images
    /// (those the bodies queued in `queue` too), the search indexes, and the checks.
    /// With `first`, its targets are rendered and published first, among the previous output.
    fn render_outputs(
        &mut self,
        queue: &Arc<ImageQueue>,
        first: Option<(&mut FirstPass, HashSet<Target>)>,
    ) -> Result<(), Vec<Diagnostic>> {
        // Before rendering, as a build does: templates may hash the index.
        let (indexes, search_warnings) = self.stages.search_indexes_of(&|_| true, &mut self.search);
        self.site_state.set_generated(&indexes);
        let mut targets = render::all_targets(&self.stages.library);
        let mut packed = Vec::new();
        let mut images = Vec::new();
        if let Some((pass, now)) = first.filter(|(_, now)| !now.is_empty()) {
            targets.retain(|t| !now.contains(t));
            let now: Vec<Target> = now.into_iter().collect();
            let (rendered, made) = self.render(queue, &now, &|_, _| true)?;
            let mut changed = self.put(made.iter().cloned());
            changed.sort();
            (pass.publish)(&self.files, &changed);
            packed = made;
            images = rendered.images;
        }
        let (rendered, rest) = self.render(queue, &targets, &|_, _| true)?;
        packed.extend(rest);
        images.extend(rendered.images);
        self.files = Arc::new(packed.into_iter().collect());
        self.copied.clear();
        self.images = images;
        self.collect_assets()?;
        self.search_warnings = search_warnings;
        self.store(indexes);
        Ok(())
    }

    /// Renders `targets` with the current site data: their queued images and job times, and
    /// their files as held in memory, packed by the threads that render them.
    fn render(
        &self,
        queue: &Arc<ImageQueue>,
        targets: &[Target],
        keep_pager: render::PagerFilter,
    ) -> Result<(render::RenderedSite, Packed), Vec<Diagnostic>> {
        let packed = Mutex::new(Vec::new());
        let errors = Mutex::new(Vec::new());
        let sink = |files: Vec<crate::output::OutputFile>| {
            let mut made = Vec::with_capacity(files.len());
            for f in files {
                match bytes_of(f.contents) {
                    Ok(b) => {
                        let kept = self.keep(&f.path, b);
                        made.push((f.path, kept));
                    }
                    Err(e) => errors
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .extend(e),
                }
            }
            packed
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .extend(made);
        };
        let rendered = render::site_targets(
            self.stages.inputs(),
            queue,
            &self.site_state,
            targets,
            keep_pager,
            Some(&sink),
        )?;
        let errors = errors.into_inner().unwrap_or_else(PoisonError::into_inner);
        if !errors.is_empty() {
            return Err(errors);
        }
        let packed = packed.into_inner().unwrap_or_else(PoisonError::into_inner);
        Ok((rendered, packed))
    }

    /// Replaces the warnings of the bodies of `items` with those of their new render.
    fn replace_body_warnings(&mut self, items: &[Item], warnings: Vec<Diagnostic>) {
        let lib = &self.stages.library;
        let files: HashSet<&Path> = items
            .iter()
            .map(|&it| match it {
                Item::Page(i) => lib.pages[i].source.file.as_path(),
                Item::Section(i) => lib.sections[i].source.file.as_path(),
            })
            .collect();
        let all = &mut self.stages.bodies.warnings;
        all.retain(|w| !files.contains(w.file.as_path()));
        all.extend(warnings);
        diag::sort(all);
    }

    /// Compiled stylesheets, static files, colocated assets and images, read into memory.
    fn collect_assets(&mut self) -> Result<(), Vec<Diagnostic>> {
        let copied = self.stages.assets(&self.root, self.images.clone())?;
        let mut kept = Vec::with_capacity(copied.len());
        for f in copied {
            kept.push((self.keep(&f.path, bytes_of(f.contents)?), f.path));
        }
        let files = Arc::make_mut(&mut self.files);
        for old in self.copied.drain() {
            files.remove(&old);
        }
        for (bytes, path) in kept {
            files.insert(&path, bytes);
            self.copied.insert(path);
        }
        Ok(())
    }

    /// Puts the search index files into the output.
    fn store(&mut self, indexes: Vec<crate::output::OutputFile>) {
        let kept: Vec<(Stored, String)> = indexes
            .into_iter()
            .filter_map(|f| match f.contents {
                Contents::Bytes(b) => Some((self.keep(&f.path, Stored::pack(b)), f.path)),
                Contents::CopyOf(_) => None,
            })
            .collect();
        let files = Arc::make_mut(&mut self.files);
        for (bytes, path) in kept {
            files.insert(&path, bytes);
        }
    }

    /// `new` as the output at `path` keeps it: the value there already if equal, so an
    /// unchanged output keeps its place; else moved into the pack.
    fn keep(&self, path: &str, new: Stored) -> Stored {
        match (self.files.get(path), &self.pack) {
            (Some(old), _) if *old == new => old.clone(),
            (_, Some(pack)) => new.into_pack(pack),
            (_, None) => new,
        }
    }

    /// Whether most of the pack is outputs replaced since (a template edit replaces every
    /// page), so that `compact_pack` is worth its time.
    pub fn is_pack_stale(&self) -> bool {
        self.pack
            .as_ref()
            .is_some_and(|p| p.is_mostly_stale(self.files.packed_bytes() as u64))
    }

    /// Whether the pack must be compacted now rather than when serve is idle: on disk it
    /// would otherwise grow without bound while edits come faster than every `IDLE`.
    pub fn is_pack_overgrown(&self) -> bool {
        self.pack
            .as_ref()
            .is_some_and(|p| p.is_overgrown(self.files.packed_bytes() as u64))
    }

    /// Writes the output to a fresh pack; the old one goes once no output served reads it.
    /// Serve runs it when no edit came for a moment: at 10k articles it takes ~0.6 s.
    pub fn compact_pack(&mut self) {
        let Ok(fresh) = Pack::create(&self.root) else {
            return;
        };
        let fresh = Arc::new(fresh);
        self.files = Arc::new(
            self.files
                .iter()
                .map(|(p, b)| (p.to_string(), b.clone().into_pack(&fresh)))
                .collect(),
        );
        self.pack = Some(fresh);
    }

    fn refresh_warnings(&mut self) {
        self.warnings = self.stages.warnings(self.search_warnings.iter().cloned());
    }
}

/// What a target's templates can show of an edit.
#[derive(Debug, Clone, Copy)]
struct Verdict {
    is_hot: bool,
    shows_lists: bool,
    sees_bodies: bool,
    /// Bit `k`: in the site's `k`th language, a template reads a message an .ftl edit changed.
    message_langs: u64,
}

/// Whether a file is an editor's swap, backup or temporary file rather than the site's: vim's
/// `4913` probe and `.swp`, `~` backups, Emacs' `#name#`, JetBrains' `___jb_tmp___`, and
/// the `.tmp` files of editors that save by renaming one over the file. While one exists
/// beside a page it would look like a new colocated asset, and reload the whole content.
fn is_editors_own(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name == "4913"
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name.ends_with(".tmp")
        || name.ends_with(".crswap")
}

/// What an edit made dirty, filled stage by stage.
#[derive(Default)]
struct Plan {
    is_full: bool,
    is_static: bool,
    /// Front matter changed somewhere: lists may show it.
    has_metadata: bool,
    /// A search index changed, which templates reading files may hash.
    has_index_change: bool,
    /// A page parsed again was in a feed before the edit.
    was_in_feeds: bool,
    /// A date or `extra` changed, which the sitemap shows.
    has_sitemap_change: bool,
    /// Only bodies changed, and no links: other targets see them only through body fields.
    is_body_only: bool,
    /// Items whose JSON changed.
    dirty: HashSet<Item>,
    /// The body fields that changed, of any item.
    body_fields: HashSet<BodyField>,
    rerender_bodies: HashSet<Item>,
    /// Templates whose source changed.
    templates: HashSet<String>,
    /// The edited content files, relative to `content/`.
    edited: Vec<String>,
    /// Languages whose messages changed.
    langs: HashSet<String>,
    /// Those messages by language; `None` when any may have changed.
    messages: Option<BTreeMap<String, BTreeSet<String>>>,
    /// Images the bodies rendered again queued.
    images: Vec<ImageJob>,
    /// Time the stages before `run` took, for the log.
    timings: Vec<(&'static str, Duration)>,
}

impl Plan {
    fn dirty_pages(&self) -> HashSet<usize> {
        self.dirty
            .iter()
            .filter_map(|i| match i {
                Item::Page(p) => Some(*p),
                Item::Section(_) => None,
            })
            .collect()
    }
}

/// What the sitemap shows of `item` besides its URL: dates and `extra`.
fn sitemap_fields(
    lib: &Library,
    item: Item,
) -> (Option<String>, Option<String>, serde_json::Value) {
    let text = |d: &Option<content::Date>| d.as_ref().map(|d| d.text.clone());
    match item {
        Item::Page(i) => {
            let p = &lib.pages[i];
            (text(&p.date), text(&p.updated), p.extra.clone())
        }
        Item::Section(i) => (None, None, lib.sections[i].extra.clone()),
    }
}

/// Two libraries with the same pages and sections at the same indices, paths, order,
/// neighbours, taxonomy terms and translations: only item metadata and text can differ.
fn same_shape(a: &Library, b: &Library) -> bool {
    let page = |(x, y): (&content::Page, &content::Page)| {
        x.source.relative == y.source.relative
            && x.path == y.path
            && x.permalink == y.permalink
            && x.parent == y.parent
            && x.ancestors == y.ancestors
            && (x.lower, x.higher) == (y.lower, y.higher)
            && x.is_rendered() == y.is_rendered()
            && x.meta.template == y.meta.template
            && x.meta.aliases == y.meta.aliases
            && x.assets == y.assets
    };
    let section = |(x, y): (&content::Section, &content::Section)| {
        x.source.relative == y.source.relative
            && x.path == y.path
            && x.pages == y.pages
            && x.subsections == y.subsections
            && x.ignored_pages == y.ignored_pages
            && x.assets == y.assets
            && x.meta.template == y.meta.template
            && x.meta.aliases == y.meta.aliases
            && x.meta.paginate_by == y.meta.paginate_by
            && x.meta.redirect_to == y.meta.redirect_to
            && x.is_rendered() == y.is_rendered()
    };
    let terms = |(x, y): (&content::Taxonomy, &content::Taxonomy)| {
        x.terms.len() == y.terms.len()
            && x.terms
                .iter()
                .zip(&y.terms)
                .all(|(s, t)| (&s.name, &s.slug, &s.pages) == (&t.name, &t.slug, &t.pages))
    };
    a.pages.len() == b.pages.len()
        && a.sections.len() == b.sections.len()
        && a.taxonomies.len() == b.taxonomies.len()
        && a.pages.iter().zip(&b.pages).all(page)
        && a.sections.iter().zip(&b.sections).all(section)
        && a.taxonomies.iter().zip(&b.taxonomies).all(terms)
        && a.translations == b.translations
}

/// What a rebuild renders first, and who hears of it (see `apply_in_passes`).
pub struct FirstPass<'a> {
    /// Output paths of the pages served last (`a/b/index.html`), newest first.
    pub viewed: &'a [String],
    /// Hears the output after the first pass, and the paths it changed.
    pub publish: &'a mut dyn FnMut(&Arc<Files>, &[String]),
}

impl FirstPass<'_> {
    /// Whether target `t` goes out in the first pass: the page of an edited item (`items`)
    /// or a page in view.
    fn takes(&self, lib: &Library, items: &HashSet<Item>, t: Target) -> bool {
        let is_viewed = |path: &str| self.viewed.iter().any(|v| *v == index_file(path));
        match t {
            Target::Page(i) => items.contains(&Item::Page(i)) || is_viewed(&lib.pages[i].path),
            Target::Section(i) => {
                items.contains(&Item::Section(i)) || is_viewed(&lib.sections[i].path)
            }
            _ => false,
        }
    }
}

/// Rendered files as serve holds them, by output path.
type Packed = Vec<(String, Stored)>;

fn bytes_of(contents: Contents) -> Result<Stored, Vec<Diagnostic>> {
    match contents {
        Contents::Bytes(b) => Ok(Stored::pack(b)),
        Contents::CopyOf(p) => fs::read(&p)
            .map(Stored::pack)
            .map_err(|e| vec![Diagnostic::error(&p, None, format!("cannot read: {e}"))]),
    }
}

/// How long a stage took, for `-v`.
pub fn millis(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}
