//! TLS to the database server as the URL's `sslmode` and `sslrootcert` ask, with libpq's meanings:
//! without a CA file, `prefer` and `require` encrypt but take any certificate (as libpq does); with one,
//! the certificate must chain to it, and under `verify-full` also name the host connected to.

use std::{path::Path, sync::Arc};

use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, Error as TlsError, RootCertStore,
    SignatureScheme,
    client::{
        WebPkiServerVerifier,
        danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier},
    },
    crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature},
    pki_types::{CertificateDer, ServerName, UnixTime, pem::PemObject},
};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::config::{PgConnection, SslMode};

/// The TLS side of connections made with `read`'s settings (unused under `sslmode=disable`).
pub fn connector(read: &PgConnection) -> Result<MakeRustlsConnect, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let chain = match &read.root_cert {
        None => None,
        Some(path) => {
            let roots = Arc::new(load_roots(path)?);
            let verifier = WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
                .build()
                .map_err(|err| format!("sslrootcert {}: {err}", path.display()))?;
            Some(verifier)
        }
    };
    let verifier = Arc::new(CertificateCheck {
        chain,
        name: read.ssl_mode == SslMode::VerifyFull,
        provider: provider.clone(),
    });
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| err.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

fn load_roots(path: &Path) -> Result<RootCertStore, String> {
    let problem = |what: String| format!("sslrootcert {}: {what}", path.display());
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(path).map_err(|err| problem(err.to_string()))? {
        let cert = cert.map_err(|err| problem(err.to_string()))?;
        roots
            .add(cert)
            .map_err(|err| problem(format!("a certificate rustls cannot use: {err}")))?;
    }
    if roots.is_empty() {
        return Err(problem("no PEM certificate in it".to_owned()));
    }
    Ok(roots)
}

/// What is checked of the server's certificate: its chain to the CA file when there is one, and the host
/// name too under `verify-full`. Without a CA file (`prefer`, `require`) any certificate is taken, as libpq
/// takes it (DEPLOY.md says to give `sslrootcert` on any network that is not private). The handshake's
/// signatures are always checked.
#[derive(Debug)]
struct CertificateCheck {
    chain: Option<Arc<WebPkiServerVerifier>>,
    name: bool,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for CertificateCheck {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, TlsError> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        // The name is checked after the chain: a name error means the chain was good.
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(TlsError::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.name => Ok(ServerCertVerified::assertion()),
            checked => checked,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        let algorithms = &self.provider.signature_verification_algorithms;
        verify_tls12_signature(message, cert, dss, algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        let algorithms = &self.provider.signature_verification_algorithms;
        verify_tls13_signature(message, cert, dss, algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
