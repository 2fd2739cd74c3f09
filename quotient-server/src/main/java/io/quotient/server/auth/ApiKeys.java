package io.quotient.server.auth;

import io.quotient.InvalidArgumentException;
import io.quotient.NotFoundException;
import io.quotient.server.problem.ProblemException;
import io.quotient.api.ProblemType;
import io.quotient.storage.ChangeListener;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The API keys, in the database. A key is {@code qk_} and 43 characters of base64url (256 random
 * bits); only its SHA-256 is stored, so a stolen table does not give keys away, and a plain hash
 * (not a slow one) is enough because the keys are random, not chosen by people.
 *
 * <p>Looked-up keys are cached only while this instance listens for revocations
 * ({@link #listenForRevocations()}, a {@link ChangeListener}): a revocation sends {@code NOTIFY} in
 * its own transaction, and every instance drops its cache when the notification arrives (this one
 * at once, others within the notification's delivery, milliseconds). Whenever the listener is not
 * known alive (its connection is down, or no keep-alive round trip has proved it alive within the
 * last few seconds, as when it is half-open) nothing is cached and every request looks its key up
 * again, so a revoked key is never served for long from a cache that cannot hear about it.
 * Thread-safe.
 */
public final class ApiKeys implements AutoCloseable {
  /** The prototype every hash clones; never updated itself, so sharing it is safe. */
  private static final MessageDigest SHA_256 = sha256();
  /** The channel revocations are announced on. */
  static final String CHANNEL = "quotient_api_keys";

  private static final int MAX_CACHED = 10_000;
  /** The prefix every key starts with, so that leaked keys are recognisable. */
  public static final String KEY_PREFIX = "qk_";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final DataSource dataSource;
  private final Clock clock;
  private final java.util.concurrent.ConcurrentHashMap<String, KeyInfo> cache = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
  private volatile ChangeListener listener;

  public ApiKeys(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

  /**
   * Starts caching looked-up keys, on one connection of its own that listens for revocations from
   * every instance. Call once; {@link #close()} stops it.
   */
  public synchronized void listenForRevocations() {
    if (listener == null) {
      listener = ChangeListener.start(dataSource, CHANNEL, new ChangeListener.Handler() {
        @Override
        public void changed(String payload) {
          invalidate();
        }

        @Override
        public void reset() {
          invalidate();
        }
      });
    }
  }

  private void invalidate() {
    generation.incrementAndGet();
    cache.clear();
  }

  /** True while looked-up keys are cached: the revocation listener is connected and proven alive. */
  boolean isCaching() {
    ChangeListener current = listener;
    return current != null && current.isTrusted();
  }

  /** Stops the revocation listener. */
  @Override
  public void close() {
    ChangeListener current;
    synchronized (this) {
      current = listener;
    }
    if (current != null) {
      current.close();
    }
  }

  /**
   * A key as listed: everything but the key itself.
   *
   * @param id the key's id
   * @param name its name
   * @param role its role
   * @param prefix its first characters, to recognise it
   * @param createdAt when it was created
   * @param revokedAt when it was revoked, or null
   */
  public record KeyInfo(String id, String name, Role role, String prefix, Instant createdAt, Instant revokedAt) {}

  /**
   * A key just created: the only time the key itself is known.
   *
   * @param key the secret key
   * @param info its listing
   */
  public record IssuedKey(String key, KeyInfo info) {}

  /** Creates a key with a fresh random secret. */
  public IssuedKey create(String name, Role role) {
    return insert(name, role, newKey());
  }

  /**
   * Makes sure an operator can get in: when no admin key has been confirmed yet (a fresh database,
   * or every earlier start failed or was killed before it showed its key), creates an admin key.
   * A {@code configured} key is known to the operator, so it is confirmed at once and nothing is
   * returned; otherwise a generated key is returned to be shown, and stays pending until
   * {@link #confirmShown} says it was. Until then every start creates (and shows) another one.
   * Pending keys work like any other admin key. Safe when several instances start at once.
   */
  public Optional<String> bootstrap(String configured) {
    return Jdbc.transaction(dataSource, "create the bootstrap admin key", connection -> {
      try (PreparedStatement lock = connection.prepareStatement("LOCK TABLE server_api_keys IN EXCLUSIVE MODE")) {
        lock.execute();
      }
      try (PreparedStatement count = connection.prepareStatement(
              "SELECT count(*) FROM server_api_keys WHERE role = 'admin' AND revoked_at IS NULL AND NOT bootstrap_pending");
          ResultSet rs = count.executeQuery()) {
        rs.next();
        if (rs.getLong(1) > 0) {
          return Optional.<String>empty();
        }
      }
      if (configured != null) {
        // The configured key takes over from keys earlier starts generated but never confirmed.
        try (PreparedStatement pending = connection.prepareStatement("DELETE FROM server_api_keys WHERE bootstrap_pending")) {
          if (pending.executeUpdate() > 0) {
            notifyRemoved(connection);
          }
        }
        insert(connection, "bootstrap admin", Role.ADMIN, configured, false);
        return Optional.<String>empty();
      }
      String key = newKey();
      insert(connection, "bootstrap admin", Role.ADMIN, key, true);
      return Optional.of(key);
    });
  }

  /**
   * The generated bootstrap key {@code key} has been shown to the operator: it stops being
   * pending, and the pending keys of earlier starts that never got that far are deleted (nobody
   * was shown them, or a later start showed this one instead).
   */
  public void confirmShown(String key) {
    Jdbc.transaction(dataSource, "confirm the bootstrap admin key", connection -> {
      byte[] hash = hash(key);
      try (PreparedStatement earlier = connection.prepareStatement(
          "DELETE FROM server_api_keys WHERE bootstrap_pending AND key_hash <> ?"
              + " AND created_at <= (SELECT created_at FROM server_api_keys WHERE key_hash = ?)")) {
        earlier.setBytes(1, hash);
        earlier.setBytes(2, hash);
        if (earlier.executeUpdate() > 0) {
          notifyRemoved(connection);
        }
      }
      try (PreparedStatement confirm = connection.prepareStatement(
          "UPDATE server_api_keys SET bootstrap_pending = false WHERE key_hash = ?")) {
        confirm.setBytes(1, hash);
        confirm.executeUpdate();
      }
      return null;
    });
  }

  /**
   * Deleted keys, like revoked ones, must leave every instance's cache (a pending key that was
   * printed before its start was killed may have been used); delivered when the transaction commits.
   */
  private static void notifyRemoved(Connection connection) throws SQLException {
    try (PreparedStatement notify = connection.prepareStatement("NOTIFY " + CHANNEL)) {
      notify.execute();
    }
  }

  /** The key {@code secret} stands for: present when known, with its revocation time if revoked. */
  Optional<KeyInfo> find(String secret) {
    byte[] hash = hash(secret);
    String cacheKey = java.util.HexFormat.of().formatHex(hash);
    KeyInfo cached = isCaching() ? cache.get(cacheKey) : null;
    if (cached != null) {
      return Optional.of(cached);
    }
    long seen = generation.get();
    Optional<KeyInfo> found = lookUp(hash);
    if (found.isPresent() && isCaching() && generation.get() == seen) {
      if (cache.size() >= MAX_CACHED) {
        cache.clear();
      }
      cache.put(cacheKey, found.get());
      // A revocation that landed meanwhile must not leave this (possibly stale) entry behind.
      if (generation.get() != seen || !isCaching()) {
        cache.remove(cacheKey);
      }
    }
    return found;
  }

  private Optional<KeyInfo> lookUp(byte[] hash) {
    return Jdbc.run(dataSource, "look up an API key", connection -> {
      try (PreparedStatement ps = connection.prepareStatement(
          "SELECT id, name, role, key_prefix, created_at, revoked_at FROM server_api_keys WHERE key_hash = ?")) {
        ps.setBytes(1, hash);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(read(rs)) : Optional.<KeyInfo>empty();
        }
      }
    });
  }

  /** Every key, oldest first, revoked ones included. */
  public List<KeyInfo> list() {
    return Jdbc.run(dataSource, "list API keys", connection -> {
      try (PreparedStatement ps = connection.prepareStatement(
              "SELECT id, name, role, key_prefix, created_at, revoked_at FROM server_api_keys ORDER BY created_at, id");
          ResultSet rs = ps.executeQuery()) {
        List<KeyInfo> keys = new ArrayList<>();
        while (rs.next()) {
          keys.add(read(rs));
        }
        return keys;
      }
    });
  }

  /**
   * Revokes a key; it stops working at once. Revoking a revoked key changes nothing. Refuses to
   * revoke the last active admin key, which would lock every administrator out.
   *
   * @throws NotFoundException when there is no such key
   */
  public KeyInfo revoke(String id) {
    KeyInfo revoked = Jdbc.transaction(dataSource, "revoke an API key", connection -> {
      try (PreparedStatement lock = connection.prepareStatement("LOCK TABLE server_api_keys IN EXCLUSIVE MODE")) {
        lock.execute();
      }
      KeyInfo key;
      try (PreparedStatement ps = connection.prepareStatement(
          "SELECT id, name, role, key_prefix, created_at, revoked_at FROM server_api_keys WHERE id = ?")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new NotFoundException("key", id);
          }
          key = read(rs);
        }
      }
      if (key.revokedAt() != null) {
        return key;
      }
      if (key.role() == Role.ADMIN) {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT count(*) FROM server_api_keys WHERE role = 'admin' AND revoked_at IS NULL");
            ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getLong(1) <= 1) {
            throw new ProblemException(ProblemType.LAST_ADMIN_KEY,
                "key " + id + " is the last active admin key; create another admin key first");
          }
        }
      }
      Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
      try (PreparedStatement ps = connection.prepareStatement("UPDATE server_api_keys SET revoked_at = ? WHERE id = ?")) {
        ps.setTimestamp(1, Timestamp.from(now));
        ps.setString(2, id);
        ps.executeUpdate();
      }
      try (PreparedStatement notify = connection.prepareStatement("NOTIFY " + CHANNEL)) {
        notify.execute(); // delivered to every instance when this transaction commits
      }
      return new KeyInfo(key.id(), key.name(), key.role(), key.prefix(), key.createdAt(), now);
    });
    invalidate();
    return revoked;
  }

  private IssuedKey insert(String name, Role role, String key) {
    return Jdbc.run(dataSource, "create an API key", connection -> insert(connection, name, role, key, false));
  }

  private IssuedKey insert(java.sql.Connection connection, String name, Role role, String key, boolean pending)
      throws java.sql.SQLException {
    InvalidArgumentException.require(name != null && !name.isBlank(), "name", "must not be blank");
    InvalidArgumentException.require(name.length() <= 100, "name", "must be at most 100 characters");
    String id = "key_" + HexFormat.of().formatHex(randomBytes(8));
    // PostgreSQL keeps microseconds: answer with what a later listing will show.
    Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    String prefix = key.substring(0, Math.min(key.length(), 7));
    try (PreparedStatement ps = connection.prepareStatement(
        "INSERT INTO server_api_keys (id, name, role, key_hash, key_prefix, created_at, bootstrap_pending)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, id);
      ps.setString(2, name);
      ps.setString(3, role.wireName());
      ps.setBytes(4, hash(key));
      ps.setString(5, prefix);
      ps.setTimestamp(6, Timestamp.from(now));
      ps.setBoolean(7, pending);
      ps.executeUpdate();
    }
    return new IssuedKey(key, new KeyInfo(id, name, role, prefix, now, null));
  }

  private static KeyInfo read(ResultSet rs) throws java.sql.SQLException {
    Timestamp revoked = rs.getTimestamp("revoked_at");
    return new KeyInfo(
        rs.getString("id"),
        rs.getString("name"),
        Role.fromWireName(rs.getString("role")),
        rs.getString("key_prefix"),
        rs.getTimestamp("created_at").toInstant(),
        revoked == null ? null : revoked.toInstant());
  }

  private static String newKey() {
    return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
  }

  static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  static byte[] hash(String key) {
    try {
      // A clone of a digest nobody updates: MessageDigest.getInstance looks the provider up on
      // every call, which took most of an authenticated request's time spent on its key.
      MessageDigest digest = (MessageDigest) SHA_256.clone();
      return digest.digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("this JVM's SHA-256 cannot be cloned", e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
