package io.securetx.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Physical lines of a UTF-8 file, read in large blocks: {@code \n} or {@code \r\n} ends a line, a
 * byte-order mark at the start is skipped. A line that is not valid UTF-8 is reported as such
 * instead of being decoded with replacement characters, so no altered user id is ever imported.
 */
final class Lines {

  /** A line longer than this is cut there and reported as too long. */
  static final int MAX_LINE_BYTES = 64 * 1024;

  private final InputStream in;
  private final byte[] block = new byte[1 << 16];
  private int position;
  private int limit;
  private boolean eof;
  private byte[] line = new byte[256];
  private int length;
  private long number;
  private boolean tooLong;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  Lines(InputStream in) {
    this.in = in;
  }

  /**
   * Moves to the next line.
   *
   * @return false at the end of the input
   * @throws IOException if reading fails
   */
  boolean next() throws IOException {
    length = 0;
    tooLong = false;
    boolean any = false;
    while (true) {
      if (position == limit) {
        if (eof || !fill()) {
          if (!any) {
            return false;
          }
          break;
        }
      }
      any = true;
      int start = position;
      int end = start;
      while (end < limit && block[end] != '\n') {
        end++;
      }
      append(start, end);
      position = end;
      if (end < limit) {
        position++; // the \n
        break;
      }
    }
    number++;
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    if (number == 1
        && length >= 3
        && line[0] == (byte) 0xEF
        && line[1] == (byte) 0xBB
        && line[2] == (byte) 0xBF) {
      System.arraycopy(line, 3, line, 0, length - 3);
      length -= 3;
    }
    return true;
  }

  private boolean fill() throws IOException {
    int n = in.read(block, 0, block.length);
    if (n <= 0) {
      eof = true;
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }

  private void append(int from, int to) {
    int n = to - from;
    if (length + n > MAX_LINE_BYTES) {
      n = Math.max(0, MAX_LINE_BYTES - length);
      tooLong = true;
    }
    if (length + n > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
    }
    System.arraycopy(block, from, line, length, n);
    length += n;
  }

  /** The number of the current line, from 1. */
  long number() {
    return number;
  }

  /** Whether the current line was longer than {@link #MAX_LINE_BYTES} and was cut. */
  boolean tooLong() {
    return tooLong;
  }

  /** Whether the current line holds nothing but spaces and tabs. */
  boolean blank() {
    for (int i = 0; i < length; i++) {
      if (line[i] != ' ' && line[i] != '\t') {
        return false;
      }
    }
    return true;
  }

  /** The current line, or null when it is not valid UTF-8. */
  @Nullable String text() {
    boolean ascii = true;
    for (int i = 0; i < length; i++) {
      if (line[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(line, 0, length, StandardCharsets.ISO_8859_1);
    }
    try {
      CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(line, 0, length));
      return chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** The current line with invalid bytes replaced, for a rejects file only. */
  String lossyText() {
    return new String(line, 0, length, StandardCharsets.UTF_8);
  }
}
