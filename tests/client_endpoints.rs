//! The client resolves every request's endpoint with SageMaker's rule set: partitions, FIPS,
//! dual-stack, an explicit endpoint; an error rule is a clear error before any request.

use awsgen_sagemaker::operation::create_model_package_group::CreateModelPackageGroupError;
use awsgen_sagemaker::runtime::credentials::Credentials;
use awsgen_sagemaker::runtime::error::RequestError;
use awsgen_sagemaker::{Client, Config};

fn client(
    configure: impl FnOnce(
        awsgen_sagemaker::runtime::config::ConfigBuilder,
    ) -> awsgen_sagemaker::runtime::config::ConfigBuilder,
) -> Client {
    let config = Config::builder().credentials(Credentials::new("AKID", "SECRET", None, None, "test"));
    Client::new(configure(config).build())
}

async fn url_for(client: &Client) -> Result<String, CreateModelPackageGroupError> {
    let request = client.create_model_package_group().model_package_group_name("g").prepare_request().await?;
    Ok(request.uri().to_string())
}

#[tokio::test]
async fn regions_of_every_partition_get_their_own_endpoint() {
    let cases = [
        ("us-east-1", "https://api.sagemaker.us-east-1.amazonaws.com/"),
        ("cn-north-1", "https://api.sagemaker.cn-north-1.amazonaws.com.cn/"),
        ("us-gov-west-1", "https://api.sagemaker.us-gov-west-1.amazonaws.com/"),
        ("us-iso-east-1", "https://api.sagemaker.us-iso-east-1.c2s.ic.gov/"),
    ];
    for (region, expected) in cases {
        assert_eq!(url_for(&client(|c| c.region(region))).await.unwrap(), expected, "{region}");
    }
}

#[tokio::test]
async fn fips_and_dual_stack_change_the_host() {
    let fips = client(|c| c.region("us-gov-west-1").use_fips(true));
    assert_eq!(url_for(&fips).await.unwrap(), "https://api-fips.sagemaker.us-gov-west-1.amazonaws.com/");
    let dual = client(|c| c.region("us-east-1").use_dual_stack(true));
    assert_eq!(url_for(&dual).await.unwrap(), "https://api.sagemaker.us-east-1.api.aws/");
    let both = client(|c| c.region("cn-north-1").use_fips(true).use_dual_stack(true));
    assert_eq!(url_for(&both).await.unwrap(), "https://api.sagemaker-fips.cn-north-1.api.amazonwebservices.com.cn/");
}

#[tokio::test]
async fn the_request_is_signed_for_the_region_it_goes_to() {
    let request = client(|c| c.region("eu-west-1"))
        .create_model_package_group()
        .model_package_group_name("g")
        .prepare_request()
        .await
        .unwrap();
    let authorization = request.headers()["authorization"].to_str().unwrap();
    assert!(authorization.contains("/eu-west-1/sagemaker/aws4_request"), "{authorization}");
    assert_eq!(request.headers()["host"], "api.sagemaker.eu-west-1.amazonaws.com");
}

#[tokio::test]
async fn an_explicit_endpoint_wins() {
    let explicit = client(|c| c.region("us-east-1").endpoint_url("http://127.0.0.1:4566"));
    assert_eq!(url_for(&explicit).await.unwrap(), "http://127.0.0.1:4566/");
}

#[tokio::test]
async fn an_error_rule_is_a_clear_error_before_any_request() {
    let fips_custom = client(|c| c.region("us-east-1").endpoint_url("https://example.com").use_fips(true));
    let error = url_for(&fips_custom).await.unwrap_err();
    assert!(matches!(error, CreateModelPackageGroupError::Request(RequestError::Endpoint(_))), "{error:?}");
    assert!(error.to_string().contains("Invalid Configuration: FIPS and custom endpoint are not supported"), "{error}");
}
