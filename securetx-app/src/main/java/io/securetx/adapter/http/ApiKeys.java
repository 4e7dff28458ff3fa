package io.securetx.adapter.http;

import io.securetx.config.ConfigException;
import io.securetx.config.Secret;
import io.securetx.config.SecureTxConfig;
import io.securetx.crypto.Sha256;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API keys the server accepts, held only as SHA-256 hashes. A presented key is hashed and
 * compared with every known hash in constant time ({@link MessageDigest#isEqual}), all of them
 * every time, so neither the comparison nor the number of keys tried tells an attacker anything.
 *
 * <p>Keys have a recognisable form, so secret scanners find leaked ones and a typo is caught at
 * start-up: {@code stx_} followed by at least 32 characters from {@code A-Z a-z 0-9 _ -} (new
 * keys), or the seed's {@code sk_live_}/{@code sk_test_} followed by at least 16 of them.
 */
final class ApiKeys {

  static final Pattern FORMAT =
      Pattern.compile("stx_[A-Za-z0-9_-]{32,256}|sk_(live|test)_[A-Za-z0-9_-]{16,256}");

  private final List<byte[]> hashes;
  private final List<String> ids;

  private ApiKeys(List<byte[]> hashes, List<String> ids) {
    this.hashes = List.copyOf(hashes);
    this.ids = List.copyOf(ids);
  }

  /**
   * The keys of a configuration: {@code API_KEY_V1} (skipped when empty) and {@code API_KEYS}.
   *
   * @throws ConfigException when there is no key, naming every key variable whose value has the
   *     wrong form (never the key itself)
   */
  static ApiKeys from(SecureTxConfig config) {
    List<String> problems = new ArrayList<>();
    List<Secret> keys = new ArrayList<>();
    if (!config.apiKey().isEmpty()) {
      check(config.apiKey(), "API_KEY_V1", problems);
      keys.add(config.apiKey());
    }
    List<Secret> more = config.http().apiKeys();
    for (int i = 0; i < more.size(); i++) {
      check(more.get(i), "API_KEYS entry " + (i + 1), problems);
      keys.add(more.get(i));
    }
    if (keys.isEmpty()) {
      problems.add(
          "no API key is configured: set API_KEY_V1 or API_KEYS (the HTTP API refuses to start"
              + " without one)");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    List<byte[]> hashes = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (Secret key : keys) {
      byte[] hash = Sha256.of(key.insecureValue());
      if (hashes.stream().noneMatch(known -> MessageDigest.isEqual(known, hash))) {
        hashes.add(hash);
        ids.add(id(hash));
      }
    }
    return new ApiKeys(hashes, ids);
  }

  private static void check(Secret key, String name, List<String> problems) {
    if (!FORMAT.matcher(key.insecureValue()).matches()) {
      problems.add(
          name
              + " is not an API key: use stx_ and at least 32 characters from A-Z a-z 0-9 _ -"
              + " (or the seed's sk_live_/sk_test_ and at least 16)");
    }
  }

  /** How many distinct keys are accepted. */
  int size() {
    return hashes.size();
  }

  /**
   * Checks a presented key.
   *
   * @param presented the bearer token
   * @return the key's id (a prefix of its hash, safe to log) when it is a known key
   */
  Optional<String> authenticate(String presented) {
    byte[] hash = Sha256.of(presented);
    int match = -1;
    for (int i = 0; i < hashes.size(); i++) {
      // No early exit: every hash is compared, whichever one matches.
      if (MessageDigest.isEqual(hashes.get(i), hash)) {
        match = i;
      }
    }
    return match < 0 ? Optional.empty() : Optional.of(ids.get(match));
  }

  private static String id(byte[] hash) {
    return "key_" + HexFormat.of().formatHex(hash, 0, 6);
  }
}
