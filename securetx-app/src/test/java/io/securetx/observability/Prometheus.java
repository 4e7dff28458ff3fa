package io.securetx.observability;

import java.util.Map;

/** Reads one sample out of a Prometheus text exposition. */
public final class Prometheus {

  private Prometheus() {}

  /**
   * The value of the sample {@code name} whose labels include every one given, or 0 when there is
   * none (a counter not yet incremented is absent).
   *
   * @param scrape the exposition
   * @param name the sample name, e.g. {@code securetx_transactions_total}
   * @param labels labels the sample must have
   * @return its value
   * @throws AssertionError if more than one sample matches
   */
  public static double value(String scrape, String name, Map<String, String> labels) {
    Double found = null;
    for (String line : scrape.split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      if (space < 0) {
        continue;
      }
      String series = line.substring(0, space);
      int brace = series.indexOf('{');
      String sample = brace < 0 ? series : series.substring(0, brace);
      if (!sample.equals(name)) {
        continue;
      }
      boolean all = true;
      for (Map.Entry<String, String> label : labels.entrySet()) {
        all &= series.contains(label.getKey() + "=\"" + label.getValue() + "\"");
      }
      if (all) {
        if (found != null) {
          throw new AssertionError("more than one sample of " + name + labels + " in\n" + scrape);
        }
        found = Double.parseDouble(line.substring(space + 1));
      }
    }
    return found == null ? 0 : found;
  }
}
