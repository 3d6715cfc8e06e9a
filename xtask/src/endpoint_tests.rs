//! `cargo xtask endpoint-tests`: runs botocore's endpoint test cases against the runtime's
//! rule set interpreter (`awsgen_runtime::endpoint`, which every generated client uses), the
//! way botocore's own `test_endpoint_rulesets.py` does: each case's `params` go in; the URL,
//! properties and headers (absent ones meaning empty) or the error message must come out.
//! Prints each failing case, then `N passed, M failed`.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use anyhow::{Context, bail};
use serde_json::{Map, Value};

use crate::{Args, workspace_root};
use awsgen_runtime::endpoint::{EndpointError, EndpointParams, EndpointResolver, ParamValue, ResolvedEndpoint};

/// The SageMaker rule set, relative to the workspace root.
const RULE_SET: &str = "models/sagemaker/2017-07-24/endpoint-rule-set-1.json";
/// The partitions pinned with it.
const PARTITIONS: &str = "models/partitions.json";
/// botocore's SageMaker endpoint test cases, vendored.
const CASES: &str = "tests/fixtures/botocore-1.44.5/tests/functional/endpoint-rules/sagemaker/endpoint-tests-1.json";

/// Runs the cases; `--rule-set`, `--partitions` and `--cases` replace the SageMaker defaults
/// (to try another service's files).
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let mut args = Args::new(args);
    let root = workspace_root();
    let path = |given: Option<String>, default: &str| given.map_or_else(|| root.join(default), PathBuf::from);
    let rule_set = path(args.value("--rule-set")?, RULE_SET);
    let partitions = path(args.value("--partitions")?, PARTITIONS);
    let cases = path(args.value("--cases")?, CASES);
    args.finish()?;

    let read = |path: &PathBuf| fs::read_to_string(path).with_context(|| format!("reading {}", path.display()));
    let resolver = EndpointResolver::new(&read(&rule_set)?, &read(&partitions)?)
        .with_context(|| format!("loading {} with {}", rule_set.display(), partitions.display()))?;
    let cases: Value = serde_json::from_str(&read(&cases)?).with_context(|| format!("parsing {}", cases.display()))?;
    let Some(cases) = cases.get("testCases").and_then(Value::as_array) else {
        bail!("the test file has no `testCases` array");
    };

    let (mut passed, mut failed) = (0, 0);
    for (i, case) in cases.iter().enumerate() {
        let name = case.get("documentation").and_then(Value::as_str).map_or_else(|| format!("case {i}"), str::to_owned);
        match check(&resolver, case) {
            Ok(()) => passed += 1,
            Err(why) => {
                failed += 1;
                println!("FAIL {name}: {why}");
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        bail!("{failed} endpoint test case(s) failed");
    }
    Ok(())
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
