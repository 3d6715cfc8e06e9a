//! The generated crate's `Cargo.toml`, and the runtime as files for a crate that carries it
//! inline.

use super::{CrateOptions, RuntimeSource};
use crate::ir::Model;
use crate::render::{self, GeneratedFile};
use crate::runtime_client_files::RUNTIME_CLIENT_FILES;
use crate::runtime_files::RUNTIME_FILES;

/// Where the runtime's generated clients are inside the runtime crate, and where they are when
/// the runtime is a crate's `runtime` module.
const CLIENTS_IN_RUNTIME: (&str, &str) = ("crate::credentials::clients::", "crate::runtime::credentials::clients::");

/// The runtime's files, as a crate that carries the runtime inline has them under
/// `src/runtime/`, with paths relative to that directory.
pub fn runtime_files(command: &str) -> Vec<GeneratedFile> {
    let own = RUNTIME_FILES.iter().map(|(file, source)| (*file, std::borrow::Cow::Borrowed(*source)));
    // The clients' paths to themselves name the runtime's root: below a crate's `runtime`
    // module, that is `crate::runtime` (their path to the runtime already is).
    let clients = RUNTIME_CLIENT_FILES.iter().map(|(file, source)| {
        (*file, std::borrow::Cow::Owned(source.replace(CLIENTS_IN_RUNTIME.0, CLIENTS_IN_RUNTIME.1)))
    });
    own.chain(clients)
        .map(|(file, source)| GeneratedFile {
            path: file.to_string(),
            contents: format!("{}\n\n{source}", render::copy_header(file, command)),
        })
        .collect()
}

/// The runtime crate's `[dependencies]` and `[dev-dependencies]` tables, as TOML: what a crate
/// that carries the runtime inline needs.
pub fn dependencies() -> String {
    // The runtime crate's manifest from its `[dependencies]` table on, without its comments
    // (that manifest and the README say why each dependency is there).
    include_str!("../../runtime/Cargo.toml")
        .lines()
        .skip_while(|line| *line != "[dependencies]")
        .filter(|line| !line.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The generated crate's manifest: the package, and the runtime (a dependency, or the runtime's
/// own dependencies when it is inline).
pub fn cargo_toml(model: &Model, options: &CrateOptions, crate_name: &str) -> String {
    let dependencies = match &options.runtime {
        RuntimeSource::Crate { path } => format!(
            "[dependencies]\n\
             awsgen-runtime = {{ path = \"{path}\" }}\n\
             aws-smithy-types = \"1\"\n\
             serde_json = \"1\"\n\
             \n\
             [dev-dependencies]\n\
             # Examples and tests of the client run on Tokio.\n\
             tokio = {{ version = \"1\", default-features = false, features = [\"macros\", \"rt\"] }}\n\
             \n\
             [features]\n\
             # Test doubles for programs that use this client (the runtime's `test_util`).\n\
             test-util = [\"awsgen-runtime/test-util\"]\n\
             # Spans and events for `tracing` subscribers (the runtime's `telemetry`).\n\
             tracing = [\"awsgen-runtime/tracing\"]\n\
             # Trust the operating system's root certificates too (the runtime's `TrustRoots`).\n\
             native-roots = [\"awsgen-runtime/native-roots\"]\n\
             # Check the model's patterns too when `validate_input(true)` asks (the regex engine).\n\
             pattern-validation = [\"awsgen-runtime/pattern-validation\"]\n"
        ),
        RuntimeSource::Inline => dependencies(),
    };
    let workspace = if options.standalone { "\n[workspace]\n" } else { "" };
    format!(
        "{header}\n\
         [package]\n\
         name = \"{crate_name}\"\n\
         version = \"0.1.0\"\n\
         edition = \"2024\"\n\
         rust-version = \"1.94\"\n\
         description = \"Client for {full_name}, generated from its AWS model.\"\n\
         license = \"Apache-2.0\"\n\
         publish = false\n\
         {workspace}\n\
         {dependencies}\n",
        header = render::header(&options.model_label, &options.command).replacen("//", "#", 1),
        full_name = model.service.full_name,
    )
}

/// The package name the AWS SDKs would give the service, with our prefix: the model's SDK id
/// (botocore `serviceId`, Smithy `aws.api#service` `sdkId`, else the endpoint prefix) in lower
/// case without spaces or punctuation, as `aws-sdk-rust` names its crates: `SageMaker` →
/// `awsgen-sagemaker`, `CloudWatch Logs` → `awsgen-cloudwatchlogs`.
pub fn crate_name(model: &Model) -> String {
    let service = &model.service;
    let id = if service.sdk_id.trim().is_empty() { &service.endpoint_prefix } else { &service.sdk_id };
    let name: String = id.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    if name.is_empty() { "awsgen-service".to_string() } else { format!("awsgen-{name}") }
}
