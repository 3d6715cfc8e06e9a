//! XML bodies. Responses (awsQuery, ec2, restXml): a pull reader that never builds a tree,
//! typed reading of values through [`FromXml`], and the protocols' response and error envelopes.
//! Requests (restXml): an escaping writer, [`XmlWriter`], and [`ToXml`].
//!
//! Generated code reads a structure member by member:
//!
//! ```
//! use awsgen_runtime::xml::{self, FromXml, XmlElement, XmlError};
//!
//! #[derive(Default)]
//! struct Role {
//!     name: Option<String>,
//!     tags: Option<Vec<String>>,
//!     ids: Option<Vec<i32>>,
//! }
//!
//! impl FromXml for Role {
//!     fn read_xml(element: &mut XmlElement<'_, '_>) -> Result<Self, XmlError> {
//!         let mut out = Self::default();
//!         while let Some(mut child) = element.next_child()? {
//!             match child.local_name() {
//!                 "RoleName" => out.name = Some(child.read()?),
//!                 "Tags" => out.tags = Some(xml::read_list(&mut child, "member")?),
//!                 "Id" => xml::push(&mut out.ids, &mut child)?, // a flattened list
//!                 _ => child.skip()?,
//!             }
//!         }
//!         Ok(out)
//!     }
//! }
//!
//! let body = b"<GetRoleResponse><GetRoleResult><RoleName>admin</RoleName>\
//!     <Tags><member>a</member></Tags><Id>1</Id><Id>2</Id></GetRoleResult></GetRoleResponse>";
//! let response = xml::read_query_response::<Role>(body, "GetRole").unwrap();
//! assert_eq!(response.output.name.as_deref(), Some("admin"));
//! assert_eq!(response.output.ids, Some(vec![1, 2]));
//! ```
//!
//! # Safety on hostile bodies
//!
//! Only the five predefined entities (`&lt;` `&gt;` `&amp;` `&apos;` `&quot;`) and character
//! references are decoded; any other reference is an error, and a DOCTYPE is skipped unread, so
//! entities it declares are never expanded. Elements nest at most [`MAX_DEPTH`] deep. Nothing is
//! kept of an element once it is read past, so memory is the body plus the open elements' names.

mod reader;
mod response;
mod value;
mod writer;

pub use reader::{MAX_DEPTH, XmlElement, read_document};
pub use response::{XmlResponse, read_ec2_response, read_error, read_error_members, read_query_response};
pub use value::{
    FromXml, FromXmlText, insert, insert_with, push, push_with, read_list, read_list_with, read_map, read_map_with,
    timestamp_from_text,
};
pub use writer::{Namespace, ToXml, XmlWriter, to_document};

use std::fmt;

/// What went wrong reading an XML body.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum XmlErrorKind {
    /// The body is not well-formed XML at this place.
    Malformed {
        /// The line, from 1.
        line: usize,
        /// The byte offset from the start of the body.
        offset: usize,
    },
    /// The body ends before the document does.
    Truncated,
    /// The body is not UTF-8 from this byte offset on.
    InvalidUtf8 {
        /// The byte offset of the first invalid byte.
        offset: usize,
    },
    /// The root element is not the one the operation answers with.
    UnexpectedRoot,
    /// Elements nest deeper than [`MAX_DEPTH`].
    TooDeep,
    /// A reference to an entity other than the five predefined ones.
    UnknownEntity,
    /// A well-formed value that does not fit its member's type.
    Value,
}

/// An XML body that could not be read, with the path of the element where it happened, e.g.
/// `GetRoleResponse/GetRoleResult/Role/Tags/member[2]/Value: expected an integer, found "abc"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlError {
    /// What kind of problem this is.
    pub kind: XmlErrorKind,
    /// The local names of the elements from the root down to the one at fault, separated by
    /// `/`; an element read as an item of a list or map has its position from 1, `member[2]`.
    pub path: String,
    /// What was expected and what was found.
    pub message: String,
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let XmlErrorKind::Malformed { line, offset } = self.kind {
            write!(f, "malformed XML at line {line} (byte {offset}): ")?;
        }
        if self.path.is_empty() { f.write_str(&self.message) } else { write!(f, "{}: {}", self.path, self.message) }
    }
}

impl std::error::Error for XmlError {}

#[cfg(test)]
mod tests;
