//! Requests per second of sequential `CreateModelPackage` calls against a loopback server:
//! the generated client, and `aws-sdk-sagemaker` as the baseline, in the same process, each
//! against its own instance of the same server, with the same input and response.
//!
//! One call at a time, each awaited before the next: the figure is the client's per-call cost
//! (validation, JSON, the idempotency token, SigV4, HTTP/1.1 on a kept-alive connection, parsing)
//! plus the loopback round trip, which is the same for both clients. Runs alternate between the
//! clients so that a change in the machine's load hits both.
//!
//! `cargo bench --manifest-path tests/bench/Cargo.toml --bench requests -- [--runs N]
//! [--seconds S] [--json PATH]`; `cargo xtask bench --only requests` runs it and reports the
//! medians.

use std::time::{Duration, Instant};

use awsgen_bench::loopback::Server;
use serde_json::json;

/// The response both clients parse.
const RESPONSE: &str = r#"{"ModelPackageArn":"arn:aws:sagemaker:us-east-1:123456789012:model-package/bench/1"}"#;
const ARN: &str = "arn:aws:sagemaker:us-east-1:123456789012:model-package/bench/1";
const IMAGE: &str = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.1.0-cpu-py310";
/// Before each measured run, untimed: connections, pools and caches settle.
const WARM_UP: Duration = Duration::from_millis(500);

struct Options {
    runs: usize,
    seconds: f64,
    json: Option<String>,
}

fn options() -> Options {
    let mut options = Options { runs: 3, seconds: 3.0, json: None };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().unwrap_or_else(|| panic!("{name} needs a value"));
        match arg.as_str() {
            "--runs" => options.runs = value("--runs").parse().expect("--runs: a number"),
            "--seconds" => options.seconds = value("--seconds").parse().expect("--seconds: a number"),
            "--json" => options.json = Some(value("--json")),
            // Cargo adds `--bench`; filters are not used here.
            _ => {}
        }
    }
    assert!(options.runs > 0 && options.seconds > 0.0, "--runs and --seconds must be positive");
    options
}

fn awsgen_client(endpoint: &str) -> awsgen_sagemaker::Client {
    use awsgen_sagemaker::runtime::credentials::Credentials;
    let credentials = Credentials::new("AKIDBENCH", "bench-secret-key", None, None, "bench");
    let config =
        awsgen_sagemaker::Config::builder().region("us-east-1").credentials(credentials).endpoint_url(endpoint);
    awsgen_sagemaker::Client::new(config.build())
}

async fn awsgen_call(client: &awsgen_sagemaker::Client) -> Result<(), String> {
    use awsgen_sagemaker::types::{InferenceSpecification, ModelPackageContainerDefinition};
    let output = client
        .create_model_package()
        .model_package_name("bench")
        .model_package_description("Created by the awsgen request-rate benchmark")
        .inference_specification(
            InferenceSpecification::default()
                .containers(vec![ModelPackageContainerDefinition::default().image(IMAGE)])
                .supported_content_types(vec!["application/json".to_string()])
                .supported_response_mime_types(vec!["application/json".to_string()]),
        )
        .send()
        .await
        .map_err(|e| e.to_string())?;
    check(output.model_package_arn.as_deref())
}

fn sdk_client(endpoint: &str) -> aws_sdk_sagemaker::Client {
    use aws_sdk_sagemaker::config::{BehaviorVersion, Credentials, Region};
    let credentials = Credentials::new("AKIDBENCH", "bench-secret-key", None, None, "bench");
    let config = aws_sdk_sagemaker::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(credentials)
        .endpoint_url(endpoint)
        .build();
    aws_sdk_sagemaker::Client::from_conf(config)
}

async fn sdk_call(client: &aws_sdk_sagemaker::Client) -> Result<(), String> {
    use aws_sdk_sagemaker::types::{InferenceSpecification, ModelPackageContainerDefinition};
    let output = client
        .create_model_package()
        .model_package_name("bench")
        .model_package_description("Created by the awsgen request-rate benchmark")
        .inference_specification(
            InferenceSpecification::builder()
                .containers(ModelPackageContainerDefinition::builder().image(IMAGE).build())
                .supported_content_types("application/json")
                .supported_response_mime_types("application/json")
                .build(),
        )
        .send()
        .await
        .map_err(|e| format!("{}", aws_sdk_sagemaker::error::DisplayErrorContext(e)))?;
    check(output.model_package_arn())
}

fn check(arn: Option<&str>) -> Result<(), String> {
    if arn == Some(ARN) { Ok(()) } else { Err(format!("unexpected ARN {arn:?}")) }
}

/// Calls `call` for `WARM_UP`, then for `length`; returns the measured calls per second.
async fn run<F: AsyncFnMut() -> Result<(), String>>(mut call: F, length: Duration) -> f64 {
    for phase in [WARM_UP, length] {
        let started = Instant::now();
        let mut calls = 0u64;
        while started.elapsed() < phase {
            if let Err(e) = call().await {
                panic!("a benchmarked call failed: {e}");
            }
            calls += 1;
        }
        if phase == length {
            return calls as f64 / started.elapsed().as_secs_f64();
        }
    }
    unreachable!("the measured phase returns")
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 { sorted[mid] } else { (sorted[mid - 1] + sorted[mid]) / 2.0 }
}

fn main() {
    let options = options();
    let length = Duration::from_secs_f64(options.seconds);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a Tokio runtime");
    let ours_server = Server::start(RESPONSE).expect("a loopback server");
    let sdk_server = Server::start(RESPONSE).expect("a loopback server");
    let ours = awsgen_client(&ours_server.url());
    let sdk = sdk_client(&sdk_server.url());

    let (mut ours_rates, mut sdk_rates) = (Vec::new(), Vec::new());
    runtime.block_on(async {
        for n in 1..=options.runs {
            let rate = run(async || awsgen_call(&ours).await, length).await;
            println!("run {n}/{}: awsgen-sagemaker {rate:.0} requests/s", options.runs);
            ours_rates.push(rate);
            let rate = run(async || sdk_call(&sdk).await, length).await;
            println!("run {n}/{}: aws-sdk-sagemaker {rate:.0} requests/s", options.runs);
            sdk_rates.push(rate);
        }
    });
    let (ours, baseline) = (median(&ours_rates), median(&sdk_rates));
    println!(
        "median of {} runs of {:.1} s: awsgen-sagemaker {ours:.0} requests/s, aws-sdk-sagemaker {baseline:.0} requests/s \
         ({:.2}×)",
        options.runs,
        options.seconds,
        ours / baseline,
    );
    // Both clients should have kept one connection alive throughout.
    for (name, server) in [("awsgen-sagemaker", &ours_server), ("aws-sdk-sagemaker", &sdk_server)] {
        println!("{name}: {} requests on {} connection(s)", server.answered(), server.connections());
    }
    if let Some(path) = options.json {
        let results = json!({
            "runs": options.runs,
            "seconds_per_run": options.seconds,
            "awsgen_rps": ours_rates,
            "baseline_rps": sdk_rates,
            "awsgen_median_rps": ours,
            "baseline_median_rps": baseline,
            "ratio": ours / baseline,
            "awsgen_requests": ours_server.answered(),
            "awsgen_connections": ours_server.connections(),
            "baseline_requests": sdk_server.answered(),
            "baseline_connections": sdk_server.connections(),
        });
        std::fs::write(&path, serde_json::to_string_pretty(&results).expect("JSON") + "\n")
            .unwrap_or_else(|e| panic!("writing {path}: {e}"));
    }
}
