//! `codegen::api_diff`: each kind of change between two small hand-written models and how it is
//! classified, the Markdown summary, and two real releases of SageMaker that are both in the
//! repository (the vendored Smithy model of 2025-04-02 and the pinned botocore model), with
//! changes checked by hand. Nothing is downloaded.

use std::io::Read;

use awsgen_tests::{sagemaker_model, workspace_root};
use codegen::OperationFilter;
use codegen::api_diff::{ApiDiff, Change, ChangeKind, Impact, diff};
use codegen::ir::Model;
use serde_json::{Value, json};

/// A botocore model with operations `Put` (input `PutInput`, output `PutOutput`) and `Get`
/// (output `Thing`), then `edit` applied to its JSON.
fn model(edit: impl FnOnce(&mut Value)) -> Model {
    let mut value = json!({
        "version": "2.0",
        "metadata": {
            "apiVersion": "2024-01-01", "endpointPrefix": "things", "jsonVersion": "1.1",
            "protocol": "json", "serviceId": "Things", "signingName": "things", "targetPrefix": "Things"
        },
        "operations": {
            "Put": {"name": "Put", "http": {"method": "POST", "requestUri": "/"},
                    "input": {"shape": "PutInput"}, "output": {"shape": "PutOutput"},
                    "errors": [{"shape": "Conflict"}], "documentation": "<p>Puts a thing.</p>"},
            "Get": {"name": "Get", "http": {"method": "POST", "requestUri": "/"},
                    "output": {"shape": "Thing"}}
        },
        "shapes": {
            "PutInput": {"type": "structure", "required": ["Name"], "members": {
                "Name": {"shape": "Name", "documentation": "<p>The name.</p>"},
                "Color": {"shape": "Color"},
                "Size": {"shape": "Size"},
                "Thing": {"shape": "Thing"}
            }},
            "PutOutput": {"type": "structure", "members": {
                "Id": {"shape": "Name"},
                "Tags": {"shape": "Tags"}
            }},
            "Thing": {"type": "structure", "members": {"Label": {"shape": "Name"}}},
            "Tags": {"type": "list", "member": {"shape": "Name"}},
            "Name": {"type": "string"},
            "OtherName": {"type": "string", "max": 10},
            "Size": {"type": "integer"},
            "Color": {"type": "string", "enum": ["RED", "GREEN"]},
            "Shade": {"type": "string", "enum": ["RED", "GREEN"]},
            "Conflict": {"type": "structure", "members": {"Message": {"shape": "Name"}}, "exception": true}
        }
    });
    edit(&mut value);
    codegen::parse_model("test.json", &value.to_string()).expect("the test model is valid")
}

fn compare(old: &Model, new: &Model, operations: &[&str]) -> ApiDiff {
    let filter = OperationFilter::Only(operations.iter().map(|s| s.to_string()).collect());
    diff("old.json", old, "new.json", new, &filter).expect("both models have the operations")
}

/// The changes as (impact, kind, place) triples.
fn changes(diff: &ApiDiff) -> Vec<(Impact, ChangeKind, &str)> {
    diff.changes.iter().map(|c: &Change| (c.impact, c.kind, c.at.as_str())).collect()
}

use ChangeKind::*;
use Impact::*;

#[test]
fn the_same_model_has_no_changes() {
    let d = compare(&model(|_| {}), &model(|_| {}), &["Put"]);
    assert_eq!(d.changes, vec![]);
    assert_eq!(d.documentation_only, 0);
    assert!(d.to_markdown("t", 10).contains("**0 breaking, 0 not breaking, 0 documentation only.**"));
}

#[test]
fn members_added_and_removed() {
    let old = model(|_| {});
    let new = model(|m| {
        let input = m["shapes"]["PutInput"]["members"].as_object_mut().unwrap();
        input.remove("Size");
        input.insert("Note".into(), json!({"shape": "Name"}));
        m["shapes"]["PutOutput"]["members"]["Created"] = json!({"shape": "Name"});
    });
    assert_eq!(
        changes(&compare(&old, &new, &["Put"])),
        vec![
            (Breaking, ShapeRemoved, "Size"),
            (Breaking, MemberRemoved, "PutInput.Size"),
            (NotBreaking, MemberAdded, "PutInput.Note"),
            (NotBreaking, MemberAdded, "PutOutput.Created"),
        ]
    );
}

#[test]
fn a_new_required_member_of_a_sent_shape_is_breaking_of_a_received_one_not() {
    let old = model(|_| {});
    let new = model(|m| {
        m["shapes"]["PutInput"]["members"]["Owner"] = json!({"shape": "Name"});
        m["shapes"]["PutInput"]["required"] = json!(["Name", "Owner"]);
        m["shapes"]["PutOutput"]["members"]["Owner"] = json!({"shape": "Name"});
        m["shapes"]["PutOutput"]["required"] = json!(["Owner"]);
    });
    assert_eq!(
        changes(&compare(&old, &new, &["Put"])),
        vec![(Breaking, MemberAdded, "PutInput.Owner"), (NotBreaking, MemberAdded, "PutOutput.Owner")]
    );
}

#[test]
fn required_changes_are_classified_by_direction_and_by_whether_the_shape_is_sent() {
    let old = model(|_| {});
    let new = model(|m| {
        // Name stops being required, Color becomes required (sent), Id becomes required (received).
        m["shapes"]["PutInput"]["required"] = json!(["Color"]);
        m["shapes"]["PutOutput"]["required"] = json!(["Id"]);
    });
    let d = compare(&old, &new, &["Put"]);
    assert_eq!(
        changes(&d),
        vec![
            (Breaking, MemberBecameRequired, "PutInput.Color"),
            (NotBreaking, MemberBecameRequired, "PutOutput.Id"),
            (NotBreaking, MemberNoLongerRequired, "PutInput.Name"),
        ]
    );
    // A structure both sent and received (Thing is in Put's input and Get's output) counts as sent.
    let new = model(|m| m["shapes"]["Thing"]["required"] = json!(["Label"]));
    assert_eq!(changes(&compare(&old, &new, &["Get", "Put"])), vec![(Breaking, MemberBecameRequired, "Thing.Label")]);
    assert_eq!(changes(&compare(&old, &new, &["Get"])), vec![(NotBreaking, MemberBecameRequired, "Thing.Label")]);
}

#[test]
fn enum_values_added_are_not_breaking_removed_are() {
    let old = model(|_| {});
    let new = model(|m| m["shapes"]["Color"]["enum"] = json!(["RED", "BLUE", "YELLOW"]));
    let d = compare(&old, &new, &["Put"]);
    assert_eq!(
        changes(&d),
        vec![
            (Breaking, EnumValueRemoved, "Color: GREEN"),
            (NotBreaking, EnumValueAdded, "Color: BLUE"),
            (NotBreaking, EnumValueAdded, "Color: YELLOW")
        ]
    );
    let markdown = d.to_markdown("t", 10);
    assert!(markdown.contains("- 2 enum value(s) added to `Color`: `BLUE`, `YELLOW`\n"), "{markdown}");
    assert!(markdown.contains("- 1 enum value(s) removed from `Color`: `GREEN`\n"), "{markdown}");
}

#[test]
fn a_target_change_breaks_only_when_the_rust_type_changes() {
    let old = model(|_| {});
    let new = model(|m| {
        // Another string shape: still a String (only constraints differ).
        m["shapes"]["PutInput"]["members"]["Name"]["shape"] = json!("OtherName");
        // Another enum: another Rust type.
        m["shapes"]["PutInput"]["members"]["Color"]["shape"] = json!("Shade");
        // A list of another string shape: still a Vec<String>.
        m["shapes"]["Tags"]["member"]["shape"] = json!("OtherName");
    });
    assert_eq!(
        changes(&compare(&old, &new, &["Put"])),
        vec![
            (Breaking, ShapeRemoved, "Color"),
            (Breaking, MemberTargetChanged, "PutInput.Color"),
            (NotBreaking, ShapeAdded, "OtherName"),
            (NotBreaking, ShapeAdded, "Shade"),
            (NotBreaking, MemberTargetChanged, "PutInput.Name"),
        ]
    );
    let new = model(|m| m["shapes"]["Size"] = json!({"type": "long"}));
    assert_eq!(changes(&compare(&old, &new, &["Put"])), vec![(Breaking, ShapeKindChanged, "Size")]);
    let new = model(|m| m["shapes"]["Name"]["enum"] = json!(["A"]));
    let d = compare(&old, &new, &["Put"]);
    assert_eq!(changes(&d), vec![(Breaking, ShapeKindChanged, "Name")]);
    assert_eq!(d.changes[0].detail, "string → enum");
}

#[test]
fn operations_added_and_removed() {
    let old = model(|m| {
        m["operations"].as_object_mut().unwrap().remove("Get");
    });
    let new = model(|m| {
        m["operations"].as_object_mut().unwrap().remove("Put");
    });
    let d = compare(&old, &new, &["Get", "Put"]);
    assert_eq!(
        changes(&d),
        vec![
            (Breaking, OperationRemoved, "Put"),
            // Put's input and output leave the closure; Thing stays (Get's output), Name too.
            (Breaking, ShapeRemoved, "Color"),
            (Breaking, ShapeRemoved, "PutInput"),
            (Breaking, ShapeRemoved, "PutOutput"),
            (Breaking, ShapeRemoved, "Size"),
            (Breaking, ShapeRemoved, "Tags"),
            (NotBreaking, OperationAdded, "Get"),
        ]
    );
    // An operation in neither model is an error naming it.
    let filter = OperationFilter::Only(vec!["Nope".into()]);
    let error = diff("old.json", &old, "new.json", &new, &filter).unwrap_err().to_string();
    assert!(error.contains("new.json") && error.contains("`Nope`"), "{error}");
    // An operation outside the selection is not reported, nor are its shapes.
    assert_eq!(changes(&compare(&model(|_| {}), &new, &["Get"])), vec![]);
}

#[test]
fn documentation_only_changes_are_counted_not_listed() {
    let old = model(|_| {});
    let new = model(|m| {
        m["operations"]["Put"]["documentation"] = json!("<p>Puts a thing, better.</p>");
        m["shapes"]["PutInput"]["members"]["Name"]["documentation"] = json!("<p>The thing's name.</p>");
        m["shapes"]["Thing"]["documentation"] = json!("<p>A thing.</p>");
        // A member whose documentation and requiredness change counts as the latter only.
        m["shapes"]["PutOutput"]["members"]["Id"]["documentation"] = json!("<p>Always there.</p>");
        m["shapes"]["PutOutput"]["required"] = json!(["Id"]);
    });
    let d = compare(&old, &new, &["Put"]);
    assert_eq!(changes(&d), vec![(NotBreaking, MemberBecameRequired, "PutOutput.Id")]);
    assert_eq!(d.documentation_only, 3);
    let markdown = d.to_markdown("t", 10);
    assert!(markdown.contains("**0 breaking, 1 not breaking, 3 documentation only.**"), "{markdown}");
}

#[test]
fn the_markdown_summary_is_ordered_and_cut_at_the_limit() {
    let old = model(|_| {});
    let new = model(|m| {
        for name in ["A", "B", "C"] {
            m["shapes"]["PutOutput"]["members"][name] = json!({"shape": "Name"});
        }
        m["shapes"]["PutInput"]["members"].as_object_mut().unwrap().remove("Size");
    });
    let markdown = compare(&old, &new, &["Put"]).to_markdown("API changes, 1 → 2", 2);
    let expected = "\
## API changes, 1 → 2

Compared: 1 operations and 8 shapes before, 1 operations and 7 shapes after.

**2 breaking, 3 not breaking, 0 documentation only.**

- shapes removed: 1
- members added: 3
- members removed: 1

### Breaking (2)

- shape removed: `Size` (integer)
- member removed: `PutInput.Size`

### Not breaking (3)

- member added: `PutOutput.A`
- member added: `PutOutput.B`
- … and 1 more

### Documentation only

0 operations, shapes, members or enum values changed only in their documentation.
";
    assert_eq!(markdown, expected);
}

/// The vendored Smithy SageMaker model (aws/api-models-aws, 2025-04-02).
fn smithy_sagemaker() -> Model {
    let path = workspace_root().join("tests/fixtures/smithy-models/sagemaker-2017-07-24.json.gz");
    let compressed = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut text = String::new();
    flate2::read::GzDecoder::new(compressed.as_slice()).read_to_string(&mut text).expect("gzip");
    codegen::parse_model("sagemaker-2017-07-24.json", &text).expect("the Smithy model reads")
}

/// Two releases of SageMaker in the repository: the Smithy model of 2025-04-02 (the API of
/// botocore 1.37.26) and the pinned botocore model (1.44.5 when this was written; a later pin
/// may change the figures, not these changes, which were checked by hand in both files).
#[test]
fn real_sagemaker_releases() {
    let old = smithy_sagemaker();
    let path = sagemaker_model();
    let new = codegen::parse_model("service-2.json", &std::fs::read_to_string(&path).unwrap()).unwrap();
    let d = compare(
        &old,
        &new,
        &["CreateModelPackage", "CreateModelPackageGroup", "DescribeModelPackage", "ListModelPackages"],
    );
    let found = changes(&d);
    for expected in [
        (NotBreaking, MemberAdded, "CreateModelPackageInput.ModelPackageRegistrationType"),
        (NotBreaking, MemberAdded, "ModelPackageContainerDefinition.IsCheckpoint"),
        (NotBreaking, MemberNoLongerRequired, "ModelPackageContainerDefinition.Image"),
        (NotBreaking, ShapeAdded, "ModelPackageRegistrationType"),
        (NotBreaking, EnumValueAdded, "S3DataType: Converse"),
        (NotBreaking, EnumValueAdded, "TransformInstanceType: ml.g6.xlarge"),
    ] {
        assert!(found.contains(&expected), "{expected:?} missing from {found:#?}");
    }
    assert!(!found.iter().any(|(impact, ..)| *impact == Breaking), "{found:#?}");
}
