//! Which steps run, and running them: a step with no declared test, or with errors in
//! its files, is recorded as such; a step whose last run passed and which has not
//! changed since (its files and its declaration hashed) takes that result from the
//! cache; the others run, `jobs` at a time, and their results are kept for the next
//! `guidegen test` and for `check`.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use super::{StepResult, TestOptions, format, run};
use crate::diag::{Code, Diagnostic};
use crate::output::cache::Cache;
use crate::pipeline::Model;
use crate::pipeline::steps::{self, Record, Status, Step};

/// What to do with a step.
enum Plan {
    /// `--no-run`: its files are checked, nothing more.
    Skip,
    /// Its result is known without running it (no test, errors in its files).
    Known(Record),
    /// Its last run passed and it has not changed.
    Cached(Record),
    /// Run it; the record to fill.
    Run(Record),
}

fn plan(
    model: &Model,
    opts: &TestOptions,
    cache: &Cache,
    step: &Step,
    found: &[Diagnostic],
) -> Plan {
    if opts.no_run {
        return Plan::Skip;
    }
    let prefix = step.shown();
    let mine = || found.iter().filter(|d| d.path.starts_with(&prefix));
    let errors = mine().filter(|d| d.is_error()).count();
    let fingerprint = steps::fingerprint(&model.examples, step).unwrap_or_default();
    let base = Record {
        step: step.rel.clone(),
        hash: fingerprint.clone(),
        status: Status::Passed,
        command: step.decl.command.clone(),
        exit: None,
        when: now(),
        seconds: 0.0,
        tail: String::new(),
        errors,
        warnings: mine().count() - errors,
        wrote: Vec::new(),
    };
    if step.decl.command.is_none() {
        return Plan::Known(Record {
            status: Status::NoTest,
            ..base
        });
    }
    if errors > 0 {
        return Plan::Known(Record {
            status: Status::NotRun,
            ..base
        });
    }
    // Only a pass is taken from the cache (as `go test` does): a failure may be the
    // machine's (a tool missing) and runs again.
    match steps::record(cache, &step.rel) {
        Some(r)
            if !opts.force
                && !fingerprint.is_empty()
                && r.hash == fingerprint
                && r.status == Status::Passed =>
        {
            Plan::Cached(r)
        }
        _ => Plan::Run(base),
    }
}

/// Run every chosen step's test (or take its result from the cache).
pub(super) fn run_steps(
    model: &Model,
    opts: &TestOptions,
    steps: &[Step],
    cache: &Cache,
    findings: &mut Vec<Diagnostic>,
    jobs: usize,
) -> Vec<StepResult> {
    let mut results = Vec::new();
    let mut to_run = Vec::new();
    let mut keep = Vec::new();
    for step in steps {
        match plan(model, opts, cache, step, findings) {
            Plan::Skip => results.push(StepResult {
                step: step.rel.clone(),
                result: "skipped",
                cached: false,
                seconds: 0.0,
                command: step.decl.command.clone(),
            }),
            Plan::Known(r) => {
                results.push(format::result(step, &r, false));
                keep.push(r);
            }
            Plan::Cached(r) => {
                findings.extend(format::ran_findings(step, &r, model));
                results.push(format::result(step, &r, true));
            }
            Plan::Run(base) => to_run.push((step, base)),
        }
    }
    let ran = parallel(model, &to_run, jobs);
    for ((step, base), outcome) in to_run.into_iter().zip(ran) {
        match outcome {
            Ok(ran) => {
                let r = Record {
                    status: ran.status,
                    command: Some(ran.command),
                    exit: ran.exit,
                    when: now(),
                    seconds: ran.seconds,
                    tail: ran.tail,
                    wrote: ran.wrote,
                    ..base
                };
                findings.extend(format::ran_findings(step, &r, model));
                results.push(format::result(step, &r, false));
                keep.push(r);
            }
            Err(e) => findings
                .push(Diagnostic::error(step.shown(), e.to_string()).with_code(Code::StepFailed)),
        }
    }
    for r in &keep {
        if let Err(d) = steps::store(cache, r) {
            findings.push(d.as_warning());
            break;
        }
    }
    results.sort_by(|a, b| a.step.cmp(&b.step));
    results
}

/// Run the steps' tests, `jobs` at a time, in order of `work`.
fn parallel(
    model: &Model,
    work: &[(&Step, Record)],
    jobs: usize,
) -> Vec<Result<run::Ran, run::RunError>> {
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<Option<Result<run::Ran, run::RunError>>>> =
        Mutex::new((0..work.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..jobs.clamp(1, work.len().max(1)) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some((step, _)) = work.get(i) else { break };
                    let r = run_step(model, step);
                    if let Ok(mut d) = done.lock() {
                        d[i] = Some(r);
                    }
                }
            });
        }
    });
    done.into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(run::RunError::Spawn(std::io::Error::other("not run")))))
        .collect()
}

fn run_step(model: &Model, step: &Step) -> Result<run::Ran, run::RunError> {
    let (files, _) = model.examples.list_files(&step.rel);
    let dir = model.examples.root().join(&step.rel);
    let files: Vec<(String, PathBuf)> = files
        .into_iter()
        .filter(|f| f != crate::config::testing::STEP_FILE)
        .map(|f| {
            let abs = dir.join(&f);
            (f, abs)
        })
        .collect();
    let command = step.decl.command.clone().unwrap_or_default();
    run::run(
        &files,
        &step.decl,
        &command,
        Duration::from_secs(step.timeout(model)),
    )
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
