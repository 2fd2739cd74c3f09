package io.quotient.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DrainTest {
  @Test
  void closing_refuses_new_requests_and_waits_for_those_in_flight() throws Exception {
    Drain drain = new Drain();
    assertThat(drain.enter()).isTrue();
    CountDownLatch closing = new CountDownLatch(1);
    CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(() -> {
      closing.countDown();
      try {
        return drain.close(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    closing.await();
    // The close waits for the request in flight; poll until it has begun refusing.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (drain.accepting() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(drain.accepting()).isFalse();
    assertThat(drain.enter()).isFalse();
    assertThat(closed).isNotDone();
    drain.exit();
    assertThat(closed.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void closing_gives_up_after_the_timeout() throws Exception {
    Drain drain = new Drain();
    drain.enter();
    assertThat(drain.close(Duration.ofMillis(1))).isFalse();
  }
}
