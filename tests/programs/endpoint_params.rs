//! The test of the crate generated from tests/fixtures/models/endpoint_params.json (written
//! into it as tests/endpoints.rs by tests/endpoint_params.rs): each call's URL and signing
//! scope come from the fixture's rule set with the parameters the model binds.

use endpoint_params::runtime::config::{Config, ConfigBuilder};
use endpoint_params::runtime::credentials::Credentials;
use endpoint_params::types::{Action, Color, Filter, Thing};
use endpoint_params::{Client, ConfigExt};

fn client(configure: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Client {
    let config = Config::builder().region("us-east-1").credentials(Credentials::new("AKID", "SECRET", None, None, "test"));
    Client::new(configure(config).build())
}

fn thing(name: &str) -> Thing {
    Thing::default().name(name)
}

#[tokio::test]
async fn a_context_param_member_sets_its_parameter() {
    let request = client(|c| c).get_thing().bucket("my-bucket").prepare_request().await.unwrap();
    assert_eq!(request.uri().to_string(), "https://my-bucket.things.us-east-1.example.com/");
    // A string enum gives its value.
    let request = client(|c| c).get_thing().bucket("b").color(Color::Green).prepare_request().await.unwrap();
    assert_eq!(request.uri().to_string(), "https://b.green.us-east-1.example.com/");
}

#[tokio::test]
async fn the_force_path_style_built_in_and_client_parameter_move_the_bucket_into_the_path() {
    let built_in = client(|c| c.force_path_style(true)).get_thing().bucket("b").prepare_request().await.unwrap();
    assert_eq!(built_in.uri().to_string(), "https://things.us-east-1.example.com/b/");
    // The client context parameter (ConfigExt's setter by the model's name) wins over the built-in.
    let named = client(|c| c.force_path_style(true).endpoint_param("ForcePathStyle", false));
    let request = named.get_thing().bucket("b").prepare_request().await.unwrap();
    assert_eq!(request.uri().to_string(), "https://b.things.us-east-1.example.com/");
}

#[tokio::test]
async fn a_client_context_parameter_applies_to_every_call_and_a_static_one_wins_over_it() {
    let moded = client(|c| c.mode("blue"));
    assert_eq!(moded.ping().prepare_request().await.unwrap().uri().to_string(), "https://blue.us-east-1.example.com/");
    let fixed = moded.fixed_mode_thing().prepare_request().await.unwrap();
    assert_eq!(fixed.uri().to_string(), "https://fixed.us-east-1.example.com/");
    let plain = client(|c| c).ping().prepare_request().await.unwrap();
    assert_eq!(plain.uri().to_string(), "https://things.us-east-1.example.com/");
}

#[tokio::test]
async fn static_context_params_win_over_members_and_the_endpoint_signing_scope_is_used() {
    let request = client(|c| c).control_thing().bucket("b").prepare_request().await.unwrap();
    assert_eq!(request.uri().to_string(), "https://control-gold.us-east-1.example.com/");
    let authorization = request.headers()["authorization"].to_str().unwrap();
    assert!(authorization.contains("/us-west-2/params-control/aws4_request"), "{authorization}");
}

#[tokio::test]
async fn operation_context_params_follow_their_paths_into_the_input() {
    let list = client(|c| c).list_things().things(vec![thing("one"), Thing::default(), thing("two")]);
    assert_eq!(list.prepare_request().await.unwrap().uri().to_string(), "https://one.two.list.us-east-1.example.com/");
    // A path of members only gives a string; an empty projection gives an empty list.
    let tagged = client(|c| c).list_things().things(vec![]).filter(Filter::default().tag("t"));
    assert_eq!(tagged.prepare_request().await.unwrap().uri().to_string(), "https://tag-t.us-east-1.example.com/");
    let batch = client(|c| c).batch_things().items(std::collections::HashMap::from([("k1".to_string(), "v".to_string())]));
    assert_eq!(batch.prepare_request().await.unwrap().uri().to_string(), "https://k1.list.us-east-1.example.com/");
    let actions = vec![Action::default().put(thing("p")), Action::default().get(thing("g")).put(thing("q"))];
    let transact = client(|c| c).transact_things().actions(actions);
    // `Actions[*].[Get.Name, Put.Name][]`: p, then g and q.
    assert_eq!(transact.prepare_request().await.unwrap().uri().to_string(), "https://p.g.list.us-east-1.example.com/");
}

#[tokio::test]
async fn an_endpoint_that_wants_only_an_unsupported_auth_scheme_is_a_clear_error() {
    let error = client(|c| c.region("sigv4a-only")).ping().prepare_request().await.unwrap_err();
    let message = error.to_string();
    assert!(message.contains("sigv4a") && message.contains("sigv4 only"), "{message}");
}

/// tests/endpoint_params.rs runs these tests with `AWS_CONFIG_FILE` naming a config whose
/// default profile has an `s3 =` sub-section with `addressing_style = path`, and with
/// `AWS_S3_USE_ARN_REGION=true`.
#[tokio::test]
async fn the_profile_s3_sub_section_and_the_environment_feed_the_built_ins() {
    let config = Config::builder()
        .load_env()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .build();
    assert_eq!(config.endpoint_settings().force_path_style, Some(true));
    assert_eq!(config.endpoint_settings().s3_use_arn_region, Some(true));
    let request = Client::new(config).get_thing().bucket("b").prepare_request().await.unwrap();
    assert_eq!(request.uri().to_string(), "https://things.us-east-1.example.com/b/");
}

#[tokio::test]
async fn the_credentials_account_and_the_account_id_endpoint_mode_are_built_ins() {
    let with_account = |mode: &str| {
        let credentials =
            Credentials::builder().access_key_id("AKID").secret_access_key("SECRET").account_id("123456789012");
        let config = Config::builder().region("us-east-1").credentials(credentials.provider_name("test").build());
        Client::new(config.account_id_endpoint_mode(mode).build())
    };
    let preferred = with_account("preferred").ping().prepare_request().await.unwrap();
    assert_eq!(preferred.uri().to_string(), "https://123456789012.account.us-east-1.example.com/");
    let disabled = with_account("disabled").ping().prepare_request().await.unwrap();
    assert_eq!(disabled.uri().to_string(), "https://things.us-east-1.example.com/");
    let required = client(|c| c.account_id_endpoint_mode("required")).ping().prepare_request().await.unwrap_err();
    assert!(required.to_string().contains("no AccountID was provided"), "{required}");
}
