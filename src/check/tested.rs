//! What `check` knows of the steps' tests without running anything: the last result of
//! `guidegen test` for each step (from the build cache), whether the step changed since
//! (its files or its declaration), and findings for a step whose test failed or whose
//! result no longer holds. A step never tested is listed in the report, not warned
//! about: a site that does not use `guidegen test` gets no new warnings.

use super::Findings;
use crate::diag::{Code, Diagnostic, Level};
use crate::output::cache::Cache;
use crate::pipeline::steps::{self, Record, Source, Status, date};

/// One step as the report shows it.
#[derive(Debug, Clone)]
pub struct StepState {
    /// The folder inside examples/ (`flask/010_basic`).
    pub step: String,
    /// (language, guide) of the guides that show it.
    pub guides: Vec<(String, String)>,
    /// Whether a test is declared (a command), and where.
    pub(crate) source: Source,
    /// Its last result, if `guidegen test` ran here.
    pub(crate) last: Option<Record>,
    /// The last result is of the step as it is now.
    pub current: bool,
}

impl StepState {
    /// A short word for the result: passed, failed, timed-out, not-run, no-test (files
    /// checked, no test declared), changed (since the last test), not-tested (never),
    /// none-declared (never checked, and no test declared).
    pub fn result(&self) -> &'static str {
        steps::result_word(self.last.as_ref(), self.current, &self.source)
    }

    /// When it was last tested, `YYYY-MM-DD HH:MM` UTC.
    pub fn when(&self) -> Option<String> {
        self.last.as_ref().map(|r| date(r.when))
    }
}

/// Every step's state, and findings for failed and stale ones.
pub(super) fn check(found: &mut Findings<'_>) -> Vec<StepState> {
    let model = &found.build().model;
    let cache = Cache::open_read(&model.config.root);
    let mut out = Vec::new();
    for step in steps::steps(model) {
        if let Some(d) = &step.problem {
            found.add(Code::ExampleSyntax, d.clone(), None);
        }
        let (last, current) = steps::last(cache.as_ref(), &model.examples, &step);
        if let Some(r) = &last {
            finding(found, &step.rel, r, current);
        }
        out.push(StepState {
            step: step.rel,
            guides: step.guides,
            source: step.source,
            last,
            current,
        });
    }
    out
}

fn finding(found: &mut Findings<'_>, step: &str, r: &Record, current: bool) {
    let shown = format!("examples/{step}");
    let rerun = format!("run `guidegen test --step {step}` and commit what it needs");
    if !current {
        let d = Diagnostic::warning(
            &shown,
            format!(
                "the step changed since its test last ran ({}, {})",
                date(r.when),
                word(r.status)
            ),
        )
        .with_help(rerun);
        found.add(Code::StepUntested, d, None);
        return;
    }
    if matches!(r.status, Status::Failed | Status::TimedOut | Status::NotRun) {
        let how = match (r.status, r.exit) {
            (Status::TimedOut, _) => "ran past its timeout".to_string(),
            (Status::NotRun, _) => "did not run: its files have errors".to_string(),
            (_, Some(code)) => format!("failed with exit status {code}"),
            _ => "failed".to_string(),
        };
        let d = Diagnostic::warning(&shown, format!("the step's test {how} ({})", date(r.when)))
            .with_help(format!("`guidegen test --step {step}` shows why; {rerun}"));
        // `check` reports what `guidegen test` found; the failure itself is its error.
        found.add_at(Code::StepFailed, Level::Warning, d, None);
    }
}

fn word(s: Status) -> &'static str {
    match s {
        Status::Passed => "passed",
        Status::Failed => "failed",
        Status::TimedOut => "timed out",
        Status::NotRun => "not run",
        Status::NoTest => "files checked, no test declared",
    }
}
