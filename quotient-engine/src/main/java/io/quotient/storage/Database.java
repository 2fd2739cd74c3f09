package io.quotient.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.quotient.InvalidArgumentException;
import io.quotient.StorageException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The PostgreSQL database Quotient runs on: a pooled {@link DataSource} on an external server or
 * on an embedded one this object starts and stops. Opening it brings the schema up to date.
 *
 * <p>Thread-safe. Close it after the engine that uses it.
 */
public final class Database implements AutoCloseable {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Database.class);
  /** The lock file the embedded server's owner holds while it runs ({@code EmbeddedPostgres}'s). */
  private static final String LOCK_FILE = "epg-lock";
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(30);
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private final HikariDataSource pool;
  private final EmbeddedPostgres embedded;
  private final String schema;
  private final String connectionUrl;

  private Database(HikariDataSource pool, EmbeddedPostgres embedded, String schema, String connectionUrl) {
    this.pool = pool;
    this.embedded = embedded;
    this.schema = schema;
    this.connectionUrl = connectionUrl;
  }

  /**
   * Starts an embedded PostgreSQL whose data lives in {@code dataDirectory} (created when missing,
   * kept across restarts) and opens it. Its log goes to {@code dataDirectory/postgres.log}.
   *
   * <p>A PostgreSQL left running on the directory by a process that died without stopping it
   * (killed with SIGKILL, say) is stopped first, with a fast shutdown: it still holds the
   * directory, and a second server cannot start on it. It is stopped rather than adopted so that
   * every start runs the server this start configures and owns, whatever an earlier (maybe older)
   * process started. A server that a live process still owns is left alone: the start is refused,
   * naming that process's PostgreSQL.
   *
   * <p>No JVM shutdown hook stops the server: whoever opens the database closes it, after
   * everything that uses it (a hook of its own would stop PostgreSQL while the engine and the
   * requests in flight still need it).
   *
   * @throws StorageException when the server cannot start, or another live process uses the directory
   */
  public static Database embedded(Path dataDirectory, int poolSize) {
    Path pgData = dataDirectory.resolve("postgres");
    try {
      Files.createDirectories(pgData);
    } catch (IOException e) {
      throw new StorageException("could not create the data directory " + pgData + ": " + e.getMessage(), e);
    }
    stopLeftOver(pgData);
    Instant attempt = Instant.now();
    EmbeddedPostgres postgres;
    try {
      ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(dataDirectory.resolve("postgres.log").toFile());
      postgres = EmbeddedPostgres.builder()
          .setDataDirectory(pgData)
          .setCleanDataDirectory(false)
          .setRegisterShutdownHook(false)
          .setOutputRedirector(log)
          .setErrorRedirector(log)
          // Crash recovery (after the server itself was killed) replays WAL before it answers.
          .setPGStartupWait(STARTUP_WAIT)
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("max_connections", "200")
          .start();
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalStateException && String.valueOf(e.getMessage()).startsWith("could not lock")) {
        throw inUse(pgData, e);
      }
      // Without a shutdown hook nothing else would stop a server this attempt started.
      Postmaster.read(pgData)
          .filter(p -> !p.startedAt().isBefore(attempt.minusSeconds(1)) && p.isRunning())
          .ifPresent(p -> p.stop(STOP_WAIT));
      throw new StorageException("could not start the embedded PostgreSQL in " + dataDirectory + ": " + e.getMessage()
          + " (its log: " + dataDirectory.resolve("postgres.log") + ")", e);
    }
    try {
      String url = postgres.getJdbcUrl("postgres", "postgres");
      return open(url, "postgres", null, null, poolSize, postgres);
    } catch (RuntimeException e) {
      try {
        postgres.close();
      } catch (IOException stop) {
        e.addSuppressed(stop);
      }
      throw e;
    }
  }

  /**
   * The embedded PostgreSQL that another live process (a running server) keeps in
   * {@code dataDirectory}, opened as an external database: this object does not stop it. Empty
   * when no live process owns the directory.
   */
  public static Optional<Database> runningEmbedded(Path dataDirectory, int poolSize) {
    Path pgData = dataDirectory.resolve("postgres");
    if (!Files.isDirectory(pgData) || !ownedByLiveProcess(pgData)) {
      return Optional.empty();
    }
    Postmaster postmaster = Postmaster.read(pgData).filter(Postmaster::isRunning).orElseThrow(() ->
        new StorageException("the data directory " + dataDirectory + " is locked by a running process, but its PostgreSQL is not running", null));
    return Optional.of(open("jdbc:postgresql://localhost:" + postmaster.port() + "/postgres", "postgres", null, null,
        poolSize, null));
  }

  /**
   * Stops a PostgreSQL still running on {@code pgData} when no live process owns it: its owner
   * died without stopping it. The owner's lock is the one the embedded server takes
   * ({@code epg-lock}); the operating system releases it when the owner dies, however it dies.
   */
  private static void stopLeftOver(Path pgData) {
    if (!Files.exists(pgData.resolve(Postmaster.PID_FILE))) {
      return; // nothing ran here, or it stopped cleanly (a fresh directory must stay empty for initdb)
    }
    try (FileChannel channel = FileChannel.open(pgData.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // this process already runs a server here
      }
      if (lock == null) {
        throw inUse(pgData, null);
      }
      try {
        Optional<Postmaster> left = Postmaster.read(pgData).filter(Postmaster::isRunning);
        if (left.isPresent()) {
          log.warn("a PostgreSQL (pid {}) was left running on {} by a process that did not stop it; stopping it",
              left.get().pid(), pgData);
          left.get().stop(STOP_WAIT);
        }
      } finally {
        lock.release();
      }
    } catch (IOException e) {
      throw new StorageException("could not check " + pgData + " for a PostgreSQL left running: " + e.getMessage(), e);
    }
  }

  private static boolean ownedByLiveProcess(Path pgData) {
    Path lockFile = pgData.resolve(LOCK_FILE);
    if (!Files.exists(lockFile)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      throw new StorageException("could not check who uses " + pgData + ": " + e.getMessage(), e);
    }
  }

  private static StorageException inUse(Path pgData, Throwable cause) {
    String server = Postmaster.read(pgData).filter(Postmaster::isRunning)
        .map(p -> " (its PostgreSQL: pid " + p.pid() + ", port " + p.port() + ")").orElse("");
    return new StorageException("the data directory " + pgData.getParent() + " is in use by another running Quotient"
        + server + "; stop it first, or use another data directory", cause);
  }

  /**
   * Opens an external PostgreSQL. {@code url} is either {@code jdbc:postgresql://host:port/db?…}
   * or {@code postgresql://user:pass@host:port/db}. When {@code schema} is not null every table
   * lives in that schema (created when missing), so that several deployments or test runs can
   * share one database.
   */
  public static Database external(String url, String schema, int poolSize) {
    JdbcUrl jdbc = JdbcUrl.parse(url);
    return open(jdbc.url(), jdbc.user(), jdbc.password(), schema, poolSize, null);
  }

  private static Database open(
      String url, String user, String password, String schema, int poolSize, EmbeddedPostgres embedded) {
    // An engine holds one connection to listen for changes and one per writer (two by default).
    InvalidArgumentException.require(poolSize >= 4, "poolSize", "must be at least 4");
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    if (schema != null) {
      config.setSchema(schema);
    }
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("quotient");
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(10_000);
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    // The hot statements join tables to arrays whose length only the execution knows. A generic
    // plan, cached after five executions while the tables were small, kept sequential scans of the
    // counters table for every batch once it held 10,000 rows (measured: 11,530 sequential scans
    // reading 110 million rows in one 20 s HTTP run). Custom plans see the real array size, and a
    // random page cost for cached/SSD pages lets them pick index probes for a batch's rows (a
    // 128-row counter update: 1.1 ms by index against 3.5 ms by a scan of 10,000 rows).
    config.setConnectionInitSql("SET plan_cache_mode = force_custom_plan; SET random_page_cost = 1.1");
    config.addDataSourceProperty("ApplicationName", "quotient");
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StorageException("could not connect to PostgreSQL at " + url + ": " + rootMessage(e), e);
    }
    try {
      Flyway.configure()
          .dataSource(pool)
          .schemas(schema == null ? new String[0] : new String[] {schema})
          .createSchemas(true)
          .locations("classpath:db/migration")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw new StorageException("could not migrate the schema: " + rootMessage(e), e);
    }
    return new Database(pool, embedded, schema, withCredentials(url, user, password));
  }

  /**
   * A JDBC URL with the credentials in it, for handing this database to another process (which
   * passes it to {@link #external} with {@link #schema()}).
   */
  public String connectionUrl() {
    return connectionUrl;
  }

  private static String withCredentials(String url, String user, String password) {
    StringBuilder result = new StringBuilder(url);
    char separator = url.contains("?") ? '&' : '?';
    if (user != null && !url.contains("user=")) {
      result.append(separator).append("user=").append(java.net.URLEncoder.encode(user, StandardCharsets.UTF_8));
      separator = '&';
    }
    if (password != null && !url.contains("password=")) {
      result.append(separator).append("password=").append(java.net.URLEncoder.encode(password, StandardCharsets.UTF_8));
    }
    return result.toString();
  }

  /** The pooled data source. */
  public DataSource dataSource() {
    return pool;
  }

  /** The schema the tables live in, or null for the connection's default. */
  public String schema() {
    return schema;
  }

  /** True when this object started the PostgreSQL it uses. */
  public boolean isEmbedded() {
    return embedded != null;
  }

  @Override
  public void close() {
    pool.close();
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        throw new StorageException("could not stop the embedded PostgreSQL: " + e.getMessage(), e);
      }
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  /**
   * A PostgreSQL URL in JDBC form with its credentials apart.
   *
   * @param url the {@code jdbc:postgresql:} URL
   * @param user the user, or null to take the driver's default
   * @param password the password, or null
   */
  public record JdbcUrl(String url, String user, String password) {
    /**
     * Parses {@code jdbc:postgresql://…} (kept as is) or {@code postgresql://user:pass@host:port/db}
     * (also {@code postgres://}); refuses anything else naming the {@code url} field.
     */
    public static JdbcUrl parse(String url) {
      InvalidArgumentException.require(url != null && !url.isBlank(), "url", "is required");
      if (url.startsWith("jdbc:postgresql:")) {
        return new JdbcUrl(url, null, null);
      }
      InvalidArgumentException.require(
          url.startsWith("postgresql://") || url.startsWith("postgres://"),
          "url",
          "must start with jdbc:postgresql:, postgresql:// or postgres://");
      try {
        URI uri = new URI(url);
        InvalidArgumentException.require(uri.getHost() != null, "url", "has no host");
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
          String[] parts = uri.getRawUserInfo().split(":", 2);
          user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
          password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
        }
        String port = uri.getPort() > 0 ? ":" + uri.getPort() : "";
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/postgres" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new JdbcUrl("jdbc:postgresql://" + uri.getHost() + port + path + query, user, password);
      } catch (URISyntaxException e) {
        throw new InvalidArgumentException("url", "is not a valid URL: " + e.getMessage());
      }
    }
  }
}
