package io.quotient.server.auth;

import io.quotient.Names;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

/**
 * Subject tokens: short-lived bearer tokens that let an end user's browser read its own subject's
 * usage and nothing else. A token is {@code qst_<payload>.<signature>}, both base64url; the payload
 * is {@code 1\n<expiry epoch seconds>\n<subject>} and the signature its HMAC-SHA256.
 *
 * <p>The signing secret is created once per database and kept there, so tokens survive restarts
 * and work on every instance. Nothing is stored per token: a token cannot be revoked, which is
 * why it is short-lived (15 minutes unless asked otherwise, one day at most). Thread-safe.
 */
public final class SubjectTokens {
  /** The prefix every token starts with. */
  public static final String TOKEN_PREFIX = "qst_";

  /** The lifetime of a token when none is asked for. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);

  /** The longest lifetime a token may have. */
  public static final Duration MAX_TTL = Duration.ofDays(1);

  private static final String SECRET_NAME = "subject-token-hmac";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final SecretKeySpec key;
  private final Clock clock;

  private SubjectTokens(byte[] secret, Clock clock) {
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.clock = clock;
  }

  /** Loads the database's signing secret, creating it on first use. */
  public static SubjectTokens load(DataSource dataSource, Clock clock) {
    byte[] secret = Jdbc.run(dataSource, "load the token signing secret", connection -> {
      try (PreparedStatement ps = connection.prepareStatement(
          "INSERT INTO server_secrets (name, secret, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
        ps.setString(1, SECRET_NAME);
        ps.setBytes(2, ApiKeys.randomBytes(32));
        ps.setTimestamp(3, Timestamp.from(clock.instant()));
        ps.executeUpdate();
      }
      try (PreparedStatement ps = connection.prepareStatement("SELECT secret FROM server_secrets WHERE name = ?")) {
        ps.setString(1, SECRET_NAME);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getBytes(1);
        }
      }
    });
    return new SubjectTokens(secret, clock);
  }

  /**
   * A token just issued.
   *
   * @param token the bearer token
   * @param subject the subject it reads
   * @param expiresAt when it stops working
   */
  public record IssuedToken(String token, String subject, Instant expiresAt) {}

  /** Issues a token for {@code subject} that lasts {@code ttl}. */
  public IssuedToken issue(String subject, Duration ttl) {
    Names.requireId(subject, "subject");
    Instant expiresAt = clock.instant().plus(ttl);
    byte[] payload = ("1\n" + expiresAt.getEpochSecond() + "\n" + subject).getBytes(StandardCharsets.UTF_8);
    String token = TOKEN_PREFIX + ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(sign(payload));
    return new IssuedToken(token, subject, Instant.ofEpochSecond(expiresAt.getEpochSecond()));
  }

  /** The subject a token reads, when its signature is right and it has not expired. */
  public Optional<Credential.SubjectToken> verify(String token) {
    if (!token.startsWith(TOKEN_PREFIX)) {
      return Optional.empty();
    }
    String[] parts = token.substring(TOKEN_PREFIX.length()).split("\\.", -1);
    if (parts.length != 2) {
      return Optional.empty();
    }
    try {
      byte[] payload = DECODER.decode(parts[0]);
      byte[] signature = DECODER.decode(parts[1]);
      if (!MessageDigest.isEqual(sign(payload), signature)) {
        return Optional.empty();
      }
      String[] fields = new String(payload, StandardCharsets.UTF_8).split("\n", 3);
      if (fields.length != 3 || !fields[0].equals("1")) {
        return Optional.empty();
      }
      Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(fields[1]));
      if (!clock.instant().isBefore(expiresAt)) {
        return Optional.empty();
      }
      return Optional.of(new Credential.SubjectToken(fields[2], expiresAt));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private byte[] sign(byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
