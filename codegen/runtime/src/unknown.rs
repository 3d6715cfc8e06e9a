//! Values from a newer service than this client: kept as they came, never a parse failure.

use std::fmt;

/// A string-enum value this client does not know. It can only be made by parsing, so a
/// `match` cannot name a specific unknown value and break when a later model adds it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// Wraps a value the enum does not know: for the generated enums' `From<&str>` only, so
    /// hidden from the documentation.
    #[doc(hidden)]
    pub fn new(value: &str) -> Self {
        UnknownValue(value.to_string())
    }

    /// The value exactly as the service sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A union member this client does not know: its name and its JSON value, written back as is.
#[derive(Clone, Debug, PartialEq)]
pub struct UnknownMember {
    /// The member name on the wire.
    pub name: String,
    /// The member's value.
    pub value: aws_smithy_types::Document,
}

impl UnknownMember {
    /// A member known by its name only: rpcv2Cbor skips the value, which may be any CBOR (see
    /// the generated unions' `FromCbor`); for the generated code only, so hidden from the
    /// documentation.
    #[doc(hidden)]
    pub fn name_only(name: &str) -> Self {
        UnknownMember { name: name.to_string(), value: aws_smithy_types::Document::Null }
    }
}
