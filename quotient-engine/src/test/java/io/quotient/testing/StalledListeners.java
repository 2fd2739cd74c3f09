package io.quotient.testing;

import io.quotient.storage.Database;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A second way into a test database, through a {@link TcpProxy}, and a way to stall the LISTEN
 * connections that go through it: the test sees which backend listens (in
 * {@code pg_stat_activity}, among the proxy's own connections, so no other run's backends) and
 * stops its traffic, leaving a connection that is open but silent.
 */
public final class StalledListeners {
  private static final Pattern HOST_PORT = Pattern.compile("^(jdbc:postgresql://)([^/:?]+)(?::(\\d+))?(.*)$");

  private StalledListeners() {}

  /** A proxy in front of {@code database}'s PostgreSQL. */
  public static TcpProxy proxyFor(Database database) {
    Matcher m = HOST_PORT.matcher(database.connectionUrl());
    if (!m.matches()) {
      throw new IllegalArgumentException("cannot read host and port of " + database.connectionUrl());
    }
    return TcpProxy.to(m.group(2), m.group(3) == null ? 5432 : Integer.parseInt(m.group(3)));
  }

  /** The same database (schema), reached through {@code proxy}. */
  public static Database through(TcpProxy proxy, Database database, int poolSize) {
    Matcher m = HOST_PORT.matcher(database.connectionUrl());
    if (!m.matches()) {
      throw new IllegalArgumentException("cannot read host and port of " + database.connectionUrl());
    }
    String url = m.group(1) + "127.0.0.1:" + proxy.port() + m.group(4);
    return Database.external(url, database.schema(), poolSize);
  }

  /**
   * Stalls every connection through {@code proxy} whose backend last ran a LISTEN or a keep-alive
   * round trip (looked up on {@code direct}); returns how many.
   */
  public static int stall(TcpProxy proxy, Database direct) throws Exception {
    List<Integer> stalled = new ArrayList<>();
    try (Connection c = direct.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT client_port FROM pg_stat_activity WHERE client_port = ANY(?)"
                + " AND (query LIKE 'LISTEN %' OR query LIKE '%keep_alive%')")) {
      Array ports = c.createArrayOf("int4", proxy.upstreamPorts().toArray());
      ps.setArray(1, ports);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stalled.add(rs.getInt(1));
        }
      }
    }
    stalled.forEach(proxy::stall);
    return stalled.size();
  }
}
