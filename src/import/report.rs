//! `IMPORT.md`: what the import made, per language and guide: the pages and their URLs
//! (and every URL that changed), what each construct became and how often, what needs
//! an author's look (each place, with the note left there), and every problem of the
//! source, located. No date and no path of this machine, so two runs write the same.

use std::fmt::Write as _;

use super::jekyll::Repo;
use super::pages::GuideReport;
use crate::diag::Diagnostic;

pub(crate) fn write(repo: &Repo, reports: &[GuideReport], warnings: &[Diagnostic]) -> String {
    let mut s = String::from("# Import report\n\n");
    // Only the repository's own checkout: a folder inside another checkout is not it.
    let commit = repo
        .root
        .join(".git")
        .exists()
        .then(|| crate::util::git::head_commit(&repo.root))
        .flatten();
    let pages: usize = reports.iter().map(|r| r.pages.len()).sum();
    let guides = reports.iter().filter(|r| !r.guide.is_empty()).count();
    let look: usize = reports.iter().map(|r| r.look.len()).sum();
    let _ = writeln!(
        s,
        "Made by `guidegen import jekyll` from a Jekyll repository{}: {pages} pages in {guides} guides, languages {}, {} example files. Base URL path `{}` (from {}).\n",
        commit
            .map(|c| format!(" at commit {c}"))
            .unwrap_or_default(),
        repo.langs
            .iter()
            .map(|l| l.code.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        repo.examples.len(),
        if repo.baseurl.is_empty() {
            "/"
        } else {
            &repo.baseurl
        },
        if repo.baseurl_from.is_empty() {
            "nowhere: the site root"
        } else {
            &repo.baseurl_from
        },
    );
    let _ = writeln!(
        s,
        "Next: `guidegen check` lists what was wrong in the original (dead links, untranslated pages, drifted copies); {look} places below need an author's look, each marked on its page with a note (`{{{{Not converted from Jekyll: …}}}}`); `guidegen serve` shows them. docs/import.md says what each construct became.\n"
    );
    let changed: Vec<(&GuideReport, &super::pages::Row)> = reports
        .iter()
        .flat_map(|r| r.pages.iter().map(move |p| (r, p)))
        .filter(|(_, p)| p.url != p.new_url)
        .collect();
    s.push_str("## URLs\n\n");
    if changed.is_empty() {
        s.push_str("Every page keeps its URL.\n\n");
    } else {
        s.push_str("These pages moved; each old URL redirects to the new one (`aliases:`):\n\n");
        for (r, p) in changed {
            let _ = writeln!(s, "- {}: `{}` → `{}`", r.lang, p.url, p.new_url);
        }
        s.push('\n');
    }
    for r in reports {
        guide(&mut s, r);
    }
    s.push_str("## Problems of the source\n\n");
    if warnings.is_empty() {
        s.push_str("None.\n");
    }
    for w in warnings {
        let place = match &w.location {
            Some(l) => format!("{}:{}:{}", w.path.display(), l.line, l.column),
            None => w.path.display().to_string(),
        };
        let _ = writeln!(s, "- `{place}`: {}", w.message);
    }
    s
}

fn guide(s: &mut String, r: &GuideReport) {
    if r.guide.is_empty() {
        let _ = writeln!(s, "## {}: pages outside the guides\n", r.lang);
    } else {
        let _ = writeln!(s, "## {} / {} ({})\n", r.lang, r.guide, r.title);
    }
    for (src, by) in &r.replaced {
        let _ = writeln!(s, "- `{src}` is not imported: its URL {by}");
    }
    if !r.replaced.is_empty() {
        s.push('\n');
    }
    if !r.pages.is_empty() {
        let _ = writeln!(
            s,
            "{} pages:\n\n| Jekyll | guidegen | URL |\n|---|---|---|",
            r.pages.len()
        );
        for p in &r.pages {
            let _ = writeln!(s, "| `{}` | `{}` | `{}` |", p.src, p.dest, p.new_url);
        }
        s.push('\n');
    }
    if !r.counts.is_empty() {
        s.push_str("| converted | count |\n|---|---:|\n");
        for (what, n) in &r.counts {
            let _ = writeln!(s, "| {what} | {n} |");
        }
        s.push('\n');
    }
    if !r.look.is_empty() {
        s.push_str("Needs an author's look:\n\n");
        for (place, what) in &r.look {
            let _ = writeln!(s, "- `{place}`: {what}");
        }
        s.push('\n');
    }
}
