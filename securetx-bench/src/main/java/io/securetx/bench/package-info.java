/**
 * End-to-end benchmarks, run by hand, never by CI:
 *
 * <pre>
 *   ./mvnw -q -pl securetx-bench -am package -DskipTests
 *   java -jar securetx-bench/target/securetx-bench.jar process [--seconds 10] [--runs 3]
 *   java -jar securetx-bench/target/securetx-bench.jar queue --tasks-celery 5000 --tasks-bullmq 50000
 *   java -jar securetx-bench/target/securetx-bench.jar report --entries 1000000 --runs 3
 *   java -jar securetx-bench/target/securetx-bench.jar import [--rows 1000000] [--runs 3]
 *   java -jar securetx-bench/target/securetx-bench.jar http [--connections 64] [--runs 3]
 * </pre>
 *
 * Each figure is reported beside a peer measured in the same run on the same machine: {@code
 * process} beside the plain database, {@code queue} (the task worker) beside Celery 5.2 and BullMQ,
 * whose scripts are in {@code securetx-bench/peers}; {@code report} (the monthly report) beside the
 * plain verification of the same vault; {@code import} beside SQLite's batched inserts and
 * PostgreSQL's {@code COPY} of the same rows; {@code http} ({@code POST /v1/transactions} against
 * {@code securetx serve}) beside {@code GET /healthz} on the same server.
 */
@NullMarked
package io.securetx.bench;

import org.jspecify.annotations.NullMarked;
