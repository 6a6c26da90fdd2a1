//! Tre's own built-in templates, used when neither the site nor its theme has one by that
//! name: feeds, sitemaps, robots.txt, the 404 page, alias redirects and anchor links.

/// Atom 1.0; pages must have a date (templates/feeds/index.md).
const ATOM: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{{ lang }}">
    <title>{{ config.title }}{% if term %} - {{ term.name }}{% elif section.title %} - {{ section.title }}{% endif %}</title>
    {%- if config.description %}
    <subtitle>{{ config.description }}</subtitle>
    {%- endif %}
    <link rel="self" type="application/atom+xml" href="{{ feed_url | escape_xml | safe }}"/>
    <link rel="alternate" type="text/html" href="{% if section %}{{ section.permalink | escape_xml | safe }}{% else %}{{ config.base_url | escape_xml | safe }}{% endif %}"/>
    <generator uri="https://github.com/tre-ssg/tre">Tre</generator>
    {%- if last_updated %}
    <updated>{{ last_updated | date(format="%+") }}</updated>
    {%- endif %}
    <id>{{ feed_url | escape_xml | safe }}</id>
    {%- for page in pages %}
    <entry xml:lang="{{ page.lang }}">
        <title>{{ page.title }}</title>
        <published>{{ page.date | date(format="%+") }}</published>
        <updated>{{ page.updated | default(value=page.date) | date(format="%+") }}</updated>
        <author><name>{% if page.authors %}{{ page.authors | first }}{% elif config.author %}{{ config.author }}{% else %}Unknown{% endif %}</name></author>
        <link rel="alternate" type="text/html" href="{{ page.permalink | escape_xml | safe }}"/>
        <id>{{ page.permalink | escape_xml | safe }}</id>
        {%- if page.summary %}
        <summary type="html">{{ page.summary }}</summary>
        {%- else %}
        <content type="html" xml:base="{{ page.permalink | escape_xml | safe }}">{{ page.content }}</content>
        {%- endif %}
    </entry>
    {%- endfor %}
</feed>
"#;

/// RSS 2.0.
const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">
    <channel>
      <title>{{ config.title }}{% if term %} - {{ term.name }}{% elif section.title %} - {{ section.title }}{% endif %}</title>
      <link>{% if section %}{{ section.permalink | escape_xml | safe }}{% else %}{{ config.base_url | escape_xml | safe }}{% endif %}</link>
      <description>{{ config.description }}</description>
      <generator>Tre</generator>
      <language>{{ lang }}</language>
      <atom:link href="{{ feed_url | escape_xml | safe }}" rel="self" type="application/rss+xml"/>
      {%- if last_updated %}
      <lastBuildDate>{{ last_updated | date(format="%a, %d %b %Y %H:%M:%S %z") }}</lastBuildDate>
      {%- endif %}
      {%- for page in pages %}
      <item>
          <title>{{ page.title }}</title>
          <pubDate>{{ page.date | date(format="%a, %d %b %Y %H:%M:%S %z") }}</pubDate>
          <author>{% if page.authors %}{{ page.authors | first }}{% elif config.author %}{{ config.author }}{% else %}Unknown{% endif %}</author>
          <link>{{ page.permalink | escape_xml | safe }}</link>
          <guid>{{ page.permalink | escape_xml | safe }}</guid>
          <description>{% if page.summary %}{{ page.summary }}{% else %}{{ page.content }}{% endif %}</description>
      </item>
      {%- endfor %}
    </channel>
</rss>
"#;

/// Sitemap with hreflang alternates for every translated URL (beyond Zola).
const SITEMAP: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
    {%- for sitemap_entry in entries %}
    <url>
        <loc>{{ sitemap_entry.permalink | escape_xml | safe }}</loc>
        {%- if sitemap_entry.updated %}
        <lastmod>{{ sitemap_entry.updated }}</lastmod>
        {%- endif %}
        {%- for alt in sitemap_entry.alternates %}
        <xhtml:link rel="alternate" hreflang="{{ alt.lang }}" href="{{ alt.permalink | escape_xml | safe }}"/>
        {%- endfor %}
    </url>
    {%- endfor %}
</urlset>
"#;

const SPLIT_SITEMAP_INDEX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    {%- for sitemap in sitemaps %}
    <sitemap>
        <loc>{{ sitemap | escape_xml | safe }}</loc>
    </sitemap>
    {%- endfor %}
</sitemapindex>
"#;

const ROBOTS: &str = r#"User-agent: *
Disallow:
Allow: /
Sitemap: {{ get_url(path="sitemap.xml") }}
"#;

const NOT_FOUND: &str = r#"<!doctype html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<title>404 Not Found</title>
</head>
<body>
<main>
<h1>404 Not Found</h1>
</main>
</body>
</html>
"#;

/// The notice that replaces a withdrawn page at its URL (Tre's editorial workflow): what it
/// was, when and why it was withdrawn, in Vietnamese and English, each marked with its `lang`.
const WITHDRAWN: &str = r#"<!doctype html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{ page.title }}</title>
</head>
<body>
<main>
<h1>{{ page.title }}</h1>
<p role="status"><strong lang="vi">Thông tin này đã được gỡ bỏ.</strong> <strong lang="en">This item has been withdrawn.</strong></p>
<dl>
<dt><span lang="vi">Ngày gỡ bỏ</span> / <span lang="en">Withdrawn on</span></dt>
<dd><time datetime="{{ page.editorial.withdrawn_at }}">{{ page.editorial.withdrawn_at }}</time></dd>
<dt><span lang="vi">Lý do</span> / <span lang="en">Reason</span></dt>
<dd>{{ page.editorial.withdrawn_reason }}</dd>
</dl>
<p><a href="{{ config.base_url | trim_end_matches(pat="/") | escape_xml | safe }}/"><span lang="vi">Trang chủ</span> / <span lang="en">Home</span></a></p>
</main>
</body>
</html>
"#;

/// Redirect page for `aliases` and `redirect_to`; the refresh works without JavaScript.
const ALIAS: &str = r#"<!doctype html>
<html lang="{{ lang | default(value='en') }}">
<head>
<meta charset="utf-8">
<title>Redirect</title>
<link rel="canonical" href="{{ url | escape_xml | safe }}">
<meta http-equiv="refresh" content="0; url={{ url | escape_xml | safe }}">
</head>
<body>
<p><a href="{{ url | escape_xml | safe }}">{{ url | escape_xml | safe }}</a></p>
</body>
</html>
"#;

const ANCHOR_LINK: &str =
    r##"<a class="zola-anchor" href="#{{ id }}" aria-label="Anchor link for: {{ id }}">🔗</a>"##;

const SUMMARY_CUTOFF: &str = "&hellip;";

/// Every built-in template with the name a site would override it by.
pub const ALL: [(&str, &str); 10] = [
    ("atom.xml", ATOM),
    ("rss.xml", RSS),
    ("sitemap.xml", SITEMAP),
    ("split_sitemap_index.xml", SPLIT_SITEMAP_INDEX),
    ("robots.txt", ROBOTS),
    ("404.html", NOT_FOUND),
    ("withdrawn.html", WITHDRAWN),
    ("internal/alias.html", ALIAS),
    ("anchor-link.html", ANCHOR_LINK),
    ("summary-cutoff.html", SUMMARY_CUTOFF),
];

/// The page written where the site and its theme have no `index.html`, `section.html` or
/// `page.html`. Zola writes a placeholder there too, rather than failing or writing nothing;
/// this one says, in Vietnamese and then English, which template to create.
pub fn missing_template_page(template: &str, lang: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tre: templates/{template}</title>
</head>
<body>
<main>
<h1 lang="vi">Chưa có mẫu trang <code>templates/{template}</code></h1>
<p lang="vi">Tre đã dựng trang này thay cho mẫu còn thiếu. Hãy tạo <code>templates/{template}</code> trong thư mục của trang web, hoặc dùng một giao diện (theme) có mẫu này.</p>
<h2 lang="en">No <code>templates/{template}</code> yet</h2>
<p lang="en">Tre wrote this page in place of the missing template. Create <code>templates/{template}</code> in the site's folder, or use a theme that has it.</p>
</main>
</body>
</html>
"#
    )
}
