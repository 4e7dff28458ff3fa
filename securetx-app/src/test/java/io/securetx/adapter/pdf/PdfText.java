package io.securetx.adapter.pdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * The text of a PDF as two independent extractors read it: PDFBox's own {@link PDFTextStripper} and
 * Debian's {@code pdftotext} (poppler-utils), each as lines with runs of whitespace collapsed.
 * Checking figures against both guards against a PDF that only PDFBox can read back.
 *
 * <p>{@code pdftotext} missing fails the test in CI ({@code CI} set; {@code .ci/run} installs
 * poppler-utils) and skips it, saying so, on a developer machine.
 */
public final class PdfText {

  private static final List<Path> POPPLER =
      List.of(Path.of("/usr/bin/pdftotext"), Path.of("/usr/local/bin/pdftotext"));

  private PdfText() {}

  /** The lines of both extractors, keyed by extractor name. */
  public static Map<String, List<String>> both(Path pdf) throws IOException, InterruptedException {
    Map<String, List<String>> texts = new LinkedHashMap<>();
    texts.put("PDFBox", pdfbox(pdf));
    texts.put("pdftotext", poppler(pdf));
    return texts;
  }

  /** PDFBox's text, in reading order by position. */
  public static List<String> pdfbox(Path pdf) throws IOException {
    try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
      PDFTextStripper stripper = new PDFTextStripper();
      stripper.setSortByPosition(true);
      return lines(stripper.getText(document));
    }
  }

  /** Poppler's text with {@code -layout}, which keeps a table row on one line. */
  public static List<String> poppler(Path pdf) throws IOException, InterruptedException {
    Path tool = POPPLER.stream().filter(Files::isExecutable).findFirst().orElse(null);
    if (tool == null) {
      String message =
          "pdftotext is missing; install it with `bash .ci/run` or, as root, `apt-get update &&"
              + " apt-get install -y poppler-utils`.";
      if (System.getenv("CI") == null) {
        System.err.println("[pdftotext] SKIPPED: " + message + " In CI this fails.");
        abort(message + " Skipped because CI is unset; in CI this fails.");
      }
      fail(message);
    }
    Process process =
        new ProcessBuilder(tool.toString(), "-layout", "-enc", "UTF-8", pdf.toString(), "-")
            .redirectErrorStream(true)
            .start();
    process.getOutputStream().close();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = process.getInputStream()) {
      in.transferTo(out);
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("pdftotext did not finish within 60 s");
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("pdftotext exit status; output:%n%s", text).isZero();
    return lines(text);
  }

  /** Renders a page to PNG at 110 dpi, for a person to look at. */
  public static void renderPage(Path pdf, int page, Path png) throws IOException {
    try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
      BufferedImage image = new PDFRenderer(document).renderImageWithDPI(page, 110);
      Files.createDirectories(png.toAbsolutePath().getParent());
      ImageIO.write(image, "png", png.toFile());
    }
  }

  /** The number of pages. */
  public static int pages(Path pdf) throws IOException {
    try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
      return document.getNumberOfPages();
    }
  }

  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\\R")) {
      String collapsed = line.strip().replaceAll("\\s+", " ");
      if (!collapsed.isEmpty()) {
        lines.add(collapsed);
      }
    }
    return lines;
  }
}
