//! Shortcodes in a Markdown body: finds `{{ name(args) }}` and `{% name(args) %}…{% end %}`,
//! prints the escaped forms `{{/* … */}}` and `{%/* … */%}` literally, splices Markdown
//! shortcodes' output into the text and leaves a numbered placeholder for HTML ones.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::{Map, Number, Value};

use super::{InvalidShortcodes, Problem, RenderContext, ShortcodeCall, ShortcodeKind};

/// HTML shortcode `n` becomes `@@TRESC{n}@@` in the text given to pulldown-cmark: letters,
/// digits and `@` only, so Markdown neither splits nor escapes it.
const PLACEHOLDER_OPEN: &str = "@@TRESC";
const PLACEHOLDER_CLOSE: &str = "@@";

/// The body with shortcodes handled, and the way back to source offsets.
pub(super) struct Expanded<'a> {
    pub text: Cow<'a, str>,
    /// Rendered output of HTML shortcode `n`, for placeholder `n`.
    pub html: Vec<String>,
    pub map: SourceMap,
}

/// Maps offsets in the expanded text back to offsets in the body.
#[derive(Debug, Default)]
pub(super) struct SourceMap {
    /// Replaced regions, in order: `(out_start, out_end, src_start, src_end)`.
    edits: Vec<(usize, usize, usize, usize)>,
}

impl SourceMap {
    /// An offset in the expanded text as an offset in the body; inside a shortcode's output
    /// that is the shortcode's own start.
    pub fn to_source(&self, offset: usize) -> usize {
        let i = self.edits.partition_point(|e| e.0 <= offset);
        match i.checked_sub(1).and_then(|i| self.edits.get(i)) {
            None => offset,
            Some(&(_, out_end, src_start, _)) if offset < out_end => src_start,
            Some(&(_, out_end, _, src_end)) => src_end + (offset - out_end),
        }
    }
}

/// One piece of a text that may hold HTML shortcode placeholders.
#[derive(Debug, PartialEq)]
pub(super) enum Piece<'a> {
    Text(&'a str),
    Shortcode(usize),
}

/// Splits `s` at placeholders; indexes not in `0..count` stay text.
pub(super) fn split_placeholders(s: &str, count: usize) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(PLACEHOLDER_OPEN) {
        let after = &rest[i + PLACEHOLDER_OPEN.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let index = after[..digits].parse::<usize>().ok().filter(|n| *n < count);
        match index {
            Some(n) if after[digits..].starts_with(PLACEHOLDER_CLOSE) => {
                if i > 0 {
                    pieces.push(Piece::Text(&rest[..i]));
                }
                pieces.push(Piece::Shortcode(n));
                rest = &after[digits + PLACEHOLDER_CLOSE.len()..];
            }
            _ => {
                let keep = i + PLACEHOLDER_OPEN.len();
                pieces.push(Piece::Text(&rest[..keep]));
                rest = &rest[keep..];
            }
        }
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest));
    }
    pieces
}

/// Replaces each placeholder in `s` by the raw output of its shortcode (for code, where the
/// output is shown as text).
pub(super) fn fill_placeholders<'s>(s: &'s str, html: &[String]) -> Cow<'s, str> {
    if html.is_empty() || !s.contains(PLACEHOLDER_OPEN) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for piece in split_placeholders(s, html.len()) {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Shortcode(n) => out.push_str(html.get(n).map_or("", String::as_str)),
        }
    }
    Cow::Owned(out)
}

/// Finds and renders every shortcode in `body`. Problems carry offsets in `body`.
pub(super) fn expand<'a>(
    body: &'a str,
    ctx: &dyn RenderContext,
    invalid: InvalidShortcodes,
    problems: &mut Vec<Problem>,
) -> Expanded<'a> {
    if !body.contains("{{") && !body.contains("{%") {
        return Expanded {
            text: Cow::Borrowed(body),
            html: Vec::new(),
            map: SourceMap::default(),
        };
    }
    let mut out = String::with_capacity(body.len() + 64);
    let mut html = Vec::new();
    let mut map = SourceMap::default();
    let mut nths: HashMap<&str, usize> = HashMap::new();
    let mut copied = 0;
    let mut pos = 0;
    while let Some(i) = body.get(pos..).and_then(|rest| rest.find('{')) {
        let at = pos + i;
        let Some(found) = scan_at(body, at, ctx, invalid, problems) else {
            pos = at + 1;
            continue;
        };
        out.push_str(&body[copied..at]);
        let out_start = out.len();
        match found.kind {
            Found::Literal(text) => out.push_str(&text),
            Found::Call {
                call,
                body: sc_body,
            } => {
                render_call(
                    ctx, call, sc_body, at, &mut nths, &mut out, &mut html, problems,
                );
            }
        }
        map.edits.push((out_start, out.len(), at, found.end));
        copied = found.end;
        pos = found.end;
    }
    out.push_str(&body[copied..]);
    Expanded {
        text: Cow::Owned(out),
        html,
        map,
    }
}

#[allow(
    clippy::too_many_arguments,
    reason = "one call site; a struct would only rename them"
)]
fn render_call<'b>(
    ctx: &dyn RenderContext,
    call: Call<'b>,
    body: Option<&str>,
    at: usize,
    nths: &mut HashMap<&'b str, usize>,
    out: &mut String,
    html: &mut Vec<String>,
    problems: &mut Vec<Problem>,
) {
    let nth = nths.entry(call.name).or_insert(0);
    *nth += 1;
    let Some(kind) = ctx.shortcode_kind(call.name) else {
        problems.push(
            Problem::error(at, format!("unknown shortcode `{}`", call.name)).with_help(format!(
                "shortcodes are the templates in templates/shortcodes/: add `{0}.html` or `{0}.md` there, or fix the name",
                call.name
            )),
        );
        return;
    };
    let sc = ShortcodeCall {
        name: call.name,
        args: call.args,
        body,
        nth: *nth,
    };
    match ctx.render_shortcode(&sc) {
        Ok(rendered) => {
            let rendered = if rendered.contains('\r') {
                rendered.replace("\r\n", "\n")
            } else {
                rendered
            };
            match kind {
                ShortcodeKind::Markdown => out.push_str(&rendered),
                ShortcodeKind::Html => {
                    out.push_str(PLACEHOLDER_OPEN);
                    out.push_str(&html.len().to_string());
                    out.push_str(PLACEHOLDER_CLOSE);
                    html.push(rendered);
                }
            }
        }
        Err(message) => {
            problems.push(Problem::error(
                at,
                format!("shortcode `{}`: {message}", call.name),
            ));
        }
    }
}

struct Scanned<'b> {
    kind: Found<'b>,
    /// Byte offset just after what was consumed.
    end: usize,
}

enum Found<'b> {
    /// An escaped shortcode, printed as text.
    Literal(String),
    Call {
        call: Call<'b>,
        body: Option<&'b str>,
    },
}

struct Call<'b> {
    name: &'b str,
    args: Map<String, Value>,
}

/// What went wrong while reading a call, and where.
struct Fail {
    at: usize,
    message: String,
    /// Set once `name(` was read: the text is meant as a shortcode.
    name: Option<String>,
}

/// Tries to read a shortcode (or an escaped one) at `body[at]`, which is `{`.
fn scan_at<'b>(
    body: &'b str,
    at: usize,
    ctx: &dyn RenderContext,
    invalid: InvalidShortcodes,
    problems: &mut Vec<Problem>,
) -> Option<Scanned<'b>> {
    let rest = body.get(at..)?;
    let (open, close, is_escaped, has_body) = if rest.starts_with("{{/*") {
        ("{{/*", "*/}}", true, false)
    } else if rest.starts_with("{{") {
        ("{{", "}}", false, false)
    } else if rest.starts_with("{%/*") {
        ("{%/*", "*/%}", true, true)
    } else if rest.starts_with("{%") {
        ("{%", "%}", false, true)
    } else {
        return None;
    };
    let mut cur = Cursor {
        s: body,
        pos: at + open.len(),
    };
    let call = match parse_call(&mut cur, close) {
        Ok(call) => call,
        Err(fail) => {
            // Zola prints an invalid shortcode call as text and builds on (content/shortcodes.md;
            // getzola/zola#2564). Tre stops the build at a call of a known shortcode it cannot
            // read, unless `invalid_shortcodes = "text"`; text that only looks like a call
            // (`{{ f(x) }}` naming no shortcode) stays text, as in Zola.
            let is_known = fail
                .name
                .as_deref()
                .is_some_and(|name| ctx.shortcode_kind(name).is_some());
            if !is_escaped && is_known {
                problems.push(broken_call(
                    invalid,
                    fail.at,
                    fail.message,
                    format!("write arguments as name=value, separated by commas, where a value is {VALUE_HELP}"),
                ));
            }
            return None;
        }
    };
    let call_end = cur.pos;
    if !has_body {
        let kind = if is_escaped {
            Found::Literal(format!(
                "{{{{{}}}}}",
                &body[at + open.len()..call_end - close.len()]
            ))
        } else {
            Found::Call { call, body: None }
        };
        return Some(Scanned {
            kind,
            end: call_end,
        });
    }
    let Some((end_start, end_end)) = find_end(body, call_end, is_escaped) else {
        if !is_escaped && ctx.shortcode_kind(call.name).is_some() {
            problems.push(broken_call(
                invalid,
                at,
                format!("shortcode `{}` has no `{{% end %}}`", call.name),
                "close a shortcode with a body with `{% end %}` on its own line".to_string(),
            ));
        }
        return None;
    };
    let inner = &body[call_end..end_start];
    let kind = if is_escaped {
        // `s` is `{%/*…*/%}`, as just parsed.
        let strip = |s: &str| format!("{{%{}%}}", s.get(4..s.len() - 4).unwrap_or(s));
        Found::Literal(format!(
            "{}{inner}{}",
            strip(&body[at..call_end]),
            strip(&body[end_start..end_end])
        ))
    } else {
        Found::Call {
            call,
            body: Some(inner.trim()),
        }
    };
    Some(Scanned { kind, end: end_end })
}

/// The problem for a call of a known shortcode that cannot be read, as `invalid` wants it.
fn broken_call(invalid: InvalidShortcodes, at: usize, message: String, help: String) -> Problem {
    match invalid {
        InvalidShortcodes::Error => Problem::error(at, message).with_help(format!(
            "{help}; to escape a call, write {{{{/* … */}}}} or {{%/* … */%}}"
        )),
        InvalidShortcodes::Text => {
            Problem::warning(at, format!("{message}; the call is left as text")).with_help(help)
        }
    }
}

/// The `{% end %}` (or escaped `{%/* end */%}`) closing a body shortcode: its start and end.
fn find_end(body: &str, from: usize, is_escaped: bool) -> Option<(usize, usize)> {
    let (open, close) = if is_escaped {
        ("{%/*", "*/%}")
    } else {
        ("{%", "%}")
    };
    let mut pos = from;
    while let Some(i) = body.get(pos..)?.find(open) {
        let start = pos + i;
        let mut cur = Cursor {
            s: body,
            pos: start + open.len(),
        };
        cur.skip_ws();
        if cur.eat("end") {
            cur.skip_ws();
            if cur.eat(close) {
                return Some((start, cur.pos));
            }
        }
        pos = start + 1;
    }
    None
}

/// Reads `name(arg=value, …)` and the closing `close`, as Zola's shortcode grammar does.
fn parse_call<'b>(cur: &mut Cursor<'b>, close: &str) -> Result<Call<'b>, Fail> {
    let not_a_call = |at| Fail {
        at,
        message: String::new(),
        name: None,
    };
    cur.skip_ws();
    let name = cur.ident().ok_or(not_a_call(cur.pos))?;
    cur.skip_ws();
    if !cur.eat("(") {
        return Err(not_a_call(cur.pos));
    }
    let fail = |at, message: String| Fail {
        at,
        message: format!("shortcode `{name}`: {message}"),
        name: Some(name.to_string()),
    };
    let mut args = Map::new();
    let mut after_comma = false;
    loop {
        cur.skip_ws();
        // A comma is always followed by an argument in Zola's grammar: no trailing comma.
        if !after_comma && cur.eat(")") {
            break;
        }
        let Some(arg) = cur.ident() else {
            return Err(fail(
                cur.pos,
                if cur.s.get(cur.pos..).is_some_and(|r| r.starts_with(close)) {
                    format!("the call has no `)` before `{close}`")
                } else if after_comma {
                    "expected an argument name after `,`".to_string()
                } else {
                    "expected an argument name or `)`".to_string()
                },
            ));
        };
        cur.skip_ws();
        if !cur.eat("=") {
            return Err(fail(cur.pos, format!("expected `=` after `{arg}`")));
        }
        cur.skip_ws();
        let value = parse_value(cur, true).map_err(|(at, m)| fail(at, m))?;
        args.insert(arg.to_string(), value);
        cur.skip_ws();
        if cur.eat(")") {
            break;
        }
        // Zola's grammar repeats its comma-separated argument lists (`kwargs*` in
        // content.pest), so `id="x" class="y"` is two arguments: the comma may be left out.
        after_comma = cur.eat(",");
    }
    cur.skip_ws();
    if !cur.eat(close) {
        return Err(fail(cur.pos, format!("expected `{close}`")));
    }
    Ok(Call { name, args })
}

const VALUE_HELP: &str = "a string in quotes, a number, `true`, `false` or an array";

/// A literal: string (`"`, `'` or `` ` ``), bool, integer, float, or an array of them.
fn parse_value(cur: &mut Cursor<'_>, allow_array: bool) -> Result<Value, (usize, String)> {
    let start = cur.pos;
    match cur.peek() {
        Some(q @ (b'"' | b'\'' | b'`')) => {
            let rest = &cur.s[start + 1..];
            let Some(len) = rest.find(q as char) else {
                return Err((start, "this string is never closed".to_string()));
            };
            cur.pos = start + 1 + len + 1;
            Ok(Value::String(rest[..len].to_string()))
        }
        Some(b'[') if allow_array => {
            cur.pos += 1;
            let mut items = Vec::new();
            loop {
                cur.skip_ws();
                if cur.eat("]") {
                    return Ok(Value::Array(items));
                }
                // Zola's grammar allows nested arrays, though its docs say otherwise.
                items.push(parse_value(cur, true)?);
                cur.skip_ws();
                if !cur.eat(",") && cur.peek() != Some(b']') {
                    return Err((cur.pos, "expected `,` or `]` in the array".to_string()));
                }
            }
        }
        Some(b'-' | b'0'..=b'9') => parse_number(cur),
        _ if cur.eat("true") => Ok(Value::Bool(true)),
        _ if cur.eat("false") => Ok(Value::Bool(false)),
        _ => Err((start, format!("expected a value: {VALUE_HELP}"))),
    }
}

fn parse_number(cur: &mut Cursor<'_>) -> Result<Value, (usize, String)> {
    let start = cur.pos;
    let bytes = cur.s.as_bytes();
    let mut end = start;
    if bytes.get(end) == Some(&b'-') {
        end += 1;
    }
    let digits_start = end;
    while bytes.get(end).is_some_and(u8::is_ascii_digit) {
        end += 1;
    }
    let bad = |m: &str| Err((start, m.to_string()));
    if end == digits_start {
        return bad("expected a number after `-`");
    }
    if bytes.get(digits_start) == Some(&b'0') && end - digits_start > 1 {
        return bad("numbers cannot start with 0");
    }
    let is_float =
        bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
    if is_float {
        end += 1;
        while bytes.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
    }
    let text = &cur.s[start..end];
    cur.pos = end;
    let number = if is_float {
        text.parse::<f64>().ok().and_then(Number::from_f64)
    } else {
        text.parse::<i64>().ok().map(Number::from)
    };
    number
        .map(Value::Number)
        .ok_or((start, format!("number `{text}` is out of range")))
}

struct Cursor<'b> {
    s: &'b str,
    pos: usize,
}

impl<'b> Cursor<'b> {
    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, lit: &str) -> bool {
        let matched = self
            .s
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(lit));
        if matched {
            self.pos += lit.len();
        }
        matched
    }

    /// `[A-Za-z_][0-9A-Za-z_]*`
    fn ident(&mut self) -> Option<&'b str> {
        let bytes = self.s.as_bytes();
        let start = self.pos;
        if !bytes
            .get(start)
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        {
            return None;
        }
        let mut end = start + 1;
        while bytes
            .get(end)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            end += 1;
        }
        self.pos = end;
        self.s.get(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_map_points_into_replacements_at_their_start() {
        let map = SourceMap {
            edits: vec![(5, 8, 5, 20), (10, 30, 22, 24)],
        };
        assert_eq!(map.to_source(0), 0);
        assert_eq!(map.to_source(6), 5);
        assert_eq!(map.to_source(8), 20);
        assert_eq!(map.to_source(9), 21);
        assert_eq!(map.to_source(15), 22);
        assert_eq!(map.to_source(31), 25);
    }

    #[test]
    fn placeholders_split_out_of_text() {
        assert_eq!(
            split_placeholders("a @@TRESC0@@ b @@TRESC9@@ @@TRESC1@@", 2),
            [
                Piece::Text("a "),
                Piece::Shortcode(0),
                Piece::Text(" b @@TRESC"),
                Piece::Text("9@@ "),
                Piece::Shortcode(1),
            ]
        );
        assert_eq!(
            fill_placeholders("x@@TRESC0@@", &["<b>".to_string()]),
            "x<b>"
        );
    }

    #[test]
    fn numbers_follow_zola_grammar() {
        let value = |s: &str| {
            let mut cur = Cursor { s, pos: 0 };
            parse_value(&mut cur, true).map_err(|(_, m)| m)
        };
        assert_eq!(value("0"), Ok(Value::from(0)));
        assert_eq!(value("-12"), Ok(Value::from(-12)));
        assert_eq!(value("2.50"), Ok(Value::from(2.5)));
        assert!(value("01").is_err());
        assert!(value("99999999999999999999").is_err());
        assert!(value("\"open").is_err());
        assert!(value("[1 2]").is_err());
        assert!(value("nope").is_err());
    }

    #[test]
    fn commas_between_arguments_follow_zola_grammar() {
        fn call(s: &str) -> Result<(&str, usize), String> {
            let mut cur = Cursor { s, pos: 0 };
            parse_call(&mut cur, "}}")
                .map(|c| (c.name, c.args.len()))
                .map_err(|f| f.message)
        }
        assert_eq!(call(r#"yt(id="x" class="y") }}"#), Ok(("yt", 2)));
        assert_eq!(call(r#"yt(id="x", class="y" n=1) }}"#), Ok(("yt", 3)));
        assert_eq!(call("yt() }}"), Ok(("yt", 0)));
        assert_eq!(
            call(r#"yt(id="x",) }}"#),
            Err("shortcode `yt`: expected an argument name after `,`".to_string())
        );
        assert!(call(r#"yt(id="x",,n=1) }}"#).is_err());
    }

    #[test]
    fn end_tag_may_have_spaces() {
        assert_eq!(find_end("x {%end%} {% end %}", 0, false), Some((2, 9)));
        assert_eq!(find_end("{% endx %}", 0, false), None);
        assert_eq!(find_end("{%/* end */%}", 0, true), Some((0, 13)));
    }
}
