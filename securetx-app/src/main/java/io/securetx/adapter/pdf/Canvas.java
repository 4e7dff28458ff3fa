package io.securetx.adapter.pdf;

import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName;
import org.jspecify.annotations.Nullable;

/**
 * A4 pages drawn top to bottom: a cursor that moves down as blocks are drawn, a new page when a
 * block does not fit, and text helpers that measure, align and clean text. The standard-14 fonts
 * encode WinAnsi only (Latin-1 and a few more); any other character becomes {@code ?}, so a user id
 * in another script can never break the document.
 */
final class Canvas implements AutoCloseable {

  static final float PAGE_WIDTH = PDRectangle.A4.getWidth();
  static final float PAGE_HEIGHT = PDRectangle.A4.getHeight();
  static final float MARGIN = 50;
  static final float CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
  static final float FOOTER = 36;

  static final Color INK = new Color(0x21, 0x21, 0x21);
  static final Color MUTED = new Color(0x6b, 0x6b, 0x6b);
  static final Color RULE = new Color(0xc8, 0xcc, 0xd0);
  static final Color BAND = new Color(0xf1, 0xf3, 0xf5);
  static final Color ACCENT = new Color(0x1f, 0x4e, 0x79);

  final PDFont regular = new PDType1Font(FontName.HELVETICA);
  final PDFont bold = new PDType1Font(FontName.HELVETICA_BOLD);
  final PDFont mono = new PDType1Font(FontName.COURIER);

  private final PDDocument document;
  private final List<PDPage> pages = new ArrayList<>();
  private final Map<PDFont, Map<Integer, Boolean>> encodable = new HashMap<>();
  private @Nullable PDPageContentStream stream;
  private float y;

  Canvas(PDDocument document) throws IOException {
    this.document = document;
    newPage();
  }

  /** Starts a new page; the cursor goes to its top margin. */
  void newPage() throws IOException {
    if (stream != null) {
      stream.close();
    }
    PDPage page = new PDPage(PDRectangle.A4);
    document.addPage(page);
    pages.add(page);
    stream = new PDPageContentStream(document, page);
    y = PAGE_HEIGHT - MARGIN;
  }

  /** Makes sure {@code height} points fit below the cursor, starting a new page if not. */
  void need(float height) throws IOException {
    if (y - height < MARGIN + FOOTER) {
      newPage();
    }
  }

  /** The cursor: the top of the next block. */
  float y() {
    return y;
  }

  void down(float points) {
    y -= points;
  }

  List<PDPage> pages() {
    return List.copyOf(pages);
  }

  PDDocument document() {
    return document;
  }

  PDPageContentStream stream() {
    PDPageContentStream current = stream;
    if (current == null) {
      throw new IllegalStateException("the canvas is closed");
    }
    return current;
  }

  /** Draws text with its baseline at {@code baseline}, starting at {@code x}. */
  void text(PDFont font, float size, Color color, float x, float baseline, String text)
      throws IOException {
    text(stream(), font, size, color, x, baseline, text);
  }

  void text(
      PDPageContentStream on,
      PDFont font,
      float size,
      Color color,
      float x,
      float baseline,
      String text)
      throws IOException {
    String clean = clean(font, text);
    if (clean.isEmpty()) {
      return;
    }
    on.beginText();
    on.setFont(font, size);
    on.setNonStrokingColor(color);
    on.newLineAtOffset(x, baseline);
    on.showText(clean);
    on.endText();
  }

  /** Draws text that ends at {@code right}. */
  void textRight(PDFont font, float size, Color color, float right, float baseline, String text)
      throws IOException {
    text(font, size, color, right - width(font, size, text), baseline, text);
  }

  /** Draws text centred on {@code centre}. */
  void textCentred(PDFont font, float size, Color color, float centre, float baseline, String text)
      throws IOException {
    text(font, size, color, centre - width(font, size, text) / 2, baseline, text);
  }

  /** The width of the cleaned text. */
  float width(PDFont font, float size, String text) throws IOException {
    return font.getStringWidth(clean(font, text)) / 1000 * size;
  }

  /** The text, shortened with "..." until it fits {@code maxWidth}. */
  String fit(PDFont font, float size, String text, float maxWidth) throws IOException {
    String clean = clean(font, text);
    if (width(font, size, clean) <= maxWidth) {
      return clean;
    }
    int end = clean.length();
    while (end > 0 && width(font, size, clean.substring(0, end) + "...") > maxWidth) {
      end--;
    }
    return clean.substring(0, end) + "...";
  }

  /** Breaks text into lines no wider than {@code maxWidth}, at spaces. */
  List<String> wrap(PDFont font, float size, String text, float maxWidth) throws IOException {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : clean(font, text).split(" ")) {
      String candidate = line.length() == 0 ? word : line + " " + word;
      if (line.length() > 0 && width(font, size, candidate) > maxWidth) {
        lines.add(line.toString());
        line = new StringBuilder(word);
      } else {
        line = new StringBuilder(candidate);
      }
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }

  void fill(float x, float bottom, float width, float height, Color color) throws IOException {
    PDPageContentStream on = stream();
    on.setNonStrokingColor(color);
    on.addRect(x, bottom, width, height);
    on.fill();
  }

  void box(float x, float bottom, float width, float height, Color stroke, float lineWidth)
      throws IOException {
    PDPageContentStream on = stream();
    on.setStrokingColor(stroke);
    on.setLineWidth(lineWidth);
    on.addRect(x, bottom, width, height);
    on.stroke();
  }

  void line(float x1, float y1, float x2, float y2, Color color, float lineWidth)
      throws IOException {
    PDPageContentStream on = stream();
    on.setStrokingColor(color);
    on.setLineWidth(lineWidth);
    on.moveTo(x1, y1);
    on.lineTo(x2, y2);
    on.stroke();
  }

  /**
   * Replaces what the font cannot encode (and control characters) with {@code ?}. The standard-14
   * fonts know WinAnsi only; PDFBox would otherwise refuse the whole string.
   */
  String clean(PDFont font, String text) {
    Map<Integer, Boolean> known = encodable.computeIfAbsent(font, f -> new HashMap<>());
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            cp -> {
              boolean ok =
                  !Character.isISOControl(cp) && known.computeIfAbsent(cp, c -> encodes(font, c));
              if (ok) {
                out.appendCodePoint(cp);
              } else {
                out.append('?');
              }
            });
    return out.toString();
  }

  private static boolean encodes(PDFont font, int codePoint) {
    try {
      font.encode(new String(Character.toChars(codePoint)));
      return true;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    if (stream != null) {
      stream.close();
      stream = null;
    }
  }
}
