//! Words as search sees them, the same on both sides: runs of letters and digits,
//! lower-cased, `ё` read as `е`, each reduced to its stem by the Snowball stemmer of its
//! script (Russian for Cyrillic words, English for Latin ones), so that `сборка` and
//! `сборки` are one word. The page script (`theme/static/search.js`, with the vendored
//! Snowball stemmers in `stemmers.js`) does exactly this to the query;
//! `tests/e2e/search.mjs` checks that both sides agree.

use std::collections::HashMap;
use std::sync::Arc;

use rust_stemmers::{Algorithm, Stemmer};

use crate::util::fxhash::Fx;

/// The stemmers, with the stems of words already seen.
pub(crate) struct Stemmers {
    ru: Stemmer,
    en: Stemmer,
    /// A word as written -> its stem. Each stem is one shared string (see `interned`),
    /// so callers may count stems by address.
    seen: HashMap<Box<str>, Arc<str>, Fx>,
    interned: HashMap<Arc<str>, (), Fx>,
    word: String,
}

/// Stems a thread has seen are kept up to this many words (a site's vocabulary is far
/// smaller; the bound keeps a long `serve` session from growing).
const SEEN_MAX: usize = 500_000;

thread_local! {
    static STEMMERS: std::cell::RefCell<Stemmers> = std::cell::RefCell::new(Stemmers::new());
}

impl Stemmers {
    /// Run `f` with this thread's stemmers: each word of a site is stemmed once per
    /// thread, not once per page.
    pub(crate) fn with<T>(f: impl FnOnce(&mut Stemmers) -> T) -> T {
        STEMMERS.with(|s| match s.try_borrow_mut() {
            Ok(mut s) => {
                if s.seen.len() > SEEN_MAX {
                    s.seen.clear();
                    s.interned.clear();
                }
                f(&mut s)
            }
            // Not reentrant; a nested call gets stemmers of its own.
            Err(_) => f(&mut Stemmers::new()),
        })
    }

    pub(crate) fn new() -> Stemmers {
        Stemmers {
            ru: Stemmer::create(Algorithm::Russian),
            en: Stemmer::create(Algorithm::English),
            seen: HashMap::default(),
            interned: HashMap::default(),
            word: String::new(),
        }
    }

    /// Call `f` with the stem of every word of `text` (see [`words`]). The same stem is
    /// always the same shared string: keeping one costs no copy, and two are the same
    /// stem exactly when they are the same `Arc`.
    pub(crate) fn each(&mut self, text: &str, mut f: impl FnMut(&Arc<str>)) {
        for raw in split(text) {
            if let Some(stem) = self.seen.get(raw) {
                f(stem);
                continue;
            }
            self.word.clear();
            self.word
                .extend(raw.chars().flat_map(char::to_lowercase).map(fold));
            let stem = self.stem(&self.word);
            let stem = match self.interned.get_key_value(stem.as_str()) {
                Some((k, ())) => k.clone(),
                None => {
                    let k: Arc<str> = stem.into();
                    self.interned.insert(k.clone(), ());
                    k
                }
            };
            f(&stem);
            self.seen.insert(raw.into(), stem);
        }
    }

    /// The stem of one normalized word.
    fn stem(&self, word: &str) -> String {
        if word.chars().any(|c| ('\u{0430}'..='\u{044f}').contains(&c)) {
            self.ru.stem(word).into_owned()
        } else if word.chars().any(|c| c.is_ascii_lowercase()) {
            self.en.stem(word).into_owned()
        } else {
            word.to_string()
        }
    }
}

/// The words of `text` as written: runs of letters and digits, at least two
/// characters long (single letters and digits carry no meaning alone).
fn split(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !word_char(c))
        .filter(|w| w.chars().nth(1).is_some())
}

/// A letter or digit (`char::is_alphanumeric`, with the common cases first).
fn word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || ('\u{0410}'..='\u{044f}').contains(&c)
        || (!c.is_ascii() && c.is_alphanumeric())
}

/// `ё` is read as `е` (writers use both).
fn fold(c: char) -> char {
    if c == 'ё' { 'е' } else { c }
}

/// The words of `text`, normalized: lower case, `ё` as `е`.
#[cfg(test)]
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    split(text).map(|w| w.chars().flat_map(char::to_lowercase).map(fold).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflected_forms_share_a_stem() {
        let mut s = Stemmers::new();
        let mut stems = |t: &str| {
            let mut v = Vec::new();
            s.each(t, |w| v.push(w.to_string()));
            v
        };
        assert_eq!(stems("сборка"), stems("Сборки"));
        assert_eq!(stems("образы"), stems("образ"));
        assert_eq!(stems("Деплоим"), stems("деплоить"));
        assert_eq!(stems("building images"), stems("build image"));
        assert_eq!(stems("ЁЖ"), stems("еж"));
        assert_eq!(stems("werf.yaml 8000 a"), vec!["werf", "yaml", "8000"]);
        assert_eq!(
            words("Ёлка, werf.yaml").collect::<Vec<_>>(),
            ["елка", "werf", "yaml"]
        );
    }

    #[test]
    fn the_same_stems_as_the_page_script() {
        // tests/e2e/search.mjs checks vendor/snowball/stemmers.js against the same list.
        let list = include_str!("../../vendor/snowball/stems.tsv");
        let mut s = Stemmers::new();
        let mut checked = 0;
        for line in list
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let mut f = line.split('\t');
            let (_, word, want) = (f.next(), f.next().unwrap_or(""), f.next().unwrap_or(""));
            let mut got = Vec::new();
            s.each(word, |w| got.push(w.to_string()));
            assert_eq!(got, [want], "{word}");
            checked += 1;
        }
        assert!(checked > 7000, "{checked}");
    }
}
