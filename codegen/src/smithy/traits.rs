//! Reading the traits of a Smithy shape or member into typed values, with errors that name it.

use indexmap::IndexMap;
use serde_json::Value;

use super::ast::{Ast, describe};
use crate::error::ModelError;
use crate::front_end::{length_bound, range_bound};
use crate::ir::{Deprecation, Length, Location, Number, Range, TimestampFormat, XmlNamespace};

/// The traits of a shape or member, read with errors that name it.
pub(super) struct Traits<'a> {
    /// The AST, for the line of an error.
    pub(super) ast: &'a Ast<'a>,
    /// The shape or member id.
    pub(super) id: &'a str,
    /// The traits by id (`smithy.api#documentation`).
    pub(super) traits: &'a IndexMap<String, Value>,
}

impl<'a> Traits<'a> {
    /// An error about this shape or member.
    pub(super) fn error(&self, message: impl Into<String>) -> ModelError {
        self.ast.error_at(self.id, describe(self.id), message)
    }

    /// Whether the prelude trait `name` (`sensitive` for `smithy.api#sensitive`) is applied.
    pub(super) fn has(&self, name: &str) -> bool {
        self.traits.contains_key(&format!("smithy.api#{name}"))
    }

    /// The value of the prelude trait `name`.
    pub(super) fn get(&self, name: &str) -> Option<&'a Value> {
        self.traits.get(&format!("smithy.api#{name}"))
    }

    /// The value of the prelude trait `name`, which must be a string.
    pub(super) fn string(&self, name: &str) -> Result<Option<String>, ModelError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(other) => Err(self.error(format!("trait `smithy.api#{name}` must be a string, found {other}"))),
        }
    }

    /// The `documentation` trait.
    pub(super) fn documentation(&self) -> Result<Option<String>, ModelError> {
        self.string("documentation")
    }

    /// The `deprecated` trait.
    pub(super) fn deprecated(&self) -> Result<Option<Deprecation>, ModelError> {
        match self.get("deprecated") {
            None => Ok(None),
            Some(Value::Object(fields)) => match fields.get("message") {
                None => Ok(Some(Deprecation { message: None })),
                Some(Value::String(message)) => Ok(Some(Deprecation { message: Some(message.clone()) })),
                Some(other) => {
                    Err(self.error(format!("trait `smithy.api#deprecated`: `message` must be a string, found {other}")))
                }
            },
            Some(other) => Err(self.error(format!("trait `smithy.api#deprecated` must be an object, found {other}"))),
        }
    }

    /// The `timestampFormat` trait.
    pub(super) fn timestamp_format(&self) -> Result<Option<TimestampFormat>, ModelError> {
        match self.string("timestampFormat")?.as_deref() {
            None => Ok(None),
            Some("epoch-seconds") => Ok(Some(TimestampFormat::EpochSeconds)),
            Some("date-time") => Ok(Some(TimestampFormat::DateTime)),
            Some("http-date") => Ok(Some(TimestampFormat::HttpDate)),
            Some(other) => Err(self
                .error(format!("unknown timestampFormat `{other}` (expected date-time, epoch-seconds or http-date)"))),
        }
    }

    /// The `length` trait. A minimum of 0 constrains nothing and is left out, as botocore does.
    pub(super) fn length(&self) -> Result<Length, ModelError> {
        let Some(value) = self.get("length") else {
            return Ok(Length::default());
        };
        let fields = value
            .as_object()
            .ok_or_else(|| self.error(format!("trait `smithy.api#length` must be an object, found {value}")))?;
        let bound = |which: &str| -> Result<Option<u64>, ModelError> {
            fields
                .get(which)
                .map(|value| length_bound(which, value))
                .transpose()
                .map_err(|e| self.error(format!("trait `smithy.api#length`: {e}")))
        };
        Ok(Length { min: bound("min")?.filter(|min| *min != 0), max: bound("max")? })
    }

    /// The `range` trait.
    pub(super) fn range(&self) -> Result<Range, ModelError> {
        let Some(value) = self.get("range") else {
            return Ok(Range::default());
        };
        let fields = value
            .as_object()
            .ok_or_else(|| self.error(format!("trait `smithy.api#range` must be an object, found {value}")))?;
        let bound = |which: &str| -> Result<Option<Number>, ModelError> {
            match fields.get(which) {
                None => Ok(None),
                Some(Value::Number(n)) => Ok(Some(range_bound(n))),
                Some(other) => {
                    Err(self.error(format!("trait `smithy.api#range`: `{which}` must be a number, found {other}")))
                }
            }
        };
        Ok(Range { min: bound("min")?, max: bound("max")? })
    }

    /// A string field of the object trait `id` (a full trait id), if the trait is applied.
    pub(super) fn field(&self, id: &str, field: &str) -> Result<Option<String>, ModelError> {
        match self.traits.get(id).map(|value| value.get(field)) {
            None | Some(None) => Ok(None),
            Some(Some(Value::String(text))) => Ok(Some(text.clone())),
            Some(Some(other)) => Err(self.error(format!("trait `{id}`: `{field}` must be a string, found {other}"))),
        }
    }

    /// The `xmlNamespace` trait.
    pub(super) fn xml_namespace(&self) -> Result<Option<XmlNamespace>, ModelError> {
        let id = "smithy.api#xmlNamespace";
        if !self.traits.contains_key(id) {
            return Ok(None);
        }
        let uri = self.field(id, "uri")?.ok_or_else(|| self.error(format!("trait `{id}` needs a `uri`")))?;
        Ok(Some(XmlNamespace { uri, prefix: self.field(id, "prefix")? }))
    }

    /// Where the HTTP binding traits put a member, if anywhere but the body. `name` is the
    /// member's name (a label's name in the URI template).
    pub(super) fn location(&self, name: &str) -> Result<Option<Location>, ModelError> {
        Ok(Some(if self.has("httpLabel") {
            Location::Label(name.to_string())
        } else if let Some(query) = self.string("httpQuery")? {
            Location::Query(query)
        } else if self.has("httpQueryParams") {
            Location::QueryParams
        } else if let Some(header) = self.string("httpHeader")? {
            Location::Header(header)
        } else if let Some(prefix) = self.string("httpPrefixHeaders")? {
            Location::PrefixHeaders(prefix)
        } else if self.has("httpResponseCode") {
            Location::StatusCode
        } else if self.has("httpPayload") {
            Location::Payload
        } else {
            return Ok(None);
        }))
    }
}
