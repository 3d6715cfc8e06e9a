//! Property tests of the CBOR reader and writer (the `rpcv2Cbor` protocol's bodies).
//!
//! Whatever the bytes, reading gives a value or a typed error, never panics, and never holds
//! much more memory than the body's size (a counting allocator measures it); every value the
//! writer writes reads back equal. `PROPTEST_CASES=N` raises the number of cases for a longer
//! fuzzing run.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::HashMap;

use aws_smithy_types::{Blob, DateTime};
use awsgen_runtime::cbor::{
    CborError, CborErrorKind, CborReader, CborWriter, FromCbor, MAX_DEPTH, ToCbor, from_body, to_body,
};
use awsgen_runtime::path::Path;
use proptest::prelude::*;

/// Counts the bytes each thread holds, and the most it held since the last reset.
struct Counting;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn add(bytes: usize) {
    let _ = LIVE.try_with(|live| {
        live.set(live.get() + bytes);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
    });
}

fn sub(bytes: usize) {
    let _ = LIVE.try_with(|live| live.set(live.get().saturating_sub(bytes)));
}

// SAFETY: every call goes straight to the system allocator; the counting only touches
// thread-local cells that never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        add(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        sub(layout.size());
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        add(new_size);
        sub(layout.size());
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most bytes `read` held at once beyond what was held before it.
fn peak_of<R>(read: impl FnOnce() -> R) -> (R, usize) {
    let before = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(before));
    let result = read();
    (result, PEAK.with(Cell::get) - before)
}

/// Memory a read may hold for a body: its values (a few words per byte at most) and a little
/// room for the lists' first reservations and an error's message.
fn allowance(body: &[u8]) -> usize {
    256 * body.len() + 16 * 1024
}

fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, failure_persistence: None, max_shrink_iters: 1024, ..ProptestConfig::default() }
}

/// A structure with a member of every supported type, written and read as generated code does.
#[derive(Clone, Debug, Default, PartialEq)]
struct Everything {
    text: Option<String>,
    flag: Option<bool>,
    int: Option<i32>,
    long: Option<i64>,
    float: Option<f32>,
    double: Option<f64>,
    blob: Option<Blob>,
    time: Option<DateTime>,
    list: Option<Vec<i64>>,
    sparse_list: Option<Vec<Option<String>>>,
    map: Option<HashMap<String, f64>>,
    sparse_map: Option<HashMap<String, Option<bool>>>,
    nested: Option<Box<Everything>>,
    children: Option<Vec<Everything>>,
}

impl ToCbor for Everything {
    fn write_cbor(&self, writer: &mut CborWriter) {
        let mut structure = writer.structure();
        structure.member("text", &self.text);
        structure.member("flag", &self.flag);
        structure.member("int", &self.int);
        structure.member("long", &self.long);
        structure.member("float", &self.float);
        structure.member("double", &self.double);
        structure.member("blob", &self.blob);
        structure.member("time", &self.time);
        structure.member("list", &self.list);
        structure.member("sparseList", &self.sparse_list);
        structure.member("map", &self.map);
        structure.member("sparseMap", &self.sparse_map);
        structure.member("nested", &self.nested);
        structure.member("children", &self.children);
    }
}

impl FromCbor for Everything {
    fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError> {
        let mut out = Everything::default();
        let mut map = reader.map(path)?;
        while let Some(key) = map.next_key()? {
            match &*key {
                "text" => out.text = map.value()?,
                "flag" => out.flag = map.value()?,
                "int" => out.int = map.value()?,
                "long" => out.long = map.value()?,
                "float" => out.float = map.value()?,
                "double" => out.double = map.value()?,
                "blob" => out.blob = map.value()?,
                "time" => out.time = map.value()?,
                "list" => out.list = map.value()?,
                "sparseList" => out.sparse_list = map.value()?,
                "map" => out.map = map.value()?,
                "sparseMap" => out.sparse_map = map.value()?,
                "nested" => out.nested = map.value()?,
                "children" => out.children = map.value()?,
                _ => map.skip()?,
            }
        }
        Ok(out)
    }
}

/// Finite doubles and the infinities (NaN never equals itself; it has a test of its own).
fn double() -> impl Strategy<Value = f64> {
    prop_oneof![any::<f64>().prop_filter("not NaN", |n| !n.is_nan()), Just(f64::INFINITY), Just(f64::NEG_INFINITY)]
}

fn float() -> impl Strategy<Value = f32> {
    prop_oneof![any::<f32>().prop_filter("not NaN", |n| !n.is_nan()), Just(f32::INFINITY), Just(-0.0f32)]
}

/// Timestamps that survive a double exactly: whole seconds anywhere, milliseconds in years 1 to
/// 9999 (15 significant digits at most).
fn time() -> impl Strategy<Value = DateTime> {
    prop_oneof![
        any::<i64>().prop_map(DateTime::from_secs),
        (-62135596800i64..253402300800, 0u32..1000)
            .prop_map(|(secs, millis)| { DateTime::from_secs_and_nanos(secs, millis * 1_000_000) }),
    ]
}

fn leaf() -> impl Strategy<Value = Everything> {
    (
        (
            proptest::option::of(".{0,30}"),
            proptest::option::of(any::<bool>()),
            proptest::option::of(any::<i32>()),
            proptest::option::of(any::<i64>()),
            proptest::option::of(float()),
            proptest::option::of(double()),
            proptest::option::of(proptest::collection::vec(any::<u8>(), 0..40).prop_map(Blob::new)),
        ),
        (
            proptest::option::of(time()),
            proptest::option::of(proptest::collection::vec(any::<i64>(), 0..8)),
            proptest::option::of(proptest::collection::vec(proptest::option::of("[a-z]{0,5}"), 0..8)),
            proptest::option::of(proptest::collection::hash_map("[a-z]{0,5}", double(), 0..5)),
            proptest::option::of(proptest::collection::hash_map(".{0,5}", proptest::option::of(any::<bool>()), 0..5)),
        ),
    )
        .prop_map(|((text, flag, int, long, float, double, blob), (time, list, sparse_list, map, sparse_map))| {
            Everything {
                text,
                flag,
                int,
                long,
                float,
                double,
                blob,
                time,
                list,
                sparse_list,
                map,
                sparse_map,
                nested: None,
                children: None,
            }
        })
}

fn everything() -> impl Strategy<Value = Everything> {
    leaf().prop_recursive(4, 24, 4, |inner| {
        (leaf(), proptest::option::of(inner.clone()), proptest::option::of(proptest::collection::vec(inner, 0..4)))
            .prop_map(|(mut out, nested, children)| {
                out.nested = nested.map(Box::new);
                out.children = children;
                out
            })
    })
}

/// Reads `body` every way a client does: as a structure, and skipped as an unknown value.
fn read_every_way(body: &[u8]) {
    let (result, peak) = peak_of(|| from_body::<Everything>(body));
    assert!(peak <= allowance(body), "{peak} bytes held reading {} bytes", body.len());
    if let Err(error) = result {
        // The error prints, and names an offset inside the body.
        assert!(error.offset <= body.len(), "{error}");
        let _ = error.to_string();
    }
    let (_, peak) = peak_of(|| {
        let mut reader = CborReader::new(body);
        reader.skip(&Path::Root).and_then(|()| reader.finish())
    });
    assert!(peak <= allowance(body), "{peak} bytes held skipping {} bytes", body.len());
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn random_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..200)) {
        read_every_way(&body);
    }

    #[test]
    fn random_bytes_after_a_map_header_never_panic(body in proptest::collection::vec(any::<u8>(), 0..200)) {
        // Past the first byte, so more of the reader is reached.
        read_every_way(&[&[0xbf][..], &body].concat());
    }

    #[test]
    fn mutated_bodies_never_panic(
        value in everything(),
        at in any::<proptest::sample::Index>(),
        byte in any::<u8>(),
        cut in any::<proptest::sample::Index>(),
    ) {
        let body = to_body(&value);
        let mut mutated = body.clone();
        if !mutated.is_empty() {
            let at = at.index(mutated.len());
            mutated[at] = byte;
        }
        read_every_way(&mutated);
        read_every_way(&body[..cut.index(body.len() + 1)]);
        // A huge length in place of a byte: the header claims far more than the body has.
        let at = cut.index(body.len() + 1);
        let huge = [&body[..at], &[0x5b, 0x10, 0, 0, 0, 0, 0, 0, 0][..], &body[at..]].concat();
        read_every_way(&huge);
    }

    #[test]
    fn every_value_round_trips(value in everything()) {
        let body = to_body(&value);
        prop_assert_eq!(from_body::<Everything>(&body).unwrap(), value);
    }

    #[test]
    fn scalars_round_trip(
        text in ".*",
        int in any::<i32>(),
        long in any::<i64>(),
        float in any::<f32>(),
        double in any::<f64>(),
        bytes in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        prop_assert_eq!(from_body::<String>(&to_body(&text)).unwrap(), text);
        prop_assert_eq!(from_body::<i32>(&to_body(&int)).unwrap(), int);
        prop_assert_eq!(from_body::<i64>(&to_body(&long)).unwrap(), long);
        let read = from_body::<f32>(&to_body(&float)).unwrap();
        prop_assert!(read.to_bits() == float.to_bits() || (read.is_nan() && float.is_nan()));
        let read = from_body::<f64>(&to_body(&double)).unwrap();
        prop_assert!(read.to_bits() == double.to_bits() || (read.is_nan() && double.is_nan()));
        let blob = Blob::new(bytes);
        prop_assert_eq!(from_body::<Blob>(&to_body(&blob)).unwrap(), blob);
        // A Long in an Integer's place is an error exactly when it is past i32.
        let narrowed = from_body::<i32>(&to_body(&long));
        prop_assert_eq!(narrowed.is_ok(), i32::try_from(long).is_ok());
    }
}

#[test]
fn deep_indefinite_nesting_is_a_typed_error() {
    for open in [0x9f, 0xbf] {
        // Arrays, or maps nested as keys: both past the limit long before the body's end.
        let body = vec![open; 100_000];
        let mut reader = CborReader::new(&body);
        assert_eq!(reader.skip(&Path::Root).unwrap_err().kind, CborErrorKind::TooDeep);
    }
    let nested: Vec<u8> = [&[0xbf, 0x66][..], b"nested"].concat().repeat(MAX_DEPTH + 1);
    assert_eq!(from_body::<Everything>(&nested).unwrap_err().kind, CborErrorKind::TooDeep);
    let children: Vec<u8> = [&[0xbf, 0x68][..], b"children", &[0x9f]].concat().repeat(1000);
    assert_eq!(from_body::<Everything>(&children).unwrap_err().kind, CborErrorKind::TooDeep);
}

#[test]
fn huge_claims_hold_no_memory() {
    for header in [
        &[0x5b, 0x10, 0, 0, 0, 0, 0, 0, 0][..],
        &[0x7b, 0x10, 0, 0, 0, 0, 0, 0, 0],
        &[0x9b, 0x10, 0, 0, 0, 0, 0, 0, 0],
        &[0xbb, 0x10, 0, 0, 0, 0, 0, 0, 0],
        &[0x9a, 0xff, 0xff, 0xff, 0xff],
    ] {
        let body = [&[0xa1, 0x64][..], b"list", header].concat();
        read_every_way(&body);
        assert!(matches!(
            from_body::<Everything>(&body).unwrap_err().kind,
            CborErrorKind::Malformed(_) | CborErrorKind::UnexpectedType { .. }
        ));
    }
    // A list that claims as many elements as bytes are left reserves at most a bounded amount.
    let body = [&[0xa1, 0x64][..], b"list", &[0x9a, 0, 1, 0, 0], &[0xf6; 65536]].concat();
    read_every_way(&body);
}

#[test]
fn nan_round_trips_as_nan() {
    assert!(from_body::<f64>(&to_body(&f64::NAN)).unwrap().is_nan());
    assert!(from_body::<f32>(&to_body(&f32::NAN)).unwrap().is_nan());
}

#[test]
fn the_counting_allocator_sees_a_read() {
    // Without this the memory bounds above would pass vacuously.
    let body = to_body(&"x".repeat(10_000));
    let (text, peak) = peak_of(|| from_body::<String>(&body).unwrap());
    assert_eq!(text.len(), 10_000);
    assert!(peak >= 10_000, "{peak}");
}
