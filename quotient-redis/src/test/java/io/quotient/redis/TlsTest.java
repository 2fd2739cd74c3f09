package io.quotient.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.plan.Rate;
import io.quotient.rate.BurstLimiter;
import io.quotient.rate.BurstLimiter.Claim;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code rediss://}: a redis-server this test starts with TLS only (a self-signed certificate made
 * with openssl), which the limiter reaches and shares buckets through.
 */
class TlsTest {
  @Test
  void a_rediss_url_shares_buckets_over_tls() throws Exception {
    Path dir = Files.createTempDirectory("quotient-redis-tls");
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
        "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(), "-days", "1",
        "-subj", "/CN=127.0.0.1").redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
    assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0).as("openssl made a certificate").isTrue();
    // The plain port given by RedisProcess is turned off; its port becomes the TLS port.
    try (RedisProcess redis = RedisProcess.launchTls(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        RedisBurstLimiter one = RedisBurstLimiter.builder(redis.tlsUrl()).commandTimeout(TestRedis.PATIENT).build();
        RedisBurstLimiter other = RedisBurstLimiter.builder(redis.tlsUrl()).commandTimeout(TestRedis.PATIENT).build()) {
      assertThat(one.shared()).isTrue();
      Instant now = Instant.parse("2026-08-01T00:00:00Z");
      Claim four = new Claim("tls-user", "m", new Rate(1, 5), 4);
      BurstLimiter.Attempt attempt = one.begin();
      assertThat(attempt.acquire(List.of(four), now, true)).isEqualTo(-1);
      attempt.commit(now);
      assertThat(other.begin().acquire(List.of(new Claim("tls-user", "m", new Rate(1, 5), 2)), now, false)).isEqualTo(0);
      assertThat(one.fallbackDecisions() + other.fallbackDecisions()).isZero();
    }
  }
}
