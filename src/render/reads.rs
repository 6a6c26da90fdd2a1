//! Which fields templates may read of pages other than the one they render, found in their
//! syntax trees. A list or a `get_section` value carries every listed page as JSON, copied
//! per use, and Tera copies a `set` value's list again on each `sec.pages`: a portal home
//! listing ten sections spent most of its time copying fields it never shows (bodies above
//! all). Lists carry only the fields a template's chain may read (`Lists::Only`).
//!
//! A field counts as read when it names a step of any identifier path (`p.title`,
//! `sec.pages[0].date`), or a filter names it (`map(attribute="title")`), except
//! `page.<field>` and `section.<field>`, which read the context's own item unless a `for` or
//! `set` of the chain (the template, its parents, what it includes) binds that name; every
//! macro's paths count. Whatever can read a field by a computed name or see a whole page
//! (`json_encode`, `for k, v in …`, `x[name]`, `get(key=name)`, `__tera_context`, a page
//! given to a function, `length` of a page, `p == q`) counts as reading every field.

use std::collections::{HashMap, HashSet};

use tera::Tera;
use tera::ast::{Expr, ExprVal, FunctionCall, LogicOperator, Node};

use super::data::{Lists, field_mask};

/// Functions whose arguments are text, numbers or lists of them: a name given to them is
/// not a page whose fields they read. Any other function (`structured_data`) may read all.
const SCALAR_FUNCTIONS: [&str; 22] = [
    "trans",
    "t",
    "get_url",
    "get_page",
    "get_section",
    "get_taxonomy",
    "get_taxonomy_url",
    "get_taxonomy_term",
    "get_hash",
    "get_image_metadata",
    "resize_image",
    "load_data",
    "file_size",
    "range",
    "now",
    "throw",
    "get_env",
    "get_random",
    "pages_of_kind",
    "lunar_to_solar",
    "next_lunar_date",
    "upcoming_events",
];

/// Context variables that hold text, never a page, unless the template binds the name.
const CONTEXT_TEXT: [&str; 3] = ["current_path", "current_url", "lang"];

/// For each template, the fields its chain (or a macro) may read of a listed page.
#[derive(Debug, Clone, Default)]
pub struct ListedReads {
    by_template: HashMap<String, Lists>,
}

impl ListedReads {
    pub fn of(tera: &Tera) -> Self {
        let mut own: HashMap<&str, Names> = HashMap::new();
        let mut in_macros = Names::default();
        for name in tera.get_template_names() {
            let Ok(t) = tera.get_template(name) else {
                continue;
            };
            let mut names = Names::default();
            names.nodes(&t.ast);
            own.insert(name, names);
            for m in t.macros.values() {
                in_macros.bound.extend(m.args.keys().cloned());
                for default in m.args.values().flatten() {
                    in_macros.expr(default);
                }
                in_macros.nodes(&m.body);
            }
        }
        // In a macro every name is an argument or a local: no read there is the context's own.
        let macro_fields = in_macros.fields(&HashSet::new(), false);
        let mut by_template = HashMap::new();
        for name in tera.get_template_names() {
            let chain = chain(tera, name, &own);
            let members: Vec<&Names> = chain.iter().filter_map(|n| own.get(n.as_str())).collect();
            let bound: HashSet<String> = members
                .iter()
                .flat_map(|n| n.bound.iter().cloned())
                .collect();
            let mut fields = macro_fields.clone();
            for n in members {
                fields = match (fields, n.fields(&bound, true)) {
                    (Some(mut all), Some(more)) => {
                        all.extend(more);
                        Some(all)
                    }
                    _ => None,
                };
            }
            let lists = match fields {
                Some(f) => Lists::Only(field_mask(f.iter().map(String::as_str))),
                None => Lists::Full,
            };
            by_template.insert(name.to_string(), lists);
        }
        Self { by_template }
    }

    /// How much of each listed page `template` gets: the fields its chain may read.
    /// Unknown templates get everything.
    pub fn lists(&self, template: &str) -> Lists {
        self.by_template
            .get(template)
            .copied()
            .unwrap_or(Lists::Full)
    }
}

/// `name`, its parents and everything they include, transitively.
fn chain(tera: &Tera, name: &str, own: &HashMap<&str, Names>) -> Vec<String> {
    let mut seen = vec![name.to_string()];
    if let Ok(t) = tera.get_template(name) {
        seen.extend(t.parents.iter().cloned());
    }
    let mut i = 0;
    while let Some(cur) = seen.get(i).cloned() {
        for inc in own
            .get(cur.as_str())
            .map_or(&[][..], |n| n.includes.as_slice())
        {
            if !seen.contains(inc) {
                seen.push(inc.clone());
            }
        }
        i += 1;
    }
    seen
}

/// What one tree names.
#[derive(Debug, Default)]
struct Names {
    /// Identifier paths as written: `page.content`, `sec.pages[0].toc`.
    paths: Vec<String>,
    /// Names bound by `for` and `set`.
    bound: HashSet<String>,
    /// Fields named by filters that read one by name: `map(attribute="content")`.
    literals: HashSet<String>,
    /// Something that can read a field by a computed name.
    reads_anything: bool,
    /// Names used whole where a page would show all its fields (given to a function,
    /// `length`, compared, `in`, `containing`): harmless only if they are the context's text.
    whole: Vec<String>,
    includes: Vec<String>,
}

impl Names {
    /// The fields read of something other than the context's own page or section; `None`
    /// if any may be. `own_roots`: whether an unbound `page`/`section` is the context's
    /// (not in macros).
    fn fields(&self, bound: &HashSet<String>, own_roots: bool) -> Option<HashSet<String>> {
        let is_text =
            |n: &String| own_roots && CONTEXT_TEXT.contains(&n.as_str()) && !bound.contains(n);
        if self.reads_anything || !self.whole.iter().all(is_text) {
            return None;
        }
        let mut out = self.literals.clone();
        for p in &self.paths {
            let segs = segments(p);
            let is_own = own_roots
                && segs.len() == 2
                && matches!(segs[0].as_str(), "page" | "section")
                && !bound.contains(&segs[0]);
            if !is_own {
                out.extend(segs.into_iter().skip(1));
            }
        }
        Some(out)
    }

    fn nodes(&mut self, nodes: &[Node]) {
        for n in nodes {
            match n {
                Node::VariableBlock(_, e) => self.expr(e),
                Node::Include(_, names, _) => self.includes.extend(names.iter().cloned()),
                Node::Set(_, s) => {
                    self.bound.insert(s.key.clone());
                    self.expr(&s.value);
                }
                Node::FilterSection(_, f, _) => {
                    self.filter(&f.filter);
                    self.nodes(&f.body);
                }
                Node::Block(_, b, _) => self.nodes(&b.body),
                Node::Forloop(_, f, _) => {
                    if f.key.is_some() && !is_plain_map(&f.container) {
                        self.reads_anything = true;
                    }
                    self.bound.extend(f.key.iter().cloned());
                    self.bound.insert(f.value.clone());
                    self.expr(&f.container);
                    self.nodes(&f.body);
                    if let Some(empty) = &f.empty_body {
                        self.nodes(empty);
                    }
                }
                Node::If(i, _) => {
                    for (_, e, body) in &i.conditions {
                        self.expr(e);
                        self.nodes(body);
                    }
                    if let Some((_, body)) = &i.otherwise {
                        self.nodes(body);
                    }
                }
                // Macros are walked on their own; the rest holds no expression.
                _ => {}
            }
        }
    }

    fn expr(&mut self, e: &Expr) {
        self.val(&e.val);
        // `length` or `as_str` of what may be a whole page sees all its fields.
        let is_whole_name = matches!(&e.val, ExprVal::Ident(p) if is_whole(p));
        let mut may_be_page = is_whole_name;
        for f in &e.filters {
            if may_be_page && matches!(f.name.as_str(), "length" | "as_str") {
                if is_whole_name {
                    self.use_whole(&e.val);
                } else {
                    // A list's first or last item.
                    self.reads_anything = true;
                }
            }
            let picks_item = matches!(f.name.as_str(), "first" | "last" | "nth");
            may_be_page =
                picks_item || (may_be_page && matches!(f.name.as_str(), "default" | "safe"));
            self.filter(f);
        }
    }

    fn call(&mut self, f: &FunctionCall) {
        if matches!(f.name.as_str(), "json_encode" | "tojson") {
            self.reads_anything = true;
        }
        for a in f.args.values() {
            self.expr(a);
        }
    }

    /// A function: one that may read fields of what it is given reads them all.
    fn function(&mut self, f: &FunctionCall) {
        if !SCALAR_FUNCTIONS.contains(&f.name.as_str()) {
            for a in f.args.values() {
                self.use_whole(&a.val);
            }
        }
        self.call(f);
    }

    /// A filter: those that read a field by name (`map(attribute="content")`) read it.
    fn filter(&mut self, f: &FunctionCall) {
        let by_name = matches!(
            f.name.as_str(),
            "map" | "filter" | "group_by" | "sort" | "unique" | "get"
        );
        for (k, a) in &f.args {
            if by_name && matches!(k.as_str(), "attribute" | "key") {
                match &a.val {
                    ExprVal::String(name) => self.literals.extend(segments(name)),
                    _ => self.reads_anything = true,
                }
            }
        }
        self.call(f);
    }

    fn val(&mut self, v: &ExprVal) {
        match v {
            ExprVal::Ident(p) => self.path(p),
            ExprVal::Math(m) => {
                self.expr(&m.lhs);
                self.expr(&m.rhs);
            }
            ExprVal::Logic(l) => {
                // Two pages compared see all their fields.
                let both_whole = [&l.lhs, &l.rhs]
                    .iter()
                    .all(|e| matches!(&e.val, ExprVal::Ident(p) if is_whole(p)));
                if both_whole && matches!(l.operator, LogicOperator::Eq | LogicOperator::NotEq) {
                    self.use_whole(&l.lhs.val);
                    self.use_whole(&l.rhs.val);
                }
                self.expr(&l.lhs);
                self.expr(&l.rhs);
            }
            ExprVal::In(i) => {
                // `"title" in p` asks for a field by name.
                match (&i.lhs.val, &i.rhs.val) {
                    (ExprVal::String(name), _) => self.literals.extend(segments(name)),
                    (_, rhs) => self.use_whole(rhs),
                }
                self.expr(&i.lhs);
                self.expr(&i.rhs);
            }
            ExprVal::Test(t) => {
                self.path(&t.ident);
                if t.name == "containing" {
                    for a in &t.args {
                        match &a.val {
                            ExprVal::String(name) => self.literals.extend(segments(name)),
                            _ => self.use_whole(&ExprVal::Ident(t.ident.clone())),
                        }
                    }
                }
                for a in &t.args {
                    self.expr(a);
                }
            }
            ExprVal::MacroCall(m) => {
                for a in m.args.values() {
                    self.expr(a);
                }
            }
            ExprVal::FunctionCall(f) => self.function(f),
            ExprVal::Array(items) => {
                for e in items {
                    self.expr(e);
                }
            }
            ExprVal::StringConcat(c) => {
                for v in &c.values {
                    self.val(v);
                }
            }
            ExprVal::String(_) | ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) => {}
        }
    }

    /// Notes `v` if it may be a whole page: a name, or a list's item.
    fn use_whole(&mut self, v: &ExprVal) {
        if let ExprVal::Ident(p) = v
            && is_whole(p)
        {
            let segs = segments(p);
            match segs.as_slice() {
                [name] => self.whole.push(name.clone()),
                _ => self.reads_anything = true,
            }
        }
    }

    fn path(&mut self, p: &str) {
        if p.starts_with("__tera_context") || has_computed_subscript(p) {
            self.reads_anything = true;
        }
        self.paths.push(p.to_string());
    }
}

/// Whether a path may name a whole page: a bare name (`p`), a list's item (`pages[0]`) or
/// a neighbour (`page.lower`).
fn is_whole(path: &str) -> bool {
    let segs = segments(path);
    segs.len() == 1
        || segs
            .last()
            .is_some_and(|s| s.chars().all(|c| c.is_ascii_digit()) || s == "lower" || s == "higher")
}

/// A `for k, v` loop over the config or `extra`, which hold no page.
fn is_plain_map(container: &Expr) -> bool {
    match &container.val {
        ExprVal::Ident(p) => {
            let segs = segments(p);
            segs.first().is_some_and(|s| s == "config") || segs.last().is_some_and(|s| s == "extra")
        }
        _ => false,
    }
}

/// `a.b["c"][0].d` → `a`, `b`, `c`, `0`, `d`.
fn segments(path: &str) -> Vec<String> {
    path.split(['.', '[', ']'])
        .map(|s| s.trim().trim_matches(['"', '\'', '`']))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// `x[name]`: a field chosen while rendering. `x["name"]` and `x[0]` are not.
fn has_computed_subscript(path: &str) -> bool {
    path.split('[').skip(1).any(|rest| {
        let inner = rest.split(']').next().unwrap_or("").trim();
        let quoted = ['"', '\'', '`']
            .iter()
            .any(|q| inner.starts_with(*q) && inner.ends_with(*q) && inner.len() >= 2);
        !(quoted || inner.chars().all(|c| c.is_ascii_digit()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads_field(r: &ListedReads, template: &str, field: &str) -> bool {
        match r.lists(template) {
            Lists::Only(mask) => mask & field_mask([field]) != 0,
            _ => true,
        }
    }

    fn reads(templates: &[(&str, &str)]) -> ListedReads {
        let mut tera = Tera::default();
        tera.add_raw_templates(templates.iter().copied()).unwrap();
        ListedReads::of(&tera)
    }

    #[test]
    fn the_own_page_and_section_bodies_are_not_listed_reads() {
        let r = reads(&[
            (
                "base.html",
                "<main>{% block content %}{% endblock content %}</main>",
            ),
            (
                "page.html",
                "{% extends \"base.html\" %}{% block content %}{{ page.content | safe }}\
                 {% for h in page.toc %}{{ h.title }}{% endfor %}{% endblock content %}",
            ),
            (
                "index.html",
                "{% extends \"base.html\" %}{% block content %}{{ section.content | safe }}\
                 {% set sec = get_section(path=\"a/_index.md\") %}\
                 {% for p in sec.pages | slice(end=5) %}{{ p.title }}{% endfor %}{% endblock content %}",
            ),
        ]);
        for t in ["page.html", "index.html"] {
            assert!(
                !reads_field(&r, t, "content") && !reads_field(&r, t, "toc"),
                "{t}: {r:?}"
            );
        }
    }

    #[test]
    fn a_list_carries_only_the_fields_its_templates_read() {
        let r = reads(&[
            (
                "m.html",
                "{% macro card(p) %}<a href=\"{{ p.permalink }}\">{{ p.title }}</a>{% endmacro card %}",
            ),
            (
                "index.html",
                "{% import \"m.html\" as m %}{{ section.content | safe }}\
                 {% set sec = get_section(path=\"a/_index.md\", lang=lang) %}\
                 {% for p in sec.pages | slice(end=5) %}{{ m::card(p=p) }}\
                 {{ p.date | date(format=\"%Y\") }}{% if \"summary\" in p %}s{% endif %}{% endfor %}",
            ),
        ]);
        let want = field_mask(["permalink", "title", "date", "summary"]);
        assert_eq!(r.lists("index.html"), Lists::Only(want));
        // Whatever may see a whole page reads every field.
        for case in [
            "{% for p in section.pages %}{{ structured_data(page=p) }}{% endfor %}",
            "{% for p in section.pages %}{{ p | length }}{% endfor %}",
            "{{ section.pages | first | length }}",
            "{{ section.pages[0] | as_str }}",
            "{{ page.lower | length }}",
            "{{ structured_data(page=page.higher) }}",
            "{% for p in section.pages %}{% if p == page %}x{% endif %}{% endfor %}",
            "{% set k = \"title\" %}{% for p in section.pages %}{% if k in p %}x{% endif %}{% endfor %}",
            "{% set k = \"title\" %}{% for p in section.pages %}{% if p is containing(k) %}x{% endif %}{% endfor %}",
        ] {
            assert_eq!(
                reads(&[("t.html", case)]).lists("t.html"),
                Lists::Full,
                "{case}"
            );
        }
    }

    #[test]
    fn reads_of_listed_pages_bodies_are_found_however_written() {
        let cases = [
            "{% for p in section.pages %}{{ p.content }}{% endfor %}",
            "{% for page in paginator.pages %}{{ page.content }}{% endfor %}",
            "{% set page = get_page(path=\"a.md\") %}{{ page.content }}",
            "{{ section.pages[0].content }}",
            "{{ page.lower.toc }}",
            "{{ section.pages | map(attribute=\"content\") | join(sep=\"\") }}",
            "{{ section.pages | json_encode }}",
            "{% for k, v in page %}{{ v }}{% endfor %}",
            "{% set f = \"content\" %}{{ page[f] }}",
            "{{ __tera_context }}",
            "{% set k = \"content\" %}{{ page.lower | get(key=k) }}",
            "{% if section.pages[0][\"content\"] is defined %}x{% endif %}",
        ];
        for case in cases {
            let r = reads(&[("t.html", case)]);
            let found = reads_field(&r, "t.html", "content") || reads_field(&r, "t.html", "toc");
            assert!(found, "missed: {case}");
        }
        // A parent's `set` binds `page` for a child's block; an includer's loop for an
        // included template; a macro's argument is never the context's page.
        let r = reads(&[
            (
                "base.html",
                "{% set page = get_page(path=\"a.md\") %}{% block item %}{% endblock item %}",
            ),
            (
                "list.html",
                "{% extends \"base.html\" %}{% block item %}{{ page.content }}{% endblock item %}",
            ),
        ]);
        assert!(reads_field(&r, "list.html", "content"));
        let r = reads(&[
            ("card.html", "{{ page.content }}"),
            (
                "list.html",
                "{% for page in section.pages %}{% include \"card.html\" %}{% endfor %}",
            ),
        ]);
        assert!(reads_field(&r, "list.html", "content"));
        assert!(!reads_field(&r, "card.html", "content"));
        let r = reads(&[
            (
                "m.html",
                "{% macro card(page) %}{{ page.content }}{% endmacro card %}",
            ),
            (
                "t.html",
                "{% import \"m.html\" as m %}{{ m::card(page=page) }}",
            ),
        ]);
        assert!(reads_field(&r, "t.html", "content"));
        // Loops over the config's maps read no page, nor do functions' keys.
        let r = reads(&[(
            "t.html",
            "{% for k, v in config.extra.social %}{{ v }}{% endfor %}\
             {{ trans(key=\"toc\") }}{% for s in config.extra.s %}{{ trans(key=\"s_\" ~ s) }}{% endfor %}",
        )]);
        assert!(!reads_field(&r, "t.html", "content"));
    }
}
