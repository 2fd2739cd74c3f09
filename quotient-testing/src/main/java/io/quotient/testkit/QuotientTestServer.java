package io.quotient.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quotient.api.Headers;
import io.quotient.api.Plan;
import io.quotient.server.QuotientServer;
import io.quotient.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real Quotient server in this process, for tests: the same server {@code bin/quotient serve}
 * runs, listening on a free port of {@code 127.0.0.1}, over a database of its own that is thrown
 * away when the server closes.
 *
 * <pre>{@code
 * try (QuotientTestServer quotient = QuotientTestServer.builder()
 *     .plan("free", Map.of("ai_generations", Plan.Limit.hard(10L, "month")))
 *     .start()) {
 *   // point the application (or a QuotientClient) at quotient.url() with quotient.serviceKey()
 * }
 * }</pre>
 *
 * <p>The database is an embedded PostgreSQL in a temporary directory (stopped and deleted at
 * close), or, when the environment variable {@value #DATABASE_URL_VARIABLE} names a PostgreSQL
 * (for example {@code postgresql://postgres@127.0.0.1:5432/postgres}), a new schema on it (dropped
 * at close), which starts in a fraction of the time. Three keys are handed out: {@link #adminKey}
 * (everything), {@link #serviceKey} (consume, check, refunds, reservations, usage) and
 * {@link #readKey} (usage, plans, subjects, grants, events).
 *
 * <p>Start one server per test class, not one per test: it takes a moment to start and each test
 * can use subjects of its own. Thread-safe; {@link #close} may be called more than once, and a
 * server still open when the JVM exits is closed by a shutdown hook.
 */
public final class QuotientTestServer implements AutoCloseable {
  /** The environment variable naming an external PostgreSQL for tests, as the project's own tests use it. */
  public static final String DATABASE_URL_VARIABLE = "QUOTIENT_TEST_DATABASE_URL";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final QuotientServer server;
  private final ScratchDatabase database;
  private final URI url;
  private final String adminKey;
  private final String serviceKey;
  private final String readKey;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook;

  private QuotientTestServer(
      QuotientServer server, ScratchDatabase database, URI url, String adminKey, String serviceKey, String readKey) {
    this.server = server;
    this.database = database;
    this.url = url;
    this.adminKey = adminKey;
    this.serviceKey = serviceKey;
    this.readKey = readKey;
    // The embedded PostgreSQL runs in a session of its own and registers no hook of its own: a test
    // run that ends without close() would leave it running on a deleted-to-be directory.
    this.shutdownHook = new Thread(this::stop, "quotient-testkit-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a server with the example plans ({@code free}, {@code starter}, {@code growth}, {@code chat}). */
  public static QuotientTestServer start() {
    return builder().start();
  }

  /** A builder for a server with other plans, another default plan, a clock, or another database. */
  public static Builder builder() {
    return new Builder();
  }

  /** The server's base URL, such as {@code http://127.0.0.1:41234}, without a trailing slash. */
  public URI url() {
    return url;
  }

  /** The port the server listens on. */
  public int port() {
    return server.port();
  }

  /** A key with the {@code admin} role: every route. */
  public String adminKey() {
    return adminKey;
  }

  /** A key with the {@code service} role: consume, check, batch, refunds, reservations, usage. */
  public String serviceKey() {
    return serviceKey;
  }

  /** A key with the {@code read} role: usage, plans, subjects, grants, events. */
  public String readKey() {
    return readKey;
  }

  /** The embedded PostgreSQL's directory, or null on an external database (for the kit's own tests). */
  Path databaseDirectory() {
    return database.directory();
  }

  /** The schema on an external database, or null on an embedded one (for the kit's own tests). */
  String databaseSchema() {
    return database.directory() == null ? database.database().schema() : null;
  }

  /**
   * Stops the server (requests in flight finish first), the engine and the database, then throws
   * the data away: an embedded PostgreSQL is stopped and its directory deleted, an external
   * schema dropped. Later calls do nothing.
   */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook runs stop() too, and only one of them acts.
    }
    stop();
  }

  private void stop() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.close();
    } finally {
      database.discard();
    }
  }

  /**
   * Settings of a {@link QuotientTestServer}. Not thread-safe; {@link #start} may be called more
   * than once, each time for a new server.
   */
  public static final class Builder {
    private final Map<String, Map<String, Plan.Limit>> plans = new LinkedHashMap<>();
    private Path plansFile;
    private String defaultPlan = "free";
    private Clock clock = Clock.systemUTC();
    private String databaseUrl = blankToNull(System.getenv(DATABASE_URL_VARIABLE));

    private Builder() {}

    /**
     * Installs the plans of {@code file}, in the format of the repository's {@code config/plans.json}
     * ({@code {"plans":{"free":{"limits":{…}}}}}), as {@code QUOTIENT_PLANS_FILE} does.
     */
    public Builder plansFile(Path file) {
      this.plansFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * Installs the plan {@code name} with {@code limits} by metric (after the plans file's, which it
     * replaces when the names meet). With neither plans nor a file, the example plans are installed.
     */
    public Builder plan(String name, Map<String, Plan.Limit> limits) {
      Objects.requireNonNull(name, "name");
      plans.put(name, Map.copyOf(Objects.requireNonNull(limits, "limits")));
      return this;
    }

    /** The plan unknown subjects start on; {@code free} unless set. */
    public Builder defaultPlan(String name) {
      this.defaultPlan = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The clock of the engine and the credentials (a test may move its own clock); the system's unless set. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Puts the server on a new schema of the PostgreSQL at {@code url} ({@code postgresql://user:pass@host:port/db}
     * or {@code jdbc:postgresql://…}) instead of what {@value #DATABASE_URL_VARIABLE} says.
     */
    public Builder databaseUrl(String url) {
      this.databaseUrl = Objects.requireNonNull(url, "url");
      return this;
    }

    /** Puts the server on an embedded PostgreSQL even when {@value #DATABASE_URL_VARIABLE} is set. */
    public Builder embeddedDatabase() {
      this.databaseUrl = null;
      return this;
    }

    /**
     * Starts the server: opens the database, installs the plans, listens on a free port and hands
     * out the keys.
     *
     * @throws io.quotient.server.config.ConfigException when a plan is not valid, naming its field
     */
    public QuotientTestServer start() {
      String adminKey = "qk_testkit_" + UUID.randomUUID().toString().replace("-", "");
      Path plansToInstall = plansToInstall();
      ScratchDatabase database = databaseUrl == null ? ScratchDatabase.embedded() : ScratchDatabase.external(databaseUrl);
      QuotientServer server = null;
      boolean started = false;
      // Whatever fails (an Error included), nothing is left behind: no server, no database, no data.
      try {
        ServerConfig d = ServerConfig.defaults();
        ServerConfig config = new ServerConfig("127.0.0.1", 0, d.dataDir(), null, null, plansToInstall, adminKey,
            defaultPlan, d.poolSize(), d.maxBodyBytes(), d.maxBatchRequests(), d.corsOrigins(), null,
            d.eventRetentionDays(), d.webhooksAllowPrivate(), d.upgradeUrl());
        // The server closes the database itself when it fails to start.
        server = QuotientServer.start(config, database.database(), clock);
        URI url = URI.create("http://127.0.0.1:" + server.port());
        String serviceKey = createKey(url, adminKey, "service");
        String readKey = createKey(url, adminKey, "read");
        QuotientTestServer running = new QuotientTestServer(server, database, url, adminKey, serviceKey, readKey);
        started = true;
        return running;
      } finally {
        if (plansToInstall != null && plansToInstall != plansFile) {
          deleteQuietly(plansToInstall);
        }
        if (!started) {
          try {
            if (server != null) {
              server.close();
            }
          } finally {
            database.discard();
          }
        }
      }
    }

    /** The plans file the server reads: the given one, or one written with the plans given in code. */
    private Path plansToInstall() {
      if (plans.isEmpty()) {
        return plansFile;
      }
      try {
        ObjectNode root = plansFile == null ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(plansFile.toFile());
        ObjectNode all = root.has("plans") ? (ObjectNode) root.get("plans") : root.putObject("plans");
        plans.forEach((name, limits) -> all.putObject(name).set("limits", JSON.valueToTree(new LinkedHashMap<>(limits))));
        Path file = Files.createTempFile("quotient-testkit-plans", ".json");
        JSON.writeValue(file.toFile(), root);
        return file;
      } catch (IOException | ClassCastException e) {
        throw new IllegalArgumentException("could not combine the plans file " + plansFile + " with the plans given: "
            + e.getMessage(), e);
      }
    }
  }

  /** Creates a key with {@code role} through the API, as an operator would; answers the key. */
  private static String createKey(URI url, String adminKey, String role) {
    HttpRequest request = HttpRequest.newBuilder(url.resolve("/v1/keys"))
        .timeout(Duration.ofSeconds(30))
        .header(Headers.AUTHORIZATION, "Bearer " + adminKey)
        .header("Content-Type", Headers.JSON)
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"testkit " + role + "\",\"role\":\"" + role + "\"}"))
        .build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 201) {
        throw new IllegalStateException("the test server refused to create a " + role + " key: "
            + response.statusCode() + " " + response.body());
      }
      JsonNode key = JSON.readTree(response.body()).get("key");
      if (key == null || !key.isTextual()) {
        throw new IllegalStateException("the test server's new key has no key member: " + response.body());
      }
      return key.asText();
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a " + role + " key on the test server", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the test server's keys", e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A temporary file the server has read already: left for the OS to clean, nothing depends on it.
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
