//! How example steps are tested (`guidegen test`, docs/testing-examples.md): book.toml's
//! `[test]` (a timeout, how many at a time, and `[[test.steps]]`, a declaration per
//! pattern of step folders) and the `guidegen-test.toml` a step may hold itself. Both
//! are read here; nothing here runs anything.

use serde::Deserialize;

use crate::diag::Diagnostic;

/// The file inside a step that declares its test.
pub(crate) const STEP_FILE: &str = "guidegen-test.toml";
/// How long a step's test may run unless book.toml says otherwise, in seconds.
pub(crate) const DEFAULT_TIMEOUT: u64 = 300;

/// How one step is tested.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TestDecl {
    /// The test: a shell command run in a copy of the step.
    pub(crate) command: Option<String>,
    /// Run first, in the same copy (installing what the test needs).
    pub(crate) setup: Option<String>,
    /// Environment variables passed through besides PATH and HOME.
    #[serde(default)]
    pub(crate) env: Vec<String>,
    /// Seconds before the test is stopped.
    pub(crate) timeout: Option<u64>,
}

/// book.toml's `[test]`.
#[derive(Debug, Clone, Default)]
pub(crate) struct TestConfig {
    /// Seconds a step's test may run (each declaration may say otherwise).
    pub(crate) timeout: u64,
    /// How many steps run at once (`--jobs` overrides).
    pub(crate) jobs: Option<usize>,
    /// `[[test.steps]]`: (pattern, declaration), the first matching pattern wins.
    pub(crate) steps: Vec<(String, TestDecl)>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTest {
    timeout: Option<u64>,
    jobs: Option<usize>,
    #[serde(default)]
    steps: Vec<RawTestStep>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTestStep {
    /// Step folders inside examples/: `flask/*`, `**` for any depth.
    #[serde(rename = "match")]
    pattern: String,
    command: Option<String>,
    setup: Option<String>,
    #[serde(default)]
    env: Vec<String>,
    timeout: Option<u64>,
}

/// `[test]` checked: timeouts within a day, patterns and commands not empty, variable
/// names that are names.
pub(super) fn resolve(text: &str, raw: RawTest) -> Result<TestConfig, Diagnostic> {
    let err = |key: &str, msg: String| super::key_error(text, key, format!("[test] {msg}"));
    let timeout = raw.timeout.unwrap_or(DEFAULT_TIMEOUT);
    valid_timeout(timeout).map_err(|e| err(e.key, e.message))?;
    if raw.jobs == Some(0) {
        return Err(err("jobs", "jobs must be at least 1".into()));
    }
    let mut steps = Vec::new();
    for s in raw.steps {
        if s.pattern.trim().is_empty() {
            return Err(err(
                "match",
                "a [[test.steps]] entry has an empty `match`".into(),
            ));
        }
        let decl = TestDecl {
            command: s.command,
            setup: s.setup,
            env: s.env,
            timeout: s.timeout,
        };
        valid(&decl).map_err(|e| err(e.key, e.message))?;
        steps.push((s.pattern, decl));
    }
    Ok(TestConfig {
        timeout,
        jobs: raw.jobs,
        steps,
    })
}

/// A value of a test declaration that cannot be used: the key and why.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
struct Invalid {
    key: &'static str,
    message: String,
}

fn invalid(key: &'static str, message: impl Into<String>) -> Invalid {
    Invalid {
        key,
        message: message.into(),
    }
}

fn valid_timeout(t: u64) -> Result<(), Invalid> {
    match t {
        0 => Err(invalid("timeout", "timeout must be at least 1 second")),
        t if t > 86_400 => Err(invalid(
            "timeout",
            format!("timeout of {t} seconds is more than a day"),
        )),
        _ => Ok(()),
    }
}

/// A declaration's values checked.
fn valid(d: &TestDecl) -> Result<(), Invalid> {
    if d.command.as_deref().is_some_and(|c| c.trim().is_empty()) {
        return Err(invalid("command", "`command` is empty"));
    }
    if let Some(t) = d.timeout {
        valid_timeout(t)?;
    }
    for name in &d.env {
        let ok = !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric());
        if !ok {
            return Err(invalid(
                "env",
                format!("`{name}` in `env` is not a variable name"),
            ));
        }
    }
    Ok(())
}

/// A step's own `guidegen-test.toml`, shown as `shown`.
pub(crate) fn step_file(shown: &std::path::Path, text: &str) -> Result<TestDecl, Diagnostic> {
    let decl: TestDecl = toml::from_str(text).map_err(|e| {
        let d = Diagnostic::error(shown, e.message().trim().to_string())
            .with_help("the keys are command, setup, env and timeout (docs/testing-examples.md)");
        match e.span() {
            Some(s) => d.at(text, s.start, s.end),
            None => d,
        }
    })?;
    valid(&decl).map_err(|e| {
        let d = Diagnostic::error(shown, e.message);
        match text.find(e.key) {
            Some(at) => d.at(text, at, at + e.key.len()),
            None => d,
        }
    })?;
    Ok(decl)
}

/// Whether the step folder `step` (inside examples/, `/`-separated) matches `pattern`:
/// `*` stands for any text inside one folder name, `**` for any number of folders.
pub(crate) fn matches(pattern: &str, step: &str) -> bool {
    let p: Vec<&str> = pattern.trim_matches('/').split('/').collect();
    let s: Vec<&str> = step.trim_matches('/').split('/').collect();
    segments(&p, &s)
}

fn segments(p: &[&str], s: &[&str]) -> bool {
    match (p.first(), s.first()) {
        (None, None) => true,
        (Some(&"**"), _) => segments(&p[1..], s) || (!s.is_empty() && segments(p, &s[1..])),
        (Some(a), Some(b)) => name(a.as_bytes(), b.as_bytes()) && segments(&p[1..], &s[1..]),
        _ => false,
    }
}

fn name(p: &[u8], s: &[u8]) -> bool {
    match (p.first(), s.first()) {
        (None, None) => true,
        (Some(b'*'), _) => name(&p[1..], s) || (!s.is_empty() && name(p, &s[1..])),
        (Some(b'?'), Some(_)) => name(&p[1..], &s[1..]),
        (Some(a), Some(b)) => a == b && name(&p[1..], &s[1..]),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(matches("flask/*", "flask/010_basic"));
        assert!(!matches("flask/*", "nodejs/010_basic"));
        assert!(matches("**", "a/b/c"));
        assert!(matches("**/010_*", "flask/010_basic"));
        assert!(matches("flask/0?0_basic", "flask/010_basic"));
        assert!(!matches("flask", "flask/010_basic"));
    }

    #[test]
    fn step_files_are_checked() {
        let p = std::path::Path::new("examples/s/guidegen-test.toml");
        let d = step_file(p, "command = \"pytest\"\nenv = [\"A_B\"]\n").expect("valid");
        assert_eq!(d.command.as_deref(), Some("pytest"));
        assert!(step_file(p, "comand = \"x\"\n").is_err());
        assert!(step_file(p, "command = \"x\"\nenv = [\"1A\"]\n").is_err());
        assert!(step_file(p, "timeout = 0\n").is_err());
    }
}
