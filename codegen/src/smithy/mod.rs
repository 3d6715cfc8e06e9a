//! The Smithy front end: a Smithy JSON AST (IDL 2.0, and 1.0) → the shape graph.
//!
//! The result is the model the botocore front end reads from the `service-2.json` that AWS
//! generates from the same Smithy model, so that everything after the front end cannot tell the
//! two apart. That fixes a few choices:
//!
//! - The model is the closure of the one `service` shape: its operations (directly or through
//!   resources), their inputs, outputs and errors, and every shape their members reach. Shapes
//!   outside it are not read (botocore does not have them either).
//! - Shapes are named by the name part of their id (`com.amazonaws.sagemaker#Tag` → `Tag`), or as
//!   the service's `rename` says. Two shapes of the closure with the same name are an error naming
//!   both ids, except a prelude shape (`smithy.api#String`) and a model shape that read the same.
//! - `smithy.api#Unit` as an operation's input or output means none; as a member target it is an
//!   empty structure named `Unit`, as botocore has it.
//! - Member traits go to the member, target traits to the target shape: documentation,
//!   deprecation, `timestampFormat` and `required` of a member are the member's own traits.
//! - A length minimum of 0 is no minimum: it constrains nothing, and botocore leaves it out on
//!   most shapes (not all: which ones, the Smithy model cannot tell, as it has `min: 0` on both).
//! - `byte` and `short` are integers; `set` (Smithy 1.0) is a list. `bigInteger` and
//!   `bigDecimal` are rejected: the shape graph has no arbitrary-precision number and mapping
//!   them to `i64`/`f64` would lose digits silently.
//! - Not carried, since the shape graph has no place for them and every generated member is
//!   optional anyway: `default`, `clientOptional`, `box`, `addedDefault`; constraint traits
//!   (`length`, `pattern`, `range`) applied to a member rather than to its target. Nor what no
//!   emitter reads (botocore has these, and the shape graph leaves them out of both): `mediaType`
//!   (botocore's `jsonvalue`), `httpError`, whether an error is the client's or the server's (the
//!   `smithy.api#error` value, which must still be one of the two), and the names of enum
//!   members (the generator names variants after the values).
//! - `smithy.api#requestCompression` is botocore's `requestcompression`.
//! - An operation's errors are its own, then the service's, without the error of endpoint
//!   discovery (`aws.api#clientEndpointDiscovery`), as in botocore.
//! - Carried although botocore lacks them: enum member documentation and intEnums.
//! - Mixins are flattened (members of the mixins first, then the shape's own; traits of the
//!   mixins except `smithy.api#mixin` and its `localTraits`, the shape's own winning), then
//!   `apply` entries add their traits.
//!
//! The endpoint rule set (`smithy.rules#endpointRuleSet`) becomes the model's
//! `endpoint_rule_set`; an operation's `smithy.api#paginated` trait, merged over the service's,
//! becomes its paginator, as botocore's `paginators-1.json` gives it (`inputToken`,
//! `outputToken`, `pageSize` and `items` are `input_token`, `output_token`, `limit_key` and the
//! one `result_key`).
//!
//! The parts: `ast` reads the file (typed shapes, mixins, `apply`, the service's closure and the
//! names), `traits` reads trait values, and `convert` turns the closure into the shape graph.

mod ast;
mod convert;
mod traits;

use crate::error::ModelError;
use crate::ir::{IntegerShape, Length, Model, Range, ShapeKind, StringShape, Structure};
use ast::Ast;
use convert::Convert;

/// The prelude's namespace.
const PRELUDE: &str = "smithy.api";
/// The prelude's unit type: "no value".
const UNIT: &str = "smithy.api#Unit";

/// Reads a Smithy JSON AST model. `file` names the file in error messages.
pub fn parse(file: &str, text: &str) -> Result<Model, ModelError> {
    let ast = Ast::read(file, text)?;
    let service_id = ast.service_id()?;
    let closure = ast.closure(&service_id)?;
    let names = ast.names(&service_id, &closure)?;
    let model = Convert { ast: &ast, names: &names }.model(&service_id, &closure)?;
    model.check_paginators(file)?;
    Ok(model)
}

/// Whether a shape id is in the prelude.
fn is_prelude(id: &str) -> bool {
    id.split_once('#').is_some_and(|(namespace, _)| namespace == PRELUDE)
}

/// The name part of a shape id.
fn name_of(id: &str) -> &str {
    id.split_once('#').map_or(id, |(_, name)| name)
}

/// The kind of a prelude shape, if `id` names one.
fn prelude_kind(id: &str) -> Option<ShapeKind> {
    let (PRELUDE, name) = id.split_once('#')? else {
        return None;
    };
    Some(match name {
        "String" => ShapeKind::String(StringShape::default()),
        "Blob" => ShapeKind::Blob(Length::default()),
        "Boolean" | "PrimitiveBoolean" => ShapeKind::Boolean,
        "Byte" | "PrimitiveByte" | "Short" | "PrimitiveShort" | "Integer" | "PrimitiveInteger" => {
            ShapeKind::Integer(IntegerShape::default())
        }
        "Long" | "PrimitiveLong" => ShapeKind::Long(Range::default()),
        "Float" | "PrimitiveFloat" => ShapeKind::Float(Range::default()),
        "Double" | "PrimitiveDouble" => ShapeKind::Double(Range::default()),
        "Timestamp" => ShapeKind::Timestamp(None),
        "Document" => ShapeKind::Document,
        "Unit" => ShapeKind::Structure(Structure::default()),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Protocol;
    use serde_json::Value;

    fn model(shapes: Value) -> String {
        let mut all = serde_json::json!({
            "smithy": "2.0",
            "shapes": {
                "example#Svc": {
                    "type": "service",
                    "version": "2024-01-01",
                    "operations": [{"target": "example#Op"}],
                    "traits": {
                        "aws.api#service": {"sdkId": "Svc", "endpointPrefix": "svc"},
                        "aws.auth#sigv4": {"name": "svc"},
                        "aws.protocols#awsJson1_0": {}
                    }
                },
                "example#Op": {"type": "operation", "input": {"target": "example#OpInput"}, "output": {"target": "smithy.api#Unit"}}
            }
        });
        for (id, shape) in shapes.as_object().unwrap() {
            all["shapes"][id] = shape.clone();
        }
        serde_json::to_string_pretty(&all).unwrap()
    }

    fn error(shapes: Value) -> String {
        parse("m.json", &model(shapes)).unwrap_err().to_string()
    }

    #[test]
    fn unit_output_is_no_output_and_prelude_targets_become_shapes() {
        let m = parse(
            "m.json",
            &model(serde_json::json!({
                "example#OpInput": {"type": "structure", "members": {
                    "A": {"target": "smithy.api#String"}, "B": {"target": "smithy.api#PrimitiveLong"}
                }}
            })),
        )
        .unwrap();
        assert_eq!(m.operations["Op"].output, None);
        assert_eq!(m.operations["Op"].input.as_deref(), Some("OpInput"));
        assert_eq!(m.shapes.keys().collect::<Vec<_>>(), ["OpInput", "PrimitiveLong", "String"]);
        assert_eq!(m.service.target_prefix, "Svc");
        assert_eq!(m.service.protocol, Protocol::AwsJson1_0);
    }

    #[test]
    fn endpoint_parameter_traits_fill_the_ir_as_botocore_keys_do() {
        let mut text: Value = serde_json::from_str(&model(serde_json::json!({
            "example#OpInput": {"type": "structure", "members": {
                "Bucket": {"target": "smithy.api#String", "traits": {"smithy.rules#contextParam": {"name": "Bucket"}}},
                "Names": {"target": "example#Names"}
            }},
            "example#Names": {"type": "list", "member": {"target": "smithy.api#String"}}
        })))
        .unwrap();
        text["shapes"]["example#Svc"]["traits"]["smithy.rules#clientContextParams"] =
            serde_json::json!({"ForcePathStyle": {"type": "boolean", "documentation": "Path style."}});
        text["shapes"]["example#Op"]["traits"] = serde_json::json!({
            "smithy.rules#staticContextParams": {"Control": {"value": true}, "Tier": {"value": "gold"}},
            "smithy.rules#operationContextParams": {"NameList": {"path": "Names"}}
        });
        let m = parse("m.json", &text.to_string()).unwrap();
        assert_eq!(
            m.service.client_context_params,
            vec![crate::ir::ClientContextParam {
                name: "ForcePathStyle".into(),
                kind: crate::ir::ClientContextParamKind::Boolean,
                documentation: Some("Path style.".into()),
            }]
        );
        let op = &m.operations["Op"];
        assert_eq!(
            op.static_context_params,
            vec![
                ("Control".to_string(), crate::ir::StaticParamValue::Bool(true)),
                ("Tier".to_string(), crate::ir::StaticParamValue::String("gold".into())),
            ]
        );
        assert_eq!(
            op.operation_context_params,
            vec![crate::ir::OperationContextParam { name: "NameList".into(), path: "Names".into() }]
        );
        let ShapeKind::Structure(input) = &m.shapes["OpInput"].kind else { panic!("a structure") };
        assert_eq!(input.members[0].context_param.as_deref(), Some("Bucket"));
        assert_eq!(input.members[1].context_param, None);

        text["shapes"]["example#Op"]["traits"]["smithy.rules#operationContextParams"]["NameList"]["path"] =
            "Names[0]".into();
        let e = parse("m.json", &text.to_string()).unwrap_err().to_string();
        assert!(e.contains("NameList") && e.contains("Names[0]"), "{e}");
    }

    #[test]
    fn a_name_clash_names_both_ids() {
        let e = error(serde_json::json!({
            "example#OpInput": {"type": "structure", "members": {"A": {"target": "other#Thing"}, "B": {"target": "example#Thing"}}},
            "other#Thing": {"type": "string"},
            "example#Thing": {"type": "integer"}
        }));
        assert!(e.contains("example#Thing") && e.contains("other#Thing"), "{e}");
        assert!(e.starts_with("m.json:"), "{e}");
    }

    #[test]
    fn a_missing_target_names_the_member_and_the_line() {
        let text = model(serde_json::json!({
            "example#OpInput": {"type": "structure", "members": {"A": {"target": "example#Nope"}}}
        }));
        let e = parse("m.json", &text).unwrap_err();
        assert_eq!(e.location.as_deref(), Some("shape example#OpInput, member A"));
        assert!(e.message.contains("`example#Nope`"), "{e}");
        let line = e.line.expect("a line");
        assert!(text.lines().nth(line - 1).unwrap().contains("\"example#OpInput\""), "{e}");
    }

    #[test]
    fn malformed_shapes_are_errors_not_panics() {
        for shape in [
            serde_json::json!({"type": "list"}),
            serde_json::json!({"type": "map", "key": {"target": "smithy.api#String"}}),
            serde_json::json!({"type": "structure", "members": {"A": {}}}),
            serde_json::json!({"type": "structure", "members": 3}),
            serde_json::json!({"type": "string", "traits": {"smithy.api#length": {"min": -1}}}),
            serde_json::json!({"type": "string", "traits": {"smithy.api#length": 5}}),
            serde_json::json!({"type": "structure", "traits": {"smithy.api#error": "nobody"}}),
            serde_json::json!({"type": "structure", "traits": {"smithy.api#deprecated": true}}),
            serde_json::json!({"type": "intEnum", "members": {"A": {"target": "smithy.api#Unit"}}}),
            serde_json::json!({"type": "enum", "members": {"A": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1}}}}),
            serde_json::json!({"type": "bigDecimal"}),
            serde_json::json!({"type": "frobnicate"}),
            serde_json::json!({"type": "timestamp", "traits": {"smithy.api#timestampFormat": "unix"}}),
            serde_json::json!({"type": "structure", "mixins": [{"target": "example#OpInput"}]}),
        ] {
            let e = error(serde_json::json!({"example#OpInput": shape.clone()}));
            assert!(e.contains("example#OpInput"), "{shape}: {e}");
            assert!(e.starts_with("m.json:"), "{shape}: {e}");
        }
    }

    #[test]
    fn files_that_are_not_smithy_models_are_errors() {
        for (text, expected) in [
            ("[]", "expected a JSON object"),
            ("{\"smithy\": \"3.0\", \"shapes\": {}}", "Smithy IDL version"),
            ("{\"smithy\": \"2.0\", \"shapes\": {}}", "no `service` shape"),
            ("{\"smithy\": \"2.0\"", "ends early"),
        ] {
            let e = parse("m.json", text).unwrap_err().to_string();
            assert!(e.contains(expected), "{text}: {e}");
        }
    }

    #[test]
    fn mixins_and_apply_are_flattened() {
        let m = parse(
            "m.json",
            &model(serde_json::json!({
                "example#Base": {"type": "structure", "members": {"Id": {"target": "smithy.api#String"}},
                    "traits": {"smithy.api#mixin": {}, "smithy.api#documentation": "Base."}},
                "example#OpInput": {"type": "structure", "mixins": [{"target": "example#Base"}],
                    "members": {"Extra": {"target": "smithy.api#Integer"}}},
                "example#OpInput$Id": {"type": "apply", "traits": {"smithy.api#required": {}}}
            })),
        )
        .unwrap();
        let shape = m.shape("OpInput");
        assert_eq!(shape.documentation.as_deref(), Some("Base."));
        let ShapeKind::Structure(s) = &shape.kind else { panic!("a structure") };
        let members: Vec<(&str, bool)> = s.members.iter().map(|m| (m.name.as_str(), m.required)).collect();
        assert_eq!(members, [("Id", true), ("Extra", false)]);
        assert!(!m.shapes.contains_key("Base"));
    }

    #[test]
    fn service_errors_join_every_operation_but_the_endpoint_discovery_error_does_not() {
        let mut text: Value = serde_json::from_str(&model(serde_json::json!({
            "example#OpInput": {"type": "structure", "members": {}},
            "example#Busy": {"type": "structure", "traits": {"smithy.api#error": "server"}},
            "example#Moved": {"type": "structure", "traits": {"smithy.api#error": "client", "smithy.api#httpError": 421}},
            "example#Denied": {"type": "structure", "traits": {"smithy.api#error": "client"}}
        })))
        .unwrap();
        let service = &mut text["shapes"]["example#Svc"];
        service["errors"] = serde_json::json!([{"target": "example#Busy"}]);
        service["traits"]["aws.api#clientEndpointDiscovery"] =
            serde_json::json!({"operation": "example#Op", "error": "example#Moved"});
        text["shapes"]["example#Op"]["errors"] =
            serde_json::json!([{"target": "example#Moved"}, {"target": "example#Denied"}, {"target": "example#Busy"}]);
        let m = parse("m.json", &text.to_string()).unwrap();
        assert_eq!(m.operations["Op"].errors, ["Denied", "Busy"]);
        assert!(!m.shapes.contains_key("Moved"), "only endpoint discovery refers to it");
    }

    #[test]
    fn the_endpoint_rule_set_is_the_service_trait() {
        let input = serde_json::json!({"example#OpInput": {"type": "structure", "members": {}}});
        let mut text: Value = serde_json::from_str(&model(input.clone())).unwrap();
        text["shapes"]["example#Svc"]["traits"]["smithy.rules#endpointRuleSet"] = serde_json::json!({"version": "1.0"});
        let rules = parse("m.json", &text.to_string()).unwrap().endpoint_rule_set.expect("a rule set");
        assert_eq!(serde_json::from_str::<Value>(&rules).unwrap(), serde_json::json!({"version": "1.0"}));
        assert_eq!(parse("m.json", &model(input)).unwrap().endpoint_rule_set, None);
    }
}
