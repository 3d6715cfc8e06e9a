//! The envelopes of the awsQuery and ec2 protocols around an operation's output and around an
//! error, as botocore's `QueryParser` and `EC2QueryParser` read them.

use super::super::error::ErrorMetadata;
use super::super::protocol::UNKNOWN_ERROR_CODE;
use super::{FromXml, XmlElement, XmlError, read_document};

/// An operation's output and the request id the response carried.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct XmlResponse<T> {
    /// The output structure.
    pub output: T,
    /// The request id, for AWS support.
    pub request_id: Option<String>,
}

fn is_empty(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// Reads an awsQuery response:
/// `<{operation}Response><{operation}Result>…</{operation}Result><ResponseMetadata><RequestId>…`.
/// The `Result` element is the output; without one (or with an empty body) the output is empty.
pub fn read_query_response<T: FromXml + Default>(body: &[u8], operation: &str) -> Result<XmlResponse<T>, XmlError> {
    if is_empty(body) {
        return Ok(XmlResponse::default());
    }
    let result_name = format!("{operation}Result");
    read_document(body, |root| {
        root.expect_name(&format!("{operation}Response"))?;
        let mut response = XmlResponse::default();
        while let Some(mut child) = root.next_child()? {
            if child.local_name() == result_name {
                response.output = child.read()?;
            } else if child.local_name() == "ResponseMetadata" {
                response.request_id = request_id_child(&mut child, &["RequestId"])?;
            } else {
                child.skip()?;
            }
        }
        Ok(response)
    })
}

/// Reads an ec2 response: `<{operation}Response>` is itself the output, and carries the request
/// id in a `<requestId>` (or `<RequestId>`) child.
pub fn read_ec2_response<T: FromXml + Default>(body: &[u8], operation: &str) -> Result<XmlResponse<T>, XmlError> {
    if is_empty(body) {
        return Ok(XmlResponse::default());
    }
    let root_name = format!("{operation}Response");
    let output = read_document(body, |root| {
        root.expect_name(&root_name)?;
        root.read()
    })?;
    // A second pass over the root's children only: the output's reader passed the id over.
    let request_id = read_document(body, |root| request_id_child(root, &["requestId", "RequestId"]))?;
    Ok(XmlResponse { output, request_id })
}

/// The text of the first child of `element` named one of `names`.
fn request_id_child(element: &mut XmlElement<'_, '_>, names: &[&str]) -> Result<Option<String>, XmlError> {
    let mut found = None;
    while let Some(mut child) = element.next_child()? {
        if found.is_none() && names.contains(&child.local_name()) {
            found = Some(child.text()?.trim().to_string());
        } else {
            child.skip()?;
        }
    }
    Ok(found)
}

/// Reads an error response of either protocol into its code, message and request id:
///
/// - awsQuery: `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message>…
///   </Error><RequestId>…</RequestId></ErrorResponse>`;
/// - ec2: `<Response><Errors><Error><Code>…</Code><Message>…</Message></Error></Errors>
///   <RequestID>…</RequestID></Response>`.
///
/// The root's name is not checked (services differ). An empty body gives the unknown code.
/// `<Type>` (`Sender` or `Receiver`) is not kept: it says no more than the HTTP status.
pub fn read_error(status: u16, body: &[u8]) -> Result<ErrorMetadata, XmlError> {
    let mut metadata = ErrorMetadata::new(UNKNOWN_ERROR_CODE, None, status, None);
    if is_empty(body) {
        return Ok(metadata);
    }
    read_document(body, |root| {
        while let Some(mut child) = root.next_child()? {
            match child.local_name() {
                "Error" => read_code_and_message(&mut child, &mut metadata)?,
                "Errors" => {
                    while let Some(mut error) = child.next_child()? {
                        if error.local_name() == "Error" && metadata.code == UNKNOWN_ERROR_CODE {
                            read_code_and_message(&mut error, &mut metadata)?;
                        } else {
                            error.skip()?;
                        }
                    }
                }
                "RequestId" | "RequestID" => metadata.request_id = Some(child.text()?.trim().to_string()),
                _ => child.skip()?,
            }
        }
        Ok(())
    })?;
    Ok(metadata)
}

fn read_code_and_message(error: &mut XmlElement<'_, '_>, metadata: &mut ErrorMetadata) -> Result<(), XmlError> {
    while let Some(mut child) = error.next_child()? {
        match child.local_name() {
            "Code" => {
                let code = child.text()?;
                if !code.trim().is_empty() {
                    metadata.code = code.trim().to_string();
                }
            }
            "Message" => metadata.message = Some(child.text()?),
            _ => child.skip()?,
        }
    }
    Ok(())
}

/// Reads the modelled error's members from the `<Error>` element of an error response of either
/// protocol (see [`read_error`]); a body without one gives `T::default()`.
pub fn read_error_members<T: FromXml + Default>(body: &[u8]) -> Result<T, XmlError> {
    if is_empty(body) {
        return Ok(T::default());
    }
    read_document(body, |root| {
        let mut out = None;
        while let Some(mut child) = root.next_child()? {
            match child.local_name() {
                "Error" if out.is_none() => out = Some(child.read()?),
                "Errors" if out.is_none() => {
                    while let Some(mut error) = child.next_child()? {
                        if error.local_name() == "Error" && out.is_none() {
                            out = Some(error.read()?);
                        } else {
                            error.skip()?;
                        }
                    }
                }
                _ => child.skip()?,
            }
        }
        Ok(out.unwrap_or_default())
    })
}
