//! Helm charts as a whole (a folder holding `templates/`, such as a step's `.helm/`):
//! `Chart.yaml` there and valid (`apiVersion`, `name`, `version`), and every
//! `.Values.x` a template reads defined in the chart's `values.yaml`. werf fills
//! `.Values.werf` and `.Values.global` itself, so those are never reported.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::{ValueRead, yaml};
use crate::diag::{Code, Diagnostic};

/// Keys werf sets in every release's values.
const WERF_VALUES: &[&str] = &["werf", "global"];

/// A file as the chart checks see it: path inside examples/, text, the `.Values` keys
/// it reads (from [`super::file`]).
pub(crate) type ChartFile<'a> = (String, &'a str, &'a [ValueRead]);

/// The problems of the charts among `files`; `shown` is the examples folder as printed.
pub(crate) fn charts(shown: &Path, files: &[ChartFile<'_>]) -> Vec<Diagnostic> {
    let mut by_chart: BTreeMap<&str, Vec<&ChartFile<'_>>> = BTreeMap::new();
    for f in files {
        if let Some(i) = f.0.find("/templates/") {
            by_chart.entry(&f.0[..i]).or_default().push(f);
        } else if let Some(rest) = f.0.strip_prefix("templates/") {
            let _ = rest;
            by_chart.entry("").or_default().push(f);
        }
    }
    let find = |rel: String| files.iter().find(|f| f.0 == rel).map(|f| f.1);
    let mut out = Vec::new();
    for (dir, templates) in by_chart {
        let join = |name: &str| match dir {
            "" => name.to_string(),
            d => format!("{d}/{name}"),
        };
        let chart_rel = join("Chart.yaml");
        match find(chart_rel.clone()) {
            None => out.push(
                Diagnostic::error(shown.join(dir), "a Helm chart without Chart.yaml")
                    .with_code(Code::HelmChart)
                    .with_help(format!(
                        "add {chart_rel} with `apiVersion: v2`, `name:` and `version:`; helm refuses a chart without it"
                    )),
            ),
            Some(text) => out.extend(chart_file(&shown.join(&chart_rel), text)),
        }
        let values_rel = join("values.yaml");
        let values_shown = shown.join(&values_rel).display().to_string();
        let values = find(values_rel.clone()).unwrap_or("");
        let (keys, leaves) = yaml::keys(values).unwrap_or_default();
        for (rel, text, reads) in templates {
            let mut seen = BTreeSet::new();
            for (path, span) in reads.iter() {
                if WERF_VALUES.contains(&path[0].as_str())
                    || yaml::defines(&keys, &leaves, path)
                    || !seen.insert(path.clone())
                {
                    continue;
                }
                out.push(
                    Diagnostic::warning(
                        shown.join(rel),
                        format!(
                            "`.Values.{}` is not defined in {values_shown}",
                            path.join(".")
                        ),
                    )
                    .with_code(Code::UndefinedValue)
                    .at(text, span.start, span.end)
                    .with_help(format!(
                        "add `{}` to {values_shown} (a default a reader can deploy with), or fix the key's name",
                        path.join(".")
                    )),
                );
            }
        }
    }
    out
}

/// The problems of a chart's Chart.yaml.
fn chart_file(shown: &Path, text: &str) -> Vec<Diagnostic> {
    let err = |m: String| Diagnostic::error(shown, m).with_code(Code::HelmChart);
    let Ok(v) = serde_saphyr::from_str::<serde_json::Value>(text) else {
        // Not YAML: the file's own check says where.
        return Vec::new();
    };
    let Some(m) = v.as_object() else {
        return vec![err("Chart.yaml must be a mapping".into()).at(text, 0, 0)];
    };
    let mut out = Vec::new();
    for key in ["apiVersion", "name", "version"] {
        if m.get(key).is_none_or(|v| v.is_null()) {
            out.push(
                err(format!("Chart.yaml has no `{key}`"))
                    .at(text, 0, 0)
                    .with_help(
                        "a chart needs `apiVersion: v2`, `name:` and `version:` (e.g. 1.0.0)",
                    ),
            );
        }
    }
    if let Some(api) = m.get("apiVersion").and_then(|v| v.as_str())
        && api != "v1"
        && api != "v2"
    {
        let at = text.find(api).unwrap_or(0);
        out.push(
            err(format!(
                "Chart.yaml's apiVersion is `{api}`; Helm knows v1 and v2"
            ))
            .at(text, at, at + api.len()),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_chart_and_undefined_values() {
        let t = "image: {{ .Values.image.repo }}\ntag: {{ .Values.image.tag }}\nenv: {{ .Values.werf.env }}\n";
        let reads = super::super::file(Path::new("t"), ".helm/templates/d.yaml", t).reads;
        let files: Vec<ChartFile<'_>> = vec![
            (".helm/templates/d.yaml".to_string(), t, reads.as_slice()),
            (".helm/values.yaml".to_string(), "image:\n  repo: x\n", &[]),
        ];
        let d = charts(Path::new("examples/s"), &files);
        let msgs: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "a Helm chart without Chart.yaml",
                "`.Values.image.tag` is not defined in examples/s/.helm/values.yaml"
            ]
        );
        assert_eq!(d[1].location.as_ref().map(|l| l.line), Some(2));
    }

    #[test]
    fn chart_yaml_fields() {
        let files: Vec<ChartFile<'_>> = vec![
            (".helm/templates/d.yaml".to_string(), "a: 1\n", &[]),
            (
                ".helm/Chart.yaml".to_string(),
                "apiVersion: v3\nname: app\n",
                &[],
            ),
        ];
        let d = charts(Path::new("e"), &files);
        assert_eq!(d.len(), 2, "{d:?}");
    }
}
