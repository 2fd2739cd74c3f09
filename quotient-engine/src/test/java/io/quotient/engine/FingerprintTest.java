package io.quotient.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.Item;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fingerprints tell apart every two requests whose parameters differ, however the strings are chosen. */
class FingerprintTest {
  private static ConsumeRequest request(List<Item> items, Map<String, String> metadata) {
    return new ConsumeRequest("s", items, "k", null, metadata);
  }

  @Test
  void metadata_that_spells_another_pair_inside_a_value_does_not_collide() {
    List<Item> items = List.of(new Item("ai", 1));
    String smuggled = Fingerprint.of(request(items, Map.of("a", "x|1:b=y")), null);
    String twoPairs = Fingerprint.of(request(items, Map.of("a", "x", "b", "y")), null);
    assertThat(smuggled).isNotEqualTo(twoPairs);
  }

  @Test
  void items_that_spell_metadata_or_other_items_do_not_collide() {
    assertThat(Fingerprint.of(request(List.of(new Item("a", 1), new Item("b", 2)), Map.of()), null))
        .isNotEqualTo(Fingerprint.of(request(List.of(new Item("a", 12)), Map.of()), null));
    assertThat(Fingerprint.of(request(List.of(new Item("a", 1)), Map.of("=2|b", "")), null))
        .isNotEqualTo(Fingerprint.of(request(List.of(new Item("a", 1)), Map.of("=2", "b")), null));
  }

  @Test
  void the_same_parameters_give_the_same_full_sha_256() {
    ConsumeRequest one = request(List.of(new Item("ai", 3)), Map.of("b", "2", "a", "1"));
    ConsumeRequest two = request(List.of(new Item("ai", 3)), Map.of("a", "1", "b", "2"));
    assertThat(Fingerprint.of(one, null)).isEqualTo(Fingerprint.of(two, null)).hasSize(64);
    assertThat(Fingerprint.of(one, Duration.ofSeconds(60))).isNotEqualTo(Fingerprint.of(one, null));
  }
}
