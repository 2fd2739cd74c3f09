package io.quotient.server.config;

import io.quotient.InvalidArgumentException;
import io.quotient.Names;
import io.quotient.server.cors.Origin;
import io.quotient.storage.Database;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The server's settings.
 *
 * <p>Each setting has an environment variable ({@code QUOTIENT_PORT}) and a key in the optional
 * properties file ({@code quotient.port}); the environment wins over the file, the file over the
 * default. The file is named by {@code --config PATH} or {@code QUOTIENT_CONFIG}.
 *
 * @param host the address to listen on
 * @param port the port to listen on; 0 picks a free one
 * @param dataDir where the embedded PostgreSQL keeps its data (unused with a database URL)
 * @param databaseUrl an external PostgreSQL, or null for the embedded one
 * @param databaseSchema the schema on the external PostgreSQL, or null for the default
 * @param plansFile plans applied at start (create or update), or null
 * @param bootstrapAdminKey the admin key of a fresh database, or null to generate one
 * @param defaultPlan the plan unknown subjects start on
 * @param poolSize database connections
 * @param maxBodyBytes the largest request body accepted
 * @param maxBatchRequests the most requests one batch call may hold
 * @param corsOrigins the origins whose pages may call the routes a subject token may call; none by default
 * @param redisUrl a Redis that shares burst-rate limits between instances ({@code redis://},
 *     {@code rediss://}, {@code redis-cluster://host:port,…}), or null for each instance's own buckets
 * @param eventRetentionDays events older than this many days are deleted (in small batches, off the
 *     write path); 0 keeps every event. Default 400.
 * @param webhooksAllowPrivate whether webhook URLs may name or resolve to loopback, private and
 *     link-local addresses ({@code QUOTIENT_WEBHOOKS_ALLOW_PRIVATE}); false by default, true only
 *     for tests and private deployments
 * @param upgradeUrl the deployment's upgrade link, for plans without one of their own; null for none
 */
public record ServerConfig(
    String host,
    int port,
    Path dataDir,
    String databaseUrl,
    String databaseSchema,
    Path plansFile,
    String bootstrapAdminKey,
    String defaultPlan,
    int poolSize,
    int maxBodyBytes,
    int maxBatchRequests,
    List<Origin> corsOrigins,
    String redisUrl,
    int eventRetentionDays,
    boolean webhooksAllowPrivate,
    String upgradeUrl) {

  /** Shortest bootstrap admin key accepted. */
  public static final int MIN_KEY_LENGTH = 24;

  private static final Set<String> SETTINGS =
      Set.of(
          "QUOTIENT_HOST",
          "QUOTIENT_PORT",
          "QUOTIENT_DATA_DIR",
          "QUOTIENT_DATABASE_URL",
          "QUOTIENT_DATABASE_SCHEMA",
          "QUOTIENT_PLANS_FILE",
          "QUOTIENT_BOOTSTRAP_ADMIN_KEY",
          "QUOTIENT_DEFAULT_PLAN",
          "QUOTIENT_POOL_SIZE",
          "QUOTIENT_MAX_BODY_BYTES",
          "QUOTIENT_MAX_BATCH_REQUESTS",
          "QUOTIENT_CORS_ORIGINS",
          "QUOTIENT_REDIS_URL",
          "QUOTIENT_EVENT_RETENTION_DAYS",
          "QUOTIENT_WEBHOOKS_ALLOW_PRIVATE",
          "QUOTIENT_UPGRADE_URL");

  /** Copies the origins, so that the record is a value. */
  public ServerConfig {
    corsOrigins = List.copyOf(corsOrigins);
  }

  /** The defaults: port 8080, data under {@code ./data}, embedded database, plan {@code free}. */
  public static ServerConfig defaults() {
    return new ServerConfig("0.0.0.0", 8080, Path.of("data"), null, null, null, null, "free", 16, 1 << 20, 1000, List.of(), null, 400, false, null);
  }

  /** The same settings on another port. */
  public ServerConfig withPort(int value) {
    return new ServerConfig(host, value, dataDir, databaseUrl, databaseSchema, plansFile, bootstrapAdminKey, defaultPlan,
        poolSize, maxBodyBytes, maxBatchRequests, corsOrigins, redisUrl, eventRetentionDays, webhooksAllowPrivate, upgradeUrl);
  }

  /** The same settings with another bootstrap admin key. */
  public ServerConfig withBootstrapAdminKey(String value) {
    return new ServerConfig(host, port, dataDir, databaseUrl, databaseSchema, plansFile, value, defaultPlan,
        poolSize, maxBodyBytes, maxBatchRequests, corsOrigins, redisUrl, eventRetentionDays, webhooksAllowPrivate, upgradeUrl);
  }

  /** The same settings with another plans file. */
  public ServerConfig withPlansFile(Path value) {
    return new ServerConfig(host, port, dataDir, databaseUrl, databaseSchema, value, bootstrapAdminKey, defaultPlan,
        poolSize, maxBodyBytes, maxBatchRequests, corsOrigins, redisUrl, eventRetentionDays, webhooksAllowPrivate, upgradeUrl);
  }

  /** The same settings with other request limits. */
  public ServerConfig withLimits(int bodyBytes, int batchRequests) {
    return new ServerConfig(host, port, dataDir, databaseUrl, databaseSchema, plansFile, bootstrapAdminKey, defaultPlan,
        poolSize, bodyBytes, batchRequests, corsOrigins, redisUrl, eventRetentionDays, webhooksAllowPrivate, upgradeUrl);
  }

  /** The same settings with another Redis URL (null: each instance's own burst buckets). */
  public ServerConfig withRedisUrl(String value) {
    return new ServerConfig(host, port, dataDir, databaseUrl, databaseSchema, plansFile, bootstrapAdminKey, defaultPlan,
        poolSize, maxBodyBytes, maxBatchRequests, corsOrigins, value, eventRetentionDays, webhooksAllowPrivate, upgradeUrl);
  }

  /** The same settings with private webhook addresses allowed or not. */
  public ServerConfig withWebhooksAllowPrivate(boolean value) {
    return new ServerConfig(host, port, dataDir, databaseUrl, databaseSchema, plansFile, bootstrapAdminKey, defaultPlan,
        poolSize, maxBodyBytes, maxBatchRequests, corsOrigins, redisUrl, eventRetentionDays, value, upgradeUrl);
  }

  /** The same settings with another deployment upgrade link. */
  public ServerConfig withUpgradeUrl(String value) {
    return new ServerConfig(host, port, dataDir, databaseUrl, databaseSchema, plansFile, bootstrapAdminKey, defaultPlan,
        poolSize, maxBodyBytes, maxBatchRequests, corsOrigins, redisUrl, eventRetentionDays, webhooksAllowPrivate, value);
  }

  /** The same settings with other CORS origins. */
  public ServerConfig withCorsOrigins(List<Origin> value) {
    return new ServerConfig(host, port, dataDir, databaseUrl, databaseSchema, plansFile, bootstrapAdminKey, defaultPlan,
        poolSize, maxBodyBytes, maxBatchRequests, value, redisUrl, eventRetentionDays, webhooksAllowPrivate, upgradeUrl);
  }

  /**
   * Reads the settings from the command line ({@code --config PATH}), the file it or
   * {@code QUOTIENT_CONFIG} names, and {@code env}.
   *
   * @throws ConfigException naming the first bad setting
   */
  public static ServerConfig load(String[] args, Map<String, String> env) {
    String configFile = env.get("QUOTIENT_CONFIG");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config")) {
        if (i + 1 >= args.length) {
          throw new ConfigException("--config", "needs a file path");
        }
        configFile = args[++i];
      } else if (args[i].startsWith("--config=")) {
        configFile = args[i].substring("--config=".length());
      } else {
        throw new ConfigException(args[i], "is not an option; the only option is --config PATH");
      }
    }
    Map<String, String> values = new LinkedHashMap<>();
    if (configFile != null && !configFile.isBlank()) {
      values.putAll(readFile(Path.of(configFile)));
    }
    for (String setting : SETTINGS) {
      String value = env.get(setting);
      if (value != null && !value.isEmpty()) {
        values.put(setting, value);
      }
    }
    return from(values);
  }

  /** Reads a properties file whose keys are {@code quotient.port} and so on, as setting names. */
  static Map<String, String> readFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("QUOTIENT_CONFIG", "the config file " + file + " does not exist");
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("QUOTIENT_CONFIG", "the config file " + file + " cannot be read: " + e.getMessage(), e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String key : new TreeSet<>(properties.stringPropertyNames())) {
      String setting = key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
      if (!SETTINGS.contains(setting)) {
        throw new ConfigException(key, "is not a setting (in " + file + "); known: " + new TreeSet<>(SETTINGS).stream()
            .map(ServerConfig::fileKey).toList());
      }
      values.put(setting, properties.getProperty(key).strip());
    }
    return values;
  }

  /** The file key of a setting: {@code QUOTIENT_DATA_DIR} is {@code quotient.data-dir}. */
  static String fileKey(String setting) {
    return "quotient." + setting.substring("QUOTIENT_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static ServerConfig from(Map<String, String> values) {
    ServerConfig d = defaults();
    String host = values.getOrDefault("QUOTIENT_HOST", d.host());
    int port = integer(values, "QUOTIENT_PORT", d.port(), 0, 65535);
    Path dataDir = path(values, "QUOTIENT_DATA_DIR", d.dataDir());
    String databaseUrl = values.get("QUOTIENT_DATABASE_URL");
    if (databaseUrl != null) {
      try {
        Database.JdbcUrl.parse(databaseUrl);
      } catch (InvalidArgumentException e) {
        throw new ConfigException("QUOTIENT_DATABASE_URL", e.reason()
            + " (use postgresql://user:pass@host:port/db or jdbc:postgresql://host:port/db)");
      }
    }
    String schema = values.get("QUOTIENT_DATABASE_SCHEMA");
    if (schema != null && !schema.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new ConfigException("QUOTIENT_DATABASE_SCHEMA", "must match [a-z_][a-z0-9_]{0,62}, was '" + schema + "'");
    }
    Path plansFile = path(values, "QUOTIENT_PLANS_FILE", null);
    if (plansFile != null && !Files.isRegularFile(plansFile)) {
      throw new ConfigException("QUOTIENT_PLANS_FILE", "the plans file " + plansFile + " does not exist");
    }
    String key = values.get("QUOTIENT_BOOTSTRAP_ADMIN_KEY");
    if (key != null && (key.length() < MIN_KEY_LENGTH || key.length() > 200 || !key.matches("[\\x21-\\x7e]+"))) {
      throw new ConfigException("QUOTIENT_BOOTSTRAP_ADMIN_KEY",
          "must be " + MIN_KEY_LENGTH + " to 200 printable characters without spaces");
    }
    String defaultPlan = values.getOrDefault("QUOTIENT_DEFAULT_PLAN", d.defaultPlan());
    if (!Names.METRIC.matcher(defaultPlan).matches()) {
      throw new ConfigException("QUOTIENT_DEFAULT_PLAN", "must match [a-z0-9_.-]{1,64}, was '" + defaultPlan + "'");
    }
    int poolSize = integer(values, "QUOTIENT_POOL_SIZE", d.poolSize(), 6, 500);
    int maxBody = integer(values, "QUOTIENT_MAX_BODY_BYTES", d.maxBodyBytes(), 1024, 64 << 20);
    int maxBatch = integer(values, "QUOTIENT_MAX_BATCH_REQUESTS", d.maxBatchRequests(), 1, 4096);
    List<Origin> corsOrigins = origins(values.get("QUOTIENT_CORS_ORIGINS"));
    String upgradeUrl = values.get("QUOTIENT_UPGRADE_URL");
    if (upgradeUrl != null && !io.quotient.plan.Plan.isWebAddress(upgradeUrl)) {
      throw new ConfigException("QUOTIENT_UPGRADE_URL", "must be an absolute http or https URL of at most 2000 characters");
    }
    String redisUrl = values.get("QUOTIENT_REDIS_URL");
    if (redisUrl != null && !redisUrl.matches("(redis|rediss|redis-cluster|rediss-cluster)://\\S+")) {
      throw new ConfigException("QUOTIENT_REDIS_URL",
          "must be redis://host:port, rediss://host:port or redis-cluster://host:port,host:port (rediss-cluster:// with TLS)");
    }
    boolean webhooksAllowPrivate = bool(values, "QUOTIENT_WEBHOOKS_ALLOW_PRIVATE", d.webhooksAllowPrivate());
    int retention = integer(values, "QUOTIENT_EVENT_RETENTION_DAYS", d.eventRetentionDays(), 0, 100_000);
    return new ServerConfig(host, port, dataDir, databaseUrl, schema, plansFile, key, defaultPlan, poolSize, maxBody, maxBatch,
        corsOrigins, redisUrl, retention, webhooksAllowPrivate, upgradeUrl);
  }

  /** A comma-separated list of origins; blanks between commas are skipped, repeats kept once. */
  private static List<Origin> origins(String value) {
    if (value == null) {
      return List.of();
    }
    Set<Origin> origins = new LinkedHashSet<>();
    for (String part : value.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      try {
        origins.add(Origin.parse(part));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("QUOTIENT_CORS_ORIGINS", e.getMessage());
      }
    }
    return List.copyOf(origins);
  }

  private static boolean bool(Map<String, String> values, String setting, boolean fallback) {
    String value = values.get(setting);
    if (value == null) {
      return fallback;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(setting, "must be true or false, was '" + value + "'");
    };
  }

  private static int integer(Map<String, String> values, String setting, int fallback, int min, int max) {
    String value = values.get(setting);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value.strip());
      if (parsed < min || parsed > max) {
        throw new ConfigException(setting, "must be between " + min + " and " + max + ", was " + parsed);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new ConfigException(setting, "must be a whole number between " + min + " and " + max + ", was '" + value + "'");
    }
  }

  private static Path path(Map<String, String> values, String setting, Path fallback) {
    String value = values.get(setting);
    if (value == null) {
      return fallback;
    }
    try {
      return Path.of(value);
    } catch (RuntimeException e) {
      throw new ConfigException(setting, "is not a valid path: '" + value + "'");
    }
  }
}
