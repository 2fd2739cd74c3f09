package io.quotient.monitor.webhook;

import io.quotient.InvalidArgumentException;
import io.quotient.NotFoundException;
import io.quotient.StorageException;
import io.quotient.engine.Quotient;
import io.quotient.feed.FeedCursor;
import io.quotient.monitor.message.Message;
import io.quotient.monitor.message.Messages;
import io.quotient.monitor.projection.Projection;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Webhook endpoints and their deliveries: create, list, delete, rotate secrets, send a test; the
 * {@linkplain #projection() projection} that fills the outbox from the feed; and the delivery
 * workers ({@link #start}). See {@link Deliverer} for how messages leave.
 *
 * <p>Build it before the {@link io.quotient.monitor.Monitor} (which runs its projection and
 * migrates its tables), start it after. Thread-safe.
 */
public final class Webhooks implements AutoCloseable {
  /** The projection's name (its cursor row in {@code monitor_projections}). */
  public static final String PROJECTION = "webhooks";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final DataSource dataSource;
  private final Clock clock;
  private final Settings settings;
  private final Deliverer deliverer;

  /**
   * The settings.
   *
   * @param allowPrivate whether URLs may name or resolve to loopback, private and link-local
   *     addresses ({@code QUOTIENT_WEBHOOKS_ALLOW_PRIVATE}); false in production
   * @param workers delivery threads of this instance (each holds one endpoint at a time); 0 to
   *     deliver only through {@link #deliverDue()}
   * @param pollInterval how often an idle worker looks for due messages
   * @param timeout the bound of one HTTP attempt, connection included
   * @param secretOverlap how long the previous secret keeps signing after a rotation
   */
  public record Settings(boolean allowPrivate, int workers, Duration pollInterval, Duration timeout, Duration secretOverlap) {
    public Settings {
      InvalidArgumentException.require(workers >= 0 && workers <= 64, "workers", "must be between 0 and 64");
      InvalidArgumentException.require(pollInterval != null && pollInterval.toMillis() > 0, "pollInterval", "must be at least 1 ms");
      InvalidArgumentException.require(timeout != null && timeout.toMillis() > 0, "timeout", "must be at least 1 ms");
      InvalidArgumentException.require(secretOverlap != null && !secretOverlap.isNegative(), "secretOverlap", "must not be negative");
    }

    /** Two workers, a poll every 500 ms, a 10 s timeout, a previous secret valid 24 h; private addresses refused. */
    public static Settings defaults() {
      return new Settings(false, 2, Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofHours(24));
    }

    /** The same with private addresses allowed or not. */
    public Settings withAllowPrivate(boolean value) {
      return new Settings(value, workers, pollInterval, timeout, secretOverlap);
    }

    /** The same with another number of workers and poll interval. */
    public Settings withWorkers(int count, Duration poll) {
      return new Settings(allowPrivate, count, poll, timeout, secretOverlap);
    }

    /** The same with another timeout. */
    public Settings withTimeout(Duration value) {
      return new Settings(allowPrivate, workers, pollInterval, value, secretOverlap);
    }
  }

  /**
   * A new endpoint or a rotated secret: the only answers that carry the secret.
   *
   * @param webhook the endpoint
   * @param secret its (new) secret, {@code whsec_…}
   */
  public record Issued(Webhook webhook, String secret) {}

  /**
   * What waits in the outbox.
   *
   * @param pending messages not yet delivered (nor given up) to enabled endpoints
   * @param oldest the age of the oldest of them; zero when none
   */
  public record Backlog(long pending, Duration oldest) {}

  /**
   * Webhooks on the engine's database.
   *
   * @param onOutcome told about every delivery attempt's outcome (metrics); must be cheap
   */
  public Webhooks(Quotient engine, DataSource dataSource, Clock clock, Settings settings, Consumer<Outcome> onOutcome) {
    Objects.requireNonNull(engine, "engine");
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.deliverer = new Deliverer(engine, dataSource, clock, settings, Objects.requireNonNull(onOutcome, "onOutcome"));
  }

  /**
   * The projection that writes one outbox row per enabled endpoint × message of a type it
   * subscribes to, with the projection's cursor. It starts at the feed's head when first run.
   */
  public Projection projection() {
    return new Projection(PROJECTION, Projection.Start.NOW, new Outbox());
  }

  /** Starts the delivery workers (the tables must exist: start the monitor first). */
  public void start() {
    deliverer.start();
  }

  /**
   * Delivers, on this thread, every message due now, endpoint after endpoint, until none is
   * (retries are due later); returns the number of attempts made. The workers do the same.
   */
  public int deliverDue() {
    return deliverer.deliverDue();
  }

  /**
   * Stops the workers within about two seconds: an attempt in flight gets one second to finish,
   * then is abandoned unrecorded (its message stays pending and is sent again by the next claimant,
   * with the same {@code webhook-id}).
   */
  @Override
  public void close() {
    deliverer.close();
  }

  /** Creates an endpoint. Refuses a bad URL, format or type naming the field. */
  public Issued create(String url, Format format, List<String> types) {
    Destination.check(url, settings.allowPrivate());
    Objects.requireNonNull(format, "format");
    List<String> checked = types(types);
    String id = "wh_" + random(20);
    String secret = Signature.newSecret();
    Instant now = clock.instant();
    sql(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO monitor_webhooks (id, url, format, types, secret, state, created_at) VALUES (?, ?, ?, ?, ?, 'enabled', ?)")) {
        ps.setString(1, id);
        ps.setString(2, url);
        ps.setString(3, format.wireName());
        ps.setArray(4, c.createArrayOf("text", checked.toArray()));
        ps.setString(5, secret);
        ps.setObject(6, time(now));
        ps.executeUpdate();
      }
      return null;
    });
    return new Issued(new Webhook(id, url, format, checked, true, null, null, now, null), secret);
  }

  /** The endpoint {@code id}. */
  public Optional<Webhook> get(String id) {
    List<Webhook> found = select(" WHERE id = ?", id);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** Every endpoint, oldest first. */
  public List<Webhook> list() {
    return select(" ORDER BY created_at, id", null);
  }

  /** Deletes the endpoint and its outbox; returns it as it was. */
  public Webhook delete(String id) {
    Webhook webhook = get(id).orElseThrow(() -> new NotFoundException("webhook", id));
    sql(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM monitor_webhooks WHERE id = ?")) {
        ps.setString(1, id);
        ps.executeUpdate();
      }
      return null;
    });
    return webhook;
  }

  /**
   * Gives the endpoint a new secret. The previous one keeps signing (a second {@code v1,}
   * signature in the same header) for {@link Settings#secretOverlap()}, so receivers can switch
   * without losing a message.
   */
  public Issued rotateSecret(String id) {
    String secret = Signature.newSecret();
    Instant until = clock.instant().plus(settings.secretOverlap());
    int updated = sql(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE monitor_webhooks SET previous_secret = secret, previous_secret_expires_at = ?, secret = ? WHERE id = ?")) {
        ps.setObject(1, time(until));
        ps.setString(2, secret);
        ps.setString(3, id);
        return ps.executeUpdate();
      }
    });
    if (updated == 0) {
      throw new NotFoundException("webhook", id);
    }
    return new Issued(get(id).orElseThrow(() -> new NotFoundException("webhook", id)), secret);
  }

  /**
   * Queues a {@code webhook.test} message for the endpoint, behind what it already has queued
   * (whatever types it subscribes to); returns its delivery.
   */
  public Delivery test(String id) {
    Webhook webhook = get(id).orElseThrow(() -> new NotFoundException("webhook", id));
    Instant now = clock.instant();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("subject", null);
    data.put("webhook", id);
    Message message = new Message("test_" + random(20), "webhook.test", now, data, FeedCursor.beginning(), null);
    long outboxId = sql(c -> Outbox.insert(c, id, message, webhook.format().render(message), now));
    deliverer.wake();
    return select(" WHERE webhook_id = ? AND id = ?", id, outboxId, 1).get(0);
  }

  /** The endpoint's deliveries, newest first, at most {@code limit}. */
  public List<Delivery> deliveries(String id, int limit) {
    if (get(id).isEmpty()) {
      throw new NotFoundException("webhook", id);
    }
    return select(" WHERE webhook_id = ?", id, null, limit);
  }

  private List<Delivery> select(String where, String webhook, Long outboxId, int limit) {
    return sql(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id, message_id, type, state, attempts, created_at, next_attempt_at, last_attempt_at, last_status, last_error,"
                  + " delivered_at FROM monitor_webhook_outbox" + where + " ORDER BY id DESC LIMIT ?")) {
        int i = 1;
        ps.setString(i++, webhook);
        if (outboxId != null) {
          ps.setLong(i++, outboxId);
        }
        ps.setInt(i, limit);
        List<Delivery> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String state = rs.getString(4);
            int status = rs.getInt(9);
            Integer lastStatus = rs.wasNull() ? null : status;
            out.add(new Delivery(rs.getLong(1), rs.getString(2), rs.getString(3), state, rs.getInt(5), instant(rs.getTimestamp(6)),
                "pending".equals(state) ? instant(rs.getTimestamp(7)) : null, instant(rs.getTimestamp(8)), lastStatus,
                rs.getString(10), instant(rs.getTimestamp(11))));
          }
        }
        return out;
      }
    });
  }

  /** What waits in the outbox now. */
  public Backlog backlog() {
    return sql(c -> {
      try (PreparedStatement ps =
          c.prepareStatement("SELECT count(*), min(created_at) FROM monitor_webhook_outbox WHERE state = 'pending'");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        Instant oldest = instant(rs.getTimestamp(2));
        Duration age = oldest == null ? Duration.ZERO : Duration.between(oldest, clock.instant());
        return new Backlog(rs.getLong(1), age.isNegative() ? Duration.ZERO : age);
      }
    });
  }

  private static List<String> types(List<String> types) {
    InvalidArgumentException.require(types != null && !types.isEmpty(), "types", "must list at least one message type");
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < types.size(); i++) {
      String type = types.get(i);
      if (!Messages.TYPES.contains(type)) {
        throw new InvalidArgumentException("types[" + i + "]", "must be one of " + Messages.TYPES + ", was '" + type + "'");
      }
      out.add(type);
    }
    return List.copyOf(out);
  }

  private List<Webhook> select(String where, String id) {
    return sql(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id, url, format, types, state, disabled_reason, disabled_at, created_at, previous_secret_expires_at"
                  + " FROM monitor_webhooks" + where)) {
        if (id != null) {
          ps.setString(1, id);
        }
        List<Webhook> out = new ArrayList<>();
        Instant now = clock.instant();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Array types = rs.getArray(4);
            Instant previousUntil = instant(rs.getTimestamp(9));
            out.add(new Webhook(rs.getString(1), rs.getString(2), Format.fromWireName(rs.getString(3)), List.of((String[]) types.getArray()),
                "enabled".equals(rs.getString(5)), rs.getString(6), instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8)),
                previousUntil != null && previousUntil.isAfter(now) ? previousUntil : null));
          }
        }
        return out;
      }
    });
  }

  private <T> T sql(Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new StorageException("webhooks: " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  static OffsetDateTime time(Instant at) {
    return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
  }

  static Instant instant(Timestamp at) {
    return at == null ? null : at.toInstant();
  }

  private static String random(int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return out.toString();
  }
}
