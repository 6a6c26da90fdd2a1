//! Which body fields (`content`, `toc`) templates may read of pages other than the one they
//! render, found in their syntax trees. A list or a `get_section` value that carries every
//! page's rendered body costs a copy of each body per use, and Tera copies a `set` value's
//! list again on each `sec.pages`: a portal home listing ten sections spent most of its
//! time there. Where no template can read a listed page's body, lists leave it out.
//!
//! `page.content` and `section.content` read the context's own item unless a `for` or `set`
//! of the template's chain (itself, its parents, what it includes) binds that name. Anything
//! that can read a field by a computed name (`json_encode`, `for k, v in …`, `x[name]`,
//! `get(key=name)`, `__tera_context`) counts as reading every field.

use std::collections::{HashMap, HashSet};

use tera::Tera;
use tera::ast::{Expr, ExprVal, FunctionCall, Node};

/// The fields a list can leave out.
pub const BODY_FIELDS: [&str; 2] = ["content", "toc"];

/// For each template, the body fields its chain (or a macro) may read of a listed page.
#[derive(Debug, Clone, Default)]
pub struct ListedReads {
    by_template: HashMap<String, Vec<&'static str>>,
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
            let bound: HashSet<String> = chain
                .iter()
                .filter_map(|n| own.get(n.as_str()))
                .flat_map(|n| n.bound.iter().cloned())
                .collect();
            let mut fields = macro_fields.clone();
            for n in chain.iter().filter_map(|n| own.get(n.as_str())) {
                fields.extend(n.fields(&bound, true));
            }
            fields.sort_unstable();
            fields.dedup();
            by_template.insert(name.to_string(), fields);
        }
        Self { by_template }
    }

    /// Whether `template` (or anything in its chain, or any macro) may read `field` of a
    /// listed page. Unknown templates may read anything.
    pub fn in_template(&self, template: &str, field: &str) -> bool {
        self.by_template
            .get(template)
            .is_none_or(|f| f.contains(&field))
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
    includes: Vec<String>,
}

impl Names {
    /// The body fields read of something other than the context's own page or section.
    /// `own_roots`: whether an unbound `page`/`section` is the context's (not in macros).
    fn fields(&self, bound: &HashSet<String>, own_roots: bool) -> Vec<&'static str> {
        BODY_FIELDS
            .into_iter()
            .filter(|f| {
                self.reads_anything
                    || self.literals.contains(*f)
                    || self.paths.iter().any(|p| {
                        let segs = segments(p);
                        let is_own = own_roots
                            && segs.len() == 2
                            && matches!(segs[0].as_str(), "page" | "section")
                            && !bound.contains(&segs[0]);
                        segs.iter().skip(1).any(|s| s == f) && !is_own
                    })
            })
            .collect()
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
        for f in &e.filters {
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
                self.expr(&l.lhs);
                self.expr(&l.rhs);
            }
            ExprVal::In(i) => {
                self.expr(&i.lhs);
                self.expr(&i.rhs);
            }
            ExprVal::Test(t) => {
                self.path(&t.ident);
                for a in &t.args {
                    self.expr(a);
                }
            }
            ExprVal::MacroCall(m) => {
                for a in m.args.values() {
                    self.expr(a);
                }
            }
            ExprVal::FunctionCall(f) => self.call(f),
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

    fn path(&mut self, p: &str) {
        if p.starts_with("__tera_context") || has_computed_subscript(p) {
            self.reads_anything = true;
        }
        self.paths.push(p.to_string());
    }
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
                !r.in_template(t, "content") && !r.in_template(t, "toc"),
                "{t}: {r:?}"
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
            let found = r.in_template("t.html", "content") || r.in_template("t.html", "toc");
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
        assert!(r.in_template("list.html", "content"));
        let r = reads(&[
            ("card.html", "{{ page.content }}"),
            (
                "list.html",
                "{% for page in section.pages %}{% include \"card.html\" %}{% endfor %}",
            ),
        ]);
        assert!(r.in_template("list.html", "content"));
        assert!(!r.in_template("card.html", "content"));
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
        assert!(r.in_template("t.html", "content"));
        // Loops over the config's maps read no page, nor do functions' keys.
        let r = reads(&[(
            "t.html",
            "{% for k, v in config.extra.social %}{{ v }}{% endfor %}\
             {{ trans(key=\"toc\") }}{% for s in config.extra.s %}{{ trans(key=\"s_\" ~ s) }}{% endfor %}",
        )]);
        assert!(!r.in_template("t.html", "content"));
    }
}
