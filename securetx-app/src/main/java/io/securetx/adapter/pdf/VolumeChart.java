package io.securetx.adapter.pdf;

import io.securetx.report.MonthlyReport.DayVolume;
import java.awt.Color;
import java.io.IOException;
import java.util.Currency;
import java.util.List;

/**
 * The daily volume of one currency as a bar chart in vector graphics: a y axis with rounded ticks
 * and grid lines, one bar per day of the month labelled below, and the busiest day's volume above
 * its bar.
 */
final class VolumeChart {

  static final float HEIGHT = 190;

  private static final Color BAR = new Color(0x2f, 0x6d, 0xa3);
  private static final Color PEAK = new Color(0x1f, 0x4e, 0x79);
  private static final Color GRID = new Color(0xe3, 0xe6, 0xea);
  private static final float AXIS_WIDTH = 46;
  private static final float TITLE = 20;
  private static final float LABELS = 16;
  private static final int TICKS = 4;

  private VolumeChart() {}

  /** Draws the chart in the {@link #HEIGHT} points below the canvas cursor. */
  static void draw(Canvas canvas, Currency currency, List<DayVolume> days) throws IOException {
    float top = canvas.y();
    float left = Canvas.MARGIN;
    canvas.text(
        canvas.bold,
        10,
        Canvas.INK,
        left,
        top - 11,
        "Daily volume, " + currency.getCurrencyCode() + " (UTC days)");
    float plotLeft = left + AXIS_WIDTH;
    float plotWidth = Canvas.CONTENT_WIDTH - AXIS_WIDTH;
    float plotTop = top - TITLE - 8;
    float plotBottom = top - HEIGHT + LABELS;
    float plotHeight = plotTop - plotBottom;

    double max = 0;
    int peak = -1;
    for (int i = 0; i < days.size(); i++) {
      double value = days.get(i).amount().doubleValue();
      if (value > max) {
        max = value;
        peak = i;
      }
    }
    double step = Formats.niceStep(max, TICKS);
    double axisMax = Math.max(step, Math.ceil(max / step) * step);

    for (int t = 0; t * step <= axisMax + step / 1000; t++) {
      float y = plotBottom + (float) (t * step / axisMax) * plotHeight;
      if (t > 0) {
        canvas.line(plotLeft, y, plotLeft + plotWidth, y, GRID, 0.5f);
      }
      canvas.textRight(
          canvas.regular, 7, Canvas.MUTED, plotLeft - 4, y - 2.5f, Formats.compact(t * step));
    }

    float slot = plotWidth / days.size();
    float barWidth = slot * 0.68f;
    for (int i = 0; i < days.size(); i++) {
      DayVolume day = days.get(i);
      float x = plotLeft + i * slot + (slot - barWidth) / 2;
      double value = day.amount().doubleValue();
      float height = (float) (value / axisMax) * plotHeight;
      if (value > 0) {
        canvas.fill(x, plotBottom, barWidth, Math.max(height, 0.75f), i == peak ? PEAK : BAR);
      }
      canvas.textCentred(
          canvas.regular,
          6,
          Canvas.MUTED,
          x + barWidth / 2,
          plotBottom - 9,
          Integer.toString(day.day().getDayOfMonth()));
    }
    canvas.line(plotLeft, plotBottom, plotLeft + plotWidth, plotBottom, Canvas.INK, 0.8f);
    canvas.line(plotLeft, plotBottom, plotLeft, plotTop, Canvas.INK, 0.8f);

    if (peak >= 0) {
      DayVolume busiest = days.get(peak);
      float x = plotLeft + peak * slot + slot / 2;
      float y = plotBottom + (float) (busiest.amount().doubleValue() / axisMax) * plotHeight;
      String label = Formats.compact(busiest.amount().doubleValue());
      float width = canvas.width(canvas.bold, 7, label);
      float labelX = Math.min(Math.max(x - width / 2, plotLeft + 2), plotLeft + plotWidth - width);
      canvas.text(canvas.bold, 7, PEAK, labelX, Math.min(y + 3, plotTop + 2), label);
    }
    canvas.down(HEIGHT);
  }
}
