package io.securetx.report;

import java.nio.file.Path;

/**
 * A monthly report that has been published as a file.
 *
 * @param path where it was written
 * @param report what it says
 */
public record WrittenReport(Path path, MonthlyReport report) {}
