//! The generated code's JSON against plain serde_json on the same document:
//!
//! - `serialise/awsgen`: `CreateModelPackageInput` → JSON text through `JsonWriter`/`ToJson`;
//!   `serialise/serde_json`: the equivalent `serde_json::Value` → JSON text (the floor).
//! - `parse/awsgen`: a `DescribeModelPackage` response body → the output type, read token by
//!   token through `FromJson::read_json` as the client does; `parse/serde_json`: body → `Value`
//!   (the floor).
//!
//! `cargo xtask bench` reads the medians from `<target>/criterion/<group>/<bench>/new/estimates.json`.

use std::hint::black_box;

use awsgen_bench::{
    Size, create_model_package_input, describe_model_package_response, parse_describe_output, write_input,
};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::Value;

fn serialise(c: &mut Criterion) {
    let input = create_model_package_input(Size::LARGE);
    let value: Value = serde_json::from_str(&write_input(&input)).expect("our output is JSON");
    let bytes = write_input(&input).len() as u64;
    let mut group = c.benchmark_group("serialise");
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("awsgen", |b| b.iter(|| write_input(black_box(&input))));
    group.bench_function("serde_json", |b| b.iter(|| serde_json::to_string(black_box(&value)).unwrap()));
    group.finish();
}

fn parse(c: &mut Criterion) {
    let body = serde_json::to_vec(&describe_model_package_response(Size::LARGE)).expect("a Value serialises");
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("awsgen", |b| b.iter(|| parse_describe_output(black_box(&body))));
    group.bench_function("serde_json", |b| b.iter(|| serde_json::from_slice::<Value>(black_box(&body)).unwrap()));
    group.finish();
}

criterion_group!(benches, serialise, parse);
criterion_main!(benches);
