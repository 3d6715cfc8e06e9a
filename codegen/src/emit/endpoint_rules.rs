//! The service's endpoint rule set and the AWS partitions, embedded as JSON for the runtime's
//! resolver.

use proc_macro2::TokenStream;
use quote::quote;

/// The endpoint rule set and partitions, as the model ships them.
pub fn endpoint_rules_module(rule_set: &str, partitions: &str) -> Result<TokenStream, String> {
    let rule_set = raw_string(rule_set)?;
    let partitions = raw_string(partitions)?;
    Ok(quote! {
        #![doc = " The service's endpoint rule set and the AWS partitions, read by the endpoint resolver."]

        /// The endpoint rule set (JSON).
        pub(crate) const RULE_SET: &str = #rule_set;

        /// The partitions `aws.partition` reads (JSON).
        pub(crate) const PARTITIONS: &str = #partitions;
    })
}

/// A raw string literal of `text`, lines kept, so a model update shows as a readable diff.
fn raw_string(text: &str) -> Result<TokenStream, String> {
    let hashes = (1..).map(|n| "#".repeat(n)).find(|h| !text.contains(&format!("\"{h}"))).unwrap_or_default();
    format!("r{hashes}\"{text}\"{hashes}").parse().map_err(|e| format!("cannot embed the endpoint rules: {e}"))
}
