use super::*;

struct Fake;
impl RenderContext for Fake {
    fn resolve_internal(&self, path: &str) -> Option<String> {
        (path == "blog/post.md").then(|| "https://example.com/blog/post/".to_string())
    }
    fn shortcode_kind(&self, name: &str) -> Option<ShortcodeKind> {
        match name {
            "youtube" | "quote" | "nth" | "broken" => Some(ShortcodeKind::Html),
            "books" | "note" => Some(ShortcodeKind::Markdown),
            _ => None,
        }
    }
    fn render_shortcode(&self, call: &ShortcodeCall) -> Result<String, String> {
        match call.name {
            "youtube" => Ok(format!(
                "<div class=\"video\"><iframe src=\"https://www.youtube.com/embed/{}\"></iframe></div>",
                call.args.get("id").and_then(|v| v.as_str()).unwrap_or("")
            )),
            "quote" => Ok(format!(
                "<blockquote>{}<br>-- {}</blockquote>",
                call.body.unwrap_or(""),
                call.args
                    .get("author")
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
            )),
            "nth" => Ok(format!("<span id=\"n{0}\">{0}</span>", call.nth)),
            "books" => Ok("### Truyện Kiều\n\nA poem.\n".to_string()),
            "note" => Ok(format!("> **Note:** {}", call.body.unwrap_or(""))),
            _ => Err(
                "Variable `x` not found in context while rendering 'shortcodes/broken.html'"
                    .to_string(),
            ),
        }
    }
    fn render_anchor_link(&self, id: &str, _level: u8) -> String {
        format!(
            "<a class=\"zola-anchor\" href=\"#{id}\" aria-label=\"Anchor link for: {id}\">🔗</a>"
        )
    }
}

const FRONT: &str = "+++\ntitle = \"A\"\n+++\n";

fn doc(text: &str) -> Document<'_> {
    Document {
        file: Path::new("content/blog/a.md"),
        text,
        body_start: FRONT.len(),
        permalink: "https://example.com/blog/a/",
    }
}

fn render_body(config: &MarkdownConfig, body: &str) -> Result<Rendered, Vec<Diagnostic>> {
    let text = format!("{FRONT}{body}");
    render(&doc(&text), config, &Fake)
}

fn html(body: &str) -> String {
    render_body(&MarkdownConfig::default(), body).unwrap().html
}

fn problems(config: &MarkdownConfig, body: &str) -> String {
    let all = match render_body(config, body) {
        Ok(r) => r.warnings,
        Err(e) => e,
    };
    crate::diag::render_all(&all)
}

fn highlighted(style: HighlightStyle, error_on_missing_language: bool) -> MarkdownConfig {
    MarkdownConfig {
        highlighting: Some(Highlighting {
            theme: "base16-ocean.dark".to_string(),
            dark_theme: None,
            style,
            error_on_missing_language,
        }),
        ..MarkdownConfig::default()
    }
}

/// `A[A1 A2[A21]] B`: titles, children in brackets.
fn outline(toc: &[Heading]) -> String {
    toc.iter()
        .map(|h| match h.children.as_slice() {
            [] => h.title.clone(),
            kids => format!("{}[{}]", h.title, outline(kids)),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn ids(toc: &[Heading]) -> Vec<String> {
    toc.iter()
        .flat_map(|h| std::iter::once(h.id.clone()).chain(ids(&h.children)))
        .collect()
}

#[test]
fn headings_get_unique_slugs_and_keep_custom_ids() {
    let r = render_body(
        &MarkdownConfig::default(),
        "# Something exciting!\n## Example code\n# Something else\n## Example code\n## Manual {#manual .header .bold}\n",
    )
    .unwrap();
    insta::assert_snapshot!(r.html, @r#"
    <h1 id="something-exciting">Something exciting!</h1>
    <h2 id="example-code">Example code</h2>
    <h1 id="something-else">Something else</h1>
    <h2 id="example-code-1">Example code</h2>
    <h2 id="manual" class="header bold">Manual</h2>
    "#);
    assert_eq!(
        r.anchors,
        [
            "something-exciting",
            "example-code",
            "something-else",
            "example-code-1",
            "manual"
        ]
    );
}

#[test]
fn explicit_ids_are_reserved_before_slugs() {
    let r = render_body(&MarkdownConfig::default(), "# Intro\n\n# Other {#intro}\n").unwrap();
    assert_eq!(ids(&r.toc), ["intro-1", "intro"]);
}

#[test]
fn vietnamese_heading_gets_an_ascii_slug() {
    assert_eq!(
        html("## Lịch sử Đình làng\n"),
        "<h2 id=\"lich-su-dinh-lang\">Lịch sử Đình làng</h2>\n"
    );
}

#[test]
fn heading_ids_follow_slugify_anchors_mode() {
    let config = MarkdownConfig {
        slugify_anchors: SlugifyMode::Safe,
        ..MarkdownConfig::default()
    };
    let r = render_body(&config, "## Lịch sử Đình làng\n").unwrap();
    assert_eq!(r.toc[0].id, "Lịch_sử_Đình_làng");
}

#[test]
fn toc_nests_like_zola() {
    let r = render_body(
        &MarkdownConfig::default(),
        "# A\n### A1\n## A2\n#### A21\n# B\n## `B1` *x*\n",
    )
    .unwrap();
    assert_eq!(outline(&r.toc), "A[A1 A2[A21]] B[B1 x]");
    assert_eq!(r.toc[1].permalink, "https://example.com/blog/a/#b");
    assert_eq!(r.toc[1].children[0].id, "b1-x");
}

#[test]
fn anchor_links_go_left_right_or_around_the_heading() {
    let at = |insert_anchor_links| {
        let config = MarkdownConfig {
            insert_anchor_links,
            ..MarkdownConfig::default()
        };
        render_body(&config, "## Hà Nội\n").unwrap().html
    };
    insta::assert_snapshot!(at(InsertAnchor::Left), @r##"<h2 id="ha-noi"><a class="zola-anchor" href="#ha-noi" aria-label="Anchor link for: ha-noi">🔗</a>Hà Nội</h2>"##);
    insta::assert_snapshot!(at(InsertAnchor::Right), @r##"<h2 id="ha-noi">Hà Nội<a class="zola-anchor" href="#ha-noi" aria-label="Anchor link for: ha-noi">🔗</a></h2>"##);
    insta::assert_snapshot!(at(InsertAnchor::Heading), @r##"<h2 id="ha-noi"><a class="zola-anchor" href="#ha-noi" aria-label="Anchor link for: ha-noi">Hà Nội</a></h2>"##);
    assert_eq!(at(InsertAnchor::None), "<h2 id=\"ha-noi\">Hà Nội</h2>\n");
}

#[test]
fn summary_stops_at_the_more_marker() {
    let r = render_body(
        &MarkdownConfig::default(),
        "First para.\n\n<!-- MORE -->\n\nRest.",
    )
    .unwrap();
    assert_eq!(r.summary.as_deref(), Some("<p>First para.</p>"));
    insta::assert_snapshot!(r.html, @r#"
    <p>First para.</p>
    <span id="continue-reading"></span>
    <p>Rest.</p>
    "#);
}

// Zola replaces the marker's whole line, so nothing separates it from a following heading.
#[test]
fn summary_marker_line_break_is_dropped_like_zola() {
    let r = render_body(
        &MarkdownConfig::default(),
        "First para.\n\n<!-- more -->\n\n## Next",
    )
    .unwrap();
    insta::assert_snapshot!(r.html, @r#"
    <p>First para.</p>
    <span id="continue-reading"></span><h2 id="next">Next</h2>
    "#);
    assert!(r.anchors.contains(&"continue-reading".to_string()));
}

#[test]
fn summary_marker_inside_a_paragraph_closes_open_tags() {
    let r = render_body(
        &MarkdownConfig::default(),
        "- Hello *world <!--more--> again*\n- next",
    )
    .unwrap();
    assert_eq!(
        r.summary.as_deref(),
        Some("<ul>\n<li>Hello <em>world</em></li>\n</ul>\n")
    );
    assert!(
        r.html
            .contains("<em>world <span id=\"continue-reading\"></span> again</em>")
    );
}

#[test]
fn no_marker_no_summary() {
    let r = render_body(&MarkdownConfig::default(), "Just text.").unwrap();
    assert_eq!(r.summary, None);
}

#[test]
fn summary_drops_footnote_references() {
    let r = render_body(
        &MarkdownConfig::default(),
        "Text[^1].\n\n<!-- more -->\n\n[^1]: Note.\n",
    )
    .unwrap();
    assert_eq!(r.summary.as_deref(), Some("<p>Text.</p>"));
}

#[test]
fn internal_link_resolves_to_permalink_and_anchor() {
    let r = render_body(
        &MarkdownConfig::default(),
        "Xem [bài](@/blog/post.md#lich-su).",
    )
    .unwrap();
    assert_eq!(
        r.html,
        "<p>Xem <a href=\"https://example.com/blog/post/#lich-su\">bài</a>.</p>\n"
    );
    assert_eq!(
        r.internal_links,
        [InternalLink {
            path: "blog/post.md".to_string(),
            anchor: Some("lich-su".to_string()),
            at: LineCol { line: 4, col: 5 },
        }]
    );
}

#[test]
fn broken_internal_link_is_an_error_at_file_line_and_column() {
    let body = "Đầu tiên.\n\nỞ đây: [y](@/nope.md) và [z](@/blog/post.md)";
    insta::assert_snapshot!(problems(&MarkdownConfig::default(), body), @r"
    content/blog/a.md:6:8: error: broken internal link `@/nope.md`
      help: check the path under content/: it names the .md file, as in @/blog/post.md
    ");
}

#[test]
fn internal_link_paths_are_percent_decoded() {
    let r = render_body(&MarkdownConfig::default(), "[x](@/blog%2Fpost.md)").unwrap();
    assert_eq!(r.internal_links[0].path, "blog/post.md");
}

#[test]
fn link_without_url_is_an_error() {
    assert!(problems(&MarkdownConfig::default(), "[x]()").contains("4:1: error: link has no URL"));
}

#[test]
fn external_links_get_rel_external_by_default() {
    let r = render_body(
        &MarkdownConfig::default(),
        "[a](https://a.vn) [b](//b.org \"B\") [c](/local/)",
    )
    .unwrap();
    insta::assert_snapshot!(r.html, @r#"<p><a rel="external" href="https://a.vn">a</a> <a rel="external" title="B" href="//b.org">b</a> <a href="/local/">c</a></p>"#);
    assert_eq!(r.external_links, ["https://a.vn", "//b.org"]);
}

#[test]
fn external_link_attributes_follow_config_in_zola_order() {
    let config = MarkdownConfig {
        external_links_class: Some("ext".to_string()),
        external_links_target_blank: true,
        external_links_no_follow: true,
        external_links_no_referrer: true,
        ..MarkdownConfig::default()
    };
    let r = render_body(&config, "[a](https://a.vn/?x=1&y=2)").unwrap();
    insta::assert_snapshot!(r.html, @r#"<p><a class="ext" rel="noopener nofollow noreferrer external" target="_blank" href="https://a.vn/?x=1&amp;y=2">a</a></p>"#);
    let plain = MarkdownConfig {
        external_links_external: false,
        ..MarkdownConfig::default()
    };
    assert_eq!(
        render_body(&plain, "[a](https://a.vn)").unwrap().html,
        "<p><a href=\"https://a.vn\">a</a></p>\n"
    );
}

#[test]
fn colocated_links_and_images_become_absolute() {
    insta::assert_snapshot!(html("[pdf](van-ban.pdf) ![ảnh *đẹp*](anh.jpg \"T\") [s](#muc) [m](mailto:a@b.vn) [u](../x/)"), @r#"<p><a href="https://example.com/blog/a/van-ban.pdf">pdf</a> <img src="https://example.com/blog/a/anh.jpg" alt="ảnh đẹp" title="T"> <a href="https://example.com/blog/a/#muc">s</a> <a href="mailto:a@b.vn">m</a> <a href="../x/">u</a></p>"#);
}

#[test]
fn void_elements_have_no_slash() {
    let out = html("a  \nb\n\n---\n\n![](x.png)\n\n- [x] done\n- [ ] todo\n");
    assert!(!out.contains("/>"), "{out}");
    insta::assert_snapshot!(out, @r#"
    <p>a<br>
    b</p>
    <hr>
    <p><img src="https://example.com/blog/a/x.png" alt=""></p>
    <ul>
    <li><input disabled="" type="checkbox" checked="">
    done</li>
    <li><input disabled="" type="checkbox">
    todo</li>
    </ul>
    "#);
}

#[test]
fn lazy_images_load_lazily_and_async() {
    let config = MarkdownConfig {
        lazy_async_image: true,
        ..MarkdownConfig::default()
    };
    let r = render_body(&config, "![Lễ hội](/img/le-hoi.jpg)").unwrap();
    assert_eq!(
        r.html,
        "<p><img src=\"/img/le-hoi.jpg\" alt=\"Lễ hội\" loading=\"lazy\" decoding=\"async\"></p>\n"
    );
}

#[test]
fn tables_come_out_as_pulldown_cmark_writes_them() {
    insta::assert_snapshot!(html("| a | b |\n|---|---|\n| 1 | 2 |\n"), @r"
    <table><thead><tr><th>a</th><th>b</th></tr></thead><tbody>
    <tr><td>1</td><td>2</td></tr>
    </tbody></table>
    ");
}

#[test]
fn footnotes_render_in_place_by_default() {
    insta::assert_snapshot!(html("Text[^1].\n\n[^1]: One.\n"), @r##"
    <p>Text<sup class="footnote-reference"><a href="#1">1</a></sup>.</p>
    <div class="footnote-definition" id="1"><sup class="footnote-definition-label">1</sup>
    <p>One.</p>
    </div>
    "##);
}

#[test]
fn bottom_footnotes_are_numbered_by_first_use_with_back_links() {
    let config = MarkdownConfig {
        bottom_footnotes: true,
        ..MarkdownConfig::default()
    };
    let r = render_body(
        &config,
        "A[^b] B[^a] C[^b].\n\n[^a]: Alpha.\n[^b]: Beta.\n[^unused]: No.\n",
    )
    .unwrap();
    insta::assert_snapshot!(r.html, @r##"
    <p>A<sup class="footnote-reference" id="fr-b-1"><a href="#fn-b">1</a></sup> B<sup class="footnote-reference" id="fr-a-1"><a href="#fn-a">2</a></sup> C<sup class="footnote-reference" id="fr-b-2"><a href="#fn-b">1</a></sup>.</p>
    <section class="footnotes">
    <ol class="footnotes-list">
    <li id="fn-b">
    <p>Beta. <a href="#fr-b-1">↩</a> <a href="#fr-b-2">↩2</a></p>
    </li>
    <li id="fn-a">
    <p>Alpha. <a href="#fr-a-1">↩</a></p>
    </li>
    </ol>
    </section>
    "##);
}

#[test]
fn html_shortcodes_are_inserted_after_markdown() {
    let body = "{{ youtube(id=\"abc\") }}\n\nXem {{ youtube(id='x', autoplay=true) }} nhé\n\n{% quote(author=\"Vincent\") %}\nA *quote*\n{% end %}\n";
    insta::assert_snapshot!(html(body), @r#"
    <div class="video"><iframe src="https://www.youtube.com/embed/abc"></iframe></div>
    <p>Xem <div class="video"><iframe src="https://www.youtube.com/embed/x"></iframe></div> nhé</p>
    <blockquote>A *quote*<br>-- Vincent</blockquote>
    "#);
}

#[test]
fn markdown_shortcodes_are_parsed_with_the_page() {
    let r = render_body(
        &MarkdownConfig::default(),
        "{{ books() }}\n\n{% note() %}\nthân bài\n{% end %}\n",
    )
    .unwrap();
    insta::assert_snapshot!(r.html, @r#"
    <h3 id="truyen-kieu">Truyện Kiều</h3>
    <p>A poem.</p>
    <blockquote>
    <p><strong>Note:</strong> thân bài</p>
    </blockquote>
    "#);
    assert_eq!(ids(&r.toc), ["truyen-kieu"]);
}

#[test]
fn shortcode_nth_counts_calls_of_each_name() {
    let r = render_body(
        &MarkdownConfig::default(),
        "{{ nth() }} {{ youtube(id=\"a\") }} {{ nth() }}",
    )
    .unwrap();
    assert!(r.html.contains("<span id=\"n1\">1</span>"));
    assert!(r.html.contains("<span id=\"n2\">2</span>"));
    assert!(r.anchors.contains(&"n2".to_string()));
}

#[test]
fn escaped_shortcodes_print_literally() {
    let body =
        "{{/* youtube(id=\"x\") */}} và {%/* quote(author=\"a\") */%}\nbody\n{%/* end */%}\n";
    insta::assert_snapshot!(html(body), @r#"
    <p>{{ youtube(id="x") }} và {% quote(author="a") %}
    body
    {% end %}</p>
    "#);
}

// Zola expands shortcodes before parsing Markdown, code blocks included; that is why its
// docs escape the examples inside fences (content/shortcodes.md).
#[test]
fn shortcodes_in_code_blocks_render_as_text_unless_escaped() {
    insta::assert_snapshot!(html("```\n{{ nth() }}\n{{/* nth() */}}\n```\n\n`{{/* nth() */}}`"), @r#"
    <pre><code>&lt;span id=&quot;n1&quot;&gt;1&lt;/span&gt;
    {{ nth() }}
    </code></pre>
    <p><code>{{ nth() }}</code></p>
    "#);
}

#[test]
fn shortcode_arguments_have_zola_types() {
    struct Args;
    impl RenderContext for Args {
        fn resolve_internal(&self, _: &str) -> Option<String> {
            None
        }
        fn shortcode_kind(&self, _: &str) -> Option<ShortcodeKind> {
            Some(ShortcodeKind::Html)
        }
        fn render_shortcode(&self, call: &ShortcodeCall) -> Result<String, String> {
            Ok(serde_json::to_string(&call.args).unwrap_or_default())
        }
        fn render_anchor_link(&self, _: &str, _: u8) -> String {
            String::new()
        }
    }
    let out = render_str(
        "{{ a(s=\"x y\", t='q', u=`b`, i=-3, f=1.5, b=true, list=[1, \"two\", [false]],\n  empty=[]) }}",
        true,
        &MarkdownConfig::default(),
        &Args,
    )
    .unwrap();
    assert_eq!(
        out,
        r#"{"s":"x y","t":"q","u":"b","i":-3,"f":1.5,"b":true,"list":[1,"two",[false]],"empty":[]}"#
    );
}

#[test]
fn shortcode_problems_point_at_the_call() {
    let body = "{{ nope() }}\n\nVí dụ {{ youtube(id=) }}\n\n{{ broken() }}\n\n{{ foo(bar) }} {{ var }}\n\n{% quote(author=\"x\") %}\nno end";
    insta::assert_snapshot!(problems(&MarkdownConfig::default(), body), @r"
    content/blog/a.md:4:1: error: unknown shortcode `nope`
      help: shortcodes are the templates in templates/shortcodes/: add `nope.html` or `nope.md` there, or fix the name
    content/blog/a.md:6:21: error: shortcode `youtube`: expected a value: a string in quotes, a number, `true`, `false` or an array
      help: write arguments as name=value, separated by commas, where a value is a string in quotes, a number, `true`, `false` or an array; to escape a call, write {{/* … */}} or {%/* … */%}
    content/blog/a.md:8:1: error: shortcode `broken`: Variable `x` not found in context while rendering 'shortcodes/broken.html'
    content/blog/a.md:12:1: error: shortcode `quote` has no `{% end %}`
      help: close a shortcode with a body with `{% end %}` on its own line; to escape a call, write {{/* … */}} or {%/* … */%}
    ");
}

#[test]
fn invalid_shortcodes_text_leaves_broken_calls_as_text_with_a_warning() {
    let config = MarkdownConfig {
        invalid_shortcodes: InvalidShortcodes::Text,
        ..MarkdownConfig::default()
    };
    let body = "Ví dụ {{ youtube(id=) }}\n\n{% quote(author=\"x\") %}\nno end";
    insta::assert_snapshot!(problems(&config, body), @r"
    content/blog/a.md:4:21: warning: shortcode `youtube`: expected a value: a string in quotes, a number, `true`, `false` or an array; the call is left as text
      help: write arguments as name=value, separated by commas, where a value is a string in quotes, a number, `true`, `false` or an array
    content/blog/a.md:6:1: warning: shortcode `quote` has no `{% end %}`; the call is left as text
      help: close a shortcode with a body with `{% end %}` on its own line
    ");
    let html = render_body(&config, body).unwrap().html;
    assert!(html.contains("{{ youtube(id=) }}"), "{html}");
}

#[test]
fn positions_after_a_markdown_shortcode_stay_in_file_coordinates() {
    // `books` expands to three lines; the link is still on file line 5.
    let body = "{{ books() }}\n[x](@/gone.md)";
    insta::assert_snapshot!(problems(&MarkdownConfig::default(), body), @r"
    content/blog/a.md:5:1: error: broken internal link `@/gone.md`
      help: check the path under content/: it names the .md file, as in @/blog/post.md
    ");
}

#[test]
fn html_shortcode_placeholders_work_inside_html_blocks() {
    let r = render_body(
        &MarkdownConfig::default(),
        "<div id=\"khung\">{{ youtube(id=\"q\") }}</div>\n",
    )
    .unwrap();
    assert_eq!(
        r.html,
        "<div id=\"khung\"><div class=\"video\"><iframe src=\"https://www.youtube.com/embed/q\"></iframe></div></div>\n"
    );
    assert_eq!(r.anchors, ["khung"]);
}

#[test]
fn code_without_highlighting_is_escaped_with_its_language() {
    assert_eq!(
        html("```rust\nlet a = \"<b>\";\n```\n"),
        "<pre><code data-lang=\"rust\">let a = &quot;&lt;b&gt;&quot;;\n</code></pre>\n"
    );
}

// Zola 0.22 without highlighting: only an empty fence or `plain` has no `data-lang`, and a
// fence naming no language gets an empty one.
#[test]
fn unhighlighted_fences_follow_zola_0_22() {
    assert_eq!(html("```\nx\n```\n"), "<pre><code>x\n</code></pre>\n");
    assert_eq!(html("    x\n"), "<pre><code>x\n</code></pre>\n");
    assert_eq!(html("```plain\nx\n```\n"), "<pre><code>x\n</code></pre>\n");
    assert_eq!(
        html("```linenos\nx\n```\n"),
        "<pre><code data-lang=\"\">x\n</code></pre>\n"
    );
    assert_eq!(
        html("```text,name=a.txt\nx\n```\n"),
        "<pre><code data-lang=\"text\">x\n</code></pre>\n"
    );
}

#[test]
fn inline_highlighting_uses_theme_colours() {
    let r = render_body(
        &highlighted(HighlightStyle::Inline, false),
        "```rust\nfn main() {}\n```\n",
    )
    .unwrap();
    insta::assert_snapshot!(r.html, @r#"
    <pre data-lang="rust" style="background-color:#2b303b;color:#c0c5ce;" class="language-rust"><code class="language-rust" data-lang="rust"><span style="color:#b48ead;">fn </span><span style="color:#8fa1b3;">main</span><span style="color:#c0c5ce;">() {}</span></code></pre>
    "#);
}

#[test]
fn class_highlighting_uses_z_classes_and_balances_spans_per_line() {
    let r = render_body(
        &highlighted(HighlightStyle::Class, false),
        "```rust,linenos,hl_lines=2\n/* a\nb */ fn main() {}\n```\n",
    )
    .unwrap();
    assert!(r.html.starts_with("<pre data-linenos data-lang=\"rust\" class=\"language-rust z-code\"><code class=\"language-rust\" data-lang=\"rust\"><span class=\"giallo-ln\">1</span><span class=\"z-source z-rust\"><span class=\"z-comment z-block z-rust\">"), "{}", r.html);
    for line in r.html.split("<span class=\"giallo-ln\">").skip(1) {
        let (_number, line) = line.split_once("</span>").unwrap();
        assert_eq!(
            line.matches("<span").count(),
            line.matches("</span>").count(),
            "{line}"
        );
    }
    assert!(r.html.contains("<mark>"));
}

#[test]
fn hidden_lines_are_skipped_but_keep_their_numbers() {
    let out = render_body(
        &highlighted(HighlightStyle::Class, false),
        "```text,linenos,linenostart=10,hide_lines=2\none\ntwo\nthree\n```\n",
    )
    .unwrap()
    .html;
    insta::assert_snapshot!(out, @r#"
    <pre data-linenos data-lang="text" class="language-text z-code"><code class="language-text" data-lang="text"><span class="giallo-ln">10</span>one
    <span class="giallo-ln">12</span>three</code></pre>
    "#);
}

#[test]
fn unknown_language_is_a_warning_or_an_error() {
    let body = "Intro\n\n```klingon\nqapla'\n```\n\n```text\nplain\n```\n";
    let r = render_body(&highlighted(HighlightStyle::Inline, false), body).unwrap();
    assert!(r.html.contains("qapla&#39;") || r.html.contains("qapla'"));
    insta::assert_snapshot!(crate::diag::render_all(&r.warnings), @r"
    content/blog/a.md:6:1: warning: code block language `klingon` is not known to the highlighter
      help: it is shown as plain text; use a language syntect knows (rust, python, js, html, sh…) or `text`
    ");
    let err = problems(&highlighted(HighlightStyle::Inline, true), body);
    assert!(
        err.starts_with("content/blog/a.md:6:1: error: code block language `klingon`"),
        "{err}"
    );
}

#[test]
fn languages_giallo_knows_only_warn_even_when_missing_ones_are_errors() {
    let body = "```toml\nbase_url = \"x\"\n```\n";
    let r = render_body(&highlighted(HighlightStyle::Inline, true), body).unwrap();
    assert!(r.html.contains("base_url = \"x\""), "{}", r.html);
    let jinja = "```jinja\n{{ x }}\n```\n";
    assert!(render_body(&highlighted(HighlightStyle::Inline, true), jinja).is_ok());
    insta::assert_snapshot!(crate::diag::render_all(&r.warnings), @r"
    content/blog/a.md:4:1: warning: code block language `toml` is not known to the highlighter
      help: Zola 0.22 highlights it, Tre shows it as plain text; only the colours differ
    ");
}

#[test]
fn giallo_theme_names_get_a_syntect_stand_in() {
    let config = |theme: &str| MarkdownConfig {
        highlighting: Some(Highlighting {
            theme: theme.to_string(),
            dark_theme: Some("github-light".to_string()),
            style: HighlightStyle::Inline,
            error_on_missing_language: false,
        }),
        ..MarkdownConfig::default()
    };
    assert_eq!(
        config("catppuccin-frappe").theme_warnings(),
        [
            "highlighting theme `catppuccin-frappe` is not one of syntect's; code is coloured with `base16-ocean.dark` instead",
            "highlighting theme `github-light` is not one of syntect's; code is coloured with `InspiredGitHub` instead",
        ]
    );
    assert_eq!(config("InspiredGitHub").theme_warnings().len(), 1);
    let r = render_body(&config("dracula"), "```rust\nfn main() {}\n```\n").unwrap();
    assert!(r.html.contains("style=\"color:"), "{}", r.html);
}

#[test]
fn config_is_built_from_settings() {
    let mut md = crate::config::MarkdownSettings {
        insert_anchor_links: "right".to_string(),
        ..Default::default()
    };
    md.highlighting = Some(crate::config::HighlightingSettings {
        style: Some("class".to_string()),
        theme: Some("InspiredGitHub".to_string()),
        ..Default::default()
    });
    let c = MarkdownConfig::from_settings(&md, &crate::config::SlugifyConfig::default()).unwrap();
    assert_eq!(c.insert_anchor_links, InsertAnchor::Right);
    assert_eq!(c.highlighting.unwrap().style, HighlightStyle::Class);
    md.insert_anchor_links = "top".to_string();
    let err =
        MarkdownConfig::from_settings(&md, &crate::config::SlugifyConfig::default()).unwrap_err();
    assert!(err.contains("\"top\""), "{err}");
}

#[test]
fn options_follow_config() {
    let on = MarkdownConfig {
        smart_punctuation: true,
        definition_list: true,
        github_alerts: true,
        ..MarkdownConfig::default()
    };
    let body = "\"Hi\" -- ok...\n\nTerm\n: Definition\n\n> [!NOTE]\n> Chú ý\n";
    insta::assert_snapshot!(render_body(&on, body).unwrap().html, @r#"
    <p>“Hi” – ok…</p>
    <dl>
    <dt>Term</dt>
    <dd>Definition</dd>
    </dl>
    <blockquote class="markdown-alert-note">
    <p>Chú ý</p>
    </blockquote>
    "#);
    let off = html(body);
    assert!(
        off.contains("\"Hi\" -- ok...") && !off.contains("<dl>") && !off.contains("markdown-alert"),
        "{off}"
    );
}

#[test]
fn word_count_counts_the_markdown_as_zola_does() {
    // Unicode words of the source, link targets included, fenced code left out; each Han
    // character is a word.
    let r = render_body(
        &MarkdownConfig::default(),
        "# Tiêu đề\n\nMột **hai** [ba](https://x.vn) 四五\n\n```toml\na = 1\nb = 2\n```\nH'Mông\n",
    )
    .unwrap();
    assert_eq!(r.word_count, 10);
    assert_eq!(r.reading_time, 1);
}

#[test]
fn render_str_can_drop_the_paragraph() {
    let c = MarkdownConfig::default();
    assert_eq!(
        render_str("*Xin chào*", true, &c, &Fake).unwrap(),
        "<em>Xin chào</em>"
    );
    assert_eq!(
        render_str("*Xin chào*", false, &c, &Fake).unwrap(),
        "<p><em>Xin chào</em></p>\n"
    );
    assert_eq!(
        render_str("a\n{{ nope() }}", false, &c, &Fake).unwrap_err(),
        "2:1: unknown shortcode `nope`"
    );
}

#[test]
fn body_start_outside_the_text_is_a_diagnostic() {
    let d = Document {
        file: Path::new("content/a.md"),
        text: "ế",
        body_start: 1,
        permalink: "",
    };
    assert!(render(&d, &MarkdownConfig::default(), &Fake).is_err());
}

#[test]
fn shortcode_output_can_be_a_link_target() {
    struct Url;
    impl RenderContext for Url {
        fn resolve_internal(&self, _: &str) -> Option<String> {
            None
        }
        fn shortcode_kind(&self, _: &str) -> Option<ShortcodeKind> {
            Some(ShortcodeKind::Html)
        }
        fn render_shortcode(&self, _: &ShortcodeCall) -> Result<String, String> {
            Ok("https://gov.vn/\n".to_string())
        }
        fn render_anchor_link(&self, _: &str, _: u8) -> String {
            String::new()
        }
    }
    let c = MarkdownConfig::default();
    assert_eq!(
        render_str("[x]({{ url() }})", true, &c, &Url).unwrap(),
        "<a rel=\"external\" href=\"https://gov.vn/\">x</a>"
    );
}

proptest::proptest! {
    #[test]
    fn render_never_panics(s in "[{}%/*@()=,\"'`a-z0-9 \n#!<>\\[\\]ếĐ-]{0,80}") {
        let mut text = String::from(FRONT);
        text.push_str(&s);
        let _ = render(&doc(&text), &MarkdownConfig::default(), &Fake);
    }

    #[test]
    fn shortcode_calls_never_panic(s in "\\{[{%](/\\*)? ?(youtube|quote|nth)\\([a-z=0-9\"'\\[\\], .-]{0,20}\\) ?(\\*/)?[%}]\\}[a-z \n]{0,5}(\\{% end %\\})?") {
        let mut text = String::from(FRONT);
        text.push_str(&s);
        let _ = render(&doc(&text), &MarkdownConfig::default(), &Fake);
    }
}

#[test]
fn render_emoji_replaces_names_in_text_only() {
    let config = MarkdownConfig {
        render_emoji: true,
        ..MarkdownConfig::default()
    };
    let r = render_body(&config, "Hi :smile: :no_such_emoji: `:smile:`\n").unwrap();
    assert_eq!(
        r.html,
        "<p>Hi 😄 :no_such_emoji: <code>:smile:</code></p>\n"
    );
    assert_eq!(html("Hi :smile:\n"), "<p>Hi :smile:</p>\n");
}

fn dual(style: HighlightStyle) -> Highlighting {
    Highlighting {
        theme: "InspiredGitHub".to_string(),
        dark_theme: Some("base16-ocean.dark".to_string()),
        style,
        error_on_missing_language: false,
    }
}

#[test]
fn a_dual_theme_colours_every_span_with_light_dark() {
    let config = MarkdownConfig {
        highlighting: Some(dual(HighlightStyle::Inline)),
        ..MarkdownConfig::default()
    };
    let r = render_body(&config, "```rust,hl_lines=1\nlet x = \"a<b\";\n```\n").unwrap();
    // InspiredGitHub's background is white, base16-ocean.dark's #2b303b.
    assert!(
        r.html.starts_with(
            "<pre data-lang=\"rust\" style=\"background-color:light-dark(#ffffff, #2b303b);"
        ),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("<mark style=\"background-color:light-dark("),
        "{}",
        r.html
    );
    let spans = r.html.matches("<span style=\"color:light-dark(#").count();
    assert!(spans >= 4, "{}", r.html);
    assert_eq!(
        r.html.matches("<span").count(),
        spans,
        "every span has both colours"
    );
    // The text survives the merge of both themes' spans, escaped once as with one theme.
    let text = regex::Regex::new("<[^>]+>")
        .unwrap()
        .replace_all(&r.html, "");
    assert_eq!(text, "let x = &quot;a&lt;b&quot;;");
}

#[test]
fn class_style_names_the_stylesheets_as_zola_does() {
    let names = |h: &Highlighting| -> Vec<&str> {
        super::highlight_stylesheets(h)
            .into_iter()
            .map(|(n, _)| n)
            .collect()
    };
    assert_eq!(
        names(&dual(HighlightStyle::Class)),
        ["giallo-light.css", "giallo-dark.css"]
    );
    let single = Highlighting {
        dark_theme: None,
        ..dual(HighlightStyle::Class)
    };
    assert_eq!(names(&single), ["giallo.css"]);
    assert!(names(&dual(HighlightStyle::Inline)).is_empty());
    let css = super::highlight_stylesheets(&dual(HighlightStyle::Class));
    assert!(css[1].1.contains(".z-code"), "{}", css[1].1);
}
