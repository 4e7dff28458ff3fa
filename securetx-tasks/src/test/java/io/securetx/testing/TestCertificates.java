package io.securetx.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for TLS tests, made by the JDK's own {@code keytool} (no other tool needed on a CI
 * machine), and written as the PEM files servers such as redis-server and PostgreSQL read. Every
 * key is RSA 2048 (or the algorithm asked for), valid two days, in a PKCS#12 store whose store and
 * key password is {@link #PASSWORD}; the alias and the subject's CN are the name given.
 *
 * <p>Shared by the modules' tests through securetx-tasks' test jar.
 */
public final class TestCertificates {

  /** The password of every keystore made here (tests only). */
  public static final String PASSWORD = "test-keystore";

  private TestCertificates() {}

  /**
   * Makes a self-signed RSA certificate.
   *
   * @param dir where the keystore {@code <name>.p12} goes
   * @param name the alias and CN
   * @param subjectAlternativeNames keytool's SAN list, e.g. {@code dns:localhost,ip:127.0.0.1}
   * @return the key and certificate
   */
  public static Issued selfSigned(Path dir, String name, String subjectAlternativeNames) {
    return selfSigned(dir, name, "RSA", subjectAlternativeNames);
  }

  /**
   * Makes a self-signed certificate with a key of the given algorithm.
   *
   * @param dir where the keystore {@code <name>.p12} goes
   * @param name the alias and CN
   * @param keyAlgorithm keytool's {@code -keyalg}: {@code RSA}, {@code EC}, {@code Ed25519}
   * @param subjectAlternativeNames keytool's SAN list
   * @return the key and certificate
   */
  public static Issued selfSigned(
      Path dir, String name, String keyAlgorithm, String subjectAlternativeNames) {
    Path store = dir.resolve(name + ".p12");
    genkeypair(store, name, keyAlgorithm, "SAN=" + subjectAlternativeNames);
    return Issued.load(store, name);
  }

  /**
   * Makes a self-signed certificate authority (basic constraints CA:true).
   *
   * @param dir where the keystore {@code <name>.p12} goes
   * @param name the alias and CN
   * @return the CA's key and certificate
   */
  public static Issued authority(Path dir, String name) {
    Path store = dir.resolve(name + ".p12");
    genkeypair(store, name, "RSA", "BC:c=ca:true");
    return Issued.load(store, name);
  }

  /**
   * Makes a key and a certificate for it signed by {@code ca}; its keystore holds the chain.
   *
   * @param ca the issuing authority
   * @param dir where {@code <name>.p12} and the request and certificate files go
   * @param name the alias and CN
   * @param subjectAlternativeNames keytool's SAN list
   * @return the key and the CA-signed certificate
   */
  public static Issued issuedBy(Issued ca, Path dir, String name, String subjectAlternativeNames) {
    Path store = dir.resolve(name + ".p12");
    Path request = dir.resolve(name + ".csr");
    Path signed = dir.resolve(name + ".crt");
    genkeypair(store, name, "RSA", "SAN=" + subjectAlternativeNames);
    keytool("-certreq", "-alias", name, "-keystore", store, "-file", request);
    keytool(
        "-gencert",
        "-alias",
        ca.alias(),
        "-keystore",
        ca.keystore(),
        "-infile",
        request,
        "-outfile",
        signed,
        "-rfc",
        "-validity",
        "2",
        "-ext",
        "SAN=" + subjectAlternativeNames);
    Path caPem = ca.writeCertificate(dir.resolve(name + "-issuer.pem"));
    keytool("-importcert", "-noprompt", "-alias", ca.alias(), "-keystore", store, "-file", caPem);
    keytool("-importcert", "-alias", name, "-keystore", store, "-file", signed);
    return Issued.load(store, name);
  }

  /**
   * Returns DER bytes as one PEM block.
   *
   * @param type the block's label, e.g. {@code CERTIFICATE} or {@code PRIVATE KEY}
   * @param der the contents
   * @return the PEM text, ending with a line break
   */
  public static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static void genkeypair(Path store, String name, String keyAlgorithm, String extension) {
    List<Object> command =
        new ArrayList<>(
            List.of(
                "-genkeypair", "-alias", name, "-keyalg", keyAlgorithm, "-dname", "CN=" + name));
    if (keyAlgorithm.equals("RSA")) {
      command.addAll(List.of("-keysize", "2048"));
    }
    command.addAll(List.of("-ext", extension, "-validity", "2", "-keystore", store));
    keytool(command.toArray());
  }

  private static void keytool(Object... arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    for (Object argument : arguments) {
      command.add(argument.toString());
    }
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run keytool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }

  /**
   * A key and its certificate chain, leaf first, as stored in a PKCS#12 keystore.
   *
   * @param keystore the PKCS#12 file, password {@link #PASSWORD}
   * @param alias the entry's alias, also the subject's CN
   * @param chain the certificate and its issuers, leaf first
   * @param key the private key
   */
  public record Issued(Path keystore, String alias, List<X509Certificate> chain, PrivateKey key) {

    /** Copies the chain. */
    public Issued {
      chain = List.copyOf(chain);
    }

    static Issued load(Path keystore, String alias) {
      try (InputStream in = Files.newInputStream(keystore)) {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(in, PASSWORD.toCharArray());
        List<X509Certificate> chain = new ArrayList<>();
        for (var certificate : store.getCertificateChain(alias)) {
          chain.add((X509Certificate) certificate);
        }
        return new Issued(
            keystore, alias, chain, (PrivateKey) store.getKey(alias, PASSWORD.toCharArray()));
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException("cannot read the keystore keytool made", e);
      }
    }

    /** Returns the leaf certificate. */
    public X509Certificate certificate() {
      return chain.get(0);
    }

    /**
     * Writes the leaf certificate as PEM.
     *
     * @param file the file to (over)write
     * @return {@code file}
     */
    public Path writeCertificate(Path file) {
      return write(file, pem("CERTIFICATE", encoded(certificate())));
    }

    /**
     * Writes the whole chain as PEM, leaf first, as {@code ssl_certfile} and servers expect it.
     *
     * @param file the file to (over)write
     * @return {@code file}
     */
    public Path writeChain(Path file) {
      StringBuilder text = new StringBuilder();
      for (X509Certificate certificate : chain) {
        text.append(pem("CERTIFICATE", encoded(certificate)));
      }
      return write(file, text.toString());
    }

    /**
     * Writes the private key as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}).
     *
     * @param file the file to (over)write
     * @return {@code file}
     */
    public Path writeKey(Path file) {
      return write(file, pem("PRIVATE KEY", key.getEncoded()));
    }

    /**
     * Writes the private key in OpenSSL's traditional form: {@code BEGIN RSA PRIVATE KEY} (PKCS#1)
     * or {@code BEGIN EC PRIVATE KEY} (SEC 1), the inner key of the PKCS#8 encoding.
     *
     * @param file the file to (over)write
     * @return {@code file}
     * @throws IllegalStateException if the key is neither RSA nor EC
     */
    public Path writeTraditionalKey(Path file) {
      String type =
          switch (key.getAlgorithm()) {
            case "RSA" -> "RSA PRIVATE KEY";
            case "EC" -> "EC PRIVATE KEY";
            default ->
                throw new IllegalStateException("no traditional form for " + key.getAlgorithm());
          };
      return write(file, pem(type, innerKey(key.getEncoded())));
    }

    /**
     * The privateKey OCTET STRING of PrivateKeyInfo ::= SEQUENCE { INTEGER, AlgorithmIdentifier,
     * OCTET STRING }.
     */
    private static byte[] innerKey(byte[] pkcs8) {
      int at = contentsOf(pkcs8, 0); // into the outer SEQUENCE
      at = contentsOf(pkcs8, at) + 1; // past the INTEGER 0 (one byte)
      int algorithm = contentsOf(pkcs8, at);
      at = algorithm + length(pkcs8, at); // past the AlgorithmIdentifier
      int octets = contentsOf(pkcs8, at);
      return Arrays.copyOfRange(pkcs8, octets, octets + length(pkcs8, at));
    }

    /** The offset of the contents of the DER element at {@code at}. */
    private static int contentsOf(byte[] der, int at) {
      int first = der[at + 1] & 0xff;
      return at + 2 + (first < 0x80 ? 0 : first & 0x7f);
    }

    /** The length of the contents of the DER element at {@code at}. */
    private static int length(byte[] der, int at) {
      int first = der[at + 1] & 0xff;
      if (first < 0x80) {
        return first;
      }
      int length = 0;
      for (int i = 0; i < (first & 0x7f); i++) {
        length = (length << 8) | (der[at + 2 + i] & 0xff);
      }
      return length;
    }

    private static byte[] encoded(X509Certificate certificate) {
      try {
        return certificate.getEncoded();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    private static Path write(Path file, String text) {
      try {
        return Files.writeString(file, text, StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new IllegalStateException("cannot write " + file, e);
      }
    }
  }
}
