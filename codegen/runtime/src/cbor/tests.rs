//! The cases of botocore 1.44.5's `smithy-rpc-v2-cbor` protocol suites, through impls written
//! as the generator will write them, and the reader's limits.

use std::collections::HashMap;

use aws_smithy_types::{Blob, DateTime};
use http::HeaderMap;

use super::super::path::Path;
use super::*;

fn base64(text: &str) -> Vec<u8> {
    aws_smithy_types::base64::decode(text).expect("valid base64")
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|at| u8::from_str_radix(&text[at..at + 2], 16).expect("hex")).collect()
}

fn written<T: ToCbor + ?Sized>(value: &T) -> String {
    to_body(value).iter().map(|byte| format!("{byte:02x}")).collect()
}

#[derive(Debug, Default, PartialEq)]
struct Scalars {
    byte_value: Option<i32>,
    double_value: Option<f64>,
    false_boolean_value: Option<bool>,
    float_value: Option<f32>,
    integer_value: Option<i32>,
    long_value: Option<i64>,
    short_value: Option<i32>,
    string_value: Option<String>,
    true_boolean_value: Option<bool>,
    blob_value: Option<Blob>,
}

impl ToCbor for Scalars {
    fn write_cbor(&self, writer: &mut CborWriter) {
        let mut structure = writer.structure();
        structure.member("byteValue", &self.byte_value);
        structure.member("doubleValue", &self.double_value);
        structure.member("falseBooleanValue", &self.false_boolean_value);
        structure.member("floatValue", &self.float_value);
        structure.member("integerValue", &self.integer_value);
        structure.member("longValue", &self.long_value);
        structure.member("shortValue", &self.short_value);
        structure.member("stringValue", &self.string_value);
        structure.member("trueBooleanValue", &self.true_boolean_value);
        structure.member("blobValue", &self.blob_value);
    }
}

impl FromCbor for Scalars {
    fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError> {
        let mut out = Scalars::default();
        let mut map = reader.map(path)?;
        while let Some(key) = map.next_key()? {
            match &*key {
                "byteValue" => out.byte_value = map.value()?,
                "doubleValue" => out.double_value = map.value()?,
                "falseBooleanValue" => out.false_boolean_value = map.value()?,
                "floatValue" => out.float_value = map.value()?,
                "integerValue" => out.integer_value = map.value()?,
                "longValue" => out.long_value = map.value()?,
                "shortValue" => out.short_value = map.value()?,
                "stringValue" => out.string_value = map.value()?,
                "trueBooleanValue" => out.true_boolean_value = map.value()?,
                "blobValue" => out.blob_value = map.value()?,
                _ => map.skip()?,
            }
        }
        Ok(out)
    }
}

fn simple_scalars() -> Scalars {
    Scalars {
        byte_value: Some(5),
        double_value: Some(1.889),
        false_boolean_value: Some(false),
        float_value: Some(7.625),
        integer_value: Some(256),
        long_value: Some(9873),
        short_value: Some(9898),
        string_value: Some("simple".into()),
        true_boolean_value: Some(true),
        blob_value: Some(Blob::new("foo")),
    }
}

#[test]
fn simple_scalars_are_written_byte_for_byte_as_the_suite_expects() {
    let expected = base64(
        "v2lieXRlVmFsdWUFa2RvdWJsZVZhbHVl+z/+OVgQYk3TcWZhbHNlQm9vbGVhblZhbHVl9GpmbG9hdFZhbHVl+kD0AABsaW50ZWdlclZhbHVlGQEAaWxvbmdWYWx1ZRkmkWpzaG9ydFZhbHVlGSaqa3N0cmluZ1ZhbHVlZnNpbXBsZXB0cnVlQm9vbGVhblZhbHVl9WlibG9iVmFsdWVDZm9v/w==",
    );
    assert_eq!(to_body(&simple_scalars()), expected);
    assert_eq!(from_body::<Scalars>(&expected).unwrap(), simple_scalars());
}

#[test]
fn unset_and_empty_structures() {
    // empty_input, RpcV2CborClientDoesntSerializeNullStructureValues: `v/8=`.
    assert_eq!(to_body(&Scalars::default()), base64("v/8="));
    assert_eq!(from_body::<Scalars>(&base64("v/8=")).unwrap(), Scalars::default());
    // empty_output_no_body: an empty body is an empty structure.
    assert_eq!(from_body::<Scalars>(b"").unwrap(), Scalars::default());
    // RpcV2CborClientDoesntDeserializeNullStructureValues.
    assert_eq!(from_body::<Scalars>(&base64("v2tzdHJpbmdWYWx1Zfb/")).unwrap(), Scalars::default());
}

#[test]
fn non_finite_floats_are_half_floats_and_read_from_any_width() {
    let cases = [
        (f64::NAN, "v2tkb3VibGVWYWx1Zft/+AAAAAAAAGpmbG9hdFZhbHVl+n/AAAD/"),
        (f64::INFINITY, "v2tkb3VibGVWYWx1Zft/8AAAAAAAAGpmbG9hdFZhbHVl+n+AAAD/"),
        (f64::NEG_INFINITY, "v2tkb3VibGVWYWx1Zfv/8AAAAAAAAGpmbG9hdFZhbHVl+v+AAAD/"),
    ];
    for (value, body) in cases {
        let scalars = Scalars { double_value: Some(value), float_value: Some(value as f32), ..Scalars::default() };
        // botocore writes NaN and the infinities as half floats; the suite's doubles and singles
        // are the same values.
        let read = from_body::<Scalars>(&base64(body)).unwrap();
        let again = from_body::<Scalars>(&to_body(&scalars)).unwrap();
        for read in [read, again] {
            let (double, float) = (read.double_value.unwrap(), read.float_value.unwrap());
            assert!(double.to_bits() == value.to_bits() || (double.is_nan() && value.is_nan()), "{body}");
            assert_eq!(float.is_nan(), value.is_nan());
            assert!(value.is_nan() || float == value as f32);
        }
    }
    assert_eq!(written(&f64::NAN), "f97e00");
    assert_eq!(written(&f32::INFINITY), "f97c00");
    assert_eq!(written(&f64::NEG_INFINITY), "f9fc00");
}

#[test]
fn half_floats_and_narrow_integers_are_upcast() {
    // RpcV2CborSupportsUpcastingDataOnDeserialize.
    let read = from_body::<Scalars>(&base64(
        "v2tkb3VibGVWYWx1Zfk+AGpmbG9hdFZhbHVl+UegbGludGVnZXJWYWx1ZRg4aWxvbmdWYWx1ZRkBAGpzaG9ydFZhbHVlCv8=",
    ));
    let expected = Scalars {
        double_value: Some(1.5),
        float_value: Some(7.625),
        integer_value: Some(56),
        long_value: Some(256),
        short_value: Some(10),
        ..Scalars::default()
    };
    assert_eq!(read.unwrap(), expected);
    // The Float16 cases.
    let half = |body: &str| {
        let body = base64(body);
        let mut reader = CborReader::new(&body[7..]);
        reader.double(&Path::Root).unwrap()
    };
    assert_eq!(half("oWV2YWx1Zfl8AA=="), f64::INFINITY);
    assert_eq!(half("oWV2YWx1Zfn8AA=="), f64::NEG_INFINITY);
    assert!(half("oWV2YWx1Zfl8AQ==").is_nan());
    assert!(half("oWV2YWx1Zfl+AA==").is_nan());
    assert_eq!(half("oWV2YWx1ZfkAUA=="), 4.76837158203125e-06);
}

#[test]
fn unknown_members_are_skipped_whole() {
    // RpcV2CborExtraFieldsInTheBodyShouldBeSkippedByClients: nested indefinite and definite maps,
    // arrays and chunked strings.
    let body = base64(
        "v2lieXRlVmFsdWUFa2RvdWJsZVZhbHVl+z/+OVgQYk3TcWZhbHNlQm9vbGVhblZhbHVl9GpmbG9hdFZhbHVl+kD0AABrZXh0cmFPYmplY3S/c2luZGVmaW5pdGVMZW5ndGhNYXC/a3dpdGhBbkFycmF5nwECA///cWRlZmluaXRlTGVuZ3RoTWFwo3J3aXRoQURlZmluaXRlQXJyYXmDAQIDeB1hbmRTb21lSW5kZWZpbml0ZUxlbmd0aFN0cmluZ3gfdGhhdCBoYXMsIGJlZW4gY2h1bmtlZCBvbiBjb21tYWxub3JtYWxTdHJpbmdjZm9vanNob3J0VmFsdWUZJw9uc29tZU90aGVyRmllbGR2dGhpcyBzaG91bGQgYmUgc2tpcHBlZP9saW50ZWdlclZhbHVlGQEAaWxvbmdWYWx1ZRkmkWpzaG9ydFZhbHVlGSaqa3N0cmluZ1ZhbHVlZnNpbXBsZXB0cnVlQm9vbGVhblZhbHVl9WlibG9iVmFsdWVDZm9v/w==",
    );
    assert_eq!(from_body::<Scalars>(&body).unwrap(), simple_scalars());
}

#[derive(Debug, Default, PartialEq)]
struct Pair {
    a: Option<String>,
    b: Option<String>,
}

impl ToCbor for Pair {
    fn write_cbor(&self, writer: &mut CborWriter) {
        let mut structure = writer.structure();
        structure.member("a", &self.a);
        structure.member("b", &self.b);
    }
}

impl FromCbor for Pair {
    fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError> {
        let mut out = Pair::default();
        let mut map = reader.map(path)?;
        while let Some(key) = map.next_key()? {
            match &*key {
                "a" => out.a = map.value()?,
                "b" => out.b = map.value()?,
                _ => map.skip()?,
            }
        }
        Ok(out)
    }
}

#[derive(Debug, Default, PartialEq)]
struct Lists {
    string_list: Option<Vec<String>>,
    integer_list: Option<Vec<i32>>,
    boolean_list: Option<Vec<bool>>,
    timestamp_list: Option<Vec<DateTime>>,
    nested_string_list: Option<Vec<Vec<String>>>,
    structure_list: Option<Vec<Pair>>,
    blob_list: Option<Vec<Blob>>,
}

impl ToCbor for Lists {
    fn write_cbor(&self, writer: &mut CborWriter) {
        let mut structure = writer.structure();
        structure.member("stringList", &self.string_list);
        structure.member("integerList", &self.integer_list);
        structure.member("booleanList", &self.boolean_list);
        structure.member("timestampList", &self.timestamp_list);
        structure.member("nestedStringList", &self.nested_string_list);
        structure.member("structureList", &self.structure_list);
        structure.member("blobList", &self.blob_list);
    }
}

impl FromCbor for Lists {
    fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError> {
        let mut out = Lists::default();
        let mut map = reader.map(path)?;
        while let Some(key) = map.next_key()? {
            match &*key {
                "stringList" => out.string_list = map.value()?,
                "integerList" => out.integer_list = map.value()?,
                "booleanList" => out.boolean_list = map.value()?,
                "timestampList" => out.timestamp_list = map.value()?,
                "nestedStringList" => out.nested_string_list = map.value()?,
                "structureList" => out.structure_list = map.value()?,
                "blobList" => out.blob_list = map.value()?,
                _ => map.skip()?,
            }
        }
        Ok(out)
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| item.to_string()).collect()
}

#[test]
fn lists_of_every_kind() {
    let lists = Lists {
        string_list: Some(strings(&["foo", "bar"])),
        integer_list: Some(vec![1, 2]),
        boolean_list: Some(vec![true, false]),
        timestamp_list: Some(vec![DateTime::from_secs(1398796238); 2]),
        nested_string_list: Some(vec![strings(&["foo", "bar"]), strings(&["baz", "qux"])]),
        structure_list: Some(vec![
            Pair { a: Some("1".into()), b: Some("2".into()) },
            Pair { a: Some("3".into()), b: Some("4".into()) },
        ]),
        blob_list: Some(vec![Blob::new("foo"), Blob::new("bar")]),
    };
    // The input suite's body (definite lists in an indefinite map, timestamps as doubles) and
    // the output suite's (all indefinite) read as the same values; so does ours.
    let input = base64(
        "v2pzdHJpbmdMaXN0gmNmb29jYmFyaXN0cmluZ1NldIJjZm9vY2JhcmtpbnRlZ2VyTGlzdIIBAmtib29sZWFuTGlzdIL19G10aW1lc3RhbXBMaXN0gsH7QdTX+/OAAADB+0HU1/vzgAAAaGVudW1MaXN0gmNGb29hMGtpbnRFbnVtTGlzdIIBAnBuZXN0ZWRTdHJpbmdMaXN0goJjZm9vY2JhcoJjYmF6Y3F1eG1zdHJ1Y3R1cmVMaXN0gqJhYWExYWJhMqJhYWEzYWJhNGhibG9iTGlzdIJDZm9vQ2Jhcv8=",
    );
    let output = base64(
        "v2pzdHJpbmdMaXN0n2Nmb29jYmFy/2lzdHJpbmdTZXSfY2Zvb2NiYXL/a2ludGVnZXJMaXN0nwEC/2tib29sZWFuTGlzdJ/19P9tdGltZXN0YW1wTGlzdJ/B+0HU1/vzgAAAwftB1Nf784AAAP9oZW51bUxpc3SfY0Zvb2Ew/2tpbnRFbnVtTGlzdJ8BAv9wbmVzdGVkU3RyaW5nTGlzdJ+fY2Zvb2NiYXL/n2NiYXpjcXV4//9tc3RydWN0dXJlTGlzdJ+/YWFhMWFiYTL/v2FhYTNhYmE0//9oYmxvYkxpc3SfQ2Zvb0NiYXL//w==",
    );
    assert_eq!(from_body::<Lists>(&input).unwrap(), lists);
    assert_eq!(from_body::<Lists>(&output).unwrap(), lists);
    assert_eq!(from_body::<Lists>(&to_body(&lists)).unwrap(), lists);
    // Timestamps are doubles under tag 1, as in the suite's bodies (botocore writes integers).
    assert_eq!(written(&DateTime::from_secs(1398796238)), "c1fb41d4d7fbf3800000");
    // Empty lists, definite and indefinite.
    let empty = Lists { string_list: Some(vec![]), ..Lists::default() };
    assert_eq!(to_body(&empty), base64("v2pzdHJpbmdMaXN0gP8="));
    assert_eq!(from_body::<Lists>(&base64("v2pzdHJpbmdMaXN0n///")).unwrap(), empty);
    assert_eq!(from_body::<Lists>(&base64("oWpzdHJpbmdMaXN0gA==")).unwrap(), empty);
}

#[test]
fn indefinite_strings_in_lists() {
    let expected = Lists {
        string_list: Some(strings(&[
            "An example indefinite string, which will be chunked, on each comma",
            "Another example indefinite string with only one chunk",
            "This is a plain string",
        ])),
        ..Lists::default()
    };
    for body in [
        "v2pzdHJpbmdMaXN0n394HUFuIGV4YW1wbGUgaW5kZWZpbml0ZSBzdHJpbmcsdyB3aGljaCB3aWxsIGJlIGNodW5rZWQsbiBvbiBlYWNoIGNvbW1h/394NUFub3RoZXIgZXhhbXBsZSBpbmRlZmluaXRlIHN0cmluZyB3aXRoIG9ubHkgb25lIGNodW5r/3ZUaGlzIGlzIGEgcGxhaW4gc3RyaW5n//8=",
        "oWpzdHJpbmdMaXN0g394HUFuIGV4YW1wbGUgaW5kZWZpbml0ZSBzdHJpbmcsdyB3aGljaCB3aWxsIGJlIGNodW5rZWQsbiBvbiBlYWNoIGNvbW1h/394NUFub3RoZXIgZXhhbXBsZSBpbmRlZmluaXRlIHN0cmluZyB3aXRoIG9ubHkgb25lIGNodW5r/3ZUaGlzIGlzIGEgcGxhaW4gc3RyaW5n",
    ] {
        assert_eq!(from_body::<Lists>(&base64(body)).unwrap(), expected);
    }
}

#[derive(Debug, Default, PartialEq)]
struct Maps {
    dense_struct_map: Option<HashMap<String, Greeting>>,
    dense_number_map: Option<HashMap<String, i32>>,
    dense_boolean_map: Option<HashMap<String, bool>>,
    dense_set_map: Option<HashMap<String, Vec<String>>>,
    sparse_string_map: Option<HashMap<String, Option<String>>>,
}

#[derive(Debug, Default, PartialEq)]
struct Greeting {
    hi: Option<String>,
}

impl ToCbor for Greeting {
    fn write_cbor(&self, writer: &mut CborWriter) {
        writer.structure().member("hi", &self.hi);
    }
}

impl FromCbor for Greeting {
    fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError> {
        let mut out = Greeting::default();
        let mut map = reader.map(path)?;
        while let Some(key) = map.next_key()? {
            match &*key {
                "hi" => out.hi = map.value()?,
                _ => map.skip()?,
            }
        }
        Ok(out)
    }
}

impl ToCbor for Maps {
    fn write_cbor(&self, writer: &mut CborWriter) {
        let mut structure = writer.structure();
        structure.member("denseStructMap", &self.dense_struct_map);
        structure.member("denseNumberMap", &self.dense_number_map);
        structure.member("denseBooleanMap", &self.dense_boolean_map);
        structure.member("denseSetMap", &self.dense_set_map);
        structure.member("sparseStringMap", &self.sparse_string_map);
    }
}

impl FromCbor for Maps {
    fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError> {
        let mut out = Maps::default();
        let mut map = reader.map(path)?;
        while let Some(key) = map.next_key()? {
            match &*key {
                "denseStructMap" => out.dense_struct_map = map.value()?,
                "denseNumberMap" => out.dense_number_map = map.value()?,
                "denseBooleanMap" => out.dense_boolean_map = map.value()?,
                "denseSetMap" => out.dense_set_map = map.value()?,
                "sparseStringMap" => out.sparse_string_map = map.value()?,
                _ => map.skip()?,
            }
        }
        Ok(out)
    }
}

#[test]
fn dense_maps_drop_nulls_and_sparse_maps_keep_them() {
    let struct_map = Maps {
        dense_struct_map: Some(HashMap::from([
            ("foo".to_string(), Greeting { hi: Some("there".into()) }),
            ("baz".to_string(), Greeting { hi: Some("bye".into()) }),
        ])),
        ..Maps::default()
    };
    let body = base64("oW5kZW5zZVN0cnVjdE1hcKJjZm9voWJoaWV0aGVyZWNiYXqhYmhpY2J5ZQ==");
    assert_eq!(from_body::<Maps>(&body).unwrap(), struct_map);
    assert_eq!(from_body::<Maps>(&to_body(&struct_map)).unwrap(), struct_map);
    let zeros = Maps {
        dense_number_map: Some(HashMap::from([("x".to_string(), 0)])),
        dense_boolean_map: Some(HashMap::from([("x".to_string(), false)])),
        ..Maps::default()
    };
    // Our structure is indefinite where the suite's is definite; the entries are the same bytes.
    assert_eq!(written(&zeros), "bf6e64656e73654e756d6265724d6170a16178006f64656e7365426f6f6c65616e4d6170a16178f4ff");
    let body = base64("om5kZW5zZU51bWJlck1hcKFheABvZGVuc2VCb29sZWFuTWFwoWF49A==");
    assert_eq!(from_body::<Maps>(&body).unwrap(), zeros);
    let set_map = Maps {
        dense_set_map: Some(HashMap::from([("x".to_string(), vec![]), ("y".to_string(), strings(&["a", "b"]))])),
        ..Maps::default()
    };
    assert_eq!(from_body::<Maps>(&base64("oWtkZW5zZVNldE1hcKJheIBheYJhYWFi")).unwrap(), set_map);
    // RpcV2CborDeserializesDenseSetMapAndSkipsNull.
    assert_eq!(from_body::<Maps>(&base64("oWtkZW5zZVNldE1hcKNheIBheYJhYWFiYXr2")).unwrap(), set_map);
    let sparse = Maps {
        sparse_string_map: Some(HashMap::from([("x".to_string(), None), ("y".to_string(), Some("a".to_string()))])),
        ..Maps::default()
    };
    assert_eq!(from_body::<Maps>(&to_body(&sparse)).unwrap(), sparse);
}

#[test]
fn sparse_lists_keep_nulls_and_dense_lists_drop_them() {
    let body = hex("83f66161f7");
    assert_eq!(from_body::<Vec<Option<String>>>(&body).unwrap(), vec![None, Some("a".to_string()), None]);
    assert_eq!(from_body::<Vec<String>>(&body).unwrap(), strings(&["a"]));
    assert_eq!(written(&vec![None, Some(1i32)]), "82f601");
}

#[derive(Debug, Default, PartialEq)]
struct Recursive {
    foo: Option<String>,
    bar: Option<String>,
    nested: Option<Box<Recursive>>,
    recursive_member: Option<Box<Recursive>>,
}

impl ToCbor for Recursive {
    fn write_cbor(&self, writer: &mut CborWriter) {
        let mut structure = writer.structure();
        structure.member("foo", &self.foo);
        structure.member("bar", &self.bar);
        structure.member("nested", &self.nested);
        structure.member("recursiveMember", &self.recursive_member);
    }
}

impl FromCbor for Recursive {
    fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError> {
        let mut out = Recursive::default();
        let mut map = reader.map(path)?;
        while let Some(key) = map.next_key()? {
            match &*key {
                "foo" => out.foo = map.value()?,
                "bar" => out.bar = map.value()?,
                "nested" => out.nested = map.value()?,
                "recursiveMember" => out.recursive_member = map.value()?,
                _ => map.skip()?,
            }
        }
        Ok(out)
    }
}

#[test]
fn recursive_shapes_are_written_byte_for_byte() {
    let leaf = |bar: &str| Recursive { bar: Some(bar.into()), ..Recursive::default() };
    let value = Recursive {
        nested: Some(Box::new(Recursive {
            foo: Some("Foo1".into()),
            nested: Some(Box::new(Recursive {
                recursive_member: Some(Box::new(Recursive {
                    foo: Some("Foo2".into()),
                    nested: Some(Box::new(leaf("Bar2"))),
                    ..Recursive::default()
                })),
                ..leaf("Bar1")
            })),
            ..Recursive::default()
        })),
        ..Recursive::default()
    };
    let indefinite = base64(
        "v2ZuZXN0ZWS/Y2Zvb2RGb28xZm5lc3RlZL9jYmFyZEJhcjFvcmVjdXJzaXZlTWVtYmVyv2Nmb29kRm9vMmZuZXN0ZWS/Y2JhcmRCYXIy//////8=",
    );
    let definite = base64(
        "oWZuZXN0ZWSiY2Zvb2RGb28xZm5lc3RlZKJjYmFyZEJhcjFvcmVjdXJzaXZlTWVtYmVyomNmb29kRm9vMmZuZXN0ZWShY2JhcmRCYXIy",
    );
    assert_eq!(to_body(&value), indefinite);
    assert_eq!(from_body::<Recursive>(&indefinite).unwrap(), value);
    assert_eq!(from_body::<Recursive>(&definite).unwrap(), value);
}

#[test]
fn integers_take_their_shortest_form() {
    let cases: [(i64, &str); 12] = [
        (0, "00"),
        (23, "17"),
        (24, "1818"),
        (255, "18ff"),
        (256, "190100"),
        (65536, "1a00010000"),
        (4294967296, "1b0000000100000000"),
        (-1, "20"),
        (-24, "37"),
        (-25, "3818"),
        (i64::MAX, "1b7fffffffffffffff"),
        (i64::MIN, "3b7fffffffffffffff"),
    ];
    for (value, bytes) in cases {
        assert_eq!(written(&value), bytes, "{value}");
        assert_eq!(from_body::<i64>(&hex(bytes)).unwrap(), value);
    }
    assert_eq!(written(&1.5f32), "fa3fc00000");
    assert_eq!(written(&1.5f64), "fb3ff8000000000000");
    assert_eq!(written("é"), "62c3a9");
    assert_eq!(written(&Blob::new(vec![1u8, 2])), "420102");
}

#[test]
fn integers_past_their_type_name_the_path() {
    let body = hex("a1656974656d7383010203"); // {"items": [1, 2, 3]}
    #[derive(Debug)]
    struct Items;
    impl FromCbor for Items {
        fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError> {
            let mut map = reader.map(path)?;
            while let Some(key) = map.next_key()? {
                match &*key {
                    "items" => drop(map.value::<Vec<Option<bool>>>()?),
                    _ => map.skip()?,
                }
            }
            Ok(Items)
        }
    }
    let error = from_body::<Items>(&body).unwrap_err();
    assert_eq!(error.to_string(), "at `items[0]`: expected a boolean, found an integer (byte 8)");
    assert_eq!(error.path, "items[0]");
    let error = from_body::<i32>(&hex("1a80000000")).unwrap_err();
    assert_eq!(error.kind, CborErrorKind::OutOfRange("2147483648 is past the range of an Integer (i32)".into()));
    assert_eq!(from_body::<i32>(&hex("3a7fffffff")).unwrap(), i32::MIN);
    assert!(from_body::<i32>(&hex("3a80000000")).is_err());
    assert!(from_body::<i64>(&hex("1b8000000000000000")).is_err());
    assert!(from_body::<i64>(&hex("3b8000000000000000")).is_err());
    assert!(matches!(from_body::<i64>(&hex("f93c00")).unwrap_err().kind, CborErrorKind::UnexpectedType { .. }));
    assert!(from_body::<f32>(&hex("fb47efffffe0000000")).is_ok());
    assert!(matches!(from_body::<f32>(&hex("fb7fefffffffffffff")).unwrap_err().kind, CborErrorKind::OutOfRange(_)));
}

#[test]
fn timestamps_are_tag_1_seconds() {
    // RpcV2CborDateTimeWithFractionalSeconds: the double nearest 946845296.123 is read as
    // exactly that many milliseconds.
    let read = |hex_body: &str| from_body::<DateTime>(&hex(hex_body));
    assert_eq!(read("c1fb41cc37db380fbe77").unwrap(), DateTime::from_millis(946845296123));
    assert_eq!(read("c11a535fefce").unwrap(), DateTime::from_secs(1398796238));
    assert_eq!(read("1a535fefce").unwrap(), DateTime::from_secs(1398796238));
    assert_eq!(read("c120").unwrap(), DateTime::from_secs(-1));
    assert_eq!(read("c1f93e00").unwrap(), DateTime::from_millis(1500));
    assert!(read("c1f97e00").is_err());
    assert!(read("c1fb7fefffffffffffff").is_err());
    assert!(read("c16161").is_err());
    assert_eq!(written(&DateTime::from_millis(946845296123)), "c1fb41cc37db380fbe77");
    assert_eq!(written(&DateTime::from_secs(-1)), "c1fbbff0000000000000");
    // Past 2^53 whole seconds are integers, which stay exact.
    assert_eq!(written(&DateTime::from_secs(i64::MAX)), "c11b7fffffffffffffff");
    assert_eq!(read("c11b7fffffffffffffff").unwrap(), DateTime::from_secs(i64::MAX));
    // The nearest double to the exact seconds, not seconds + nanoseconds / 1e9 rounded twice.
    assert_eq!(written(&DateTime::from_secs_and_nanos(1, 3_691_000)), written(&1.003691f64).replacen("fb", "c1fb", 1));
}

#[test]
fn other_tags_are_ignored() {
    assert_eq!(from_body::<String>(&hex("d8206161")).unwrap(), "a");
    assert_eq!(from_body::<i32>(&hex("c2c301")).unwrap(), 1);
}

#[test]
fn malformed_bodies_give_the_offset() {
    // botocore's decode-error-tests (tests/unit/cbor), each read as a value of any type.
    for input in [
        "b900",
        "d8",
        "fb00000000000000",
        "3a000000",
        "3b00000000000000",
        "7a000000",
        "b8",
        "ba000000",
        "d900",
        "18",
        "78",
        "7b00000000000000",
        "7900",
        "9900",
        "58",
        "5a000000",
        "5b00000000000000",
        "3f",
        "db00000000000000",
        "1900",
        "1b00000000000000",
        "3900",
        "38",
        "9b00000000000000",
        "da000000",
        "fa000000",
        "1a000000",
        "5900",
        "9a000000",
        "df",
        "ff",
        "1f",
        "98",
        "bb00000000000000",
        "81",
        "8118",
        "9f",
        "9f18",
        "a17801",
        "a163666f6f18",
        "bf",
        "bf7801",
        "bf63666f6f18",
        "a1",
        "5801",
        "5f5f",
        "7f",
        "7f7f",
        "7f7801",
        "5f",
        "5f60",
        "5f5801",
        "7801",
        "7f40",
        "c118",
        "c1",
    ] {
        let body = hex(input);
        let mut reader = CborReader::new(&body);
        let result = reader.skip(&Path::Root).and_then(|()| reader.finish());
        assert!(result.is_err(), "{input}");
    }
    let error = from_body::<Vec<String>>(&hex("826161627a")).unwrap_err();
    assert_eq!(error.offset, 3);
    assert_eq!(error.path, "[1]");
    assert!(matches!(error.kind, CborErrorKind::Malformed(_)), "{error}");
    assert_eq!(from_body::<String>(&hex("616161")).unwrap_err().kind, CborErrorKind::TrailingBytes);
    assert!(from_body::<String>(&hex("62c328")).is_err());
}

#[test]
fn huge_claims_are_rejected_before_allocating() {
    // A byte string, an array and a map claiming 2^60 items in a few bytes.
    for input in ["5b1000000000000000", "9b1000000000000000", "bb1000000000000000", "7b1000000000000000"] {
        let error = from_body::<Vec<String>>(&hex(input)).unwrap_err();
        assert!(matches!(error.kind, CborErrorKind::Malformed(_) | CborErrorKind::UnexpectedType { .. }), "{input}");
        let body = hex(input);
        let mut reader = CborReader::new(&body);
        assert!(matches!(reader.skip(&Path::Root).unwrap_err().kind, CborErrorKind::Malformed(_)), "{input}");
    }
}

#[test]
fn nesting_is_bounded() {
    let deep = |levels: usize| [vec![0x9f; levels], vec![0xff; levels]].concat();
    let body = deep(MAX_DEPTH);
    let mut reader = CborReader::new(&body);
    assert!(reader.skip(&Path::Root).is_ok());
    let body = deep(MAX_DEPTH + 1);
    let mut reader = CborReader::new(&body);
    assert_eq!(reader.skip(&Path::Root).unwrap_err().kind, CborErrorKind::TooDeep);
    let error = from_body::<Recursive>(&[vec![0xa1, 0x66], b"nested".to_vec()].concat().repeat(100)).unwrap_err();
    assert_eq!(error.kind, CborErrorKind::TooDeep);
}

fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    pairs.iter().map(|(k, v)| (http::HeaderName::from_static(k), http::HeaderValue::from_static(v))).collect()
}

#[derive(Debug, Default, PartialEq)]
struct ComplexError {
    top_level: Option<String>,
    nested: Option<HashMap<String, String>>,
}

impl FromCbor for ComplexError {
    fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError> {
        let mut out = ComplexError::default();
        let mut map = reader.map(path)?;
        while let Some(key) = map.next_key()? {
            match &*key {
                "TopLevel" => out.top_level = map.value()?,
                "Nested" => out.nested = map.value()?,
                _ => map.skip()?,
            }
        }
        Ok(out)
    }
}

#[test]
fn error_codes_and_messages() {
    let none = HeaderMap::new();
    let body = base64("v2ZfX3R5cGV4LnNtaXRoeS5wcm90b2NvbHRlc3RzLnJwY3YyQ2JvciNJbnZhbGlkR3JlZXRpbmdnTWVzc2FnZWJIaf8=");
    let metadata = parse_error(400, &none, &body).unwrap();
    assert_eq!((metadata.code.as_str(), metadata.message.as_deref()), ("InvalidGreeting", Some("Hi")));
    let body = base64(
        "v2ZfX3R5cGV4K3NtaXRoeS5wcm90b2NvbHRlc3RzLnJwY3YyQ2JvciNDb21wbGV4RXJyb3JoVG9wTGV2ZWxpVG9wIGxldmVsZk5lc3RlZL9jRm9vY2Jhcv//",
    );
    let metadata = parse_error(400, &headers(&[("x-amzn-requestid", "r1")]), &body).unwrap();
    assert_eq!(
        (metadata.code.as_str(), metadata.message, metadata.request_id.as_deref()),
        ("ComplexError", None, Some("r1"))
    );
    let members = from_body::<ComplexError>(&body).unwrap();
    let nested = HashMap::from([("Foo".to_string(), "bar".to_string())]);
    assert_eq!(members, ComplexError { top_level: Some("Top level".into()), nested: Some(nested) });
    let empty = base64("v2ZfX3R5cGV4K3NtaXRoeS5wcm90b2NvbHRlc3RzLnJwY3YyQ2JvciNDb21wbGV4RXJyb3L/");
    assert_eq!(parse_error(400, &none, &empty).unwrap().code, "ComplexError");
    assert_eq!(from_body::<ComplexError>(&empty).unwrap(), ComplexError::default());
    assert_eq!(parse_error(500, &none, b"").unwrap().code, super::super::protocol::UNKNOWN_ERROR_CODE);
    assert!(parse_error(502, &none, b"<html>").is_err());
}

#[test]
fn query_compatible_errors_take_the_header_code() {
    let body = base64("uQACZl9fdHlwZXgrYXdzLnByb3RvY29sdGVzdHMucnBjdjJjYm9yI0N1c3RvbUNvZGVFcnJvcmdtZXNzYWdlYkhp");
    let metadata = parse_error(400, &headers(&[("x-amzn-query-error", "Customized;Sender")]), &body).unwrap();
    assert_eq!((metadata.code.as_str(), metadata.message.as_deref()), ("Customized", Some("Hi")));
    let metadata = parse_error(400, &HeaderMap::new(), &body).unwrap();
    assert_eq!(metadata.code, "CustomCodeError");
    for header in [";Sender", "Customized", "a;b;c"] {
        let headers: HeaderMap =
            [(http::HeaderName::from_static("x-amzn-query-error"), header.parse().unwrap())].into_iter().collect();
        assert_eq!(parse_error(400, &headers, &body).unwrap().code, "CustomCodeError", "{header}");
    }
    let body = base64("uQACZl9fdHlwZXgtYXdzLnByb3RvY29sdGVzdHMucnBjdjJjYm9yI05vQ3VzdG9tQ29kZUVycm9yZ21lc3NhZ2ViSGk=");
    assert_eq!(parse_error(400, &HeaderMap::new(), &body).unwrap().code, "NoCustomCodeError");
}

#[test]
fn a_finished_container_stays_finished() {
    let body = hex("a0");
    let mut reader = CborReader::new(&body);
    let root = Path::Root;
    let mut map = reader.map(&root).unwrap();
    for _ in 0..3 {
        assert_eq!(map.next_key().unwrap(), None);
    }
    let body = hex("9fff");
    let mut reader = CborReader::new(&body);
    let mut list = reader.list(&root).unwrap();
    for _ in 0..3 {
        assert!(!list.has_next().unwrap());
    }
}

#[derive(Debug, PartialEq)]
enum Union {
    Greeting(String),
    Count(i32),
    Unknown,
}

impl ToCbor for Union {
    fn write_cbor(&self, writer: &mut CborWriter) {
        let mut structure = writer.structure();
        match self {
            Union::Greeting(value) => structure.member("greeting", value),
            Union::Count(value) => structure.member("count", value),
            Union::Unknown => {}
        }
    }
}

impl FromCbor for Union {
    fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError> {
        let mut out = Union::Unknown;
        let mut map = reader.map(path)?;
        while let Some(key) = map.next_key()? {
            if map.null()? {
                continue;
            }
            match &*key {
                "greeting" => out = Union::Greeting(map.value()?),
                "count" => out = Union::Count(map.value()?),
                _ => map.skip()?,
            }
        }
        Ok(out)
    }
}

#[test]
fn unions_are_one_member_maps() {
    // RpcV2CborPayloadWithUnion's `nested` member.
    let body = hex("a1686772656574696e676568656c6c6f");
    assert_eq!(from_body::<Union>(&body).unwrap(), Union::Greeting("hello".into()));
    assert_eq!(from_body::<Union>(&to_body(&Union::Count(-3))).unwrap(), Union::Count(-3));
    // A member this client does not know, and a null member, leave the union unknown.
    assert_eq!(from_body::<Union>(&hex("a1636e6577f5")).unwrap(), Union::Unknown);
    assert_eq!(from_body::<Union>(&hex("a165636f756e74f6")).unwrap(), Union::Unknown);
}
