//! The partitions (`partitions.json`): which partition a region is in, and what
//! `aws.partition` returns for it.

use std::collections::BTreeMap;

use regex_lite::Regex;
use serde_json::Value as Json;

use super::rules::Value;
use super::{EndpointError, child, invalid};

/// The name of the partitions document in errors.
pub(super) const PARTITIONS: &str = "partitions";

/// The partitions of `partitions.json`, in its order.
#[derive(Clone, Debug)]
pub(super) struct Partitions {
    /// The partitions.
    list: Vec<Partition>,
    /// The partition used for a region no partition claims: `aws`, or else the first.
    fallback: usize,
}

/// A partition from `partitions.json`.
#[derive(Clone, Debug)]
pub(super) struct Partition {
    /// E.g. `aws-cn`.
    id: String,
    /// `regionRegex`, anchored at the start as Python's `re.match` is.
    region_regex: Regex,
    /// The regions listed by name.
    regions: Vec<String>,
    /// `outputs`, with `name` set to the id: what `aws.partition` returns.
    pub(super) outputs: Value,
}

impl Partitions {
    /// Parses `partitions.json`.
    pub(super) fn parse(json: &Json) -> Result<Partitions, EndpointError> {
        let list = parse_partitions(json)?;
        let fallback = list.iter().position(|p| p.id == "aws").unwrap_or(0);
        Ok(Partitions { list, fallback })
    }

    /// The partition of `region` (botocore's order: the first partition that lists the region
    /// or whose `regionRegex` matches it), else `aws` (else the first partition).
    pub(super) fn of(&self, region: Option<&str>) -> Option<&Partition> {
        let found = region.and_then(|region| {
            self.list.iter().find(|p| p.regions.iter().any(|r| r == region) || p.region_regex.is_match(region))
        });
        found.or_else(|| self.list.get(self.fallback))
    }
}

/// Parses the partitions of `partitions.json`.
fn parse_partitions(json: &Json) -> Result<Vec<Partition>, EndpointError> {
    let list = json
        .get("partitions")
        .and_then(Json::as_array)
        .ok_or_else(|| invalid(PARTITIONS, "partitions", "expected an array of partitions"))?;
    if list.is_empty() {
        return Err(invalid(PARTITIONS, "partitions", "no partitions"));
    }
    let mut partitions = Vec::with_capacity(list.len());
    for (i, entry) in list.iter().enumerate() {
        let place = format!("partitions[{i}]");
        let id = entry
            .get("id")
            .and_then(Json::as_str)
            .ok_or_else(|| invalid(PARTITIONS, &child(&place, "id"), "expected a string"))?;
        let pattern = entry
            .get("regionRegex")
            .and_then(Json::as_str)
            .ok_or_else(|| invalid(PARTITIONS, &child(&place, "regionRegex"), "expected a string"))?;
        let region_regex = Regex::new(&format!("^(?:{pattern})"))
            .map_err(|e| invalid(PARTITIONS, &child(&place, "regionRegex"), e.to_string()))?;
        let regions = match entry.get("regions") {
            None => Vec::new(),
            Some(Json::Object(regions)) => regions.keys().cloned().collect(),
            Some(_) => return Err(invalid(PARTITIONS, &child(&place, "regions"), "expected an object")),
        };
        let mut outputs = match entry.get("outputs") {
            Some(Json::Object(outputs)) => outputs
                .iter()
                .filter_map(|(k, v)| Value::from_json(v).map(|v| (k.clone(), v)))
                .collect::<BTreeMap<_, _>>(),
            _ => return Err(invalid(PARTITIONS, &child(&place, "outputs"), "expected an object")),
        };
        outputs.insert("name".to_owned(), Value::String(id.to_owned()));
        partitions.push(Partition { id: id.to_owned(), region_regex, regions, outputs: Value::Object(outputs) });
    }
    Ok(partitions)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{RULE_SET_JSON, url};
    use super::super::{EndpointParams, EndpointResolver};

    #[test]
    fn a_region_resolves_to_its_partitions_dns_suffix() {
        assert_eq!(url(EndpointParams::new().region("eu-west-1")), "https://svc.eu-west-1.amazonaws.com");
        assert_eq!(url(EndpointParams::new().region("cn-north-1")), "https://svc.cn-north-1.amazonaws.com.cn");
    }

    #[test]
    fn a_region_no_partition_claims_falls_back_to_aws() {
        assert_eq!(url(EndpointParams::new().region("mars-east-1")), "https://svc.mars-east-1.amazonaws.com");
    }

    #[test]
    fn a_region_listed_by_name_matches_without_the_regex() {
        assert_eq!(url(EndpointParams::new().region("aws-global")), "https://svc.aws-global.amazonaws.com");
    }

    #[test]
    fn a_malformed_partitions_document_is_an_error_naming_the_place() {
        let bad_partitions = EndpointResolver::new(RULE_SET_JSON, r#"{"partitions": []}"#).unwrap_err();
        assert_eq!(bad_partitions.to_string(), "invalid endpoint partitions at `partitions`: no partitions");
    }
}
