package io.quotient.redis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The Redis a test uses: the one {@code QUOTIENT_TEST_REDIS_URL} names; else the local server on
 * 127.0.0.1:6379 when it answers ({@code .ci/run} makes sure one does); else a {@code redis-server}
 * the test starts itself on a free port and stops on {@link #close()} (never the system's one).
 */
public final class TestRedis implements AutoCloseable {
  /** The environment variable naming a Redis for tests. */
  public static final String URL_VARIABLE = "QUOTIENT_TEST_REDIS_URL";

  /**
   * The command timeout of limiters in tests that are not about falling back: a loaded test
   * machine must not push them onto local buckets (that is {@code FallbackTest}'s subject).
   */
  public static final java.time.Duration PATIENT = java.time.Duration.ofSeconds(5);

  private final String url;
  private final RedisProcess own;

  private TestRedis(String url, RedisProcess own) {
    this.url = url;
    this.own = own;
  }

  /** Finds or starts the test Redis. */
  public static TestRedis open() {
    String named = System.getenv(URL_VARIABLE);
    if (named != null && !named.isBlank()) {
      return new TestRedis(named, null);
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", 6379), 500);
      return new TestRedis("redis://127.0.0.1:6379", null);
    } catch (IOException noLocalRedis) {
      RedisProcess own = RedisProcess.launch();
      return new TestRedis(own.url(), own);
    }
  }

  /** Its URL. */
  public String url() {
    return url;
  }

  /** Stops the redis-server this started, if it started one. */
  @Override
  public void close() {
    if (own != null) {
      own.close();
    }
  }
}
