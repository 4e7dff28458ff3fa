/**
 * Configuration from the environment: the seed's six variables under their original names plus
 * securetx's own, each secret also readable from a {@code NAME_FILE}, checked at start-up with
 * every problem listed at once. {@link io.securetx.config.Variable} is the single list of
 * variables; the README's table is tested against it.
 */
@NullMarked
package io.securetx.config;

import org.jspecify.annotations.NullMarked;
