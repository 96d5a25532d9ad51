//! Benchmark: how long after saving a file is the new page servable in `guidegen serve`?
//!
//! `cargo bench --bench serve_latency -- [SITE_DIR] [--runs N]` copies the site (default:
//! the repository's own) to a temp folder, adds a shared example file shown by up to 40
//! chapters of the first guide, starts the release binary's `serve` on a free port, and
//! for each run saves a file the way editors do (write + rename) and waits for the
//! server's `reload` event, which it sends only after the rebuilt pages are in place.
//! Two cases: one chapter edited; the shared example file edited. A third measures the
//! way a reader would, from outside: save the chapter, then fetch its page over HTTP
//! again and again until the new text is in it. The report (median, min, max in ms) is
//! printed and written to `target/serve-latency.md`.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).into_iter().flatten() {
        let rel = e.path().strip_prefix(from).expect("inside");
        if rel.starts_with("public") || rel.starts_with("target") || rel.starts_with(".git") {
            continue;
        }
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

/// The chapter files under `dir` (Markdown, not `_`-prefixed), sorted.
fn markdown_pages(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .map(|e| e.path().to_path_buf())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "md")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('_'))
        })
        .collect();
    v.sort();
    v
}

/// Save `text` to `path` `runs` times (a different text each time) and time each save
/// until the server's `reload` event.
fn time_saves(
    ev: &mut BufReader<TcpStream>,
    path: &Path,
    runs: usize,
    text: impl Fn(usize) -> String,
) -> Vec<f64> {
    let mut v = Vec::new();
    for k in 0..runs {
        let t0 = Instant::now();
        save(path, &text(k));
        assert_eq!(wait_event(ev, &["reload", "build-error"]), "reload");
        v.push(t0.elapsed().as_secs_f64() * 1000.0);
        std::thread::sleep(Duration::from_millis(100));
    }
    v
}

/// Save the chapter `runs` times with a new sentence and time each save until a GET of
/// `url` returns a page with that sentence in it.
fn time_saves_http(port: u16, path: &Path, url: &str, runs: usize, original: &str) -> Vec<f64> {
    let mut v = Vec::new();
    for k in 0..runs {
        let marker = format!("Polled edit {k} of {}.", std::process::id());
        let t0 = Instant::now();
        save(path, &format!("{original}\n\n{marker}\n"));
        loop {
            if get(port, url).contains(&marker) {
                break;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(30),
                "{url} never showed the edit"
            );
        }
        v.push(t0.elapsed().as_secs_f64() * 1000.0);
        std::thread::sleep(Duration::from_millis(100));
    }
    v
}

/// The body of `GET url` (empty on any failure: the caller polls again).
fn get(port: u16, url: &str) -> String {
    use std::io::Read;
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    if write!(
        s,
        "GET {url} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .is_err()
    {
        return String::new();
    }
    let mut body = String::new();
    let _ = s.read_to_string(&mut body);
    body
}

/// The URL path of a chapter file: `content/en/flask/020_x.md` -> `/en/flask/020_x.html`,
/// a skeleton chapter as the first guide shows it.
fn page_url(content: &Path, chapter: &Path, guide: &str) -> String {
    let rel = chapter.strip_prefix(content).expect("inside content");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.get(1).is_some_and(|p| p == "_skeleton") {
        parts[1] = guide.to_string();
    }
    let path = parts.join("/");
    format!("/{}", path.strip_suffix(".md").unwrap_or(&path)) + ".html"
}

fn save(path: &Path, text: &str) {
    let tmp = path.with_extension("tmp~");
    std::fs::write(&tmp, text).expect("write");
    std::fs::rename(&tmp, path).expect("rename");
}

fn events(port: u16) -> BufReader<TcpStream> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    write!(s, "GET /__guidegen/events HTTP/1.1\r\nHost: x\r\n\r\n").expect("request");
    let mut r = BufReader::new(s);
    wait_event(&mut r, &["ok"]);
    r
}

fn wait_event(r: &mut BufReader<TcpStream>, names: &[&str]) -> String {
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line).expect("read event") == 0 {
            panic!("event stream closed");
        }
        if let Some(ev) = line.trim_end().strip_prefix("event: ")
            && names.contains(&ev)
        {
            return ev.to_string();
        }
    }
}

/// Kills the server when the benchmark ends, also on a panic.
struct Killer(std::process::Child);

impl Drop for Killer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn stats(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

/// `[SITE] [--runs N]`.
fn parse_args() -> (Option<PathBuf>, usize) {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let mut runs = 15;
    let mut site: Option<PathBuf> = None;
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--runs" {
            runs = args.get(i + 1).and_then(|r| r.parse().ok()).unwrap_or(runs);
            i += 2;
        } else {
            site = Some(PathBuf::from(&args[i]));
            i += 1;
        }
    }
    (site, runs)
}

/// The chapters of the first guide of the default language (or of its skeleton).
fn first_guide_chapters(content: &Path) -> Vec<PathBuf> {
    let mut langs: Vec<PathBuf> = std::fs::read_dir(content)
        .expect("content/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    langs.sort();
    let lang = langs
        .iter()
        .find(|p| p.ends_with("en"))
        .unwrap_or(&langs[0])
        .clone();
    let mut guides: Vec<PathBuf> = std::fs::read_dir(&lang)
        .expect("lang")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_dir()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('_'))
        })
        .collect();
    guides.sort();
    let mut chapters = markdown_pages(&guides[0]);
    if chapters.is_empty() {
        // A guide made from a skeleton: its chapters are the skeleton's.
        chapters = markdown_pages(&lang.join("_skeleton"));
    }
    assert!(
        !chapters.is_empty(),
        "no chapters found in {}",
        guides[0].display()
    );
    chapters
}

/// Add a shared example file shown by up to 40 chapters; returns it and how many show it.
fn add_shared_example(root: &Path, chapters: &[PathBuf]) -> (PathBuf, usize) {
    let shared = root.join("examples/bench-shared/values.yaml");
    std::fs::create_dir_all(shared.parent().expect("parent")).expect("mkdir");
    std::fs::write(
        &shared,
        "app:\n  replicas: 1\n  image: {{ .Values.werf.image.app }}\n",
    )
    .expect("write");
    let users = chapters.len().min(40);
    for c in &chapters[..users] {
        let t = std::fs::read_to_string(c).expect("read");
        std::fs::write(
            c,
            format!("{t}\n\n<<example \"/bench-shared/values.yaml\">>\n"),
        )
        .expect("write");
    }
    (shared, users)
}

/// Start `guidegen serve --port 0` on `root`; the server and its port.
fn start_server(bin: &Path, root: &Path) -> (Killer, u16) {
    let mut child = Command::new(bin)
        .args([
            "serve",
            "--root",
            root.to_str().expect("utf8"),
            "--port",
            "0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start serve");
    let stdout = child.stdout.take().expect("stdout");
    let server = Killer(child);
    let mut out = BufReader::new(stdout).lines();
    let mut port = 0u16;
    for line in out.by_ref() {
        let line = line.expect("line");
        if let Some(rest) = line.split("at http://127.0.0.1:").nth(1) {
            port = rest
                .split('/')
                .next()
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
        }
        if line.starts_with("Watching") {
            break;
        }
    }
    std::thread::spawn(move || for _ in out {});
    assert!(port != 0, "serve did not start");
    (server, port)
}

fn main() {
    let (site, runs) = parse_args();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let site = site.unwrap_or_else(|| repo.clone());
    let bin = repo.join("target/release/guidegen");
    assert!(
        bin.is_file(),
        "build the release binary first: cargo build --release"
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy_dir(&site, &root);
    let content = root.join("content");
    let chapters = first_guide_chapters(&content);
    let (shared, users) = add_shared_example(&root, &chapters);
    let pages = walkdir::WalkDir::new(&content)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count();
    let (_server, port) = start_server(&bin, &root);

    let mut ev = events(port);
    let chapter = &chapters[users / 2];
    let original = std::fs::read_to_string(chapter).expect("read");
    let one = time_saves(&mut ev, chapter, runs, |k| {
        format!("{original}\n\nEdit number {k}.\n")
    });
    let shared_text = std::fs::read_to_string(&shared).expect("read");
    let many = time_saves(&mut ev, &shared, runs, |k| {
        format!("{shared_text}# edit {k}\n")
    });

    let guide = walkdir::WalkDir::new(&content)
        .min_depth(2)
        .max_depth(2)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .find(|e| {
            e.file_type().is_dir()
                && !e.file_name().to_string_lossy().starts_with('_')
                && chapter.starts_with(e.path().parent().expect("lang"))
        })
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .unwrap_or_default();
    let url = page_url(&content, chapter, &guide);
    let polled = time_saves_http(port, chapter, &url, runs, &original);

    let (m1, lo1, hi1) = stats(one);
    let (m3, lo3, hi3) = stats(polled);
    let (m2, lo2, hi2) = stats(many);
    let report = format!(
        "# guidegen serve: save-to-servable latency\n\nSite: {} ({} Markdown files), {} runs each, release build, the watcher's wait for events to pause included.\n\n| change | median ms | min ms | max ms |\n|---|---:|---:|---:|\n| one chapter (until the reload event) | {m1:.1} | {lo1:.1} | {hi1:.1} |\n| one chapter (until a GET of {url} shows it) | {m3:.1} | {lo3:.1} | {hi3:.1} |\n| shared example shown by {users} pages | {m2:.1} | {lo2:.1} | {hi2:.1} |\n",
        site.display(),
        pages,
        runs
    );
    print!("{report}");
    let _ = std::fs::write(repo.join("target/serve-latency.md"), &report);
}
