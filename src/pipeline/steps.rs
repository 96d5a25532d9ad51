//! The example steps of a site and what is known of their tests: shared by `check`
//! and `serve` (which read the last results) and `guidegen test` (which makes them).
//!
//! A step is a folder inside `examples/` that a guide shows: the `examples:` folder of
//! a guide or of one of its chapters (`flask/010_basic`). How it is tested comes from,
//! first to last: its own `guidegen-test.toml`, the first `[[test.steps]]` of book.toml
//! whose `match` fits it, or the default for the test framework its guide names
//! (`unit_tests_chosen: pytest`). The result of its last test is a record of the build
//! cache (`.guidegen-cache/`), keyed by the step's folder and holding the hash of what
//! was tested, so `check` can tell a result that still holds from one the step's edits
//! made stale. Nothing here runs anything.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::testing::{self, STEP_FILE, TestDecl};
use crate::diag::Diagnostic;
use crate::examples::ExampleStore;
use crate::output::cache::{Cache, hash};
use crate::pipeline::Model;

/// The defaults per test framework (`unit_tests_chosen`): (framework, command).
pub(crate) const DEFAULTS: &[(&str, &str)] = &[
    ("pytest", "python3 -m pytest -q"),
    ("unittest", "python3 -m unittest -q"),
    ("node_test", "node --test"),
    ("jest", "npx jest"),
    ("mocha", "npx mocha"),
    ("rspec", "bundle exec rspec"),
    ("minitest", "bundle exec rake test"),
    ("go_test", "go test ./..."),
    ("junit", "mvn -q test"),
    ("phpunit", "vendor/bin/phpunit"),
];

/// Where a step's test declaration comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Source {
    /// The step's own guidegen-test.toml.
    StepFile,
    /// A `[[test.steps]]` entry of book.toml, by its `match`.
    Book(String),
    /// The default for the guide's `unit_tests_chosen`.
    Default(String),
    /// Nothing declares a test: the files are checked, nothing runs.
    None,
}

/// One step.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    /// The folder inside examples/ (`flask/010_basic`).
    pub(crate) rel: String,
    /// (language, guide) of every guide that shows it.
    pub(crate) guides: Vec<(String, String)>,
    /// How it is tested (no command: not tested).
    pub(crate) decl: TestDecl,
    pub(crate) source: Source,
    /// A guidegen-test.toml that cannot be read.
    pub(crate) problem: Option<Diagnostic>,
}

impl Step {
    /// The step's folder as printed (`examples/flask/010_basic`).
    pub(crate) fn shown(&self) -> PathBuf {
        Path::new("examples").join(&self.rel)
    }

    /// The timeout of its test, in seconds.
    pub(crate) fn timeout(&self, model: &Model) -> u64 {
        self.decl.timeout.unwrap_or(model.config.test.timeout)
    }
}

/// Who shows a step: (language, guide) pairs, and the test framework the first names.
type Uses = (Vec<(String, String)>, Option<String>);

/// Every step of the site, sorted by folder.
pub(crate) fn steps(model: &Model) -> Vec<Step> {
    let mut found: BTreeMap<String, Uses> = BTreeMap::new();
    for p in &model.site.pages {
        let dir = crate::vars::examples_dir(&p.vars);
        if dir.is_empty() {
            continue;
        }
        let e = found.entry(dir).or_default();
        if let Some(g) = p.guide {
            let g = (p.lang.clone(), model.site.guides[g].name.clone());
            if !e.0.contains(&g) {
                e.0.push(g);
            }
        }
        if e.1.is_none() {
            e.1 = crate::vars::str_var(&p.vars, "unit_tests_chosen");
        }
    }
    // A folder pages name but examples/ does not have is no step (the pages say so).
    found
        .into_iter()
        .filter(|(rel, _)| model.examples.root().join(rel).is_dir())
        .map(|(rel, (guides, framework))| declare(model, rel, guides, framework))
        .collect()
}

/// How the step at `rel` is tested.
fn declare(
    model: &Model,
    rel: String,
    guides: Vec<(String, String)>,
    framework: Option<String>,
) -> Step {
    let mut step = Step {
        rel,
        guides,
        decl: TestDecl::default(),
        source: Source::None,
        problem: None,
    };
    let file = model.examples.root().join(&step.rel).join(STEP_FILE);
    if file.is_file() {
        let shown = step.shown().join(STEP_FILE);
        let read = crate::output::open_regular(&file)
            .and_then(|mut f| {
                let mut s = String::new();
                std::io::Read::read_to_string(&mut f, &mut s)
                    .ok()
                    .map(|_| s)
            })
            .ok_or_else(|| Diagnostic::error(&shown, "cannot be read as a UTF-8 text file"));
        match read.and_then(|text| testing::step_file(&shown, &text)) {
            Ok(decl) => {
                step.decl = decl;
                step.source = Source::StepFile;
            }
            Err(d) => step.problem = Some(d),
        }
        return step;
    }
    if let Some((pattern, decl)) = model
        .config
        .test
        .steps
        .iter()
        .find(|(p, _)| testing::matches(p, &step.rel))
    {
        step.decl = decl.clone();
        step.source = Source::Book(pattern.clone());
    } else if let Some(fw) = framework
        && let Some((_, cmd)) = DEFAULTS.iter().find(|(name, _)| *name == fw)
    {
        step.decl.command = Some(cmd.to_string());
        step.source = Source::Default(fw);
    }
    step
}

/// How a step's test ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Status {
    Passed,
    Failed,
    TimedOut,
    /// The files were checked; no test is declared.
    NoTest,
    /// The static checks found errors; the test did not run.
    NotRun,
}

/// The last `guidegen test` of a step, as the cache keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Record {
    /// The step's folder inside examples/.
    pub(crate) step: String,
    /// The hash of its files and declaration when it was tested (hex).
    pub(crate) hash: String,
    pub(crate) status: Status,
    /// The command run (setup first, if any).
    pub(crate) command: Option<String>,
    pub(crate) exit: Option<i32>,
    /// When it ended: seconds since 1970 (UTC).
    pub(crate) when: u64,
    pub(crate) seconds: f64,
    /// The end of its output, for a failure.
    pub(crate) tail: String,
    /// Problems the static checks found in its files (errors, warnings).
    pub(crate) errors: usize,
    pub(crate) warnings: usize,
    /// Files the test created, changed or removed in the step's copy.
    #[serde(default)]
    pub(crate) wrote: Vec<String>,
}

/// The kind of the cache's records of tests.
const KIND: &str = "tests";

fn key(step: &str) -> u128 {
    hash(format!("step\0{step}").as_bytes())
}

/// The last record of `step`, when the cache has a whole one.
pub(crate) fn record(cache: &Cache, step: &str) -> Option<Record> {
    let body = cache.get(KIND, key(step))?;
    let r: Record = serde_json::from_slice(&body).ok()?;
    (r.step == step).then_some(r)
}

/// Keep `r` as the last record of its step.
pub(crate) fn store(cache: &Cache, r: &Record) -> Result<(), Diagnostic> {
    let body = serde_json::to_vec(r).unwrap_or_default();
    cache.put(KIND, key(&r.step), &body)
}

/// The hash of what a step's test depends on: its files (names and bytes, in order)
/// and its declaration. `None` when a file cannot be read.
pub(crate) fn fingerprint(examples: &ExampleStore, step: &Step) -> Option<String> {
    let (files, refused) = examples.list_files(&step.rel);
    let mut buf = Vec::new();
    buf.extend_from_slice(serde_json::to_string(&step.decl).ok()?.as_bytes());
    buf.push(0);
    buf.extend_from_slice(format!("{}", refused.len()).as_bytes());
    for rel in files {
        let abs = examples.root().join(&step.rel).join(&rel);
        let mut f = crate::output::open_regular(&abs)?;
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).ok()?;
        buf.push(0);
        buf.extend_from_slice(rel.as_bytes());
        buf.push(0);
        buf.extend_from_slice(&hash(&bytes).to_le_bytes());
    }
    Some(format!("{:032x}", hash(&buf)))
}

/// The last result of `step` in `cache`, and whether it is of the step as it is now.
pub(crate) fn last(
    cache: Option<&Cache>,
    examples: &ExampleStore,
    step: &Step,
) -> (Option<Record>, bool) {
    let last = cache.and_then(|c| record(c, &step.rel));
    let current = last
        .as_ref()
        .is_some_and(|r| fingerprint(examples, step).is_some_and(|h| h == r.hash));
    (last, current)
}

/// A short word for a step's state: passed, failed, timed-out, not-run, no-test (files
/// checked, no test declared), changed (since the last test), not-tested (never),
/// none-declared (never checked, and no test declared).
pub(crate) fn result_word(last: Option<&Record>, current: bool, source: &Source) -> &'static str {
    match (last, current) {
        (None, _) if *source == Source::None => "none-declared",
        (None, _) => "not-tested",
        (Some(_), false) => "changed",
        (Some(r), true) => match r.status {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::TimedOut => "timed-out",
            Status::NotRun => "not-run",
            Status::NoTest => "no-test",
        },
    }
}

/// `YYYY-MM-DD HH:MM` UTC of seconds since 1970.
pub(crate) fn date(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates() {
        assert_eq!(super::date(0), "1970-01-01 00:00 UTC");
        assert_eq!(super::date(1_796_428_800 + 3_660), "2026-12-05 01:01 UTC");
    }
}
