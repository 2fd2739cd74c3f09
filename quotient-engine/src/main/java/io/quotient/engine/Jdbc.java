package io.quotient.engine;

import io.quotient.QuotientException;
import io.quotient.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The one place SQL exceptions become {@link StorageException}s, and transactions are begun,
 * committed, rolled back and retried.
 *
 * <p>A transaction is retried (a few times) only when PostgreSQL reports a deadlock or a
 * serialization failure, or the work itself asks for it with {@link Retry}: row locks are taken in
 * a fixed order, so these are rare races (a counter row created by two writers at once), not the
 * normal path.
 */
final class Jdbc {
  private static final int ATTEMPTS = 8;

  private final DataSource dataSource;
  private final Runnable committed;

  /** {@code committed} runs after every commit (it wakes the feed's subscribers); must be cheap. */
  Jdbc(DataSource dataSource, Runnable committed) {
    this.dataSource = dataSource;
    this.committed = committed;
  }

  /** Work on one connection. */
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Thrown by work that lost a race and must run again in a new transaction. */
  static final class Retry extends RuntimeException {
    Retry(String message) {
      super(message, null, false, false);
    }
  }

  /** Runs {@code work} in a transaction that commits when it returns. */
  <T> T inTransaction(Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(false);
        T result;
        try {
          result = work.run(connection);
          connection.commit();
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(connection, e);
          if (attempt < ATTEMPTS && isRetryable(e)) {
            continue;
          }
          throw wrap(e);
        }
        committed.run(); // outside the try: nothing after the commit may roll back or rerun the work
        return result;
      } catch (SQLException e) {
        throw wrap(e);
      }
    }
  }

  /** Runs read-only {@code work} outside any explicit transaction. */
  <T> T read(Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      return work.run(connection);
    } catch (SQLException e) {
      throw wrap(e);
    }
  }

  /**
   * Runs read-only {@code work} in a transaction of its own, so that a statement with a fetch size
   * reads its rows through a cursor, a page at a time, instead of all at once.
   */
  <T> T readThroughCursor(Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        return work.run(connection);
      } finally {
        connection.rollback();
      }
    } catch (SQLException e) {
      throw wrap(e);
    }
  }

  /**
   * Runs {@code work} on the caller's connection, in whatever transaction the caller has open:
   * nothing is committed, rolled back or retried here, and {@code SQLException}s are wrapped.
   */
  <T> T on(Connection connection, Work<T> work) {
    try {
      return work.run(connection);
    } catch (SQLException e) {
      throw wrap(e);
    }
  }

  private static void rollbackQuietly(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
    }
  }

  static boolean isRetryable(Exception e) {
    if (e instanceof Retry) {
      return true;
    }
    if (e instanceof SQLException sql) {
      String state = sql.getSQLState();
      return "40P01".equals(state) || "40001".equals(state);
    }
    return false;
  }

  static RuntimeException wrap(Exception e) {
    if (e instanceof QuotientException quotient) {
      return quotient;
    }
    if (e instanceof RuntimeException runtime && !(e instanceof Retry)) {
      return runtime;
    }
    return new StorageException("database operation failed: " + e.getMessage(), e);
  }
}
