package io.securetx.report;

import java.util.HexFormat;

/**
 * How a report shows a user: never the id itself. The mask keeps a little of each end, so an
 * operator recognises a known account without the report disclosing it; the reference (the first
 * four bytes of the user's keyed blind index) tells apart two users whose masks coincide, and is
 * the same in every report, yet reveals nothing about the id without the index key. The dashboard
 * masks the users of its recent transactions the same way.
 */
public final class UserMask {

  private static final String STARS = "***";

  private UserMask() {}

  /**
   * Masks an id: the first two and last two characters of an id of eight or more, one of each end
   * of five to seven, only the first of four or fewer.
   *
   * @param userId the id
   * @return the masked text; never the whole id
   */
  public static String mask(String userId) {
    int[] cp = userId.codePoints().toArray();
    int n = cp.length;
    if (n >= 8) {
      return text(cp, 0, 2) + STARS + text(cp, n - 2, n);
    }
    if (n >= 5) {
      return text(cp, 0, 1) + STARS + text(cp, n - 1, n);
    }
    return text(cp, 0, Math.min(1, n)) + STARS;
  }

  /** The pseudonymous reference: eight hex digits of the blind index. */
  static String reference(int ref) {
    return HexFormat.of().toHexDigits(ref);
  }

  /** The first four bytes of a blind index, as the reference is built from. */
  static int ref(byte[] userIndex) {
    int ref = 0;
    for (int i = 0; i < 4 && i < userIndex.length; i++) {
      ref = (ref << 8) | (userIndex[i] & 0xff);
    }
    return ref;
  }

  private static String text(int[] codePoints, int from, int to) {
    return new String(codePoints, from, to - from);
  }
}
