package io.quotient.monitor.webhook;

import io.quotient.monitor.message.Message;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One sentence a person reads in Slack or Discord, such as "alice used 80% of ai_generations
 * (8/10), resets 1 Dec". Stateless.
 */
final class Text {
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private Text() {}

  static String of(Message message) {
    Map<String, Object> data = message.data();
    String subject = message.subject() == null ? "" : message.subject();
    return switch (message.type()) {
      case "alert.triggered" -> {
        String text = subject + " used " + highest(data) + "% of " + data.get("metric") + " (" + data.get("used") + "/" + data.get("limit") + ")";
        yield text + resets(data.get("resetsAt")) + " [" + data.get("level") + "]";
      }
      case "alert.resolved" ->
          subject + " is back under " + lowest(data) + "% of " + data.get("metric") + " (" + data.get("used") + "/" + data.get("limit") + ")";
      case "quota.consumed" -> subject + " used " + items(data) + usage(data);
      case "quota.denied" -> subject + " was denied " + items(data) + " (" + data.get("reason") + ")";
      case "quota.refunded" -> subject + " got back " + items(data);
      case "reservation.created" -> subject + " reserved " + items(data);
      case "reservation.committed" -> subject + " committed " + items(data);
      case "reservation.released" -> subject + " released " + items(data);
      case "reservation.expired" -> subject + "'s reservation of " + items(data) + " expired";
      case "grant.added" -> subject + " was granted " + data.get("amount") + " " + data.get("metric") + (data.get("reason") == null ? "" : " (" + data.get("reason") + ")");
      case "subject.reset" -> subject + "'s usage of " + (data.get("metric") == null ? "every metric" : data.get("metric")) + " was reset";
      case "subject.plan_changed" ->
          data.get("planBefore") == null
              ? subject + " joined plan " + data.get("plan")
              : subject + " moved from plan " + data.get("planBefore") + " to " + data.get("plan");
      case "webhook.disabled" -> "Webhook " + data.get("webhook") + " was disabled: " + data.get("reason");
      case "webhook.test" -> "Test message from Quotient for webhook " + data.get("webhook");
      default -> message.type() + (subject.isEmpty() ? "" : " for " + subject) + details(data);
    };
  }

  private static Object highest(Map<String, Object> data) {
    return data.get("thresholds") instanceof List<?> list && !list.isEmpty() ? list.get(list.size() - 1) : "?";
  }

  private static Object lowest(Map<String, Object> data) {
    return data.get("thresholds") instanceof List<?> list && !list.isEmpty() ? list.get(0) : "?";
  }

  private static String resets(Object at) {
    if (!(at instanceof String text)) {
      return "";
    }
    try {
      return ", resets " + DAY.format(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return "";
    }
  }

  private static String items(Map<String, Object> data) {
    if (!(data.get("items") instanceof List<?> items) || items.isEmpty()) {
      return "nothing";
    }
    StringBuilder out = new StringBuilder();
    for (Object each : items) {
      if (each instanceof Map<?, ?> item) {
        out.append(out.isEmpty() ? "" : ", ").append(item.get("amount")).append(' ').append(item.get("metric"));
      }
    }
    return out.toString();
  }

  private static String usage(Map<String, Object> data) {
    if (data.get("items") instanceof List<?> items && items.size() == 1 && items.get(0) instanceof Map<?, ?> item && item.get("limit") != null) {
      return " (" + item.get("used") + "/" + item.get("limit") + ")" + resets(item.get("resetsAt"));
    }
    return "";
  }

  private static String details(Map<String, Object> data) {
    StringBuilder out = new StringBuilder();
    data.forEach((k, v) -> {
      if (!"subject".equals(k) && v != null) {
        out.append(out.isEmpty() ? ": " : ", ").append(k).append(' ').append(v);
      }
    });
    return out.toString();
  }
}
