package io.quotient.testing;

import io.quotient.storage.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A fresh, empty Quotient database for a test class: a schema of its own on the PostgreSQL named
 * by {@code QUOTIENT_TEST_DATABASE_URL}, or else an embedded PostgreSQL in a temporary directory.
 * Every call gives a new database, so runs never meet each other's rows.
 */
public final class TestDatabase {
  /** The environment variable naming an external PostgreSQL for tests. */
  public static final String URL_VARIABLE = "QUOTIENT_TEST_DATABASE_URL";

  private TestDatabase() {}

  /** A new, migrated, empty database with {@code poolSize} connections. */
  public static Database create(int poolSize) {
    String url = System.getenv(URL_VARIABLE);
    if (url != null && !url.isBlank()) {
      return Database.external(url, schemaName(), poolSize);
    }
    try {
      return Database.embedded(Files.createTempDirectory("quotient-test-db"), poolSize);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A new database with a pool of 10. */
  public static Database create() {
    return create(10);
  }

  /** The URL tests should hand to a child process, or null when tests use embedded databases. */
  public static String externalUrl() {
    String url = System.getenv(URL_VARIABLE);
    return url == null || url.isBlank() ? null : url;
  }

  /** A schema name no other run uses. */
  public static String schemaName() {
    return "qt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  /** A new temporary directory for an embedded database. */
  public static Path temporaryDirectory() throws java.io.IOException {
    return Files.createTempDirectory("quotient-test-db");
  }
}
