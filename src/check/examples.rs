//! Example files against the pages: files no page shows, and code pasted into a page
//! that nearly matches an example file (most lines equal, some not): a copy that has
//! drifted from the file it was copied from, reported with both places and the lines
//! that differ, so it can become an `<<example>>` that never drifts again.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::Findings;
use crate::diag::{Code, Diagnostic};
use crate::examples::filter_lines;
use crate::pipeline::Build;

/// A pasted block must share at least this share of its lines with a file to be a copy.
const MIN_SHARE: f64 = 0.6;
/// Blocks shorter than this (meaningful lines) are not compared, and a copy shares at
/// least this many lines (three lines of Kubernetes boilerplate are not a copy).
const MIN_LINES: usize = 4;

pub(super) fn check(found: &mut Findings<'_>) {
    unused(found);
    drift(found);
}

fn unused(found: &mut Findings<'_>) {
    let b = found.build();
    let (files, _) = b.examples.list_files("");
    let mut used: HashSet<&str> = HashSet::new();
    for f in b.page_facts() {
        used.extend(f.shown.iter().map(String::as_str));
        used.extend(f.diffed.iter().map(String::as_str));
    }
    for rel in files.iter().filter(|f| !used.contains(f.as_str())) {
        let d = Diagnostic::error(
            format!("examples/{rel}"),
            "no page shows this example file".to_string(),
        )
        .with_help(
            "show it with <<example \"...\">>, or remove it if the guide no longer needs it",
        );
        found.add(Code::UnusedExample, d, None);
    }
}

/// A line worth comparing: trimmed, with at least three letters or digits.
fn meaningful(l: &str) -> Option<&str> {
    let t = l.trim();
    (t.chars().filter(|c| c.is_alphanumeric()).count() >= 3).then_some(t)
}

/// The example files, as pages of one language show them (marker lines removed).
struct Examples {
    files: Vec<(String, Vec<String>)>,
    /// Meaningful line -> the files holding it.
    index: HashMap<String, BTreeSet<usize>>,
}

impl Examples {
    fn load(b: &Build, lang: &str) -> Examples {
        let (names, _) = b.examples.list_files("");
        let mut files = Vec::new();
        let mut index: HashMap<String, BTreeSet<usize>> = HashMap::new();
        for rel in names {
            let text = b.examples.read(&b.examples.root().join(&rel));
            let Ok(text) = text.as_ref() else { continue };
            let raw: Vec<&str> = text.lines().collect();
            let lines: Vec<String> = filter_lines(&raw, lang)
                .lines()
                .map(str::to_string)
                .collect();
            let i = files.len();
            for l in lines.iter().filter_map(|l| meaningful(l)) {
                index.entry(l.to_string()).or_default().insert(i);
            }
            files.push((rel, lines));
        }
        Examples { files, index }
    }
}

fn drift(found: &mut Findings<'_>) {
    let b = found.build();
    let mut by_lang: HashMap<String, Examples> = HashMap::new();
    for id in b.page_ids() {
        let Some(facts) = b.page_facts().get(id.index()) else {
            continue;
        };
        let lang = &b.site.pages[id].lang;
        for (code, at) in &facts.code {
            let block: Vec<&str> = code.code.lines().filter_map(meaningful).collect();
            if block.len() < MIN_LINES {
                continue;
            }
            let ex = by_lang
                .entry(lang.clone())
                .or_insert_with(|| Examples::load(b, lang));
            if let Some(d) = compare(b, ex, &code.code, &block, *at) {
                found.add(Code::ExampleDrift, d, Some(id));
            }
        }
    }
}

/// A finding if `code` nearly matches one example file.
fn compare(
    b: &Build,
    ex: &Examples,
    code: &str,
    block: &[&str],
    at: crate::pipeline::At,
) -> Option<Diagnostic> {
    let mut counts: HashMap<usize, usize> = HashMap::new();
    let distinct: BTreeSet<&str> = block.iter().copied().collect();
    for l in &distinct {
        for &f in ex.index.get(*l).into_iter().flatten() {
            *counts.entry(f).or_default() += 1;
        }
    }
    let (&best, &shared) = counts
        .iter()
        .max_by_key(|(f, n)| (**n, std::cmp::Reverse(**f)))?;
    let share = shared as f64 / distinct.len() as f64;
    if share < MIN_SHARE || shared < MIN_LINES || shared == distinct.len() {
        return None;
    }
    let (rel, lines) = &ex.files[best];
    // The part of the file the block was copied from: first to last shared line.
    let pos: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| meaningful(l).is_some_and(|m| distinct.contains(m)))
        .map(|(i, _)| i)
        .collect();
    let (first, last) = (*pos.first()?, *pos.last()?);
    // Widen it by the page's lines before its first and after its last shared line,
    // so that a changed first or last line shows on both sides.
    let in_file = |l: &&str| {
        meaningful(l).is_some_and(|m| ex.index.get(m).is_some_and(|s| s.contains(&best)))
    };
    let page: Vec<&str> = code.lines().collect();
    let lead = page.iter().position(&in_file).unwrap_or(0);
    let tail = page.len() - 1 - page.iter().rposition(in_file).unwrap_or(page.len() - 1);
    let (first, last) = (
        first.saturating_sub(lead),
        (last + tail).min(lines.len() - 1),
    );
    let window = lines[first..=last].join("\n") + "\n";
    let diff = similar::TextDiff::from_lines(window.as_str(), code);
    let mut notes = Vec::new();
    for change in diff.iter_all_changes() {
        let line = change.value().trim_end();
        if line.trim().is_empty() {
            continue;
        }
        match change.tag() {
            similar::ChangeTag::Delete => notes.push(format!("the file has:  {line}")),
            similar::ChangeTag::Insert => notes.push(format!("the page has:  {line}")),
            similar::ChangeTag::Equal => {}
        }
        if notes.len() >= 6 {
            break;
        }
    }
    let (file, off) = at?;
    let sf = &b.site.files[file];
    let mut d = Diagnostic::error(
        &sf.rel,
        format!(
            "this code is a copy of examples/{rel} (lines {}-{}) that has drifted: {shared} of its {} lines match",
            first + 1,
            last + 1,
            distinct.len()
        ),
    )
    .at_file(sf, off, off + 3)
    .with_help(format!(
        "show the file itself: <<example \"/{rel}\">> (with a snippet=\"...\" for a part), and it can never drift"
    ));
    for n in notes {
        d = d.with_note(n);
    }
    Some(d)
}
