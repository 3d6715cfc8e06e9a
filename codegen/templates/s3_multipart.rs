//! Multipart uploads of a file: [`Client::upload_file`](crate::Client::upload_file) uploads
//! it in parts, several at a time, and completes the upload, or aborts it when a part fails so
//! that no parts are left behind (and billed). What the AWS SDKs' transfer managers do, and
//! what every user of S3 writes by hand otherwise.
//!
//! Each part is read from the file as it is sent (never the whole file in memory) and sent with
//! a checksum computed on the way (see the runtime's `checksum`).
//
// Template: the generator copies this file into an S3 crate that has CreateMultipartUpload,
// UploadPart, CompleteMultipartUpload and AbortMultipartUpload (codegen/src/emit/s3_multipart.rs
// writes the paths of the crate and its runtime in place of `crate::` and `crate::runtime::`).

use std::fmt;
use std::path::{Path, PathBuf};

use crate::operation::abort_multipart_upload::AbortMultipartUploadError;
use crate::operation::complete_multipart_upload::{CompleteMultipartUploadError, CompleteMultipartUploadOutput};
use crate::operation::create_multipart_upload::{CreateMultipartUploadError, CreateMultipartUploadFluentBuilder};
use crate::operation::upload_part::UploadPartError;
use crate::runtime::body::RequestBody;
use crate::types::{CompletedMultipartUpload, CompletedPart};

/// The smallest part S3 accepts, but for the last: 5 MiB.
pub const MIN_PART_SIZE: u64 = 5 * 1024 * 1024;
/// The most parts an upload can have.
pub const MAX_PARTS: u64 = 10_000;
/// The part size used unless another is set: 8 MiB, as the AWS CLI's.
pub const DEFAULT_PART_SIZE: u64 = 8 * 1024 * 1024;
/// How many parts are sent at once unless another number is set.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// Changes the CreateMultipartUpload call (content type, metadata, encryption, ...).
type CreateCustomizer = Box<dyn FnOnce(CreateMultipartUploadFluentBuilder) -> CreateMultipartUploadFluentBuilder + Send>;

impl crate::Client {
    /// Uploads the file at `path` to `key` in `bucket` in parts: see [`UploadFile`].
    pub fn upload_file(&self, bucket: impl Into<String>, key: impl Into<String>, path: impl AsRef<Path>) -> UploadFile {
        UploadFile {
            client: self.clone(),
            bucket: bucket.into(),
            key: key.into(),
            path: path.as_ref().to_path_buf(),
            part_size: DEFAULT_PART_SIZE,
            concurrency: DEFAULT_CONCURRENCY,
            customize: None,
        }
    }
}

/// A multipart upload of a file, made by [`Client::upload_file`](crate::Client::upload_file)
/// and started with [`send`](UploadFile::send).
pub struct UploadFile {
    client: crate::Client,
    bucket: String,
    key: String,
    path: PathBuf,
    part_size: u64,
    concurrency: usize,
    customize: Option<CreateCustomizer>,
}

impl UploadFile {
    /// The size of each part but the last; raised to [`MIN_PART_SIZE`], and to what keeps the
    /// upload within [`MAX_PARTS`] parts.
    pub fn part_size(mut self, bytes: u64) -> Self {
        self.part_size = bytes;
        self
    }

    /// How many parts are sent at once (at least one).
    pub fn concurrency(mut self, parts: usize) -> Self {
        self.concurrency = parts.max(1);
        self
    }

    /// Changes the CreateMultipartUpload call before it is sent, e.g.
    /// `.customize_create(|create| create.content_type("text/csv"))`.
    pub fn customize_create(
        mut self,
        change: impl FnOnce(CreateMultipartUploadFluentBuilder) -> CreateMultipartUploadFluentBuilder + Send + 'static,
    ) -> Self {
        self.customize = Some(Box::new(change));
        self
    }

    /// Uploads the file: creates the upload, sends the parts, completes the upload. When a
    /// part or the completion fails, the upload is aborted and the error says whether the
    /// abort worked.
    pub async fn send(self) -> Result<CompleteMultipartUploadOutput, UploadFileError> {
        let size = std::fs::metadata(&self.path).map_err(UploadFileError::File)?.len();
        let part_size = self.part_size.max(MIN_PART_SIZE).max(size.div_ceil(MAX_PARTS));
        let part_count = size.div_ceil(part_size).max(1);

        let mut create = self.client.create_multipart_upload().bucket(&self.bucket).key(&self.key);
        if let Some(customize) = self.customize {
            create = customize(create);
        }
        let created = create.send().await.map_err(UploadFileError::Create)?;
        let Some(upload_id) = created.upload_id else {
            return Err(UploadFileError::NoUploadId);
        };

        let parts = (0..part_count).map(|index| {
            let offset = index * part_size;
            let length = part_size.min(size - offset);
            // At most 10,000 parts, so the number fits.
            let part_number = i32::try_from(index + 1).unwrap_or(i32::MAX);
            let body = RequestBody::from_path_range(&self.path, offset, length);
            let call = self
                .client
                .upload_part()
                .bucket(&self.bucket)
                .key(&self.key)
                .upload_id(&upload_id)
                .part_number(part_number)
                .body(body);
            async move {
                let output = call.send().await.map_err(|error| (part_number, error))?;
                Ok::<CompletedPart, (i32, UploadPartError)>(
                    CompletedPart::default().set_e_tag(output.e_tag).part_number(part_number),
                )
            }
        });
        let parts = match crate::runtime::join::try_join_bounded(parts, self.concurrency).await {
            Ok(parts) => parts,
            Err((part_number, error)) => {
                let abort = Self::abort_upload(&self.client, &self.bucket, &self.key, &upload_id).await;
                return Err(UploadFileError::Part { part_number, error, abort });
            }
        };

        let completed = self
            .client
            .complete_multipart_upload()
            .bucket(&self.bucket)
            .key(&self.key)
            .upload_id(&upload_id)
            .multipart_upload(CompletedMultipartUpload::default().parts(parts))
            .send()
            .await;
        match completed {
            Ok(output) => Ok(output),
            Err(error) => {
                let abort = Self::abort_upload(&self.client, &self.bucket, &self.key, &upload_id).await;
                Err(UploadFileError::Complete { error, abort })
            }
        }
    }

    async fn abort_upload(
        client: &crate::Client,
        bucket: &str,
        key: &str,
        upload_id: &str,
    ) -> Result<(), AbortMultipartUploadError> {
        client.abort_multipart_upload().bucket(bucket).key(key).upload_id(upload_id).send().await.map(drop)
    }
}

impl fmt::Debug for UploadFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadFile")
            .field("bucket", &self.bucket)
            .field("key", &self.key)
            .field("path", &self.path)
            .field("part_size", &self.part_size)
            .field("concurrency", &self.concurrency)
            .finish_non_exhaustive()
    }
}

/// Why a multipart upload of a file failed.
#[derive(Debug)]
pub enum UploadFileError {
    /// The file's size could not be read.
    File(std::io::Error),
    /// CreateMultipartUpload failed: nothing was uploaded.
    Create(CreateMultipartUploadError),
    /// CreateMultipartUpload gave no upload id.
    NoUploadId,
    /// A part failed; the upload was then aborted (`abort` says whether that worked).
    Part {
        /// The part's number (from 1).
        part_number: i32,
        /// Why it failed.
        error: UploadPartError,
        /// The abort's outcome.
        abort: Result<(), AbortMultipartUploadError>,
    },
    /// CompleteMultipartUpload failed; the upload was then aborted (`abort` says whether that
    /// worked).
    Complete {
        /// Why it failed.
        error: CompleteMultipartUploadError,
        /// The abort's outcome.
        abort: Result<(), AbortMultipartUploadError>,
    },
}

impl fmt::Display for UploadFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let aborted = |f: &mut fmt::Formatter<'_>, abort: &Result<(), AbortMultipartUploadError>| match abort {
            Ok(()) => f.write_str("; the upload was aborted"),
            Err(error) => write!(f, "; aborting the upload failed too, so its parts remain: {error}"),
        };
        match self {
            UploadFileError::File(error) => write!(f, "multipart upload: cannot read the file's size: {error}"),
            UploadFileError::Create(error) => write!(f, "multipart upload: {error}"),
            UploadFileError::NoUploadId => f.write_str("multipart upload: CreateMultipartUpload gave no upload id"),
            UploadFileError::Part { part_number, error, abort } => {
                write!(f, "multipart upload: part {part_number}: {error}")?;
                aborted(f, abort)
            }
            UploadFileError::Complete { error, abort } => {
                write!(f, "multipart upload: {error}")?;
                aborted(f, abort)
            }
        }
    }
}

impl std::error::Error for UploadFileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            UploadFileError::File(error) => Some(error),
            UploadFileError::Create(error) => Some(error),
            UploadFileError::NoUploadId => None,
            UploadFileError::Part { error, .. } => Some(error),
            UploadFileError::Complete { error, .. } => Some(error),
        }
    }
}
