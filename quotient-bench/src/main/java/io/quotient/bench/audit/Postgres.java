package io.quotient.bench.audit;

import io.quotient.storage.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

/**
 * The PostgreSQL the suite runs on, named by one {@code postgresql://} URL shared with psql and
 * pgbench. Hands out fresh schemas so that each scenario starts on empty tables. Thread-safe.
 *
 * @param url the URL as given, such as {@code postgresql://postgres@127.0.0.1:5432/postgres}
 */
public record Postgres(String url) {
  /** A plain JDBC connection whose search path is {@code schema}. */
  public Connection connect(String schema) throws SQLException {
    Database.JdbcUrl jdbc = Database.JdbcUrl.parse(url);
    Properties props = new Properties();
    if (jdbc.user() != null) {
      props.setProperty("user", jdbc.user());
    }
    if (jdbc.password() != null) {
      props.setProperty("password", jdbc.password());
    }
    Connection c = DriverManager.getConnection(jdbc.url(), props);
    if (schema != null) {
      c.setSchema(schema);
    }
    return c;
  }

  /** A new, empty schema with a name no other run uses. */
  public String createSchema(String prefix) throws SQLException {
    String schema = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    try (Connection c = connect(null); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return schema;
  }

  /** Drops {@code schema} and everything in it. */
  public void dropSchema(String schema) throws SQLException {
    try (Connection c = connect(null); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  /** One setting of the server, such as {@code synchronous_commit}. */
  public String setting(String name) throws SQLException {
    try (Connection c = connect(null);
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT current_setting('" + name.replace("'", "") + "')")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
