//! Publishing on werf.io: the site served by the deploy kit's real nginx under
//! `/guides/` on both hosts, with the host site's chrome filled in by SSI; the SSI
//! options on and off; the sitemap and robots.txt; the search index; the Helm chart and
//! werf.yaml rendered as Helm and werf render them.

use std::collections::{BTreeSet, VecDeque};
use std::path::Path;
use std::process::Command;

use crate::common::*;
use crate::kit::*;

/// Every `href` and `src` of an HTML page.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].replace("&amp;", "&"));
            }
        }
    }
    out
}

/// `href` resolved against the page path `base` (both absolute paths on one host);
/// `None` for other hosts, fragments only, and other schemes.
fn resolve(base: &str, href: &str) -> Option<String> {
    let href = href.split('#').next().unwrap_or("");
    if href.is_empty() || href.contains(':') || href.starts_with("//") {
        return None;
    }
    let joined = if href.starts_with('/') {
        href.to_string()
    } else {
        format!("{}{href}", &base[..base.rfind('/').unwrap_or(0) + 1])
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Every page and asset reachable from the language's home on `host` answers 200 with
/// the right type; every page has the host's chrome, filled in.
fn crawl(n: &Nginx, host: &str, lang: &str) {
    let mut queue = VecDeque::from(["/guides/".to_string()]);
    let mut seen = BTreeSet::new();
    let mut pages = 0;
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let r = get_as(n.port, &path, host);
        assert_eq!(r.status, 200, "{host}{path}");
        let ct = r.header("content-type").unwrap_or("");
        if path.ends_with('/') || path.ends_with(".html") {
            pages += 1;
            assert!(ct.starts_with("text/html"), "{host}{path}: {ct}");
            for stub in ["STUB HEAD", "STUB TOPNAV", "STUB FOOTER"] {
                assert!(
                    r.body.contains(&format!("{stub} {lang}")),
                    "{host}{path}: no '{stub} {lang}'"
                );
            }
            assert!(
                !r.body.contains("<!--#"),
                "{host}{path}: SSI left unprocessed"
            );
            for l in links(&r.body) {
                if let Some(p) = resolve(&path, &l) {
                    // The host's chrome links its own files (fetched from /includes/).
                    if p.starts_with("/includes/") {
                        assert_eq!(get_as(n.port, &p, host).status, 200, "{host}{p}");
                        continue;
                    }
                    assert!(p.starts_with("/guides/"), "{host}{path} links to {p}");
                    queue.push_back(p);
                }
            }
        } else if path.ends_with(".css") {
            assert!(ct.starts_with("text/css"), "{path}: {ct}");
        } else if path.ends_with(".js") {
            assert!(ct.starts_with("application/javascript"), "{path}: {ct}");
        }
    }
    assert!(pages >= 4, "{host}: only {pages} pages reached");
}

#[test]
#[ignore = "needs nginx: scripts/test runs it (cargo test -- --ignored)"]
fn the_site_works_under_guides_on_both_hosts_through_nginx() {
    let (_tmp, out) = built_with_chrome();
    let n = nginx(&out);
    for (host, lang) in [("werf.io", "EN"), ("ru.werf.io", "RU")] {
        crawl(&n, host, lang);
        // The search index and the per-language files.
        for (path, ct) in [
            ("/guides/search/index.js", "application/javascript"),
            ("/guides/assets/search.js", "application/javascript"),
            ("/guides/assets/stemmers.js", "application/javascript"),
            ("/guides/sitemap.xml", "text/xml"),
            ("/guides/robots.txt", "text/plain"),
        ] {
            let r = get_as(n.port, path, host);
            assert_eq!(r.status, 200, "{host}{path}");
            assert!(
                r.header("content-type").unwrap_or("").starts_with(ct),
                "{path}"
            );
        }
        // An unknown page: that language's 404 page, status 404, chrome and working links.
        let r = get_as(n.port, "/guides/no/such/page.html", host);
        assert_eq!(r.status, 404, "{host}");
        let title = if lang == "EN" {
            "Page not found"
        } else {
            "Страница не найдена"
        };
        assert!(r.body.contains(title), "{host}: {}", r.body);
        assert!(r.body.contains(&format!("STUB TOPNAV {lang}")), "{host}");
        for l in links(&r.body) {
            if let Some(p) = resolve("/guides/no/such/page.html", &l) {
                assert_eq!(
                    get_as(n.port, &p, host).status,
                    200,
                    "404 page links to {p}"
                );
            }
        }
        // `/guides` redirects to `/guides/` on the same host; health check; gzip.
        let r = get_as(n.port, "/guides", host);
        assert_eq!(r.status, 301);
        assert_eq!(r.header("location"), Some("/guides/"));
        assert_eq!(get_as(n.port, "/healthz", host).status, 200);
        let css = get_with(
            n.port,
            "/guides/assets/style.css",
            host,
            "Accept-Encoding: gzip\r\n",
        );
        assert_eq!(css.header("content-encoding"), Some("gzip"));
        assert!(
            css.header("cache-control")
                .unwrap_or("")
                .contains("max-age")
        );
        let page = get_as(n.port, "/guides/", host);
        assert_eq!(page.header("cache-control"), Some("no-cache"));
    }
}

#[test]
#[ignore = "needs nginx: scripts/test runs it (cargo test -- --ignored)"]
fn every_answer_carries_the_security_headers() {
    let (_tmp, out) = built_with_chrome();
    let n = nginx(&out);
    for host in ["werf.io", "ru.werf.io"] {
        for path in [
            "/guides/",
            "/guides/node/010_hello.html",
            "/guides/assets/style.css",
            "/guides/node/diagram.png",
            "/guides/search/index.js",
            "/guides/no/such/page.html",
            "/guides",
            "/elsewhere",
        ] {
            let r = get_as(n.port, path, host);
            for (h, v) in [
                ("x-content-type-options", "nosniff"),
                ("x-frame-options", "sameorigin"),
                ("referrer-policy", "strict-origin-when-cross-origin"),
            ] {
                assert_eq!(r.header(h), Some(v), "{host}{path}: {}", r.headers);
            }
            let csp = r.header("content-security-policy").unwrap_or("");
            assert!(
                csp.contains("default-src 'self'") && csp.contains("object-src 'none'"),
                "{host}{path}: {csp}"
            );
        }
    }
}

#[test]
fn ssi_directives_only_when_asked_for() {
    let (_tmp, out) = build_fixture("two_lang", &[]);
    let plain = read(&out.join("en/node/010_hello.html"));
    assert!(!plain.contains("<!--#include"));
    assert!(plain.contains("<body class=\"gg-kind-chapter gg-standalone\">"));
    let (_tmp, out) = built_with_chrome();
    let hosted = read(&out.join("ru/node/010_hello.html"));
    assert!(hosted.contains("<html lang=\"ru\" dir=\"ltr\" class=\"gg-hosted\">"));
    let head = &hosted[..hosted.find("</head>").unwrap()];
    // Each include falls back to an empty block when the host fails.
    let stub = head
        .find("<!--#block name=\"gg_none\" --><!--#endblock -->")
        .unwrap();
    let inc = head
        .find("<!--#include virtual=\"/includes/head-common.html\" stub=\"gg_none\" -->")
        .unwrap();
    assert!(stub < inc, "the stub block comes first");
    let body = &hosted[hosted.find("<body").unwrap()..];
    let top = body
        .find("<!--#include virtual=\"/includes/topnav.html\" stub=\"gg_none\" -->")
        .unwrap();
    assert!(
        top < body.find("gg-root").unwrap(),
        "topnav before guidegen's page"
    );
    let foot = body
        .find("<!--#include virtual=\"/includes/footer.html\" stub=\"gg_none\" -->")
        .unwrap();
    assert!(foot > body.find("</main>").unwrap() && foot < body.find("</body>").unwrap());
}

#[test]
fn a_head_snippet_without_forking_the_theme() {
    let tmp = fixture_with(
        "two_lang",
        &[(
            "theme/templates/head_extra.html",
            "<script defer src=\"https://stats.example.com/s.js\" data-lang=\"{{ lang }}\"></script>\n",
        )],
    );
    let out = tmp.path().join("out");
    assert!(build_dir(&tmp.path().join("site"), &out).status.success());
    let html = read(&out.join("ru/node/010_hello.html"));
    let head = &html[..html.find("</head>").unwrap()];
    assert!(head.contains("data-lang=\"ru\"></script>"), "{head}");
}

#[test]
fn sitemaps_are_valid_with_alternates_both_ways_and_robots_point_at_them() {
    // The fixture has a static/robots.txt of its own, replacing the generated one as
    // book.toml says ([build] static_replaces).
    let (_tmp, out) = build_fixture("two_lang", &[]);
    assert_eq!(read(&out.join("en/robots.txt")).trim(), "robots");
    let tmp = copy_fixture("two_lang");
    std::fs::remove_file(tmp.path().join("site/static/robots.txt")).unwrap();
    let out = tmp.path().join("out");
    assert!(build_dir(&tmp.path().join("site"), &out).status.success());
    let mut alternates: BTreeSet<(String, String)> = BTreeSet::new();
    for (lang, base) in [
        ("en", "https://werf.io/guides/"),
        ("ru", "https://ru.werf.io/guides/"),
    ] {
        let xml = read(&out.join(format!("{lang}/sitemap.xml")));
        let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "urlset");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.sitemaps.org/schemas/sitemap/0.9")
        );
        let urls: Vec<_> = root.children().filter(|n| n.is_element()).collect();
        assert!(urls.len() >= 4);
        for u in urls {
            assert_eq!(u.tag_name().name(), "url");
            let loc = u
                .children()
                .find(|c| c.tag_name().name() == "loc")
                .and_then(|c| c.text())
                .expect("every url has a loc");
            assert!(loc.starts_with(base), "{loc}");
            for alt in u.children().filter(|c| c.tag_name().name() == "link") {
                assert_eq!(
                    alt.tag_name().namespace(),
                    Some("http://www.w3.org/1999/xhtml")
                );
                assert_eq!(alt.attribute("rel"), Some("alternate"));
                let href = alt.attribute("href").expect("href");
                if href != loc {
                    alternates.insert((loc.to_string(), href.to_string()));
                }
            }
        }
        let robots = read(&out.join(format!("{lang}/robots.txt")));
        assert!(robots.contains("User-agent: *"));
        assert!(
            robots.contains(&format!("Sitemap: {base}sitemap.xml")),
            "{robots}"
        );
    }
    // Both ways: every alternate a -> b has b -> a.
    assert!(!alternates.is_empty());
    for (a, b) in &alternates {
        assert!(
            alternates.contains(&(b.clone(), a.clone())),
            "{a} -> {b} only one way"
        );
    }
}

#[test]
fn each_language_has_its_search_index() {
    let (_tmp, out) = build_fixture("two_lang", &[]);
    for (lang, word) in [("en", "hello"), ("ru", "привет")] {
        let manifest = read(&out.join(format!("{lang}/search/index.js")));
        assert!(
            manifest.starts_with("ggSearchLoad(\"index\","),
            "{manifest}"
        );
        let shards = std::fs::read_dir(out.join(format!("{lang}/search")))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('t'))
            .count();
        assert!(shards >= 1);
        let d0 = read(&out.join(format!("{lang}/search/d0.js")));
        assert!(d0.to_lowercase().contains(word), "{lang}: {d0}");
    }
    // Off: no index, no search box.
    let book = std::fs::read_to_string(fixture("two_lang").join("book.toml")).unwrap();
    let book = book.replace("[build]\n", "[build]\nsearch = false\n");
    let tmp = fixture_with("two_lang", &[("book.toml", &book)]);
    let out = tmp.path().join("out");
    assert!(build_dir(&tmp.path().join("site"), &out).status.success());
    assert!(!out.join("en/search").exists());
    assert!(!read(&out.join("en/node/010_hello.html")).contains("gg-search"));
}

/// `go run tests/helm/render.go ARGS` (Go and sprig from Debian, no network).
fn go_render(args: &[&str]) -> std::process::Output {
    let cache = tempfile::tempdir().unwrap();
    Command::new("go")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "tests/helm/render.go"])
        .args(args)
        .env("GO111MODULE", "off")
        .env("GOPATH", "/usr/share/gocode")
        .env("GOCACHE", cache.path())
        .output()
        .expect("go runs (scripts/test installs golang-go and the sprig and yaml packages)")
}

/// The documents `render.go ARGS` renders, as JSON.
fn render(args: &[&str]) -> serde_json::Value {
    let o = go_render(args);
    assert!(
        o.status.success(),
        "render.go {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("JSON")
}

/// Values werf adds when it deploys: the image it built.
fn werf_values(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("werf-values.yaml");
    std::fs::write(
        &p,
        "werf:\n  image:\n    guides: registry.example.com/werf-guides:abc\n",
    )
    .unwrap();
    p
}

#[test]
#[ignore = "needs Go with sprig: scripts/test runs it (cargo test -- --ignored)"]
fn the_helm_chart_renders_with_its_defaults() {
    let tmp = tempfile::tempdir().unwrap();
    let werf = werf_values(tmp.path());
    let docs = render(&["chart", "deploy/chart", werf.to_str().unwrap()]);
    let kinds: Vec<&str> = docs
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(kinds, ["Deployment", "Ingress", "Service"]);
    let c = &docs[0]["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(c["image"], "registry.example.com/werf-guides:abc");
    assert_eq!(c["readinessProbe"]["httpGet"]["path"], "/healthz");
    // nginx without root, on a read-only root filesystem.
    let pod = &docs[0]["spec"]["template"]["spec"];
    assert_eq!(pod["securityContext"]["runAsNonRoot"], true);
    assert_eq!(pod["securityContext"]["runAsUser"], 101);
    assert_eq!(c["securityContext"]["readOnlyRootFilesystem"], true);
    assert_eq!(c["securityContext"]["allowPrivilegeEscalation"], false);
    assert_eq!(c["securityContext"]["capabilities"]["drop"][0], "ALL");
    let mounts: Vec<&str> = c["volumeMounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["mountPath"].as_str().unwrap())
        .collect();
    assert_eq!(mounts, ["/etc/nginx/conf.d", "/tmp"]);
    let env = c["env"].to_string();
    assert!(env.contains("{\"name\":\"SSI\",\"value\":\"on\"}"), "{env}");
    assert!(
        env.contains("{\"name\":\"HOST_RU\",\"value\":\"ru.werf.io\"}"),
        "{env}"
    );
    let ingress = &docs[1];
    let hosts: Vec<&str> = ingress["spec"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["host"].as_str().unwrap())
        .collect();
    assert_eq!(hosts, ["werf.io", "ru.werf.io"]);
    assert_eq!(
        ingress["spec"]["rules"][0]["http"]["paths"][0]["path"],
        "/guides"
    );
    assert!(ingress["metadata"]["annotations"].is_null());
}

#[test]
#[ignore = "needs Go with sprig: scripts/test runs it (cargo test -- --ignored)"]
fn the_helm_chart_can_leave_ssi_to_the_ingress() {
    let tmp = tempfile::tempdir().unwrap();
    let werf = werf_values(tmp.path());
    let mode = tmp.path().join("ingress.yaml");
    std::fs::write(
        &mode,
        "ssi:\n  mode: ingress\ningress:\n  tlsSecret: guides-tls\n",
    )
    .unwrap();
    let docs = render(&[
        "chart",
        "deploy/chart",
        werf.to_str().unwrap(),
        mode.to_str().unwrap(),
    ]);
    let ann =
        &docs[1]["metadata"]["annotations"]["nginx.ingress.kubernetes.io/configuration-snippet"];
    assert_eq!(
        ann.as_str().map(str::trim),
        Some("ssi on;\nssi_silent_errors on;")
    );
    assert_eq!(docs[1]["spec"]["tls"][0]["secretName"], "guides-tls");
    let env = docs[0]["spec"]["template"]["spec"]["containers"][0]["env"].to_string();
    assert!(
        env.contains("{\"name\":\"SSI\",\"value\":\"off\"}"),
        "{env}"
    );
    // A wrong mode is an error, not a broken deployment.
    let bad = tmp.path().join("bad.yaml");
    std::fs::write(&bad, "ssi:\n  mode: both\n").unwrap();
    let o = go_render(&[
        "chart",
        "deploy/chart",
        werf.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("ssi.mode must be"));
}

#[test]
#[ignore = "needs Go with sprig: scripts/test runs it (cargo test -- --ignored)"]
fn werf_yaml_renders() {
    let werf = render(&["werf", "deploy/werf.yaml"]);
    assert_eq!(werf[0]["project"], "werf-guides");
    assert_eq!(werf[0]["deploy"]["helmChartDir"], "deploy/chart");
    assert_eq!(werf[1]["image"], "guides");
    assert_eq!(werf[1]["dockerfile"], "deploy/Dockerfile");
    assert!(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("deploy/Dockerfile")
            .is_file()
    );
}
