//! Text rules shared by every stage: Unicode NFC, slugs (Zola's three strategies), and word
//! counts that work for Vietnamese, Chinese and Tai Viet. Pure functions: no I/O.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Zola's `[slugify]` strategies (getting-started/configuration.md, "Slugification strategies").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SlugifyMode {
    /// Everything becomes an ASCII slug.
    #[default]
    On,
    /// Only characters that cannot exist in file names are removed.
    Safe,
    /// Nothing changes.
    Off,
}

/// The text in NFC, borrowing when it already is (the common case, checked quickly).
pub fn nfc(s: &str) -> Cow<'_, str> {
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => Cow::Borrowed(s),
        _ => {
            let normalized: String = s.nfc().collect();
            if normalized == s {
                Cow::Borrowed(s)
            } else {
                Cow::Owned(normalized)
            }
        }
    }
}

/// Slug of a path component (`slugify.paths`).
pub fn slugify_path(s: &str, mode: SlugifyMode) -> String {
    match mode {
        SlugifyMode::On => slugify_ascii(s),
        SlugifyMode::Safe => strip_unsafe_path_chars(s),
        SlugifyMode::Off => s.to_string(),
    }
}

/// Slug of a heading anchor or taxonomy term (`slugify.anchors` / `slugify.taxonomies`):
/// for anchors, `safe` and `off` are the same and only turn ASCII whitespace into `_`.
pub fn slugify_anchor(s: &str, mode: SlugifyMode) -> String {
    match mode {
        SlugifyMode::On => slugify_ascii(s),
        SlugifyMode::Safe | SlugifyMode::Off => s.replace(|c: char| c.is_ascii_whitespace(), "_"),
    }
}

/// Zola's `on` slug: transliterate to ASCII, lower case, runs of anything else become one `-`.
///
/// Scripts that have no transliteration (Tai Viet, for one) would come out empty in Zola; we
/// keep their letters instead, so a Tai Dam title still gets a readable, unique slug.
pub fn slugify_ascii(s: &str) -> String {
    let s = nfc(s);
    let mut slug = String::with_capacity(s.len());
    let mut prev_dash = true;
    let mut push = |c: char, slug: &mut String| {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
            prev_dash = false;
        } else if !c.is_ascii() && c.is_alphanumeric() {
            slug.push(c);
            prev_dash = false;
        } else if !prev_dash {
            slug.push('-');
            prev_dash = true;
        }
    };
    for c in s.chars() {
        if c.is_ascii() {
            push(c, &mut slug);
        } else if let Some(t) = deunicode::deunicode_char(c) {
            for a in t.chars() {
                push(a, &mut slug);
            }
        } else if is_untransliterated_letter(c) {
            // Lower-case first: a lower-case form may have a transliteration of its own.
            for l in c.to_lowercase() {
                match deunicode::deunicode_char(l) {
                    Some(t) => t.chars().for_each(|a| push(a, &mut slug)),
                    None => push(l, &mut slug),
                }
            }
        } else {
            push('-', &mut slug);
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// Letters and combining marks that deunicode has no ASCII for (Tai Viet vowels are marks).
fn is_untransliterated_letter(c: char) -> bool {
    c.is_alphanumeric() || ('\u{AA80}'..='\u{AADF}').contains(&c)
}

/// Zola's `safe` strategy for paths (0.22): trim trailing spaces and dots, then drop the
/// characters NTFS forbids. Spaces and everything else stay.
fn strip_unsafe_path_chars(s: &str) -> String {
    s.trim_end_matches([' ', '.'])
        .chars()
        .filter(|c| !matches!(c, '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*'))
        .collect()
}

/// `word_count` as Zola reports it, so pages print the same counts and reading times: the
/// Unicode words (UAX #29) of the raw Markdown, fenced code (between ``` marks) left out.
pub fn markdown_word_count(markdown: &str) -> usize {
    use unicode_segmentation::UnicodeSegmentation;
    markdown
        .split("```")
        .step_by(2)
        .map(|prose| prose.unicode_words().count())
        .sum()
}

/// Words in a text: whitespace-separated runs for alphabetic scripts, and one word per
/// character for scripts written without spaces (Han, kana, Thai and Tai Viet syllables).
pub fn word_count(s: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for c in s.chars() {
        if is_unspaced_script(c) {
            count += 1;
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word {
                count += 1;
                in_word = true;
            }
        } else if c.is_whitespace() || !is_word_joiner(c) {
            in_word = false;
        }
    }
    count
}

/// Punctuation that stays inside a word (`H'Mông`, `re-use`, `3.5`).
fn is_word_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '-' | '.' | ',' | '_') || is_mark(c)
}

fn is_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c) || ('\u{AAB0}'..='\u{AAC2}').contains(&c)
}

fn is_unspaced_script(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'   // kana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility
        | '\u{20000}'..='\u{3134F}' // CJK extensions B–G (Chữ Nôm)
    )
}

/// Minutes to read, as Zola computes it: 200 words a minute, rounded up.
pub fn reading_time(words: usize) -> usize {
    words.div_ceil(200)
}

/// An editor's leftover: a backup (`page.md~`), an Emacs autosave (`#page.md#`) or lock
/// (`.#page.md`), a Vim swap file (`.page.md.swp`), or macOS's `.DS_Store`. Never part of a site.
pub fn is_editor_leftover(name: &str) -> bool {
    name.ends_with('~')
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || name.starts_with(".#")
        || (name.starts_with('.') && [".swp", ".swx", ".swo"].iter().any(|x| name.ends_with(x)))
        || name == ".DS_Store"
}

/// A hidden file or folder (`.draft.md`, `.git`), or an editor's leftover: what `content/`,
/// `templates/` and `sass/` skip, as Zola skips dotfiles there.
pub fn is_hidden(name: &str) -> bool {
    name.starts_with('.') || is_editor_leftover(name)
}

/// `%20` → space, for URL paths and `@/` links; invalid escapes and non-UTF-8 results stay
/// as written.
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// The nearest of `candidates` to a misspelt `word`, if one is near enough to suggest.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .map(|c| (strsim::osa_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn percent_escapes_decode_and_bad_ones_stay() {
        assert_eq!(percent_decode("/l%E1%BB%85"), "/lễ");
        assert_eq!(percent_decode("a%20b%2"), "a b%2");
        assert_eq!(percent_decode("%ZZ%FF"), "%ZZ%FF");
    }

    #[test]
    fn editor_leftovers_and_dotfiles_are_hidden() {
        for name in [
            "page.md~",
            "#page.md#",
            ".#page.md",
            ".page.md.swp",
            ".DS_Store",
        ] {
            assert!(is_editor_leftover(name), "{name}");
            assert!(is_hidden(name), "{name}");
        }
        for name in [".should-not-be-picked-up.md", ".git", ".well-known"] {
            assert!(is_hidden(name), "{name}");
            assert!(!is_editor_leftover(name), "{name}");
        }
        for name in ["page.md", "#", "c#.md", "_index.md", "a.b.md", "~a.md"] {
            assert!(!is_hidden(name), "{name}");
        }
    }

    #[test]
    fn real_titles_get_the_expected_slugs() {
        let table = [
            ("Lịch sử Đình làng", "lich-su-dinh-lang"),
            ("Lễ hội Đền Hùng", "le-hoi-den-hung"),
            ("Chủ động, đồng bộ, kịp thời", "chu-dong-dong-bo-kip-thoi"),
            ("Hello World!", "hello-world"),
            ("2018-10-10 hello", "2018-10-10-hello"),
            ("越南", "yue-nan"),
            ("ꪼꪕ ꪀꪷ", "ait-koa"),
        ];
        for (title, want) in table {
            assert_eq!(slugify_ascii(title), want, "slug of {title}");
        }
    }

    #[test]
    fn safe_mode_keeps_unicode_and_drops_reserved_chars() {
        // As Zola 0.22.1 writes them: spaces and brackets stay.
        assert_eq!(
            slugify_path("Lịch sử: (Đình) làng. ", SlugifyMode::Safe),
            "Lịch sử (Đình) làng"
        );
        assert_eq!(slugify_path("a/b?\"c\"#d", SlugifyMode::Safe), "abc#d");
        assert_eq!(slugify_path("a b", SlugifyMode::Off), "a b");
        assert_eq!(slugify_anchor("Lịch sử", SlugifyMode::Safe), "Lịch_sử");
    }

    #[test]
    fn words_are_counted_per_script() {
        assert_eq!(word_count("Lễ hội Đền Hùng năm 2025"), 6);
        assert_eq!(word_count("越南文化"), 4);
        assert_eq!(word_count("H'Mông people, re-use"), 3);
        assert_eq!(reading_time(201), 2);
    }

    #[test]
    fn nfd_input_becomes_nfc() {
        let nfd: String = "Lễ hội".nfd().collect();
        assert!(matches!(nfc(&nfd), Cow::Owned(_)));
        assert_eq!(nfc(&nfd), "Lễ hội");
        assert!(matches!(nfc("Lễ hội"), Cow::Borrowed(_)));
    }

    proptest! {
        #[test]
        fn slug_is_stable(s in "\\PC{0,40}") {
            let once = slugify_ascii(&s);
            prop_assert_eq!(slugify_ascii(&once), once);
        }

        #[test]
        fn slug_ignores_normal_form(s in "\\PC{0,40}") {
            let d: String = s.nfd().collect();
            let c: String = s.nfc().collect();
            prop_assert_eq!(slugify_ascii(&d), slugify_ascii(&c));
        }
    }
}
