package io.securetx.task.redis;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/**
 * The client certificate for mutual TLS, from Celery's {@code ssl_certfile} (the PEM certificate,
 * optionally followed by its intermediate CAs) and {@code ssl_keyfile} (its PEM private key). Both
 * are read, and checked to belong together, when the URL is parsed, so a wrong file fails at start
 * rather than at the first connection.
 *
 * <p>It is presented whenever a server asks for one, whatever CAs the server names, as OpenSSL (and
 * so redis-py) does: the server decides, and its refusal is clearer than a silent handshake without
 * a certificate.
 */
final class ClientCertificate extends X509ExtendedKeyManager {

  private static final String ALIAS = "ssl_certfile";
  private static final byte[] PROOF =
      "securetx proof of key possession".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern CERTIFICATE =
      Pattern.compile("-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", Pattern.DOTALL);
  private static final Map<String, String> SIGNATURES =
      Map.of(
          "RSA", "SHA256withRSA",
          "EC", "SHA256withECDSA",
          "EdDSA", "EdDSA",
          "Ed25519", "Ed25519",
          "Ed448", "Ed448");

  private final X509Certificate[] chain;
  private final PrivateKey key;

  private ClientCertificate(X509Certificate[] chain, PrivateKey key) {
    this.chain = chain;
    this.key = key;
  }

  /**
   * Reads the two files and checks that the key is the certificate's.
   *
   * @param certFile {@code ssl_certfile}
   * @param keyFile {@code ssl_keyfile}
   * @return the key manager presenting them
   * @throws IllegalArgumentException if a file cannot be read or parsed, or the key is not the
   *     certificate's; the message names the files, never their contents
   */
  static ClientCertificate read(Path certFile, Path keyFile) {
    X509Certificate[] chain = chain(certFile);
    String algorithm = chain[0].getPublicKey().getAlgorithm();
    String signature = SIGNATURES.get(algorithm);
    if (signature == null) {
      throw RedisUrl.bad(
          "ssl_certfile ("
              + certFile
              + ") has a "
              + algorithm
              + " key; RSA, EC, Ed25519 and Ed448 are supported");
    }
    PrivateKey key = PemPrivateKey.read(keyFile, chain[0]);
    if (!proves(key, chain[0], signature)) {
      throw RedisUrl.bad(
          "ssl_keyfile ("
              + keyFile
              + ") is not the key of the certificate in ssl_certfile ("
              + certFile
              + ")");
    }
    return new ClientCertificate(chain, key);
  }

  /**
   * The CERTIFICATE blocks of the file, in order; other blocks (such as the key, when both are in
   * one file) and text between them are skipped, as OpenSSL does.
   */
  private static X509Certificate[] chain(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw RedisUrl.bad("ssl_certfile names a file that cannot be read: " + file);
    }
    StringBuilder certificates = new StringBuilder();
    Matcher block = CERTIFICATE.matcher(text);
    while (block.find()) {
      certificates.append(block.group()).append('\n');
    }
    if (certificates.length() == 0) {
      throw RedisUrl.bad("ssl_certfile (" + file + ") holds no PEM certificate");
    }
    try {
      return CertificateFactory.getInstance("X.509")
          .generateCertificates(
              new ByteArrayInputStream(certificates.toString().getBytes(StandardCharsets.US_ASCII)))
          .stream()
          .map(X509Certificate.class::cast)
          .toArray(X509Certificate[]::new);
    } catch (GeneralSecurityException | ClassCastException e) {
      throw RedisUrl.bad("ssl_certfile (" + file + ") holds a certificate that cannot be parsed");
    }
  }

  /** Signs with the key and verifies with the certificate: they match only if this holds. */
  private static boolean proves(PrivateKey key, X509Certificate certificate, String algorithm) {
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(PROOF);
      byte[] signed = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(PROOF);
      return verifier.verify(signed);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  @Override
  public String chooseClientAlias(
      String[] keyTypes, Principal @Nullable [] issuers, @Nullable Socket socket) {
    return ALIAS;
  }

  @Override
  public String chooseEngineClientAlias(
      String[] keyTypes, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
    return ALIAS;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal @Nullable [] issuers) {
    return new String[] {ALIAS};
  }

  @Override
  public X509Certificate @Nullable [] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public @Nullable PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }

  @Override
  public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
    return null;
  }

  @Override
  public @Nullable String chooseServerAlias(
      String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
    return null;
  }

  /** Returns the certificate's subject, never anything of the key. */
  @Override
  public String toString() {
    return "ClientCertificate[" + chain[0].getSubjectX500Principal().getName() + "]";
  }
}
