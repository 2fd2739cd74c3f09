package io.quotient.monitor.sql;

import io.quotient.StorageException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import javax.sql.DataSource;

/**
 * How the monitor's concepts (alerts, signals, analytics) read and write their tables outside a
 * projection's batch: one statement or a few, each committed at once, with a failure of the
 * database turned into the engine's {@link StorageException} (which the server answers with 503).
 */
public final class Sql {
  private Sql() {}

  /** Work on a connection, which may throw what JDBC throws. */
  @FunctionalInterface
  public interface Work<T> {
    /** Does the work on {@code c}. */
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} on a connection of its own in autocommit mode.
   *
   * @param what names the concept in the failure's message ({@code alerts}, {@code signals}, …)
   */
  public static <T> T autocommit(DataSource dataSource, String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      return work.run(c);
    } catch (SQLException e) {
      throw new StorageException(what + ": " + e.getMessage(), e);
    }
  }

  /**
   * SQL that turns the epoch microseconds in the column or expression {@code %s} into a {@code
   * timestamptz} (null stays null): how instants are bound in arrays, which carry numbers in
   * binary where timestamps would go as text, formatted and parsed once each.
   */
  public static final String FROM_MICROS = "('epoch'::timestamptz + %s * interval '1 microsecond')";

  /** {@code at} in epoch microseconds (a timestamptz's precision), for {@link #FROM_MICROS}. */
  public static long micros(Instant at) {
    return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1000);
  }

  /** A {@code timestamptz} column as an instant; null stays null. */
  public static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
