//! The default client behind a corporate proxy: an `https://` endpoint reached through a
//! loopback `CONNECT` proxy that wants credentials, with TLS end to end to a loopback server
//! whose certificate authority exists only for this test (given to the client as a system root
//! through `SSL_CERT_FILE`, with the `native-roots` feature). Also: the same server is refused
//! with Mozilla's roots only, `NO_PROXY` hosts are reached directly, an `http://` endpoint is
//! forwarded with the proxy's credentials, and the proxy's password is never printed. One test
//! function, as it sets an environment variable.

use std::sync::{Arc, Mutex};

use awsgen_sagemaker::runtime::credentials::Credentials;
use awsgen_sagemaker::runtime::http::TrustRoots;
use awsgen_sagemaker::runtime::proxy::ProxyConfig;
use awsgen_sagemaker::{Client, Config};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

const ARN: &str = "arn:aws:sagemaker:us-east-1:123456789012:model-package/proxied/1";

/// A CA, and a certificate for `localhost` it signed: (CA PEM, server config).
fn certificates() -> (String, Arc<rustls::ServerConfig>) {
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(rcgen::DnType::CommonName, "awsgen test CA");
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf = rcgen::CertificateParams::new(vec!["localhost".to_string()])
        .unwrap()
        .signed_by(&leaf_key, &ca, &ca_key)
        .unwrap();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![leaf.der().clone()], key)
        .unwrap();
    (ca.pem(), Arc::new(config))
}

/// A TLS server answering every CreateModelPackage with a success; returns its port.
async fn tls_server(config: Arc<rustls::ServerConfig>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(stream).await else { return };
                let mut reader = BufReader::new(tls);
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = value.trim().parse().unwrap();
                    }
                    if line == "\r\n" {
                        break;
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).await.unwrap();
                let answer = format!(r#"{{"ModelPackageArn":"{ARN}"}}"#);
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                    answer.len()
                );
                let _ = reader.get_mut().write_all(response.as_bytes()).await;
                let _ = reader.get_mut().shutdown().await;
            });
        }
    });
    port
}

/// A CONNECT proxy that records each request head and tunnels to the named port on loopback.
async fn connect_proxy() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = heads.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut reader = BufReader::new(stream);
                let mut head = String::new();
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push_str(&line);
                    if line == "\r\n" {
                        break;
                    }
                }
                seen.lock().unwrap().push(head.clone());
                let target = head.split_whitespace().nth(1).unwrap_or_default().to_string();
                let port = target.rsplit(':').next().unwrap_or_default();
                let Ok(mut upstream) = TcpStream::connect(format!("127.0.0.1:{port}")).await else { return };
                let mut client = reader.into_inner();
                client.write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n").await.unwrap();
                let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
            });
        }
    });
    (port, heads)
}

fn config(endpoint: &str, roots: TrustRoots, proxy: ProxyConfig) -> Config {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .endpoint_url(endpoint)
        .trust_roots(roots)
        .proxy(proxy)
        .build()
}

#[tokio::test]
async fn an_https_endpoint_is_reached_through_a_connect_proxy_with_a_ca_only_the_system_trusts() {
    let (ca_pem, server_config) = certificates();
    let ca_file = std::env::temp_dir().join(format!("awsgen-test-ca-{}.pem", std::process::id()));
    std::fs::write(&ca_file, ca_pem).unwrap();
    // SAFETY: the only test of this binary (no other thread reads the environment), set
    // before the clients that read it exist.
    unsafe { std::env::set_var("SSL_CERT_FILE", &ca_file) };

    let server_port = tls_server(server_config).await;
    let (proxy_port, heads) = connect_proxy().await;
    let endpoint = format!("https://localhost:{server_port}");
    let proxy = ProxyConfig::default().with_https_proxy(format!("http://alice:s3cret@127.0.0.1:{proxy_port}"));

    let through_proxy = config(&endpoint, TrustRoots::MozillaAndSystem, proxy.clone());
    assert!(!format!("{through_proxy:?}").contains("s3cret"), "{through_proxy:?}");
    let output = Client::new(&through_proxy)
        .create_model_package()
        .model_package_name("p")
        .send()
        .await
        .expect("through the proxy");
    assert_eq!(output.model_package_arn.as_deref(), Some(ARN));
    let head = heads.lock().unwrap()[0].clone();
    assert!(head.starts_with(&format!("CONNECT localhost:{server_port} HTTP/1.1\r\n")), "{head}");
    // alice:s3cret in base64.
    assert!(head.to_ascii_lowercase().contains("proxy-authorization: basic ywxpy2u6cznjcmv0"), "{head}");

    // Mozilla's roots alone do not know the test CA: the handshake fails, through the proxy.
    let untrusted = config(&endpoint, TrustRoots::Mozilla, proxy.clone());
    let error = Client::new(&untrusted).create_model_package().model_package_name("p").send().await.unwrap_err();
    let chain: Vec<String> = std::iter::successors(Some(&error as &dyn std::error::Error), |e| e.source())
        .map(ToString::to_string)
        .collect();
    assert!(chain.iter().any(|e| e.to_ascii_lowercase().contains("certificate")), "{chain:?}");
    assert!(chain.iter().all(|e| !e.contains("s3cret")), "{chain:?}");

    // A host in NO_PROXY is reached directly.
    let before = heads.lock().unwrap().len();
    let direct = config(&endpoint, TrustRoots::MozillaAndSystem, proxy.with_no_proxy("localhost"));
    let output = Client::new(&direct).create_model_package().model_package_name("p").send().await.expect("direct");
    assert_eq!(output.model_package_arn.as_deref(), Some(ARN));
    assert_eq!(heads.lock().unwrap().len(), before, "the proxy saw no request");
    std::fs::remove_file(&ca_file).unwrap();

    an_http_endpoint_is_forwarded_by_an_http_proxy_with_its_credentials().await;
}

/// An `http://` endpoint (an emulator, say) is forwarded by an `http://` proxy, which gets the
/// absolute URI and the proxy's credentials.
async fn an_http_endpoint_is_forwarded_by_an_http_proxy_with_its_credentials() {
    use awsgen_tests::loopback::{Loopback, Reply};
    // The "proxy" is a loopback server: it answers as the endpoint would, and shows what a
    // forwarding proxy receives.
    let proxy = Loopback::start(vec![Reply::json(200, &format!(r#"{{"ModelPackageArn":"{ARN}"}}"#))]);
    let settings = ProxyConfig::disabled().with_http_proxy(format!("http://bob:pw@{}", proxy.address()));
    let config = config("http://emulator.invalid:5000", TrustRoots::Mozilla, settings);
    let output = Client::new(&config).create_model_package().model_package_name("p").send().await.expect("forwarded");
    assert_eq!(output.model_package_arn.as_deref(), Some(ARN));
    let request = &proxy.requests()[0];
    assert_eq!(request.path, "http://emulator.invalid:5000/", "absolute form, as a forwarding proxy needs");
    // bob:pw in base64.
    assert_eq!(request.header("proxy-authorization"), Some("Basic Ym9iOnB3"));
}
