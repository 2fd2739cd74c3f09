package io.quotient.testkit;

import io.quotient.storage.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

/**
 * A database that exists for one test server and is thrown away after it: an embedded PostgreSQL in
 * a new temporary directory (deleted afterwards), or a new schema on an external PostgreSQL
 * (dropped afterwards), so that runs never meet each other's rows and leave nothing behind.
 */
final class ScratchDatabase {
  /** Connections of the server's pool: the engine's writers and listener, and requests. */
  private static final int POOL_SIZE = 8;

  private final Database database;
  private final Path directory;
  private final String externalUrl;

  private ScratchDatabase(Database database, Path directory, String externalUrl) {
    this.database = database;
    this.directory = directory;
    this.externalUrl = externalUrl;
  }

  /** Starts an embedded PostgreSQL with its data in a new temporary directory. */
  static ScratchDatabase embedded() {
    Path directory;
    try {
      directory = Files.createTempDirectory("quotient-testkit");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temporary directory for the embedded PostgreSQL", e);
    }
    try {
      return new ScratchDatabase(Database.embedded(directory, POOL_SIZE), directory, null);
    } catch (RuntimeException e) {
      deleteTree(directory);
      throw e;
    }
  }

  /** Opens a new schema on the PostgreSQL at {@code url} ({@code postgresql://…} or JDBC form). */
  static ScratchDatabase external(String url) {
    String schema = "qtk_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    return new ScratchDatabase(Database.external(url, schema, POOL_SIZE), null, url);
  }

  Database database() {
    return database;
  }

  /** The embedded PostgreSQL's directory; null on an external one. */
  Path directory() {
    return directory;
  }

  /**
   * Closes the {@link Database} unless the server has (closing twice is harmless), which stops an
   * embedded PostgreSQL, then throws the data away: deletes the directory, or drops the schema.
   */
  void discard() {
    database.close();
    if (directory != null) {
      deleteTree(directory);
      return;
    }
    Database.JdbcUrl jdbc = Database.JdbcUrl.parse(externalUrl);
    Properties credentials = new Properties();
    if (jdbc.user() != null) {
      credentials.setProperty("user", jdbc.user());
    }
    if (jdbc.password() != null) {
      credentials.setProperty("password", jdbc.password());
    }
    try (Connection connection = DriverManager.getConnection(jdbc.url(), credentials);
        Statement statement = connection.createStatement()) {
      // The name is ours (qtk_ and hex digits), so quoting it is enough.
      statement.execute("DROP SCHEMA IF EXISTS \"" + database.schema() + "\" CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop the test schema " + database.schema() + ": " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          if (e != null) {
            throw e;
          }
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete the test database directory " + root, e);
    }
  }
}
