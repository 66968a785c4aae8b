//! Every text art33 shows, in Dutch and English: pages, mails, the AP draft, the letter to data
//! subjects and the labels of the code lists. The texts are Project Fluent resources, one file per
//! language at the top of the repository, `locales/nl/art33.ftl` and `locales/en/art33.ftl`,
//! compiled into the binary (`include_str!`) and loaded once into one bundle per language.
//!
//! A key is lowercase words joined by hyphens, the area first (`nav-skip`, `mail-deadline`,
//! `ap-fill-processor`, `code-list-nature-read`). [`text`] gives a message without variables;
//! [`text_with`] fills the placeables (`{ $deadline }`) of one with variables, all values as text.
//! An unknown key gives the key itself, so a missing text shows; the tests check that both files
//! hold the same keys, parse without errors, and hold every key that code and templates use.
//!
//! Isolation marks around placeables are off: the output is exactly the text and the values.

use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use unic_langid::LanguageIdentifier;

use super::locale::Locale;

/// The Dutch resource.
pub const NL_SOURCE: &str = include_str!("../../locales/nl/art33.ftl");
/// The English resource.
pub const EN_SOURCE: &str = include_str!("../../locales/en/art33.ftl");

/// One language: its bundle and every message without variables, formatted once.
struct Texts {
    bundle: FluentBundle<FluentResource>,
    /// Looked up hundreds of times per page (every label and option), with keys from the code, not
    /// from requests: a fast fixed hash, not SipHash (which was a twentieth of the incident page).
    plain: HashMap<&'static str, String, foldhash::fast::FixedState>,
    problems: Vec<String>,
}

fn load(locale: Locale, source: &'static str) -> Texts {
    let mut problems = Vec::new();
    let resource = match FluentResource::try_new(source.to_string()) {
        Ok(resource) => resource,
        Err((resource, errors)) => {
            problems.extend(errors.iter().map(|e| format!("{}: {e:?}", locale.as_str())));
            resource
        }
    };
    let lang = LanguageIdentifier::from_bytes(locale.as_str().as_bytes()).unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    bundle.set_use_isolating(false);
    if let Err(errors) = bundle.add_resource(resource) {
        problems.extend(errors.iter().map(|e| format!("{}: {e:?}", locale.as_str())));
    }
    let mut plain = HashMap::with_hasher(foldhash::fast::FixedState::default());
    for id in keys(source) {
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            problems.push(format!("{}: {id} has no value", locale.as_str()));
            continue;
        };
        let mut errors = Vec::new();
        let value = bundle.format_pattern(pattern, None, &mut errors).into_owned();
        // A message with variables fails here; it is formatted by `text_with` each time.
        if errors.is_empty() {
            plain.insert(id, value);
        }
    }
    Texts { bundle, plain, problems }
}

static NL: LazyLock<Texts> = LazyLock::new(|| load(Locale::Nl, NL_SOURCE));
static EN: LazyLock<Texts> = LazyLock::new(|| load(Locale::En, EN_SOURCE));

fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::Nl => &NL,
        Locale::En => &EN,
    }
}

/// The ids of the messages of a resource, in file order: every line that starts with an id and `=`.
pub fn keys(source: &str) -> Vec<&str> {
    source
        .lines()
        .filter_map(|line| {
            let (id, _) = line.split_once('=')?;
            let id = id.trim_end();
            let mut chars = id.chars();
            let first = chars.next()?;
            (first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .then_some(id)
        })
        .collect()
}

/// The id `key` as the resources spell it, when a message has that id (for places that keep a
/// key as `&'static str`, such as a form field's label).
pub fn known_key(key: &str) -> Option<&'static str> {
    static KNOWN: LazyLock<std::collections::HashSet<&'static str>> =
        LazyLock::new(|| keys(NL_SOURCE).into_iter().collect());
    KNOWN.get(key).copied()
}

/// The message `key` without variables in `locale`, if there is one.
pub fn lookup(locale: Locale, key: &str) -> Option<&'static str> {
    texts(locale).plain.get(key).map(String::as_str)
}

/// The message `key` in `locale`; the key itself when there is no such message.
pub fn text(locale: Locale, key: &str) -> &str {
    lookup(locale, key).unwrap_or(key)
}

/// The message `key` in `locale` with its variables filled from `args` (name, value); the key
/// itself when there is no such message.
pub fn text_with(locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
    let texts = texts(locale);
    let Some(pattern) = texts.bundle.get_message(key).and_then(|m| m.value()) else {
        return key.to_string();
    };
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        fluent_args.set(*name, *value);
    }
    let mut errors = Vec::new();
    let mut out = texts.bundle.format_pattern(pattern, Some(&fluent_args), &mut errors).into_owned();
    // A sentence that ends with a value ending in a full stop ("… bij { $client }." with "Acme
    // B.V.") keeps one full stop.
    for (_, value) in args {
        if value.ends_with('.') {
            out = out.replace(&format!("{value}."), &with_full_stop(value));
        }
    }
    out
}

/// `text` as the end of a sentence: with a full stop appended, unless it already ends with one
/// ("Acme" → "Acme.", "Acme B.V." → "Acme B.V."). Every sentence that ends with a name uses it;
/// [`text_with`] applies it to each value that a text follows with a full stop.
pub fn with_full_stop(text: &str) -> String {
    if text.ends_with('.') { text.to_string() } else { format!("{text}.") }
}

/// The name of the language `of`, in `locale`: "Engels" (nl), "English" (en).
pub fn language_name(of: Locale, locale: Locale) -> &'static str {
    text(
        locale,
        match of {
            Locale::Nl => "language-nl",
            Locale::En => "language-en",
        },
    )
}

/// What went wrong loading the resources (parse errors, messages without a value); empty when
/// all is well. The tests fail on any.
pub fn problems() -> Vec<String> {
    [Locale::Nl, Locale::En].into_iter().flat_map(|l| texts(l).problems.iter().cloned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_parse_without_errors_and_every_message_has_a_value() {
        assert_eq!(problems(), Vec::<String>::new());
    }

    #[test]
    fn both_languages_hold_the_same_keys_once() {
        let nl = keys(NL_SOURCE);
        let en = keys(EN_SOURCE);
        let only_nl: Vec<_> = nl.iter().filter(|k| !en.contains(k)).collect();
        let only_en: Vec<_> = en.iter().filter(|k| !nl.contains(k)).collect();
        assert!(only_nl.is_empty(), "keys missing in locales/en/art33.ftl: {only_nl:?}");
        assert!(only_en.is_empty(), "keys missing in locales/nl/art33.ftl: {only_en:?}");
        for list in [&nl, &en] {
            let mut sorted = list.clone();
            sorted.sort_unstable();
            let before = sorted.len();
            sorted.dedup();
            assert_eq!(before, sorted.len(), "a key is defined twice");
        }
        assert!(nl.len() > 300, "{}", nl.len());
    }

    #[test]
    fn keys_are_lowercase_words_joined_by_hyphens() {
        for key in keys(NL_SOURCE) {
            assert!(
                key.split('-').all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
                "{key}"
            );
        }
    }

    #[test]
    fn a_name_ending_in_a_full_stop_ends_a_sentence_with_one() {
        assert_eq!(with_full_stop("Acme"), "Acme.");
        assert_eq!(with_full_stop("Acme B.V."), "Acme B.V.");
        for (locale, key) in [
            (Locale::Nl, "mail-p0-lead"),
            (Locale::En, "mail-p0-lead"),
            (Locale::Nl, "mail-p0-lead-html"),
            (Locale::En, "mail-p0-lead-html"),
            (Locale::Nl, "mail-receipt-next"),
            (Locale::En, "mail-receipt-next"),
            (Locale::Nl, "mail-receipt-next-html"),
            (Locale::En, "mail-receipt-next-html"),
        ] {
            let text = text_with(locale, key, &[("client", "Acme B.V.")]);
            assert!(text.contains("Acme B.V.") && !text.contains("B.V.."), "{key}: {text}");
            let plain = text_with(locale, key, &[("client", "Acme")]);
            assert!(plain.contains("Acme."), "{key}: {plain}");
        }
        // Every text whose sentence ends with a value: one full stop after "Acme B.V.".
        for locale in [Locale::Nl, Locale::En] {
            let source = if locale == Locale::Nl { NL_SOURCE } else { EN_SOURCE };
            for key in keys(source) {
                let args: Vec<(&str, &str)> = ["client", "name", "controller", "processor", "dpo"]
                    .iter()
                    .map(|name| (*name, "Acme B.V."))
                    .collect();
                let text = text_with(locale, key, &args);
                assert!(!text.contains("B.V.."), "{key}: {text}");
            }
        }
        // A value that does not end in a full stop is left alone, and so is the rest of the text.
        assert_eq!(text_with(Locale::En, "mail-milestone-left", &[("left", "3 h")]), "3 h left.");
    }

    #[test]
    fn an_unknown_key_shows_itself() {
        assert_eq!(text(Locale::Nl, "no-such-key"), "no-such-key");
        assert_eq!(text_with(Locale::En, "no-such-key", &[("a", "b")]), "no-such-key");
        assert_eq!(lookup(Locale::En, "no-such-key"), None);
    }

    #[test]
    fn placeables_are_filled_without_isolation_marks() {
        let key = "ack-received";
        let nl = text_with(Locale::Nl, key, &[("dpo", "D"), ("when", "W")]);
        assert_eq!(nl, "ontvangen door de FG (D) op W");
        assert!(!nl.contains('\u{2068}'));
    }
}
