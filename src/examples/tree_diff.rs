//! `<<tree>>` draws an examples folder like the `tree` command; `<<diff>>` compares the
//! folders of two tutorial steps (files added, removed, changed, with unified diffs).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::show::filter_lines;
use super::{ExampleStore, Resolved, err};
use crate::diag::Problem;
use crate::util::confine::Refusal;
use crate::util::text::closest as did_you_mean;

#[derive(Debug, Clone)]
pub(crate) struct Tree {
    pub root: String,
    pub rel: String,
    pub lines: Vec<String>,
}

/// One changed file: both versions as shown (snippet markers removed) and the hunks
/// between them.
#[derive(Debug, Clone)]
pub(crate) struct FileDiff {
    pub name: String,
    pub old: String,
    pub new: String,
    pub hunks: Vec<Hunk>,
    /// Lines added and removed, for the `+12 −3` summary.
    pub added: usize,
    pub removed: usize,
}

/// A hunk: its `@@ -1,5 +1,7 @@` header and its lines.
#[derive(Debug, Clone)]
pub(crate) struct Hunk {
    pub header: String,
    pub lines: Vec<DiffLine>,
}

/// A line of a hunk, by its 0-based index in the old or new version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DiffLine {
    Same(usize),
    Added(usize),
    Removed(usize),
}

#[derive(Debug, Clone)]
pub(crate) struct DiffView {
    pub from: String,
    pub to: String,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// The files that differ (and, for a one-file diff, the file added).
    pub changed: Vec<FileDiff>,
    /// The files of the new folder the diff leaves unchanged (a whole-folder diff).
    pub unchanged: Vec<String>,
}

impl ExampleStore {
    pub(crate) fn tree(&self, r: &Resolved) -> Result<Tree, Problem> {
        let mut lines = Vec::new();
        let mut stack = vec![r.abs.clone()];
        self.draw(&r.abs, "", &mut lines, &mut stack)?;
        let root = if r.display.is_empty() {
            ".".to_string()
        } else {
            r.display.clone()
        };
        Ok(Tree {
            root,
            rel: r.rel.clone(),
            lines,
        })
    }

    /// Draw the entries of `dir` like `tree` does. A link that leaves `examples/` or
    /// loops back into a folder being drawn is an error, never followed.
    fn draw(
        &self,
        dir: &Path,
        prefix: &str,
        out: &mut Vec<String>,
        stack: &mut Vec<PathBuf>,
    ) -> Result<(), Problem> {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return Ok(());
        };
        let mut entries: Vec<(String, PathBuf)> = rd
            .flatten()
            .filter(|e| e.file_name() != ".git")
            .map(|e| (e.file_name().to_string_lossy().to_string(), e.path()))
            .collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let n = entries.len();
        for (i, (name, path)) in entries.into_iter().enumerate() {
            let real = self
                .jail
                .follow(&path)
                .map_err(|r| self.refusal(&path, &r))?
                .or_else(|| path.canonicalize().ok())
                .unwrap_or_else(|| path.clone());
            let last = i + 1 == n;
            out.push(format!(
                "{prefix}{}{name}",
                if last { "└── " } else { "├── " }
            ));
            if real.is_dir() {
                if stack.contains(&real) {
                    let loop_ = Refusal::Loop { link: path.clone() };
                    return Err(self.refusal(&path, &loop_));
                }
                stack.push(real);
                let p = format!("{prefix}{}", if last { "    " } else { "│   " });
                self.draw(&path, &p, out, stack)?;
                stack.pop();
            }
        }
        Ok(())
    }

    pub(crate) fn diff(
        &self,
        old: &Resolved,
        new: &Resolved,
        one: Option<&str>,
        lang: &str,
    ) -> Result<DiffView, Problem> {
        let (a, refused_a) = self.list_files(&old.rel);
        let (b, refused_b) = self.list_files(&new.rel);
        if let Some(p) = refused_a.into_iter().chain(refused_b).next() {
            return Err(p);
        }
        let a: BTreeMap<String, ()> = a.into_iter().map(|f| (f, ())).collect();
        let b: BTreeMap<String, ()> = b.into_iter().map(|f| (f, ())).collect();
        let mut view = DiffView {
            from: old.rel.clone(),
            to: new.rel.clone(),
            added: Vec::new(),
            removed: Vec::new(),
            changed: Vec::new(),
            unchanged: Vec::new(),
        };
        let shown = |rel_dir: &str, f: &str| -> Result<String, Problem> {
            let p = self.root().join(rel_dir).join(f);
            let t = self.read(&p);
            match t.as_ref() {
                Ok(t) => {
                    let lines: Vec<&str> = t.lines().collect();
                    Ok(filter_lines(&lines, lang))
                }
                Err(e) => Err(err(format!("examples/{rel_dir}/{f}: {e}"), None)),
            }
        };
        if let Some(f) = one
            && !a.contains_key(f)
            && !b.contains_key(f)
        {
            let all: Vec<&str> = a.keys().chain(b.keys()).map(String::as_str).collect();
            return Err(Problem::new(format!(
                "'{f}' is in neither examples/{} nor examples/{}",
                old.rel, new.rel
            ))
            .suggest(did_you_mean(f, all)));
        }
        let names: Vec<&String> = {
            let mut v: Vec<&String> = a
                .keys()
                .chain(b.keys().filter(|k| !a.contains_key(*k)))
                .collect();
            v.sort();
            v
        };
        for f in names {
            if one.is_some_and(|o| o != f) {
                continue;
            }
            match (a.contains_key(f), b.contains_key(f)) {
                (true, false) => view.removed.push(f.clone()),
                (false, true) => {
                    view.added.push(f.clone());
                    if one.is_some() {
                        let new_t = shown(&new.rel, f)?;
                        view.changed.push(file_diff(f, String::new(), new_t));
                    }
                }
                _ => {
                    let old_t = shown(&old.rel, f)?;
                    let new_t = shown(&new.rel, f)?;
                    if old_t != new_t {
                        view.changed.push(file_diff(f, old_t, new_t));
                    } else {
                        view.unchanged.push(f.clone());
                    }
                }
            }
        }
        Ok(view)
    }
}

/// The hunks between `old` and `new`, with three lines of context, as `diff -u` shows.
fn file_diff(name: &str, old: String, new: String) -> FileDiff {
    use similar::ChangeTag;
    let d = similar::TextDiff::from_lines(&old, &new);
    let (mut added, mut removed) = (0, 0);
    let mut hunks = Vec::new();
    for group in d.grouped_ops(3) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let (o, n) = (first.old_range().start, first.new_range().start);
        let (o_len, n_len) = (last.old_range().end - o, last.new_range().end - n);
        // `diff -u` numbers an empty range by the line before it.
        let start = |at: usize, len: usize| if len == 0 { at } else { at + 1 };
        let header = format!(
            "@@ -{},{o_len} +{},{n_len} @@",
            start(o, o_len),
            start(n, n_len)
        );
        let mut lines = Vec::new();
        for op in &group {
            for c in d.iter_changes(op) {
                match (c.tag(), c.old_index(), c.new_index()) {
                    (ChangeTag::Equal, _, Some(i)) => lines.push(DiffLine::Same(i)),
                    (ChangeTag::Insert, _, Some(i)) => {
                        added += 1;
                        lines.push(DiffLine::Added(i));
                    }
                    (ChangeTag::Delete, Some(i), _) => {
                        removed += 1;
                        lines.push(DiffLine::Removed(i));
                    }
                    _ => {}
                }
            }
        }
        hunks.push(Hunk { header, lines });
    }
    FileDiff {
        name: name.to_string(),
        old,
        new,
        hunks,
        added,
        removed,
    }
}
