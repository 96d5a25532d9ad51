//! How `guidegen test` prints what it found: the findings as `check` prints them (text
//! with the source line and caret, JSON, GitHub annotations), then a line per step, and
//! the findings a step's result makes (its failure with the end of its output).

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{StepResult, TestOutcome};
use crate::check::Format;
use crate::check::format::{by_code, codes_json, finding_json, findings_text, github_findings};
use crate::diag::{Code, Diagnostic};
use crate::pipeline::Model;
use crate::pipeline::steps::{Record, Status, Step};

/// The JSON document's schema version.
const SCHEMA: &str = "guidegen-test/1";

pub(super) fn render(o: &TestOutcome, format: Format, color: bool) -> String {
    match format {
        Format::Text => {
            let mut s = findings_text(&o.findings, color);
            s.push_str(&steps_text(o));
            s.push_str(&summary(o));
            s
        }
        Format::Json => serde_json::to_string_pretty(&doc(o)).unwrap_or_default() + "\n",
        Format::Github => {
            let mut s = github_findings(&o.findings);
            s.push_str(&summary(o));
            s
        }
    }
}

fn steps_text(o: &TestOutcome) -> String {
    let mut s = String::new();
    for r in &o.steps {
        let how = match (r.result, r.cached) {
            ("skipped", _) => "files checked; not run (--no-run)".to_string(),
            ("no-test", _) => "files checked; no test declared".to_string(),
            ("not-run", _) => "not run: its files have errors".to_string(),
            (word, true) => format!("{word} (unchanged since it last ran)"),
            (word, false) => format!("{word} in {:.1} s", r.seconds),
        };
        let _ = writeln!(s, "step examples/{}: {how}", r.step);
    }
    s
}

/// `test: 1 error, 0 warnings; 38 files checked; 4 steps: 3 passed, 1 failed (2 from the cache) in 4.1 s`.
fn summary(o: &TestOutcome) -> String {
    let errors = o.errors();
    let warnings = o.findings.len() - errors;
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for r in &o.steps {
        match counts.iter_mut().find(|(w, _)| *w == r.result) {
            Some(c) => c.1 += 1,
            None => counts.push((r.result, 1)),
        }
    }
    let cached = o.steps.iter().filter(|r| r.cached).count();
    let mut s = format!(
        "test: {errors} error{}, {warnings} warning{}; {} file{} checked; {} step{}",
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
        o.files,
        if o.files == 1 { "" } else { "s" },
        o.steps.len(),
        if o.steps.len() == 1 { "" } else { "s" },
    );
    if !counts.is_empty() {
        let list: Vec<String> = counts.iter().map(|(w, n)| format!("{n} {w}")).collect();
        let _ = write!(s, ": {}", list.join(", "));
    }
    if cached > 0 {
        let _ = write!(s, " ({cached} from the cache)");
    }
    let codes: Vec<String> = by_code(&o.findings)
        .iter()
        .map(|(c, n)| format!("{c} {n}"))
        .collect();
    if !codes.is_empty() {
        let _ = write!(s, " [{}]", codes.join(", "));
    }
    let _ = writeln!(s, "; in {:.2} s", o.elapsed.as_secs_f64());
    s
}

fn doc(o: &TestOutcome) -> Value {
    let codes = codes_json(&o.findings);
    json!({
        "schema": SCHEMA,
        "ok": o.errors() == 0,
        "findings": o.findings.iter().map(finding_json).collect::<Vec<_>>(),
        "steps": o.steps.iter().map(|r| json!({
            "step": r.step,
            "result": r.result,
            "cached": r.cached,
            "seconds": r.seconds,
            "command": r.command,
        })).collect::<Vec<_>>(),
        "summary": {
            "errors": o.errors(),
            "warnings": o.findings.len() - o.errors(),
            "files": o.files,
            "steps": o.steps.len(),
            "by_code": codes,
        },
    })
}

/// A step's line of the outcome from its record.
pub(super) fn result(step: &Step, r: &Record, cached: bool) -> StepResult {
    StepResult {
        step: step.rel.clone(),
        result: match r.status {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::TimedOut => "timed-out",
            Status::NotRun => "not-run",
            Status::NoTest => "no-test",
        },
        cached,
        seconds: r.seconds,
        command: r.command.clone(),
    }
}

/// The findings a step's test result makes: a failure or a timeout with the end of its
/// output, and files it wrote into the step.
pub(super) fn ran_findings(step: &Step, r: &Record, model: &Model) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let cmd = r.command.clone().unwrap_or_default();
    let output = || {
        let lines: Vec<String> = r.tail.lines().map(|l| format!("    {l}")).collect();
        format!("the end of its output:\n{}", lines.join("\n"))
    };
    match r.status {
        Status::Failed => {
            let status = r.exit.map_or("was killed by a signal".to_string(), |c| {
                format!("failed with exit status {c}")
            });
            let mut d = Diagnostic::error(step.shown(), format!("`{cmd}` {status}"))
                .with_code(Code::StepFailed);
            if !r.tail.trim().is_empty() {
                d = d.with_note(output());
            }
            out.push(d.with_help(format!(
                "run it in the step's folder to see the whole output; the test is declared by {}",
                declared_by(step)
            )));
        }
        Status::TimedOut => {
            let secs = step.timeout(model);
            let mut d = Diagnostic::error(
                step.shown(),
                format!("`{cmd}` ran past its timeout of {secs} s and was stopped"),
            )
            .with_code(Code::StepTimeout);
            if !r.tail.trim().is_empty() {
                d = d.with_note(output());
            }
            out.push(d.with_help(format!(
                "find what waits (a server, a prompt, the network), or raise `timeout` in {}",
                declared_by(step)
            )));
        }
        _ => {}
    }
    if !r.wrote.is_empty() {
        out.push(
            Diagnostic::warning(
                step.shown(),
                format!("the test wrote into the step's folder: {}", r.wrote.join(", ")),
            )
            .with_code(Code::StepWrote)
            .with_help("write into a temporary folder instead (pytest's tmp_path, fs.mkdtemp): a reader's copy of the step would change when they run it"),
        );
    }
    out
}

fn declared_by(step: &Step) -> String {
    use crate::pipeline::steps::Source;
    match &step.source {
        Source::StepFile => format!(
            "{}/{}",
            step.shown().display(),
            crate::config::testing::STEP_FILE
        ),
        Source::Book(p) => format!("book.toml's [[test.steps]] match = \"{p}\""),
        Source::Default(fw) => format!(
            "the default for unit_tests_chosen: {fw} (override it in book.toml's [[test.steps]])"
        ),
        Source::None => "nothing".into(),
    }
}
