package io.quotient.monitor.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A webhook endpoint as it stands (without its secret).
 *
 * @param id its id ({@code wh_…})
 * @param url where messages are posted
 * @param format the body's format
 * @param types the message types it gets
 * @param enabled false once disabled (410 Gone, or failing for 3 days); a disabled endpoint gets nothing
 * @param disabledReason {@code gone} or {@code failing}; null while enabled
 * @param disabledAt when it was disabled; null while enabled
 * @param createdAt when it was created
 * @param previousSecretExpiresAt until when the secret before the last rotation still signs; null when none does
 */
public record Webhook(
    String id, String url, Format format, List<String> types, boolean enabled, String disabledReason, Instant disabledAt,
    Instant createdAt, Instant previousSecretExpiresAt) {
  public Webhook {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(format, "format");
    types = List.copyOf(types);
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
