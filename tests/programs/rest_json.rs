//! restJson1 end to end: SageMaker Runtime's InvokeEndpoint (a binary body, header members in
//! and out) and Lambda's CreateFunction, GetFunction, ListFunctions, TagResource and ListTags
//! (a zip blob in a JSON body, labels, a query parameter, an ARN in a label), the program
//! `tests/rest_json_moto.rs` builds and runs against moto. A line per call on stdout; exit
//! status 1 on any error.
//!
//! usage: rest-json-program ENDPOINT_URL ROLE_ARN ZIP_FILE

#![deny(warnings)]

use std::collections::HashMap;
use std::process::ExitCode;

use awsgen_lambda::types::{FunctionCode, Runtime};
use awsgen_sagemakerruntime::primitives::Blob;
use awsgen_sagemakerruntime::runtime::credentials::Credentials;
use awsgen_sagemakerruntime::{Config, RequestId};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(endpoint), Some(role), Some(zip)) = (args.next(), args.next(), args.next()) else {
        return Err("usage: rest-json-program ENDPOINT_URL ROLE_ARN ZIP_FILE".into());
    };
    let zip = std::fs::read(&zip).map_err(|e| format!("reading {zip}: {e}"))?;
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDRESTJSON", "rest-json-secret", None, None, "static"))
        .endpoint_url(endpoint)
        .build();

    let runtime = awsgen_sagemakerruntime::Client::new(&config);
    let invoked = runtime
        .invoke_endpoint()
        .endpoint_name("rest-json-endpoint")
        // Bytes that are not text (NUL, controls) yet valid UTF-8: moto decodes the body as UTF-8
        // and answers 500 to any other.
        .body(Blob::new(vec![0u8, 1, 2, 0xc3, 0xa9, 0x7f, b'\n']))
        .content_type("application/octet-stream")
        .accept("application/json")
        .custom_attributes("trace=1")
        .send()
        .await?;
    let body = invoked.body.as_ref().map(|b| String::from_utf8_lossy(b.as_ref()).into_owned()).unwrap_or_default();
    println!("sagemaker-runtime InvokeEndpoint body: {body}");
    println!("sagemaker-runtime InvokeEndpoint content type: {}", invoked.content_type.as_deref().unwrap_or("-"));
    println!(
        "sagemaker-runtime InvokeEndpoint variant: {}",
        invoked.invoked_production_variant.as_deref().unwrap_or("-")
    );
    println!("sagemaker-runtime InvokeEndpoint attributes: {}", invoked.custom_attributes.as_deref().unwrap_or("-"));
    println!("sagemaker-runtime InvokeEndpoint request id: {}", invoked.request_id().is_some());

    let lambda = awsgen_lambda::Client::new(&config);
    let created = lambda
        .create_function()
        .function_name("rest-json-function")
        .runtime(Runtime::Python312)
        .role(role)
        .handler("index.handler")
        .code(FunctionCode::default().zip_file(awsgen_lambda::primitives::Blob::new(zip)))
        .send()
        .await?;
    let arn = created.function_arn.ok_or("no FunctionArn")?;
    println!("lambda CreateFunction: {arn}");
    let got = lambda.get_function().function_name("rest-json-function").send().await?;
    let configuration = got.configuration.ok_or("no Configuration")?;
    println!("lambda GetFunction: {}", configuration.function_name.as_deref().unwrap_or("-"));
    let listed = lambda.list_functions().max_items(10).send().await?;
    let names: Vec<String> = listed.functions.unwrap_or_default().into_iter().filter_map(|f| f.function_name).collect();
    println!("lambda ListFunctions: {}", names.join(","));
    lambda
        .tag_resource()
        .resource(arn.as_str())
        .tags(HashMap::from([("team".to_string(), "awsgen".to_string())]))
        .send()
        .await?;
    let tags = lambda.list_tags().resource(arn.as_str()).send().await?.tags.unwrap_or_default();
    println!("lambda ListTags: team={}", tags.get("team").map(String::as_str).unwrap_or("-"));
    Ok(())
}
