package io.quotient.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Event ids in blocks of {@value #BLOCK} from one sequence (hi/lo): one {@code nextval} per block
 * instead of one per event. Ids increase within an instance; across instances they interleave by
 * block, which keeps them unique and roughly ordered. Thread-safe.
 */
final class EventIds {
  /** Must equal the sequence's INCREMENT BY. */
  static final int BLOCK = 1000;

  private long next;
  private long end;

  synchronized long next(Connection c) throws SQLException {
    if (next == end) {
      try (PreparedStatement ps = c.prepareStatement("SELECT nextval('event_ids')");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        next = rs.getLong(1);
        end = next + BLOCK;
      }
    }
    return next++;
  }
}
