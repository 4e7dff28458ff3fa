/**
 * The monthly report as a PDF, drawn with Apache PDFBox: title and period, the vault's verification
 * status, totals per currency, a daily volume chart in vector graphics, the largest transactions
 * and the users by volume (masked). {@link io.securetx.adapter.pdf.PdfReportWriter} writes the file
 * atomically: a temporary file in the target directory, forced to disk, then moved into place, so a
 * reader never sees half a report.
 */
@NullMarked
package io.securetx.adapter.pdf;

import org.jspecify.annotations.NullMarked;
