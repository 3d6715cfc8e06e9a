//! Client CPU time per `CreateModelPackage` call, and requests per second, against a loopback
//! server: the generated client, and `aws-sdk-sagemaker` as the baseline, in the same process
//! and the same run, each against its own instance of the same server (with the same input and
//! response), on the same single-threaded Tokio runtime.
//!
//! Two modes: sequential (one call at a time, each awaited before the next) and concurrent (one
//! shared client, [`CONCURRENCY`] calls in flight from as many tasks, over a pool that allows as
//! many connections: both clients' pools keep any number of idle connections per host).
//!
//! CPU: `getrusage(RUSAGE_SELF)` of this process around each measured run, user + system, over
//! the calls that run made. The servers run in child processes (this binary re-run with
//! `--serve-loopback`), so their CPU is not counted: the figure is the client's own per-call cost
//! (validation, JSON, the idempotency token, SigV4, HTTP/1.1 on kept-alive connections, parsing,
//! the runtime's scheduling). Requests per second also include the servers' time and the
//! loopback round trip. Runs alternate between the clients so that a change in the machine's
//! load hits both.
//!
//! `cargo bench --manifest-path tests/bench/Cargo.toml --bench requests -- [--runs N]
//! [--seconds S] [--json PATH]`; `cargo xtask bench --only requests` runs it and reports the
//! medians.

use std::time::{Duration, Instant};

use awsgen_bench::cpu::{CpuTime, micros_per_call};
use awsgen_bench::loopback::{SERVE_ARGUMENT, ServerProcess, serve_until_stdin_closes};
use serde_json::{Value, json};

/// The response both clients parse.
const RESPONSE: &str = r#"{"ModelPackageArn":"arn:aws:sagemaker:us-east-1:123456789012:model-package/bench/1"}"#;
const ARN: &str = "arn:aws:sagemaker:us-east-1:123456789012:model-package/bench/1";
const IMAGE: &str = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.1.0-cpu-py310";
/// Before each measured run, untimed: connections, pools and caches settle.
const WARM_UP: Duration = Duration::from_millis(500);
/// Calls in flight in the concurrent mode.
const CONCURRENCY: usize = 64;

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

/// One measured run: calls made, wall time, and this process's CPU time over it.
struct Run {
    calls: u64,
    elapsed: Duration,
    cpu: CpuTime,
}

impl Run {
    fn rps(&self) -> f64 {
        self.calls as f64 / self.elapsed.as_secs_f64()
    }

    fn cpu_us_per_call(&self) -> f64 {
        micros_per_call(self.cpu.total(), self.calls).expect("a measured run makes calls")
    }
}

/// Calls `call` one at a time until `deadline`; returns how many calls it made.
async fn calls_until<F: AsyncFnMut() -> Result<(), String>>(call: &mut F, deadline: Instant) -> u64 {
    let mut calls = 0u64;
    while Instant::now() < deadline {
        if let Err(e) = call().await {
            panic!("a benchmarked call failed: {e}");
        }
        calls += 1;
    }
    calls
}

/// One concurrent task of ours: calls through its handle on the shared client until `deadline`.
/// (A plain loop: an async closure borrowing the handle would make the task's future `Send`
/// only for one lifetime, and spawning needs it for all.)
async fn awsgen_calls_until(client: awsgen_sagemaker::Client, deadline: Instant) -> u64 {
    let mut calls = 0u64;
    while Instant::now() < deadline {
        if let Err(e) = awsgen_call(&client).await {
            panic!("a benchmarked call failed: {e}");
        }
        calls += 1;
    }
    calls
}

/// One concurrent task of the SDK's, as [`awsgen_calls_until`].
async fn sdk_calls_until(client: aws_sdk_sagemaker::Client, deadline: Instant) -> u64 {
    let mut calls = 0u64;
    while Instant::now() < deadline {
        if let Err(e) = sdk_call(&client).await {
            panic!("a benchmarked call failed: {e}");
        }
        calls += 1;
    }
    calls
}

/// Sequential: calls for `WARM_UP`, then measures calls for `length`.
async fn sequential<F: AsyncFnMut() -> Result<(), String>>(mut call: F, length: Duration) -> Run {
    calls_until(&mut call, Instant::now() + WARM_UP).await;
    let (cpu_before, started) = (CpuTime::now().expect("getrusage"), Instant::now());
    let calls = calls_until(&mut call, started + length).await;
    let (elapsed, cpu) = (started.elapsed(), CpuTime::now().expect("getrusage").since(cpu_before));
    Run { calls, elapsed, cpu }
}

/// Concurrent: [`CONCURRENCY`] tasks from `task` (given the deadline, it calls one at a time
/// on a clone of the shared client until then and returns how many calls it made), for `WARM_UP`
/// and then measured for `length`.
async fn concurrent<T>(task: impl Fn(Instant) -> T, length: Duration) -> Run
where
    T: Future<Output = u64> + Send + 'static,
{
    let phase = async |length: Duration| -> u64 {
        let deadline = Instant::now() + length;
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..CONCURRENCY {
            tasks.spawn(task(deadline));
        }
        tasks.join_all().await.into_iter().sum()
    };
    phase(WARM_UP).await;
    let (cpu_before, started) = (CpuTime::now().expect("getrusage"), Instant::now());
    let calls = phase(length).await;
    let (elapsed, cpu) = (started.elapsed(), CpuTime::now().expect("getrusage").since(cpu_before));
    Run { calls, elapsed, cpu }
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 { sorted[mid] } else { (sorted[mid - 1] + sorted[mid]) / 2.0 }
}

/// The runs of one mode, per client, as JSON with medians and ratios (ours / aws-sdk).
fn mode_json(ours: &[Run], sdk: &[Run]) -> Value {
    let side = |runs: &[Run]| {
        let cpu: Vec<f64> = runs.iter().map(Run::cpu_us_per_call).collect();
        let rps: Vec<f64> = runs.iter().map(Run::rps).collect();
        json!({
            "cpu_us_per_call": cpu,
            "user_us_per_call": runs.iter().map(|r| micros_per_call(r.cpu.user, r.calls)).collect::<Vec<_>>(),
            "system_us_per_call": runs.iter().map(|r| micros_per_call(r.cpu.system, r.calls)).collect::<Vec<_>>(),
            "rps": rps,
            "calls": runs.iter().map(|r| r.calls).collect::<Vec<_>>(),
            "median_cpu_us_per_call": median(&cpu),
            "median_rps": median(&rps),
        })
    };
    let (ours, sdk) = (side(ours), side(sdk));
    let ratio = |key: &str| ours[key].as_f64().unwrap_or(f64::NAN) / sdk[key].as_f64().unwrap_or(f64::NAN);
    json!({
        "cpu_ratio": ratio("median_cpu_us_per_call"),
        "rps_ratio": ratio("median_rps"),
        "awsgen": ours,
        "baseline": sdk,
    })
}

fn main() {
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() == Some(SERVE_ARGUMENT) {
        let body = args.next().expect("the server process's response body");
        serve_until_stdin_closes(&body).expect("the loopback server process");
        return;
    }
    let options = options();
    let length = Duration::from_secs_f64(options.seconds);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a Tokio runtime");
    let mut ours_server = ServerProcess::start(RESPONSE).expect("a loopback server process");
    let mut sdk_server = ServerProcess::start(RESPONSE).expect("a loopback server process");
    let ours = awsgen_client(ours_server.url());
    let sdk = sdk_client(sdk_server.url());

    let mut runs: [(Vec<Run>, Vec<Run>); 2] = Default::default();
    runtime.block_on(async {
        for n in 1..=options.runs {
            let report = |mode: &str, name: &str, run: &Run| {
                println!(
                    "run {n}/{} {mode}: {name} {:.1} µs CPU/call ({:.1} user, {:.1} system), {:.0} requests/s",
                    options.runs,
                    run.cpu_us_per_call(),
                    micros_per_call(run.cpu.user, run.calls).unwrap_or(0.0),
                    micros_per_call(run.cpu.system, run.calls).unwrap_or(0.0),
                    run.rps()
                )
            };
            let run = sequential(async || awsgen_call(&ours).await, length).await;
            report("sequential", "awsgen-sagemaker", &run);
            runs[0].0.push(run);
            let run = sequential(async || sdk_call(&sdk).await, length).await;
            report("sequential", "aws-sdk-sagemaker", &run);
            runs[0].1.push(run);
            let mode = format!("{CONCURRENCY} concurrent");
            let ours_task = |deadline| awsgen_calls_until(ours.clone(), deadline);
            let run = concurrent(ours_task, length).await;
            report(&mode, "awsgen-sagemaker", &run);
            runs[1].0.push(run);
            let sdk_task = |deadline| sdk_calls_until(sdk.clone(), deadline);
            let run = concurrent(sdk_task, length).await;
            report(&mode, "aws-sdk-sagemaker", &run);
            runs[1].1.push(run);
        }
    });
    let sequential = mode_json(&runs[0].0, &runs[0].1);
    let concurrent = mode_json(&runs[1].0, &runs[1].1);
    for (mode, value) in [("sequential", &sequential), ("64 concurrent", &concurrent)] {
        println!(
            "median of {} runs of {:.1} s, {mode}: CPU per call awsgen-sagemaker {:.1} µs, aws-sdk-sagemaker {:.1} µs \
             ({:.2}×); awsgen-sagemaker {:.0} requests/s, aws-sdk-sagemaker {:.0} requests/s ({:.2}×)",
            options.runs,
            options.seconds,
            value["awsgen"]["median_cpu_us_per_call"].as_f64().unwrap_or(f64::NAN),
            value["baseline"]["median_cpu_us_per_call"].as_f64().unwrap_or(f64::NAN),
            value["cpu_ratio"].as_f64().unwrap_or(f64::NAN),
            value["awsgen"]["median_rps"].as_f64().unwrap_or(f64::NAN),
            value["baseline"]["median_rps"].as_f64().unwrap_or(f64::NAN),
            value["rps_ratio"].as_f64().unwrap_or(f64::NAN),
        );
    }
    let (ours_answered, ours_connections) = ours_server.stats().expect("the server process's stats");
    let (sdk_answered, sdk_connections) = sdk_server.stats().expect("the server process's stats");
    // One connection for the sequential calls, then up to CONCURRENCY for the concurrent ones.
    println!("awsgen-sagemaker: {ours_answered} requests on {ours_connections} connection(s)");
    println!("aws-sdk-sagemaker: {sdk_answered} requests on {sdk_connections} connection(s)");
    if let Some(path) = options.json {
        let results = json!({
            "runs": options.runs,
            "seconds_per_run": options.seconds,
            "concurrency": CONCURRENCY,
            "runtime": "tokio current_thread (both clients)",
            "sequential": sequential,
            "concurrent": concurrent,
            "awsgen_median_rps": sequential["awsgen"]["median_rps"],
            "baseline_median_rps": sequential["baseline"]["median_rps"],
            "ratio": sequential["rps_ratio"],
            "awsgen_requests": ours_answered,
            "awsgen_connections": ours_connections,
            "baseline_requests": sdk_answered,
            "baseline_connections": sdk_connections,
        });
        std::fs::write(&path, serde_json::to_string_pretty(&results).expect("JSON") + "\n")
            .unwrap_or_else(|e| panic!("writing {path}: {e}"));
    }
}
