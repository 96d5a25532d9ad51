//! `guidegen test`: every example file checked and every step's tests run before the
//! guide is published (docs/testing-examples.md).
//!
//! In order: the site is loaded (never rendered) to learn its steps
//! ([`crate::pipeline::steps`]); every example file is checked without a tool
//! ([`crate::lint`]: YAML and templates, JSON, TOML, Dockerfiles, `.env`, Helm charts)
//! and code with its language's tool ([`tools`]); then each step with a declared test
//! and no error in its files is run in a copy of itself ([`run`]), N at a time, unless
//! the cache holds a result of the step as it is now. Results go to the build cache,
//! where `check` and its report read them. This is the only command that runs
//! programs; `build`, `serve` and `check` never do.

mod format;
mod run;
mod schedule;
mod tools;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::check::{CannotCheck, Finding};
use crate::config::NotesMode;
use crate::diag::{Diagnostic, Level};
use crate::output::cache::Cache;
use crate::pipeline::steps::{self, Step};
use crate::pipeline::{BuildOptions, Model};

/// What `guidegen test` does.
#[derive(Debug, Clone)]
pub struct TestOptions {
    /// The site's folder (holding book.toml).
    pub root: PathBuf,
    /// Only the steps this guide shows (its folder name, in any language).
    pub guide: Option<String>,
    /// Only this step (`flask/010_basic`, or a pattern such as `flask/*`).
    pub step: Option<String>,
    /// How many steps run at once (default: `[test] jobs`, else the number of cores).
    pub jobs: Option<usize>,
    /// Run steps again even when the cache holds a result of them as they are.
    pub force: bool,
    /// Check the files only; run no step's test.
    pub no_run: bool,
    /// Count warnings as errors (for CI).
    pub deny_warnings: bool,
}

/// One step's result.
#[derive(Debug, Clone)]
pub struct StepResult {
    /// The folder inside examples/.
    pub step: String,
    /// passed, failed, timed-out, not-run (errors in its files), no-test, skipped
    /// (`--no-run`).
    pub result: &'static str,
    /// The result is the cache's: the step has not changed since it ran.
    pub cached: bool,
    /// How long the test took, setup included.
    pub seconds: f64,
    /// What ran.
    pub command: Option<String>,
}

/// What `guidegen test` found.
#[derive(Debug)]
pub struct TestOutcome {
    /// Findings, sorted by file and position.
    pub findings: Vec<Finding>,
    /// Every step looked at.
    pub steps: Vec<StepResult>,
    /// Example files checked.
    pub files: usize,
    /// How long it took.
    pub elapsed: Duration,
}

impl TestOutcome {
    /// How many findings are errors.
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.diag.level == Level::Error)
            .count()
    }

    /// The outcome printed in `format` (`color`: terminal colours for text).
    pub fn render(&self, format: crate::check::Format, color: bool) -> String {
        format::render(self, format, color)
    }
}

fn cannot(d: Diagnostic) -> CannotCheck {
    CannotCheck(Box::new(d))
}

/// Check and test the examples of the site at `opts.root`.
pub fn test(opts: &TestOptions) -> Result<TestOutcome, CannotCheck> {
    let start = Instant::now();
    if !opts.root.join("book.toml").is_file() {
        return Err(cannot(crate::config::not_a_site(&opts.root, false)));
    }
    let bopts = BuildOptions {
        drafts: true,
        notes: Some(NotesMode::Warn),
        collect: true,
        ..BuildOptions::new(&opts.root)
    };
    let (model, _) = Model::load(&bopts).map_err(|f| {
        let first = f.diagnostics.into_iter().find(Diagnostic::is_error);
        cannot(first.unwrap_or_else(|| Diagnostic::error("book.toml", "the site cannot be loaded")))
    })?;
    let steps = select(&model, opts)?;
    let mut findings: Vec<Diagnostic> = steps.iter().filter_map(|s| s.problem.clone()).collect();
    let files = example_files(&model, opts, &steps, &mut findings);
    let (cache, warning) = Cache::open(&model.config.root);
    findings.extend(warning);
    findings.extend(static_checks(&files, &cache));
    let jobs = opts
        .jobs
        .or(model.config.test.jobs)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let results = schedule::run_steps(&model, opts, &steps, &cache, &mut findings, jobs);
    let mut findings: Vec<Finding> = findings
        .into_iter()
        .map(|mut d| {
            if opts.deny_warnings {
                d.level = Level::Error;
            }
            Finding {
                diag: d,
                pages: Vec::new(),
                guide: None,
            }
        })
        .collect();
    findings.sort_by_key(|f| f.diag.sort_key());
    Ok(TestOutcome {
        findings,
        steps: results,
        files: files.len(),
        elapsed: start.elapsed(),
    })
}

/// The steps `--guide` and `--step` select (all when neither is given).
fn select(model: &Model, opts: &TestOptions) -> Result<Vec<Step>, CannotCheck> {
    let all = steps::steps(model);
    let names: Vec<String> = all.iter().map(|s| s.rel.clone()).collect();
    let chosen: Vec<Step> = all
        .into_iter()
        .filter(|s| {
            opts.guide
                .as_ref()
                .is_none_or(|g| s.guides.iter().any(|(_, name)| name == g))
                && opts.step.as_ref().is_none_or(|p| {
                    let p = p.trim_start_matches("examples/").trim_matches('/');
                    s.rel == p || crate::config::testing::matches(p, &s.rel)
                })
        })
        .collect();
    if chosen.is_empty() && (opts.guide.is_some() || opts.step.is_some()) {
        let what = match (&opts.guide, &opts.step) {
            (Some(g), None) => format!("the guide '{g}' shows no example step"),
            (_, Some(s)) => format!("no example step matches '{s}'"),
            _ => String::new(),
        };
        let asked = opts.step.clone().unwrap_or_default();
        let mut d = Diagnostic::error("", what).with_help(if names.is_empty() {
            "a step is the examples: folder of a guide or chapter; this site names none".into()
        } else {
            format!("the steps: {}", names.join(", "))
        });
        if let Some(s) = crate::util::text::closest(&asked, names.iter().map(String::as_str)) {
            d = d.with_suggestion(s);
        }
        return Err(cannot(d));
    }
    Ok(chosen)
}

/// An example file: path inside examples/, text (`None`: not text), path to read.
pub(crate) type File = (String, Option<String>, PathBuf);

/// The files to check: every example file, or those of the chosen steps.
fn example_files(
    model: &Model,
    opts: &TestOptions,
    steps: &[Step],
    findings: &mut Vec<Diagnostic>,
) -> Vec<File> {
    let root = model.examples.root();
    let mut rels: Vec<String> = Vec::new();
    let mut refused = Vec::new();
    if opts.guide.is_none() && opts.step.is_none() {
        let (files, r) = model.examples.list_files("");
        rels = files;
        refused.extend(r);
    } else {
        for s in steps {
            let (files, r) = model.examples.list_files(&s.rel);
            rels.extend(files.into_iter().map(|f| format!("{}/{f}", s.rel)));
            refused.extend(r);
        }
    }
    for p in refused {
        findings.push(p.in_file(Path::new("examples"), "", None).as_warning());
    }
    // A step's test declaration is guidegen's file, not an example.
    let step_file = crate::config::testing::STEP_FILE;
    rels.retain(|r| r.rsplit('/').next() != Some(step_file));
    rels.into_par_iter()
        .map(|rel| {
            let abs = root.join(&rel);
            let text = crate::output::open_regular(&abs).and_then(|mut f| {
                let mut s = String::new();
                std::io::Read::read_to_string(&mut f, &mut s)
                    .ok()
                    .map(|_| s)
            });
            (rel, text, abs)
        })
        .collect()
}

/// The built-in checks and the tools' checks of every file.
fn static_checks(files: &[File], cache: &Cache) -> Vec<Diagnostic> {
    let shown = |rel: &str| Path::new("examples").join(rel);
    // Each file read and checked once; the charts then see what their templates read.
    let checked: Vec<(String, &str, crate::lint::Checked)> = files
        .par_iter()
        .filter_map(|(rel, text, _)| {
            let t = text.as_deref()?;
            Some((rel.clone(), t, crate::lint::file(&shown(rel), rel, t)))
        })
        .collect();
    let mut out: Vec<Diagnostic> = Vec::new();
    let mut texts = Vec::with_capacity(checked.len());
    for (rel, t, c) in &checked {
        out.extend(c.problems.iter().cloned());
        texts.push((rel.clone(), *t, c.reads.as_slice()));
    }
    out.extend(crate::lint::charts(Path::new("examples"), &texts));
    out.extend(tools::check_all(files, cache));
    out
}
