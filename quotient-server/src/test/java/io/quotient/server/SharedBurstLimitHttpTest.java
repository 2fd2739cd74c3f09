package io.quotient.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.plan.Rate;
import io.quotient.rate.BurstLimiter;
import io.quotient.redis.RedisBurstLimiter;
import io.quotient.redis.TestRedis;
import io.quotient.testing.MutableClock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code QUOTIENT_REDIS_URL} wires the shared burst limiter into the server: the tokens its consumes
 * take are the ones another instance sees in Redis, and {@code /metrics} says it is shared. Uses the
 * local Redis ({@link TestRedis}). The clock stands still.
 */
class SharedBurstLimitHttpTest {
  @Test
  void consumes_take_tokens_from_the_bucket_every_instance_shares() {
    MutableClock clock = MutableClock.at("2026-07-01T09:00:00Z");
    String subject = "http-" + UUID.randomUUID();
    try (TestRedis redis = TestRedis.open();
        TestServer server = TestServer.start(clock, c -> c.withRedisUrl(redis.url()));
        RedisBurstLimiter otherInstance = RedisBurstLimiter.builder(redis.url()).build()) {
      String service = server.createKey("service");
      assertThat(server.put("/v1/plans/rated", TestServer.ADMIN_KEY,
          "{\"limits\":{\"calls\":{\"limit\":1000,\"period\":\"month\",\"rate\":{\"perSecond\":1,\"burst\":5}}}}").status())
          .isEqualTo(200);
      assertThat(server.put("/v1/subjects/" + subject, TestServer.ADMIN_KEY, "{\"plan\":\"rated\"}").status()).isEqualTo(200);
      for (int i = 0; i < 3; i++) {
        TestServer.Response r = server.post("/v1/consume", service, "{\"subject\":\"" + subject + "\",\"metric\":\"calls\",\"amount\":1}");
        assertThat(r.json().get("allowed").asBoolean()).as(r.toString()).isTrue();
      }
      // Another instance sees the 2 tokens left in Redis, not a full bucket of its own.
      BurstLimiter.Claim three = new BurstLimiter.Claim(subject, "calls", new Rate(1, 5), 3);
      BurstLimiter.Claim two = new BurstLimiter.Claim(subject, "calls", new Rate(1, 5), 2);
      assertThat(otherInstance.begin().acquire(List.of(three), clock.instant(), false)).isEqualTo(0);
      assertThat(otherInstance.begin().acquire(List.of(two), clock.instant(), false)).isEqualTo(-1);
      System.gc(); // the meters must outlive a collection (Micrometer holds what they read weakly)
      String metrics = server.get("/metrics", null).body();
      assertThat(metrics).contains("quotient_redis_shared 1.0").contains("quotient_redis_fallback_decisions_total 0.0");
    }
  }
}
