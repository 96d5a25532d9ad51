//! Text rules used in several stages: GitHub-style slugs (Cyrillic kept), natural
//! ordering of file names, readable titles from file names, plurals in summaries, and
//! the closest name for "did you mean" suggestions.

use std::cmp::Ordering;

/// GitHub's heading slug: lowercase, keep letters (any script), marks, digits, `_`, `-`
/// and spaces, then spaces become `-`.
pub(crate) fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        } else if c == ' ' {
            out.push('-');
        } else if is_mark(c) {
            out.push(c);
        }
    }
    out
}

fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0483..=0x0489)
}

/// Compare file names naturally: digit runs compare as numbers (`2_x` < `10_x`).
pub(crate) fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let na = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let nb = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let (da, ra) = a.split_at(na);
                let (db, rb) = b.split_at(nb);
                let (da, db) = (trim_zeros(da), trim_zeros(db));
                let ord = da.len().cmp(&db.len()).then_with(|| da.cmp(db));
                if ord != Ordering::Equal {
                    return ord;
                }
                a = ra;
                b = rb;
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

fn trim_zeros(d: &[u8]) -> &[u8] {
    let n = d.iter().take_while(|c| **c == b'0').count();
    if n == d.len() {
        &d[d.len().saturating_sub(1)..]
    } else {
        &d[n..]
    }
}

/// Order by `weight:` (pages with a weight first, smaller first); equal when neither has one.
pub(crate) fn weight_cmp(a: Option<i64>, b: Option<i64>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// `100_basic` -> `Basic`, `010_build-app` -> `Build app`.
pub(crate) fn humanize(stem: &str) -> String {
    let s = stem.trim_start_matches(|c: char| c.is_ascii_digit());
    let s = s.trim_start_matches(['_', '-', '.']);
    let s = if s.is_empty() { stem } else { s };
    let s = s.replace(['_', '-'], " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `1 page`, `2 pages`.
pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A parser's message on one line, without the " at line X column Y" it appends
/// (serde-saphyr does): guidegen prints the location itself, with the source line.
pub(crate) fn without_location(m: &str) -> String {
    let m = m.lines().next().unwrap_or(m).trim();
    match m.rfind(" at line ") {
        Some(i) => m[..i].trim_end_matches(',').to_string(),
        None => m.to_string(),
    }
}

/// The closest candidate to `name` (Levenshtein distance at most a third of its length,
/// and at least 1 edit allowed), for "did you mean" suggestions.
pub(crate) fn closest<'a, I>(name: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let max = (name.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let d = levenshtein(name, c);
        if d <= max && best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// The `n` candidates nearest to `name` (by edit distance, then by name): what to show
/// when nothing is close enough to be a "did you mean".
pub(crate) fn nearest<'a, I>(name: &str, candidates: I, n: usize) -> Vec<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut all: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| (levenshtein(name, c), c))
        .collect();
    all.sort();
    all.into_iter().take(n).map(|(_, c)| c).collect()
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_style_ids() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(
            slugify("Подготовка и настройка среды"),
            "подготовка-и-настройка-среды"
        );
        assert_eq!(slugify("Шаг 3: ёлка"), "шаг-3-ёлка");
        assert_eq!(
            slugify("werf.yaml & .gitlab-ci.yml"),
            "werfyaml--gitlab-ciyml"
        );
        assert_eq!(slugify("snake_case-id"), "snake_case-id");
    }

    #[test]
    fn natural_order() {
        let mut v = vec!["10_x", "2_x", "1_y", "010_a", "a", "_b"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, vec!["1_y", "2_x", "010_a", "10_x", "_b", "a"]);
    }

    #[test]
    fn weight_overrides_names() {
        let mut v = [(None, "a"), (Some(2), "b"), (Some(1), "c")];
        v.sort_by(|x, y| weight_cmp(x.0, y.0).then_with(|| natural_cmp(x.1, y.1)));
        assert_eq!(
            v.iter().map(|x| x.1).collect::<Vec<_>>(),
            vec!["c", "b", "a"]
        );
    }

    #[test]
    fn humanized_names() {
        assert_eq!(humanize("100_basic"), "Basic");
        assert_eq!(humanize("010_build-app"), "Build app");
    }

    #[test]
    fn suggestions_are_close_names_only() {
        let c = ["framework", "language", "package_manager"];
        assert_eq!(closest("frameworkk", c), Some("framework".to_string()));
        assert_eq!(closest("zzz", c), None);
        assert_eq!(plural(1, "page"), "1 page");
        assert_eq!(plural(3, "page"), "3 pages");
    }
}
