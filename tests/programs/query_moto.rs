//! STS, IAM and EC2 (the awsQuery and ec2 protocols) against moto: the program
//! `tests/query_moto.rs` builds, beside the three crates it generates, and runs. A line per
//! call on stdout; any call that fails, or answers other than expected, ends it with status 1.
//!
//! usage: query-moto-program ENDPOINT_URL

#![deny(warnings)]

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use awsgen_ec2::types::{Filter, InstanceType, ResourceType, Tag, TagSpecification};
use awsgen_iam::operation::get_role::GetRoleError;
use awsgen_sts::Config;
use awsgen_sts::runtime::credentials::Credentials;

/// moto's only account.
const ACCOUNT: &str = "123456789012";
/// An image moto knows.
const IMAGE: &str = "ami-12c6146b";
const TRUST_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

type Error = Box<dyn std::error::Error>;

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

async fn run() -> Result<(), Error> {
    let endpoint = std::env::args().nth(1).ok_or("usage: query-moto-program ENDPOINT_URL")?;
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDQUERYMOTO", "query-moto-secret", None, None, "static"))
        .endpoint_url(endpoint)
        .build();
    sts(&config).await?;
    iam(&config).await?;
    ec2(&config).await
}

async fn sts(config: &Config) -> Result<(), Error> {
    let sts = awsgen_sts::Client::new(config);
    let me = sts.get_caller_identity().send().await?;
    let account = me.account.ok_or("no Account")?;
    if account != ACCOUNT {
        return Err(format!("GetCallerIdentity: account {account}, expected {ACCOUNT}").into());
    }
    println!("sts GetCallerIdentity: {account} {}", me.arn.ok_or("no Arn")?);

    let role = format!("arn:aws:iam::{ACCOUNT}:role/query-moto");
    let assumed = sts.assume_role().role_arn(&role).role_session_name("session").duration_seconds(1800).send().await?;
    let credentials = assumed.credentials.ok_or("no Credentials")?;
    let expiration = credentials.expiration.ok_or("no Expiration")?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() as i64;
    // moto gives the duration asked for, from now.
    if !(now + 1700..=now + 1900).contains(&expiration.secs()) {
        return Err(format!("AssumeRole: expiration {expiration} is not about 30 minutes from now").into());
    }
    let key = credentials.access_key_id.ok_or("no AccessKeyId")?;
    credentials.secret_access_key.ok_or("no SecretAccessKey")?;
    credentials.session_token.ok_or("no SessionToken")?;
    println!("sts AssumeRole: {key} expires in {} s", expiration.secs() - now);

    let web = || {
        sts.assume_role_with_web_identity()
            .role_arn(&role)
            .role_session_name("web")
            .web_identity_token("a-token-from-an-identity-provider")
    };
    let request = web().prepare_request().await?;
    if let Some(authorization) = request.headers().get("authorization") {
        return Err(format!("AssumeRoleWithWebIdentity is signed: {authorization:?}").into());
    }
    println!("sts AssumeRoleWithWebIdentity request: unsigned");
    let assumed = web().send().await?;
    let user = assumed.assumed_role_user.and_then(|u| u.arn).ok_or("no AssumedRoleUser.Arn")?;
    println!("sts AssumeRoleWithWebIdentity: {user}");
    Ok(())
}

async fn iam(config: &Config) -> Result<(), Error> {
    let iam = awsgen_iam::Client::new(config);
    let created = iam
        .create_role()
        .role_name("query-moto-role")
        .path("/awsgen/")
        .assume_role_policy_document(TRUST_POLICY)
        .description("made by tests/query_moto.rs")
        .send()
        .await?;
    let arn = created.role.and_then(|r| r.arn).ok_or("no Role.Arn")?;
    println!("iam CreateRole: {arn}");
    let got = iam.get_role().role_name("query-moto-role").send().await?;
    let role = got.role.ok_or("no Role")?;
    println!(
        "iam GetRole: {} {} created {}",
        role.role_name.ok_or("no RoleName")?,
        role.path.ok_or("no Path")?,
        role.create_date.ok_or("no CreateDate")?
    );
    let listed = iam.list_roles().path_prefix("/awsgen/").send().await?;
    let names: Vec<String> = listed.roles.unwrap_or_default().into_iter().filter_map(|r| r.role_name).collect();
    println!("iam ListRoles: {}", names.join(","));
    match iam.get_role().role_name("no-such-role").send().await {
        Err(GetRoleError::NoSuchEntityException(error)) => {
            println!("iam GetRole of a missing role: NoSuchEntityException {}", error.error_message().unwrap_or("-"));
        }
        Err(other) => return Err(format!("GetRole of a missing role: {other:?}").into()),
        Ok(output) => return Err(format!("GetRole of a missing role answered {output:?}").into()),
    }
    Ok(())
}

async fn ec2(config: &Config) -> Result<(), Error> {
    let ec2 = awsgen_ec2::Client::new(config);
    let tag = Tag::default().key("Name").value("query-moto");
    let run = ec2
        .run_instances()
        .image_id(IMAGE)
        .instance_type(InstanceType::from("t2.micro"))
        .min_count(2)
        .max_count(2)
        .tag_specifications(vec![
            TagSpecification::default().resource_type(ResourceType::from("instance")).tags(vec![tag]),
        ])
        .send()
        .await?;
    let ids: Vec<String> = run.instances.unwrap_or_default().into_iter().filter_map(|i| i.instance_id).collect();
    if ids.len() != 2 {
        return Err(format!("RunInstances: {ids:?}, expected two instances").into());
    }
    println!("ec2 RunInstances: {}", ids.join(","));

    // Another instance, untagged, that the filter must leave out.
    ec2.run_instances().image_id(IMAGE).min_count(1).max_count(1).send().await?;
    let described = ec2
        .describe_instances()
        .filters(vec![
            Filter::default().name("tag:Name").values(vec!["query-moto".to_string()]),
            Filter::default().name("instance-state-name").values(vec!["pending".to_string(), "running".to_string()]),
        ])
        .send()
        .await?;
    let mut found = Vec::new();
    for instance in described.reservations.unwrap_or_default().into_iter().flat_map(|r| r.instances.unwrap_or_default())
    {
        let tags: Vec<String> = instance
            .tags
            .unwrap_or_default()
            .into_iter()
            .map(|t| format!("{}={}", t.key.unwrap_or_default(), t.value.unwrap_or_default()))
            .collect();
        let state = instance.state.and_then(|s| s.name).map(|n| n.to_string()).unwrap_or_default();
        found.push(format!("{} {state} [{}]", instance.instance_id.ok_or("no InstanceId")?, tags.join(",")));
    }
    found.sort();
    println!("ec2 DescribeInstances: {}", found.join("; "));

    let terminated = ec2.terminate_instances().instance_ids(ids).send().await?;
    let changes: Vec<String> = terminated
        .terminating_instances
        .unwrap_or_default()
        .into_iter()
        .map(|c| {
            let state = |s: Option<awsgen_ec2::types::InstanceState>| {
                s.and_then(|s| s.name).map(|n| n.to_string()).unwrap_or_default()
            };
            format!("{} {}->{}", c.instance_id.unwrap_or_default(), state(c.previous_state), state(c.current_state))
        })
        .collect();
    println!("ec2 TerminateInstances: {}", changes.join("; "));
    Ok(())
}
