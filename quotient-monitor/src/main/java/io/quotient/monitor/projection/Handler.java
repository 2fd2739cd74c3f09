package io.quotient.monitor.projection;

import java.sql.SQLException;

/**
 * What a projection does with each batch of the feed. Alerts, webhooks and signals are its
 * implementations.
 */
@FunctionalInterface
public interface Handler {
  /**
   * Handles {@code batch}'s events, writing only through {@link Batch#connection()} (and
   * {@link Batch#append}): it commits with the projection's cursor or not at all. Throwing rolls
   * everything back; the batch comes again after a pause. Must not commit, roll back or change the
   * connection's auto-commit.
   */
  void handle(Batch batch) throws SQLException;
}
