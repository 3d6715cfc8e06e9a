//! The settings of a config that become endpoint-rule parameters besides region, FIPS,
//! dual-stack and the endpoint URL: S3's addressing settings (the rule sets' `AWS::S3::*`
//! and `AWS::S3Control::*` built-ins), the account-ID endpoint mode, and the client context
//! parameters a service's model declares (`clientContextParams`, set by name; each generated
//! crate has typed setters for its own, see its `ConfigExt`).
//!
//! Read from the environment and the shared profile as the AWS SDKs read them:
//!
//! | setting | environment | profile |
//! | --- | --- | --- |
//! | force path style | | `s3 =` sub-section `addressing_style = path` (`virtual`: off, `auto`: unset) |
//! | S3 Transfer Acceleration | | `s3 =` sub-section `use_accelerate_endpoint = true` |
//! | use the ARN's region | `AWS_S3_USE_ARN_REGION` | `s3_use_arn_region`, or `s3 =` `use_arn_region` |
//! | no Multi-Region Access Points | `AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS` | `s3_disable_multiregion_access_points` |
//! | account-ID endpoint mode | `AWS_ACCOUNT_ID_ENDPOINT_MODE` | `account_id_endpoint_mode` |
//!
//! A boolean must say `true` or `false` (any case); another value, or a mode that is not
//! `preferred`, `disabled` or `required`, is reported by the first request, as an unreadable
//! region is.

use std::collections::BTreeMap;

use super::endpoint::{EndpointParams, ParamValue};

/// The built-in for path-style S3 addressing.
const FORCE_PATH_STYLE: &str = "AWS::S3::ForcePathStyle";
/// The built-in for S3 Transfer Acceleration.
const ACCELERATE: &str = "AWS::S3::Accelerate";
/// The built-ins for using the region of an ARN (S3 and S3 Control).
const USE_ARN_REGION: [&str; 2] = ["AWS::S3::UseArnRegion", "AWS::S3Control::UseArnRegion"];
/// The built-in that turns Multi-Region Access Points off.
const DISABLE_MRAP: &str = "AWS::S3::DisableMultiRegionAccessPoints";
/// The built-in for the account-ID endpoint mode.
const ACCOUNT_ID_ENDPOINT_MODE: &str = "AWS::Auth::AccountIdEndpointMode";

/// The endpoint settings of a config; `None` leaves the rule set's default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointSettings {
    /// Path-style S3 addressing (`https://s3.region.amazonaws.com/bucket/key`).
    pub force_path_style: Option<bool>,
    /// S3 Transfer Acceleration endpoints.
    pub s3_accelerate: Option<bool>,
    /// The region of an ARN given as a bucket or access point, rather than the client's.
    pub s3_use_arn_region: Option<bool>,
    /// Refuse Multi-Region Access Points.
    pub s3_disable_multi_region_access_points: Option<bool>,
    /// `preferred`, `disabled` or `required`: whether account-based endpoints are used.
    pub account_id_endpoint_mode: Option<String>,
    /// Client context parameters by their name in the rule set, e.g. `ForcePathStyle`; these
    /// win over the built-ins above.
    pub client_params: BTreeMap<String, ParamValue>,
}

impl EndpointSettings {
    /// Fills what is not set from the environment and profile; `value(variable, key)` reads
    /// the variable, else the profile's key (either may be empty, meaning "not there").
    /// Returns what could not be read.
    pub fn load_env(&mut self, value: &dyn Fn(&str, &str) -> Option<String>) -> Vec<String> {
        let mut problems = Vec::new();
        let s3_section = value("", "s3").map(|text| sub_section(&text)).unwrap_or_default();
        let mut flag = |slot: &mut Option<bool>, text: Option<String>, what: &str| {
            if slot.is_some() {
                return;
            }
            if let Some(text) = text {
                match parse_bool(&text) {
                    Some(b) => *slot = Some(b),
                    None => problems.push(format!("{what} {text:?} is neither true nor false")),
                }
            }
        };
        flag(
            &mut self.s3_use_arn_region,
            value("AWS_S3_USE_ARN_REGION", "s3_use_arn_region").or_else(|| s3_section.get("use_arn_region").cloned()),
            "AWS_S3_USE_ARN_REGION (or s3_use_arn_region)",
        );
        flag(
            &mut self.s3_disable_multi_region_access_points,
            value("AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS", "s3_disable_multiregion_access_points"),
            "AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS (or s3_disable_multiregion_access_points)",
        );
        flag(
            &mut self.s3_accelerate,
            s3_section.get("use_accelerate_endpoint").cloned(),
            "the profile's s3 use_accelerate_endpoint",
        );
        if self.force_path_style.is_none() {
            match s3_section.get("addressing_style").map(|s| s.to_ascii_lowercase()).as_deref() {
                None | Some("auto") => {}
                Some("path") => self.force_path_style = Some(true),
                Some("virtual") => self.force_path_style = Some(false),
                Some(other) => {
                    problems.push(format!("the profile's s3 addressing_style {other:?} is not auto, path or virtual"))
                }
            }
        }
        if self.account_id_endpoint_mode.is_none()
            && let Some(mode) = value("AWS_ACCOUNT_ID_ENDPOINT_MODE", "account_id_endpoint_mode")
        {
            let mode = mode.trim().to_ascii_lowercase();
            if matches!(mode.as_str(), "preferred" | "disabled" | "required") {
                self.account_id_endpoint_mode = Some(mode);
            } else {
                problems.push(format!(
                    "AWS_ACCOUNT_ID_ENDPOINT_MODE (or account_id_endpoint_mode) {mode:?} is not preferred, \
                     disabled or required"
                ));
            }
        }
        problems
    }

    /// `params` with these settings: the built-ins, then the client context parameters by name.
    pub(crate) fn apply(&self, mut params: EndpointParams) -> EndpointParams {
        if let Some(value) = self.force_path_style {
            params = params.built_in(FORCE_PATH_STYLE, value);
        }
        if let Some(value) = self.s3_accelerate {
            params = params.built_in(ACCELERATE, value);
        }
        if let Some(value) = self.s3_use_arn_region {
            for name in USE_ARN_REGION {
                params = params.built_in(name, value);
            }
        }
        if let Some(value) = self.s3_disable_multi_region_access_points {
            params = params.built_in(DISABLE_MRAP, value);
        }
        if let Some(mode) = &self.account_id_endpoint_mode {
            params = params.built_in(ACCOUNT_ID_ENDPOINT_MODE, mode.as_str());
        }
        for (name, value) in &self.client_params {
            params = params.set(name.clone(), value.clone());
        }
        params
    }
}

/// `true` or `false` in any case, spaces around allowed.
fn parse_bool(text: &str) -> Option<bool> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// The `name = value` lines of a profile sub-section (`s3 =` followed by indented lines, which
/// the profile keeps as one value, a line each), names in lower case.
fn sub_section(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|line| line.split_once('='))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(pairs: &[(&str, &str)]) -> (EndpointSettings, Vec<String>) {
        let mut settings = EndpointSettings::default();
        let lookup = |variable: &str, key: &str| {
            pairs.iter().find(|(name, _)| *name == variable || *name == key).map(|(_, v)| (*v).to_string())
        };
        let problems = settings.load_env(&lookup);
        (settings, problems)
    }

    #[test]
    fn the_s3_sub_section_sets_addressing_and_acceleration() {
        let (settings, problems) =
            loaded(&[("s3", "\naddressing_style = path\nuse_accelerate_endpoint = TRUE\nuse_arn_region = false")]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(settings.force_path_style, Some(true));
        assert_eq!(settings.s3_accelerate, Some(true));
        assert_eq!(settings.s3_use_arn_region, Some(false));
        assert_eq!(loaded(&[("s3", "\naddressing_style = virtual")]).0.force_path_style, Some(false));
        assert_eq!(loaded(&[("s3", "\naddressing_style = auto")]).0.force_path_style, None);
    }

    #[test]
    fn variables_and_profile_keys_set_the_rest() {
        let (settings, problems) = loaded(&[
            ("AWS_S3_USE_ARN_REGION", "true"),
            ("s3_disable_multiregion_access_points", " True "),
            ("AWS_ACCOUNT_ID_ENDPOINT_MODE", "Required"),
        ]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(settings.s3_use_arn_region, Some(true));
        assert_eq!(settings.s3_disable_multi_region_access_points, Some(true));
        assert_eq!(settings.account_id_endpoint_mode.as_deref(), Some("required"));
    }

    #[test]
    fn unreadable_values_are_reported_and_explicit_settings_win() {
        let (settings, problems) = loaded(&[
            ("AWS_S3_USE_ARN_REGION", "yes"),
            ("s3", "\naddressing_style = sideways"),
            ("AWS_ACCOUNT_ID_ENDPOINT_MODE", "sometimes"),
        ]);
        assert_eq!(settings, EndpointSettings::default());
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("AWS_S3_USE_ARN_REGION") && problems[0].contains("\"yes\""));

        let mut explicit = EndpointSettings { force_path_style: Some(false), ..Default::default() };
        let problems =
            explicit.load_env(&|_: &str, key: &str| (key == "s3").then(|| "\naddressing_style = path".into()));
        assert!(problems.is_empty());
        assert_eq!(explicit.force_path_style, Some(false));
    }

    #[test]
    fn settings_become_built_ins_and_client_parameters_win() {
        let settings = EndpointSettings {
            force_path_style: Some(true),
            s3_use_arn_region: Some(false),
            client_params: BTreeMap::from([("ForcePathStyle".to_string(), ParamValue::Bool(false))]),
            ..Default::default()
        };
        let expected = EndpointParams::new()
            .built_in(FORCE_PATH_STYLE, true)
            .built_in("AWS::S3::UseArnRegion", false)
            .built_in("AWS::S3Control::UseArnRegion", false)
            .set("ForcePathStyle", false);
        assert_eq!(settings.apply(EndpointParams::new()), expected);
    }
}
