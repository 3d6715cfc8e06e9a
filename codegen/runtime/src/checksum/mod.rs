//! Checksums of request and response bodies (the model's `httpChecksum` trait: S3's flexible
//! checksums), as botocore 1.44.5 and the AWS SDKs compute them.
//!
//! A request gets a checksum when its operation requires one, when the caller names an
//! algorithm (S3's `ChecksumAlgorithm` member), or when the operation accepts one and the
//! [`RequestChecksumCalculation`] setting is `when_supported` (the default): CRC32 unless the
//! caller chose another. A body in memory carries it in an `x-amz-checksum-<algorithm>` header;
//! a streamed body is sent `aws-chunked` with the checksum in a trailer (`aws_chunked`), so it
//! is computed as the bytes go out, never by reading the body twice.
//!
//! A response is checked when its operation can validate one (S3's GetObject) and either the
//! caller set the validation mode member or [`ResponseChecksumValidation`] is
//! `when_supported` (the default): the first algorithm of the operation's list whose header the
//! response carries is computed over the body and compared. A mismatch is a
//! [`ChecksumMismatch`]: a request error for a body read whole, an error from the stream of a
//! streamed one, at its end. Checksums of multipart objects (`<base64>-<parts>`) describe
//! the parts, not the body, and are not checked (as botocore).

pub(crate) mod aws_chunked;
mod validate;

use std::fmt;
use std::str::FromStr;

use crc::{CRC_32_ISCSI, CRC_64_NVME, Crc, Table};

use super::protocol::ProtocolRequest;

pub use validate::{ChecksumMismatch, validating_stream, verify_body};

/// The algorithm used when a checksum is needed and the caller named none.
pub const DEFAULT_ALGORITHM: ChecksumAlgorithm = ChecksumAlgorithm::Crc32;

/// CRC32C (Castagnoli), slice-by-16.
const CRC32C: Crc<u32, Table<16>> = Crc::<u32, Table<16>>::new(&CRC_32_ISCSI);
/// CRC64/NVME, slice-by-16.
const CRC64NVME: Crc<u64, Table<16>> = Crc::<u64, Table<16>>::new(&CRC_64_NVME);

/// A checksum algorithm of the `httpChecksum` trait.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChecksumAlgorithm {
    /// CRC32 (the default).
    Crc32,
    /// CRC32C.
    Crc32c,
    /// CRC64/NVME.
    Crc64Nvme,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
}

impl ChecksumAlgorithm {
    /// Every algorithm, in botocore's order of preference for validating responses.
    pub const BY_PREFERENCE: [ChecksumAlgorithm; 5] = [
        ChecksumAlgorithm::Crc64Nvme,
        ChecksumAlgorithm::Crc32c,
        ChecksumAlgorithm::Crc32,
        ChecksumAlgorithm::Sha1,
        ChecksumAlgorithm::Sha256,
    ];

    /// The algorithm of a model or member value such as `CRC32` or `crc64nvme` (any case).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::BY_PREFERENCE.into_iter().find(|algorithm| algorithm.name().eq_ignore_ascii_case(name))
    }

    /// The name the model and S3 use, e.g. `CRC32`.
    pub fn name(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "CRC32",
            ChecksumAlgorithm::Crc32c => "CRC32C",
            ChecksumAlgorithm::Crc64Nvme => "CRC64NVME",
            ChecksumAlgorithm::Sha1 => "SHA1",
            ChecksumAlgorithm::Sha256 => "SHA256",
        }
    }

    /// The header (or trailer) a checksum of this algorithm travels in.
    pub fn header_name(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "x-amz-checksum-crc32",
            ChecksumAlgorithm::Crc32c => "x-amz-checksum-crc32c",
            ChecksumAlgorithm::Crc64Nvme => "x-amz-checksum-crc64nvme",
            ChecksumAlgorithm::Sha1 => "x-amz-checksum-sha1",
            ChecksumAlgorithm::Sha256 => "x-amz-checksum-sha256",
        }
    }

    /// A new running checksum.
    pub fn hasher(self) -> Checksum {
        let state = match self {
            ChecksumAlgorithm::Crc32 => State::Crc32(crc32fast::Hasher::new()),
            ChecksumAlgorithm::Crc32c => State::Crc32c(CRC32C.digest()),
            ChecksumAlgorithm::Crc64Nvme => State::Crc64Nvme(CRC64NVME.digest()),
            ChecksumAlgorithm::Sha1 => {
                State::Digest(Box::new(ring::digest::Context::new(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY)))
            }
            ChecksumAlgorithm::Sha256 => State::Digest(Box::new(ring::digest::Context::new(&ring::digest::SHA256))),
        };
        Checksum { algorithm: self, state }
    }

    /// The checksum of `bytes`, base64-encoded as it is sent.
    pub fn checksum_of(self, bytes: &[u8]) -> String {
        let mut hasher = self.hasher();
        hasher.update(bytes);
        hasher.finish()
    }

    /// The length of a base64-encoded checksum (what a trailer's length depends on).
    pub(crate) fn encoded_len(self) -> usize {
        let digest_len: usize = match self {
            ChecksumAlgorithm::Crc32 | ChecksumAlgorithm::Crc32c => 4,
            ChecksumAlgorithm::Crc64Nvme => 8,
            ChecksumAlgorithm::Sha1 => 20,
            ChecksumAlgorithm::Sha256 => 32,
        };
        digest_len.div_ceil(3) * 4
    }
}

impl fmt::Display for ChecksumAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A checksum being computed over bytes as they pass.
#[derive(Clone)]
pub struct Checksum {
    algorithm: ChecksumAlgorithm,
    state: State,
}

#[derive(Clone)]
enum State {
    Crc32(crc32fast::Hasher),
    Crc32c(crc::Digest<'static, u32, Table<16>>),
    Crc64Nvme(crc::Digest<'static, u64, Table<16>>),
    /// SHA-1 or SHA-256 (boxed: ring's context is far larger than a CRC's state).
    Digest(Box<ring::digest::Context>),
}

impl Checksum {
    /// The algorithm.
    pub fn algorithm(&self) -> ChecksumAlgorithm {
        self.algorithm
    }

    /// Adds `bytes`.
    pub fn update(&mut self, bytes: &[u8]) {
        match &mut self.state {
            State::Crc32(hasher) => hasher.update(bytes),
            State::Crc32c(digest) => digest.update(bytes),
            State::Crc64Nvme(digest) => digest.update(bytes),
            State::Digest(context) => context.update(bytes),
        }
    }

    /// The checksum of everything added, base64-encoded (big-endian for the CRCs), as the
    /// headers carry it.
    pub fn finish(self) -> String {
        let digest: Vec<u8> = match self.state {
            State::Crc32(hasher) => hasher.finalize().to_be_bytes().to_vec(),
            State::Crc32c(digest) => digest.finalize().to_be_bytes().to_vec(),
            State::Crc64Nvme(digest) => digest.finalize().to_be_bytes().to_vec(),
            State::Digest(context) => context.finish().as_ref().to_vec(),
        };
        aws_smithy_types::base64::encode(digest)
    }
}

impl fmt::Debug for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Checksum").field("algorithm", &self.algorithm).finish_non_exhaustive()
    }
}

/// When requests get a checksum (`AWS_REQUEST_CHECKSUM_CALCULATION`, profile
/// `request_checksum_calculation`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RequestChecksumCalculation {
    /// Whenever the operation accepts one (the default).
    #[default]
    WhenSupported,
    /// Only when the operation requires one or the caller named an algorithm.
    WhenRequired,
}

/// When responses are checked (`AWS_RESPONSE_CHECKSUM_VALIDATION`, profile
/// `response_checksum_validation`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ResponseChecksumValidation {
    /// Whenever the operation can check one (the default).
    #[default]
    WhenSupported,
    /// Only when the caller set the operation's validation mode member.
    WhenRequired,
}

/// A checksum setting that is neither `when_supported` nor `when_required`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownChecksumSetting(String);

impl fmt::Display for UnknownChecksumSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not one of when_supported, when_required", self.0)
    }
}

impl std::error::Error for UnknownChecksumSetting {}

/// `true` for `when_supported`, `false` for `when_required` (any case, as the AWS SDKs read them).
fn when_supported(text: &str) -> Result<bool, UnknownChecksumSetting> {
    match text.trim().to_ascii_lowercase().as_str() {
        "when_supported" => Ok(true),
        "when_required" => Ok(false),
        _ => Err(UnknownChecksumSetting(text.to_string())),
    }
}

impl FromStr for RequestChecksumCalculation {
    type Err = UnknownChecksumSetting;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(if when_supported(text)? { Self::WhenSupported } else { Self::WhenRequired })
    }
}

impl FromStr for ResponseChecksumValidation {
    type Err = UnknownChecksumSetting;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(if when_supported(text)? { Self::WhenSupported } else { Self::WhenRequired })
    }
}

/// What the generated code says about an operation's checksums (its `httpChecksum` trait) and
/// about one call's input.
#[derive(Clone, Copy, Debug, Default)]
pub struct HttpChecksum<'a> {
    /// The operation requires a request checksum.
    pub request_required: bool,
    /// The operation lets the caller choose the request checksum's algorithm (it has a
    /// `requestAlgorithmMember`).
    pub request_algorithm_member: bool,
    /// The algorithm the caller chose, as the member's value (e.g. `SHA256`).
    pub request_algorithm: Option<&'a str>,
    /// The header that member is sent in (S3's `x-amz-sdk-checksum-algorithm`): set to the
    /// algorithm used when the caller chose none, as botocore does.
    pub request_algorithm_header: Option<&'static str>,
    /// The header of the validation mode member (S3's `x-amz-checksum-mode`), set to `ENABLED`
    /// when responses are validated by default.
    pub validation_mode_header: Option<&'static str>,
    /// The caller set the validation mode member to `ENABLED`.
    pub validation_enabled: bool,
    /// The algorithms a response may carry a checksum in, as the model lists them.
    pub response_algorithms: &'static [&'static str],
}

impl HttpChecksum<'static> {
    /// An operation without the `httpChecksum` trait: no checksums either way.
    pub const NONE: HttpChecksum<'static> = HttpChecksum {
        request_required: false,
        request_algorithm_member: false,
        request_algorithm: None,
        request_algorithm_header: None,
        validation_mode_header: None,
        validation_enabled: false,
        response_algorithms: &[],
    };
}

/// Why a request checksum could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnsupportedChecksumAlgorithm {
    /// The algorithm the caller asked for.
    pub name: String,
}

impl fmt::Display for UnsupportedChecksumAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the checksum algorithm {:?} is not supported (CRC32, CRC32C, CRC64NVME, SHA1, SHA256 are)",
            self.name
        )
    }
}

impl std::error::Error for UnsupportedChecksumAlgorithm {}

/// Adds the request checksum `checksum` and `calculation` call for to `request` (see the
/// module doc), and the validation mode header when responses are to be checked. Returns the
/// algorithms to check the response with, best first (empty: no check).
pub fn apply(
    request: &mut ProtocolRequest,
    checksum: &HttpChecksum<'_>,
    calculation: RequestChecksumCalculation,
    validation: ResponseChecksumValidation,
) -> Result<Vec<ChecksumAlgorithm>, UnsupportedChecksumAlgorithm> {
    add_request_checksum(request, checksum, calculation)?;
    let mut validate = checksum.validation_enabled;
    if let Some(header) = checksum.validation_mode_header
        && validation == ResponseChecksumValidation::WhenSupported
        && !checksum.response_algorithms.is_empty()
    {
        if !request.headers.contains_key(header) {
            request.headers.insert(http::HeaderName::from_static(header), http::HeaderValue::from_static("ENABLED"));
        }
        validate = true;
    }
    if !validate {
        return Ok(Vec::new());
    }
    Ok(ChecksumAlgorithm::BY_PREFERENCE
        .into_iter()
        .filter(|algorithm| checksum.response_algorithms.iter().any(|name| algorithm.name().eq_ignore_ascii_case(name)))
        .collect())
}

fn add_request_checksum(
    request: &mut ProtocolRequest,
    checksum: &HttpChecksum<'_>,
    calculation: RequestChecksumCalculation,
) -> Result<(), UnsupportedChecksumAlgorithm> {
    // A checksum the caller computed (S3's `ChecksumCRC32` and like members) is sent as given.
    if request.headers.keys().any(|name| is_checksum_value_header(name.as_str())) {
        return Ok(());
    }
    let algorithm = match checksum.request_algorithm {
        Some(name) => {
            ChecksumAlgorithm::from_name(name).ok_or_else(|| UnsupportedChecksumAlgorithm { name: name.to_string() })?
        }
        None if checksum.request_required
            || (checksum.request_algorithm_member && calculation == RequestChecksumCalculation::WhenSupported) =>
        {
            if let Some(header) = checksum.request_algorithm_header
                && !request.headers.contains_key(header)
            {
                request.headers.insert(
                    http::HeaderName::from_static(header),
                    http::HeaderValue::from_static(DEFAULT_ALGORITHM.name()),
                );
            }
            DEFAULT_ALGORITHM
        }
        None => return Ok(()),
    };
    match request.body.bytes() {
        Some(bytes) => {
            let value = algorithm.checksum_of(bytes);
            let value = http::HeaderValue::try_from(value).expect("base64 is a valid header value");
            request.headers.insert(http::HeaderName::from_static(algorithm.header_name()), value);
        }
        None => aws_chunked::encode(request, algorithm),
    }
    Ok(())
}

/// `x-amz-checksum-crc32` and the like carry a checksum; `x-amz-checksum-mode`,
/// `-algorithm` and `-type` (S3's own headers) do not.
fn is_checksum_value_header(name: &str) -> bool {
    name.strip_prefix("x-amz-checksum-").is_some_and(|rest| !matches!(rest, "mode" | "algorithm" | "type"))
}

#[cfg(test)]
mod tests;
