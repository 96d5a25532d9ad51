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
    let (files, _) = b.model.examples.list_files("");
    let mut used: HashSet<&str> = HashSet::new();
    for f in b.all_facts() {
        used.extend(f.shown.iter().map(String::as_str));
        used.extend(f.diffed.iter().map(String::as_str));
    }
    // A step's `guidegen-test.toml` declares its test; no page is meant to show it.
    let step_file = crate::config::testing::STEP_FILE;
    let example = |f: &&String| f.rsplit('/').next() != Some(step_file);
    for rel in files
        .iter()
        .filter(example)
        .filter(|f| !used.contains(f.as_str()))
    {
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
        let (names, _) = b.model.examples.list_files("");
        let mut files = Vec::new();
        let mut index: HashMap<String, BTreeSet<usize>> = HashMap::new();
        for rel in names {
            let text = b.model.examples.read(&b.model.examples.root().join(&rel));
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
    // The example folders of guides: the first part of every page's `examples:`.
    let guides: HashSet<String> = b
        .page_ids()
        .filter_map(|id| guide_folder(&crate::vars::examples_dir(&b.model.site.pages[id].vars)))
        .collect();
    for id in b.page_ids() {
        let Some(facts) = b.facts(id) else {
            continue;
        };
        let p = &b.model.site.pages[id];
        let step = crate::vars::examples_dir(&p.vars);
        let own = Own {
            guide: guide_folder(&step),
            step,
            guides: &guides,
        };
        for (code, at) in &facts.code {
            let block: Vec<&str> = code.code.lines().filter_map(meaningful).collect();
            if block.len() < MIN_LINES {
                continue;
            }
            let ex = by_lang
                .entry(p.lang.clone())
                .or_insert_with(|| Examples::load(b, &p.lang));
            if let Some(d) = compare(b, ex, &own, &code.code, &block, *at) {
                found.add(Code::ExampleDrift, d, Some(id));
            }
        }
    }
}

/// `flask/010_basic` -> `flask`.
fn guide_folder(step: &str) -> Option<String> {
    step.split('/').find(|s| !s.is_empty()).map(str::to_string)
}

/// Whose example files are whose, seen from one page.
struct Own<'a> {
    /// The page's `examples:` folder, and its guide's (its first part).
    step: String,
    guide: Option<String>,
    /// Every guide's folder.
    guides: &'a HashSet<String>,
}

impl Own<'_> {
    /// 0: the page's step; 1: its guide; 2: shared (no guide's); 3: another guide's.
    fn tier(&self, rel: &str) -> u8 {
        let under = |dir: &str| {
            !dir.is_empty() && rel.starts_with(dir) && rel[dir.len()..].starts_with('/')
        };
        let first = rel.split('/').next().unwrap_or("");
        if under(&self.step) {
            0
        } else if self.guide.as_deref().is_some_and(under) {
            1
        } else if !self.guides.contains(first) {
            2
        } else {
            3
        }
    }
}

/// The fewest lines that differ between `block` and the file's meaningful lines laid
/// side by side, the block at each place in the file: (lines that differ, where).
fn aligned(block: &[&str], lines: &[String]) -> Option<(usize, usize)> {
    let file: Vec<&str> = lines.iter().filter_map(|l| meaningful(l)).collect();
    if file.len() < block.len() {
        return None;
    }
    (0..=file.len() - block.len())
        .map(|o| {
            let differ = block.iter().zip(&file[o..]).filter(|(a, b)| a != b).count();
            (differ, o)
        })
        .min()
}

/// A finding if `code` nearly matches one example file: the page's own step's files
/// first, then its guide's, then the shared ones; another guide's file only when the
/// block is that file but for a few lines changed in place.
fn compare(
    b: &Build,
    ex: &Examples,
    own: &Own<'_>,
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
    // A faithful copy of any file is not a drift.
    if counts.values().any(|&n| n == distinct.len()) {
        return None;
    }
    let few = (block.len() / 4).max(1);
    let mut candidates: Vec<(u8, usize, usize)> = counts
        .iter()
        .filter_map(|(&f, &shared)| {
            let tier = own.tier(&ex.files[f].0);
            // Changed in place: few lines differ, and enough are equal to tell a copy
            // from boilerplate (`kind: Service` and `metadata:` are in every chart).
            let min_equal = if tier <= 1 { 3 } else { 5 };
            let near = aligned(block, &ex.files[f].1)
                .is_some_and(|(d, _)| d <= few && block.len() - d >= min_equal);
            let share = shared as f64 / distinct.len() as f64;
            let copied = share >= MIN_SHARE && shared >= MIN_LINES && tier < 3;
            (near || copied).then_some((tier, f, shared))
        })
        .collect();
    candidates.sort_by_key(|&(tier, f, shared)| (tier, std::cmp::Reverse(shared), f));
    let &(_, best, shared) = candidates.first()?;
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
    let sf = &b.model.site.files[file];
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
