package io.securetx.adapter.pdf;

import io.securetx.report.MonthlyReport;
import io.securetx.report.MonthlyReport.CurrencySummary;
import io.securetx.report.MonthlyReport.Failure;
import io.securetx.report.MonthlyReport.LargeTransaction;
import io.securetx.report.MonthlyReport.UserRanking;
import io.securetx.report.MonthlyReport.UserVolume;
import io.securetx.report.MonthlyReport.VaultStatus;
import io.securetx.report.ReportCompiler;
import java.awt.Color;
import java.io.IOException;
import java.time.Instant;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDPageContentStream.AppendMode;

/** Lays a {@link MonthlyReport} out on A4 pages. */
final class ReportDocument {

  private static final Color PASS = new Color(0x2e, 0x7d, 0x32);
  private static final Color PASS_FILL = new Color(0xed, 0xf7, 0xee);
  private static final Color FAIL = new Color(0xc6, 0x28, 0x28);
  private static final Color FAIL_FILL = new Color(0xfd, 0xec, 0xea);
  private static final Color STRIPE = new Color(0xf8, 0xf9, 0xfa);
  private static final float ROW = 14;
  private static final float LEFT = Canvas.MARGIN;
  private static final float RIGHT = Canvas.MARGIN + Canvas.CONTENT_WIDTH;

  private final MonthlyReport report;
  private final Canvas canvas;

  private ReportDocument(MonthlyReport report, Canvas canvas) {
    this.report = report;
    this.canvas = canvas;
  }

  /** Draws the report into an empty document. */
  static void draw(MonthlyReport report, PDDocument document) throws IOException {
    describe(report, document);
    try (Canvas canvas = new Canvas(document)) {
      ReportDocument layout = new ReportDocument(report, canvas);
      layout.header();
      layout.verification();
      layout.summary();
      for (CurrencySummary currency : report.currencies()) {
        layout.currency(currency);
      }
      canvas.close();
      layout.footers();
    }
  }

  private static void describe(MonthlyReport report, PDDocument document) {
    PDDocumentInformation info = document.getDocumentInformation();
    info.setTitle("securetx monthly report " + report.month());
    info.setSubject("Transactions of " + report.month().displayName() + " and vault verification");
    info.setCreator("securetx");
    info.setProducer("securetx (Apache PDFBox)");
    Calendar created = new GregorianCalendar(TimeZone.getTimeZone("UTC"), Locale.ROOT);
    created.setTimeInMillis(report.generatedAt().toEpochMilli());
    info.setCreationDate(created);
  }

  private void header() throws IOException {
    float top = canvas.y();
    canvas.text(
        canvas.bold, 8.5f, Canvas.ACCENT, LEFT, top - 9, "SECURETX  -  MONTHLY TRANSACTION REPORT");
    canvas.text(canvas.bold, 24, Canvas.INK, LEFT, top - 38, report.month().displayName());
    Instant last = report.month().end().minusSeconds(1);
    canvas.text(
        canvas.regular,
        9.5f,
        Canvas.MUTED,
        LEFT,
        top - 55,
        "Period "
            + Formats.time(report.month().start())
            + " to "
            + Formats.time(last)
            + " UTC   |   generated "
            + Formats.time(report.generatedAt())
            + " UTC");
    float y = top - 62;
    if (!report.complete()) {
      canvas.text(
          canvas.bold,
          9.5f,
          Canvas.INK,
          LEFT,
          y - 10,
          "Month in progress: the figures cover transactions up to the time of generation.");
      y -= 14;
    }
    canvas.line(LEFT, y - 4, RIGHT, y - 4, Canvas.ACCENT, 1.2f);
    canvas.down(top - y + 16);
  }

  private void verification() throws IOException {
    VaultStatus vault = report.vault();
    Failure failure = vault.failure();
    List<String> lines;
    String headline;
    if (failure == null) {
      headline = "Vault verification: PASSED";
      lines =
          List.of(
              Formats.count(vault.entries())
                  + " entries verified, the whole vault: hash chain, signed checkpoints, and every"
                  + " record decrypted and its MAC checked.",
              vault.lastCheckpointAt() == null
                  ? "No checkpoint has been signed yet."
                  : "Latest checkpoint: seq "
                      + Formats.count(vault.lastCheckpointSeq())
                      + ", signed "
                      + Formats.time(vault.lastCheckpointAt())
                      + " UTC ("
                      + Formats.count(vault.checkpoints())
                      + " checkpoint signatures verified).");
    } else {
      headline = "Vault verification: FAILED";
      lines =
          List.of(
              "First bad entry: seq "
                  + Formats.count(failure.seq())
                  + "  -  "
                  + failure.reason()
                  + ": "
                  + failure.detail()
                  + ".",
              Formats.count(vault.entries())
                  + " entries verified before it. The vault has been altered or damaged: the"
                  + " figures below cover only the month's transactions among those entries, are"
                  + " incomplete and must not be relied on.");
    }
    float textWidth = Canvas.CONTENT_WIDTH - 24;
    int wrapped = 0;
    for (String line : lines) {
      wrapped += canvas.wrap(canvas.regular, 9, line, textWidth).size();
    }
    boolean head = vault.headHash() != null;
    float height = 34 + wrapped * 12 + (head ? 26 : 0);
    canvas.need(height + 16);
    float top = canvas.y();
    Color color = failure == null ? PASS : FAIL;
    canvas.fill(
        LEFT, top - height, Canvas.CONTENT_WIDTH, height, failure == null ? PASS_FILL : FAIL_FILL);
    canvas.fill(LEFT, top - height, 4, height, color);
    canvas.text(canvas.bold, 12, color, LEFT + 14, top - 19, headline);
    float y = top - 36;
    for (String line : lines) {
      for (String part : canvas.wrap(canvas.regular, 9, line, textWidth)) {
        canvas.text(canvas.regular, 9, Canvas.INK, LEFT + 14, y, part);
        y -= 12;
      }
    }
    String headHash = vault.headHash();
    if (headHash != null) {
      canvas.text(canvas.bold, 8, Canvas.MUTED, LEFT + 14, y - 2, "HEAD HASH (SHA-256)");
      canvas.text(canvas.mono, 8.5f, Canvas.INK, LEFT + 14, y - 14, headHash);
    }
    canvas.down(height + 18);
  }

  private void summary() throws IOException {
    heading("Summary");
    if (report.currencies().isEmpty()) {
      canvas.need(30);
      String text =
          report.vault().verified()
              ? "No transactions in " + report.month().displayName() + "."
              : "No transactions of "
                  + report.month().displayName()
                  + " before the first bad entry.";
      canvas.text(canvas.bold, 11, Canvas.INK, LEFT, canvas.y() - 12, text);
      canvas.down(30);
      return;
    }
    float[] right = {0, LEFT + 200, LEFT + 340, RIGHT};
    canvas.need(ROW * (Math.min(report.currencies().size(), 3) + 2));
    Table table =
        new Table(
            new String[] {"Currency", "Transactions", "Total volume", "Average"},
            new float[] {LEFT + 6, right[1], right[2], right[3] - 6},
            new boolean[] {false, true, true, true});
    for (CurrencySummary c : report.currencies()) {
      float baseline = table.row();
      canvas.text(
          canvas.bold,
          9,
          Canvas.INK,
          LEFT + 6,
          baseline,
          c.currency().getCurrencyCode() + "  " + c.currency().getDisplayName(Locale.ENGLISH));
      canvas.textRight(canvas.regular, 9, Canvas.INK, right[1], baseline, Formats.count(c.count()));
      canvas.textRight(
          canvas.bold, 9, Canvas.INK, right[2], baseline, Formats.amount(c.total(), c.currency()));
      canvas.textRight(
          canvas.regular,
          9,
          Canvas.INK,
          right[3] - 6,
          baseline,
          Formats.average(c.total(), c.count(), c.currency()));
    }
    canvas.down(6);
    note(
        Formats.count(report.transactions())
            + " transaction"
            + (report.transactions() == 1 ? "" : "s")
            + " in "
            + report.currencies().size()
            + " currenc"
            + (report.currencies().size() == 1 ? "y" : "ies")
            + ". Amounts are in major units, exact; currencies are never added together. Averages"
            + " are rounded half-even to the currency's minor unit.");
    canvas.down(8);
  }

  private void currency(CurrencySummary c) throws IOException {
    String code = c.currency().getCurrencyCode();
    canvas.need(VolumeChart.HEIGHT + 40);
    heading(code + "  -  " + c.currency().getDisplayName(Locale.ENGLISH));
    VolumeChart.draw(canvas, c.currency(), c.days());
    canvas.down(10);
    largest(c);
    users(c);
  }

  private void largest(CurrencySummary c) throws IOException {
    List<LargeTransaction> rows = c.largest();
    canvas.need(ROW * 5 + 16);
    subheading(
        (rows.size() == ReportCompiler.TOP ? "Ten largest" : "Largest")
            + " transactions, "
            + c.currency().getCurrencyCode());
    float[] x = {LEFT + 18, LEFT + 26, LEFT + 212, LEFT + 396, LEFT + 408, LEFT + 452};
    Table table =
        new Table(
            new String[] {"#", "Transaction id", "Created (UTC)", "Amount", "User", "Ref."},
            x,
            new boolean[] {true, false, false, true, false, false});
    int row = 0;
    for (LargeTransaction t : rows) {
      float baseline = table.row();
      row++;
      canvas.textRight(canvas.regular, 8.5f, Canvas.MUTED, x[0], baseline, Integer.toString(row));
      canvas.text(canvas.mono, 7.5f, Canvas.INK, x[1], baseline, t.txId());
      canvas.text(canvas.regular, 8.5f, Canvas.INK, x[2], baseline, Formats.time(t.createdAt()));
      canvas.textRight(
          canvas.bold, 8.5f, Canvas.INK, x[3], baseline, Formats.amount(t.amount(), c.currency()));
      canvas.text(
          canvas.regular,
          8.5f,
          Canvas.INK,
          x[4],
          baseline,
          canvas.fit(canvas.regular, 8.5f, t.user(), 42));
      canvas.text(canvas.mono, 7.5f, Canvas.MUTED, x[5], baseline, t.userRef());
    }
    canvas.down(14);
  }

  private void users(CurrencySummary c) throws IOException {
    UserRanking ranking = c.users();
    List<UserVolume> rows = ranking.top();
    canvas.need(ROW * 5 + 16);
    subheading("Users by volume, " + c.currency().getCurrencyCode());
    float[] x = {LEFT + 18, LEFT + 26, LEFT + 130, LEFT + 330, RIGHT - 6};
    String volume = ranking.exact() ? "Volume" : "Volume (upper bound)";
    Table table =
        new Table(
            new String[] {"#", "User", "Ref.", "Transactions", volume},
            x,
            new boolean[] {true, false, false, true, true});
    int row = 0;
    for (UserVolume u : rows) {
      float baseline = table.row();
      row++;
      canvas.textRight(canvas.regular, 8.5f, Canvas.MUTED, x[0], baseline, Integer.toString(row));
      canvas.text(
          canvas.regular,
          8.5f,
          Canvas.INK,
          x[1],
          baseline,
          canvas.fit(canvas.regular, 8.5f, u.user(), 96));
      canvas.text(canvas.mono, 7.5f, Canvas.MUTED, x[2], baseline, u.userRef());
      canvas.textRight(
          canvas.regular,
          8.5f,
          Canvas.INK,
          x[3],
          baseline,
          u.count() < 0 ? "-" : Formats.count(u.count()));
      canvas.textRight(
          canvas.bold, 8.5f, Canvas.INK, x[4], baseline, Formats.amount(u.amount(), c.currency()));
    }
    canvas.down(6);
    if (ranking.exact()) {
      note(
          "Exact, over "
              + Formats.count(ranking.distinctUsers())
              + " distinct user"
              + (ranking.distinctUsers() == 1 ? "" : "s")
              + ". Users are masked; Ref. is a keyed pseudonym (blind index), the same in every"
              + " report.");
    } else {
      note(
          "APPROXIMATE: more distinct users than the report tracks exactly; a heavy-hitters"
              + " summary (Space-Saving, "
              + Formats.count(ranking.distinctUsers())
              + " counters) ranks them. A listed volume is never below the true one and at most "
              + Formats.amount(ranking.maxOverstatement(), c.currency())
              + " "
              + c.currency().getCurrencyCode()
              + " above it; every user with a larger volume than that is listed if among the top."
              + " Counts are not tracked.");
    }
    canvas.down(14);
  }

  private void heading(String text) throws IOException {
    canvas.need(60);
    float top = canvas.y();
    canvas.text(canvas.bold, 14, Canvas.INK, LEFT, top - 14, text);
    canvas.line(LEFT, top - 20, RIGHT, top - 20, Canvas.RULE, 0.6f);
    canvas.down(30);
  }

  private void subheading(String text) throws IOException {
    float top = canvas.y();
    canvas.text(canvas.bold, 10, Canvas.INK, LEFT, top - 10, text);
    canvas.down(16);
  }

  /** A table whose rows continue on the next page, under a repeated header, when the page ends. */
  private final class Table {
    private final String[] titles;
    private final float[] x;
    private final boolean[] alignRight;
    private int rows;

    Table(String[] titles, float[] x, boolean[] alignRight) throws IOException {
      this.titles = titles.clone();
      this.x = x.clone();
      this.alignRight = alignRight.clone();
      header();
    }

    private void header() throws IOException {
      float top = canvas.y();
      canvas.fill(LEFT, top - ROW - 2, Canvas.CONTENT_WIDTH, ROW + 2, Canvas.BAND);
      for (int i = 0; i < titles.length; i++) {
        if (alignRight[i]) {
          canvas.textRight(canvas.bold, 8, Canvas.MUTED, x[i], top - 11, titles[i]);
        } else {
          canvas.text(canvas.bold, 8, Canvas.MUTED, x[i], top - 11, titles[i]);
        }
      }
      canvas.down(ROW + 2);
    }

    /** Moves down one row, zebra-striped; returns the row's text baseline. */
    float row() throws IOException {
      if (canvas.y() - ROW < Canvas.MARGIN + Canvas.FOOTER) {
        canvas.newPage();
        header();
      }
      float top = canvas.y();
      if ((rows++ & 1) == 1) {
        canvas.fill(LEFT, top - ROW, Canvas.CONTENT_WIDTH, ROW, STRIPE);
      }
      canvas.line(LEFT, top - ROW, RIGHT, top - ROW, Canvas.BAND, 0.5f);
      canvas.down(ROW);
      return top - 10;
    }
  }

  private void note(String text) throws IOException {
    List<String> lines = canvas.wrap(canvas.regular, 8, text, Canvas.CONTENT_WIDTH);
    canvas.need(lines.size() * 10 + 4);
    for (String line : lines) {
      canvas.text(canvas.regular, 8, Canvas.MUTED, LEFT, canvas.y() - 8, line);
      canvas.down(10);
    }
  }

  /** Page numbers and, when verification failed, a warning on every page. */
  private void footers() throws IOException {
    List<PDPage> pages = canvas.pages();
    PDDocument document = canvas.document();
    for (int i = 0; i < pages.size(); i++) {
      try (PDPageContentStream on =
          new PDPageContentStream(document, pages.get(i), AppendMode.APPEND, true, true)) {
        float baseline = Canvas.MARGIN - 14;
        on.setStrokingColor(Canvas.RULE);
        on.setLineWidth(0.5f);
        on.moveTo(LEFT, baseline + 12);
        on.lineTo(RIGHT, baseline + 12);
        on.stroke();
        canvas.text(
            on,
            canvas.regular,
            7.5f,
            Canvas.MUTED,
            LEFT,
            baseline,
            "securetx monthly report " + report.month());
        String page = "page " + (i + 1) + " of " + pages.size();
        canvas.text(
            on,
            canvas.regular,
            7.5f,
            Canvas.MUTED,
            RIGHT - canvas.width(canvas.regular, 7.5f, page),
            baseline,
            page);
        if (!report.vault().verified()) {
          String warning = "VAULT VERIFICATION FAILED - FIGURES INCOMPLETE";
          canvas.text(
              on,
              canvas.bold,
              7.5f,
              FAIL,
              (LEFT + RIGHT) / 2 - canvas.width(canvas.bold, 7.5f, warning) / 2,
              baseline,
              warning);
        }
      }
    }
  }
}
