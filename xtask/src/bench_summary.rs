//! The closing summary of `cargo xtask bench`: one line per figure of issue 18's table (ours,
//! theirs or the baseline, their ratio, the goal, met or not), read from the results document
//! the sections wrote, printed last and stored under `summary` in `target/bench/results.json`.
//! A figure whose section did not run says so instead of a number.

use std::time::Duration;

use serde_json::{Value, json};

use crate::bench::show;

/// What a figure's numbers are.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Unit {
    Seconds,
    Megabytes,
    Microseconds,
}

impl Unit {
    fn show(self, value: f64) -> String {
        match self {
            Unit::Seconds => show(Duration::from_secs_f64(value.max(0.0))),
            Unit::Megabytes => format!("{value:.0} MB"),
            Unit::Microseconds => format!("{value:.1} µs"),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Unit::Seconds => "s",
            Unit::Megabytes => "MB",
            Unit::Microseconds => "µs",
        }
    }
}

/// A figure's goal.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Goal {
    /// Ours strictly below this value (in the figure's unit).
    Below(f64),
    /// Ours at most this value (in the figure's unit).
    AtMost(f64),
    /// Ours / theirs at most this ratio.
    RatioAtMost(f64),
    /// No goal given: the figure is reported only.
    None,
}

impl Goal {
    fn describe(self, unit: Unit) -> String {
        match self {
            Goal::Below(v) => format!("< {}", unit.show(v)),
            Goal::AtMost(v) => format!("≤ {}", unit.show(v)),
            Goal::RatioAtMost(r) => format!("≤ {r:.2}×"),
            Goal::None => "-".to_string(),
        }
    }
}

/// One line of the summary.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub figure: String,
    pub unit: Unit,
    pub ours: Option<f64>,
    pub theirs: Option<f64>,
    pub goal: Goal,
}

impl Row {
    fn new(figure: impl Into<String>, unit: Unit, ours: Option<f64>, theirs: Option<f64>, goal: Goal) -> Row {
        Row { figure: figure.into(), unit, ours, theirs, goal }
    }

    /// Ours / theirs, when both were measured.
    pub fn ratio(&self) -> Option<f64> {
        match (self.ours, self.theirs) {
            (Some(a), Some(b)) if b > 0.0 => Some(a / b),
            _ => None,
        }
    }

    /// Whether the goal is met; `None` when it has no goal or a figure it needs is missing.
    pub fn met(&self) -> Option<bool> {
        match self.goal {
            Goal::Below(v) => self.ours.map(|o| o < v),
            Goal::AtMost(v) => self.ours.map(|o| o <= v),
            Goal::RatioAtMost(r) => self.ratio().map(|x| x <= r),
            Goal::None => None,
        }
    }

    pub fn to_json(&self) -> Value {
        json!({
            "figure": self.figure,
            "unit": self.unit.name(),
            "ours": self.ours,
            "theirs": self.theirs,
            "ratio": self.ratio().map(crate::bench::round3),
            "goal": self.goal.describe(self.unit),
            "met": self.met(),
        })
    }
}

/// The result of `section` whose `key` is `value` (e.g. the build named "all of SageMaker").
fn find<'a>(list: &'a Value, filters: &[(&str, &str)]) -> Option<&'a Value> {
    list.as_array()?.iter().find(|item| filters.iter().all(|(key, value)| item[*key].as_str() == Some(*value)))
}

/// Every figure of the table, from the results document (missing sections give empty figures).
pub fn rows(results: &Value) -> Vec<Row> {
    let mut rows = Vec::new();
    let codegen = &results["codegen"]["subjects"];
    for (label, goal) in [("CreateModelPackage", 0.1), ("all of SageMaker", 1.0)] {
        let ours = find(codegen, &[("name", label)]).and_then(|s| s["median_s"].as_f64());
        rows.push(Row::new(format!("codegen, {label}"), Unit::Seconds, ours, None, Goal::Below(goal)));
    }
    let builds = &results["builds"]["results"];
    let build = |name: &str, profile: &str| find(builds, &[("name", name), ("profile", profile)]);
    const BASELINE: &str = "baseline: aws-sdk-sagemaker";
    for profile in ["debug", "release"] {
        rows.push(Row::new(
            format!("clean {profile} build, one-call CreateModelPackage program vs aws-sdk-sagemaker + aws-config"),
            Unit::Seconds,
            build("CreateModelPackage", profile).and_then(|b| b["median_s"].as_f64()),
            build(BASELINE, profile).and_then(|b| b["median_s"].as_f64()),
            Goal::RatioAtMost(0.10),
        ));
    }
    for profile in ["debug", "release"] {
        rows.push(Row::new(
            format!("clean {profile} build, the runtime's dependencies alone (the one-call program's floor)"),
            Unit::Seconds,
            build(crate::bench::DEPENDENCY_FLOOR, profile).and_then(|b| b["median_s"].as_f64()),
            build(BASELINE, profile).and_then(|b| b["median_s"].as_f64()),
            Goal::None,
        ));
    }
    for profile in ["debug", "release"] {
        rows.push(Row::new(
            format!("SageMaker crate alone, all operations, {profile} (--timings) vs aws-sdk-sagemaker's"),
            Unit::Seconds,
            build("all of SageMaker", profile).and_then(|b| b["own_median_s"].as_f64()),
            build(BASELINE, profile).and_then(|b| b["own_median_s"].as_f64()),
            Goal::RatioAtMost(0.25),
        ));
    }
    for profile in ["debug", "release"] {
        rows.push(Row::new(
            format!("peak rustc memory, all of SageMaker, {profile} (theirs: the baseline build's)"),
            Unit::Megabytes,
            build("all of SageMaker", profile).and_then(|b| b["peak_rss_mb"].as_f64()),
            build(BASELINE, profile).and_then(|b| b["peak_rss_mb"].as_f64()),
            Goal::AtMost(1024.0),
        ));
    }
    let serde = &results["serde"]["results"];
    for (name, figure, goal) in [
        ("parse a large DescribeModelPackage response", "parse a large DescribeModelPackage vs serde_json Value", 0.5),
        ("serialise a large CreateModelPackageInput", "serialise CreateModelPackageInput vs serde_json Value", 0.7),
    ] {
        let row = find(serde, &[("name", name)]);
        rows.push(Row::new(
            figure,
            Unit::Microseconds,
            row.and_then(|r| r["ours_s"].as_f64()).map(|s| s * 1e6),
            row.and_then(|r| r["floor_s"].as_f64()).map(|s| s * 1e6),
            Goal::RatioAtMost(goal),
        ));
    }
    for (mode, figure) in [
        ("sequential", "client CPU per call, sequential, vs aws-sdk-sagemaker"),
        ("concurrent", "client CPU per call, 64 concurrent on one client, vs aws-sdk-sagemaker"),
    ] {
        let side = |who: &str| results["requests"][mode][who]["median_cpu_us_per_call"].as_f64();
        rows.push(Row::new(figure, Unit::Microseconds, side("awsgen"), side("baseline"), Goal::RatioAtMost(1.0 / 3.0)));
    }
    let three = &results["three_service"]["results"];
    for profile in ["debug", "release"] {
        let total = |own: &str| {
            three.as_array().and_then(|list| {
                list.iter()
                    .find(|b| b["profile"].as_str() == Some(profile) && b["own_crate"].as_str() == Some(own))
                    .and_then(|b| b["median_s"].as_f64())
            })
        };
        rows.push(Row::new(
            format!("clean {profile} build, SageMaker + S3 + STS program vs aws-sdk-* + aws-config"),
            Unit::Seconds,
            total("awsgen-sagemaker+awsgen-s3+awsgen-sts+awsgen-runtime"),
            total("aws-sdk-sagemaker+aws-sdk-s3+aws-sdk-sts+aws-config"),
            Goal::None,
        ));
    }
    rows
}

/// The summary as text, one line per figure.
pub fn table(rows: &[Row]) -> String {
    let width = rows.iter().map(|r| r.figure.chars().count()).max().unwrap_or(0);
    let mut out =
        format!("{:<width$}  {:>10}  {:>10}  {:>7}  {:>9}  {}\n", "figure", "ours", "theirs", "ratio", "goal", "met");
    for row in rows {
        let missing = || "-".to_string();
        let met = match (row.ours, row.met()) {
            (None, _) => "not measured",
            (_, Some(true)) => "yes",
            (_, Some(false)) => "NO",
            (_, None) if row.goal == Goal::None => "(no goal)",
            (_, None) => "not measured",
        };
        out.push_str(&format!(
            "{:<width$}  {:>10}  {:>10}  {:>7}  {:>9}  {met}\n",
            row.figure,
            row.ours.map(|v| row.unit.show(v)).unwrap_or_else(missing),
            row.theirs.map(|v| row.unit.show(v)).unwrap_or_else(missing),
            row.ratio().map(|r| format!("{r:.2}×")).unwrap_or_else(missing),
            row.goal.describe(row.unit),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ratio_goal_needs_both_figures_and_an_absolute_goal_needs_ours() {
        let row = Row::new("x", Unit::Seconds, Some(1.0), Some(20.0), Goal::RatioAtMost(0.1));
        assert_eq!(row.ratio(), Some(0.05));
        assert_eq!(row.met(), Some(true));
        let row = Row::new("x", Unit::Seconds, Some(3.0), Some(20.0), Goal::RatioAtMost(0.1));
        assert_eq!(row.met(), Some(false));
        assert_eq!(Row::new("x", Unit::Seconds, Some(1.0), None, Goal::RatioAtMost(0.1)).met(), None);
        assert_eq!(Row::new("x", Unit::Seconds, Some(0.1), None, Goal::Below(0.1)).met(), Some(false));
        assert_eq!(Row::new("x", Unit::Megabytes, Some(1024.0), Some(3000.0), Goal::AtMost(1024.0)).met(), Some(true));
        assert_eq!(Row::new("x", Unit::Seconds, Some(1.0), Some(0.0), Goal::None).ratio(), None);
    }

    #[test]
    fn rows_read_every_section_and_mark_the_missing_ones() {
        let results = json!({
            "codegen": { "subjects": [
                { "name": "CreateModelPackage", "median_s": 0.05 },
                { "name": "all of SageMaker", "median_s": 1.5 },
            ] },
            "builds": { "results": [
                { "name": "CreateModelPackage", "profile": "debug", "median_s": 10.0, "own_median_s": 1.0 },
                { "name": "baseline: aws-sdk-sagemaker", "profile": "debug", "median_s": 200.0, "own_median_s": 150.0, "peak_rss_mb": 3000 },
                { "name": "all of SageMaker", "profile": "debug", "median_s": 60.0, "own_median_s": 30.0, "peak_rss_mb": 900 },
                { "name": "the runtime's dependencies alone", "profile": "debug", "median_s": 8.0 },
            ] },
            "serde": { "results": [
                { "name": "parse a large DescribeModelPackage response", "ours_s": 0.001, "floor_s": 0.004 },
            ] },
            "requests": { "sequential": {
                "awsgen": { "median_cpu_us_per_call": 20.0 },
                "baseline": { "median_cpu_us_per_call": 100.0 },
            } },
        });
        let rows = rows(&results);
        let by = |prefix: &str| rows.iter().find(|r| r.figure.starts_with(prefix)).unwrap();
        assert_eq!(by("codegen, CreateModelPackage").met(), Some(true));
        assert_eq!(by("codegen, all of SageMaker").met(), Some(false));
        assert_eq!(by("clean debug build, one-call").ratio(), Some(0.05));
        assert_eq!(by("clean release build, one-call").ours, None);
        assert_eq!(by("clean debug build, the runtime's dependencies").ratio(), Some(0.04));
        assert_eq!(by("SageMaker crate alone, all operations, debug").ratio(), Some(0.2));
        assert_eq!(by("peak rustc memory, all of SageMaker, debug").met(), Some(true));
        assert_eq!(by("parse a large").ratio(), Some(0.25));
        assert_eq!(by("serialise").ours, None);
        assert_eq!(by("client CPU per call, sequential").met(), Some(true));
        assert_eq!(by("client CPU per call, 64").met(), None);
        assert_eq!(rows.len(), 16);
    }

    #[test]
    fn the_table_has_a_line_per_figure_with_units_and_verdicts() {
        let rows = [
            Row::new("codegen", Unit::Seconds, Some(0.05), None, Goal::Below(0.1)),
            Row::new("cpu", Unit::Microseconds, Some(40.0), Some(100.0), Goal::RatioAtMost(1.0 / 3.0)),
            Row::new("memory", Unit::Megabytes, None, Some(3000.0), Goal::AtMost(1024.0)),
            Row::new("three", Unit::Seconds, Some(30.0), Some(300.0), Goal::None),
        ];
        let text = table(&rows);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 5, "{text}");
        assert!(lines[1].contains("50.00 ms") && lines[1].contains("< 100.00 ms") && lines[1].ends_with("yes"));
        assert!(lines[2].contains("40.0 µs") && lines[2].contains("0.40×") && lines[2].ends_with("NO"));
        assert!(lines[3].contains("3000 MB") && lines[3].ends_with("not measured"));
        assert!(lines[4].contains("0.10×") && lines[4].ends_with("(no goal)"));
    }
}
