//! Published inside the real werf.io: the deploy kit's nginx when werf.io's includes
//! fail (refused, an error page, a hang, gzip, a host DNS does not know), an ingress
//! that fills the includes, old URLs that redirect, the files werf.io includes from the
//! guides, the chart for one domain per release, and a build for publishing.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;
use crate::kit::*;

/// A GET of `path` on `port` as `host` with extra request headers: (status, head, body
/// bytes, seconds taken).
fn fetch(port: u16, path: &str, host: &str, headers: &str) -> (u16, String, Vec<u8>, f64) {
    let t = Instant::now();
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\n{headers}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let at = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(buf.len());
    let head = String::from_utf8_lossy(&buf[..at]).to_ascii_lowercase();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut body = buf[(at + 4).min(buf.len())..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    (status, head, body, t.elapsed().as_secs_f64())
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(nl) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(String::from_utf8_lossy(&b[..nl]).trim(), 16).unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[nl + 2..nl + 2 + size]);
        b = &b[nl + 2 + size + 2..];
    }
}

/// A host that accepts connections and never answers.
fn hanging_host() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in l.incoming().flatten() {
            held.push(c);
        }
    });
    port
}

/// A host that answers every request with gzip bytes, whatever was asked for.
fn gzip_host() -> u16 {
    let mut gz = Command::new("gzip")
        .arg("-c")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("gzip runs");
    gz.stdin
        .take()
        .unwrap()
        .write_all(b"<meta name=\"host-gzip\" content=\"GZIP FROM HOST\">")
        .unwrap();
    let bytes = gz.wait_with_output().unwrap().stdout;
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut c in l.incoming().flatten() {
            let mut req = [0u8; 4096];
            let _ = c.read(&mut req);
            let _ = write!(
                c,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                bytes.len()
            );
            let _ = c.write_all(&bytes);
        }
    });
    port
}

/// What a page must be whatever the includes did: 200 within `secs`, its own title and
/// head, no error page and no compressed bytes pasted in.
fn assert_whole(what: &str, n: &Nginx, secs: f64) {
    for (host, lang) in [("werf.io", "en"), ("ru.werf.io", "ru")] {
        for ae in ["", "Accept-Encoding: gzip\r\n"] {
            let (status, head, body, took) = fetch(n.port, "/guides/node/010_hello.html", host, ae);
            assert_eq!(status, 200, "{what}: {host}");
            assert!(took < secs, "{what}: {host} took {took:.1} s");
            let body = if head.contains("content-encoding: gzip") {
                let mut gz = Command::new("gzip")
                    .arg("-dc")
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .spawn()
                    .unwrap();
                gz.stdin.take().unwrap().write_all(&body).unwrap();
                gz.wait_with_output().unwrap().stdout
            } else {
                body
            };
            assert!(
                !body.windows(2).any(|w| w == [0x1f, 0x8b]),
                "{what}: gzip bytes in the page"
            );
            let html = String::from_utf8_lossy(&body);
            let title = if lang == "en" {
                "<title>Hello, Express"
            } else {
                "<title>Привет, Express"
            };
            assert!(
                html.contains(title),
                "{what}: {host}: the page's title is gone:\n{html}"
            );
            let page_head = &html[..html.find("</head>").unwrap_or(0)];
            assert!(
                page_head.contains("rel=\"canonical\"") && page_head.contains("hreflang=\"ru\""),
                "{what}: {host}: the head lost its links"
            );
            for bad in ["HOST FAILED", "Bad Gateway", "<!--#"] {
                assert!(!html.contains(bad), "{what}: {host}: {bad:?} in the page");
            }
        }
    }
}

#[test]
#[ignore = "needs nginx: scripts/test runs it (cargo test -- --ignored)"]
fn includes_that_fail_never_break_a_page() {
    let (_tmp, out) = built_with_chrome();
    let refused = free_port();
    let hang = hanging_host();
    let gzip = gzip_host();
    type Url = Box<dyn Fn(u16) -> String>;
    let cases: Vec<(&str, Url)> = vec![
        (
            "refused",
            Box::new(move |_| format!("http://127.0.0.1:{refused}/includes/")),
        ),
        (
            "502 with a page",
            Box::new(|stub| format!("http://127.0.0.1:{stub}/fail/502/")),
        ),
        (
            "404 with a page",
            Box::new(|stub| format!("http://127.0.0.1:{stub}/fail/404/")),
        ),
        (
            "hangs",
            Box::new(move |_| format!("http://127.0.0.1:{hang}/includes/")),
        ),
        (
            "gzip",
            Box::new(move |_| format!("http://127.0.0.1:{gzip}/includes/")),
        ),
        (
            "no DNS for the host",
            Box::new(|_| "http://werf.io.invalid/includes/".to_string()),
        ),
    ];
    for (what, url) in cases {
        let stub = free_port();
        let env = [("INCLUDES_EN", url(stub)), ("INCLUDES_RU", url(stub))];
        let n = nginx_with_stub(&out, stub, &env);
        assert_whole(what, &n, 4.5);
        if what == "gzip" {
            let (_, _, body, _) = fetch(n.port, "/guides/node/010_hello.html", "werf.io", "");
            assert!(
                String::from_utf8_lossy(&body).contains("GZIP FROM HOST"),
                "a host that compresses anyway is decompressed into the page"
            );
        }
    }
}

#[test]
#[ignore = "needs nginx: scripts/test runs it (cargo test -- --ignored)"]
fn nginx_starts_without_dns_for_the_include_host() {
    let (_tmp, out) = built_with_chrome();
    for ssi in ["on", "off"] {
        let n = nginx_with(
            &out,
            &[
                ("SSI", ssi.to_string()),
                (
                    "INCLUDES_EN",
                    "https://werf.io.invalid/includes/".to_string(),
                ),
                (
                    "INCLUDES_RU",
                    "https://ru.werf.io.invalid/includes/".to_string(),
                ),
            ],
        );
        let (status, _, body, took) = fetch(n.port, "/guides/", "werf.io", "");
        assert_eq!(status, 200, "SSI={ssi}");
        assert!(took < 4.5, "SSI={ssi}: {took:.1} s");
        let html = String::from_utf8_lossy(&body);
        assert_eq!(html.contains("<!--#include"), ssi == "off", "SSI={ssi}");
    }
}

/// An nginx in front of the pod, as the ingress controller is in ingress mode: it fills
/// the includes (the chart's snippet: `ssi on; ssi_silent_errors on;`) and fetches
/// /includes/ as docs/publishing.md tells werf.io's operator (deploy/nginx/includes.inc).
struct Ingress {
    child: std::process::Child,
    port: u16,
    _work: tempfile::TempDir,
}

impl Drop for Ingress {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

fn ingress(pod: u16, includes: &str) -> Ingress {
    let work = tempfile::tempdir().unwrap();
    let port = free_port();
    let kit = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/nginx");
    let w = work.path().display();
    let user = if unsafe { libc::getuid() } == 0 {
        "user root;"
    } else {
        ""
    };
    let conf = format!(
        "{user}\npid {w}/nginx.pid;\nerror_log {w}/error.log warn;\nevents {{}}\nhttp {{\n  access_log off;\n  resolver 127.0.0.1 valid=30s ipv6=off;\n  resolver_timeout 2s;\n  client_body_temp_path {w}/t1; proxy_temp_path {w}/t2; fastcgi_temp_path {w}/t3; uwsgi_temp_path {w}/t4; scgi_temp_path {w}/t5;\n  server {{\n    listen 127.0.0.1:{port};\n    location /guides {{\n      proxy_pass http://127.0.0.1:{pod};\n      proxy_set_header Host $host;\n      ssi on;\n      ssi_silent_errors on;\n    }}\n    location ~ ^/includes/(.*)$ {{\n      proxy_pass {includes}$1;\n      include {kit}/includes.inc;\n    }}\n    location @gg_no_include {{ return 200 \"\"; }}\n  }}\n}}\n",
        kit = kit.display()
    );
    std::fs::write(work.path().join("nginx.conf"), conf).unwrap();
    let nginx_bin = ["/usr/sbin/nginx", "nginx"]
        .into_iter()
        .find(|b| Path::new(b).exists())
        .unwrap_or("nginx");
    let child = Command::new(nginx_bin)
        .args([
            "-p",
            &w.to_string(),
            "-c",
            &format!("{w}/nginx.conf"),
            "-g",
            "daemon off;",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("nginx runs");
    wait_listening(port, &work.path().join("error.log"));
    Ingress {
        child,
        port,
        _work: work,
    }
}

#[test]
#[ignore = "needs nginx: scripts/test runs it (cargo test -- --ignored)"]
fn an_ingress_that_fills_the_includes_gets_pages_it_can_read() {
    let (_tmp, out) = built_with_chrome();
    let stub = free_port();
    let pod = nginx_with_stub(&out, stub, &[("SSI", "off".into()), ("GZIP", "off".into())]);
    // The pod answers the page as it is, even to a reader that accepts gzip: the
    // ingress must see the directives.
    let (status, head, body, _) =
        fetch(pod.port, "/guides/", "werf.io", "Accept-Encoding: gzip\r\n");
    assert_eq!(status, 200);
    assert!(!head.contains("content-encoding"), "{head}");
    assert!(
        String::from_utf8_lossy(&body).contains("<!--#include virtual=\"/includes/topnav.html\"")
    );
    // Through the ingress: the host's chrome filled in.
    let front = ingress(pod.port, &format!("http://127.0.0.1:{stub}/en/includes/"));
    let (status, _, body, _) = fetch(front.port, "/guides/node/010_hello.html", "werf.io", "");
    assert_eq!(status, 200);
    let html = String::from_utf8_lossy(&body);
    assert!(
        html.contains("STUB TOPNAV EN") && !html.contains("<!--#"),
        "{html}"
    );
    // And when the host fails, the page is whole.
    let hang = hanging_host();
    for includes in [
        format!("http://127.0.0.1:{stub}/fail/502/"),
        format!("http://127.0.0.1:{hang}/includes/"),
        format!("http://127.0.0.1:{}/includes/", free_port()),
    ] {
        let front = ingress(pod.port, &includes);
        let (status, _, body, took) =
            fetch(front.port, "/guides/node/010_hello.html", "werf.io", "");
        assert_eq!(status, 200, "{includes}");
        assert!(took < 4.5, "{includes}: {took:.1} s");
        let html = String::from_utf8_lossy(&body);
        assert!(html.contains("<title>Hello, Express"), "{includes}: {html}");
        assert!(
            !html.contains("HOST FAILED") && !html.contains("<!--#"),
            "{includes}: {html}"
        );
    }
}

/// The fixture as a migrated guide: old URLs as aliases.
fn migrated() -> (tempfile::TempDir, std::path::PathBuf) {
    built_with(
        CHROME,
        &[
            (
                "content/en/node/010_hello.md",
                "---\ntitle: Hello, <<framework>>\naliases: [node/10_hello.html, \"/old/hello/\"]\n---\nHello.\n",
            ),
            (
                "content/ru/node/010_hello.md",
                "---\ntitle: Привет, <<framework>>\naliases: \"<<guide|raw>>/10_hello.html\"\n---\nПривет.\n",
            ),
        ],
    )
}

#[test]
#[ignore = "needs nginx: scripts/test runs it (cargo test -- --ignored)"]
fn old_urls_redirect_on_every_host_and_on_static_hosts() {
    let (_tmp, out) = migrated();
    // Any static host: a redirect page with the canonical URL and a meta refresh.
    let page = read(&out.join("en/node/10_hello.html"));
    assert!(
        page.contains(
            "<link rel=\"canonical\" href=\"https://werf.io/guides/node/010_hello.html\">"
        ),
        "{page}"
    );
    assert!(
        page.contains("<meta http-equiv=\"refresh\" content=\"0; url=010_hello.html\">"),
        "{page}"
    );
    assert!(read(&out.join("en/old/hello/index.html")).contains("url=../../node/010_hello.html"));
    // nginx: a real 301 on the same host, then the page.
    let n = nginx(&out);
    for (host, old, new) in [
        (
            "werf.io",
            "/guides/node/10_hello.html",
            "/guides/node/010_hello.html",
        ),
        (
            "werf.io",
            "/guides/old/hello/",
            "/guides/node/010_hello.html",
        ),
        (
            "werf.io",
            "/guides/old/hello/index.html",
            "/guides/node/010_hello.html",
        ),
        (
            "ru.werf.io",
            "/guides/node/10_hello.html",
            "/guides/node/010_hello.html",
        ),
    ] {
        let r = get_as(n.port, old, host);
        assert_eq!(r.status, 301, "{host}{old}");
        assert_eq!(r.header("location"), Some(new), "{host}{old}");
        assert_eq!(get_as(n.port, new, host).status, 200);
    }
    // The map itself is not served.
    assert_eq!(
        get_as(n.port, "/guides/redirects.map", "werf.io").status,
        404
    );
}

#[test]
fn sections_as_files_keep_werf_io_urls() {
    let (_tmp, out) = built_with("\n[publish]\nchrome = \"werf.io\"\n", &[]);
    assert!(out.join("en/node/100_deploy/index.html").is_file());
    let book = read(&fixture("two_lang").join("book.toml"));
    let tmp = fixture_with(
        "two_lang",
        &[(
            "book.toml",
            &book.replace("[build]", "[build]\nsection_pages = \"file\""),
        )],
    );
    let out = tmp.path().join("out");
    let o = build_dir(&tmp.path().join("site"), &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.join("en/node/100_deploy.html").is_file());
    assert!(!out.join("en/node/100_deploy/index.html").exists());
    let section = read(&out.join("en/node/100_deploy.html"));
    assert!(
        section.contains("href=\"100_deploy/010_helm.html\""),
        "links from the section to its chapters"
    );
    let chapter = read(&out.join("en/node/100_deploy/010_helm.html"));
    assert!(chapter.contains("href=\"../100_deploy.html\""), "and back");
}

#[test]
#[ignore = "needs nginx: scripts/test runs it (cargo test -- --ignored)"]
fn folders_answer_the_guides_404_and_pages_can_be_revalidated() {
    let (_tmp, out) = built_with_chrome();
    let n = nginx(&out);
    for path in [
        "/guides/assets/",
        "/guides/search/",
        "/guides/node/no-such.html",
    ] {
        let r = get_as(n.port, path, "werf.io");
        assert_eq!(r.status, 404, "{path}");
        assert!(
            r.body.contains("Page not found"),
            "{path}: the guides' own 404"
        );
    }
    let r = get_as(n.port, "/guides/node/010_hello.html", "werf.io");
    assert!(r.header("last-modified").is_some(), "{}", r.headers);
    // (The test's reader lowercases headers; an HTTP date has its own case.)
    let since = r
        .header("last-modified")
        .unwrap()
        .split(' ')
        .map(|w| match w {
            "gmt" => "GMT".to_string(),
            w => {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    let again = get_with(
        n.port,
        "/guides/node/010_hello.html",
        "werf.io",
        &format!("If-Modified-Since: {since}\r\n"),
    );
    assert_eq!(again.status, 304);
}

#[test]
#[ignore = "needs nginx: scripts/test runs it (cargo test -- --ignored)"]
fn werf_io_includes_the_guides_tiles() {
    let (_tmp, out) = built_with_chrome();
    let n = nginx(&out);
    for (host, title) in [
        ("werf.io", "Express on Kubernetes"),
        ("ru.werf.io", "Express"),
    ] {
        let r = get_as(n.port, "/guides/includes/landing-tiles.html", host);
        assert_eq!(r.status, 200, "{host}");
        assert!(
            !r.body.contains("<html") && !r.body.contains("<!--#"),
            "a fragment: {}",
            r.body
        );
        assert!(
            r.body.contains("class=\"gg-tiles\"") && r.body.contains(title),
            "{host}: {}",
            r.body
        );
        assert!(
            r.body
                .contains(&format!("href=\"https://{host}/guides/node/\"")),
            "{}",
            r.body
        );
    }
    // Sites not inside a host have no tiles.
    let (_tmp, plain) = build_fixture("two_lang", &[]);
    assert!(!plain.join("en/includes/landing-tiles.html").exists());
}

#[test]
fn a_build_for_publishing_ships_no_author_notes() {
    let tmp = copy_fixture("two_lang");
    let site = tmp.path().join("site");
    let page = site.join("content/en/node/010_hello.md");
    let text = read(&page);
    std::fs::write(&page, format!("{text}\n{{{{ TODO: finish this }}}}\n")).unwrap();
    let out = tmp.path().join("out");
    let build = |extra: &[&str]| {
        let mut args = vec![
            "build",
            "--root",
            site.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        guidegen(&args)
    };
    assert!(build(&[]).status.success(), "a draft build shows the note");
    let o = build(&["--publish"]);
    assert_eq!(o.status.code(), Some(1));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("010_hello.md") && e.contains("author note"),
        "{e}"
    );
    let book = site.join("book.toml");
    std::fs::write(
        &book,
        read(&book).replace("notes = \"warn\"", "notes = \"hide\""),
    )
    .unwrap();
    let o = build(&["--publish"]);
    assert!(
        o.status.success(),
        "hidden notes may be published: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!read(&out.join("en/node/010_hello.html")).contains("finish this"));
}

/// The chart rendered with these values files (after the defaults), as Helm renders it.
fn chart(values: &[&str]) -> serde_json::Value {
    let tmp = tempfile::tempdir().unwrap();
    let mut args = vec![
        "run".to_string(),
        "tests/helm/render.go".into(),
        "chart".into(),
        "deploy/chart".into(),
    ];
    for (i, v) in ["werf:\n  image:\n    guides: registry.example.com/werf-guides:abc\n"]
        .iter()
        .chain(values)
        .enumerate()
    {
        let p = tmp.path().join(format!("values-{i}.yaml"));
        std::fs::write(&p, v).unwrap();
        args.push(p.to_str().unwrap().to_string());
    }
    let o = Command::new("go")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("GO111MODULE", "off")
        .env("GOPATH", "/usr/share/gocode")
        .args(&args)
        .output()
        .expect("go runs (scripts/test installs it)");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
#[ignore = "needs Go with sprig: scripts/test runs it (cargo test -- --ignored)"]
fn the_chart_deploys_both_hosts_or_one_domain_per_release() {
    let both = chart(&[]);
    let ingress = &both[1];
    let hosts: Vec<&str> = ingress["spec"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["host"].as_str().unwrap())
        .collect();
    assert_eq!(hosts, ["werf.io", "ru.werf.io"]);
    // ru.werf.io's own cluster: its ingress class, cert-manager, its certificate.
    let one = chart(&[
        "hosts:\n  en: null\n  ru: ru.werf.io\ningress:\n  className: nginx-ru\n  annotations:\n    cert-manager.io/cluster-issuer: letsencrypt\n  tlsSecret: guides-ru-tls\n",
    ]);
    let ingress = &one[1];
    assert_eq!(ingress["spec"]["ingressClassName"], "nginx-ru");
    assert_eq!(
        ingress["metadata"]["annotations"]["cert-manager.io/cluster-issuer"],
        "letsencrypt"
    );
    let rules = ingress["spec"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0]["host"], "ru.werf.io");
    assert_eq!(
        ingress["spec"]["tls"][0]["hosts"],
        serde_json::json!(["ru.werf.io"])
    );
    assert_eq!(ingress["spec"]["tls"][0]["secretName"], "guides-ru-tls");
    // In ingress mode the pod leaves the includes and compression to the ingress.
    let ing = chart(&["ssi:\n  mode: ingress\n"]);
    let env = ing[0]["spec"]["template"]["spec"]["containers"][0]["env"].to_string();
    assert!(
        env.contains("{\"name\":\"SSI\",\"value\":\"off\"}"),
        "{env}"
    );
    assert!(
        env.contains("{\"name\":\"GZIP\",\"value\":\"off\"}"),
        "{env}"
    );
    let snippet =
        ing[1]["metadata"]["annotations"]["nginx.ingress.kubernetes.io/configuration-snippet"]
            .as_str()
            .unwrap();
    assert!(
        snippet.contains("ssi on;") && snippet.contains("ssi_silent_errors on;"),
        "{snippet}"
    );
}

#[test]
fn the_image_builds_any_guide_site_with_a_released_guidegen() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docker = read(&root.join("deploy/Dockerfile"));
    let steps: Vec<&str> = docker
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect();
    let steps = steps.join("\n");
    // guidegen by version (the one this repository is at), never compiled from the site.
    let version = format!("ARG GUIDEGEN_VERSION={}", env!("CARGO_PKG_VERSION"));
    assert!(steps.contains(&version), "{version}");
    assert!(steps.contains("--tag \"v${GUIDEGEN_VERSION}\" guidegen"));
    assert!(
        !steps.contains("cargo build"),
        "the site's folder is not compiled"
    );
    assert!(
        steps.contains("guidegen build --publish"),
        "a build for publishing"
    );
    // Every file of deploy/ it copies is there.
    for line in steps.lines().filter(|l| l.starts_with("COPY deploy/")) {
        for f in line.split_whitespace().filter(|w| w.starts_with("deploy/")) {
            assert!(root.join(f).is_file(), "{f}");
        }
    }
    // Every variable the nginx templates use is set by the image (the entrypoint fills
    // NGINX_LOCAL_RESOLVERS itself when NGINX_ENTRYPOINT_LOCAL_RESOLVERS is set).
    for t in ["guides.conf.template", "headers.inc.template"] {
        let text = read(&root.join("deploy/nginx").join(t));
        for var in text.split("${").skip(1).filter_map(|s| s.split('}').next()) {
            let set = steps.contains(&format!("{var}=")) || var == "NGINX_LOCAL_RESOLVERS";
            assert!(set, "{t} uses ${{{var}}}, which the image does not set");
        }
    }
    let ignore = read(&root.join(".dockerignore"));
    for p in [".git", "target", "public", ".guidegen-cache"] {
        assert!(ignore.lines().any(|l| l == p), ".dockerignore lacks {p}");
    }
}

#[test]
fn an_alias_that_is_a_page_or_another_alias_is_an_error_in_build_and_check() {
    for (page, at, other) in [
        // The alias is another page's path.
        (
            "---\ntitle: T\naliases: [node/010_hello.html]\n---\nx\n",
            "030_page.md:3:1",
            "content/en/node/010_hello.md",
        ),
        // Two pages claim one old URL.
        (
            "---\ntitle: T\naliases: [old.html]\n---\nx\n",
            "031_page.md:3:1",
            "an alias of content/en/node/030_page.md",
        ),
    ] {
        let tmp = fixture_with(
            "two_lang",
            &[
                ("content/en/node/030_page.md", page),
                (
                    "content/en/node/031_page.md",
                    "---\ntitle: U\naliases: old.html\n---\ny\n",
                ),
            ],
        );
        let site = tmp.path().join("site");
        let o = build_dir(&site, &tmp.path().join("out"));
        let e = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{e}");
        assert!(e.contains(at) && e.contains(other), "{e}");
        let o = guidegen(&[
            "check",
            "--root",
            site.to_str().unwrap(),
            "--format",
            "json",
        ]);
        assert_eq!(o.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&o.stdout).contains("\"duplicate-output\""));
    }
}

#[test]
fn each_sitemap_can_be_listed_by_the_hosts_sitemap_index() {
    let (_tmp, out) = built_with_chrome();
    for (lang, base) in [
        ("en", "https://werf.io/guides/"),
        ("ru", "https://ru.werf.io/guides/"),
    ] {
        let xml = read(&out.join(lang).join("sitemap.xml"));
        let locs: Vec<&str> = xml
            .split("<loc>")
            .skip(1)
            .filter_map(|s| s.split("</loc>").next())
            .collect();
        assert!(locs.len() >= 4, "{lang}: {locs:?}");
        // A sitemap listed in an index may only hold URLs under its own folder.
        assert!(locs.iter().all(|l| l.starts_with(base)), "{lang}: {locs:?}");
    }
}
