/**
 * The {@code securetx} command line (picocli). Commands reach the application through {@link
 * io.securetx.adapter.cli.CliContext}, which the composition root implements, so this adapter
 * imports no other adapter. Exit codes are in {@link io.securetx.adapter.cli.ExitCodes}.
 */
@NullMarked
package io.securetx.adapter.cli;

import org.jspecify.annotations.NullMarked;
