//! S3 (the restXml protocol and S3's own behaviour) against moto: the program
//! `tests/s3_moto.rs` builds, beside the S3 crate it generates, and runs. A line per call on
//! stdout; any call that fails, or answers other than expected, ends it with status 1.
//!
//! usage: s3-moto-program ENDPOINT_URL DIR calls
//!        s3-moto-program ENDPOINT_URL DIR memory
//!        s3-moto-program ENDPOINT_URL DIR presign BUCKET KEY
//!
//! `calls` makes the calls; `memory` uploads and downloads a 64 MiB file and prints the peak
//! resident memory of each above the program's resident memory before it; `presign` prints
//! presigned GET and PUT URLs made at a fixed time, for comparing with botocore's. DIR is a
//! scratch directory for the files.

#![deny(warnings)]

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use awsgen_s3::Config;
use awsgen_s3::operation::get_object::GetObjectError;
use awsgen_s3::operation::list_objects_v2::ListObjectsV2Error;
use awsgen_s3::runtime::body::RequestBody;
use awsgen_s3::runtime::credentials::Credentials;
use awsgen_s3::types::{Delete, ObjectIdentifier};
use sha2::Digest as _;

type Error = Box<dyn std::error::Error>;

/// 64 MiB: the streamed upload and download.
const STREAMED_SIZE: u64 = 64 * 1024 * 1024;
/// 100 MiB: the multipart upload.
const MULTIPART_SIZE: u64 = 100 * 1024 * 1024;
/// Keys listed across pages (ListObjectsV2 pages hold 1,000).
const LISTED_KEYS: usize = 2_500;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Error> {
    let usage = "usage: s3-moto-program ENDPOINT_URL DIR calls|memory|presign BUCKET KEY";
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [endpoint, dir, mode, rest @ ..] = args.as_slice() else { return Err(usage.into()) };
    let dir = Path::new(dir);
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDS3MOTO", "s3-moto-secret", None, None, "static"))
        .endpoint_url(endpoint.as_str())
        .build();
    let s3 = awsgen_s3::Client::new(&config);
    match (mode.as_str(), rest) {
        ("calls", []) => calls(&s3, dir).await,
        ("memory", []) => memory(&s3, dir).await,
        ("presign", [bucket, key]) => presign(&config, bucket, key).await,
        _ => Err(usage.into()),
    }
}

/// A file of `size` bytes of a fixed pattern, written in pieces.
fn write_file(path: &Path, size: u64) -> Result<(), Error> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let block: Vec<u8> = (0..1024 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let mut written = 0;
    while written < size {
        let n = (size - written).min(block.len() as u64) as usize;
        file.write_all(&block[..n])?;
        written += n as u64;
    }
    file.flush()?;
    Ok(())
}

fn sha256_of_file(path: &Path) -> Result<String, Error> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = sha2::Sha256::new();
    let mut buffer = vec![0u8; 1024 * 1024];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(format!("{:x}", hasher.finalize()))
}

async fn calls(s3: &awsgen_s3::Client, dir: &Path) -> Result<(), Error> {
    let bucket = "awsgen-s3-moto";
    s3.create_bucket().bucket(bucket).send().await?;
    println!("s3 CreateBucket: {bucket}");

    // PutObject streamed from disk, with the default CRC32 checksum in a trailer.
    let upload = dir.join("upload.bin");
    write_file(&upload, STREAMED_SIZE)?;
    let put =
        s3.put_object().bucket(bucket).key("big/object.bin").body(RequestBody::from_path(&upload).await?).send().await?;
    println!("s3 PutObject: crc32 {}", put.checksum_crc32.as_deref().unwrap_or("-"));

    let head = s3.head_object().bucket(bucket).key("big/object.bin").send().await?;
    println!("s3 HeadObject: {} bytes", head.content_length.unwrap_or(-1));

    let got = s3.get_object().bucket(bucket).key("big/object.bin").send().await?;
    // Checked as it was read: the response gave the checksum of the upload's trailer.
    let checksum = got.checksum_crc32.clone().unwrap_or_else(|| "-".to_string());
    let download = dir.join("download.bin");
    let written = got.body.ok_or("no Body")?.write_to_file(&download).await?;
    let (sent, received) = (sha256_of_file(&upload)?, sha256_of_file(&download)?);
    let same = if sent == received { "same sha256" } else { "DIFFERENT sha256" };
    println!("s3 GetObject: {written} bytes, {same}, crc32 {checksum}");

    // 2,500 keys, listed across pages.
    let keys: Vec<String> = (0..LISTED_KEYS).map(|i| format!("many/{i:05}")).collect();
    let puts = keys.iter().map(|key| s3.put_object().bucket(bucket).key(key).body(RequestBody::from("x")).send());
    awsgen_s3::runtime::join::try_join_bounded(puts, 16).await?;
    let (mut listed, mut pages, mut token) = (Vec::new(), 0, None);
    loop {
        let page =
            s3.list_objects_v2().bucket(bucket).prefix("many/").set_continuation_token(token).send().await?;
        pages += 1;
        listed.extend(page.contents.unwrap_or_default().into_iter().filter_map(|object| object.key));
        token = page.next_continuation_token;
        if token.is_none() {
            break;
        }
    }
    println!("s3 ListObjectsV2: {} keys in {pages} pages, {}", listed.len(), if listed == keys { "in order" } else { "NOT in order" });

    // DeleteObjects takes 1,000 keys a call; its required checksum is CRC32.
    let mut deleted = 0;
    for chunk in keys.chunks(1000) {
        let objects: Vec<ObjectIdentifier> = chunk.iter().map(|key| ObjectIdentifier::default().key(key)).collect();
        let output = s3.delete_objects().bucket(bucket).delete(Delete::default().objects(objects)).send().await?;
        deleted += output.deleted.unwrap_or_default().len();
    }
    let left = s3.list_objects_v2().bucket(bucket).prefix("many/").send().await?.key_count.unwrap_or(-1);
    println!("s3 DeleteObjects: {deleted} deleted, {left} left");

    // A multipart upload with the helper, then the object read back.
    let multipart = dir.join("multipart.bin");
    write_file(&multipart, MULTIPART_SIZE)?;
    let completed = s3.upload_file(bucket, "big/multipart.bin", &multipart).part_size(16 * 1024 * 1024).concurrency(3).send().await?;
    let head = s3.head_object().bucket(bucket).key("big/multipart.bin").send().await?;
    println!(
        "s3 upload_file: {} bytes, etag {}",
        head.content_length.unwrap_or(-1),
        completed.e_tag.as_deref().unwrap_or("-")
    );
    let copy = s3.get_object().bucket(bucket).key("big/multipart.bin").send().await?;
    let multipart_copy = dir.join("multipart-download.bin");
    copy.body.ok_or("no Body")?.write_to_file(&multipart_copy).await?;
    let same = sha256_of_file(&multipart)? == sha256_of_file(&multipart_copy)?;
    println!("s3 upload_file read back: {}", if same { "same sha256" } else { "DIFFERENT sha256" });

    let copied = s3
        .copy_object()
        .bucket(bucket)
        .key("copies/object.bin")
        .copy_source(format!("{bucket}/big/object.bin"))
        .send()
        .await?;
    let etag = copied.copy_object_result.and_then(|result| result.e_tag).ok_or("no CopyObjectResult.ETag")?;
    println!("s3 CopyObject: etag {etag}");

    // Presigned requests, used with a plain HTTP client.
    let put = s3.put_object().bucket(bucket).key("presigned.txt").presigned(Duration::from_secs(300)).await?;
    let (status, _) = plain_http(put.method.as_str(), &put.url, &put.headers, b"sent with a presigned URL")?;
    println!("s3 presigned PUT: {status}");
    let get = s3.get_object().bucket(bucket).key("presigned.txt").presigned(Duration::from_secs(300)).await?;
    let (status, body) = plain_http("GET", &get.url, &get.headers, b"")?;
    println!("s3 presigned GET: {status} {}", String::from_utf8_lossy(&body));

    match s3.get_object().bucket(bucket).key("no/such/key").send().await {
        Err(GetObjectError::NoSuchKey(_)) => println!("s3 GetObject of a missing key: NoSuchKey"),
        Err(other) => return Err(format!("GetObject of a missing key: {other:?}").into()),
        Ok(_) => return Err("GetObject of a missing key succeeded".into()),
    }
    match s3.list_objects_v2().bucket("awsgen-no-such-bucket").send().await {
        Err(ListObjectsV2Error::NoSuchBucket(_)) => println!("s3 ListObjectsV2 of a missing bucket: NoSuchBucket"),
        Err(other) => return Err(format!("ListObjectsV2 of a missing bucket: {other:?}").into()),
        Ok(_) => return Err("ListObjectsV2 of a missing bucket succeeded".into()),
    }
    Ok(())
}

/// One HTTP/1.1 request over a plain TCP connection (the presigned URLs are for any client):
/// the status and body.
fn plain_http(method: &str, url: &str, headers: &http::HeaderMap, body: &[u8]) -> Result<(u16, Vec<u8>), Error> {
    let rest = url.strip_prefix("http://").ok_or("the endpoint is not plain http")?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = std::net::TcpStream::connect(authority)?;
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (name, value) in headers {
        request.push_str(&format!("{name}: {}\r\n", value.to_str()?));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    stream.write_all(body)?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").ok_or("no end of the response head")?;
    let head = String::from_utf8_lossy(&response[..split]).to_string();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or("no status")?;
    let mut body = response[split + 4..].to_vec();
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        body = dechunk(&body).ok_or("a malformed chunked body")?;
    }
    Ok((status, body))
}

fn dechunk(mut bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let end = bytes.windows(2).position(|w| w == b"\r\n")?;
        let size = usize::from_str_radix(std::str::from_utf8(&bytes[..end]).ok()?.trim(), 16).ok()?;
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(bytes.get(end + 2..end + 2 + size)?);
        bytes = bytes.get(end + 4 + size..)?;
    }
}

/// The process's resident memory now and at its peak since the last reset, in KiB
/// (`/proc/self/status`).
fn resident_kib() -> Result<(u64, u64), Error> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .ok_or(format!("no {name} in /proc/self/status"))
    };
    Ok((field("VmRSS:")?, field("VmHWM:")?))
}

/// Resets the peak resident memory to the current (Linux: `5` into `/proc/self/clear_refs`).
fn reset_peak() -> Result<(), Error> {
    std::fs::write("/proc/self/clear_refs", "5")?;
    Ok(())
}

async fn memory(s3: &awsgen_s3::Client, dir: &Path) -> Result<(), Error> {
    let bucket = "awsgen-s3-memory";
    s3.create_bucket().bucket(bucket).send().await?;
    let upload = dir.join("memory-upload.bin");
    write_file(&upload, STREAMED_SIZE)?;
    // A small call first, so the connection pool and the TLS-free client are set up.
    s3.put_object().bucket(bucket).key("warm-up").body(RequestBody::from("x")).send().await?;

    reset_peak()?;
    let (before, _) = resident_kib()?;
    s3.put_object().bucket(bucket).key("object.bin").body(RequestBody::from_path(&upload).await?).send().await?;
    let (_, peak) = resident_kib()?;
    println!("memory upload: {} KiB above {before} KiB", peak.saturating_sub(before));

    reset_peak()?;
    let (before, _) = resident_kib()?;
    let got = s3.get_object().bucket(bucket).key("object.bin").send().await?;
    let written = got.body.ok_or("no Body")?.write_to_file(dir.join("memory-download.bin")).await?;
    let (_, peak) = resident_kib()?;
    if written != STREAMED_SIZE {
        return Err(format!("downloaded {written} bytes of {STREAMED_SIZE}").into());
    }
    println!("memory download: {} KiB above {before} KiB", peak.saturating_sub(before));
    Ok(())
}

/// Presigned GET and PUT URLs at 2026-11-30T12:00:00Z, valid 900 s.
async fn presign(config: &Config, bucket: &str, key: &str) -> Result<(), Error> {
    let fixed = UNIX_EPOCH + Duration::from_secs(1_796_040_000);
    let config = config.to_builder().time_source(move || -> SystemTime { fixed }).build();
    let s3 = awsgen_s3::Client::new(&config);
    let get = s3.get_object().bucket(bucket).key(key).presigned(Duration::from_secs(900)).await?;
    println!("presigned GET: {}", get.url);
    let put = s3.put_object().bucket(bucket).key(key).presigned(Duration::from_secs(900)).await?;
    println!("presigned PUT: {}", put.url);
    Ok(())
}
