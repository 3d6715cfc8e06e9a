//! `cargo xtask endpoint-tests`: runs botocore's endpoint test cases against the runtime's
//! rule set interpreter (`awsgen_runtime::endpoint`, which every generated client uses), the
//! way botocore's own `tests/functional/test_endpoint_rulesets.py` does: each case's `params`
//! go in; the URL, properties and headers (absent ones meaning empty) or the error message must
//! come out.
//!
//! By default every service's cases (vendored gzip-compressed under
//! `tests/fixtures/botocore-1.44.5/tests/functional/endpoint-rules/`) run against that
//! service's rule set from the pinned botocore wheel (its newest API version, as botocore's
//! loader picks it) and `models/partitions.json`: a line per service with its protocol, then
//! the totals per protocol family and in all. `--rule-set`, `--partitions` and `--cases` run
//! one file instead (SageMaker's pinned files by default). Each failing case is printed; any
//! failure makes the command fail.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use serde_json::{Map, Value};

use crate::{Args, workspace_root};
use awsgen_runtime::endpoint::{EndpointError, EndpointParams, EndpointResolver, ParamValue, ResolvedEndpoint};

/// The SageMaker rule set, relative to the workspace root.
const RULE_SET: &str = "models/sagemaker/2017-07-24/endpoint-rule-set-1.json";
/// The partitions pinned with the rule sets.
const PARTITIONS: &str = "models/partitions.json";
/// botocore's endpoint test cases, one folder per service, vendored.
const CASES_DIR: &str = "tests/fixtures/botocore-1.44.5/tests/functional/endpoint-rules";
/// The file of cases in each service's folder.
const CASES_FILE: &str = "endpoint-tests-1.json.gz";

/// Runs every service's cases, or with `--rule-set`/`--partitions`/`--cases` one file's.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let mut args = Args::new(args);
    let rule_set = args.value("--rule-set")?;
    let partitions = args.value("--partitions")?;
    let cases = args.value("--cases")?;
    args.finish()?;
    let root = workspace_root();
    if rule_set.is_some() || partitions.is_some() || cases.is_some() {
        let path = |given: Option<String>, default: PathBuf| given.map_or(default, PathBuf::from);
        let rule_set = path(rule_set, root.join(RULE_SET));
        let partitions = path(partitions, root.join(PARTITIONS));
        let cases = path(cases, root.join(CASES_DIR).join("sagemaker").join(CASES_FILE));
        let tally = run_file(&read(&rule_set)?, &read(&partitions)?, &cases, &rule_set)?;
        println!("{} passed, {} failed", tally.passed, tally.failed);
        if tally.failed > 0 {
            bail!("{} endpoint test case(s) failed", tally.failed);
        }
        return Ok(());
    }
    run_all(&root)
}

/// Every service folder's cases against the service's rule set from the pinned wheel.
fn run_all(root: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let models = crate::all_services::unpack_models(root)?;
    let partitions = read(&root.join(PARTITIONS))?;
    let cases_dir = root.join(CASES_DIR);
    let mut services: Vec<String> = fs::read_dir(&cases_dir)
        .with_context(|| format!("listing {}", cases_dir.display()))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect();
    services.sort();

    let mut by_protocol: BTreeMap<String, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    for service in &services {
        let rule_set_path = models.join(format!("{service}.rules"));
        let rule_set = read(&rule_set_path)?;
        let protocol = protocol(&models.join(format!("{service}.json")))?;
        let tally = run_file(&rule_set, &partitions, &cases_dir.join(service).join(CASES_FILE), &rule_set_path)?;
        println!("{service:<40} {protocol:<20} {:>5} passed {:>4} failed", tally.passed, tally.failed);
        by_protocol.entry(protocol).or_default().add(&tally);
        total.add(&tally);
    }
    for (protocol, tally) in &by_protocol {
        println!("protocol {protocol:<31} {:>5} passed {:>4} failed", tally.passed, tally.failed);
    }
    println!(
        "{} services: {} passed, {} failed in {:.1} s",
        services.len(),
        total.passed,
        total.failed,
        started.elapsed().as_secs_f64()
    );
    if total.failed > 0 {
        bail!("{} endpoint test case(s) failed", total.failed);
    }
    Ok(())
}

/// Passed and failed cases.
#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
    }
}

/// A text file, or the text inside a `.gz` file.
fn read(path: &Path) -> anyhow::Result<String> {
    let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_string(&mut text)
            .with_context(|| format!("decompressing {}", path.display()))?;
        return Ok(text);
    }
    String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8", path.display()))
}

/// The protocol a botocore model names first (`metadata.protocols`, else `metadata.protocol`).
/// Only the metadata is read into values: the rest of the model (megabytes for some services)
/// is skipped over.
fn protocol(model: &Path) -> anyhow::Result<String> {
    #[derive(serde::Deserialize)]
    struct Model {
        metadata: Metadata,
    }
    #[derive(serde::Deserialize)]
    struct Metadata {
        protocol: Option<String>,
        protocols: Option<Vec<String>>,
    }
    let model: Model =
        serde_json::from_str(&read(model)?).with_context(|| format!("reading the metadata of {}", model.display()))?;
    let first = model.metadata.protocols.and_then(|p| p.into_iter().next()).or(model.metadata.protocol);
    Ok(first.unwrap_or_else(|| "unknown".to_owned()))
}

/// Runs one file of cases, printing each failing one.
fn run_file(rule_set: &str, partitions: &str, cases_path: &Path, rule_set_path: &Path) -> anyhow::Result<Tally> {
    let resolver = EndpointResolver::new(rule_set, partitions)
        .with_context(|| format!("loading the rule set {}", rule_set_path.display()))?;
    let cases: Value =
        serde_json::from_str(&read(cases_path)?).with_context(|| format!("parsing {}", cases_path.display()))?;
    let Some(cases) = cases.get("testCases").and_then(Value::as_array) else {
        bail!("{} has no `testCases` array", cases_path.display());
    };
    let mut tally = Tally::default();
    for (i, case) in cases.iter().enumerate() {
        let name = case.get("documentation").and_then(Value::as_str).map_or_else(|| format!("case {i}"), str::to_owned);
        match check(&resolver, case) {
            Ok(()) => tally.passed += 1,
            Err(why) => {
                tally.failed += 1;
                println!("FAIL {} {name}: {why}", cases_path.display());
            }
        }
    }
    Ok(tally)
}
/// Runs one case: `Err` says what was expected and what came out.
fn check(resolver: &EndpointResolver, case: &Value) -> Result<(), String> {
    let params = params(case.get("params"))?;
    let got = resolver.resolve(&params);
    let expect = case.get("expect").ok_or("the case has no `expect`")?;
    if let Some(expected) = expect.get("endpoint") {
        let url = expected.get("url").and_then(Value::as_str).ok_or("the expected endpoint has no `url`")?;
        let properties = expected.get("properties").cloned().unwrap_or_else(|| Value::Object(Map::new()));
        let headers = expected.get("headers").cloned().unwrap_or_else(|| Value::Object(Map::new()));
        let matches = match &got {
            Ok(endpoint) => {
                endpoint.url == url
                    && Value::Object(endpoint.properties.clone()) == properties
                    && headers_json(endpoint) == headers
            }
            Err(_) => false,
        };
        if !matches {
            let expected = describe_endpoint(url, &properties, &headers);
            return Err(format!("expected {expected}, got {}", describe(&got)));
        }
    } else if let Some(expected) = expect.get("error").and_then(Value::as_str) {
        let matches = matches!(&got, Err(error) if message(error) == expected);
        if !matches {
            return Err(format!("expected error {expected:?}, got {}", describe(&got)));
        }
    } else {
        return Err("`expect` has neither `endpoint` nor `error`".to_owned());
    }
    Ok(())
}

/// A case's `params` as [`EndpointParams`], set by parameter name.
fn params(json: Option<&Value>) -> Result<EndpointParams, String> {
    let mut params = EndpointParams::new();
    let Some(json) = json else { return Ok(params) };
    let fields = json.as_object().ok_or("`params` is not an object")?;
    for (name, value) in fields {
        let value = match value {
            Value::String(s) => ParamValue::String(s.clone()),
            Value::Bool(b) => ParamValue::Bool(*b),
            Value::Array(items) => ParamValue::StringArray(
                items
                    .iter()
                    .map(|item| item.as_str().map(str::to_owned))
                    .collect::<Option<_>>()
                    .ok_or_else(|| format!("`params.{name}` is an array of non-strings"))?,
            ),
            other => return Err(format!("`params.{name}` is not a string, boolean or array: {other}")),
        };
        params = params.set(name.clone(), value);
    }
    Ok(params)
}

/// The headers of `endpoint` as JSON, to compare with a case's.
fn headers_json(endpoint: &ResolvedEndpoint) -> Value {
    let headers: BTreeMap<_, _> = endpoint.headers.iter().map(|(k, v)| (k.clone(), Value::from(v.clone()))).collect();
    Value::Object(headers.into_iter().collect())
}

/// The message botocore would give: an error rule's own message, else the error's text.
fn message(error: &EndpointError) -> String {
    match error {
        EndpointError::Rule { message } => message.clone(),
        other => other.to_string(),
    }
}

/// An endpoint for a failure line: the URL, plus properties and headers when there are any.
fn describe_endpoint(url: &str, properties: &Value, headers: &Value) -> String {
    let empty = |v: &Value| v.as_object().is_some_and(Map::is_empty);
    let mut text = format!("endpoint {url}");
    if !empty(properties) {
        text.push_str(&format!(" properties {properties}"));
    }
    if !empty(headers) {
        text.push_str(&format!(" headers {headers}"));
    }
    text
}

/// A resolution's outcome for a failure line.
fn describe(got: &Result<ResolvedEndpoint, EndpointError>) -> String {
    match got {
        Ok(endpoint) => {
            describe_endpoint(&endpoint.url, &Value::Object(endpoint.properties.clone()), &headers_json(endpoint))
        }
        Err(error) => format!("error {:?}", message(error)),
    }
}
