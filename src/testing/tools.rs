//! The syntax of code in example files, checked by the language's own tool: Python's
//! compiler (the same check as `python3 -m py_compile`, but writing no `__pycache__`
//! into the examples), `node --check`, `gofmt -e`, `ruby -c`, `sh -n` (`bash -n` for `.bash`). The tools
//! only parse; none runs the file. A tool that is not installed is said, never
//! silently skipped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::File;
use crate::diag::{Code, Diagnostic};
use crate::output::cache::{Cache, hash};

/// A tool and the files it checks.
pub(crate) struct Tool {
    /// The program, as found on PATH.
    pub(crate) program: &'static str,
    /// The file name endings it checks.
    pub(crate) exts: &'static [&'static str],
    /// Its arguments; `{}` is the file.
    args: &'static [&'static str],
}

/// Python's compiler, reporting `line:column:message` itself.
const PY: &str = "import sys\nsrc = open(sys.argv[1], 'rb').read()\ntry:\n    compile(src, sys.argv[1], 'exec', dont_inherit=True)\nexcept SyntaxError as e:\n    print(f'{e.lineno or 1}:{e.offset or 1}:{e.msg}')\n    sys.exit(1)\n";

pub(crate) const TOOLS: &[Tool] = &[
    Tool {
        program: "python3",
        exts: &["py"],
        args: &["-c", PY, "{}"],
    },
    Tool {
        program: "node",
        exts: &["js", "mjs", "cjs"],
        args: &["--check", "{}"],
    },
    Tool {
        program: "gofmt",
        exts: &["go"],
        args: &["-e", "-l", "{}"],
    },
    Tool {
        program: "ruby",
        exts: &["rb"],
        args: &["-c", "{}"],
    },
    Tool {
        program: "sh",
        exts: &["sh"],
        args: &["-n", "{}"],
    },
    Tool {
        program: "bash",
        exts: &["bash"],
        args: &["-n", "{}"],
    },
];

/// The tool that checks `rel`, by its ending.
pub(crate) fn tool_for(rel: &str) -> Option<&'static Tool> {
    let ext = rel.rsplit_once('.').map(|(_, e)| e)?;
    TOOLS.iter().find(|t| t.exts.contains(&ext))
}

/// Where `program` is on PATH.
pub(crate) fn find(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

/// What a tool said of a file that it refuses: 1-based line, column (0: unknown), message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Refused {
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) message: String,
}

/// Run `tool` (found at `program`) on `file`: `Ok(None)` when it accepts it.
pub(crate) fn check(tool: &Tool, program: &Path, file: &Path) -> std::io::Result<Option<Refused>> {
    let args = tool.args.iter().map(|a| {
        if *a == "{}" {
            file.as_os_str().to_owned()
        } else {
            a.into()
        }
    });
    let mut cmd = Command::new(program);
    cmd.args(args).stdin(Stdio::null());
    super::run::clean_env(&mut cmd, &[]);
    let out = cmd.output()?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // gofmt -l prints the names of files it would reformat, and exits 0: not a problem.
    if out.status.success() {
        return Ok(None);
    }
    Ok(Some(parse(tool.program, &file.to_string_lossy(), &text)))
}

/// The location and message in a tool's output about `file`.
fn parse(program: &str, file: &str, text: &str) -> Refused {
    let mut r = Refused {
        line: 1,
        column: 0,
        message: String::new(),
    };
    if program == "python3" {
        let first = text.lines().next().unwrap_or("");
        let mut parts = first.splitn(3, ':');
        let num = |s: Option<&str>| s.and_then(|s| s.trim().parse::<usize>().ok());
        if let (Some(l), Some(c)) = (num(parts.next()), num(parts.next())) {
            r.line = l;
            r.column = c;
            r.message = parts.next().unwrap_or("").trim().to_string();
        }
    } else {
        for line in text.lines() {
            let Some(i) = line.find(file) else { continue };
            let rest = &line[i + file.len()..];
            let (l, c, msg) = location(rest);
            if let Some(l) = l {
                r.line = l;
                r.column = c.unwrap_or(0);
                r.message = msg.to_string();
                break;
            }
        }
        // node prints the error's name and message on a line of its own.
        if let Some(err) = text
            .lines()
            .find(|l| l.starts_with("SyntaxError") || l.contains("Error: "))
            && (r.message.is_empty() || program == "node")
        {
            r.message = err.trim().to_string();
        }
    }
    if r.message.is_empty() {
        r.message = text
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
            .to_string();
    }
    r.message = format!("{program} refuses this file: {}", r.message);
    r
}

/// The cache's kind for what a tool said of a file.
const KIND: &str = "syntax";

/// Check every file a tool checks: from the cache when the same tool already said what
/// it thinks of the same bytes, else by running it. A missing tool is one finding
/// listing its files.
pub(super) fn check_all(files: &[File], cache: &Cache) -> Vec<Diagnostic> {
    let shown = |rel: &str| Path::new("examples").join(rel);
    let mut out = Vec::new();
    // Code, by its language's tool; a missing tool is one finding listing its files.
    let mut missing: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut work = Vec::new();
    for (rel, text, abs) in files {
        let (Some(tool), Some(text)) = (tool_for(rel), text) else {
            continue;
        };
        match find(tool.program) {
            Some(program) => work.push((tool, program, rel, text, abs)),
            None => missing.entry(tool.program).or_default().push(rel),
        }
    }
    let refused: Vec<Diagnostic> = work
        .par_iter()
        .filter_map(|(tool, program, rel, text, abs)| {
            // The tool as installed here, and the bytes: what its verdict depends on.
            let key = hash(format!("{}\0{text}", program.display()).as_bytes());
            let known = cache
                .get(KIND, key)
                .and_then(|b| serde_json::from_slice::<Option<Refused>>(&b).ok());
            let said = match known {
                Some(said) => Ok(said),
                None => check(tool, program, abs).inspect(|said| {
                    let _ = cache.put(KIND, key, &serde_json::to_vec(said).unwrap_or_default());
                }),
            };
            let refused = match said {
                Ok(r) => r?,
                Err(e) => {
                    return Some(
                        Diagnostic::warning(
                            shown(rel),
                            format!("not checked: {} could not run: {e}", tool.program),
                        )
                        .with_code(Code::NotChecked),
                    );
                }
            };
            let d = Diagnostic::error(shown(rel), refused.message).with_code(Code::ExampleSyntax);
            Some(d.at_line_col(text, refused.line, refused.column.max(1)))
        })
        .collect();
    out.extend(refused);
    for (program, rels) in missing {
        out.push(
            Diagnostic::warning(
                shown(rels[0]),
                format!(
                    "not checked: {program} is not installed ({} {}: {})",
                    rels.len(),
                    if rels.len() == 1 { "file" } else { "files" },
                    rels.join(", ")
                ),
            )
            .with_code(Code::NotChecked)
            .with_help(format!("install {program} to check these files' syntax")),
        );
    }
    out
}

/// `:12:5: msg`, `:12: msg` or `: line 12: msg` after a file name.
fn location(rest: &str) -> (Option<usize>, Option<usize>, &str) {
    let num = |s: &str| -> (Option<usize>, usize) {
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        (digits.parse().ok(), digits.len())
    };
    if let Some(r) = rest.strip_prefix(": line ") {
        let (l, n) = num(r);
        return (l, None, r[n..].trim_start_matches(':').trim());
    }
    let Some(r) = rest.strip_prefix(':') else {
        return (None, None, "");
    };
    // dash: `file: 3: Syntax error: …`.
    let r = r.trim_start_matches(' ');
    let (l, n) = num(r);
    let r = &r[n..];
    match r.strip_prefix(':') {
        Some(r2) => {
            let (c, m) = num(r2);
            match c {
                Some(_) => (l, c, r2[m..].trim_start_matches(':').trim()),
                None => (l, None, r2.trim()),
            }
        }
        None => (l, None, r.trim()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_outputs_are_located() {
        let f = "/tmp/x/app.go";
        let r = parse("gofmt", f, "/tmp/x/app.go:3:5: expected '}', found 'EOF'\n");
        assert_eq!((r.line, r.column), (3, 5));
        assert!(
            r.message.ends_with("expected '}', found 'EOF'"),
            "{}",
            r.message
        );
        let r = parse(
            "bash",
            "/a/b.sh",
            "/a/b.sh: line 4: syntax error near unexpected token `fi'\n",
        );
        assert_eq!(r.line, 4);
        let r = parse(
            "node",
            "/a/app.js",
            "/a/app.js:7\n  foo(\n     ^\n\nSyntaxError: missing ) after argument list\n",
        );
        assert_eq!(r.line, 7);
        assert!(
            r.message
                .ends_with("SyntaxError: missing ) after argument list")
        );
        let r = parse(
            "ruby",
            "/a/x.rb",
            "/a/x.rb:2: syntax error, unexpected end-of-input\n",
        );
        assert_eq!(r.line, 2);
        let r = parse("python3", "/a/x.py", "3:9:invalid syntax\n");
        assert_eq!(
            (r.line, r.column, r.message.as_str()),
            (3, 9, "python3 refuses this file: invalid syntax")
        );
    }

    #[test]
    fn tools_by_ending() {
        assert_eq!(tool_for("a/app.py").map(|t| t.program), Some("python3"));
        assert_eq!(tool_for("a/app.test.js").map(|t| t.program), Some("node"));
        assert!(tool_for("a/Dockerfile").is_none());
    }
}
