//! Error responses of the `rpcv2Cbor` protocol: the code and message every error has, read
//! from the CBOR body; the modelled error's own members are read from the same body with
//! [`from_body`](super::from_body), which skips `__type`.

use http::HeaderMap;

use super::super::error::ErrorMetadata;
use super::super::path::Path;
use super::super::protocol::{UNKNOWN_ERROR_CODE, request_id, sanitize_error_code};
use super::error::CborError;
use super::read::CborReader;

/// The header of a query-compatible service naming the error as its former awsQuery protocol
/// did: `Code;Sender` or `Code;Receiver`. Its code wins over the body's.
pub const QUERY_ERROR_HEADER: &str = "x-amzn-query-error";

/// Reads an error response as botocore does: the code from `__type`, cut at the first `:` and
/// keeping what follows `#` (`smithy.example#InvalidGreeting` → `InvalidGreeting`), unless the
/// `x-amzn-query-error` header names one; the message from `message` or `Message`. An empty body
/// has neither. A body that is not a CBOR map is an error.
pub fn parse_error(status: u16, headers: &HeaderMap, body: &[u8]) -> Result<ErrorMetadata, CborError> {
    let (mut code, mut message, mut fallback_message) = (None, None, None);
    if !body.is_empty() {
        let mut reader = CborReader::new(body);
        let root = Path::Root;
        let mut map = reader.map(&root)?;
        while let Some(key) = map.next_key()? {
            match &*key {
                "__type" => code = map.value::<Option<String>>()?,
                "message" => message = map.value::<Option<String>>()?,
                "Message" => fallback_message = map.value::<Option<String>>()?,
                _ => map.skip()?,
            }
        }
        reader.finish()?;
    }
    let query_code = headers
        .get(QUERY_ERROR_HEADER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_once(';'))
        .filter(|(code, kind)| !code.is_empty() && !kind.contains(';'))
        .map(|(code, _)| code);
    let code = query_code.or(code.as_deref().map(sanitize_error_code)).filter(|code| !code.is_empty());
    Ok(ErrorMetadata::new(
        code.unwrap_or(UNKNOWN_ERROR_CODE),
        message.or(fallback_message),
        status,
        request_id(headers),
    ))
}
