package io.quotient.monitor.webhook;

import io.quotient.StorageException;
import io.quotient.engine.Quotient;
import io.quotient.event.EventType;
import io.quotient.event.NewEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox's messages.
 *
 * <p><b>One worker per endpoint at a time, in order.</b> A worker claims an endpoint whose oldest
 * pending message is due: {@code SELECT … FOR UPDATE SKIP LOCKED} in a one-statement transaction
 * that writes a lease (owner, until) on the endpoint row. It then sends the endpoint's messages
 * oldest first, renewing the lease before each, and stops at the first failure (the message is
 * retried later and nothing behind it overtakes it) or when none is due, then gives the lease up.
 * The lease, rather than a row lock held through the HTTP call, keeps transactions short: a
 * transaction holding a lock holds the feed's horizon back for everyone.
 *
 * <p><b>At least once.</b> An outcome is written after the answer. A worker killed in between
 * leaves the message pending and its lease running out (timeout + 5 s); whoever claims the
 * endpoint next sends it again with the same {@code webhook-id}, which receivers use to drop the
 * repeat. Several instances never both hold an endpoint, so each message is sent once in normal
 * operation.
 *
 * <p><b>Failures.</b> A non-2xx answer, a timeout, a refused address or a connection error is a
 * failed attempt: tried again after {@link Schedule}'s delay (honouring {@code Retry-After}), and
 * given up after the last; {@code 410 Gone} disables the endpoint at once, and so does a failure
 * when the endpoint has failed without a success for {@link #FAILING_LIMIT}; a disabled endpoint
 * gets a {@code webhook.disabled} event in the feed (in the transaction that disables it) and its
 * pending messages are marked failed. Thread-safe.
 */
final class Deliverer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Deliverer.class);
  static final Duration FAILING_LIMIT = Duration.ofDays(3);
  /** Messages one claim sends at most before giving the endpoint back (fairness among endpoints). */
  private static final int PER_CLAIM = 100;
  private static final int MAX_ERROR = 500;
  private static final Duration GRACE = Duration.ofSeconds(1);

  private final Quotient engine;
  private final DataSource dataSource;
  private final Clock clock;
  private final Webhooks.Settings settings;
  private final Consumer<Outcome> onOutcome;
  private final HttpClient http;
  private final Duration lease;
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean closed;

  Deliverer(Quotient engine, DataSource dataSource, Clock clock, Webhooks.Settings settings, Consumer<Outcome> onOutcome) {
    this.engine = engine;
    this.dataSource = dataSource;
    this.clock = clock;
    this.settings = settings;
    this.onOutcome = onOutcome;
    this.lease = settings.timeout().plusSeconds(5);
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.timeout())
            // A redirect could lead anywhere, a private address included: a 3xx is a failure.
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(command -> Thread.ofVirtual().start(command))
            .build();
  }

  synchronized void start() {
    for (int i = 0; i < settings.workers(); i++) {
      Thread worker = Thread.ofVirtual().name("quotient-webhooks-" + i).unstarted(this::run);
      workers.add(worker);
      worker.start();
    }
  }

  void wake() {
    for (Thread worker : workers) {
      LockSupport.unpark(worker);
    }
  }

  /**
   * Stops the workers: each finishes the attempt it is in for up to a second, then is interrupted;
   * an interrupted attempt is not recorded (its message stays pending and its endpoint is given
   * back), so a stop never waits out a slow receiver and the next claimant sends it again.
   */
  @Override
  public void close() {
    closed = true;
    wake();
    try {
      for (Thread worker : workers) {
        if (!worker.join(GRACE)) {
          worker.interrupt();
        }
      }
      for (Thread worker : workers) {
        worker.join(GRACE);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    http.close();
  }

  private void run() {
    while (!closed) {
      int attempts;
      try {
        attempts = claimAndSend();
      } catch (RuntimeException e) {
        // No caller to throw to: the database is away or a bug shows; the outbox keeps everything.
        log.warn("webhook delivery failed; trying again in 1 s", e);
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
        continue;
      }
      if (attempts < 0 && !closed) {
        LockSupport.parkNanos(settings.pollInterval().toNanos());
      }
    }
  }

  int deliverDue() {
    int total = 0;
    int attempts;
    while ((attempts = claimAndSend()) >= 0) {
      total += attempts;
    }
    return total;
  }

  /** Claims one endpoint and sends what is due to it; the attempts made, -1 when none was due. */
  private int claimAndSend() {
    String owner = UUID.randomUUID().toString();
    Endpoint endpoint = claim(owner);
    if (endpoint == null) {
      return -1;
    }
    int attempts = 0;
    try {
      while (attempts < PER_CLAIM && !closed) {
        Pending head = head(endpoint.id());
        if (head == null || head.nextAttemptAt().isAfter(clock.instant()) || !renew(endpoint.id(), owner)) {
          break;
        }
        attempts++;
        if (!send(endpoint, head)) {
          break;
        }
      }
    } finally {
      release(endpoint.id(), owner);
    }
    return attempts;
  }

  private record Endpoint(String id, URI url, List<String> secrets, Instant failingSince) {}

  private record Pending(long id, String messageId, String payload, int attempts, Instant nextAttemptAt) {}

  private Endpoint claim(String owner) {
    Instant now = clock.instant();
    return sql(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE monitor_webhooks w SET lease_owner = ?, lease_until = ? WHERE w.id = ("
                  + " SELECT x.id FROM monitor_webhooks x WHERE x.state = 'enabled' AND (x.lease_until IS NULL OR x.lease_until <= ?)"
                  + " AND (SELECT o.next_attempt_at FROM monitor_webhook_outbox o WHERE o.webhook_id = x.id AND o.state = 'pending'"
                  + " ORDER BY o.id LIMIT 1) <= ? LIMIT 1 FOR UPDATE OF x SKIP LOCKED)"
                  + " RETURNING w.id, w.url, w.secret, w.previous_secret, w.previous_secret_expires_at, w.failing_since")) {
        ps.setString(1, owner);
        ps.setObject(2, Webhooks.time(now.plus(lease)));
        ps.setObject(3, Webhooks.time(now));
        ps.setObject(4, Webhooks.time(now));
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return null;
          }
          List<String> secrets = new ArrayList<>(List.of(rs.getString(3)));
          Instant previousUntil = Webhooks.instant(rs.getTimestamp(5));
          if (rs.getString(4) != null && previousUntil != null && previousUntil.isAfter(now)) {
            secrets.add(rs.getString(4));
          }
          return new Endpoint(rs.getString(1), URI.create(rs.getString(2)), secrets, Webhooks.instant(rs.getTimestamp(6)));
        }
      }
    });
  }

  private Pending head(String webhook) {
    return sql(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id, message_id, payload, attempts, next_attempt_at FROM monitor_webhook_outbox"
                  + " WHERE webhook_id = ? AND state = 'pending' ORDER BY id LIMIT 1")) {
        ps.setString(1, webhook);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next()
              ? new Pending(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), Webhooks.instant(rs.getTimestamp(5)))
              : null;
        }
      }
    });
  }

  private boolean renew(String webhook, String owner) {
    return sql(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE monitor_webhooks SET lease_until = ? WHERE id = ? AND lease_owner = ?")) {
        ps.setObject(1, Webhooks.time(clock.instant().plus(lease)));
        ps.setString(2, webhook);
        ps.setString(3, owner);
        return ps.executeUpdate() == 1;
      }
    });
  }

  private void release(String webhook, String owner) {
    sql(c -> {
      try (PreparedStatement ps =
          c.prepareStatement("UPDATE monitor_webhooks SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?")) {
        ps.setString(1, webhook);
        ps.setString(2, owner);
        return ps.executeUpdate();
      }
    });
  }

  /** One attempt and its outcome, written; true when delivered. */
  private boolean send(Endpoint endpoint, Pending message) {
    Instant at = clock.instant();
    Integer status = null;
    String error = null;
    Duration retryAfter = null;
    String refusal = settings.allowPrivate() ? null : Destination.refusal(endpoint.url());
    if (refusal != null) {
      error = "refused: " + refusal;
    } else {
      long timestamp = at.getEpochSecond();
      HttpRequest request =
          HttpRequest.newBuilder(endpoint.url())
              .timeout(settings.timeout())
              .header("Content-Type", "application/json")
              .header("User-Agent", "Quotient-Webhooks/1")
              .header("webhook-id", message.messageId())
              .header("webhook-timestamp", Long.toString(timestamp))
              .header("webhook-signature", Signature.header(endpoint.secrets(), message.messageId(), timestamp, message.payload()))
              .POST(HttpRequest.BodyPublishers.ofString(message.payload()))
              .build();
      try {
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        status = response.statusCode();
        if (status < 200 || status > 299) {
          error = "answered " + status;
          retryAfter = response.headers().firstValue("Retry-After").map(value -> retryAfter(value, at)).orElse(null);
        }
      } catch (HttpTimeoutException e) {
        error = "no answer within " + settings.timeout().toMillis() + " ms";
      } catch (IOException e) {
        error = "could not connect: " + e;
      } catch (InterruptedException e) {
        if (closed) {
          return false; // stopping: not an attempt; the message stays pending for the next claimant
        }
        Thread.currentThread().interrupt();
        error = "interrupted";
      }
    }
    Outcome outcome = record(endpoint, message, at, status, error, retryAfter);
    onOutcome.accept(outcome);
    return outcome == Outcome.DELIVERED;
  }

  private Outcome record(Endpoint endpoint, Pending message, Instant at, Integer status, String error, Duration retryAfter) {
    int attempt = message.attempts() + 1;
    boolean gone = status != null && status == 410;
    boolean failing = error != null && endpoint.failingSince() != null && !at.isBefore(endpoint.failingSince().plus(FAILING_LIMIT));
    Duration delay = error == null ? null : Schedule.after(attempt, retryAfter);
    Outcome outcome =
        error == null ? Outcome.DELIVERED : gone || failing ? Outcome.DISABLED : delay == null ? Outcome.GAVE_UP : Outcome.RETRYING;
    boolean appended = inTransaction(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE monitor_webhook_outbox SET state = ?, attempts = ?, last_attempt_at = ?, last_status = ?, last_error = ?,"
                  + " delivered_at = ?, next_attempt_at = ? WHERE id = ? AND state = 'pending'")) {
        ps.setString(1, switch (outcome) {
          case DELIVERED -> "delivered";
          case RETRYING -> "pending";
          case GAVE_UP, DISABLED -> "failed";
        });
        ps.setInt(2, attempt);
        ps.setObject(3, Webhooks.time(at));
        ps.setObject(4, status);
        ps.setString(5, error == null ? null : clip(error));
        ps.setObject(6, error == null ? Webhooks.time(at) : null);
        ps.setObject(7, Webhooks.time(delay == null ? at : at.plus(delay)));
        ps.setLong(8, message.id());
        ps.executeUpdate();
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              error == null
                  ? "UPDATE monitor_webhooks SET failing_since = NULL WHERE id = ?"
                  : "UPDATE monitor_webhooks SET failing_since = coalesce(failing_since, ?) WHERE id = ?")) {
        if (error == null) {
          ps.setString(1, endpoint.id());
        } else {
          ps.setObject(1, Webhooks.time(at));
          ps.setString(2, endpoint.id());
        }
        ps.executeUpdate();
      }
      return outcome == Outcome.DISABLED && disable(c, endpoint.id(), gone ? "gone" : "failing", at, status, error);
    });
    if (appended) {
      engine.feedChanged();
    }
    return outcome;
  }

  /** Disables the endpoint (once) and adds {@code webhook.disabled} to the feed in the same transaction. */
  private boolean disable(Connection c, String webhook, String reason, Instant at, Integer status, String error) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE monitor_webhooks SET state = 'disabled', disabled_reason = ?, disabled_at = ?, lease_owner = NULL, lease_until = NULL"
                + " WHERE id = ? AND state = 'enabled'")) {
      ps.setString(1, reason);
      ps.setObject(2, Webhooks.time(at));
      ps.setString(3, webhook);
      if (ps.executeUpdate() == 0) {
        return false;
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE monitor_webhook_outbox SET state = 'failed', last_error = coalesce(last_error, 'the endpoint was disabled')"
                + " WHERE webhook_id = ? AND state = 'pending'")) {
      ps.setString(1, webhook);
      ps.executeUpdate();
    }
    Map<String, String> detail = new LinkedHashMap<>();
    detail.put("webhook", webhook);
    detail.put("reason", reason);
    if (status != null) {
      detail.put("status", Integer.toString(status));
    }
    detail.put("error", clip(error));
    engine.append(c, new NewEvent(EventType.WEBHOOK_DISABLED, at, null, detail));
    log.warn("webhook {} disabled ({}): {}", webhook, reason, error);
    return true;
  }

  /** {@code Retry-After} as delay-seconds or an HTTP date; null when it is neither. */
  static Duration retryAfter(String value, Instant now) {
    String text = value.strip();
    try {
      long seconds = Long.parseLong(text);
      return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, Duration.ofDays(1).toSeconds()));
    } catch (NumberFormatException e) {
      // not delay-seconds: an HTTP date, or a decimal some services send (Discord)
    }
    try {
      double seconds = Double.parseDouble(text);
      return seconds < 0 || Double.isNaN(seconds) ? null : Duration.ofMillis((long) Math.ceil(Math.min(seconds, 86_400) * 1000));
    } catch (NumberFormatException e) {
      // an HTTP date
    }
    try {
      Duration until = Duration.between(now, ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
      return until.isNegative() ? Duration.ZERO : until;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String clip(String error) {
    return error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR);
  }

  private <T> T sql(Webhooks.Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new StorageException("webhooks: " + e.getMessage(), e);
    }
  }

  private <T> T inTransaction(Webhooks.Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StorageException("webhooks: " + e.getMessage(), e);
    }
  }
}
