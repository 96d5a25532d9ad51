//! `guidegen serve` over real HTTP on loopback: pages, assets, 404, traversal, live
//! edits, broken edits and recovery, the event stream, and a bounded load check.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

struct Server {
    child: Child,
    port: u16,
    _tmp: tempfile::TempDir,
    root: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(fixture_name: &str) -> Server {
    spawn(copy_fixture(fixture_name))
}

/// Start `guidegen serve --port 0` on `<tmp>/site` and read its URL.
fn spawn(tmp: tempfile::TempDir) -> Server {
    let root = tmp.path().join("site");
    let mut child = Command::new(binary())
        .args(["serve", "--root", root.to_str().unwrap(), "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let mut port = 0;
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let Some(Ok(line)) = lines.next() else { break };
        if let Some(rest) = line.strip_prefix("Serving en at http://127.0.0.1:") {
            port = rest.split('/').next().unwrap().parse().unwrap();
        }
        if line.starts_with("Watching") {
            break;
        }
    }
    assert!(port != 0, "server printed its URL");
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server {
        child,
        port,
        _tmp: tmp,
        root,
    }
}

fn wait_for(port: u16, path: &str, what: &str, present: bool) -> Resp {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let r = get(port, path);
        if r.body.contains(what) == present {
            return r;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what:?} (present={present}) at {path}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let p = root.join(rel);
    let t = std::fs::read_to_string(&p).unwrap();
    assert!(t.contains(from), "{rel} has no {from:?}");
    // Editors' atomic save: write a temp file, rename over the original.
    let tmp = p.with_extension("md.tmp~");
    std::fs::write(&tmp, t.replace(from, to)).unwrap();
    std::fs::rename(&tmp, &p).unwrap();
}

#[test]
fn pages_assets_404_and_traversal() {
    let s = start("two_lang");
    let r = get(s.port, "/en/node/010_hello.html");
    assert_eq!(r.status, 200);
    assert!(r.headers.contains("content-type: text/html; charset=utf-8"));
    assert!(r.headers.contains("cache-control: no-store"));
    assert!(r.body.contains("<h1>Hello, Express</h1>"));
    assert!(
        r.body.contains("/__guidegen/client.js"),
        "live reload script injected"
    );
    // Links and the switcher point at the local server.
    assert!(r.body.contains(&format!(
        "href=\"http://127.0.0.1:{}/ru/node/010_hello.html\"",
        s.port
    )));
    // Another machine's browser (--host 0.0.0.0) gets links to the host it asked for.
    let mut c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    write!(
        c,
        "GET /en/node/010_hello.html HTTP/1.1\r\nHost: 192.0.2.7:{}\r\nConnection: close\r\n\r\n",
        s.port
    )
    .unwrap();
    let mut buf = String::new();
    c.read_to_string(&mut buf).unwrap();
    assert!(buf.contains(&format!(
        "href=\"http://192.0.2.7:{}/ru/node/010_hello.html\"",
        s.port
    )));
    let css = get(s.port, "/en/assets/style.css");
    assert_eq!(css.status, 200);
    assert!(css.headers.contains("content-type: text/css"));
    let img = get(s.port, "/en/node/diagram.png");
    assert!(img.status == 200 && img.headers.contains("content-type: image/png"));
    assert_eq!(get(s.port, "/ru/robots.txt").status, 200);
    // Folders: redirect to the slash form, then index.html.
    let dir = get(s.port, "/en/node");
    assert_eq!(dir.status, 301);
    assert!(dir.headers.contains("location: /en/node/"));
    assert!(
        get(s.port, "/en/node/")
            .body
            .contains("Express on Kubernetes")
    );
    assert_eq!(get(s.port, "/").status, 301);
    // Unknown page: the site's 404 page in that language.
    let nf = get(s.port, "/ru/nope.html");
    assert_eq!(nf.status, 404);
    assert!(nf.body.contains("Страница не найдена"));
    // Nothing outside the site, however the path is spelled.
    for p in [
        "/../../../../etc/passwd",
        "/en/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/en/..%2f..%2f..%2fetc/passwd",
        "/en/..\\..\\book.toml",
        "/en/%5c..%5cbook.toml",
        "/book.toml",
        "/content/en/node/010_hello.md",
    ] {
        let r = get(s.port, p);
        assert!(r.status == 400 || r.status == 404, "{p}: {}", r.status);
        assert!(
            !r.body.contains("root:x:0")
                && !r.body.contains("[book]")
                && !r.body.contains("title: Hello"),
            "{p} leaked a file"
        );
    }
}

#[test]
fn edits_broken_edits_and_recovery() {
    let s = start("two_lang");
    let page = "/en/node/010_hello.html";
    assert!(get(s.port, page).body.contains("Install packages with npm"));
    // An edit shows up.
    edit(
        &s.root,
        "content/en/node/010_hello.md",
        "Install packages",
        "Install all packages",
    );
    wait_for(s.port, page, "Install all packages", true);
    // A broken edit keeps the last good page and reports the error.
    let mut events = open_events(s.port);
    edit(
        &s.root,
        "content/en/node/010_hello.md",
        "Install all packages",
        "Install <<frameworkk>> packages",
    );
    let ev = read_event(&mut events, "build-error");
    assert!(ev.contains("unknown variable 'frameworkk'"), "{ev}");
    assert!(ev.contains("content/en/node/010_hello.md:7:9"), "{ev}");
    let r = get(s.port, page);
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("Install all packages"),
        "last good page kept"
    );
    // A new page load while broken gets the error at once.
    let mut again = open_events(s.port);
    assert!(read_event(&mut again, "build-error").contains("frameworkk"));
    // Fixing it recovers.
    edit(
        &s.root,
        "content/en/node/010_hello.md",
        "Install <<frameworkk>> packages",
        "Install <<framework>> packages",
    );
    let data = read_event(&mut events, "reload");
    assert!(
        !data.trim().is_empty(),
        "browsers drop server-sent events that carry no data"
    );
    wait_for(s.port, page, "Install Express packages", true);
    let mut fresh = open_events(s.port);
    read_event(&mut fresh, "ok");
}

#[test]
fn example_and_partial_edits_rebuild_the_pages_that_use_them() {
    let s = start("skeleton");
    let page = "/en/flask/010_build.html";
    assert!(get(s.port, page).body.contains("A partial for Flask."));
    edit(
        &s.root,
        "content/en/_partials/note.md",
        "A partial for",
        "A shared partial for",
    );
    wait_for(s.port, page, "A shared partial for Flask.", true);
    wait_for(
        s.port,
        "/en/nodejs/010_build.html",
        "A shared partial for Express.",
        true,
    );
    let app = s.root.join("examples/flask/010/app.py");
    let t = std::fs::read_to_string(&app)
        .unwrap()
        .replace("return \"Hello\"", "return \"Hello from the example\"");
    std::fs::write(&app, t).unwrap();
    wait_for(s.port, page, "Hello from the example", true);
    // A skeleton edit reaches every guide that extends it.
    edit(
        &s.root,
        "content/en/_skeleton/010_build.md",
        "Files of this step:",
        "Files of this very step:",
    );
    wait_for(s.port, page, "Files of this very step:", true);
    wait_for(
        s.port,
        "/en/nodejs/010_build.html",
        "Files of this very step:",
        true,
    );
    // A new title reaches the neighbours' sidebars and pager links.
    edit(
        &s.root,
        "content/en/_skeleton/020_next.md",
        "title: Next step",
        "title: The next step",
    );
    wait_for(
        s.port,
        page,
        "<span class=\"gg-pager-title\">The next step</span>",
        true,
    );
    // A new chapter appears, with its neighbours' links.
    std::fs::write(
        s.root.join("content/en/_skeleton/015_middle.md"),
        "---\ntitle: In the middle\n---\n\nMiddle.\n",
    )
    .unwrap();
    wait_for(
        s.port,
        "/en/flask/015_middle.html",
        "<h1>In the middle</h1>",
        true,
    );
    wait_for(s.port, page, "href=\"015_middle.html\" rel=\"next\"", true);
}

#[test]
fn new_static_files_and_images_are_served() {
    let s = start("two_lang");
    assert_eq!(get(s.port, "/en/new.txt").status, 404);
    std::fs::write(s.root.join("static/new.txt"), "fresh static file").unwrap();
    wait_for(s.port, "/en/new.txt", "fresh static file", true);
    wait_for(s.port, "/ru/new.txt", "fresh static file", true);
    std::fs::write(s.root.join("content/en/node/photo.png"), "png bytes").unwrap();
    let r = wait_for(s.port, "/en/node/photo.png", "png bytes", true);
    assert!(r.headers.contains("content-type: image/png"));
    // A new folder (a whole new guide) is watched and served.
    let g = s.root.join("content/en/rails");
    std::fs::create_dir_all(g.join("100_basics")).unwrap();
    std::fs::write(
        g.join("_guide.md"),
        "---\ntitle: Rails guide\n---\nRails.\n",
    )
    .unwrap();
    std::fs::write(
        g.join("100_basics/010_start.md"),
        "---\ntitle: Start\n---\nStarting with Rails.\n",
    )
    .unwrap();
    wait_for(
        s.port,
        "/en/rails/100_basics/010_start.html",
        "Starting with Rails.",
        true,
    );
    wait_for(s.port, "/en/", "Rails guide", true);
    // A renamed page moves.
    std::fs::rename(
        s.root.join("content/en/node/100_deploy/2_second.md"),
        s.root.join("content/en/node/100_deploy/3_second.md"),
    )
    .unwrap();
    wait_for(
        s.port,
        "/en/node/100_deploy/3_second.html",
        "Comes before 10.",
        true,
    );
    assert_eq!(get(s.port, "/en/node/100_deploy/2_second.html").status, 404);
    // A deleted page disappears.
    std::fs::remove_file(s.root.join("content/en/node/100_deploy/10_tenth.md")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while get(s.port, "/en/node/100_deploy/10_tenth.html").status != 404 {
        assert!(Instant::now() < deadline, "deleted page still served");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_site_broken_from_the_start_recovers() {
    let tmp = copy_fixture("two_lang");
    let root = tmp.path().join("site");
    let page = root.join("content/en/node/010_hello.md");
    let good = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        good.replace("Install packages", "Install <<nope>> packages"),
    )
    .unwrap();
    let s = spawn(tmp);
    let r = get(s.port, "/en/node/010_hello.html");
    assert_eq!(r.status, 503);
    assert!(
        r.body.contains("unknown variable &#39;nope&#39;")
            || r.body.contains("unknown variable 'nope'"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("/__guidegen/client.js"),
        "the error page reloads itself"
    );
    std::fs::write(s.root.join("content/en/node/010_hello.md"), &good).unwrap();
    wait_for(
        s.port,
        "/en/node/010_hello.html",
        "Install packages with npm",
        true,
    );
}

#[test]
fn many_concurrent_requests() {
    let s = start("two_lang");
    let port = s.port;
    let start = Instant::now();
    let threads: Vec<_> = (0..16)
        .map(|i| {
            std::thread::spawn(move || {
                let paths = [
                    "/en/node/010_hello.html",
                    "/ru/node/010_hello.html",
                    "/en/assets/style.css",
                    "/en/assets/highlight.css",
                ];
                let mut ok = 0;
                for k in 0..25 {
                    let r = get(port, paths[(i + k) % paths.len()]);
                    if r.status == 200 && !r.body.is_empty() {
                        ok += 1;
                    }
                }
                ok
            })
        })
        .collect();
    let ok: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(ok, 400, "every request answered");
    assert!(start.elapsed() < Duration::from_secs(60));
}

#[test]
fn stops_promptly_on_sigterm_even_with_open_event_streams() {
    let mut s = start("two_lang");
    let _events = open_events(s.port);
    let pid = s.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(Instant::now() < deadline, "server did not stop within 5 s");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn port_in_use_is_a_clear_error() {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port().to_string();
    let root = fixture("two_lang");
    let o = guidegen(&["serve", "--root", root.to_str().unwrap(), "--port", &port]);
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains(&format!("port {port} on 127.0.0.1 is already in use")),
        "{e}"
    );
    assert!(e.contains("--port"), "{e}");
}

fn open_events(port: u16) -> BufReader<TcpStream> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "GET /__guidegen/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    BufReader::new(s)
}

/// Read server-sent events until one named `name`; returns its data.
fn read_event(r: &mut BufReader<TcpStream>, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut current = String::new();
    let mut data = String::new();
    let mut line = String::new();
    while Instant::now() < deadline {
        line.clear();
        if r.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        let l = line.trim_end_matches(['\r', '\n']);
        if let Some(ev) = l
            .strip_prefix("event: ")
            .or_else(|| l.strip_prefix("event:"))
        {
            current = ev.trim().to_string();
            data.clear();
        } else if let Some(d) = l.strip_prefix("data: ").or_else(|| l.strip_prefix("data:")) {
            data.push_str(d);
            data.push('\n');
        } else if l.is_empty() && current == name {
            return data;
        }
    }
    panic!("no '{name}' event");
}

#[test]
fn request_data_never_reaches_a_page_unescaped() {
    let s = start("two_lang");
    let evil = "x\"><script>alert(1)</script>";
    let r = get_as(s.port, "/en/node/010_hello.html", evil);
    assert_eq!(r.status, 200);
    assert!(!r.body.contains("<script>alert(1)"), "host reflected");
    // A plain other host is still honoured (pages viewed from another machine).
    let r = get_as(s.port, "/en/node/010_hello.html", "docs.local:8080");
    assert!(
        r.body.contains("http://docs.local:8080/en/"),
        "links for the host used"
    );
    // `//en` must not redirect to a protocol-relative URL (another host).
    for path in ["//en", "//en/node", "/en//node"] {
        let r = get(s.port, path);
        if r.status == 301 {
            let loc = r
                .headers
                .lines()
                .find_map(|l| l.strip_prefix("location: "))
                .unwrap_or("");
            assert!(
                loc.starts_with('/') && !loc.starts_with("//"),
                "{path} -> {loc}"
            );
        }
    }
}

#[test]
fn a_client_that_never_finishes_its_headers_is_dropped() {
    let s = start("two_lang");
    let mut c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    write!(c, "GET /en/ HTTP/1.1\r\nHost: x\r\n").unwrap();
    c.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 64];
    // The server closes the connection (end of stream, or a reset) well before 60 s.
    let closed = match c.read(&mut buf) {
        Ok(n) => n == 0,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    };
    assert!(closed, "the connection stayed open");
    assert!(
        started.elapsed() < Duration::from_secs(45),
        "held for {:?}",
        started.elapsed()
    );
    // Meanwhile and after, others are served.
    assert_eq!(get(s.port, "/en/").status, 200);
}

#[test]
fn content_that_crashed_the_server_is_an_error_in_the_page() {
    let s = start("two_lang");
    let deep = format!(
        "---\ntitle: Deep\n---\n{}x\n{}",
        "<<if framework>>\n".repeat(3000),
        "<<end>>\n".repeat(3000)
    );
    let p = s.root.join("content/en/node/010_hello.md");
    let original = std::fs::read_to_string(&p).unwrap();
    let tmp = p.with_extension("md.tmp~");
    std::fs::write(&tmp, deep).unwrap();
    std::fs::rename(&tmp, &p).unwrap();
    let mut ev = open_events(s.port);
    let e = read_event(&mut ev, "build-error");
    assert!(e.contains("blocks nested more than 64 deep"), "{e}");
    // Still serving the last good site, and recovering on the next save.
    assert_eq!(get(s.port, "/en/node/010_hello.html").status, 200);
    std::fs::write(&tmp, original).unwrap();
    std::fs::rename(&tmp, &p).unwrap();
    wait_for(s.port, "/en/node/010_hello.html", "Hello, Express", true);
}

#[test]
fn a_template_that_would_crash_the_server_is_an_error_in_the_page() {
    let s = start("two_lang");
    let dir = s.root.join("theme/templates");
    std::fs::create_dir_all(&dir).unwrap();
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("theme/templates/base.html"),
    )
    .unwrap();
    let mut ev = open_events(s.port);
    for (broken, says) in [
        (
            base.replace("<body", "{% include \"base.html\" %}<body"),
            "includes itself",
        ),
        (
            base.replace(
                "<body",
                "{% for i in range(end=100000000) %}{% endfor %}<body",
            ),
            "range()",
        ),
    ] {
        let tmp = dir.join("base.html.tmp~");
        std::fs::write(&tmp, broken).unwrap();
        std::fs::rename(&tmp, dir.join("base.html")).unwrap();
        let e = read_event(&mut ev, "build-error");
        assert!(e.contains(says), "{e}");
        assert_eq!(get(s.port, "/en/node/010_hello.html").status, 200);
    }
    std::fs::remove_file(dir.join("base.html")).unwrap();
    wait_for(s.port, "/en/node/010_hello.html", "Hello, Express", true);
}

#[test]
fn a_storm_of_silent_connections_never_keeps_a_reader_waiting() {
    // More silent connections than the server holds at once (1,024): without room made
    // for it, a reader would wait for the 10 s header timeout of the oldest ones.
    let storm = 1_100;
    raise_open_files(storm + 200);
    let s = start("two_lang");
    let started = Instant::now();
    let mut silent = Vec::new();
    for _ in 0..storm {
        let mut c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
        write!(c, "GET /en/ HTTP/1.1\r\nHost: x\r\n").unwrap();
        silent.push(c);
    }
    assert_eq!(get(s.port, "/en/").status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "a reader waited {:?} behind {storm} silent connections",
        started.elapsed()
    );
}

/// Let this test process hold `n` open files (the soft limit is often 1024).
fn raise_open_files(n: usize) {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit read and write the one struct passed to them.
    let ok = unsafe {
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && {
            lim.rlim_cur = lim.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim) == 0
        }
    };
    assert!(
        ok && lim.rlim_cur as usize >= n,
        "this test needs {n} open files; `ulimit -Hn` allows {}",
        lim.rlim_max
    );
}

#[test]
fn search_is_served_and_follows_edits() {
    let s = start("two_lang");
    let r = get(s.port, "/en/search/index.js");
    assert_eq!(r.status, 200);
    assert!(
        r.headers.contains("content-type: text/javascript"),
        "{}",
        r.headers
    );
    assert_eq!(get(s.port, "/ru/search/index.js").status, 200);
    assert!(!get(s.port, "/en/search/d0.js").body.contains("zanzibar"));
    edit(
        &s.root,
        "content/en/node/010_hello.md",
        "# Hello, <<framework>>",
        "# Hello, <<framework>>\n\nA word only this edit has: zanzibar.",
    );
    wait_for(s.port, "/en/search/d0.js", "zanzibar", true);
}

/// Send a GET on `c` (kept alive) and read its whole response; its status.
fn keep_alive_get(c: &mut TcpStream, path: &str) -> u16 {
    write!(c, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut r = BufReader::new(c.try_clone().unwrap());
    let mut status = 0;
    let mut len = 0;
    loop {
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        let l = line.trim_end().to_ascii_lowercase();
        if status == 0 {
            status = l
                .split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
        } else if let Some(n) = l.strip_prefix("content-length:") {
            len = n.trim().parse().unwrap();
        } else if l.is_empty() {
            break;
        }
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body).unwrap();
    status
}

#[test]
fn open_pages_and_idle_connections_never_shut_out_a_reader() {
    // 3,000 open pages listening for reloads and 1,100 idle keep-alive connections: more
    // than the 1,024 connection places, and a reader is still answered at once.
    let (pages, idle) = (3_000, 1_100);
    raise_open_files(pages + idle + 300);
    let s = start("two_lang");
    let mut streams = Vec::new();
    for _ in 0..pages {
        let mut c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
        write!(c, "GET /__guidegen/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        streams.push(c);
    }
    let started = Instant::now();
    assert_eq!(get(s.port, "/en/").status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "a reader waited {:?} behind {pages} open pages",
        started.elapsed()
    );
    let mut kept = Vec::new();
    for _ in 0..idle {
        let mut c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        assert_eq!(keep_alive_get(&mut c, "/en/node/010_hello.html"), 200);
        kept.push(c);
    }
    let started = Instant::now();
    assert_eq!(get(s.port, "/en/").status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "a reader waited {:?} behind {idle} idle connections",
        started.elapsed()
    );
    // Every open page still hears of a rebuild: the first and the last.
    let mut first = BufReader::new(streams[0].try_clone().unwrap());
    let mut last = BufReader::new(streams[pages - 1].try_clone().unwrap());
    for s in [&streams[0], &streams[pages - 1]] {
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    }
    read_event(&mut first, "ok");
    read_event(&mut last, "ok");
    edit(
        &s.root,
        "content/en/node/010_hello.md",
        "# Hello, <<framework>>",
        "# Hello again, <<framework>>",
    );
    read_event(&mut first, "reload");
    read_event(&mut last, "reload");
}
