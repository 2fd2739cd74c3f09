package io.quotient.server.signal;

import io.quotient.StorageException;
import io.quotient.monitor.signal.Signals;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server sees that never reaches the feed, reported to the signals: idempotency
 * conflicts (409/422, nothing was decided) and refused credentials (401/403). Each report is a
 * short transaction of the monitor's ({@link Signals#conflict}, {@link Signals#credentialFailure}),
 * made before the answer is written.
 *
 * <p>A report that fails (the database unavailable) is logged and dropped: the caller's answer is
 * already decided and must stay the 401, 403, 409 or 422 it is, and a signal is an observation,
 * not a record anything else depends on. Thread-safe.
 */
public final class Observations {
  private static final Logger log = LoggerFactory.getLogger(Observations.class);

  private final Signals signals;

  public Observations(Signals signals) {
    this.signals = Objects.requireNonNull(signals, "signals");
  }

  /** A request of {@code subject} refused for its idempotency key with {@code status} 409 or 422. */
  public void conflict(String subject, int status) {
    if (subject == null) {
      return; // a refund named by event id: the subject is not known without a read
    }
    try {
      signals.conflict(subject, status);
    } catch (StorageException e) {
      log.warn("could not report an idempotency conflict of {} to the signals: {}", subject, e.getMessage());
    }
  }

  /**
   * A request from {@code address} refused with {@code status} 401 or 403; {@code keyId} the key
   * it presented when known, {@code subject} the subject of a subject token.
   */
  public void refused(String keyId, String address, String subject, int status) {
    try {
      signals.credentialFailure(keyId, address, subject, status);
    } catch (StorageException e) {
      log.warn("could not report a refused credential to the signals: {}", e.getMessage());
    }
  }
}
