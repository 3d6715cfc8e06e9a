//! Paginators against a scripted loopback server: `into_paginator()` on the ListModelPackages
//! builder asks for page after page with the token each page gives, as botocore's paginators do
//! (page size on the wire, `max_items` truncating the page that goes past it, a repeated token
//! ending in a typed error, a service error surfacing as the operation's error).

use awsgen_sagemaker::Client;
use awsgen_sagemaker::error::{OperationError, RequestError};
use awsgen_sagemaker::operation::list_model_packages::ListModelPackagesError;
use awsgen_sagemaker::runtime::config::Config;
use awsgen_sagemaker::runtime::credentials::Credentials;
use awsgen_sagemaker::runtime::retry::RetryConfig;
use awsgen_tests::loopback::{Loopback, Reply, Request};

const GROUP: &str = "paged-group";

fn client_for(server: &Loopback) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDPAGES", "secret", None, None, "test"))
        .endpoint_url(server.url())
        .retry_config(RetryConfig::disabled())
        .build();
    Client::new(config)
}

/// A page with the model packages `versions` of the group, and `next` as its `NextToken`.
fn page(versions: &[u32], next: Option<&str>) -> Reply {
    let summaries: Vec<serde_json::Value> = versions
        .iter()
        .map(|v| {
            serde_json::json!({
                "ModelPackageArn": format!("arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/{v}"),
                "ModelPackageName": GROUP,
                "ModelPackageVersion": v,
                "CreationTime": 1_700_000_000,
                "ModelPackageStatus": "Completed",
            })
        })
        .collect();
    let mut body = serde_json::json!({ "ModelPackageSummaryList": summaries });
    if let Some(next) = next {
        body["NextToken"] = next.into();
    }
    Reply::json(200, &body.to_string())
}

fn body(request: &Request) -> serde_json::Value {
    serde_json::from_slice(&request.body).unwrap_or_else(|e| panic!("the request body is not JSON ({e}): {request:?}"))
}

/// The `NextToken` each request sent (`None` for the first).
fn tokens_sent(requests: &[Request]) -> Vec<Option<String>> {
    requests.iter().map(|r| body(r)["NextToken"].as_str().map(str::to_string)).collect()
}

fn versions(items: &[awsgen_sagemaker::types::ModelPackageSummary]) -> Vec<i32> {
    items.iter().map(|item| item.model_package_version.unwrap_or_default()).collect()
}

#[tokio::test]
async fn three_pages_give_every_page_then_none_with_each_token_sent_once() {
    let server = Loopback::start(vec![page(&[1, 2], Some("t1")), page(&[3, 4], Some("t2")), page(&[5], None)]);
    let client = client_for(&server);
    let mut pages = client.list_model_packages().model_package_group_name(GROUP).into_paginator();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next_page().await {
        sizes.push(page.expect("a page").model_package_summary_list.unwrap_or_default().len());
    }
    assert_eq!(sizes, [2, 2, 1]);
    assert!(pages.next_page().await.is_none(), "a finished paginator stays finished");
    let requests = server.requests();
    assert_eq!(tokens_sent(&requests), [None, Some("t1".into()), Some("t2".into())]);
    for request in &requests {
        assert_eq!(body(request)["ModelPackageGroupName"], GROUP, "every page keeps the caller's input");
        assert_eq!(request.header("x-amz-target"), Some("SageMaker.ListModelPackages"));
    }
}

#[tokio::test]
async fn items_flatten_the_pages_and_collect_all_gathers_them() {
    let server = Loopback::start(vec![page(&[1, 2], Some("t1")), page(&[], Some("t2")), page(&[3], None)]);
    let client = client_for(&server);
    let items = client.list_model_packages().into_paginator().items().collect_all().await.expect("every item");
    assert_eq!(versions(&items), [1, 2, 3]);
    assert_eq!(server.requests().len(), 3, "an empty page with a token still leads on");
}

#[tokio::test]
async fn items_one_by_one_through_next() {
    let server = Loopback::start(vec![page(&[1], Some("t1")), page(&[2], None)]);
    let client = client_for(&server);
    let mut items = client.list_model_packages().into_paginator().items();
    let mut seen = Vec::new();
    while let Some(item) = items.next().await {
        seen.push(item.expect("an item").model_package_version.unwrap_or_default());
    }
    assert_eq!(seen, [1, 2]);
}

#[tokio::test]
async fn page_size_sets_max_results_on_every_request() {
    let server = Loopback::start(vec![page(&[1], Some("t1")), page(&[2], None)]);
    let client = client_for(&server);
    let items = client.list_model_packages().into_paginator().page_size(1).items().collect_all().await.unwrap();
    assert_eq!(versions(&items), [1, 2]);
    let requests = server.requests();
    assert!(requests.iter().all(|r| body(r)["MaxResults"] == 1), "MaxResults on the wire: {requests:#?}");
}

#[tokio::test]
async fn max_items_truncates_the_page_that_goes_past_it_and_asks_for_no_more() {
    let server = Loopback::start(vec![page(&[1, 2], Some("t1")), page(&[3, 4], Some("t2")), page(&[5], None)]);
    let client = client_for(&server);
    let mut pages = client.list_model_packages().into_paginator().max_items(3);
    let mut sizes = Vec::new();
    while let Some(page) = pages.next_page().await {
        sizes.push(page.unwrap().model_package_summary_list.unwrap_or_default().len());
    }
    assert_eq!(sizes, [2, 1], "the second page is cut to the one item left");
    assert_eq!(server.requests().len(), 2, "no third request");

    let server = Loopback::start(vec![page(&[1, 2], Some("t1")), page(&[3, 4], Some("t2"))]);
    let client = client_for(&server);
    let items = client.list_model_packages().into_paginator().max_items(2).items().collect_all().await.unwrap();
    assert_eq!(versions(&items), [1, 2]);
    assert_eq!(server.requests().len(), 1, "max_items reached on a page boundary: no further request");
}

#[tokio::test]
async fn an_empty_token_ends_the_pages() {
    let server = Loopback::start(vec![page(&[1], Some("")), page(&[2], None)]);
    let client = client_for(&server);
    let items = client.list_model_packages().into_paginator().items().collect_all().await.unwrap();
    assert_eq!(versions(&items), [1]);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_repeated_token_ends_with_a_typed_error_after_the_page() {
    let server = Loopback::start(vec![page(&[1], Some("same")), page(&[2], Some("same")), page(&[3], None)]);
    let client = client_for(&server);
    let mut pages = client.list_model_packages().into_paginator();
    assert!(pages.next_page().await.unwrap().is_ok());
    assert!(pages.next_page().await.unwrap().is_ok(), "the page that repeats the token is still given");
    let error = pages.next_page().await.expect("an error").expect_err("the repeated token");
    match &error {
        ListModelPackagesError::Request(RequestError::RepeatedPageToken { token_name, token }) => {
            assert_eq!(*token_name, "NextToken");
            assert_eq!(token, "\"same\"");
        }
        other => panic!("expected a repeated-token error, got {other:?}"),
    }
    let text = error.to_string();
    assert!(
        text.starts_with("ListModelPackages failed: paginator stopped: the service returned the same NextToken twice"),
        "{text}"
    );
    assert!(pages.next_page().await.is_none(), "and then nothing more");
    assert_eq!(server.requests().len(), 2, "no request with the repeated token");

    // Through the items too: the first two items, then the error.
    let server = Loopback::start(vec![page(&[1], Some("same")), page(&[2], Some("same"))]);
    let client = client_for(&server);
    let error = client.list_model_packages().into_paginator().items().collect_all().await.unwrap_err();
    assert!(matches!(error, ListModelPackagesError::Request(RequestError::RepeatedPageToken { .. })), "{error:?}");
}

#[tokio::test]
async fn a_service_error_mid_way_is_the_operations_error_and_ends_the_pages() {
    let server = Loopback::start(vec![
        page(&[1], Some("t1")),
        Reply::error(400, "ValidationException", "bad token"),
        page(&[2], None),
    ]);
    let client = client_for(&server);
    let mut items = client.list_model_packages().into_paginator().items();
    assert_eq!(items.next().await.unwrap().unwrap().model_package_version, Some(1));
    let error: ListModelPackagesError = items.next().await.expect("the error").expect_err("a service error");
    assert_eq!(error.code(), Some("ValidationException"));
    assert_eq!(error.message(), Some("bad token"));
    assert!(error.to_string().starts_with("ListModelPackages failed: ValidationException: bad token"), "{error}");
    assert!(items.next().await.is_none(), "no page after the error");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn the_paginator_is_a_futures_stream() {
    use std::pin::Pin;
    use std::task::Poll;

    fn assert_stream<S: futures_core::Stream>(_: &S) {}
    let server = Loopback::start(vec![page(&[1, 2], Some("t1")), page(&[3], None)]);
    let client = client_for(&server);
    let pages = client.list_model_packages().into_paginator();
    assert_stream(&pages);
    let mut items = pages.items();
    assert_stream(&items);
    // Polled as any combinator polls a stream.
    let mut seen = Vec::new();
    loop {
        let next = std::future::poll_fn(|cx| match futures_core::Stream::poll_next(Pin::new(&mut items), cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(item) => Poll::Ready(item),
        })
        .await;
        match next {
            Some(item) => seen.push(item.unwrap().model_package_version.unwrap_or_default()),
            None => break,
        }
    }
    assert_eq!(seen, [1, 2, 3]);
}
