package io.quotient.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.quotient.decision.IdempotencyInFlight;
import io.quotient.decision.IdempotencyMismatch;
import io.quotient.server.problem.ProblemException;
import io.quotient.api.ProblemType;
import org.junit.jupiter.api.Test;

/**
 * The engine's idempotency outcomes as answers. The 409 cannot be provoked deterministically over
 * HTTP (it needs a second request while the first is inside the engine), so its mapping is pinned
 * here and the HTTP test checks that concurrent retries never double-charge.
 */
class OutcomeMappingTest {
  @Test
  void in_flight_is_a_409_naming_the_header() {
    ProblemException e = catchThrowableOfType(ProblemException.class, () -> Outcomes.decided(new IdempotencyInFlight("k1")));
    assertThat(e.type()).isEqualTo(ProblemType.IDEMPOTENCY_KEY_IN_FLIGHT);
    assertThat(e.problem().status()).isEqualTo(409);
    assertThat(e.field()).isEqualTo("Idempotency-Key");
  }

  @Test
  void mismatch_is_a_422_naming_the_header() {
    ProblemException e = catchThrowableOfType(ProblemException.class, () -> Outcomes.decided(new IdempotencyMismatch("k1")));
    assertThat(e.type()).isEqualTo(ProblemType.IDEMPOTENCY_KEY_MISMATCH);
    assertThat(e.problem().status()).isEqualTo(422);
    assertThat(e.field()).isEqualTo("Idempotency-Key");
  }

  @Test
  void json_media_types_are_recognised() {
    assertThat(Exchange.isJson("application/json")).isTrue();
    assertThat(Exchange.isJson("application/json; charset=utf-8")).isTrue();
    assertThat(Exchange.isJson("application/merge-patch+json")).isTrue();
    assertThat(Exchange.isJson("text/plain")).isFalse();
    assertThat(Exchange.isJson(null)).isFalse();
  }
}
