package io.quotient.monitor.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.event.Event;
import io.quotient.event.EventItem;
import io.quotient.event.EventType;
import io.quotient.feed.FeedCursor;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessagesTest {
  private static final Instant AT = Instant.parse("2026-03-10T12:00:00Z");

  private static Event event(EventType type, Boolean allowed, List<EventItem> items, Map<String, String> detail) {
    return new Event(42, new FeedCursor(7, 42), AT, type, "alice", allowed, allowed == Boolean.FALSE ? "quota_exceeded" : null,
        "key:ops", "k-1", null, null, items, Map.of(), detail);
  }

  @Test
  void a_granted_consume_is_quota_consumed_with_the_exact_envelope() {
    EventItem item = new EventItem("ai", 2, 10L, 8L, 2L, 2, 0, 0, Instant.parse("2026-03-01T00:00:00Z"), 0, 0,
        Instant.parse("2026-04-01T00:00:00Z"));
    Message message = Messages.of(event(EventType.CONSUME, true, List.of(item), Map.of())).orElseThrow();
    assertThat(message.type()).isEqualTo("quota.consumed");
    assertThat(message.cursor().toString()).isEqualTo("7-42");
    assertThat(message.json()).isEqualTo(
        "{\"id\":\"42\",\"type\":\"quota.consumed\",\"timestamp\":\"2026-03-10T12:00:00Z\",\"data\":{\"subject\":\"alice\","
            + "\"reason\":null,\"items\":[{\"metric\":\"ai\",\"amount\":2,\"limit\":10,\"used\":8,\"held\":0,\"remaining\":2,"
            + "\"bonusRemaining\":0,\"windowStart\":\"2026-03-01T00:00:00Z\",\"resetsAt\":\"2026-04-01T00:00:00Z\","
            + "\"fromPlan\":2,\"fromBonus\":0,\"overage\":0}],\"reservationId\":null,\"refundOf\":null,"
            + "\"idempotencyKey\":\"k-1\",\"actor\":\"key:ops\",\"metadata\":{}}}");
  }

  @Test
  void every_engine_event_maps_to_its_type_and_plan_changes_are_not_messages() {
    assertThat(Messages.typeOf(event(EventType.CONSUME, false, List.of(), Map.of()))).contains("quota.denied");
    assertThat(Messages.typeOf(event(EventType.RESERVE, false, List.of(), Map.of()))).contains("quota.denied");
    assertThat(Messages.typeOf(event(EventType.RESERVE, true, List.of(), Map.of()))).contains("reservation.created");
    assertThat(Messages.typeOf(event(EventType.REFUND, null, List.of(), Map.of()))).contains("quota.refunded");
    assertThat(Messages.typeOf(event(EventType.COMMIT, null, List.of(), Map.of()))).contains("reservation.committed");
    assertThat(Messages.typeOf(event(EventType.RELEASE, null, List.of(), Map.of()))).contains("reservation.released");
    assertThat(Messages.typeOf(event(EventType.EXPIRE, null, List.of(), Map.of()))).contains("reservation.expired");
    assertThat(Messages.typeOf(event(EventType.GRANT, null, List.of(), Map.of()))).contains("grant.added");
    assertThat(Messages.typeOf(event(EventType.RESET, null, List.of(), Map.of()))).contains("subject.reset");
    assertThat(Messages.typeOf(event(EventType.SUBJECT_CHANGE, null, List.of(), Map.of()))).contains("subject.plan_changed");
    assertThat(Messages.typeOf(event(EventType.TRANSFER, null, List.of(), Map.of()))).contains("quota.transferred");
    assertThat(Messages.typeOf(event(EventType.OVERRIDE, null, List.of(), Map.of()))).contains("subject.overrides_changed");
    assertThat(Messages.typeOf(event(EventType.SUBJECT_DELETE, null, List.of(), Map.of()))).contains("subject.deleted");
    assertThat(Messages.typeOf(event(EventType.PLAN_CHANGE, null, List.of(), Map.of()))).isEmpty();
    assertThat(Messages.typeOf(event(EventType.PLAN_DELETE, null, List.of(), Map.of()))).isEmpty();
    for (EventType type : EventType.values()) {
      Messages.typeOf(event(type, true, List.of(), Map.of())).ifPresent(t -> assertThat(Messages.TYPES).contains(t));
    }
  }

  @Test
  void an_alert_has_typed_data() {
    Message message = Messages.of(event(EventType.ALERT_TRIGGERED, null, List.of(),
        Map.of("metric", "ai", "level", "critical", "thresholds", "80,95", "used", "10", "limit", "10",
            "remaining", "0", "windowStart", "2026-03-01T00:00:00Z", "resetsAt", "2026-04-01T00:00:00Z"))).orElseThrow();
    assertThat(message.dataJson()).isEqualTo(
        "{\"subject\":\"alice\",\"metric\":\"ai\",\"level\":\"critical\",\"thresholds\":[80,95],"
            + "\"used\":10,\"limit\":10,\"remaining\":0,\"windowStart\":\"2026-03-01T00:00:00Z\",\"resetsAt\":\"2026-04-01T00:00:00Z\"}");
  }

  @Test
  void a_transfer_side_names_its_direction_and_counterpart() {
    Message message = Messages.of(event(EventType.TRANSFER, null, List.of(),
        Map.of("direction", "in", "from", "bob"))).orElseThrow();
    assertThat(message.data()).containsEntry("direction", "in").containsEntry("from", "bob")
        .containsEntry("actor", "key:ops").containsEntry("idempotencyKey", "k-1").containsEntry("items", List.of());
  }

  @Test
  void strings_are_escaped() {
    Message message = new Message("1", "x", AT, Map.of("s", "a\"b\\c\nd\u0001"), FeedCursor.beginning(), null);
    assertThat(message.dataJson()).isEqualTo("{\"s\":\"a\\\"b\\\\c\\nd\\u0001\"}");
  }
}
