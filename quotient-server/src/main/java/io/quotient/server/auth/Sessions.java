package io.quotient.server.auth;

import io.quotient.api.ProblemType;
import io.quotient.server.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The admin dashboard's sessions, in the database so that every instance knows them: an admin or
 * read key exchanged for a random session id carried by a cookie. Only the id's SHA-256 is stored;
 * a session has the role of its key, ends at its expiry, at sign-out, or when its key is revoked.
 * Writes made with the cookie must carry the session's CSRF token, because a browser attaches the
 * cookie by itself (SameSite=Strict already keeps other sites out; the token is the second lock).
 *
 * <p>Thread-safe.
 */
public final class Sessions {
  /** The cookie's name. */
  public static final String COOKIE = "quotient_session";
  /** The header a write made with the cookie carries the CSRF token in. */
  public static final String CSRF_HEADER = "X-CSRF-Token";
  /** How long a session lasts: a working day. */
  public static final Duration LIFETIME = Duration.ofHours(8);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final DataSource dataSource;
  private final ApiKeys keys;
  private final Clock clock;

  public Sessions(DataSource dataSource, ApiKeys keys, Clock clock) {
    this.dataSource = dataSource;
    this.keys = keys;
    this.clock = clock;
  }

  /**
   * An open session.
   *
   * @param key the key it was opened with
   * @param csrfToken the token its writes must carry
   * @param expiresAt when it ends
   */
  public record Session(Credential.Key key, String csrfToken, Instant expiresAt) {}

  /**
   * A session just opened: the only time its id (the cookie's value) is known.
   *
   * @param id the session id
   * @param session the session
   */
  public record Opened(String id, Session session) {}

  /**
   * Opens a session for {@code secret}, an admin or read key.
   *
   * @throws ProblemException 401 for an unknown or revoked key, 403 for a service key (the
   *     dashboard reads and administers; it never enforces)
   */
  public Opened open(String secret) {
    Optional<ApiKeys.KeyInfo> found = secret == null || secret.isBlank() || secret.length() > 200
        ? Optional.empty() : keys.find(secret.strip());
    if (found.isEmpty() || found.get().revokedAt() != null) {
      throw new ProblemException(ProblemType.UNAUTHORIZED, "the API key is not known or was revoked");
    }
    ApiKeys.KeyInfo key = found.get();
    if (key.role() == Role.SERVICE) {
      throw new ProblemException(ProblemType.FORBIDDEN, "the dashboard opens with an admin or read key, not a service key");
    }
    String id = random();
    String csrf = random();
    Instant now = clock.instant();
    Instant expiresAt = now.plus(LIFETIME);
    Jdbc.transaction(dataSource, "open a session", connection -> {
      // Expired sessions are swept here, where sessions are made, so the table never grows for long.
      try (PreparedStatement sweep = connection.prepareStatement("DELETE FROM server_sessions WHERE expires_at <= ?")) {
        sweep.setTimestamp(1, Timestamp.from(now));
        sweep.executeUpdate();
      }
      try (PreparedStatement ps = connection.prepareStatement(
          "INSERT INTO server_sessions (id_hash, key_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")) {
        ps.setBytes(1, ApiKeys.hash(id));
        ps.setString(2, key.id());
        ps.setString(3, csrf);
        ps.setTimestamp(4, Timestamp.from(now));
        ps.setTimestamp(5, Timestamp.from(expiresAt));
        ps.executeUpdate();
      }
      return null;
    });
    return new Opened(id, new Session(new Credential.Key(key.id(), key.name(), key.role()), csrf, expiresAt));
  }

  /** The live session {@code id} stands for: not expired, not signed out, its key not revoked. */
  public Optional<Session> find(String id) {
    if (id == null || id.isEmpty() || id.length() > 100) {
      return Optional.empty();
    }
    return Jdbc.run(dataSource, "look up a session", connection -> {
      try (PreparedStatement ps = connection.prepareStatement(
          "SELECT k.id, k.name, k.role, s.csrf_token, s.expires_at FROM server_sessions s"
              + " JOIN server_api_keys k ON k.id = s.key_id"
              + " WHERE s.id_hash = ? AND s.expires_at > ? AND k.revoked_at IS NULL")) {
        ps.setBytes(1, ApiKeys.hash(id));
        ps.setTimestamp(2, Timestamp.from(clock.instant()));
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.<Session>empty();
          }
          Credential.Key key = new Credential.Key(rs.getString(1), rs.getString(2), Role.fromWireName(rs.getString(3)));
          return Optional.of(new Session(key, rs.getString(4), rs.getTimestamp(5).toInstant()));
        }
      }
    });
  }

  /** Ends session {@code id}; ending an unknown or ended session changes nothing. */
  public void close(String id) {
    if (id == null || id.isEmpty() || id.length() > 100) {
      return;
    }
    Jdbc.run(dataSource, "end a session", connection -> {
      try (PreparedStatement ps = connection.prepareStatement("DELETE FROM server_sessions WHERE id_hash = ?")) {
        ps.setBytes(1, ApiKeys.hash(id));
        return ps.executeUpdate();
      }
    });
  }

  /** True when {@code sent} is the session's CSRF token, compared in constant time. */
  public static boolean csrfMatches(Session session, String sent) {
    return sent != null && MessageDigest.isEqual(
        session.csrfToken().getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
  }

  private static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
