//! The evaluator: the rules for one set of parameter values, from the first rule whose
//! conditions hold to the endpoint or error it gives.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};

use super::functions::get_attr;
use super::rules::{Expr, Literal, Part, Rule, RuleKind, Template, Value};
use super::{EndpointError, EndpointResolver, ResolvedEndpoint};

/// One resolution in progress.
pub(super) struct Evaluation<'r> {
    /// The rules and partitions.
    pub(super) resolver: &'r EndpointResolver,
    /// Values by slot: the parameters, then the names bound by the conditions so far.
    pub(super) scope: Vec<Option<Value>>,
}

impl Evaluation<'_> {
    /// The result of the first rule that applies: `None` when none does.
    pub(super) fn rules(&mut self, rules: &[Rule]) -> Result<Option<ResolvedEndpoint>, EndpointError> {
        for rule in rules {
            let mark = self.scope.len();
            let result = self.rule(rule);
            self.scope.truncate(mark);
            if let Some(endpoint) = result? {
                return Ok(Some(endpoint));
            }
        }
        Ok(None)
    }

    /// The result of `rule`: `None` when its conditions do not all hold.
    fn rule(&mut self, rule: &Rule) -> Result<Option<ResolvedEndpoint>, EndpointError> {
        let at = |message: String| EndpointError::Evaluation { place: rule.place.clone(), message };
        for condition in &rule.conditions {
            let value = self.call(&condition.call).map_err(at)?;
            let holds = !matches!(value, None | Some(Value::Bool(false)));
            if condition.assigns {
                self.scope.push(value);
            }
            if !holds {
                return Ok(None);
            }
        }
        match &rule.kind {
            RuleKind::Tree(rules) => self.rules(rules),
            RuleKind::Error(message) => {
                let message = self.string(message, "the error message").map_err(at)?;
                Err(EndpointError::Rule { message })
            }
            RuleKind::Endpoint(endpoint) => {
                let url = self.string(&endpoint.url, "the URL").map_err(at)?;
                let mut properties = Map::new();
                for (key, value) in &endpoint.properties {
                    properties.insert(key.clone(), self.literal(value).map_err(at)?);
                }
                let mut headers = BTreeMap::new();
                for (name, values) in &endpoint.headers {
                    let values = values
                        .iter()
                        .map(|v| self.string(v, "a header value"))
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(at)?;
                    headers.insert(name.clone(), values);
                }
                Ok(Some(ResolvedEndpoint { url, headers, properties }))
            }
        }
    }

    /// Evaluates `expr`, which must give a string (`what` names it in the error).
    pub(super) fn string(&self, expr: &Expr, what: &str) -> Result<String, String> {
        match self.expr(expr)? {
            Some(Value::String(s)) => Ok(s),
            Some(other) => Err(format!("{what} is {}, not a string", other.kind())),
            None => Err(format!("{what} is not set")),
        }
    }

    /// Evaluates a property value.
    fn literal(&self, literal: &Literal) -> Result<Json, String> {
        Ok(match literal {
            Literal::Json(json) => json.clone(),
            Literal::Template(template) => Json::String(self.template(template)?),
            Literal::Array(items) => Json::Array(items.iter().map(|i| self.literal(i)).collect::<Result<_, _>>()?),
            Literal::Object(fields) => Json::Object(
                fields.iter().map(|(k, v)| Ok((k.clone(), self.literal(v)?))).collect::<Result<_, String>>()?,
            ),
        })
    }

    /// Fills in a template; every reference must be a set string.
    fn template(&self, template: &Template) -> Result<String, String> {
        let mut out = String::new();
        for part in &template.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Ref { written, slot, path } => {
                    let value = self.scope.get(*slot).and_then(Option::as_ref).and_then(|v| get_attr(v, path));
                    match value {
                        Some(Value::String(s)) => out.push_str(s),
                        Some(other) => return Err(format!("`{{{written}}}` is {}, not a string", other.kind())),
                        None => return Err(format!("`{{{written}}}` is not set")),
                    }
                }
            }
        }
        Ok(out)
    }

    /// Evaluates an expression; `None` is "unset".
    pub(super) fn expr(&self, expr: &Expr) -> Result<Option<Value>, String> {
        match expr {
            Expr::Literal(value) => Ok(Some(value.clone())),
            Expr::Template(template) => self.template(template).map(|s| Some(Value::String(s))),
            Expr::Ref { slot } => Ok(self.scope.get(*slot).cloned().flatten()),
            Expr::Call(call) => self.call(call),
            Expr::Array(items) => {
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    values.push(self.expr(item)?.ok_or("an array element is not set")?);
                }
                Ok(Some(Value::Array(values)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::PARTITIONS_JSON;
    use super::super::{EndpointError, EndpointParams, EndpointResolver};

    #[test]
    fn a_type_error_at_run_time_names_the_rule() {
        let rule_set = r#"{"version": "1.0", "parameters": {"Flag": {"type": "string", "default": "x"}},
            "rules": [{"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "Flag"}, true]}],
                       "endpoint": {"url": "https://x"}, "type": "endpoint"}]}"#;
        let error =
            EndpointResolver::new(rule_set, PARTITIONS_JSON).unwrap().resolve(&EndpointParams::new()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot evaluate the endpoint rule at `rules[0]`: `booleanEquals` compares two booleans, got a string and a boolean"
        );
    }

    #[test]
    fn when_no_rule_matches_the_error_says_so() {
        let rule_set = r#"{"version": "1.0", "parameters": {}, "rules": []}"#;
        let error =
            EndpointResolver::new(rule_set, PARTITIONS_JSON).unwrap().resolve(&EndpointParams::new()).unwrap_err();
        assert_eq!(error, EndpointError::NoMatch);
    }
}
