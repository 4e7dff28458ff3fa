/**
 * End-to-end benchmarks, run by hand, never by CI:
 *
 * <pre>
 *   ./mvnw -q -pl securetx-bench -am package -DskipTests
 *   java -jar securetx-bench/target/securetx-bench.jar process [--seconds 10] [--runs 3]
 * </pre>
 *
 * Each figure is reported beside a peer measured in the same run on the same machine.
 */
@NullMarked
package io.securetx.bench;

import org.jspecify.annotations.NullMarked;
