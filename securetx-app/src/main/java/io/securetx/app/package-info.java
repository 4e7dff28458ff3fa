/**
 * The composition root: the only package that wires adapters together. {@link io.securetx.app.Main}
 * reads the configuration, opens keys and the vault, and runs the CLI.
 */
@NullMarked
package io.securetx.app;

import org.jspecify.annotations.NullMarked;
