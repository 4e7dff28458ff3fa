package io.securetx.testing;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The PEM files of a mutual-TLS test: a self-signed server certificate for {@code localhost} (which
 * clients trust directly), a client CA the server trusts, a client certificate that CA issued
 * (chain file: leaf, then CA), and a self-signed "rogue" client certificate no one trusts.
 *
 * @param serverCertificate the server's certificate, also the clients' CA file
 * @param serverKey the server's PKCS#8 key
 * @param clientCa the CA the server checks client certificates against
 * @param clientChain the trusted client's certificate chain
 * @param clientKey the trusted client's PKCS#8 key
 * @param rogueCertificate the untrusted client's certificate
 * @param rogueKey the untrusted client's PKCS#8 key
 */
public record MutualTlsFiles(
    Path serverCertificate,
    Path serverKey,
    Path clientCa,
    Path clientChain,
    Path clientKey,
    Path rogueCertificate,
    Path rogueKey) {

  /**
   * Makes the certificates with keytool (six runs, some seconds) and writes the PEM files.
   *
   * @param dir where the keystores and PEM files go
   * @return the files
   */
  public static MutualTlsFiles make(Path dir) {
    TestCertificates.Issued server = TestCertificates.selfSigned(dir, "localhost", "dns:localhost");
    TestCertificates.Issued ca = TestCertificates.authority(dir, "client-ca");
    TestCertificates.Issued client = TestCertificates.issuedBy(ca, dir, "worker", "dns:worker");
    TestCertificates.Issued rogue = TestCertificates.selfSigned(dir, "rogue", "dns:worker");
    return new MutualTlsFiles(
        server.writeCertificate(dir.resolve("server.pem")),
        server.writeKey(dir.resolve("server-key.pem")),
        ca.writeCertificate(dir.resolve("client-ca.pem")),
        client.writeChain(dir.resolve("worker-chain.pem")),
        client.writeKey(dir.resolve("worker-key.pem")),
        rogue.writeCertificate(dir.resolve("rogue.pem")),
        rogue.writeKey(dir.resolve("rogue-key.pem")));
  }

  /**
   * Returns the query of a {@code rediss://} URL that verifies the server and presents the trusted
   * client certificate, in Celery's parameter names.
   *
   * @return {@code ?ssl_cert_reqs=required&ssl_ca_certs=...&ssl_certfile=...&ssl_keyfile=...}
   */
  public String clientQuery() {
    return serverQuery() + "&ssl_certfile=" + clientChain + "&ssl_keyfile=" + clientKey;
  }

  /**
   * Returns the query that verifies the server and presents the rogue certificate.
   *
   * @return the query, starting with {@code ?}
   */
  public String rogueQuery() {
    return serverQuery() + "&ssl_certfile=" + rogueCertificate + "&ssl_keyfile=" + rogueKey;
  }

  /**
   * Returns the query that verifies the server and presents no client certificate.
   *
   * @return the query, starting with {@code ?}
   */
  public String serverQuery() {
    return "?ssl_cert_reqs=required&ssl_ca_certs=" + serverCertificate;
  }

  /**
   * Starts a TLS-only redis-server with these files that requires client certificates ({@code
   * tls-auth-clients yes}) from {@link #clientCa()}.
   *
   * @param dir the server's working directory
   * @return the running server
   */
  public TlsRedisServer startRedisRequiringClientCertificates(Path dir) throws IOException {
    return TlsRedisServer.start(
        dir,
        serverCertificate,
        serverKey,
        "--tls-auth-clients",
        "yes",
        "--tls-ca-cert-file",
        clientCa.toString());
  }
}
