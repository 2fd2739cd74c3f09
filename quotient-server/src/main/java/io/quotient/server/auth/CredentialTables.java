package io.quotient.server.auth;

import io.quotient.StorageException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The server's own tables (API keys, shared secrets), migrated from {@code classpath:db/server}
 * with a history table of their own, {@code flyway_server_history}, beside the engine's.
 */
public final class CredentialTables {
  private CredentialTables() {}

  /** Brings the server's tables in {@code schema} (null: the default) up to date. */
  public static void migrate(DataSource dataSource, String schema) {
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .schemas(schema == null ? new String[0] : new String[] {schema})
          .table("flyway_server_history")
          .locations("classpath:db/server")
          // The engine's tables are already in the schema: start this history beside them.
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      throw new StorageException("could not migrate the server's tables: " + e.getMessage(), e);
    }
  }
}
