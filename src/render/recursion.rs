//! Finds templates and macros that call themselves on every path (an include or macro call not
//! under an `if` or a `for`): Tera 1 has no depth limit, so such a loop would overflow the
//! stack and abort the build. Found at load, reported with the chain, before anything renders.
//! A loop under a condition that never turns false is caught while rendering, by `guard`.

use std::collections::{BTreeMap, HashMap};

use tera::ast::{Expr, ExprVal, FunctionCall, Node, WS};
use tera::{Tera, Value};

/// The stack a render thread keeps in reserve: when less is left on entering a template or a
/// macro, rendering stops with an error instead of overflowing. One level of Tera's
/// recursion takes a few tens of KiB in a debug build, far less in release.
pub const STACK_RESERVE: usize = 512 * 1024;

/// The function `guard` calls first in every template and macro body.
const GUARD: &str = "__tre_stack_guard";
/// How Tera introduces the guard's error, a part of the chain `error_chain` leaves out.
pub const GUARD_FAILED: &str = "Function call '__tre_stack_guard' failed";

/// Makes every template and macro body begin with a check of the stack left: a recursion
/// that `cycles` cannot see (one whose condition never turns false) ends in a render error
/// naming the template, not in a stack overflow that aborts the process.
pub fn guard(tera: &mut Tera) {
    tera.register_function(
        GUARD,
        |_: &HashMap<String, Value>| match stacker::remaining_stack() {
            Some(left) if left < STACK_RESERVE => Err(tera::Error::msg(
                "templates nest too deeply: an include or macro call repeats without end \
                 (its condition never turns false)",
            )),
            _ => Ok(Value::String(String::new())),
        },
    );
    let check = || {
        Node::VariableBlock(
            WS::default(),
            Expr::new(ExprVal::FunctionCall(FunctionCall {
                name: GUARD.to_string(),
                args: HashMap::new(),
            })),
        )
    };
    for t in tera.templates.values_mut() {
        t.ast.insert(0, check());
        for m in t.macros.values_mut() {
            m.body.insert(0, check());
        }
    }
}

/// A template (`page.html`) or a macro in one (`macros.html::menu`).
type Callee = String;

/// Every unconditional call cycle, as `a.html → b.html → a.html`, with the template it starts in.
pub fn cycles(tera: &Tera) -> Vec<(String, String)> {
    let mut graph: BTreeMap<Callee, Vec<Callee>> = BTreeMap::new();
    for name in tera.get_template_names() {
        let Ok(t) = tera.get_template(name) else {
            continue;
        };
        let mut calls = Vec::new();
        let scope = Scope {
            tera,
            file: name,
            imports: &t.imported_macro_files,
        };
        if let Some(parent) = &t.parent {
            calls.push(parent.clone());
        }
        scope.nodes(&t.ast, &mut calls);
        graph.insert(name.to_string(), calls);
        for (m, def) in &t.macros {
            let mut calls = Vec::new();
            scope.nodes(&def.body, &mut calls);
            graph.insert(format!("{name}::{m}"), calls);
        }
    }
    let mut found = Vec::new();
    let mut state: HashMap<&str, Visit> = HashMap::new();
    for start in graph.keys() {
        let mut path = Vec::new();
        walk(&graph, start, &mut state, &mut path, &mut found);
    }
    found
}

#[derive(Clone, Copy, PartialEq)]
enum Visit {
    Open,
    Done,
}

fn walk<'a>(
    graph: &'a BTreeMap<Callee, Vec<Callee>>,
    at: &'a str,
    state: &mut HashMap<&'a str, Visit>,
    path: &mut Vec<&'a str>,
    found: &mut Vec<(String, String)>,
) {
    match state.get(at) {
        Some(Visit::Done) => return,
        Some(Visit::Open) => {
            let from = path.iter().position(|p| *p == at).unwrap_or(0);
            let mut chain: Vec<&str> = path[from..].to_vec();
            chain.push(at);
            let file = at.split("::").next().unwrap_or(at).to_string();
            found.push((file, chain.join(" → ")));
            return;
        }
        None => {}
    }
    state.insert(at, Visit::Open);
    path.push(at);
    for next in graph.get(at).into_iter().flatten() {
        if graph.contains_key(next) {
            walk(graph, next, state, path, found);
        }
    }
    path.pop();
    state.insert(at, Visit::Done);
}

struct Scope<'a> {
    tera: &'a Tera,
    file: &'a str,
    imports: &'a [(String, String)],
}

impl Scope<'_> {
    /// Calls made whenever `nodes` render; the bodies of `if` and `for` may not run.
    fn nodes(&self, nodes: &[Node], calls: &mut Vec<Callee>) {
        for node in nodes {
            match node {
                Node::VariableBlock(_, e) => self.expr(e, calls),
                Node::Set(_, s) => self.expr(&s.value, calls),
                Node::Include(_, names, _) => {
                    if let Some(n) = names.iter().find(|n| self.tera.get_template(n).is_ok()) {
                        calls.push(n.clone());
                    }
                }
                Node::Block(_, b, _) => self.nodes(&b.body, calls),
                Node::FilterSection(_, f, _) => self.nodes(&f.body, calls),
                Node::If(i, _) => {
                    if let Some((_, e, _)) = i.conditions.first() {
                        self.expr(e, calls);
                    }
                }
                Node::Forloop(_, f, _) => self.expr(&f.container, calls),
                _ => {}
            }
        }
    }

    fn expr(&self, e: &Expr, calls: &mut Vec<Callee>) {
        self.val(&e.val, calls);
        for f in &e.filters {
            f.args.values().for_each(|a| self.expr(a, calls));
        }
    }

    fn val(&self, v: &ExprVal, calls: &mut Vec<Callee>) {
        match v {
            ExprVal::MacroCall(m) => {
                let file = if m.namespace == "self" {
                    Some(self.file)
                } else {
                    self.imports
                        .iter()
                        .find(|(_, ns)| *ns == m.namespace)
                        .map(|(f, _)| f.as_str())
                };
                if let Some(file) = file {
                    calls.push(format!("{file}::{}", m.name));
                }
                m.args.values().for_each(|a| self.expr(a, calls));
            }
            ExprVal::FunctionCall(f) => f.args.values().for_each(|a| self.expr(a, calls)),
            ExprVal::Math(m) => {
                self.expr(&m.lhs, calls);
                self.expr(&m.rhs, calls);
            }
            // The right side of `and`/`or` may not run.
            ExprVal::Logic(l) => self.expr(&l.lhs, calls),
            ExprVal::In(i) => {
                self.expr(&i.lhs, calls);
                self.expr(&i.rhs, calls);
            }
            ExprVal::Array(items) => items.iter().for_each(|a| self.expr(a, calls)),
            ExprVal::StringConcat(s) => s.values.iter().for_each(|v| self.val(v, calls)),
            _ => {}
        }
    }
}
