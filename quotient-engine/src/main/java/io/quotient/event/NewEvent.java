package io.quotient.event;

import io.quotient.InvalidArgumentException;
import io.quotient.Names;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An event the monitor adds to the feed with {@link io.quotient.engine.Quotient#append}, inside
 * its own transaction: an alert, a signal, a disabled webhook.
 *
 * @param type one of the {@linkplain EventType#appendable() appendable} types
 * @param at when it happened (the monitor's clock)
 * @param subject the subject it is about; null when about none (a webhook)
 * @param detail its context by name, in order; read back as {@link Event#detail()}
 */
public record NewEvent(EventType type, Instant at, String subject, Map<String, String> detail) {
  public NewEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    InvalidArgumentException.require(type.appendable(), "type", "the engine writes " + type.wireName() + " events itself");
    if (subject != null) {
      Names.requireId(subject, "subject");
    }
    Map<String, String> copy = new LinkedHashMap<>();
    detail.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "detail key"), Objects.requireNonNull(v, "detail." + k)));
    detail = java.util.Collections.unmodifiableMap(copy);
  }
}
