//! Running one step's test: in a temporary copy of the step (never in the source tree),
//! with a clean environment (PATH, HOME and LANG, plus the names its declaration
//! lists), its setup first, then its command, each in a process group of its own that
//! is stopped at the timeout (and after it ends, so nothing it started lives on). What
//! the command writes into the copy is reported: a reader's copy would change.

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::config::testing::TestDecl;
use crate::output::scratch::StepCopy;
use crate::pipeline::steps::Status;

/// Folders a test run may fill without it being a write into the step: caches of the
/// languages' tools, and what a setup installs.
const SCRATCH: &[&str] = &[
    "__pycache__",
    ".pytest_cache",
    "node_modules",
    ".cache",
    ".npm",
    ".bundle",
    "vendor",
    "target",
];

/// How many lines of output a failure shows.
const TAIL_LINES: usize = 30;

/// What running a step's test gave.
#[derive(Debug, Clone)]
pub(crate) struct Ran {
    pub(crate) status: Status,
    pub(crate) exit: Option<i32>,
    pub(crate) seconds: f64,
    /// The command that failed or ran (the setup, when it is what failed).
    pub(crate) command: String,
    pub(crate) tail: String,
    /// Files the command created, changed or removed in the step (paths inside it).
    pub(crate) wrote: Vec<String>,
}

/// Why a step could not be run at all.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RunError {
    #[error("cannot make a temporary copy of the step: {0}")]
    Copy(std::io::Error),
    #[error("cannot start `sh`: {0}")]
    Spawn(std::io::Error),
}

/// Run the test of the step whose files (`files`: path inside the step, path to read)
/// are given, as `decl` says, stopping it after `timeout`.
pub(crate) fn run(
    files: &[(String, PathBuf)],
    decl: &TestDecl,
    command: &str,
    timeout: Duration,
) -> Result<Ran, RunError> {
    let start = Instant::now();
    let copy = StepCopy::new(files).map_err(RunError::Copy)?;
    let copy = copy.path();
    let deadline = start + timeout;
    if let Some(setup) = &decl.setup {
        let r = shell(copy, setup, decl, deadline)?;
        if r.status != Status::Passed {
            return Ok(Ran {
                seconds: start.elapsed().as_secs_f64(),
                ..r
            });
        }
    }
    let before = snapshot(copy);
    let mut r = shell(copy, command, decl, deadline)?;
    let after = snapshot(copy);
    r.wrote = changes(&before, &after);
    r.seconds = start.elapsed().as_secs_f64();
    Ok(r)
}

/// Run `sh -c line` in `dir` until it ends or `deadline`.
fn shell(dir: &Path, line: &str, decl: &TestDecl, deadline: Instant) -> Result<Ran, RunError> {
    let out = tempfile::tempfile().map_err(RunError::Spawn)?;
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(line)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(out.try_clone().map_err(RunError::Spawn)?)
        .stderr(out.try_clone().map_err(RunError::Spawn)?)
        .process_group(0);
    clean_env(&mut cmd, &decl.env);
    let mut child = cmd.spawn().map_err(RunError::Spawn)?;
    let pid = child.id() as i32;
    let mut timed_out = false;
    let status: Option<ExitStatus> = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if Instant::now() >= deadline => {
                timed_out = true;
                kill_group(pid);
                break child.wait().ok();
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break None,
        }
    };
    // Whatever the command left running (a server it started) ends with it.
    kill_group(pid);
    let exit = status.and_then(|s| s.code());
    let ok = !timed_out && status.is_some_and(|s| s.success());
    Ok(Ran {
        status: match (timed_out, ok) {
            (true, _) => Status::TimedOut,
            (false, true) => Status::Passed,
            (false, false) => Status::Failed,
        },
        exit,
        seconds: 0.0,
        command: line.to_string(),
        tail: tail(out),
        wrote: Vec::new(),
    })
}

/// The environment of every program `guidegen test` starts: only PATH and HOME as
/// guidegen has them, `LANG=C.UTF-8`, and the variables named in `pass`.
pub(super) fn clean_env(cmd: &mut Command, pass: &[String]) {
    cmd.env_clear();
    let names = ["PATH", "HOME"]
        .into_iter()
        .chain(pass.iter().map(String::as_str));
    for name in names {
        if let Some(v) = std::env::var_os(name) {
            cmd.env(name, v);
        }
    }
    cmd.env("LANG", "C.UTF-8");
}

fn kill_group(pid: i32) {
    // SAFETY: kill(2) with a negative pid signals the process group the child leads;
    // it has no memory effects on this process.
    unsafe {
        libc::kill(-pid, libc::SIGKILL);
    }
}

/// The last lines of the output file.
fn tail(mut f: std::fs::File) -> String {
    const MAX: u64 = 64 * 1024;
    let len = f.seek(SeekFrom::End(0)).unwrap_or(0);
    let _ = f.seek(SeekFrom::Start(len.saturating_sub(MAX)));
    let mut bytes = Vec::new();
    let _ = f.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(TAIL_LINES)..].join("\n")
}

/// Every file of `dir` outside the scratch folders: path -> (size, modified).
fn snapshot(dir: &Path) -> BTreeMap<String, (u64, Option<std::time::SystemTime>)> {
    let mut out = BTreeMap::new();
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| {
            !(e.file_type().is_dir() && SCRATCH.contains(&e.file_name().to_string_lossy().as_ref()))
        });
    for e in walk.flatten() {
        if e.file_type().is_dir() {
            continue;
        }
        let rel = e
            .path()
            .strip_prefix(dir)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let meta = e.metadata().ok();
        out.insert(
            rel,
            (
                meta.as_ref().map_or(0, |m| m.len()),
                meta.and_then(|m| m.modified().ok()),
            ),
        );
    }
    out
}

type Snapshot = BTreeMap<String, (u64, Option<std::time::SystemTime>)>;

fn changes(before: &Snapshot, after: &Snapshot) -> Vec<String> {
    let mut out: Vec<String> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(v))
        .map(|(k, _)| k.clone())
        .collect();
    out.extend(before.keys().filter(|k| !after.contains_key(*k)).cloned());
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(files: &[(&str, &str)]) -> (tempfile::TempDir, Vec<(String, PathBuf)>) {
        let d = tempfile::tempdir().expect("tempdir");
        let mut list = Vec::new();
        for (rel, text) in files {
            let p = d.path().join(rel);
            std::fs::write(&p, text).expect("write");
            list.push((rel.to_string(), p));
        }
        (d, list)
    }

    #[test]
    fn passes_fails_times_out_and_sees_writes() {
        let (src, files) = step(&[("t.sh", "echo hello; exit ${CODE:-0}\n")]);
        let decl = TestDecl::default();
        let t = Duration::from_secs(20);
        let r = run(&files, &decl, "sh t.sh", t).expect("run");
        assert_eq!(r.status, Status::Passed);
        assert_eq!(r.tail, "hello");
        let r = run(&files, &decl, "echo out; exit 3", t).expect("run");
        assert_eq!((r.status, r.exit), (Status::Failed, Some(3)));
        let r = run(&files, &decl, "sleep 30", Duration::from_millis(300)).expect("run");
        assert_eq!(r.status, Status::TimedOut);
        assert!(r.seconds < 5.0, "{}", r.seconds);
        let r = run(
            &files,
            &decl,
            "echo x > new.txt; mkdir -p __pycache__; echo y > __pycache__/c",
            t,
        )
        .expect("run");
        assert_eq!(r.wrote, ["new.txt"]);
        // The source is never touched.
        let names: Vec<_> = std::fs::read_dir(src.path())
            .expect("dir")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn the_environment_is_clean() {
        let (_src, files) = step(&[("a", "")]);
        // SAFETY: a variable only this test reads, set before the child starts.
        unsafe { std::env::set_var("GUIDEGEN_TEST_SECRET", "s3cret") };
        let mut decl = TestDecl::default();
        let r = run(
            &files,
            &decl,
            "echo \"[$GUIDEGEN_TEST_SECRET]\"",
            Duration::from_secs(20),
        )
        .expect("run");
        assert_eq!(r.tail, "[]");
        decl.env = vec!["GUIDEGEN_TEST_SECRET".into()];
        let r = run(
            &files,
            &decl,
            "echo \"[$GUIDEGEN_TEST_SECRET]\"",
            Duration::from_secs(20),
        )
        .expect("run");
        assert_eq!(r.tail, "[s3cret]");
    }
}
