//! The deploy kit's nginx (deploy/nginx), started for a test by tests/nginx/start with a
//! stand-in for werf.io's includes, and stopped (master and workers) when dropped.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

pub(crate) const CHROME: &str = "\n[publish]\nchrome = \"werf.io\"\n";

/// Fixture `two_lang` with `more` added to its book.toml and `files` written, built;
/// (tmp, out).
pub(crate) fn built_with(more: &str, files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let book = std::fs::read_to_string(fixture("two_lang").join("book.toml")).unwrap();
    let book = format!("{book}{more}");
    let mut all = vec![("book.toml", book.as_str())];
    all.extend_from_slice(files);
    let tmp = fixture_with("two_lang", &all);
    let out = tmp.path().join("out");
    let o = build_dir(&tmp.path().join("site"), &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (tmp, out)
}

/// Fixture `two_lang` with the werf.io chrome, built; (tmp, out).
pub(crate) fn built_with_chrome() -> (tempfile::TempDir, PathBuf) {
    built_with(CHROME, &[])
}

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running nginx, stopped with its workers on drop.
pub(crate) struct Nginx {
    child: Child,
    pub(crate) port: u16,
    pub(crate) work: tempfile::TempDir,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

/// Stop an nginx master the way its service manager does (SIGTERM: it stops its workers
/// first), and wait for it; SIGKILL only if it does not go.
pub(crate) fn stop(child: &mut Child) {
    let pid = child.id() as libc::pid_t;
    // SAFETY: kill sends a signal to the process we started; no memory is involved.
    unsafe {
        libc::kill(pid, libc::SIGTERM);
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// nginx with the deploy kit's configuration serving `out`, with the kit's variables
/// set as `env` says (see tests/nginx/start).
pub(crate) fn nginx_with(out: &Path, env: &[(&str, String)]) -> Nginx {
    nginx_with_stub(out, free_port(), env)
}

/// [`nginx_with`], the stand-in includes served on port `stub`.
pub(crate) fn nginx_with_stub(out: &Path, stub: u16, env: &[(&str, String)]) -> Nginx {
    let work = tempfile::tempdir().unwrap();
    let port = free_port();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/nginx/start");
    let mut cmd = Command::new(&script);
    cmd.args([
        out.to_str().unwrap(),
        work.path().to_str().unwrap(),
        &port.to_string(),
        &stub.to_string(),
    ]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("tests/nginx/start runs (scripts/test installs nginx)");
    let n = Nginx { child, port, work };
    wait_listening(port, &n.work.path().join("error.log"));
    n
}

pub(crate) fn nginx(out: &Path) -> Nginx {
    nginx_with(out, &[])
}

/// Wait until something listens on `port` (20 s at most); `log` is shown if not.
pub(crate) fn wait_listening(port: u16, log: &Path) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        let log = std::fs::read_to_string(log).unwrap_or_default();
        assert!(
            Instant::now() < deadline,
            "nginx did not start on port {port}: {log}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
