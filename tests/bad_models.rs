//! A model the generator cannot use gives an error that names the file and the place (line,
//! shape, member), and never a panic.

use std::path::PathBuf;

use awsgen_tests::{fixture, workspace_root};
use codegen::{CrateOptions, OperationFilter};

fn options() -> CrateOptions {
    CrateOptions {
        crate_name: Some("bad".into()),
        model_label: "bad.json".into(),
        command: "test".into(),
        standalone: true,
        runtime: awsgen_tests::runtime_for_checks(),
    }
}

fn error_for(text: &str, filter: &OperationFilter) -> String {
    match codegen::generate("bad.json", text, filter, &options()) {
        Ok(_) => panic!("the model should have been rejected"),
        Err(e) => e.to_string(),
    }
}

/// A valid model with one shape replaced by `shape`.
fn with_shape(name: &str, shape: serde_json::Value) -> String {
    let mut model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("recursive.json")).unwrap()).unwrap();
    model["shapes"][name] = shape;
    serde_json::to_string_pretty(&model).unwrap()
}

#[test]
fn invalid_json_names_the_line_and_column() {
    let error = error_for("{\n  \"metadata\": {,\n}", &OperationFilter::All);
    assert!(error.starts_with("bad.json:2:"), "{error}");
    assert!(error.contains("invalid JSON"), "{error}");
}

#[test]
fn truncated_json_says_the_file_ends_early() {
    let text = std::fs::read_to_string(fixture("recursive.json")).unwrap();
    let error = error_for(&text[..text.len() / 2], &OperationFilter::All);
    assert!(error.starts_with("bad.json:"), "{error}");
    assert!(error.contains("ends early"), "{error}");
}

#[test]
fn a_member_pointing_at_a_missing_shape_names_the_member() {
    let text = with_shape(
        "NestedFilter",
        serde_json::json!({"type": "structure", "members": {"Expression": {"shape": "NoSuchShape"}}}),
    );
    let error = error_for(&text, &OperationFilter::All);
    assert!(error.contains("shape NestedFilter, member Expression"), "{error}");
    assert!(error.contains("`NoSuchShape`, which is not in the model"), "{error}");
    assert!(error.starts_with("bad.json:"), "{error}");
}

#[test]
fn an_unknown_shape_type_names_the_shape_and_its_line() {
    let text = with_shape("Path", serde_json::json!({"type": "bigdecimal-ish"}));
    let error = error_for(&text, &OperationFilter::All);
    assert!(error.contains("shape Path"), "{error}");
    assert!(error.contains("unknown shape type `bigdecimal-ish`"), "{error}");
    let line: usize = error.split(':').nth(1).unwrap().parse().expect("a line number");
    assert_eq!(text.lines().nth(line - 1).map(str::trim_start), Some("\"Path\": {"), "{error}");
}

#[test]
fn an_operation_that_does_not_exist_is_named_with_suggestions() {
    let text = std::fs::read_to_string(fixture("recursive.json")).unwrap();
    let error = error_for(&text, &OperationFilter::Only(vec!["search".into()]));
    assert!(error.contains("operation search"), "{error}");
    assert!(error.contains("no operation `search` (did you mean Search?)"), "{error}");
}

#[test]
fn a_list_without_a_member_names_the_shape() {
    let text = with_shape("SearchExpressionList", serde_json::json!({"type": "list"}));
    let error = error_for(&text, &OperationFilter::All);
    assert!(error.contains("shape SearchExpressionList"), "{error}");
    assert!(error.contains("a list needs a `member`"), "{error}");
}

#[test]
fn a_wrongly_typed_field_names_the_shape() {
    let text = with_shape("Path", serde_json::json!({"type": "string", "min": "one"}));
    let error = error_for(&text, &OperationFilter::All);
    assert!(error.contains("shape Path"), "{error}");
}

#[test]
fn the_xtask_exits_non_zero_with_the_error_and_does_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, with_shape("Path", serde_json::json!({"type": "list"}))).unwrap();
    let output = awsgen_tests::cargo()
        .current_dir(workspace_root())
        .args(["xtask", "codegen", "--model"])
        .arg(&bad)
        .arg("--out")
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("shape Path: a list needs a `member`"), "{stderr}");
    assert!(stderr.contains(&PathBuf::from(&bad).display().to_string()), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A botocore `paginators-1.json` that does not fit the model: the error names the paginators
/// file and the paginator, and the path that does not exist.
#[test]
fn a_bad_paginators_file_names_the_file_the_paginator_and_the_path() {
    let model = std::fs::read_to_string(fixture("paginated.json")).unwrap();
    let paginators: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("paginated.paginators-1.json")).unwrap()).unwrap();
    let error_with = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut paginators = paginators.clone();
        edit(&mut paginators);
        let text = serde_json::to_string_pretty(&paginators).unwrap();
        match codegen::generate_with_extras(
            "paginated.json",
            &model,
            &codegen::ModelExtras { paginators: Some(("paginators-1.json", &text)), ..Default::default() },
            "",
            &OperationFilter::All,
            &options(),
        ) {
            Ok(_) => panic!("the paginators should have been rejected"),
            Err(e) => e.to_string(),
        }
    };
    assert_eq!(
        error_with(&|p| p["pagination"]["ListNested"]["output_token"] = "Page.Missing".into()),
        "paginators-1.json: paginator ListNested: output token `Page.Missing`: structure `PageInfo` has no member `Missing`"
    );
    assert_eq!(
        error_with(&|p| p["pagination"]["ListThings"]["result_key"] = "Things.Name".into()),
        "paginators-1.json: paginator ListThings: result key `Things.Name`: `ThingList` is not a structure, so it has \
         no member `Name`"
    );
    assert_eq!(
        error_with(&|p| p["pagination"]["ListThings"]["input_token"] = "Cursor".into()),
        "paginators-1.json: paginator ListThings: input `Cursor`: structure `ListThingsRequest` has no member `Cursor`"
    );
    assert_eq!(
        error_with(&|p| p["pagination"]["NoSuchOperation"] = p["pagination"]["ListThings"].clone()),
        "paginators-1.json: paginator NoSuchOperation: the model has no operation of that name"
    );
    let error = error_with(&|p| p["pagination"]["ListThings"]["input_token"] = 7.into());
    assert!(error.starts_with("paginators-1.json:"), "{error}");
    assert!(error.contains("paginator ListThings"), "{error}");
    let error = error_with(&|p| *p = serde_json::json!({"paginators": {}}));
    assert!(error.starts_with("paginators-1.json:") && error.contains("pagination"), "{error}");
}

/// A paginator whose token is a JMESPath expression (as Kinesis's `DescribeStream`:
/// `StreamDescription.Shards[-1].ShardId`) is a valid botocore file: the operation is generated
/// without a paginator, and the generator says so.
#[test]
fn a_jmespath_token_leaves_the_operation_without_a_paginator_and_says_why() {
    let model = std::fs::read_to_string(fixture("paginated.json")).unwrap();
    let mut paginators: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("paginated.paginators-1.json")).unwrap()).unwrap();
    paginators["pagination"]["ListThings"]["output_token"] = "Things[-1].Name".into();
    let emitted = codegen::generate_with_extras(
        "paginated.json",
        &model,
        &codegen::ModelExtras {
            paginators: Some(("paginators-1.json", &paginators.to_string())),
            ..Default::default()
        },
        "",
        &OperationFilter::All,
        &options(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        emitted.unsupported_paginators,
        [(
            "ListThings".to_string(),
            "`Things[-1].Name` is a JMESPath expression, not a member path (`Member` or `Member.Nested`)".to_string()
        )]
    );
    let list_things = emitted.files.iter().find(|f| f.path == "src/operation/list_things.rs").unwrap();
    assert!(!list_things.contents.contains("into_paginator"));
    let list_nested = emitted.files.iter().find(|f| f.path == "src/operation/list_nested.rs").unwrap();
    assert!(list_nested.contents.contains("into_paginator"));
}

/// A change to a model's JSON.
type ModelChange = Box<dyn FnOnce(&mut serde_json::Value)>;

/// The endpoint-parameter fixture with `change` applied to its JSON.
fn endpoint_params_with(change: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("endpoint_params.json")).unwrap()).unwrap();
    change(&mut model);
    serde_json::to_string_pretty(&model).unwrap()
}

#[test]
fn bad_endpoint_parameter_bindings_name_the_operation_shape_or_parameter() {
    let cases: [(&str, ModelChange, &[&str]); 6] = [
        (
            "a path the subset lacks",
            Box::new(|m| {
                m["operations"]["ListThings"]["operationContextParams"]["NameList"]["path"] = "Things[0].Name".into()
            }),
            &["operation ListThings", "NameList", "Things[0].Name"],
        ),
        (
            "a path to a member that is not there",
            Box::new(|m| {
                m["operations"]["ListThings"]["operationContextParams"]["NameList"]["path"] = "Things[*].Nope".into()
            }),
            &["operation ListThings", "NameList", "no member `Nope`"],
        ),
        (
            "a path that ends at a structure",
            Box::new(|m| m["operations"]["ListThings"]["operationContextParams"]["FirstTag"]["path"] = "Filter".into()),
            &["operation ListThings", "FirstTag", "not a string"],
        ),
        (
            "a static value of no parameter type",
            Box::new(|m| m["operations"]["ControlThing"]["staticContextParams"]["Tier"]["value"] = 3.into()),
            &["operation ControlThing", "Tier"],
        ),
        (
            "a contextParam without a name",
            Box::new(|m| m["shapes"]["GetThingInput"]["members"]["Bucket"]["contextParam"] = serde_json::json!({})),
            &["GetThingInput", "Bucket", "contextParam"],
        ),
        (
            "a client context parameter of no known type",
            Box::new(|m| m["clientContextParams"]["Mode"]["type"] = "integer".into()),
            &["clientContextParams", "Mode", "integer"],
        ),
    ];
    for (what, change, expected) in cases {
        let error = error_for(&endpoint_params_with(change), &OperationFilter::All);
        assert!(error.starts_with("bad.json"), "{what}: {error}");
        for part in expected {
            assert!(error.contains(part), "{what}: {error} should mention {part}");
        }
    }
    // A contextParam on a member the parameter cannot take: a structure.
    let error = error_for(
        &endpoint_params_with(|m| {
            m["shapes"]["ListThingsInput"]["members"]["Filter"]["contextParam"] =
                serde_json::json!({"name": "FirstTag"})
        }),
        &OperationFilter::All,
    );
    assert!(error.contains("shape ListThingsInput, member Filter") && error.contains("structure"), "{error}");
}
