//! The standard library of the rules engine: `isSet`, `not`, `getAttr`, `booleanEquals`,
//! `stringEquals`, `substring`, `uriEncode`, `parseURL`, `isValidHostLabel`, and AWS's
//! `aws.partition`, `aws.parseArn` and `aws.isVirtualHostableS3Bucket`.

use std::collections::BTreeMap;

use super::eval::Evaluation;
use super::rules::{Call, Expr, Step, Value};

impl Evaluation<'_> {
    /// Calls a standard library function.
    pub(super) fn call(&self, call: &Call) -> Result<Option<Value>, String> {
        let name = call.name();
        let bool_result = |b: bool| Ok(Some(Value::Bool(b)));
        match call {
            Call::IsSet(value) => bool_result(self.expr(value)?.is_some()),
            Call::Not(value) => match self.expr(value)? {
                None => bool_result(true),
                Some(Value::Bool(b)) => bool_result(!b),
                Some(other) => Err(format!("`not` takes a boolean, got {}", other.kind())),
            },
            Call::GetAttr(value, path) => Ok(self.expr(value)?.as_ref().and_then(|v| get_attr(v, path)).cloned()),
            // An unset argument makes an equality false, as an `Option` compared with a value.
            Call::BooleanEquals(a, b) => match (self.expr(a)?, self.expr(b)?) {
                (Some(Value::Bool(a)), Some(Value::Bool(b))) => bool_result(a == b),
                (None, _) | (_, None) => bool_result(false),
                (a, b) => Err(mismatch(name, "booleans", a, b)),
            },
            Call::StringEquals(a, b) => match (self.expr(a)?, self.expr(b)?) {
                (Some(Value::String(a)), Some(Value::String(b))) => bool_result(a == b),
                (None, _) | (_, None) => bool_result(false),
                (a, b) => Err(mismatch(name, "strings", a, b)),
            },
            Call::Substring(input, start, stop, reverse) => {
                let Some(input) = self.optional_string(name, input)? else { return Ok(None) };
                let (start, stop, reverse) = match (self.expr(start)?, self.expr(stop)?, self.expr(reverse)?) {
                    (Some(Value::Int(start)), Some(Value::Int(stop)), Some(Value::Bool(reverse))) => {
                        (start, stop, reverse)
                    }
                    _ => return Err("`substring` takes a string, two integers and a boolean".to_owned()),
                };
                Ok(substring(&input, start, stop, reverse).map(Value::String))
            }
            Call::UriEncode(value) => Ok(self.optional_string(name, value)?.map(|s| Value::String(uri_encode(&s)))),
            Call::ParseUrl(value) => Ok(self.optional_string(name, value)?.and_then(|s| parse_url(&s))),
            Call::IsValidHostLabel(value, subdomains) => {
                let subdomains = self.flag(name, subdomains)?;
                let value = self.optional_string(name, value)?;
                bool_result(value.is_some_and(|v| is_valid_host_label(&v, subdomains)))
            }
            Call::Partition(region) => {
                let region = self.optional_string(name, region)?;
                Ok(self.resolver.partitions.of(region.as_deref()).map(|p| p.outputs.clone()))
            }
            Call::ParseArn(value) => Ok(self.optional_string(name, value)?.and_then(|s| parse_arn(&s))),
            Call::IsVirtualHostableS3Bucket(value, subdomains) => {
                let subdomains = self.flag(name, subdomains)?;
                let value = self.optional_string(name, value)?;
                bool_result(value.is_some_and(|v| is_virtual_hostable_s3_bucket(&v, subdomains)))
            }
        }
    }

    /// Evaluates an argument of `function` that must be a string when set.
    fn optional_string(&self, function: &str, expr: &Expr) -> Result<Option<String>, String> {
        match self.expr(expr)? {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(format!("`{function}` takes a string, got {}", other.kind())),
        }
    }

    /// Evaluates an argument of `function` that must be a boolean.
    fn flag(&self, function: &str, expr: &Expr) -> Result<bool, String> {
        match self.expr(expr)? {
            Some(Value::Bool(b)) => Ok(b),
            Some(other) => Err(format!("`{function}` takes a boolean flag, got {}", other.kind())),
            None => Err(format!("`{function}` takes a boolean flag, got an unset value")),
        }
    }
}

/// The message for an equality of values that are not both `expected`.
fn mismatch(function: &str, expected: &str, a: Option<Value>, b: Option<Value>) -> String {
    let kind = |v: Option<Value>| v.map_or("unset", |v| v.kind());
    format!("`{function}` compares two {expected}, got {} and {}", kind(a), kind(b))
}

/// `getAttr`: follows `path` into `value`; `None` for a missing field or index, or a step
/// that does not fit the value.
pub(super) fn get_attr<'v>(value: &'v Value, path: &[Step]) -> Option<&'v Value> {
    let mut value = value;
    for step in path {
        value = match (step, value) {
            (Step::Field(name), Value::Object(fields)) => fields.get(name)?,
            (Step::Index(index), Value::Array(items)) => items.get(*index)?,
            _ => return None,
        };
    }
    Some(value)
}

/// `substring`: the bytes `start..stop` of an ASCII string, counted from the end when
/// `reverse`; `None` when the range does not fit or the string is not ASCII.
fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
    let (Ok(start), Ok(stop)) = (usize::try_from(start), usize::try_from(stop)) else { return None };
    if !input.is_ascii() || start >= stop || input.len() < stop {
        return None;
    }
    let (from, to) = if reverse { (input.len() - stop, input.len() - start) } else { (start, stop) };
    input.get(from..to).map(str::to_owned)
}

/// `uriEncode`: percent-encodes every UTF-8 byte except the unreserved `A-Z a-z 0-9 - . _ ~`.
fn uri_encode(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for byte in input.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `isValidHostLabel`: 1 to 63 ASCII letters, digits and `-`, not starting or ending with
/// `-`; with `subdomains`, every `.`-separated label must be one.
fn is_valid_host_label(value: &str, subdomains: bool) -> bool {
    let label = |l: &str| {
        (1..=63).contains(&l.len())
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if subdomains { value.split('.').all(label) } else { label(value) }
}

/// `aws.isVirtualHostableS3Bucket`: a host label (or labels, with `subdomains`) of at least
/// three characters, in lower case, that does not look like an IPv4 address.
fn is_virtual_hostable_s3_bucket(value: &str, subdomains: bool) -> bool {
    value.len() >= 3
        && !value.bytes().any(|b| b.is_ascii_uppercase())
        && !looks_like_ipv4(value)
        && is_valid_host_label(value, subdomains)
}

/// Four dot-separated groups of one to three digits (values are not checked, as botocore).
fn looks_like_ipv4(host: &str) -> bool {
    let groups: Vec<&str> = host.split('.').collect();
    groups.len() == 4 && groups.iter().all(|g| (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()))
}

/// `parseURL`: an `http` or `https` URL without a query, as a record of `scheme`,
/// `authority`, `path` (as written), `normalizedPath` (dot segments and empty segments
/// removed, starting and ending with `/`) and `isIp`. `None` for anything else, including a
/// port that is not a number up to 65535, or whitespace and control characters.
///
/// botocore also percent-encodes `normalizedPath` again (`quote`); that is left out, as the
/// Smithy specification has the path as written. A fragment is ignored, as botocore does.
fn parse_url(url: &str) -> Option<Value> {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let rest = match rest.split_once('?') {
        Some((_, query)) if !query.is_empty() => return None,
        Some((before, _)) => before,
        None => rest,
    };
    let (authority, path) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let (host, port) = if let Some(bracketed) = host_port.strip_prefix('[') {
        let (inside, after) = bracketed.split_once(']')?;
        let port = match after {
            "" => "",
            _ => after.strip_prefix(':')?,
        };
        (format!("[{inside}]"), port)
    } else {
        match host_port.rsplit_once(':') {
            Some((host, port)) => (host.to_owned(), port),
            None => (host_port.to_owned(), ""),
        }
    };
    if host.is_empty()
        || (!port.is_empty() && (!port.bytes().all(|b| b.is_ascii_digit()) || port.parse::<u16>().is_err()))
    {
        return None;
    }
    let is_ip = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(inside) => {
            // An IPv6 address, optionally with a zone (`%25eth0` in a URL).
            let address = inside.split_once('%').map_or(inside, |(address, _)| address);
            address.parse::<std::net::Ipv6Addr>().is_ok()
        }
        None => looks_like_ipv4(&host),
    };
    let mut fields = BTreeMap::new();
    fields.insert("scheme".to_owned(), Value::String(scheme));
    fields.insert("authority".to_owned(), Value::String(authority.to_owned()));
    fields.insert("path".to_owned(), Value::String(path.to_owned()));
    fields.insert("normalizedPath".to_owned(), Value::String(normalize_path(path)));
    fields.insert("isIp".to_owned(), Value::Bool(is_ip));
    Some(Value::Object(fields))
}

/// `path` without `.`, `..` and empty segments, starting and ending with `/` (botocore's
/// `remove_dot_segments`).
fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = String::from("/");
    for segment in segments {
        out.push_str(segment);
        out.push('/');
    }
    out
}

/// `aws.parseArn`: `arn:partition:service:region:account:resource` as a record of
/// `partition`, `service`, `region`, `accountId` and `resourceId` (the resource split on `:`
/// and `/`). `None` when it is not an ARN, or its partition, service or resource is empty.
fn parse_arn(value: &str) -> Option<Value> {
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let [arn, partition, service, region, account, resource] = parts.as_slice() else { return None };
    if *arn != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let resource_id = resource.split([':', '/']).map(|s| Value::String(s.to_owned())).collect();
    let mut fields = BTreeMap::new();
    fields.insert("partition".to_owned(), Value::String((*partition).to_owned()));
    fields.insert("service".to_owned(), Value::String((*service).to_owned()));
    fields.insert("region".to_owned(), Value::String((*region).to_owned()));
    fields.insert("accountId".to_owned(), Value::String((*account).to_owned()));
    fields.insert("resourceId".to_owned(), Value::Array(resource_id));
    Some(Value::Object(fields))
}

#[cfg(test)]
mod tests {
    use super::super::rules::parse_path;
    use super::*;

    fn record(fields: &[(&str, Value)]) -> Option<Value> {
        Some(Value::Object(fields.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()))
    }

    fn s(text: &str) -> Value {
        Value::String(text.to_owned())
    }

    #[test]
    fn get_attr_follows_fields_and_indices() {
        assert_eq!(
            parse_path("a.b[0]").unwrap(),
            vec![Step::Field("a".into()), Step::Field("b".into()), Step::Index(0)]
        );
        assert_eq!(parse_path("resourceId[2]").unwrap(), vec![Step::Field("resourceId".into()), Step::Index(2)]);
        assert!(parse_path("a..b").is_err());
        assert!(parse_path("a[x]").is_err());
        let arn = parse_arn("arn:aws:s3:us-east-1:123456789012:accesspoint/my-ap").unwrap();
        assert_eq!(get_attr(&arn, &parse_path("resourceId[1]").unwrap()), Some(&s("my-ap")));
        assert_eq!(get_attr(&arn, &parse_path("resourceId[2]").unwrap()), None);
        assert_eq!(get_attr(&arn, &parse_path("region").unwrap()), Some(&s("us-east-1")));
        assert_eq!(get_attr(&arn, &parse_path("nope.deeper").unwrap()), None);
        assert_eq!(get_attr(&s("text"), &parse_path("[0]").unwrap()), None);
    }

    #[test]
    fn parse_url_splits_an_http_url() {
        assert_eq!(
            parse_url("https://example.com"),
            record(&[
                ("scheme", s("https")),
                ("authority", s("example.com")),
                ("path", s("")),
                ("normalizedPath", s("/")),
                ("isIp", Value::Bool(false)),
            ])
        );
        assert_eq!(
            parse_url("http://127.0.0.1:8080/a/./b/../c"),
            record(&[
                ("scheme", s("http")),
                ("authority", s("127.0.0.1:8080")),
                ("path", s("/a/./b/../c")),
                ("normalizedPath", s("/a/c/")),
                ("isIp", Value::Bool(true)),
            ])
        );
        let ipv6 = parse_url("https://[::1]:443/path/").unwrap();
        assert_eq!(get_attr(&ipv6, &[Step::Field("isIp".into())]), Some(&Value::Bool(true)));
        assert_eq!(get_attr(&ipv6, &[Step::Field("authority".into())]), Some(&s("[::1]:443")));
        assert_eq!(get_attr(&ipv6, &[Step::Field("normalizedPath".into())]), Some(&s("/path/")));
        assert!(parse_url("HTTPS://example.com?").is_some());
    }

    #[test]
    fn parse_url_refuses_queries_other_schemes_and_bad_ports() {
        assert_eq!(parse_url("https://example.com?x=1"), None);
        assert_eq!(parse_url("ftp://example.com"), None);
        assert_eq!(parse_url("example.com"), None);
        assert_eq!(parse_url("https://example.com:port"), None);
        assert_eq!(parse_url("https://example.com:70000"), None);
        assert_eq!(parse_url("https://exa mple.com"), None);
        assert_eq!(parse_url("https://[::1"), None);
        assert_eq!(parse_url("https://"), None);
    }

    #[test]
    fn is_valid_host_label_checks_one_label_or_each_with_subdomains() {
        assert!(is_valid_host_label("us-east-1", false));
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label("-a", false));
        assert!(!is_valid_host_label("a-", false));
        assert!(!is_valid_host_label("a_b", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
        assert!(!is_valid_host_label("a..b", true));
        assert!(!is_valid_host_label("a.-b", true));
        assert!(!is_valid_host_label("é", false));
    }

    #[test]
    fn substring_counts_from_the_start_or_with_reverse_from_the_end() {
        assert_eq!(substring("abcdef", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(substring("abcdef", 0, 4, true).as_deref(), Some("cdef"));
        assert_eq!(substring("abcdef", 1, 3, true).as_deref(), Some("de"));
        assert_eq!(substring("abcdef", 0, 6, false).as_deref(), Some("abcdef"));
        assert_eq!(substring("abcdef", 2, 2, false), None);
        assert_eq!(substring("abcdef", 0, 7, false), None);
        assert_eq!(substring("abcdé", 0, 2, false), None);
        assert_eq!(substring("abcdef", -1, 2, false), None);
    }

    #[test]
    fn uri_encode_keeps_only_unreserved_characters() {
        assert_eq!(uri_encode("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(uri_encode("a b/c:d?e"), "a%20b%2Fc%3Ad%3Fe");
        assert_eq!(uri_encode("é"), "%C3%A9");
    }

    #[test]
    fn parse_arn_splits_the_resource_on_colons_and_slashes() {
        assert_eq!(
            parse_arn("arn:aws:s3:us-west-2:123456789012:accesspoint:my/thing"),
            record(&[
                ("partition", s("aws")),
                ("service", s("s3")),
                ("region", s("us-west-2")),
                ("accountId", s("123456789012")),
                ("resourceId", Value::Array(vec![s("accesspoint"), s("my"), s("thing")])),
            ])
        );
        assert!(parse_arn("arn:aws:iam::123456789012:user/x").is_some());
        assert_eq!(parse_arn("arn:aws:s3:::"), None);
        assert_eq!(parse_arn("arn:aws:s3"), None);
        assert_eq!(parse_arn("urn:aws:s3:r:a:b"), None);
    }

    #[test]
    fn virtual_hostable_buckets_are_lower_case_labels_and_not_ip_addresses() {
        assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("My-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("ab", false));
        assert!(!is_virtual_hostable_s3_bucket("192.168.1.1", true));
        assert!(!is_virtual_hostable_s3_bucket("a.b.c", false));
        assert!(is_virtual_hostable_s3_bucket("a.b.c", true));
    }
}
