package io.quotient.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The server's meters, in a Prometheus registry of its own. Thread-safe.
 *
 * <ul>
 *   <li>{@code quotient_http_requests_seconds{method,route,status}}: every request, by route
 *       template (never the raw path, so ids do not explode the series);
 *   <li>{@code quotient_decisions_total{operation,outcome}}: consume, check, batch and reserve
 *       decisions, by {@code allowed} or the denial reason;
 *   <li>{@code quotient_batch_requests}: the number of requests in each batch call;
 *   <li>{@code quotient_decision_seconds{operation}}: time from handing a request to the engine
 *       to its durable decision (the engine commits before it answers);
 *   <li>{@code quotient_writer_batch_requests} and {@code quotient_writer_commit_seconds}: the size
 *       of each batch the engine's write path decided and the time to its commit;
 *   <li>{@code quotient_alerts_total{type,level}}: the alert events this instance's monitor wrote
 *       ({@code alert.triggered} by the level of its highest threshold, {@code alert.resolved});
 *   <li>{@code quotient_stream_subscribers}: clients following {@code GET /v1/stream} on this
 *       instance now; {@code quotient_stream_closed_total{reason}}: streams ended, by why.
 * </ul>
 */
public final class ServerMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final DistributionSummary batchSizes;
  private final DistributionSummary writerBatchSizes;
  private final Timer writerCommits;
  private final java.util.concurrent.atomic.AtomicInteger streams = new java.util.concurrent.atomic.AtomicInteger();
  // Meters by their tags, looked up once: building and registering a meter on every request (a
  // Meter.Id with sorted tags, then the registry's own lookup) cost more than the recording.
  private final Map<RequestTags, Timer> requests = new ConcurrentHashMap<>();
  private final Map<DecisionTags, Counter> decisions = new ConcurrentHashMap<>();
  private final Map<String, Timer> decisionTimes = new ConcurrentHashMap<>();

  private record RequestTags(String method, String route, int status) {}

  private record DecisionTags(String operation, String outcome) {}

  public ServerMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    gc.bindTo(registry);
    batchSizes = DistributionSummary.builder("quotient.batch.requests")
        .description("requests in one POST /v1/consume/batch")
        .publishPercentileHistogram()
        .minimumExpectedValue(1.0)
        .maximumExpectedValue(4096.0)
        .register(registry);
    writerBatchSizes = DistributionSummary.builder("quotient.writer.batch.requests")
        .description("requests the engine decided in one transaction")
        .publishPercentileHistogram()
        .minimumExpectedValue(1.0)
        .maximumExpectedValue(65536.0)
        .register(registry);
    writerCommits = Timer.builder("quotient.writer.commit")
        .description("time from taking a batch off the queue to its commit")
        .publishPercentileHistogram()
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder("quotient.stream.subscribers", streams, java.util.concurrent.atomic.AtomicInteger::get)
        .description("clients following GET /v1/stream on this instance")
        .register(registry);
  }

  /** Records one event the monitor appended to the feed (alerts; other types are counted by type alone). */
  public void monitorEvent(io.quotient.event.NewEvent event) {
    String level = event.detail().getOrDefault("level", "");
    Counter.builder("quotient.alerts")
        .description("alert events written by this instance's monitor")
        .tag("type", event.type().wireName())
        .tag("level", level)
        .register(registry)
        .increment();
  }

  /** A client started following the stream. */
  public void streamOpened() {
    streams.incrementAndGet();
  }

  /** A client's stream ended: {@code reason} is {@code client}, {@code overflow}, {@code stopping} or {@code error}. */
  public void streamClosed(String reason) {
    streams.decrementAndGet();
    Counter.builder("quotient.stream.closed")
        .description("streams ended, by reason")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  /** Clients following the stream on this instance now. */
  public int streamSubscribers() {
    return streams.get();
  }

  /**
   * Publishes the shared burst limiter's state: {@code quotient_redis_shared} (1 while burst limits
   * are shared through Redis, 0 while this instance uses its own buckets) and
   * {@code quotient_redis_fallback_decisions_total} (requests decided on its own buckets because
   * Redis could not be reached).
   */
  public <T> void sharedBurstLimiter(T limiter, Predicate<T> shared, ToLongFunction<T> fallbacks) {
    // Micrometer holds the measured object weakly: it must be the limiter (which the server keeps),
    // never a lambda made here, which the next GC would collect (the meters would then read NaN).
    Gauge.builder("quotient.redis.shared", limiter, l -> shared.test(l) ? 1 : 0)
        .description("1 while burst limits are shared through Redis, 0 while this instance uses its own buckets")
        .register(registry);
    FunctionCounter.builder("quotient.redis.fallback.decisions", limiter, l -> (double) fallbacks.applyAsLong(l))
        .description("requests decided on this instance's own burst buckets because Redis could not be reached")
        .register(registry);
  }

  /** Records one batch committed by the engine's write path. */
  public void writerBatch(int size, Duration elapsed) {
    writerBatchSizes.record(size);
    writerCommits.record(elapsed);
  }

  /** Records one answered request. */
  public void request(String method, String route, int status, Duration took) {
    requests.computeIfAbsent(new RequestTags(method, route, status), t -> Timer.builder("quotient.http.requests")
            .description("HTTP requests by route template and status")
            .tag("method", t.method())
            .tag("route", t.route())
            .tag("status", Integer.toString(t.status()))
            .register(registry))
        .record(took);
  }

  /** Records one decision: {@code outcome} is {@code allowed} or a denial reason. */
  public void decision(String operation, String outcome) {
    decisions.computeIfAbsent(new DecisionTags(operation, outcome), t -> Counter.builder("quotient.decisions")
            .description("decisions by outcome")
            .tag("operation", t.operation())
            .tag("outcome", t.outcome())
            .register(registry))
        .increment();
  }

  /** Records the size of one batch call. */
  public void batch(int requests) {
    batchSizes.record(requests);
  }

  /** Records how long the engine took to decide (and durably commit). */
  public void decisionTime(String operation, Duration took) {
    decisionTimes.computeIfAbsent(operation, op -> Timer.builder("quotient.decision")
            .description("time until the engine's durable decision")
            .tag("operation", op)
            .publishPercentileHistogram()
            .register(registry))
        .record(took);
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }

  /**
   * Counts one webhook delivery attempt by outcome ({@code quotient_webhook_deliveries_total{outcome}}:
   * {@code delivered}, {@code retrying}, {@code gave_up}, {@code disabled}).
   */
  public void webhookDelivery(io.quotient.monitor.webhook.Outcome outcome) {
    Counter.builder("quotient.webhook.deliveries")
        .description("webhook delivery attempts made by this instance, by outcome")
        .tag("outcome", outcome.label())
        .register(registry)
        .increment();
  }

  /**
   * Exposes the webhook outbox, read from the database at each scrape (the same for every
   * instance): {@code quotient_webhook_outbox_depth} (messages not yet delivered nor given up) and
   * {@code quotient_webhook_outbox_oldest_seconds} (the age of the oldest). NaN while the database
   * cannot answer.
   */
  public void webhookOutbox(java.util.function.Supplier<io.quotient.monitor.webhook.Webhooks.Backlog> backlog) {
    io.micrometer.core.instrument.Gauge.builder("quotient.webhook.outbox.depth", () -> {
          try {
            return backlog.get().pending();
          } catch (RuntimeException e) {
            return Double.NaN; // the database is away: the gauge says "unknown", /health/ready says why
          }
        })
        .description("webhook messages not yet delivered nor given up")
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder("quotient.webhook.outbox.oldest", () -> {
          try {
            return backlog.get().oldest().toMillis() / 1000.0;
          } catch (RuntimeException e) {
            return Double.NaN;
          }
        })
        .description("age of the oldest webhook message not yet delivered")
        .baseUnit("seconds")
        .register(registry);
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
