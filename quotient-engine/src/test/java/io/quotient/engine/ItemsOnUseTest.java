package io.quotient.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quotient.decision.ItemDecision;
import io.quotient.event.EventItem;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Items parsed on first use are the items written; a corrupt document fails where it is used. */
class ItemsOnUseTest {
  @Test
  void items_parsed_on_use_equal_the_items_written() {
    Instant start = Instant.parse("2026-11-01T00:00:00Z");
    List<ItemDecision> written = List.of(
        ItemDecision.of("ai", 3).limit(10L, 7L).usage(3, 0).window(start, start.plusSeconds(86_400)).split(3, 0, 0).build(),
        ItemDecision.of("seats", 5).usage(12, 0).window(start, null).split(0, 0, 5).build());
    List<EventItem> read = ItemsOnUse.of(Events.items(written));
    assertThat(read).isEqualTo(written.stream().map(Events::toEventItem).toList());
    assertThat(read.get(0).remaining()).isEqualTo(7L);
    assertThat(read).hasSize(2).isEqualTo(read); // parsed once, the same on every use
    assertThat(ItemsOnUse.of("[]")).isEmpty();
  }

  @Test
  void a_corrupt_document_is_refused_when_its_items_are_used() {
    List<EventItem> corrupt = ItemsOnUse.of("[{\"metric\": \"m\", \"amount\": 1.5}]");
    assertThatThrownBy(corrupt::size).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> corrupt.get(0)).isInstanceOf(IllegalStateException.class);
  }
}
