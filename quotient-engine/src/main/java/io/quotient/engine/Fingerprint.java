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
 *
 * <p>Every part is written as its UTF-8 length, a colon and its bytes, so no value can spell a
 * separator and pass for other parts ({@code {"a":"x|1:b=y"}} and {@code {"a":"x","b":"y"}} once
 * collided); the operation comes first, so a key reused for another kind of operation never
 * matches. The result is the full SHA-256 in hex.
 */
final class Fingerprint {
  private final MessageDigest digest;

  private Fingerprint(String operation) {
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    part(operation);
  }

  /** A consume ({@code ttl == null}) or a reservation. */
  static String of(ConsumeRequest request, Duration ttl) {
    Fingerprint f = new Fingerprint(ttl == null ? "consume" : "reserve");
    if (ttl != null) {
      f.part(Long.toString(ttl.toMillis()));
    }
    f.part(Integer.toString(request.items().size()));
    for (Item item : request.items()) {
      f.part(item.metric()).part(Long.toString(item.amount()));
    }
    // Metadata is sorted (Subject.Metadata.check), so equal maps give equal fingerprints.
    f.part(Integer.toString(request.metadata().size()));
    request.metadata().forEach((key, value) -> f.part(key).part(value));
    return f.hex();
  }

  /**
   * A refund: the consume it names (by event id or by the consume's own key) and the amount (null:
   * everything left).
   */
  static String ofRefund(Long consumeEventId, String consumeKey, Long amount) {
    Fingerprint f = new Fingerprint("refund");
    f.part(consumeEventId == null ? "key" : "event");
    f.part(consumeEventId == null ? consumeKey : Long.toString(consumeEventId));
    f.part(amount == null ? "all" : Long.toString(amount));
    return f.hex();
  }

  /** A transfer, from the subject the key is scoped to. */
  static String ofTransfer(String to, String metric, long amount) {
    return new Fingerprint("transfer").part(to).part(metric).part(Long.toString(amount)).hex();
  }

  private Fingerprint part(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
    digest.update((byte) ':');
    digest.update(bytes);
    return this;
  }

  private String hex() {
    return HexFormat.of().formatHex(digest.digest());
  }
}
