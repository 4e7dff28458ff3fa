package io.securetx.mail;

import static java.util.Objects.requireNonNull;

import java.net.IDN;
import java.util.Locale;

/**
 * A validated e-mail address ({@code local@domain}) that is safe to put into an SMTP envelope and a
 * message header.
 *
 * <ul>
 *   <li>No control characters anywhere (CR and LF above all), so an address can never inject a
 *       header or an SMTP command.
 *   <li>The local part is an RFC 5322 dot-atom of ASCII characters, at most 64 octets; quoted local
 *       parts and non-ASCII local parts (which need SMTPUTF8) are refused.
 *   <li>The domain may be internationalised: it is converted with {@link IDN#toASCII} (STD3 rules)
 *       for the envelope and the headers; at most 255 octets, labels at most 63; no address
 *       literals such as {@code [192.0.2.1]}.
 *   <li>The whole ASCII address is at most 254 octets (RFC 5321's 256-octet path minus the angle
 *       brackets).
 * </ul>
 *
 * Rejection messages say what is wrong but never repeat the address, which is personal data.
 */
public final class EmailAddress {

  /** RFC 5321 section 4.5.3.1.1. */
  static final int MAX_LOCAL_PART = 64;

  /** RFC 5321 section 4.5.3.1.2. */
  static final int MAX_DOMAIN = 255;

  /** RFC 5321's path limit (256) less the angle brackets. */
  static final int MAX_ADDRESS = 254;

  private static final int MAX_LABEL = 63;

  /** RFC 5322 atext: letters, digits and these. */
  private static final String ATEXT_SYMBOLS = "!#$%&'*+-/=?^_`{|}~";

  private final String localPart;
  private final String asciiDomain;
  private final String unicodeDomain;

  private EmailAddress(String localPart, String asciiDomain, String unicodeDomain) {
    this.localPart = localPart;
    this.asciiDomain = asciiDomain;
    this.unicodeDomain = unicodeDomain;
  }

  /**
   * Parses and validates an address.
   *
   * @param text the address, such as {@code user@example.com} or {@code user@bücher.example}
   * @return the address
   * @throws IllegalArgumentException saying what is wrong, without repeating the address
   * @throws NullPointerException if {@code text} is null
   */
  public static EmailAddress parse(String text) {
    requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw invalid("is empty");
    }
    if (text.length() > 4 * MAX_ADDRESS) {
      throw invalid("is longer than " + MAX_ADDRESS + " characters");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)
          || Character.getType(c) == Character.FORMAT
          || Character.getType(c) == Character.LINE_SEPARATOR
          || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
        throw invalid("contains a control character (such as CR or LF) at position " + i);
      }
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        throw invalid("contains whitespace at position " + i);
      }
    }
    int at = text.lastIndexOf('@');
    if (at < 0) {
      throw invalid("has no @ between a local part and a domain");
    }
    String local = text.substring(0, at);
    String domain = text.substring(at + 1);
    checkLocalPart(local);
    String ascii = asciiDomain(domain);
    String address = local + "@" + ascii;
    if (address.length() > MAX_ADDRESS) {
      throw invalid("is longer than " + MAX_ADDRESS + " octets");
    }
    return new EmailAddress(local, ascii, IDN.toUnicode(ascii, IDN.USE_STD3_ASCII_RULES));
  }

  private static void checkLocalPart(String local) {
    if (local.isEmpty()) {
      throw invalid("has an empty local part (nothing before the @)");
    }
    if (local.indexOf('@') >= 0) {
      throw invalid("has more than one @");
    }
    if (local.startsWith("\"")) {
      throw invalid("has a quoted local part, which is not accepted");
    }
    if (local.length() > MAX_LOCAL_PART) {
      throw invalid("has a local part longer than " + MAX_LOCAL_PART + " characters");
    }
    for (int i = 0; i < local.length(); i++) {
      char c = local.charAt(i);
      if (c > 0x7e) {
        throw invalid(
            "has a non-ASCII local part (this needs SMTPUTF8, which securetx does not use)");
      }
      boolean atext =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || ATEXT_SYMBOLS.indexOf(c) >= 0;
      if (!atext && c != '.') {
        throw invalid("has a local part with the character '" + c + "', which is not allowed");
      }
    }
    if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
      throw invalid("has a local part that starts or ends with a dot or has two dots in a row");
    }
  }

  private static String asciiDomain(String domain) {
    if (domain.isEmpty()) {
      throw invalid("has an empty domain (nothing after the @)");
    }
    if (domain.startsWith("[")) {
      throw invalid("has an address literal as its domain, which is not accepted");
    }
    if (domain.endsWith(".") || domain.startsWith(".") || domain.contains("..")) {
      throw invalid("has a domain that starts or ends with a dot or has two dots in a row");
    }
    String ascii;
    try {
      ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      // IDN's own message quotes the input; never pass it on.
      throw invalid("has a domain that is not a valid (internationalised) host name");
    }
    if (ascii.isEmpty()) {
      throw invalid("has an empty domain (nothing after the @)");
    }
    if (ascii.length() > MAX_DOMAIN) {
      throw invalid("has a domain longer than " + MAX_DOMAIN + " octets");
    }
    for (String label : ascii.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > MAX_LABEL) {
        throw invalid("has a domain label that is empty or longer than " + MAX_LABEL + " octets");
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        boolean ldh = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        if (!ldh) {
          throw invalid("has a domain that is not a valid (internationalised) host name");
        }
      }
      if (label.startsWith("-") || label.endsWith("-")) {
        throw invalid("has a domain label that starts or ends with a hyphen");
      }
    }
    return ascii;
  }

  private static IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException("the e-mail address " + why);
  }

  /** The part before the {@code @}, as given. */
  public String localPart() {
    return localPart;
  }

  /** The domain in ASCII (internationalised labels as {@code xn--} Punycode), lower case. */
  public String asciiDomain() {
    return asciiDomain;
  }

  /** The domain in Unicode, lower case, as people read it. */
  public String unicodeDomain() {
    return unicodeDomain;
  }

  /** The address for the SMTP envelope and the message headers: ASCII only. */
  public String ascii() {
    return localPart + "@" + asciiDomain;
  }

  /** The address as people read it: the domain in Unicode. */
  @Override
  public String toString() {
    return localPart + "@" + unicodeDomain;
  }

  /** Equal when the local parts are equal and the domains are equal, ignoring case. */
  @Override
  public boolean equals(Object o) {
    return o instanceof EmailAddress other
        && other.localPart.equals(localPart)
        && other.asciiDomain.equals(asciiDomain);
  }

  @Override
  public int hashCode() {
    return 31 * localPart.hashCode() + asciiDomain.hashCode();
  }
}
