package io.quotient.engine;

import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.Item;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The fingerprint of a request's parameters, stored with its idempotency key: a retry must carry
 * the same operation, items (in order), reservation TTL and metadata to be replayed.
 */
final class Fingerprint {
  private Fingerprint() {}

  static String of(ConsumeRequest request, Duration ttl) {
    StringBuilder canonical = new StringBuilder(64);
    canonical.append(ttl == null ? "consume" : "reserve:" + ttl.toMillis());
    for (Item item : request.items()) {
      canonical.append('|').append(item.metric()).append('=').append(item.amount());
    }
    request.metadata().forEach((key, value) -> canonical.append('|').append(key.length()).append(':').append(key).append('=').append(value));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
