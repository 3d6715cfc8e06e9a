//! The example program, as a user runs it: configured only through the environment (region,
//! credentials, `AWS_ENDPOINT_URL_SAGEMAKER`), it creates an unversioned model package in moto
//! and prints its ARN as the last line of stdout.

use awsgen_tests::moto::MotoServer;
use awsgen_tests::workspace_root;

fn run_example(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut command = awsgen_tests::cargo();
    command
        .current_dir(workspace_root())
        .args(["run", "--quiet", "-p", "awsgen-sagemaker", "--example", "create_model_package", "--"])
        .args(args)
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("running cargo")
}

#[test]
fn the_example_creates_a_package_with_the_endpoint_from_the_environment() {
    let moto = MotoServer::start();
    let output = run_example(
        &["--model-package-name", "example-package"],
        &[
            ("AWS_REGION", "us-west-2"),
            ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
            ("AWS_SECRET_ACCESS_KEY", "example-secret"),
            ("AWS_ENDPOINT_URL_SAGEMAKER", &moto.endpoint()),
        ],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(stdout.lines().last(), Some("arn:aws:sagemaker:us-west-2:123456789012:model-package/example-package"));
}

#[test]
fn the_example_explains_missing_credentials_without_sending() {
    let output = run_example(
        &["--model-package-name", "x", "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1"],
        &[("AWS_ACCESS_KEY_ID", ""), ("AWS_SECRET_ACCESS_KEY", "")],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("credentials"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
