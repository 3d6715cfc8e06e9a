//! Credentials from an external command (`credential_process` in a profile): the command runs
//! through the shell and prints a JSON document on its standard output:
//! `{"Version": 1, "AccessKeyId": .., "SecretAccessKey": .., "SessionToken": .., "Expiration": ..}`.

use std::fmt;

use super::{Credentials, ProvideCredentials, ProviderError, future, parse_credentials_document};

/// The provider's name, in errors and in the credentials it gives.
pub(crate) const NAME: &str = "CredentialProcess";

/// The most of a process's output that is read as its document, or quoted from its error
/// output: a credentials document is well under a kilobyte.
const MAX_OUTPUT: usize = 64 * 1024;
/// The most of a failed process's standard error quoted in the error.
const MAX_STDERR_QUOTE: usize = 2048;

/// Runs a command and reads credentials from what it prints. The command runs on its own
/// thread (the async caller is not blocked), once per call: wrap the provider in a
/// [`CredentialsCache`](super::CredentialsCache) to run it only when its credentials expire.
#[derive(Clone)]
pub struct ProcessProvider {
    command: String,
}

impl ProcessProvider {
    /// Runs `command` (a shell command line, as the profile gives it).
    pub fn new(command: impl Into<String>) -> Self {
        Self { command: command.into() }
    }

    /// Runs the command and reads its output.
    pub async fn credentials(&self) -> Result<Credentials, ProviderError> {
        let command = self.command.clone();
        let (sender, receiver) = tokio::sync::oneshot::channel();
        std::thread::Builder::new()
            .name("awsgen-credential-process".into())
            .spawn(move || {
                let _ = sender.send(shell(&command).output());
            })
            .map_err(|e| ProviderError::failed(NAME, format!("could not start a thread for the command: {e}")))?;
        let output = receiver
            .await
            .map_err(|_| ProviderError::failed(NAME, "the command's thread ended without a result"))?
            .map_err(|e| ProviderError::failed(NAME, format!("could not run the command: {e}")))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr[..output.stderr.len().min(MAX_STDERR_QUOTE)]);
            return Err(ProviderError::failed(
                NAME,
                format!("the command failed ({}); its error output: {:?}", output.status, stderr.trim()),
            ));
        }
        if output.stdout.len() > MAX_OUTPUT {
            return Err(ProviderError::failed(NAME, format!("the command printed more than {MAX_OUTPUT} bytes")));
        }
        let text = std::str::from_utf8(&output.stdout)
            .map_err(|_| ProviderError::failed(NAME, "the command's output is not UTF-8"))?;
        parse_process_output(text)
    }
}

/// The command line run by the platform's shell.
fn shell(command: &str) -> std::process::Command {
    #[cfg(windows)]
    {
        let mut shell = std::process::Command::new("cmd.exe");
        shell.args(["/C", command]);
        shell
    }
    #[cfg(not(windows))]
    {
        let mut shell = std::process::Command::new("sh");
        shell.args(["-c", command]);
        shell
    }
}

/// Reads the document a credential process printed: `Version` must be 1.
pub(crate) fn parse_process_output(text: &str) -> Result<Credentials, ProviderError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        ProviderError::failed(
            NAME,
            format!("the command's output is not JSON (line {}, column {})", e.line(), e.column()),
        )
    })?;
    match value.get("Version") {
        Some(version) if version.as_u64() == Some(1) => {}
        Some(_) => return Err(ProviderError::failed(NAME, "the command's output has a `Version` other than 1")),
        None => return Err(ProviderError::failed(NAME, "the command's output has no `Version` (it must be 1)")),
    }
    parse_credentials_document(NAME, text, "SessionToken")
}

impl fmt::Debug for ProcessProvider {
    /// The command line may hold a secret: it is not printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProcessProvider").field("command", &"** redacted **").finish()
    }
}

impl ProvideCredentials for ProcessProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            self.credentials().await.map_err(ProviderError::into_credentials_error)
        })
    }
}
