//! Property tests of the model front ends (botocore `service-2.json` and Smithy JSON AST) on
//! mutated real models: whatever the text, `parse_model` returns a model or an error that names
//! the file and the place (a line, a shape, a member, an operation, a section), and never
//! panics; on a model that parses, the graph walk and the emitter do not panic either.
//!
//! The number of cases is fixed per test so the run stays short; `PROPTEST_CASES=N` raises it
//! for a longer fuzzing run. Failures are not persisted to files: a case a run finds is kept
//! as a plain `#[test]` at the end of this file.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use codegen::graph::{self, OperationFilter};
use codegen::{CrateOptions, ModelError, RuntimeSource};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Map, Value};

#[path = "../runtime/tests/common/json_walk.rs"]
mod json_walk;
use json_walk::{Step, child_mut, locate, splice};

// ---------------------------------------------------------------------------------------------
// Configuration and inputs
// ---------------------------------------------------------------------------------------------

/// `cases` cases (or `PROPTEST_CASES`), nothing written to disk, shrinking bounded (a case
/// of the big model costs a few tenths of a second).
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, failure_persistence: None, max_shrink_iters: 256, ..ProptestConfig::default() }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("codegen/ is in the workspace").to_path_buf()
}

/// The pinned SageMaker botocore model: its text and its document.
fn sagemaker() -> &'static (String, Value) {
    static MODEL: OnceLock<(String, Value)> = OnceLock::new();
    MODEL.get_or_init(|| {
        let path = workspace().join("models/sagemaker/2017-07-24/service-2.json");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let value = serde_json::from_str(&text).expect("the pinned model is JSON");
        (text, value)
    })
}

/// The SageMaker model cut down to a few operations and the shapes they reach: real shapes
/// (nested structures, lists, maps, enums, constraints, errors), cheap to mutate and read.
fn sagemaker_slice() -> &'static Value {
    static SLICE: OnceLock<Value> = OnceLock::new();
    SLICE.get_or_init(|| {
        let (_, full) = sagemaker();
        let operations = ["DescribeModelPackage", "CreateModelPackage", "CreateModelPackageGroup", "AddTags"];
        let mut slice = full.clone();
        let kept: Map<String, Value> =
            operations.iter().map(|op| (op.to_string(), full["operations"][op].clone())).collect();
        let mut wanted: Vec<String> = Vec::new();
        collect_strings(&Value::Object(kept.clone()), "shape", &mut wanted);
        let mut shapes = Map::new();
        while let Some(name) = wanted.pop() {
            if shapes.contains_key(&name) {
                continue;
            }
            let shape = full["shapes"][&name].clone();
            collect_strings(&shape, "shape", &mut wanted);
            shapes.insert(name, shape);
        }
        slice["operations"] = Value::Object(kept);
        slice["shapes"] = Value::Object(shapes);
        slice
    })
}

/// Smithy JSON AST models: the small fixtures, and slices (a few operations of the service and
/// the shapes they reach) of the real models under `tests/fixtures/smithy-models/` when they
/// are there.
fn smithy_models() -> &'static [(String, Value)] {
    static MODELS: OnceLock<Vec<(String, Value)>> = OnceLock::new();
    MODELS.get_or_init(|| {
        let mut models = Vec::new();
        let fixtures = workspace().join("tests/fixtures/smithy");
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&fixtures)
            .unwrap_or_else(|e| panic!("reading {}: {e}", fixtures.display()))
            .map(|entry| entry.expect("a directory entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "json"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).expect("a fixture");
            let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
            models.push((name, serde_json::from_str(&text).expect("a JSON fixture")));
        }
        let real = workspace().join("tests/fixtures/smithy-models");
        for (file, operations) in [
            ("kms-2014-11-01.json.gz", &["Encrypt", "CreateKey", "ListAliases"][..]),
            ("dynamodb-2012-08-10.json.gz", &["GetItem", "Query", "CreateTable"][..]),
            ("sagemaker-2017-07-24.json.gz", &["DescribeModelPackage", "CreateModelPackage"][..]),
        ] {
            let Ok(compressed) = std::fs::read(real.join(file)) else { continue };
            let mut text = String::new();
            std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&compressed[..]), &mut text)
                .unwrap_or_else(|e| panic!("decompressing {file}: {e}"));
            let full: Value = serde_json::from_str(&text).expect("a JSON model");
            models.push((file.trim_end_matches(".gz").to_string(), smithy_slice(&full, operations)));
        }
        models
    })
}

/// The Smithy model `full` with its service cut down to `operations` (by name) and only the
/// shapes they reach (through `target`s), plus the `apply` entries of those shapes.
fn smithy_slice(full: &Value, operations: &[&str]) -> Value {
    let shapes = full["shapes"].as_object().expect("shapes");
    let (service_id, service) = shapes.iter().find(|(_, shape)| shape["type"] == "service").expect("a service shape");
    let mut service = service.clone();
    let keep = |target: &Value| {
        let id = target["target"].as_str().unwrap_or_default();
        operations.iter().any(|op| id.ends_with(&format!("#{op}")))
    };
    let listed: Vec<Value> =
        service["operations"].as_array().into_iter().flatten().filter(|t| keep(t)).cloned().collect();
    service["operations"] = Value::Array(listed);
    service.as_object_mut().expect("an object").remove("resources");
    let mut kept = Map::new();
    kept.insert(service_id.clone(), service.clone());
    let mut wanted = Vec::new();
    collect_strings(&service, "target", &mut wanted);
    while let Some(id) = wanted.pop() {
        if kept.contains_key(&id) {
            continue;
        }
        if let Some(shape) = shapes.get(&id) {
            collect_strings(shape, "target", &mut wanted);
            kept.insert(id, shape.clone());
        }
    }
    for (id, shape) in shapes {
        let owner = id.split('$').next().unwrap_or(id);
        if shape["type"] == "apply" && kept.contains_key(owner) {
            kept.insert(id.clone(), shape.clone());
        }
    }
    let mut slice = full.clone();
    slice["shapes"] = Value::Object(kept);
    slice
}

/// Every string value of a `field` member anywhere inside `value`.
fn collect_strings(value: &Value, field: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(fields) => {
            for (key, child) in fields {
                match child {
                    Value::String(s) if key == field => out.push(s.clone()),
                    _ => collect_strings(child, field, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_strings(item, field, out)),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------

/// Keys the front ends look at, so that mutations often hit something they read.
const KEYS: &[&str] = &[
    "type",
    "members",
    "member",
    "key",
    "value",
    "shape",
    "target",
    "traits",
    "mixins",
    "required",
    "min",
    "max",
    "enum",
    "pattern",
    "error",
    "exception",
    "fault",
    "union",
    "document",
    "input",
    "output",
    "errors",
    "operations",
    "resources",
    "rename",
    "version",
    "timestampFormat",
    "locationName",
    "jsonvalue",
    "sparse",
    "metadata",
    "shapes",
    "protocol",
    "jsonVersion",
    "targetPrefix",
    "smithy",
    "smithy.api#required",
    "smithy.api#length",
    "smithy.api#range",
    "smithy.api#error",
    "smithy.api#httpError",
    "smithy.api#enumValue",
    "smithy.api#mixin",
    "smithy.api#deprecated",
    "smithy.api#timestampFormat",
    "smithy.api#jsonName",
    "smithy.api#documentation",
    "aws.api#service",
    "aws.protocols#awsJson1_1",
    "requestcompression",
    "smithy.api#requestCompression",
    "endpoint",
    "hostPrefix",
];

/// Shape kinds of both formats, and some that are neither.
const KINDS: &[&str] = &[
    "structure",
    "union",
    "list",
    "set",
    "map",
    "string",
    "enum",
    "intEnum",
    "integer",
    "long",
    "float",
    "double",
    "boolean",
    "timestamp",
    "blob",
    "document",
    "byte",
    "short",
    "bigInteger",
    "bigDecimal",
    "character",
    "service",
    "operation",
    "resource",
    "apply",
    "",
    "Structure",
];

/// A string a model might hold, or a strange one. No `,`: error locations separate their parts
/// with `, ` and the checks below split on it.
fn strings() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(KEYS).prop_map(str::to_string),
        prop::sample::select(KINDS).prop_map(str::to_string),
        "[A-Za-z0-9#$._:-]{0,12}",
        "[^,\"\\\\\\x00-\\x1f]{0,8}",
        Just("smithy.api#Unit".to_string()),
        Just("smithy.api#String".to_string()),
        Just("1.1".to_string()),
        Just("json".to_string()),
    ]
}

/// A random JSON value, up to a few levels deep.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop_oneof![Just(0i64), Just(-1), Just(1), Just(65536), Just(i64::from(i32::MAX) + 1)].prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        any::<u64>().prop_map(Value::from),
        strings().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((strings(), inner), 0..4)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// What to do at the chosen node.
#[derive(Clone, Debug)]
enum Edit {
    /// Replace the node with a value.
    Replace(Value),
    /// Remove the node from its object or array.
    Remove,
    /// Set the node's `type` (when it is an object).
    SetKind(String),
    /// Add or overwrite a member of the node (when it is an object).
    Insert(String, Value),
    /// Rename the node's key in its object.
    Rename(String),
    /// Replace the node with the name of a shape of the model (a reference that resolves, maybe
    /// to a shape of the wrong kind, maybe making a cycle).
    Retarget(Index),
    /// Copy the node next to itself (a second entry in an array, a `…2` key in an object).
    Duplicate,
}

fn edits() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => json().prop_map(Edit::Replace),
        2 => Just(Edit::Remove),
        2 => prop::sample::select(KINDS).prop_map(|k| Edit::SetKind(k.to_string())),
        2 => (strings(), json()).prop_map(|(k, v)| Edit::Insert(k, v)),
        1 => strings().prop_map(Edit::Rename),
        2 => any::<Index>().prop_map(Edit::Retarget),
        1 => Just(Edit::Duplicate),
    ]
}

/// A node, chosen by a walk (one child per selector) from the root or, mostly, from one of
/// the sections that hold the shapes and operations; and the edit made there.
#[derive(Clone, Debug)]
struct Mutation {
    section: Option<&'static str>,
    walk: Vec<Index>,
    edit: Edit,
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    let section = prop_oneof![1 => Just(None), 4 => Just(Some("shapes")), 1 => Just(Some("operations"))];
    let mutation = (section, prop::collection::vec(any::<Index>(), 0..7), edits())
        .prop_map(|(section, walk, edit)| Mutation { section, walk, edit });
    prop::collection::vec(mutation, 1..4)
}

fn apply(root: &mut Value, mutation: &Mutation) {
    let steps = match mutation.section.filter(|section| root.get(section).is_some_and(|s| s.is_object())) {
        Some(section) => {
            let mut steps = vec![Step::Key(section.to_string())];
            steps.extend(locate(&root[section], &mutation.walk));
            steps
        }
        None => locate(root, &mutation.walk),
    };
    let shape_names: Vec<String> =
        root.get("shapes").and_then(Value::as_object).map_or_else(Vec::new, |shapes| shapes.keys().cloned().collect());
    let Some((last, parents)) = steps.split_last() else {
        // The root itself.
        match &mutation.edit {
            Edit::Replace(value) => *root = value.clone(),
            Edit::Remove => *root = Value::Object(Map::new()),
            Edit::Insert(key, value) => insert(root, key, value),
            _ => {}
        }
        return;
    };
    let mut parent = &mut *root;
    for step in parents {
        parent = child_mut(parent, step);
    }
    match &mutation.edit {
        Edit::Replace(value) => *child_mut(parent, last) = value.clone(),
        Edit::Remove => match (parent, last) {
            (Value::Object(fields), Step::Key(key)) => {
                fields.shift_remove(key);
            }
            (Value::Array(items), Step::At(at)) => {
                items.remove(*at);
            }
            _ => {}
        },
        Edit::SetKind(kind) => insert(child_mut(parent, last), "type", &Value::String(kind.clone())),
        Edit::Insert(key, value) => insert(child_mut(parent, last), key, value),
        Edit::Rename(new) => {
            if let (Value::Object(fields), Step::Key(key)) = (parent, last)
                && let Some(value) = fields.shift_remove(key)
            {
                fields.insert(new.clone(), value);
            }
        }
        Edit::Retarget(index) => {
            if !shape_names.is_empty() {
                *child_mut(parent, last) = Value::String(shape_names[index.index(shape_names.len())].clone());
            }
        }
        Edit::Duplicate => match (parent, last) {
            (Value::Object(fields), Step::Key(key)) => {
                let copy = fields[key.as_str()].clone();
                fields.insert(format!("{key}2"), copy);
            }
            (Value::Array(items), Step::At(at)) => {
                let copy = items[*at].clone();
                items.insert(*at, copy);
            }
            _ => {}
        },
    }
}

fn insert(node: &mut Value, key: &str, value: &Value) {
    if let Value::Object(fields) = node {
        fields.insert(key.to_string(), value.clone());
    }
}

/// `text` cut at about `at` (on a character boundary).
fn truncate(text: &str, at: Index) -> &str {
    let mut end = at.index(text.len() + 1);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

/// Where a located error may be: the prefixes of `ModelError::location`.
const LOCATIONS: &[&str] =
    &["shape ", "operation ", "apply ", "paginator ", "waiter ", "metadata", "shapes", "operations", "smithy"];

/// Errors about the file as a whole (no line, no location): what they may say.
const WHOLE_FILE: &[&str] = &[
    "expected a JSON object at the top level",
    "missing the `",
    "has a top-level `",
    "not a model this generator reads",
    "the model has no `service` shape",
];

/// Errors with a line and no location come from the JSON parser.
const JSON_ERRORS: &[&str] = &["invalid JSON", "the JSON ends early", "unexpected JSON structure", "could not read"];

/// The error names `file` and a place in `text`: a line (of the definition of the shape or
/// operation it names, when it names one), a location, or says it is about the whole file.
fn check_place(error: &ModelError, file: &str, text: &str) -> Result<(), TestCaseError> {
    let shown = error.to_string();
    prop_assert_eq!(&error.file, file, "{}", shown);
    prop_assert!(shown.starts_with(file), "the error does not start with the file: {}", shown);
    prop_assert!(!error.message.is_empty(), "an empty message: {}", shown);
    let lines: Vec<&str> = text.split('\n').collect();
    if let Some(line) = error.line {
        prop_assert!((1..=lines.len()).contains(&line), "line {} of {}: {}", line, lines.len(), shown);
    }
    match (&error.location, error.line) {
        (Some(location), line) => {
            prop_assert!(LOCATIONS.iter().any(|p| location.starts_with(p)), "an unknown location: {}", shown);
            if let (Some(line), Some(name)) = (line, defined_name(location)) {
                // The line has the shape or operation as a key: its definition (a key of a
                // top-level section), not a member of the same name in another shape (see
                // `an_error_line_is_the_definition_not_a_member_of_the_same_name`).
                let written = lines[line - 1].trim_start();
                let key = format!("{}:", serde_json::to_string(name).expect("a string"));
                prop_assert!(
                    written.starts_with(&key),
                    "line {} is {:?}, not a key {:?}: {}",
                    line,
                    written,
                    name,
                    shown
                );
            }
        }
        (None, Some(_)) => {
            prop_assert!(
                JSON_ERRORS.iter().any(|m| error.message.starts_with(m)),
                "a line without a location: {}",
                shown
            );
        }
        (None, None) => {
            prop_assert!(WHOLE_FILE.iter().any(|m| error.message.contains(m)), "no place: {}", shown);
        }
    }
    Ok(())
}

/// The shape or operation (or Smithy shape id) a location names, e.g. `Tag` in
/// `shape Tag, member Key`.
fn defined_name(location: &str) -> Option<&str> {
    let rest = ["shape ", "operation ", "apply "].iter().find_map(|p| location.strip_prefix(p))?;
    let name = rest.split(", ").next().unwrap_or(rest);
    // An `apply` entry of a member is found by its shape's id.
    Some(if location.starts_with("apply ") { name.split('$').next().unwrap_or(name) } else { name })
}

fn options() -> CrateOptions {
    CrateOptions {
        crate_name: Some("prop".into()),
        model_label: "prop.json".into(),
        command: "test".into(),
        standalone: true,
        runtime: RuntimeSource::Crate { path: "../runtime".into() },
    }
}

/// Reads `text` as the model `file`; an error must name its place; a model must go through
/// the graph walk and (for up to `emit` chosen operations) the emitter without panicking.
fn read_and_generate(file: &str, text: &str, pick: &[Index], emit: bool) -> Result<(), TestCaseError> {
    let model = match codegen::parse_model(file, text) {
        Ok(model) => model,
        Err(error) => return check_place(&error, file, text),
    };
    let names: Vec<&String> = model.operations.keys().collect();
    if names.is_empty() {
        return Ok(());
    }
    let chosen: Vec<String> = pick.iter().map(|i| names[i.index(names.len())].clone()).collect();
    match graph::select(file, &model, &OperationFilter::Only(chosen)) {
        Ok(selection) if emit => {
            // An `Err` here is the emitter refusing what it built; only a panic fails.
            let _ = codegen::emit::emit(&model, &selection, &options());
        }
        Ok(_) => {}
        Err(error) => check_place(&error, file, text)?,
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(48))]

    /// The SageMaker slice, mutated structurally, then read and (when it reads, in a quarter of
    /// the cases: emitting is the slow part) generated.
    #[test]
    fn botocore_slice_mutated(edits in mutations(), pick in prop::collection::vec(any::<Index>(), 1..3), emit in prop::bool::weighted(0.25)) {
        let mut model = sagemaker_slice().clone();
        for edit in &edits {
            apply(&mut model, edit);
        }
        let text = serde_json::to_string_pretty(&model).expect("serialisable");
        read_and_generate("slice.json", &text, &pick, emit)?;
    }

    /// Smithy models, mutated structurally, then read and (when they read) generated.
    #[test]
    fn smithy_mutated(which in any::<Index>(), edits in mutations(), pick in prop::collection::vec(any::<Index>(), 1..3), emit in prop::bool::weighted(0.25)) {
        let models = smithy_models();
        let (name, model) = &models[which.index(models.len())];
        let mut model = model.clone();
        for edit in &edits {
            apply(&mut model, edit);
        }
        let text = serde_json::to_string_pretty(&model).expect("serialisable");
        read_and_generate(name, &text, &pick, emit)?;
    }

    /// Texts cut short or with a few characters replaced: JSON errors with their line, or
    /// (when the text still parses) the same checks as above.
    #[test]
    fn texts_cut_and_spliced(
        which in any::<Index>(),
        at in any::<Index>(),
        len in 0usize..8,
        with in prop_oneof![Just(String::new()), "[\\[\\]{}\",:0-9a-z \\\\]{1,4}", "\\PC{1,3}"],
        cut in any::<bool>(),
    ) {
        let models = smithy_models();
        let index = which.index(models.len() + 1);
        let (name, model) = if index == models.len() { ("slice.json", sagemaker_slice()) } else { (models[index].0.as_str(), &models[index].1) };
        let text = serde_json::to_string_pretty(model).expect("serialisable");
        let text = if cut { truncate(&text, at).to_string() } else { splice(&text, at, len, &with) };
        read_and_generate(name, &text, &[at], false)?;
    }
}

proptest! {
    #![proptest_config(config(6))]

    /// The whole SageMaker model with one structural mutation (reading it costs a few tenths
    /// of a second in a debug build, so few cases).
    #[test]
    fn botocore_full_model_mutated(edits in mutations()) {
        let mut model = sagemaker().1.clone();
        for edit in edits.iter().take(1) {
            apply(&mut model, edit);
        }
        let text = serde_json::to_string_pretty(&model).expect("serialisable");
        read_and_generate("service-2.json", &text, &[], false)?;
    }

    /// The whole SageMaker model text cut at a random byte.
    #[test]
    fn botocore_full_model_truncated(at in any::<Index>()) {
        let text = truncate(&sagemaker().0, at);
        match codegen::parse_model("service-2.json", text) {
            Ok(_) => prop_assert!(text.trim_end().ends_with('}'), "a cut model read as a whole one"),
            Err(error) => check_place(&error, "service-2.json", text)?,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Hostile inputs, and cases the properties found
// ---------------------------------------------------------------------------------------------

/// Deep nesting where each front end reads: serde_json's recursion limit makes it a JSON
/// error with a line, not a stack overflow.
#[test]
fn deeply_nested_documents_are_json_errors() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    for text in [
        deep.clone(),
        format!(r#"{{"metadata": {deep}, "shapes": {{}}}}"#),
        format!(r#"{{"smithy": "2.0", "shapes": {{"a#B": {deep}}}}}"#),
        format!(r#"{{"metadata": {{}}, "shapes": {{"A": {{"type": "structure", "members": {deep}}}}}}}"#),
    ] {
        let error = codegen::parse_model("deep.json", &text).expect_err("too deep");
        assert_eq!(error.file, "deep.json");
        assert!(error.line.is_some() || error.message.contains("top level"), "{error}");
    }
}

/// Found by `botocore_slice_mutated`: the line of an error about a shape is that of the first
/// `"Name":` after the start of the `shapes` section, which is a member of an earlier shape
/// when one has a member of the same name (604 of SageMaker's first 3,000 shapes have one, e.g.
/// `DriftCheckBaselines`, a member of `CreateModelPackageInput` too). It should be the line of
/// the shape's own key in `shapes`.
#[test]
fn an_error_line_is_the_definition_not_a_member_of_the_same_name() {
    let text = r#"{
  "metadata": {"apiVersion": "1", "protocol": "json", "jsonVersion": "1.1", "targetPrefix": "T", "endpointPrefix": "t"},
  "operations": {},
  "shapes": {
    "A": {
      "type": "structure",
      "members": {
        "B": {"shape": "B"}
      }
    },
    "B": {"type": "no-such-type"}
  }
}"#;
    let error = codegen::parse_model("m.json", text).expect_err("an unknown shape type");
    assert_eq!(error.location.as_deref(), Some("shape B"), "{error}");
    let line = error.line.expect("a line");
    assert_eq!(text.lines().nth(line - 1).map(str::trim), Some(r#""B": {"type": "no-such-type"}"#), "{error}");
}

/// Found while checking the front ends for unbounded recursion: the Smithy front end flattens
/// mixins recursively, one stack frame per level, so a chain of a few hundred mixins (each
/// shape a mixin of the next) overflowed the stack (about 160 levels on a test thread's 2 MiB
/// in a debug build), which aborts the process. It is an error naming the shape now.
#[test]
fn a_long_chain_of_mixins_is_an_error_not_a_stack_overflow() {
    let chain = |n: usize| {
        let mut shapes = serde_json::json!({
            "a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Op"}],
                "traits": {"aws.api#service": {"sdkId": "S"}, "aws.protocols#awsJson1_0": {}}},
            "a#Op": {"type": "operation", "input": {"target": "a#M0"}}
        });
        for i in 0..n {
            let mut shape =
                serde_json::json!({"type": "structure", "members": {format!("F{i}"): {"target": "smithy.api#String"}}});
            if i > 0 {
                shape["traits"] = serde_json::json!({"smithy.api#mixin": {}});
            }
            if i + 1 < n {
                shape["mixins"] = serde_json::json!([{"target": format!("a#M{}", i + 1)}]);
            }
            shapes[format!("a#M{i}")] = shape;
        }
        serde_json::to_string_pretty(&serde_json::json!({"smithy": "2.0", "shapes": shapes})).expect("serialisable")
    };
    // A few levels are fine, and every level's members arrive.
    let model = codegen::parse_model("chain.json", &chain(5)).expect("a short chain");
    let codegen::ir::ShapeKind::Structure(input) = &model.shape("M0").kind else { panic!("a structure") };
    assert_eq!(input.members.len(), 5);
    let text = chain(1_000);
    let error = codegen::parse_model("chain.json", &text).expect_err("too deep");
    assert!(error.message.contains("mixins nest more than"), "{error}");
    check_place(&error, "chain.json", &text).expect("a place");
}
