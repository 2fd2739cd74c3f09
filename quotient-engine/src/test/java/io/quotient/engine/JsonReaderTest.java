package io.quotient.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quotient.decision.DenialReason;
import io.quotient.decision.ItemDecision;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link Json} writes, {@link JsonReader} reads back as it was; anything not JSON is refused. */
class JsonReaderTest {
  @Test
  void items_written_are_read_back_equal_with_counts_left_out_as_zero() {
    Instant start = Instant.parse("2026-11-01T00:00:00Z");
    Instant end = Instant.parse("2026-12-01T00:00:00Z");
    List<ItemDecision> items = List.of(
        ItemDecision.of("ai_generations", 3).limit(10L, 7L).usage(3, 0).window(start, end).split(3, 0, 0).build(),
        ItemDecision.of("projects", 1).limit(3L, 0L).usage(3, 1).bonusRemaining(2).window(start, null).split(0, 1, 0)
            .reason(DenialReason.QUOTA_EXCEEDED).build(),
        ItemDecision.of("seats", 5).usage(12, 0).window(start, end).split(0, 0, 5).build());
    assertThat(JsonReader.items(Events.items(items))).isEqualTo(items);
    assertThat(JsonReader.items("[]")).isEmpty();
    assertThat(JsonReader.items(" [ {\"metric\" : \"m\", \"amount\": 2, \"limit\": null, \"used\": null} ] "))
        .containsExactly(ItemDecision.of("m", 2).build());
  }

  @Test
  void instants_read_as_instant_parse_reads_them_and_what_it_refuses_is_refused() {
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 20_000; i++) {
      // Years 0000 to 9999, every precision Instant.toString writes (0, 3, 6 or 9 fraction digits).
      long second = Math.floorMod(random.nextLong(), 253_402_300_800L) - 62_167_219_200L;
      int nanos = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant instant = Instant.ofEpochSecond(second, nanos);
      assertThat(JsonReader.instant(instant.toString())).isEqualTo(instant);
    }
    // Every other shape is Instant.parse's to read or refuse (it reads 24:00 as the next midnight).
    for (String other : List.of("2026-11-01T00:00:00.5Z", "2026-11-01T00:00:00.1234Z", "+12026-11-01T00:00:00Z",
        "2024-02-29T23:59:59Z", "-0001-01-01T00:00:00Z", "2026-11-01T24:00:00Z", "2026-11-01T23:59:60Z", "2026-11-01T00:00:00.Z")) {
      assertThat(JsonReader.instant(other)).isEqualTo(Instant.parse(other));
    }
    for (String bad : List.of("2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-11-31T00:00:00Z",
        "2026-11-01T00:60:00Z", "2026-1x-01T00:00:00Z", "2026-11-01T00:00:00.1234567890Z",
        "2026-11-01 00:00:00Z", "2026-11-01T00:00:00")) {
      assertThatThrownBy(() -> Instant.parse(bad)).isInstanceOf(java.time.format.DateTimeParseException.class);
      assertThatThrownBy(() -> JsonReader.instant(bad)).isInstanceOf(java.time.format.DateTimeParseException.class);
    }
  }

  @Test
  void pairs_come_back_by_key_with_every_escape_undone() {
    Map<String, String> written = new LinkedHashMap<>();
    written.put("zeta", "last");
    written.put("quote\"and\\backslash", "tab\tnew\nline\rreturn");
    written.put("control", "\u0001\u001f and \u2028\u2029");
    written.put("unicode", "héllo ✓ 😀");
    written.put("alpha", "");
    Map<String, String> read = JsonReader.pairs(Json.object(written));
    assertThat(read).isEqualTo(written);
    assertThat(read.keySet()).containsExactly("alpha", "control", "quote\"and\\backslash", "unicode", "zeta");
    assertThat(JsonReader.pairs("{\"a\": null, \"b\": 12.5e3, \"c\": true, \"d\": {\"x\": [1, \"]\"]}, \"e\": \"\\/\\b\\f\\u00e9\"}"))
        .containsEntry("a", null)
        .containsEntry("b", "12.5e3")
        .containsEntry("c", "true")
        .containsEntry("d", "{\"x\": [1, \"]\"]}")
        .containsEntry("e", "/\b\fé");
    assertThat(JsonReader.pairs("{\"emoji\": \"\\ud83d\\ude00\"}")).containsEntry("emoji", "😀"); // a surrogate pair
    assertThat(JsonReader.pairs("{}")).isEmpty();
  }

  @Test
  void what_is_not_json_is_refused_as_a_corrupt_row() {
    for (String bad : List.of("", "{", "{\"a\":}", "{\"a\":1,}", "{\"a\":01}", "{\"a\":tru}", "{\"a\":\"x}", "{\"a\":\"\\q\"}",
        "{\"a\":\"\\u12\"}", "{} x", "[{\"amount\": 1}]", "[{\"metric\": \"m\", \"amount\": 1.5}]")) {
      assertThatThrownBy(() -> {
        if (bad.startsWith("[")) {
          JsonReader.items(bad);
        } else {
          JsonReader.pairs(bad);
        }
      }).as(bad).isInstanceOf(IllegalStateException.class).hasMessageContaining("corrupt event JSON");
    }
  }
}
