package io.securetx.task.redis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the private key of Celery's {@code ssl_keyfile}: PEM, unencrypted, either PKCS#8 ({@code
 * BEGIN PRIVATE KEY}) or OpenSSL's traditional {@code BEGIN RSA PRIVATE KEY} (PKCS#1) and {@code
 * BEGIN EC PRIVATE KEY} (SEC 1), which redis-py also loads. The JDK reads only PKCS#8, so a
 * traditional key is wrapped into PKCS#8 with the algorithm identifier of the certificate it
 * belongs to: that identifier is exactly the one the wrapper needs (RSA, or EC with its named
 * curve).
 *
 * <p>No message of this class contains key material.
 */
final class PemPrivateKey {

  private static final Pattern BLOCK =
      Pattern.compile(
          "-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----(.*?)-----END \\1-----",
          Pattern.DOTALL);
  private static final String CONVERT =
      "; convert it with `openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8.pem`";

  private PemPrivateKey() {}

  /**
   * Reads the key file and returns the key, of the certificate's algorithm.
   *
   * @param file the PEM file ({@code ssl_keyfile})
   * @param certificate the certificate the key belongs to (first of {@code ssl_certfile})
   * @return the private key; that it matches the certificate is checked by the caller
   * @throws IllegalArgumentException if the file cannot be read, holds no usable key, or an
   *     encrypted one
   */
  static PrivateKey read(Path file, X509Certificate certificate) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw RedisUrl.bad("ssl_keyfile names a file that cannot be read: " + file);
    }
    Matcher block = BLOCK.matcher(text);
    if (!block.find()) {
      throw RedisUrl.bad("ssl_keyfile (" + file + ") holds no PEM private key");
    }
    String type = block.group(1);
    String body = block.group(2);
    if (type.startsWith("ENCRYPTED") || body.contains("ENCRYPTED")) {
      throw RedisUrl.bad(
          "ssl_keyfile ("
              + file
              + ") is encrypted, which is not supported (there is no ssl_password)"
              + CONVERT);
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw RedisUrl.bad("ssl_keyfile (" + file + ") is not valid PEM (bad Base64)");
    }
    String algorithm = certificate.getPublicKey().getAlgorithm();
    boolean traditional = !type.equals("PRIVATE KEY");
    if (traditional) {
      String held = type.startsWith("RSA") ? "RSA" : "EC";
      if (!held.equals(algorithm)) {
        throw RedisUrl.bad(
            "ssl_keyfile ("
                + file
                + ") holds an "
                + held
                + " key but the certificate in ssl_certfile has an "
                + algorithm
                + " key");
      }
    }
    try {
      byte[] pkcs8 =
          traditional
              ? pkcs8(algorithmIdentifier(certificate.getPublicKey().getEncoded()), der)
              : der;
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException | IndexOutOfBoundsException e) {
      // The JDK's message is not echoed: it is not meant for operators and may quote the key.
      throw RedisUrl.bad(
          "ssl_keyfile ("
              + file
              + ") is not a valid "
              + algorithm
              + " private key, as the certificate in ssl_certfile needs"
              + (traditional ? CONVERT : ""));
    }
  }

  /** The AlgorithmIdentifier, first element of a SubjectPublicKeyInfo SEQUENCE. */
  private static byte[] algorithmIdentifier(byte[] subjectPublicKeyInfo) {
    int[] outer = header(subjectPublicKeyInfo, 0);
    int start = outer[0];
    int[] inner = header(subjectPublicKeyInfo, start);
    return Arrays.copyOfRange(subjectPublicKeyInfo, start, inner[0] + inner[1]);
  }

  /**
   * Reads the DER tag and length at {@code at}; returns the offset of the contents and their
   * length. Only SEQUENCEs are expected here.
   */
  private static int[] header(byte[] der, int at) {
    if (der[at] != 0x30) {
      throw new IndexOutOfBoundsException("not a SEQUENCE");
    }
    int first = der[at + 1] & 0xff;
    if (first < 0x80) {
      return new int[] {at + 2, first};
    }
    int count = first & 0x7f;
    if (count < 1 || count > 3) {
      throw new IndexOutOfBoundsException("unsupported length");
    }
    int length = 0;
    for (int i = 0; i < count; i++) {
      length = (length << 8) | (der[at + 2 + i] & 0xff);
    }
    return new int[] {at + 2 + count, length};
  }

  /** PrivateKeyInfo ::= SEQUENCE { version 0, algorithm, privateKey OCTET STRING }. */
  private static byte[] pkcs8(byte[] algorithmIdentifier, byte[] traditionalKey) {
    ByteArrayOutputStream contents = new ByteArrayOutputStream();
    contents.writeBytes(new byte[] {0x02, 0x01, 0x00});
    contents.writeBytes(algorithmIdentifier);
    contents.write(0x04);
    contents.writeBytes(length(traditionalKey.length));
    contents.writeBytes(traditionalKey);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    out.writeBytes(length(contents.size()));
    out.writeBytes(contents.toByteArray());
    return out.toByteArray();
  }

  private static byte[] length(int length) {
    if (length < 0x80) {
      return new byte[] {(byte) length};
    }
    if (length < 0x100) {
      return new byte[] {(byte) 0x81, (byte) length};
    }
    if (length < 0x10000) {
      return new byte[] {(byte) 0x82, (byte) (length >> 8), (byte) length};
    }
    return new byte[] {(byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
  }
}
