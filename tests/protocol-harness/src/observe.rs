//! Values as the suites write results: timestamps as epoch seconds, blobs as their text,
//! special floats as strings, structures by member name.

use std::collections::HashMap;

use aws_smithy_types::{Blob, DateTime, Document};
use serde_json::{Value, json};

/// A value as the suites write it.
pub trait Observe {
    /// The value as JSON.
    fn observe(&self) -> Value;
}

/// A map key as the suites write it.
pub trait ObserveKey {
    /// The key.
    fn key(&self) -> String;
}

/// An operation's error as the harness compares it.
pub trait ObserveError {
    /// `{"error": {code, message, members}}`, or `{"failure": ..}` when no service error.
    fn observe_error(&self) -> Value;
}

/// The output or the error of parsing a response.
pub fn outcome<O: Observe, E: ObserveError>(result: Result<O, E>) -> Value {
    match result {
        Ok(output) => json!({"result": output.observe()}),
        Err(error) => error.observe_error(),
    }
}

/// A service error: what the response said, and the modelled members.
pub fn service_error(metadata: &awsgen_runtime::error::ErrorMetadata, members: &dyn Observe) -> Value {
    json!({"error": {"code": metadata.code, "message": metadata.message, "members": members.observe()}})
}

/// A failure to read the response.
pub fn failure(error: &dyn std::fmt::Display) -> Value {
    json!({"failure": error.to_string()})
}

/// No members: an unmodelled error's.
impl Observe for () {
    fn observe(&self) -> Value {
        json!({})
    }
}

impl Observe for awsgen_runtime::request_id::NoOutput {
    fn observe(&self) -> Value {
        json!({})
    }
}

impl Observe for String {
    fn observe(&self) -> Value {
        Value::String(self.clone())
    }
}

impl ObserveKey for String {
    fn key(&self) -> String {
        self.clone()
    }
}

impl Observe for bool {
    fn observe(&self) -> Value {
        Value::Bool(*self)
    }
}

impl Observe for i32 {
    fn observe(&self) -> Value {
        Value::from(*self)
    }
}

impl Observe for i64 {
    fn observe(&self) -> Value {
        Value::from(*self)
    }
}

fn float(value: f64) -> Value {
    if value.is_nan() {
        json!("NaN")
    } else if value.is_infinite() {
        json!(if value > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        json!(value)
    }
}

impl Observe for f32 {
    fn observe(&self) -> Value {
        // The f32's own shortest text, read as an f64: 1.2f32 is 1.2, not 1.2000000476837158.
        float(self.to_string().parse().unwrap_or(f64::NAN))
    }
}

impl Observe for f64 {
    fn observe(&self) -> Value {
        float(*self)
    }
}

impl Observe for Blob {
    fn observe(&self) -> Value {
        Value::String(String::from_utf8_lossy(self.as_ref()).into_owned())
    }
}

impl Observe for DateTime {
    fn observe(&self) -> Value {
        if self.subsec_nanos() == 0 { json!(self.secs()) } else { json!(self.as_secs_f64()) }
    }
}

impl Observe for Document {
    fn observe(&self) -> Value {
        match self {
            Document::Object(entries) => Value::Object(entries.iter().map(|(k, v)| (k.clone(), v.observe())).collect()),
            Document::Array(items) => Value::Array(items.iter().map(Observe::observe).collect()),
            Document::Number(n) => match *n {
                aws_smithy_types::Number::PosInt(u) => json!(u),
                aws_smithy_types::Number::NegInt(i) => json!(i),
                aws_smithy_types::Number::Float(f) => float(f),
            },
            Document::String(s) => Value::String(s.clone()),
            Document::Bool(b) => Value::Bool(*b),
            Document::Null => Value::Null,
        }
    }
}

impl<T: Observe> Observe for Option<T> {
    fn observe(&self) -> Value {
        self.as_ref().map_or(Value::Null, Observe::observe)
    }
}

impl<T: Observe + ?Sized> Observe for Box<T> {
    fn observe(&self) -> Value {
        (**self).observe()
    }
}

impl<T: Observe> Observe for Vec<T> {
    fn observe(&self) -> Value {
        Value::Array(self.iter().map(Observe::observe).collect())
    }
}

impl<K: ObserveKey, V: Observe> Observe for HashMap<K, V> {
    fn observe(&self) -> Value {
        Value::Object(self.iter().map(|(k, v)| (k.key(), v.observe())).collect())
    }
}
