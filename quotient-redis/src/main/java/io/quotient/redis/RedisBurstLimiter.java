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
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
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
  private volatile RedisScriptingAsyncCommands<String, String> asyncCommands;
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
          asyncCommands = c.async();
          opened = c;
        } else {
          StatefulRedisConnection<String, String> c = ((RedisClient) client).connect();
          commands = c.sync();
          asyncCommands = c.async();
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
        // Prefetched scripts run by digest only: load them (a restarted Redis has forgotten them).
        commands.scriptLoad(Scripts.ACQUIRE);
        commands.scriptLoad(Scripts.GIVE_BACK);
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
   *
   * <p><b>Prefetch.</b> Before the batch is decided, every request's script is sent at once
   * (pipelined on the connection, one round trip for the batch instead of one per request), taking
   * tokens as if every request were otherwise granted, in order. Each {@link #acquire} then takes
   * the next result of its subject. A result whose request never acquired (denied for quota, say)
   * is met first and skipped: its tokens are given back at once, and that subject's later results
   * that said "limited" are no longer trusted (they saw fewer tokens than were really taken), so
   * those requests run their script again; results that said "granted" stay true, since the
   * requests that really took before them took no more than the prefetch assumed. Requests with
   * the same claims are interchangeable: the k-th of them to acquire gets the k-th result. Results
   * no request took are given back on commit or abandon.
   */
  private final class Shared implements Attempt {
    private final List<List<Claim>> taken = new ArrayList<>();
    private final Map<String, ArrayDeque<Prefetched>> prefetched = new HashMap<>();
    private final Set<String> distrusted = new HashSet<>();
    private Attempt local;

    private record Prefetched(List<Claim> claims, RedisFuture<Long> result) {}

    /** A prefetched script that did not run (Redis no longer knew it). */
    private static final long NOT_RUN = Long.MAX_VALUE;

    @Override
    public void prefetch(List<List<Claim>> requests, Instant now) {
      RedisScriptingAsyncCommands<String, String> async = asyncCommands;
      if (!up || async == null) {
        return;
      }
      try {
        for (List<Claim> claims : requests) {
          RedisFuture<Long> result = async.evalsha(acquireSha, ScriptOutputType.INTEGER, keys(claims), args(claims, now, true));
          prefetched.computeIfAbsent(claims.get(0).subject(), k -> new ArrayDeque<>()).add(new Prefetched(claims, result));
        }
      } catch (RedisException e) {
        down(e); // what was sent is met by acquire or returned; the rest is decided without a prefetch
      }
    }

    @Override
    public int acquire(List<Claim> claims, Instant now, boolean take) {
      if (claims.isEmpty()) {
        return -1;
      }
      if (up) {
        try {
          if (take) {
            Integer answer = fromPrefetch(claims, now);
            if (answer != null) {
              return answer;
            }
          }
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

    /** The prefetched answer for {@code claims}, or null when the script must run now. */
    private Integer fromPrefetch(List<Claim> claims, Instant now) {
      String subject = claims.get(0).subject();
      ArrayDeque<Prefetched> queue = prefetched.get(subject);
      while (queue != null && !queue.isEmpty()) {
        Prefetched next = queue.poll();
        long result = await(next);
        if (!next.claims().equals(claims)) {
          // Its request never acquired: what it took goes back before anything else is decided.
          if (result < 0) {
            run(giveBackSha, Scripts.GIVE_BACK, keys(next.claims()), args(next.claims(), now, false));
            distrusted.add(subject);
          }
          continue;
        }
        if (result < 0) {
          taken.add(next.claims());
          return -1;
        }
        return result == NOT_RUN || distrusted.contains(subject) ? null : (int) result;
      }
      return null;
    }

    /** A prefetched result: -1 (taken), the index of the claim short of tokens, or {@link #NOT_RUN}. */
    private long await(Prefetched prefetched) {
      try {
        return prefetched.result().get(commandTimeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RedisException("interrupted waiting for Redis", e);
      } catch (TimeoutException e) {
        throw new RedisException("Redis did not answer within " + commandTimeout, e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RedisNoScriptException) {
          return NOT_RUN; // took nothing; the request runs its script now
        }
        throw e.getCause() instanceof RedisException redis ? redis : new RedisException(e.getCause());
      }
    }

    /** Gives back what prefetched results took for requests that never acquired. */
    private void returnUnclaimed(Instant now) {
      List<RedisFuture<Long>> returns = new ArrayList<>();
      RedisScriptingAsyncCommands<String, String> async = asyncCommands;
      for (ArrayDeque<Prefetched> queue : prefetched.values()) {
        for (Prefetched left : queue) {
          if (await(left) < 0) {
            returns.add(async.evalsha(giveBackSha, ScriptOutputType.INTEGER, keys(left.claims()),
                args(left.claims(), now, false)));
          }
        }
      }
      prefetched.clear();
      for (RedisFuture<Long> pending : returns) {
        await(new Prefetched(List.of(), pending));
      }
    }

    @Override
    public void commit(Instant now) {
      taken.clear();
      try {
        if (!prefetched.isEmpty() && up) {
          returnUnclaimed(now);
        }
      } catch (RedisException e) {
        down(e); // they stay taken: stricter for a moment, never looser
      } finally {
        prefetched.clear();
        if (local != null) {
          local.commit(now);
        }
      }
    }

    @Override
    public void abandon(Instant now) {
      try {
        if (!prefetched.isEmpty() && up) {
          returnUnclaimed(now);
        }
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
        prefetched.clear();
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
    private Duration commandTimeout = Duration.ofSeconds(1);
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
     * that, requests go local until the probe hears Redis again). Default 1 second: far above a
     * healthy Redis's answer even on a loaded machine (250 ms sent requests to local buckets
     * there), short enough that an outage holds one batch back briefly.
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
