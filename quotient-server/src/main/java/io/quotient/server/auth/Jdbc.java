package io.quotient.server.auth;

import io.quotient.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Runs a unit of JDBC work and turns {@link SQLException} into {@link StorageException}, in one place. */
final class Jdbc {
  private Jdbc() {}

  /** Work on one connection. */
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Runs {@code work} on a pooled connection in auto-commit mode. */
  static <T> T run(DataSource dataSource, String what, Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw new StorageException("could not " + what + ": " + e.getMessage(), e);
    }
  }

  /** Runs {@code work} in one transaction. */
  static <T> T transaction(DataSource dataSource, String what, Work<T> work) {
    return run(dataSource, what, connection -> {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    });
  }
}
