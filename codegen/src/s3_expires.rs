//! S3's `Expires` response header as botocore and the AWS SDKs give it. S3 stores whatever text
//! an uploader sent as the object's `Expires` and sends it back, so a client that reads it as a
//! date fails on objects it did not write. The SDKs agreed on one answer (botocore's
//! `handle_expires_header`, the AWS SDK for Rust's `expires_string`): every output with the
//! header keeps `Expires` as a timestamp, unset when the text is not a date, and gains
//! `ExpiresString`, the raw text. botocore 1.44.5's model types the member as a string, Smithy's
//! as a timestamp: both become the pair. The lenient read itself is the restXml emitter's.

use crate::ir::{Location, Member, Model, Shape, ShapeKind, StringShape, TimestampFormat};

/// The member holding the header's raw text.
pub const EXPIRES_STRING: &str = "ExpiresString";
/// The timestamp shape `Expires` is read as, when the model has none of that name.
const EXPIRES_TIMESTAMP: &str = "ExpiresTimestamp";
/// The string shape `ExpiresString` targets, when the model has none of that name.
const EXPIRES_TEXT: &str = "ExpiresText";

/// Whether `member` is bound to S3's `Expires` response header.
pub fn is_expires_header(member: &Member) -> bool {
    member.name == "Expires" && member.location == Some(Location::Header("Expires".to_string()))
}

/// Gives every S3 output with the `Expires` header a timestamp `Expires` and a string
/// `ExpiresString`; other services are left alone.
pub fn apply(model: &mut Model) {
    if model.service.sdk_id != "S3" {
        return;
    }
    let outputs: std::collections::BTreeSet<String> =
        model.operations.values().filter_map(|operation| operation.output.clone()).collect();
    let mut added = false;
    for output in outputs {
        let Some(Shape { kind: ShapeKind::Structure(structure), .. }) = model.shapes.get_mut(&output) else {
            continue;
        };
        let Some(at) = structure.members.iter().position(is_expires_header) else { continue };
        if structure.members.iter().any(|m| m.name == EXPIRES_STRING) {
            continue;
        }
        let mut raw = structure.members[at].clone();
        raw.name = EXPIRES_STRING.to_string();
        raw.wire_name = EXPIRES_STRING.to_string();
        raw.target = EXPIRES_TEXT.to_string();
        raw.timestamp_format = None;
        raw.documentation = Some(
            "<p>The raw text of the <code>Expires</code> header, which S3 keeps as the uploader sent it \
             (<code>Expires</code> is unset when the text is not a date).</p>"
                .to_string(),
        );
        let expires = &mut structure.members[at];
        expires.target = EXPIRES_TIMESTAMP.to_string();
        expires.documentation = Some(format!(
            "{}<p>Unset when the header is not a date: <code>ExpiresString</code> has its text.</p>",
            expires.documentation.as_deref().unwrap_or_default()
        ));
        structure.members.insert(at + 1, raw);
        added = true;
    }
    if added {
        let shape = |name: &str, kind| Shape {
            name: name.to_string(),
            kind,
            documentation: None,
            deprecated: None,
            sensitive: false,
            streaming: false,
            event_stream: false,
            xml_name: None,
            xml_namespace: None,
        };
        let timestamp = shape(EXPIRES_TIMESTAMP, ShapeKind::Timestamp(Some(TimestampFormat::HttpDate)));
        model.shapes.entry(EXPIRES_TIMESTAMP.to_string()).or_insert(timestamp);
        let text = shape(EXPIRES_TEXT, ShapeKind::String(StringShape::default()));
        model.shapes.entry(EXPIRES_TEXT.to_string()).or_insert(text);
    }
}

#[cfg(test)]
mod tests {
    use crate::{CrateOptions, OperationFilter, RuntimeSource};

    /// The generated file `path` of a botocore model of `service_id` with S3's `Expires`.
    fn generated(service_id: &str, path: &str) -> String {
        let model = format!(
            r#"{{"version": "2.0", "metadata": {{"apiVersion": "2006-03-01", "endpointPrefix": "s3",
            "protocol": "rest-xml", "serviceId": "{service_id}", "signatureVersion": "s3"}},
            "operations": {{"HeadObject": {{"name": "HeadObject", "http": {{"method": "HEAD", "requestUri": "/{{Key}}"}},
                "input": {{"shape": "HeadObjectRequest"}}, "output": {{"shape": "HeadObjectOutput"}}}}}},
            "shapes": {{
                "HeadObjectRequest": {{"type": "structure", "required": ["Key"], "members": {{
                    "Key": {{"shape": "Key", "location": "uri", "locationName": "Key"}}}}}},
                "HeadObjectOutput": {{"type": "structure", "members": {{
                    "Expires": {{"shape": "Expires", "location": "header", "locationName": "Expires"}}}}}},
                "Key": {{"type": "string"}},
                "Expires": {{"type": "string"}}}}}}"#
        );
        let options = CrateOptions {
            crate_name: Some("s3".to_string()),
            model_label: "s3.json".to_string(),
            command: "test".to_string(),
            standalone: true,
            runtime: RuntimeSource::Crate { path: "../runtime".to_string() },
        };
        let emitted = crate::generate("s3.json", &model, &OperationFilter::All, &options).unwrap();
        let file = emitted.files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no {path}"));
        file.contents.clone()
    }

    #[test]
    fn s3_outputs_read_expires_leniently_and_keep_its_text() {
        let output = generated("S3", "src/types/head_object_output.rs");
        assert!(output.contains("pub expires: Option<::aws_smithy_types::DateTime>"), "{output}");
        assert!(output.contains("pub expires_string: Option<String>"), "{output}");
        let operation = generated("S3", "src/operation/head_object.rs");
        assert!(
            operation.contains(".ok()\n            .flatten()") || operation.contains(".ok().flatten()"),
            "{operation}"
        );
        assert!(
            operation.contains(r#"output.expires_string = bindings::header(headers, "Expires", "ExpiresString")?;"#),
            "{operation}"
        );
        // Another service's `Expires` is its model's.
        let other = generated("Other", "src/types/head_object_output.rs");
        assert!(other.contains("pub expires: Option<String>") && !other.contains("expires_string"), "{other}");
    }
}
