package io.quotient.monitor.message;

import io.quotient.event.Event;
import io.quotient.event.EventItem;
import io.quotient.event.EventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns feed events into messages. The vocabulary (docs/API.md documents each type's data):
 *
 * <table>
 *   <caption>feed event → message type</caption>
 *   <tr><td>consume, granted</td><td>{@code quota.consumed}</td></tr>
 *   <tr><td>consume or reserve, denied</td><td>{@code quota.denied}</td></tr>
 *   <tr><td>refund</td><td>{@code quota.refunded}</td></tr>
 *   <tr><td>reserve, granted</td><td>{@code reservation.created}</td></tr>
 *   <tr><td>commit / release / expire</td><td>{@code reservation.committed / released / expired}</td></tr>
 *   <tr><td>grant</td><td>{@code grant.added}</td></tr>
 *   <tr><td>reset</td><td>{@code subject.reset}</td></tr>
 *   <tr><td>subject_change</td><td>{@code subject.plan_changed} (a subject created has {@code planBefore} null)</td></tr>
 *   <tr><td>transfer / override / subject_delete</td><td>{@code quota.transferred} (one per side) /
 *       {@code subject.overrides_changed} / {@code subject.deleted}</td></tr>
 *   <tr><td>the monitor's own</td><td>{@code alert.triggered}, {@code alert.resolved}, {@code abuse.detected},
 *       {@code spike.detected}, {@code webhook.disabled}</td></tr>
 * </table>
 *
 * <p>A plan's change or deletion is about no subject and is not a message. Thread-safe (stateless).
 */
public final class Messages {
  /** Every message type, in the order docs/API.md lists them. */
  public static final List<String> TYPES =
      List.of(
          "quota.consumed", "quota.denied", "quota.refunded", "reservation.created", "reservation.committed",
          "reservation.released", "reservation.expired", "grant.added", "subject.reset", "subject.plan_changed",
          "alert.triggered", "alert.resolved", "abuse.detected", "spike.detected", "webhook.disabled",
          "quota.transferred", "subject.overrides_changed", "subject.deleted");

  private Messages() {}

  /** The message type of {@code event}; empty for events that are not messages (a plan's changes). */
  public static Optional<String> typeOf(Event event) {
    boolean granted = !Boolean.FALSE.equals(event.allowed());
    String type =
        switch (event.type()) {
          case CONSUME -> granted ? "quota.consumed" : "quota.denied";
          case RESERVE -> granted ? "reservation.created" : "quota.denied";
          case REFUND -> "quota.refunded";
          case COMMIT -> "reservation.committed";
          case RELEASE -> "reservation.released";
          case EXPIRE -> "reservation.expired";
          case GRANT -> "grant.added";
          case RESET -> "subject.reset";
          case SUBJECT_CHANGE -> "subject.plan_changed";
          case SUBJECT_DELETE -> "subject.deleted";
          case TRANSFER -> "quota.transferred";
          case OVERRIDE -> "subject.overrides_changed";
          case PLAN_CHANGE, PLAN_DELETE -> null;
          case ALERT_TRIGGERED, ALERT_RESOLVED, ABUSE_DETECTED, SPIKE_DETECTED, WEBHOOK_DISABLED -> event.type().wireName();
        };
    return Optional.ofNullable(type);
  }

  /**
   * The JSON text of {@code value} — maps, lists, strings, numbers, booleans and null — written as
   * every message is, so that the other formats of a message (Slack, Discord) escape text the same way.
   */
  public static String json(Object value) {
    return JsonText.write(value);
  }

  /** The message of {@code event}; empty for events that are not messages (a plan's changes). */
  public static Optional<Message> of(Event event) {
    return typeOf(event).map(type -> new Message(Long.toString(event.id()), type, event.at(), data(event), event.cursor(), event.subject()));
  }

  private static Map<String, Object> data(Event event) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("subject", event.subject());
    Map<String, String> detail = event.detail();
    switch (event.type()) {
      case CONSUME, RESERVE, REFUND, COMMIT, RELEASE, EXPIRE -> {
        data.put("reason", event.reason());
        data.put("items", items(event.items()));
        data.put("reservationId", event.reservationId());
        data.put("refundOf", event.relatedEventId() == null ? null : Long.toString(event.relatedEventId()));
        data.put("idempotencyKey", event.idempotencyKey());
        data.put("actor", event.scope());
        data.put("metadata", new LinkedHashMap<>(event.metadata()));
      }
      case GRANT -> {
        EventItem item = event.items().isEmpty() ? null : event.items().get(0);
        data.put("metric", item == null ? null : item.metric());
        data.put("amount", item == null ? null : item.amount());
        data.put("grantId", detail.get("grantId"));
        data.put("expiresAt", detail.get("expiresAt"));
        data.put("reason", detail.get("reason"));
        data.put("actor", event.scope());
      }
      case RESET -> {
        String metric = detail.get("metric");
        data.put("metric", "*".equals(metric) ? null : metric);
        data.put("items", items(event.items()));
        data.put("actor", event.scope());
      }
      case SUBJECT_CHANGE -> {
        data.put("plan", detail.get("plan"));
        data.put("planBefore", detail.get("planBefore"));
        data.put("actor", event.scope());
      }
      case ALERT_TRIGGERED, ALERT_RESOLVED -> {
        data.put("metric", detail.get("metric"));
        if (event.type() == EventType.ALERT_TRIGGERED) {
          data.put("level", detail.get("level"));
        } else {
          data.put("reason", detail.get("reason"));
        }
        data.put("thresholds", thresholds(detail.get("thresholds")));
        data.put("used", number(detail.get("used")));
        data.put("limit", number(detail.get("limit")));
        data.put("remaining", number(detail.get("remaining")));
        data.put("windowStart", detail.get("windowStart"));
        data.put("resetsAt", detail.get("resetsAt"));
      }
      case ABUSE_DETECTED, SPIKE_DETECTED, WEBHOOK_DISABLED -> detail.forEach((k, v) -> data.putIfAbsent(k, v));
      case TRANSFER -> {
        // One message per side: detail.direction is "out" for the giver, "in" for the receiver.
        data.put("items", items(event.items()));
        data.put("transferOf", event.relatedEventId() == null ? null : Long.toString(event.relatedEventId()));
        data.put("idempotencyKey", event.idempotencyKey());
        data.put("actor", event.scope());
        detail.forEach(data::putIfAbsent);
      }
      case SUBJECT_DELETE, OVERRIDE -> {
        data.put("actor", event.scope());
        detail.forEach(data::putIfAbsent);
      }
      case PLAN_CHANGE, PLAN_DELETE -> throw new IllegalStateException("a plan's change is not a message");
    }
    return data;
  }

  private static List<Object> items(List<EventItem> items) {
    List<Object> out = new ArrayList<>(items.size());
    for (EventItem item : items) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("metric", item.metric());
      m.put("amount", item.amount());
      m.put("limit", item.limit());
      m.put("used", item.used());
      m.put("held", item.held());
      m.put("remaining", item.remaining());
      m.put("bonusRemaining", item.bonusRemaining());
      m.put("windowStart", instant(item.windowStart()));
      m.put("resetsAt", instant(item.resetsAt()));
      m.put("fromPlan", item.fromPlan());
      m.put("fromBonus", item.fromBonus());
      m.put("overage", item.overage());
      out.add(m);
    }
    return out;
  }

  private static String instant(Instant value) {
    return value == null ? null : value.toString();
  }

  private static List<Object> thresholds(String csv) {
    List<Object> out = new ArrayList<>();
    if (csv != null && !csv.isEmpty()) {
      for (String part : csv.split(",")) {
        out.add(Integer.valueOf(part));
      }
    }
    return out;
  }

  private static Long number(String value) {
    return value == null ? null : Long.valueOf(value);
  }
}
