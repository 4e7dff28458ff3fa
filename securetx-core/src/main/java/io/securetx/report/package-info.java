/**
 * The monthly report, the seed's {@code generate_monthly_report(month)} made real, as domain logic:
 * {@link io.securetx.report.ReportMonth} parses the month a caller names, and {@link
 * io.securetx.report.ReportCompiler} verifies the whole vault in one pass while it aggregates that
 * month's transactions into a {@link io.securetx.report.MonthlyReport} — totals per currency, daily
 * volumes, the largest transactions and the users by volume (masked), in memory bounded however
 * many entries the month holds. Rendering it (PDF) is an adapter's job.
 */
@NullMarked
package io.securetx.report;

import org.jspecify.annotations.NullMarked;
