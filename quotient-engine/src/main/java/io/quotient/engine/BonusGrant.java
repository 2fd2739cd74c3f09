package io.quotient.engine;

import java.time.Instant;

/** A grant row in memory while a batch holds its lock. Mutable, confined to one writer. */
final class BonusGrant {
  final long id;
  final String subject;
  final String metric;
  final long amount;
  final Instant expiresAt;
  long used;
  boolean dirty;

  BonusGrant(long id, String subject, String metric, long amount, long used, Instant expiresAt) {
    this.id = id;
    this.subject = subject;
    this.metric = metric;
    this.amount = amount;
    this.used = used;
    this.expiresAt = expiresAt;
  }

  boolean isActiveAt(Instant now) {
    return used < amount && (expiresAt == null || expiresAt.isAfter(now));
  }

  long remaining() {
    return amount - used;
  }

  /** Earliest expiry first; grants that never expire last; then oldest first. */
  static int byUseOrder(BonusGrant a, BonusGrant b) {
    if (a.expiresAt == null || b.expiresAt == null) {
      if (a.expiresAt != b.expiresAt) {
        return a.expiresAt == null ? 1 : -1;
      }
    } else {
      int byExpiry = a.expiresAt.compareTo(b.expiresAt);
      if (byExpiry != 0) {
        return byExpiry;
      }
    }
    return Long.compare(a.id, b.id);
  }
}
