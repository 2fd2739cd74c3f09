package io.quotient.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The records read back what they write, the way a client's mapper does. */
class RoundTripTest {
  static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

  @Test
  void a_problem_keeps_its_extensions_beside_the_standard_members() throws Exception {
    Problem p = Problem.of(ProblemType.NOT_REFUNDABLE, "consume 7 has 1 unit left to refund", "amount")
        .with(Map.of("refundable", 1));
    String json = JSON.writeValueAsString(p);
    assertThat(JSON.readTree(json).get("refundable").asLong()).isEqualTo(1);
    assertThat(JSON.readTree(json).has("extensions")).isFalse();
    Problem back = JSON.readValue(json, Problem.class);
    assertThat(back.extensions()).containsEntry("refundable", 1);
    assertThat(back.problemType()).isEqualTo(ProblemType.NOT_REFUNDABLE);
    assertThat(back.field()).isEqualTo("amount");
  }

  @Test
  void a_problem_without_a_field_leaves_it_out() throws Exception {
    String json = JSON.writeValueAsString(Problem.of(ProblemType.UNAUTHORIZED, "no credential", null));
    assertThat(JSON.readTree(json).has("field")).isFalse();
  }

  @Test
  void batch_results_are_told_apart_by_their_members() throws Exception {
    Decision.Item item = new Decision.Item("exports", 1, 1L, 1, 0, 0L, 0, Instant.parse("2026-01-01T00:00:00Z"),
        null, 1, 0, 0, null);
    BatchResponse response = new BatchResponse(List.of(
        BatchResult.Decided.of(new Decision(true, null, "42", List.of(item)), false),
        new BatchResult.Failed(Problem.of(ProblemType.IDEMPOTENCY_KEY_MISMATCH, "reused", "requests[1].idempotencyKey"))));
    String json = JSON.writeValueAsString(response);
    assertThat(JSON.readTree(json).at("/results/0/reason").isNull()).isTrue();
    BatchResponse back = JSON.readValue(json, BatchResponse.class);
    assertThat(back).isEqualTo(response);
  }

  @Test
  void answers_write_null_members_and_requests_leave_them_out() throws Exception {
    String decision = JSON.writeValueAsString(new Decision(false, "metric_not_in_plan", "9", List.of()));
    assertThat(JSON.readTree(decision).has("reason")).isTrue();
    String check = JSON.writeValueAsString(new Decision(true, null, null, List.of()));
    assertThat(JSON.readTree(check).get("eventId").isNull()).isTrue();
    String request = JSON.writeValueAsString(ConsumeRequest.ofItems("u1", List.of(new ConsumeRequest.Item("a", 1))));
    assertThat(JSON.readTree(request).has("metric")).isFalse();
    assertThat(JSON.readTree(JSON.writeValueAsString(CommitRequest.everything())).size()).isZero();
  }

  @Test
  void every_problem_type_is_found_by_its_uri() {
    for (ProblemType type : ProblemType.values()) {
      assertThat(ProblemType.fromUri(type.uri())).isEqualTo(type);
      assertThat(type.uri()).startsWith("urn:quotient:problem:");
    }
    assertThat(ProblemType.fromUri("about:blank")).isNull();
  }
}
