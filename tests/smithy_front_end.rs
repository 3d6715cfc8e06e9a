//! The Smithy front end reads a Smithy JSON AST into the same shape graph as the botocore front
//! end reads from the `service-2.json` AWS generates from that model, so the generated code is
//! the same byte for byte. The real models (SageMaker, DynamoDB, KMS from aws/api-models-aws of
//! 2025-04-02) are vendored gzip-compressed in `tests/fixtures/smithy-models/` (see its
//! `PROVENANCE.md`); the matching botocore release, 1.37.26 (the same day), is fetched into
//! `target/botocore-1.37.26/` by `cargo xtask test`. Our own small models in
//! `tests/fixtures/smithy/` cover the hard cases without either.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::PathBuf;

use awsgen_tests::{check_generated_crates, workspace_root};
use codegen::docs::html_to_rustdoc;
use codegen::ir::{Model, ShapeKind, TimestampFormat};
use codegen::{CrateOptions, Emitted, ModelFormat, OperationFilter};

const BOTOCORE_VERSION: &str = "1.37.26";

/// A real Smithy model, `file` (such as `kms-2014-11-01.json`), from the vendored fixtures in
/// `tests/fixtures/smithy-models/`, where it is stored as `file.gz`; its absence is a failure,
/// not a skip.
fn real_smithy_model(file: &str) -> String {
    let path = workspace_root().join("tests/fixtures/smithy-models").join(format!("{file}.gz"));
    let compressed = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the Smithy model {} ({e}): this test compares against the real models, \
             which are vendored in tests/fixtures/smithy-models/ (see its PROVENANCE.md)",
            path.display()
        )
    });
    let mut text = String::new();
    flate2::read::GzDecoder::new(compressed.as_slice())
        .read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("decompressing the Smithy model {}: {e}", path.display()));
    text
}

/// SageMaker's `service-2.json` from botocore 1.37.26; its absence is a failure, not a skip.
fn botocore_sagemaker() -> String {
    botocore_model("sagemaker/2017-07-24")
}

/// A `service-2.json` (`service/api-version`) from botocore 1.37.26; its absence is a failure.
fn botocore_model(service: &str) -> String {
    let path = workspace_root().join(format!("target/botocore-{BOTOCORE_VERSION}/{service}/service-2.json"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}): run `cargo xtask test`, which fetches it, or fetch it by hand:\n  \
             pip download --no-deps --only-binary :all: botocore=={BOTOCORE_VERSION} -d /tmp/bc\n  \
             unzip -p /tmp/bc/botocore-{BOTOCORE_VERSION}-py3-none-any.whl \
             botocore/data/{service}/service-2.json.gz | gunzip > {}",
            path.display(),
            path.display()
        )
    })
}

/// The `paginators-1.json` beside a botocore 1.37.26 model (`service/api-version`).
fn botocore_paginators(service: &str) -> String {
    let path = workspace_root().join(format!("target/botocore-{BOTOCORE_VERSION}/{service}/paginators-1.json"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {} ({e}): run `cargo xtask test`, which fetches it", path.display()))
}

/// A botocore 1.37.26 model (`service/api-version`) with its paginators and waiters.
fn botocore_with_paginators(service: &str) -> Model {
    let path = workspace_root().join(format!("target/botocore-{BOTOCORE_VERSION}/{service}/waiters-2.json"));
    // `cargo xtask test` fetches it beside the model where botocore has one (KMS has none).
    let marker = path.with_file_name("waiters-fetched");
    assert!(marker.exists(), "{} is missing: run `cargo xtask test`, which fetches the waiters", marker.display());
    let waiters = std::fs::read_to_string(&path).ok();
    parse("service-2.json", &botocore_model(service))
        .with_paginators("paginators-1.json", &botocore_paginators(service))
        .and_then(|model| match &waiters {
            Some(text) => model.with_waiters("waiters-2.json", text),
            None => Ok(model),
        })
        .unwrap_or_else(|e| panic!("{e}"))
}

/// One of our Smithy fixtures.
fn fixture_path(name: &str) -> PathBuf {
    workspace_root().join("tests/fixtures/smithy").join(name)
}

fn fixture_text(name: &str) -> String {
    let path = fixture_path(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn only(operations: &[&str]) -> OperationFilter {
    OperationFilter::Only(operations.iter().map(|s| s.to_string()).collect())
}

/// The options both front ends generate with: the same label, so headers cannot differ.
fn options(crate_name: &str) -> CrateOptions {
    CrateOptions {
        crate_name: Some(crate_name.to_string()),
        model_label: "the SageMaker model".to_string(),
        command: "cargo xtask codegen".to_string(),
        standalone: true,
        runtime: awsgen_tests::runtime_for_checks(),
    }
}

fn generate(file: &str, text: &str, filter: &OperationFilter, crate_name: &str) -> Emitted {
    codegen::generate(file, text, filter, &options(crate_name))
        .unwrap_or_else(|e| panic!("generating from {file}: {e}"))
}

fn parse(file: &str, text: &str) -> Model {
    codegen::parse_model(file, text).unwrap_or_else(|e| panic!("{e}"))
}

// ---------------------------------------------------------------------------------------------
// The real SageMaker model, both ways
// ---------------------------------------------------------------------------------------------

#[test]
fn the_format_is_recognised_by_content() {
    assert_eq!(ModelFormat::detect("s", &real_smithy_model("kms-2014-11-01.json")).unwrap(), ModelFormat::Smithy);
    assert_eq!(ModelFormat::detect("b", &botocore_sagemaker()).unwrap(), ModelFormat::Botocore);
    let error = ModelFormat::detect("x.json", "{\"version\": \"1.0\", \"operations\": {}}").unwrap_err().to_string();
    assert!(error.starts_with("x.json: not a model this generator reads"), "{error}");
    let error = ModelFormat::detect("x.json", "{\"metadata\": {}}").unwrap_err().to_string();
    assert!(error.contains("has a top-level `metadata` but no `shapes`"), "{error}");
    let error = ModelFormat::detect("x.json", "[1, 2]").unwrap_err().to_string();
    assert_eq!(error, "x.json: expected a JSON object at the top level");
}

/// The same operation from the Smithy model and from botocore's JSON of the same day gives the
/// same crate, byte for byte. What the formats write differently (documentation whitespace,
/// pattern anchors, a minimum length of 0, the order of errors) is normalised by the generator
/// (`docs.rs`, `ir::Model::normalize`, the Smithy front end's pattern reading), not here.
#[test]
fn create_model_package_is_byte_identical_from_smithy_and_from_botocore() {
    let filter = only(&["CreateModelPackage"]);
    let botocore = generate("service-2.json", &botocore_sagemaker(), &filter, "awsgen-sagemaker");
    let smithy =
        generate("service-2.json", &real_smithy_model("sagemaker-2017-07-24.json"), &filter, "awsgen-sagemaker");
    assert_eq!(smithy.counts, botocore.counts);
    let comparison = compare(&botocore, &smithy);
    if let Some(first) = comparison.first_difference() {
        panic!(
            "{} of {} files differ ({}); the first:\n{first}",
            comparison.differing.len(),
            comparison.total(),
            comparison.differing.join(", ")
        );
    }
    assert!(comparison.only_botocore.is_empty() && comparison.only_smithy.is_empty(), "{comparison:?}");
    assert_eq!(comparison.identical, botocore.files.len());
}

#[test]
fn the_create_model_package_closure_is_the_same_106_shapes_with_the_same_shape_graph() {
    let smithy = parse("sagemaker-2017-07-24.json", &real_smithy_model("sagemaker-2017-07-24.json"));
    let botocore = parse("service-2.json", &botocore_sagemaker());
    let select = |model: &Model| codegen::graph::select("m", model, &only(&["CreateModelPackage"])).unwrap();
    let (from_smithy, from_botocore) = (select(&smithy), select(&botocore));
    assert_eq!(from_smithy.shapes, from_botocore.shapes);
    // The operation's own closure is the same 106 shapes (the selection may add more, such as
    // errors every operation can meet).
    let (own_smithy, own_botocore) =
        (reachable(&smithy, "CreateModelPackage"), reachable(&botocore, "CreateModelPackage"));
    assert_eq!(own_smithy, own_botocore);
    assert_eq!(own_smithy.len(), 106);
    println!("the closure: 106 shapes from the operation, {} selected, the same from both", from_smithy.shapes.len());
    assert_eq!((&from_smithy.sent, &from_smithy.received), (&from_botocore.sent, &from_botocore.received));
    assert_eq!(from_smithy.boxed, from_botocore.boxed);

    let (smithy, disagreements) = with_botocore_values(&smithy, &botocore);
    let (smithy, botocore) = (comparable(&smithy), comparable(&botocore));
    assert_eq!(smithy.service, botocore.service);
    assert_eq!(smithy.operations["CreateModelPackage"], botocore.operations["CreateModelPackage"]);
    for name in &from_smithy.shapes {
        assert_eq!(smithy.shapes[name], botocore.shapes[name], "shape {name}");
    }
    let in_closure = |names: &BTreeSet<String>| names.intersection(&from_smithy.shapes).count();
    let (patterns, minimums) = (in_closure(&disagreements.patterns), in_closure(&disagreements.zero_minimums));
    println!("in the closure, {patterns} shapes have another pattern in the Smithy model, {minimums} another minimum");
    // The generator normalises what the formats write differently; none of it remains.
    assert_eq!((patterns, minimums), (0, 0));
}

/// How far equality holds for the whole of SageMaker: the shape graph shape by shape, and the
/// generated crate file by file. Prints the figures; asserts the known ones, so that a change
/// (better or worse) is noticed.
#[test]
fn all_of_sagemaker_from_smithy_and_from_botocore_differs_only_where_the_models_do() {
    let smithy_text = real_smithy_model("sagemaker-2017-07-24.json");
    let smithy_model = parse("sagemaker-2017-07-24.json", &smithy_text);
    let botocore_model = botocore_with_paginators("sagemaker/2017-07-24");

    let (aligned, disagreements) = with_botocore_values(&smithy_model, &botocore_model);
    println!("paginators: {:#?}", disagreements.paginators);
    // The Smithy traits read as botocore's paginators-1.json of the day (botocore 1.37.26) for
    // all of its 78 paginators; the Smithy model has two more.
    assert_eq!(botocore_model.paginators.len(), 78);
    assert_eq!(smithy_model.paginators.len(), 80);
    let paginator_disagreements: Vec<(&str, &str)> =
        disagreements.paginators.iter().map(|(name, why)| (name.as_str(), why.as_str())).collect();
    assert_eq!(paginator_disagreements, [("ListProjects", "only from Smithy"), ("QueryLineage", "only from Smithy")]);
    let smithy = comparable(&aligned);
    let botocore = comparable(&botocore_model);
    assert_eq!(smithy.service, botocore.service);
    let differing_operations: Vec<&String> = smithy
        .operations
        .keys()
        .filter(|name| smithy.operations.get(*name) != botocore.operations.get(*name))
        .collect();
    for name in &differing_operations {
        println!(
            "operation {name}:\n  Smithy   {:?}\n  botocore {:?}",
            smithy.operations[*name],
            botocore.operations.get(*name)
        );
    }
    assert!(differing_operations.is_empty(), "{differing_operations:?}");
    assert_eq!(smithy.operations.len(), botocore.operations.len());

    let names: BTreeSet<&String> = smithy.shapes.keys().chain(botocore.shapes.keys()).collect();
    let mut differing_shapes = BTreeMap::new();
    for name in names {
        let why = match (smithy.shapes.get(name), botocore.shapes.get(name)) {
            (Some(a), Some(b)) if a == b => continue,
            (Some(_), None) => "only from Smithy".to_string(),
            (None, Some(_)) => "only from botocore".to_string(),
            (Some(a), Some(b)) => difference(a, b),
            (None, None) => unreachable!("the name comes from one of the maps"),
        };
        differing_shapes.insert(name.clone(), why);
    }
    println!(
        "shape graph: {} shapes from Smithy, {} from botocore; {} differ in their pattern, {} in a minimum \
         length of 0, {} otherwise:",
        smithy.shapes.len(),
        botocore.shapes.len(),
        disagreements.patterns.len(),
        disagreements.zero_minimums.len(),
        differing_shapes.len()
    );
    for (name, why) in &differing_shapes {
        println!("  {name}: {why}");
    }
    // The two models themselves differ here.
    let expected: BTreeMap<String, String> = [
        // botocore has a member the Smithy model of the same day does not.
        ("CreateNotebookInstanceLifecycleConfigInput", "members only from Smithy [], only from botocore [\"Tags\"]"),
        // botocore names the JSON string after the member; the Smithy model after its own
        // conversion, as `SynthesizedJson…`. Both make the member a JSON value.
        ("HumanLoopActivationConditions", "only from botocore"),
        ("SynthesizedJsonHumanLoopActivationConditions", "only from Smithy"),
        (
            "HumanLoopActivationConditionsConfig",
            "member HumanLoopActivationConditions: target Smithy \"SynthesizedJsonHumanLoopActivationConditions\", \
             botocore \"HumanLoopActivationConditions\"",
        ),
        (
            "MetricDatum",
            "member order: Smithy [\"MetricName\", \"StandardMetricName\", \"Value\", \"Set\"], \
             botocore [\"MetricName\", \"Value\", \"Set\", \"StandardMetricName\"]",
        ),
        // A union in the Smithy model, a plain structure in botocore.
        ("TrialComponentParameterValue", "Smithy \"union\", botocore \"structure\""),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(differing_shapes, expected);
    // Before normalisation the models disagreed in 204 patterns (anchors), 59 minimum lengths
    // of 0 and the error order of 52 operations; the generator now reads them alike.
    assert_eq!((disagreements.patterns.len(), disagreements.zero_minimums.len()), (0, 0));
    assert_eq!(disagreements.error_orders.len(), 0);

    let botocore = emit(&botocore_model, &OperationFilter::All, "awsgen-sagemaker");
    let mut figures = Vec::new();
    for (what, model) in
        [("as the models are", &smithy_model), ("with botocore's patterns, minimums and error order", &aligned)]
    {
        let comparison = compare(&botocore, &emit(model, &OperationFilter::All, "awsgen-sagemaker"));
        println!(
            "generated files, {what}: {} identical, {} differ, {} only from botocore, {} only from Smithy",
            comparison.identical,
            comparison.differing.len(),
            comparison.only_botocore.len(),
            comparison.only_smithy.len()
        );
        for path in &comparison.differing {
            println!("  differs: {path}");
        }
        if let Some(first) = comparison.first_difference() {
            println!("the first difference:\n{first}");
        }
        assert!(comparison.only_botocore.is_empty() && comparison.only_smithy.is_empty(), "{comparison:?}");
        figures.push((comparison.identical, comparison.differing));
    }
    // With the generator's normalisation, what remains are the shapes the models define
    // differently, and the two operations only the Smithy model paginates.
    let mut paginated_only_in_smithy = figures[1].1.clone();
    paginated_only_in_smithy
        .extend(["src/operation/list_projects.rs".to_string(), "src/operation/query_lineage.rs".into()]);
    paginated_only_in_smithy.sort();
    assert_eq!(figures[0].1, paginated_only_in_smithy);
    assert_eq!(
        figures[1].1,
        [
            "src/operation/create_notebook_instance_lifecycle_config.rs",
            "src/types/create_notebook_instance_lifecycle_config_input.rs",
            "src/types/metric_datum.rs",
            "src/types/trial_component_parameter_value.rs",
        ]
    );
}

/// The shapes reachable from an operation's input, output and errors.
fn reachable(model: &Model, operation: &str) -> BTreeSet<String> {
    let operation = &model.operations[operation];
    let mut stack: Vec<&str> =
        operation.input.iter().chain(&operation.output).chain(&operation.errors).map(String::as_str).collect();
    let mut seen = BTreeSet::new();
    while let Some(name) = stack.pop() {
        if seen.insert(name.to_string()) {
            stack.extend(codegen::graph::targets(&model.shape(name).kind));
        }
    }
    seen
}

/// What differs between a shape from Smithy (`a`) and from botocore (`b`), in a few words.
fn difference(a: &codegen::ir::Shape, b: &codegen::ir::Shape) -> String {
    match (&a.kind, &b.kind) {
        (ShapeKind::Structure(x), ShapeKind::Structure(y)) | (ShapeKind::Union(x), ShapeKind::Union(y)) => {
            let names = |s: &codegen::ir::Structure| s.members.iter().map(|m| m.name.clone()).collect::<Vec<_>>();
            let (x_names, y_names) = (names(x), names(y));
            if x_names != y_names {
                let only =
                    |p: &[String], q: &[String]| p.iter().filter(|n| !q.contains(n)).cloned().collect::<Vec<_>>();
                let (only_smithy, only_botocore) = (only(&x_names, &y_names), only(&y_names, &x_names));
                if only_smithy.is_empty() && only_botocore.is_empty() {
                    return format!("member order: Smithy {x_names:?}, botocore {y_names:?}");
                }
                return format!("members only from Smithy {only_smithy:?}, only from botocore {only_botocore:?}");
            }
            match x.members.iter().zip(&y.members).find(|(m, n)| m != n) {
                Some((m, n)) if codegen::ir::Member { target: n.target.clone(), ..m.clone() } == *n => {
                    format!("member {}: target Smithy {:?}, botocore {:?}", m.name, m.target, n.target)
                }
                Some((m, n)) => format!("member {}: Smithy {m:?}, botocore {n:?}", m.name),
                None => format!("Smithy {a:?}, botocore {b:?}"),
            }
        }
        (x, y) if x.label() != y.label() => format!("Smithy {:?}, botocore {:?}", x.label(), y.label()),
        _ => format!("Smithy {a:?}, botocore {b:?}"),
    }
}

/// DynamoDB (awsJson1_0) and KMS (awsJson1_1) agree as well: KMS is byte-identical and
/// DynamoDB differs in one shape the models define differently.
#[test]
fn dynamodb_and_kms_from_smithy_and_from_botocore_differ_only_where_the_models_do() {
    for (
        smithy_file,
        botocore_dir,
        disagreement_counts,
        differing_shapes,
        differing_files,
        expected_paginator_disagreements,
    ) in [
        (
            "dynamodb-2012-08-10.json",
            "dynamodb/2012-08-10",
            (0, 0, 0),
            // A union in the Smithy model, a plain structure in botocore.
            vec![("AttributeValue", "Smithy \"union\", botocore \"structure\"")],
            vec!["src/types/attribute_value.rs"],
            // The Smithy model of the day paginates three newer list operations; botocore
            // paginates two that the Smithy model does not.
            vec![
                ("ListBackups", "only from botocore"),
                ("ListContributorInsights", "only from Smithy"),
                ("ListExports", "only from Smithy"),
                ("ListImports", "only from Smithy"),
                ("ListTagsOfResource", "only from botocore"),
            ],
        ),
        ("kms-2014-11-01.json", "kms/2014-11-01", (0, 0, 0), vec![], vec![], vec![]),
    ] {
        let smithy_model = parse(smithy_file, &real_smithy_model(smithy_file));
        let botocore_model = botocore_with_paginators(botocore_dir);
        let (aligned, disagreements) = with_botocore_values(&smithy_model, &botocore_model);
        println!("{smithy_file}: paginators: {:#?}", disagreements.paginators);
        let paginator_disagreements: Vec<(&str, &str)> =
            disagreements.paginators.iter().map(|(name, why)| (name.as_str(), why.as_str())).collect();
        assert_eq!(paginator_disagreements, expected_paginator_disagreements, "{smithy_file}");
        let (smithy, botocore) = (comparable(&aligned), comparable(&botocore_model));
        assert_eq!(smithy.service, botocore.service, "{smithy_file}");
        assert_eq!(smithy.operations, botocore.operations, "{smithy_file}");
        assert_eq!(
            smithy.shapes.keys().collect::<Vec<_>>(),
            botocore.shapes.keys().collect::<Vec<_>>(),
            "{smithy_file}"
        );
        let differing: Vec<(&str, String)> = smithy
            .shapes
            .iter()
            .filter(|(name, shape)| botocore.shapes[*name] != **shape)
            .map(|(name, shape)| (name.as_str(), difference(shape, &botocore.shapes[name])))
            .collect();
        let expected: Vec<(&str, String)> = differing_shapes.iter().map(|(n, d)| (*n, d.to_string())).collect();
        assert_eq!(differing, expected, "{smithy_file}");
        let counts =
            (disagreements.patterns.len(), disagreements.zero_minimums.len(), disagreements.error_orders.len());
        assert_eq!(counts, disagreement_counts, "{smithy_file}: patterns, minimums, error orders");

        let comparison = compare(
            &emit(&botocore_model, &OperationFilter::All, "awsgen-x"),
            &emit(&aligned, &OperationFilter::All, "awsgen-x"),
        );
        println!(
            "{smithy_file}, all operations, aligned: {} files identical, {} differ",
            comparison.identical,
            comparison.differing.len()
        );
        assert_eq!(comparison.differing, differing_files, "{smithy_file}");
        assert!(comparison.only_botocore.is_empty() && comparison.only_smithy.is_empty(), "{comparison:?}");
    }
}

/// Generates from a shape graph, as `codegen::generate` does from a file.
fn emit(model: &Model, filter: &OperationFilter, crate_name: &str) -> Emitted {
    let selection = codegen::graph::select("model", model, filter).unwrap();
    codegen::emit::emit(model, &selection, &options(crate_name)).unwrap()
}

/// Where the two models disagree in a way the front end cannot undo, and which shapes of the
/// Smithy shape graph were given botocore's version.
#[derive(Debug, Default)]
struct Disagreements {
    /// String shapes whose pattern differs: the Smithy model anchors its patterns.
    patterns: BTreeSet<String>,
    /// Strings, blobs, lists and maps with a minimum length of 0 in botocore, which the shape
    /// graph reads as no minimum (the Smithy model has `min: 0` on both kinds).
    zero_minimums: BTreeSet<String>,
    /// Operations that list the same errors in another order.
    error_orders: BTreeSet<String>,
    /// Paginators that differ in what the Smithy trait can say (tokens, page size, the first
    /// result key), or that only one model has, and how. The aligned Smithy model is given
    /// botocore's paginators, which may say more (several result keys, `more_results`,
    /// non-aggregate keys).
    paginators: BTreeMap<String, String>,
}

/// The Smithy shape graph with botocore's pattern and length minimum on every shape both have,
/// and botocore's order of each operation's errors.
fn with_botocore_values(smithy: &Model, botocore: &Model) -> (Model, Disagreements) {
    let mut aligned = smithy.clone();
    let mut disagreements = Disagreements::default();
    for (name, operation) in &mut aligned.operations {
        let Some(b) = botocore.operations.get(name) else { continue };
        let sorted = |errors: &[String]| errors.iter().cloned().collect::<BTreeSet<_>>();
        if operation.errors != b.errors && sorted(&operation.errors) == sorted(&b.errors) {
            operation.errors.clone_from(&b.errors);
            disagreements.error_orders.insert(name.clone());
        }
    }
    let names: BTreeSet<&String> = smithy.paginators.keys().chain(botocore.paginators.keys()).collect();
    for name in names {
        if !smithy.operations.contains_key(name) {
            continue;
        }
        let essentials = |p: &codegen::ir::Paginator| {
            (p.input_tokens.clone(), p.output_tokens.clone(), p.limit_key.clone(), p.result_keys.first().cloned())
        };
        match botocore.paginators.get(name) {
            Some(b) => aligned.paginators.insert(name.clone(), b.clone()),
            None => aligned.paginators.remove(name),
        };
        let why = match (smithy.paginators.get(name), botocore.paginators.get(name)) {
            (Some(s), Some(b)) if essentials(s) == essentials(b) => continue,
            (Some(s), Some(b)) => format!("Smithy {:?}, botocore {:?}", essentials(s), essentials(b)),
            (Some(_), None) => "only from Smithy".to_string(),
            (None, Some(_)) => "only from botocore".to_string(),
            (None, None) => unreachable!("the name comes from one of the maps"),
        };
        disagreements.paginators.insert(name.clone(), why);
    }
    for (name, shape) in &mut aligned.shapes {
        let Some(b) = botocore.shapes.get(name) else { continue };
        if let (ShapeKind::String(s), ShapeKind::String(b)) = (&mut shape.kind, &b.kind)
            && s.pattern != b.pattern
        {
            s.pattern.clone_from(&b.pattern);
            disagreements.patterns.insert(name.clone());
        }
        let length = match (&mut shape.kind, &b.kind) {
            (ShapeKind::String(s), ShapeKind::String(b)) => Some((&mut s.length, b.length)),
            (ShapeKind::Blob(s), ShapeKind::Blob(b)) => Some((s, *b)),
            (ShapeKind::List(s), ShapeKind::List(b)) => Some((&mut s.length, b.length)),
            (ShapeKind::Map(s), ShapeKind::Map(b)) => Some((&mut s.length, b.length)),
            _ => None,
        };
        if let Some((length, b)) = length
            && length.min.is_none()
            && b.min == Some(0)
        {
            length.min = Some(0);
            disagreements.zero_minimums.insert(name.clone());
        }
    }
    (aligned, disagreements)
}

/// The shape graph without what only the Smithy front end can know (enum member documentation)
/// and with documentation in its rendered form, which is what the generated code shows (the two
/// models format the same HTML differently).
fn comparable(model: &Model) -> Model {
    let mut model = model.clone();
    let render = |doc: &mut Option<String>| *doc = doc.as_deref().map(html_to_rustdoc);
    render(&mut model.service.documentation);
    for operation in model.operations.values_mut() {
        render(&mut operation.documentation);
    }
    for shape in model.shapes.values_mut() {
        render(&mut shape.documentation);
        match &mut shape.kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) => {
                for member in &mut s.members {
                    render(&mut member.documentation);
                }
            }
            ShapeKind::String(s) => {
                for value in s.enum_values.iter_mut().flatten() {
                    value.documentation = None;
                }
            }
            _ => {}
        }
    }
    model
}

// ---------------------------------------------------------------------------------------------
// Every operation of the three real models compiles
// ---------------------------------------------------------------------------------------------

/// Every operation of SageMaker (awsJson1_1), DynamoDB (awsJson1_0) and KMS, read from their
/// Smithy models, generates crates that pass clippy and rustdoc with warnings denied.
#[test]
fn every_operation_of_the_three_smithy_models_compiles_without_warnings() {
    let models = [
        ("sagemaker-2017-07-24.json", "smithy-sagemaker"),
        ("dynamodb-2012-08-10.json", "smithy-dynamodb"),
        ("kms-2014-11-01.json", "smithy-kms"),
    ];
    let crates = models
        .iter()
        .map(|(file, name)| (name.to_string(), generate(file, &real_smithy_model(file), &OperationFilter::All, name)))
        .collect();
    check_generated_crates("models", crates);
}

// ---------------------------------------------------------------------------------------------
// Our fixtures: the hard cases
// ---------------------------------------------------------------------------------------------

#[test]
fn smithy_enums_keep_their_values_and_documentation() {
    // The member names are not carried: the generator names variants after the values.
    let model = parse("enums.json", &fixture_text("enums.json"));
    let ShapeKind::String(colour) = &model.shape("Colour").kind else { panic!("Colour is a string enum") };
    let values: Vec<(&str, Option<&str>)> =
        colour.enum_values.iter().flatten().map(|v| (v.value.as_str(), v.documentation.as_deref())).collect();
    assert_eq!(
        values,
        [
            ("red", Some("<p>The colour of a stop sign.</p>")),
            ("dark-green", None),
            // No `enumValue`: the member name is the value.
            ("BLUE", None),
        ]
    );

    let ShapeKind::String(legacy) = &model.shape("LegacySize").kind else { panic!("LegacySize is a string") };
    let values: Vec<&str> = legacy.enum_values.iter().flatten().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["s", "m"], "the Smithy 1.0 `enum` trait");

    let ShapeKind::Integer(level) = &model.shape("Level").kind else { panic!("Level is an intEnum") };
    assert_eq!(level.enum_values, Some(vec![("LOW".to_string(), 1), ("HIGH".to_string(), 10)]));
}

#[test]
fn smithy_enums_generate_open_enums() {
    let emitted = generate_fixture("enums.json");
    snapshot_files("smithy_enums", &emitted, |path| {
        ["src/types/colour.rs", "src/types/level.rs", "src/types/legacy_size.rs"].contains(&path)
    });
}

#[test]
fn a_union_with_a_unit_member_and_a_recursive_shape_read_and_generate() {
    let model = parse("shapes.json", &fixture_text("shapes.json"));
    let ShapeKind::Union(filter) = &model.shape("Filter").kind else { panic!("Filter is a union") };
    let members: Vec<(&str, &str)> = filter.members.iter().map(|m| (m.name.as_str(), m.target.as_str())).collect();
    assert_eq!(members, [("Name", "String"), ("All", "Unit"), ("And", "FilterList"), ("Not", "Filter")]);
    // `smithy.api#Unit` as a member target is an empty structure, as botocore names it.
    assert_eq!(model.shape("Unit").kind, ShapeKind::Structure(Default::default()));

    let emitted = generate_fixture("shapes.json");
    let selection = codegen::graph::select("shapes.json", &model, &OperationFilter::All).unwrap();
    assert!(selection.boxed.contains(&("Filter".to_string(), "Not".to_string())), "{:?}", selection.boxed);
    snapshot_files("smithy_shapes", &emitted, |path| {
        ["src/types/filter.rs", "src/types/node.rs", "src/types/find_input.rs"].contains(&path)
    });
}

#[test]
fn defaults_client_optional_json_names_and_timestamp_formats_are_read() {
    let model = parse("shapes.json", &fixture_text("shapes.json"));
    let ShapeKind::Structure(input) = &model.shape("FindInput").kind else { panic!("FindInput is a structure") };
    let member = |name: &str| input.members.iter().find(|m| m.name == name).unwrap();

    // `jsonName` renames the key on the wire only.
    assert_eq!((member("PageSize").wire_name.as_str(), member("PageSize").name.as_str()), ("page_size", "PageSize"));
    // `required` with `clientOptional` is still required; a default adds nothing to the graph.
    assert!(member("Filter").required);
    assert!(!member("PageSize").required);
    // A member's timestamp format is the member's, a shape's the shape's.
    assert_eq!(member("Since").timestamp_format, Some(TimestampFormat::DateTime));
    assert_eq!(member("Until").timestamp_format, None);
    assert_eq!(model.shape("HttpDate").kind, ShapeKind::Timestamp(Some(TimestampFormat::HttpDate)));
    assert!(member("Token").idempotency_token);
    // A string whose media type is JSON is a plain string member (no emitter reads `mediaType`).
    assert_eq!(member("Extra").target, "JsonText");
    assert_eq!(member("Old").deprecated.as_ref().and_then(|d| d.message.as_deref()), Some("Use Filter."));

    let ShapeKind::Structure(error) = &model.shape("NotFound").kind else { panic!("NotFound is a structure") };
    let exception = error.exception.as_ref().expect("an error");
    // Only the code is carried: the awsJson client tells errors apart by their code alone.
    assert_eq!(exception.code, "NotFound");
    assert_eq!(model.operations["Find"].errors, ["NotFound", "Throttled"], "operation errors, then the service's");
    assert_eq!(model.operations["Find"].host_prefix.as_deref(), Some("data."));
    let compression = model.operations["Find"].request_compression.as_ref().map(|c| c.encodings.clone());
    assert_eq!(compression, Some(vec!["gzip".to_string()]));
    assert!(model.shape("Secret").sensitive);

    let emitted = generate_fixture("shapes.json");
    snapshot_files("smithy_shapes", &emitted, |path| path == "src/types/find_output.rs");
}

#[test]
fn the_service_shape_gives_the_service_metadata() {
    let model = parse("shapes.json", &fixture_text("shapes.json"));
    let service = &model.service;
    assert_eq!(service.sdk_id, "Finder");
    assert_eq!(service.full_name, "Example Finder Service");
    assert_eq!(service.api_version, "2024-06-01");
    assert_eq!(service.target_prefix, "Finder_20240601");
    assert_eq!((service.signing_name.as_str(), service.endpoint_prefix.as_str()), ("finder", "api.finder"));
    assert_eq!(service.protocol, codegen::ir::Protocol::AwsJson1_0);
    let rules: serde_json::Value =
        serde_json::from_str(model.endpoint_rule_set.as_deref().expect("a rule set")).expect("JSON");
    assert_eq!(rules["version"], "1.0");
}

#[test]
fn errors_in_a_smithy_model_name_the_file_and_the_shape_id() {
    let mut model: serde_json::Value = serde_json::from_str(&fixture_text("shapes.json")).unwrap();
    model["shapes"]["example.finder#Node"]["members"]["Children"]["target"] = "example.finder#Missing".into();
    let error = codegen::parse_model("shapes.json", &model.to_string()).unwrap_err().to_string();
    assert!(error.starts_with("shapes.json:"), "{error}");
    assert!(error.contains("shape example.finder#Node, member Children"), "{error}");
    assert!(error.contains("`example.finder#Missing`, which is not in the model"), "{error}");

    let mut model: serde_json::Value = serde_json::from_str(&fixture_text("shapes.json")).unwrap();
    model["shapes"]["other.ns#Node"] = serde_json::json!({"type": "string"});
    model["shapes"]["example.finder#FindOutput"]["members"]["Other"] = serde_json::json!({"target": "other.ns#Node"});
    let error = codegen::parse_model("shapes.json", &model.to_string()).unwrap_err().to_string();
    assert!(error.contains("example.finder#Node") && error.contains("other.ns#Node"), "{error}");

    let mut model: serde_json::Value = serde_json::from_str(&fixture_text("shapes.json")).unwrap();
    let traits = model["shapes"]["example.finder#Finder_20240601"]["traits"].as_object_mut().unwrap();
    traits.remove("aws.protocols#awsJson1_0");
    // A protocol the generator does not speak (Smithy's newer JSON RPC protocol).
    traits.insert("smithy.protocols#rpcv2Json".into(), serde_json::json!({}));
    let error = codegen::parse_model("shapes.json", &model.to_string()).unwrap_err().to_string();
    assert!(error.contains("protocol `smithy.protocols#rpcv2Json` is not supported"), "{error}");
}

fn generate_fixture(name: &str) -> Emitted {
    let options = CrateOptions {
        crate_name: Some(name.trim_end_matches(".json").to_string()),
        model_label: name.to_string(),
        command: "cargo xtask codegen".to_string(),
        standalone: true,
        runtime: awsgen_tests::runtime_for_checks(),
    };
    codegen::generate(name, &fixture_text(name), &OperationFilter::All, &options).unwrap_or_else(|e| panic!("{e}"))
}

/// Snapshots the chosen generated files.
fn snapshot_files(prefix: &str, emitted: &Emitted, keep: impl Fn(&str) -> bool) {
    let mut kept = 0;
    for file in emitted.files.iter().filter(|f| keep(&f.path)) {
        let name = format!("{prefix}__{}", file.path.replace(['/', '.'], "_"));
        insta::assert_snapshot!(name, &file.contents);
        kept += 1;
    }
    assert!(kept > 0, "no generated file was chosen");
}

/// Our fixtures compile, as their snapshots claim (`cargo check`, warnings denied).
#[test]
fn the_smithy_fixtures_compile_without_warnings() {
    let crates = ["enums.json", "shapes.json"]
        .iter()
        .map(|name| (name.trim_end_matches(".json").to_string(), generate_fixture(name)))
        .collect();
    check_generated_crates("fixtures", crates);
}

// ---------------------------------------------------------------------------------------------
// Comparing generated crates
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Default)]
struct Comparison {
    identical: usize,
    /// Paths whose contents differ, sorted.
    differing: Vec<String>,
    only_botocore: Vec<String>,
    only_smithy: Vec<String>,
    /// A unified diff of the first differing file.
    first_diff: Option<String>,
}

impl Comparison {
    fn total(&self) -> usize {
        self.identical + self.differing.len()
    }

    fn first_difference(&self) -> Option<&str> {
        self.first_diff.as_deref()
    }
}

fn compare(botocore: &Emitted, smithy: &Emitted) -> Comparison {
    let from_botocore: BTreeMap<&str, &str> =
        botocore.files.iter().map(|f| (f.path.as_str(), f.contents.as_str())).collect();
    let from_smithy: BTreeMap<&str, &str> =
        smithy.files.iter().map(|f| (f.path.as_str(), f.contents.as_str())).collect();
    let mut comparison = Comparison::default();
    for (path, b) in &from_botocore {
        match from_smithy.get(path) {
            None => comparison.only_botocore.push(path.to_string()),
            Some(s) if s == b => comparison.identical += 1,
            Some(s) => {
                if comparison.first_diff.is_none() {
                    comparison.first_diff =
                        Some(unified_diff(&format!("botocore/{path}"), &format!("smithy/{path}"), b, s));
                }
                comparison.differing.push(path.to_string());
            }
        }
    }
    comparison.only_smithy =
        from_smithy.keys().filter(|path| !from_botocore.contains_key(*path)).map(|p| p.to_string()).collect();
    comparison
}

/// A unified diff (3 lines of context, at most 200 lines shown) of two texts.
fn unified_diff(a_name: &str, b_name: &str, a: &str, b: &str) -> String {
    let a: Vec<&str> = a.lines().collect();
    let b: Vec<&str> = b.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (a_mid, b_mid) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);

    // The edit script of the differing middle, by longest common subsequence.
    #[derive(Clone, Copy, PartialEq)]
    enum Op {
        Same,
        Delete,
        Insert,
    }
    let mut ops = Vec::new();
    if a_mid.len() * b_mid.len() <= 4_000_000 {
        let (n, m) = (a_mid.len(), b_mid.len());
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * (m + 1) + j] = if a_mid[i] == b_mid[j] {
                    lcs[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && a_mid[i] == b_mid[j] {
                ops.push(Op::Same);
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
                ops.push(Op::Delete);
                i += 1;
            } else {
                ops.push(Op::Insert);
                j += 1;
            }
        }
    } else {
        ops.extend(std::iter::repeat_n(Op::Delete, a_mid.len()));
        ops.extend(std::iter::repeat_n(Op::Insert, b_mid.len()));
    }
    let mut script: Vec<Op> = std::iter::repeat_n(Op::Same, prefix).collect();
    script.extend(ops);
    script.extend(std::iter::repeat_n(Op::Same, suffix));

    // Hunks: changed lines with up to 3 lines of context around them.
    let changed: Vec<usize> = script.iter().enumerate().filter(|(_, op)| **op != Op::Same).map(|(k, _)| k).collect();
    let mut out = vec![format!("--- {a_name}"), format!("+++ {b_name}")];
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(3);
        let mut end = changed[k] + 1;
        while k < changed.len() && changed[k] <= end + 6 {
            end = changed[k] + 1;
            k += 1;
        }
        let end = (end + 3).min(script.len());
        let (a_start, b_start) = positions(&script[..start]);
        let (a_len, b_len) = positions(&script[start..end]);
        out.push(format!("@@ -{},{a_len} +{},{b_len} @@", a_start + 1, b_start + 1));
        let (mut i, mut j) = (a_start, b_start);
        for op in &script[start..end] {
            match op {
                Op::Same => {
                    out.push(format!(" {}", a[i]));
                    i += 1;
                    j += 1;
                }
                Op::Delete => {
                    out.push(format!("-{}", a[i]));
                    i += 1;
                }
                Op::Insert => {
                    out.push(format!("+{}", b[j]));
                    j += 1;
                }
            }
        }
    }
    if out.len() > 200 {
        let more = out.len() - 200;
        out.truncate(200);
        out.push(format!("... ({more} more lines)"));
    }

    fn positions(ops: &[Op]) -> (usize, usize) {
        ops.iter().fold((0, 0), |(a, b), op| match op {
            Op::Same => (a + 1, b + 1),
            Op::Delete => (a + 1, b),
            Op::Insert => (a, b + 1),
        })
    }
    out.join("\n")
}

#[test]
fn the_diff_shows_changed_lines_with_context() {
    let a = "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\n";
    let b = "one\ntwo\nthree\nFOUR\nfive\nsix\nseven\neight\nnine\n";
    let diff = unified_diff("a", "b", a, b);
    assert_eq!(
        diff,
        "--- a\n+++ b\n@@ -1,8 +1,9 @@\n one\n two\n three\n-four\n+FOUR\n five\n six\n seven\n eight\n+nine"
    );
}

// ---------------------------------------------------------------------------------------------
// Paginators
// ---------------------------------------------------------------------------------------------

/// `smithy.api#paginated` on the operations, merged over the service's, reads as the same
/// paginators as botocore's `paginators-1.json` says them (in the forms Smithy can say: one
/// result key, no `more_results`), and the same model besides.
#[test]
fn the_paginated_trait_gives_the_same_model_as_botocores_paginators_file() {
    let smithy = parse("paginated.json", &fixture_text("paginated.json"));
    let botocore_text = std::fs::read_to_string(workspace_root().join("tests/fixtures/models/paginated.json")).unwrap();
    let single_key = serde_json::json!({"pagination": {
        "ListThings": {"input_token": "NextToken", "output_token": "NextToken", "limit_key": "MaxResults", "result_key": "Things"},
        "ListNested": {"input_token": "Marker", "output_token": "Page.Next", "limit_key": "Limit", "result_key": "Things"},
        "ListPagesOnly": {"input_token": "NextToken", "output_token": "NextToken", "limit_key": "MaxResults"},
    }});
    let botocore = parse("paginated.json", &botocore_text)
        .with_paginators("paginators-1.json", &single_key.to_string())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(smithy.paginators, botocore.paginators);
    assert_eq!(smithy.paginators["ListNested"].output_tokens, ["Page.Next"]);
    assert_eq!(smithy.paginators["ListThings"].limit_key.as_deref(), Some("MaxResults"), "from the service's trait");
    assert_eq!(comparable(&smithy).operations, comparable(&botocore).operations);
    assert_eq!(comparable(&smithy).shapes, comparable(&botocore).shapes);
}

#[test]
fn a_paginated_trait_with_a_path_the_output_lacks_names_the_operation_and_the_path() {
    let mut text: serde_json::Value = serde_json::from_str(&fixture_text("paginated.json")).unwrap();
    text["shapes"]["example.paginated#ListNested"]["traits"]["smithy.api#paginated"]["outputToken"] =
        "Page.Nope".into();
    let error = codegen::parse_model("paginated.json", &text.to_string()).unwrap_err().to_string();
    assert_eq!(
        error,
        "paginated.json: paginator ListNested: output token `Page.Nope`: structure `PageInfo` has no member `Nope`"
    );
    text["shapes"]["example.paginated#ListNested"]["traits"]["smithy.api#paginated"]["items"] = 3.into();
    let error = codegen::parse_model("paginated.json", &text.to_string()).unwrap_err().to_string();
    assert!(error.contains("`items` must be a string"), "{error}");
}

#[test]
fn the_waitable_trait_reads_as_botocore_waiters_do_and_its_errors_name_the_waiter() {
    use codegen::ir::{AcceptorState, Matcher, PathComparator};
    let mut text: serde_json::Value = serde_json::from_str(&fixture_text("paginated.json")).unwrap();
    let waitable = serde_json::json!({
        "ThingsListed": {
            "documentation": "Waits for things.",
            "minDelay": 3,
            "acceptors": [
                {"state": "success", "matcher": {"output": {"path": "Things[].Name", "expected": "a", "comparator": "allStringEquals"}}},
                {"state": "failure", "matcher": {"output": {"path": "IsTruncated", "expected": "true", "comparator": "booleanEquals"}}},
                {"state": "retry", "matcher": {"errorType": "example.paginated#Busy"}},
                {"state": "failure", "matcher": {"success": false}}
            ]
        }
    });
    text["shapes"]["example.paginated#ListNested"]["traits"]["smithy.waiters#waitable"] = waitable;
    let model = parse("paginated.json", &text.to_string());
    let waiter = &model.waiters["ThingsListed"];
    assert_eq!((waiter.operation.as_str(), waiter.min_delay, waiter.max_delay), ("ListNested", 3, 120));
    assert_eq!(waiter.documentation.as_deref(), Some("Waits for things."));
    let states: Vec<AcceptorState> = waiter.acceptors.iter().map(|a| a.state).collect();
    assert_eq!(states, [AcceptorState::Success, AcceptorState::Failure, AcceptorState::Retry, AcceptorState::Failure]);
    assert_eq!(
        waiter.acceptors[0].matcher,
        Matcher::Output { path: "Things[].Name".into(), expected: "a".into(), comparator: PathComparator::All }
    );
    assert_eq!(
        waiter.acceptors[1].matcher,
        Matcher::Output { path: "IsTruncated".into(), expected: true.into(), comparator: PathComparator::Equals }
    );
    assert_eq!(waiter.acceptors[2].matcher, Matcher::ErrorType("Busy".into()));
    assert_eq!(waiter.acceptors[3].matcher, Matcher::Success(false));

    // A path beyond the compiled subset, and Smithy's inputOutput matcher (not supported).
    let trait_path =
        "/shapes/example.paginated#ListNested/traits/smithy.waiters#waitable/ThingsListed/acceptors/0/matcher";
    let mut bad = text.clone();
    *bad.pointer_mut(trait_path).unwrap() = serde_json::json!({"output": {"path": "Things[?Name == 'a']", "expected": "a", "comparator": "anyStringEquals"}});
    let error = codegen::parse_model("paginated.json", &bad.to_string()).unwrap_err().to_string();
    assert!(error.contains("waiter ThingsListed, acceptor 0: path `Things[?Name == 'a']`"), "{error}");
    let mut bad = text.clone();
    *bad.pointer_mut(trait_path).unwrap() =
        serde_json::json!({"inputOutput": {"path": "input.Marker", "expected": "a", "comparator": "stringEquals"}});
    let error = codegen::parse_model("paginated.json", &bad.to_string()).unwrap_err().to_string();
    assert!(error.contains("waiter ThingsListed, acceptor 0: matcher `inputOutput` is not supported"), "{error}");
}
