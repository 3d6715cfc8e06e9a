//! S3's multipart-upload helper (`Client::upload_file`): a hand-written module
//! (codegen/templates/s3_multipart.rs) that the generator adds to an S3 crate with the four
//! operations it calls, written against the crate's own paths.

use proc_macro2::TokenStream;

use super::context::Context;

/// The template, valid Rust as it would sit in a crate root's `multipart` module.
const TEMPLATE: &str = include_str!("../../templates/s3_multipart.rs");

/// The operations the helper calls.
const OPERATIONS: [&str; 4] =
    ["CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload", "AbortMultipartUpload"];

/// The model names the template uses (shape, member) with the Rust name it writes for each:
/// a model whose names come out otherwise is refused rather than given code that does not
/// compile.
const FIELDS: [(&str, &str, &str); 6] = [
    ("CreateMultipartUploadOutput", "UploadId", "upload_id"),
    ("UploadPartRequest", "PartNumber", "part_number"),
    ("UploadPartOutput", "ETag", "e_tag"),
    ("CompletedPart", "ETag", "e_tag"),
    ("CompleteMultipartUploadRequest", "MultipartUpload", "multipart_upload"),
    ("CompletedMultipartUpload", "Parts", "parts"),
];

/// Whether the crate gets the helper: S3, with the four operations selected.
pub fn applies(cx: &Context) -> bool {
    cx.model.service.signing_name == "s3"
        && cx.model.service.endpoint_prefix == "s3"
        && OPERATIONS.iter().all(|name| cx.selection.operations.iter().any(|op| op == name))
}

/// The `multipart` module, or why the model does not fit the template.
pub fn multipart_module(cx: &Context) -> Result<TokenStream, String> {
    for (shape, member, expected) in FIELDS {
        let found = cx.model.shapes.contains_key(shape).then(|| cx.names.field(shape, member));
        if found != Some(expected) {
            return Err(format!(
                "S3's multipart helper needs member `{member}` of `{shape}` to be the field `{expected}`, found {found:?}"
            ));
        }
    }
    // The runtime first: its path starts with the crate's.
    let runtime = cx.runtime().to_string().replace(' ', "");
    let root = cx.root.to_string().replace(' ', "");
    let text = TEMPLATE.replace("crate::runtime::", &format!("{runtime}::")).replace("crate::", &format!("{root}::"));
    let file = syn::parse_file(&text).map_err(|e| format!("the multipart template does not parse: {e}"))?;
    Ok(quote::ToTokens::into_token_stream(file))
}
