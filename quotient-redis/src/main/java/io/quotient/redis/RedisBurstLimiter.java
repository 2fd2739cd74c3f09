package io.quotient.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisScriptingCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.quotient.rate.BurstLimiter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Burst-rate token buckets in Redis, shared by every engine instance that names the same Redis: a
 * subject's burst limit holds across instances, not per instance.
 *
 * <p><b>Taking tokens.</b> Each request that is otherwise granted runs one Lua script (atomic in
 * Redis) that refills the request's buckets and takes every item's tokens or none. Tokens are taken
 * at once, because other instances take from the same buckets meanwhile; the tokens of a batch
 * attempt that does not commit are {@linkplain Attempt#abandon given back} (if Redis cannot be
 * reached then, they stay taken: the limit is stricter for a moment, never looser). A subject's
 * buckets are {@code quotient:rate:{subject}:metric}: the hash tag puts them in one slot of a
 * Redis Cluster, so a request's script runs on one node. Time is the engines' clocks (in
 * microseconds), never running backwards for a bucket.
 *
 * <p><b>When Redis cannot be reached</b> (not connected, a command failing or timing out), the
 * instance falls back to its own in-process buckets: each instance then enforces the rate on its own
 * traffic, as without Redis. Every decision taken so is counted ({@link #fallbackDecisions()});
 * a warning is logged at most once a minute while it lasts. A background probe pings Redis every
 * {@linkplain Builder#retryInterval retry interval}; once it answers, requests go to Redis again
 * (its buckets are as the last shared decisions left them). Writers never wait for a connection:
 * only a command to a Redis that stopped answering waits, at most the command timeout, once per
 * outage.
 *
 * <p>Thread-safe; share one per process and close it after the engine.
 */
public final class RedisBurstLimiter implements BurstLimiter, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisBurstLimiter.class);
  private static final String PREFIX = "quotient:rate:{";
  private static final Duration LOG_EVERY = Duration.ofMinutes(1);

  private final RedisAddress address;
  private final String redacted;
  private final Clock clock;
  private final Duration commandTimeout;
  private final BurstLimiter fallback;
  private final ClientResources resources;
  private final AbstractRedisClient client;
  private final ScheduledExecutorService probe;
  private final String acquireSha = sha1(Scripts.ACQUIRE);
  private final String giveBackSha = sha1(Scripts.GIVE_BACK);
  private final AtomicLong fallbackDecisions = new AtomicLong();
  private final AtomicLong unloggedFallbacks = new AtomicLong();

  private volatile StatefulConnection<String, String> connection;
  private volatile RedisScriptingCommands<String, String> commands;
  private volatile boolean up;
  private volatile RuntimeException lastFailure;
  private long nextLogMillis; // guarded by this

  private RedisBurstLimiter(Builder builder) {
    this.address = RedisAddress.parse(builder.url);
    this.redacted = RedisAddress.redact(builder.url);
    this.clock = builder.clock;
    this.commandTimeout = builder.commandTimeout;
    this.fallback = builder.fallback;
    this.resources =
        ClientResources.builder()
            .reconnectDelay(Delay.constant(builder.retryInterval))
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            .build();
    SocketOptions socket = SocketOptions.builder().connectTimeout(builder.connectTimeout).keepAlive(true).build();
    TimeoutOptions timeouts = TimeoutOptions.enabled(commandTimeout);
    if (address.cluster()) {
      RedisClusterClient cluster = RedisClusterClient.create(resources, address.nodes());
      cluster.setOptions(
          ClusterClientOptions.builder()
              .autoReconnect(true)
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .socketOptions(socket)
              .timeoutOptions(timeouts)
              .topologyRefreshOptions(
                  ClusterTopologyRefreshOptions.builder()
                      .enablePeriodicRefresh(Duration.ofSeconds(10))
                      .enableAllAdaptiveRefreshTriggers()
                      .build())
              .build());
      this.client = cluster;
    } else {
      RedisClient single = RedisClient.create(resources, address.nodes().get(0));
      single.setOptions(
          ClientOptions.builder()
              .autoReconnect(true)
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .socketOptions(socket)
              .timeoutOptions(timeouts)
              .build());
      this.client = single;
    }
    this.probe =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> Thread.ofPlatform().name("quotient-redis-probe").daemon(true).unstarted(runnable));
    probe(); // connect now if Redis answers, so the first requests are shared
    long millis = builder.retryInterval.toMillis();
    probe.scheduleWithFixedDelay(this::probe, millis, millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts building a limiter on the Redis at {@code url}: {@code redis://[user:password@]host[:port][/db]},
   * {@code rediss://…} for TLS, or {@code redis-cluster://host:port[,host:port…]} ({@code
   * rediss-cluster://} with TLS) for a Redis Cluster, whose hosts are seeds of its topology.
   *
   * @throws IllegalArgumentException when {@code url} is not one of those (on {@link Builder#build()})
   */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  @Override
  public Attempt begin() {
    return new Shared();
  }

  /** True while burst limits are shared through Redis; false while this instance uses its own buckets. */
  public boolean shared() {
    return up;
  }

  /** Requests decided on this instance's own buckets because Redis could not be reached, since start. */
  public long fallbackDecisions() {
    return fallbackDecisions.get();
  }

  /** Stops the probe and closes the connection. Attempts still open fall back to local buckets. */
  @Override
  public void close() {
    probe.shutdownNow();
    up = false;
    StatefulConnection<String, String> open = connection;
    if (open != null) {
      open.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  /** Connects if need be, and marks Redis usable once a PING answers. Runs on the probe thread. */
  private void probe() {
    try {
      if (connection == null) {
        StatefulConnection<String, String> opened;
        if (client instanceof RedisClusterClient cluster) {
          StatefulRedisClusterConnection<String, String> c = cluster.connect();
          commands = c.sync();
          opened = c;
        } else {
          StatefulRedisConnection<String, String> c = ((RedisClient) client).connect();
          commands = c.sync();
          opened = c;
        }
        connection = opened;
      }
      if (!up) {
        if (connection instanceof StatefulRedisClusterConnection<String, String> c) {
          c.sync().ping();
        } else {
          ((StatefulRedisConnection<String, String>) connection).sync().ping();
        }
        up = true;
        if (lastFailure != null) {
          log.info("Redis at {} answers again: burst limits are shared again", redacted);
        } else {
          log.info("burst limits are shared through Redis at {}", redacted);
        }
      }
    } catch (RuntimeException e) {
      down(e);
    }
  }

  private void down(RuntimeException e) {
    boolean wasUp = up;
    up = false;
    lastFailure = e;
    if (wasUp) {
      log.warn("Redis at {} cannot be reached ({}): each instance enforces burst limits on its own traffic until it answers",
          redacted, e.toString());
    }
  }

  /** Counts a decision taken on local buckets, and logs at most once a minute while that lasts. */
  private void fellBack() {
    fallbackDecisions.incrementAndGet();
    unloggedFallbacks.incrementAndGet();
    long now = clock.millis();
    synchronized (this) {
      if (now < nextLogMillis) {
        return;
      }
      nextLogMillis = now + LOG_EVERY.toMillis();
    }
    RuntimeException cause = lastFailure;
    log.warn("Redis at {} cannot be reached{}: {} requests decided on this instance's own burst buckets since the last report",
        redacted, cause == null ? "" : " (" + cause + ")", unloggedFallbacks.getAndSet(0));
  }

  private Long run(String sha, String script, String[] keys, String[] args) {
    RedisScriptingCommands<String, String> redis = commands;
    try {
      return redis.evalsha(sha, ScriptOutputType.INTEGER, keys, args);
    } catch (RedisNoScriptException e) {
      return redis.eval(script, ScriptOutputType.INTEGER, keys, args); // loads it on that node
    }
  }

  private static String[] keys(List<Claim> claims) {
    String subject = claims.get(0).subject();
    String[] keys = new String[claims.size()];
    for (int i = 0; i < keys.length; i++) {
      Claim claim = claims.get(i);
      if (!claim.subject().equals(subject)) {
        throw new IllegalArgumentException("one acquire names one subject: " + subject + ", " + claim.subject());
      }
      // Metric names have no '}', so the key reads back unambiguously whatever the subject holds.
      keys[i] = PREFIX + subject + "}:" + claim.metric();
    }
    return keys;
  }

  private static String[] args(List<Claim> claims, Instant now, boolean take) {
    String[] args = new String[2 + 3 * claims.size()];
    args[0] = Long.toString(Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1000));
    args[1] = take ? "1" : "0";
    for (int i = 0; i < claims.size(); i++) {
      Claim claim = claims.get(i);
      args[2 + 3 * i] = Long.toString(claim.rate().perSecond());
      args[3 + 3 * i] = Long.toString(claim.rate().burst());
      args[4 + 3 * i] = Long.toString(claim.amount());
    }
    return args;
  }

  private static String sha1(String script) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-1", e);
    }
  }

  /**
   * One batch attempt: tokens taken in Redis at once (remembered to give back on abandon), or, while
   * Redis cannot be reached, through an attempt on the fallback buckets.
   */
  private final class Shared implements Attempt {
    private final List<List<Claim>> taken = new ArrayList<>();
    private Attempt local;

    @Override
    public int acquire(List<Claim> claims, Instant now, boolean take) {
      if (claims.isEmpty()) {
        return -1;
      }
      if (up) {
        try {
          long limited = run(acquireSha, Scripts.ACQUIRE, keys(claims), args(claims, now, take));
          if (limited < 0 && take) {
            taken.add(List.copyOf(claims));
          }
          return (int) limited;
        } catch (RedisException e) {
          down(e);
        }
      }
      fellBack();
      if (local == null) {
        local = fallback.begin();
      }
      return local.acquire(claims, now, take);
    }

    @Override
    public void commit(Instant now) {
      taken.clear();
      if (local != null) {
        local.commit(now);
      }
    }

    @Override
    public void abandon(Instant now) {
      try {
        for (List<Claim> claims : taken) {
          if (!up) {
            break; // they stay taken: stricter for a moment, never looser
          }
          run(giveBackSha, Scripts.GIVE_BACK, keys(claims), args(claims, now, false));
        }
      } catch (RedisException e) {
        down(e);
      } finally {
        taken.clear();
        if (local != null) {
          local.abandon(now);
        }
      }
    }
  }

  /** Builds a {@link RedisBurstLimiter}. Not thread-safe. */
  public static final class Builder {
    private final String url;
    private Clock clock = Clock.systemUTC();
    private Duration commandTimeout = Duration.ofMillis(250);
    private Duration connectTimeout = Duration.ofSeconds(1);
    private Duration retryInterval = Duration.ofSeconds(1);
    private BurstLimiter fallback = BurstLimiter.inProcess();

    private Builder(String url) {
      this.url = Objects.requireNonNull(url, "url");
    }

    /** The clock the once-a-minute fallback report is timed with. Default: the system's UTC clock. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * How long a writer waits for Redis before it decides on local buckets (once per outage: after
     * that, requests go local until the probe hears Redis again). Default 250 ms.
     */
    public Builder commandTimeout(Duration value) {
      this.commandTimeout = positive(value, "commandTimeout");
      return this;
    }

    /** How long a connection attempt may take. Default 1 second. */
    public Builder connectTimeout(Duration value) {
      this.connectTimeout = positive(value, "connectTimeout");
      return this;
    }

    /** How often an unreachable Redis is tried again. Default 1 second. */
    public Builder retryInterval(Duration value) {
      this.retryInterval = positive(value, "retryInterval");
      return this;
    }

    /** The buckets used while Redis cannot be reached. Default {@link BurstLimiter#inProcess()}. */
    public Builder fallback(BurstLimiter value) {
      this.fallback = Objects.requireNonNull(value, "fallback");
      return this;
    }

    /**
     * Parses the URL and starts the limiter: it connects now if Redis answers, else it starts on
     * local buckets and keeps trying.
     *
     * @throws IllegalArgumentException when the URL is not a Redis URL this limiter takes
     */
    public RedisBurstLimiter build() {
      return new RedisBurstLimiter(this);
    }

    private static Duration positive(Duration value, String name) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }
  }
}
