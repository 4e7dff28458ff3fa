package io.securetx.observability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Security events on the {@value #LOGGER} logger, as key-value pairs every line carries: {@code
 * event} (a dotted name such as {@code auth.api_key}), {@code outcome} ({@code success} or {@code
 * failure}) and what the event names ({@code key_id}, {@code remote_addr}, {@code route}, {@code
 * reason}, ...; see the README, Operations). Successes log at INFO, failures at WARN; the logger
 * logs INFO whatever the root level, and can go to its own file ({@code AUDIT_LOG}). Never put a
 * secret, a key or a presented credential in a field: only ids such as a key's hash prefix.
 *
 * <pre>{@code
 * Audit.failure("auth.api_key").with("remote_addr", ip).with("reason", "invalid").log();
 * }</pre>
 */
public final class Audit {

  /** The logger of the audit stream. */
  public static final String LOGGER = "io.securetx.audit";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private final String event;
  private final boolean success;
  private final Map<String, Object> fields = new LinkedHashMap<>();

  private Audit(String event, boolean success) {
    if (event.isBlank()) {
      throw new IllegalArgumentException("an audit event needs a name");
    }
    this.event = event;
    this.success = success;
  }

  /**
   * Starts an event that succeeded.
   *
   * @param event the event's name, e.g. {@code keys.rotate}
   * @return the event, to add fields to and {@link #log()}
   */
  public static Audit success(String event) {
    return new Audit(event, true);
  }

  /**
   * Starts an event that failed.
   *
   * @param event the event's name, e.g. {@code auth.api_key}
   * @return the event, to add fields to and {@link #log()}
   */
  public static Audit failure(String event) {
    return new Audit(event, false);
  }

  /**
   * Starts an event.
   *
   * @param event the event's name
   * @param success whether it succeeded
   * @return the event
   */
  public static Audit of(String event, boolean success) {
    return new Audit(event, success);
  }

  /**
   * Adds a field; a null value is left out.
   *
   * @param name the field's name, snake_case
   * @param value a string, number or boolean; never a secret
   * @return this
   * @throws IllegalArgumentException if the name is {@code event} or {@code outcome}
   */
  public Audit with(String name, @Nullable Object value) {
    Objects.requireNonNull(name, "name");
    if (name.equals("event") || name.equals("outcome")) {
      throw new IllegalArgumentException(name + " is set by the event itself");
    }
    if (value != null) {
      fields.put(name, value);
    }
    return this;
  }

  /** Writes the event. */
  public void log() {
    LoggingEventBuilder builder = success ? LOG.atInfo() : LOG.atWarn();
    builder = builder.addKeyValue("event", event);
    builder = builder.addKeyValue("outcome", success ? "success" : "failure");
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      builder = builder.addKeyValue(field.getKey(), field.getValue());
    }
    builder.log("audit " + event + " " + (success ? "success" : "failure"));
  }
}
