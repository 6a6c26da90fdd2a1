//! Which language's CLDR plural rules each bundle is created with.
//!
//! fluent-bundle picks plural rules from the bundle's first locale, and for a language CLDR
//! does not know (H'Mông `hnj`, Tày `tyz`, Tai Dam `blt`) it silently uses English rules, so
//! `{ $count -> [one] … }` would pick `one` for 1 in a language that has no such form. We choose
//! the rules' language ourselves, say so in a warning, and create the bundle with it.

use intl_pluralrules::{PluralRuleType, PluralRules};
use unic_langid::LanguageIdentifier;

/// Whether the plural-rule data we ship knows `lang`, or its bare language subtag
/// (`zh-Hans` uses `zh`'s rules, as fluent-bundle's own lookup does).
///
/// The data comes from `intl_pluralrules` 7.0.2 (the version in Cargo.lock), generated from
/// **CLDR 37** (`intl_pluralrules::CLDR_VERSION`). In it Vietnamese (`vi`) has a single cardinal
/// category, `other`: `{ $count -> [one] … *[other] … }` always takes `other` in Vietnamese,
/// and so in every language that borrows its rules. Chinese (`zh`) is the same; English has
/// `one` and `other`.
pub(super) fn has_plural_data(lang: &LanguageIdentifier) -> bool {
    let known = PluralRules::get_locales(PluralRuleType::CARDINAL);
    let bare = LanguageIdentifier::from_parts(lang.language, None, None, &[]);
    known.iter().any(|k| k == lang || *k == bare)
}

/// What `load` decided about one language's plural rules.
pub(super) enum Choice {
    /// The wanted language has CLDR data.
    Found(LanguageIdentifier),
    /// It has none; `used` is the first of the fallback chain that has, or English if none has.
    Substituted {
        wanted: LanguageIdentifier,
        used: LanguageIdentifier,
    },
}

/// Picks the rules for a language that wants `wanted`'s rules and falls back along `chain`.
pub(super) fn choose(wanted: &LanguageIdentifier, chain: &[LanguageIdentifier]) -> Choice {
    if has_plural_data(wanted) {
        return Choice::Found(wanted.clone());
    }
    let used = chain
        .iter()
        .find(|l| has_plural_data(l))
        .cloned()
        .unwrap_or_else(|| LanguageIdentifier::from_parts(english(), None, None, &[]));
    Choice::Substituted {
        wanted: wanted.clone(),
        used,
    }
}

fn english() -> unic_langid::subtags::Language {
    unic_langid::subtags::Language::from_bytes(b"en").unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> LanguageIdentifier {
        s.parse().unwrap()
    }

    #[test]
    fn cldr_knows_the_national_languages_but_not_the_minority_ones() {
        assert_eq!(intl_pluralrules::CLDR_VERSION, 37);
        for known in ["vi", "en", "zh-Hans", "zh"] {
            assert!(has_plural_data(&id(known)), "{known}");
        }
        for unknown in ["hnj", "tyz", "blt"] {
            assert!(!has_plural_data(&id(unknown)), "{unknown}");
        }
    }

    #[test]
    fn vietnamese_has_only_other() {
        let vi = PluralRules::create(id("vi"), PluralRuleType::CARDINAL).unwrap();
        for n in [0, 1, 2, 21, 1000] {
            assert_eq!(vi.select(n), Ok(intl_pluralrules::PluralCategory::OTHER));
        }
    }

    #[test]
    fn a_language_without_data_borrows_from_its_chain() {
        match choose(&id("hnj"), &[id("tyz"), id("vi"), id("en")]) {
            Choice::Substituted { used, .. } => assert_eq!(used, id("vi")),
            Choice::Found(_) => panic!("hnj has no CLDR data"),
        }
        match choose(&id("blt"), &[]) {
            Choice::Substituted { used, .. } => assert_eq!(used, id("en")),
            Choice::Found(_) => panic!("blt has no CLDR data"),
        }
        assert!(matches!(choose(&id("zh-Hans"), &[]), Choice::Found(_)));
    }
}
