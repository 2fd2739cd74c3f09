package io.quotient.cli;

import io.quotient.client.QuotientClient;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * What one run of the CLI talks to: its streams (data on {@code out}, messages on {@code err}),
 * its environment, its home directory (for {@code ~/.config/quotient/config}) and whether
 * {@code out} is a terminal. Passed in, so tests run commands in process.
 */
final class Session {
  static final String DEFAULT_URL = "http://localhost:8080";

  final PrintStream out;
  final PrintStream err;
  final Map<String, String> env;
  final Path home;
  final boolean terminal;
  private QuotientClient client;

  Session(PrintStream out, PrintStream err, Map<String, String> env, Path home, boolean terminal) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.home = home;
    this.terminal = terminal;
  }

  /**
   * The server and key: the command line's, else {@code QUOTIENT_URL} and {@code QUOTIENT_API_KEY},
   * else {@code url} and {@code api-key} of {@code ~/.config/quotient/config} (a properties file),
   * else {@value #DEFAULT_URL} and no key.
   */
  record Target(URI url, String apiKey) {}

  Target target(String urlOption, String keyOption) {
    Properties file = configFile();
    String url = first(urlOption, env.get("QUOTIENT_URL"), file.getProperty("url"), DEFAULT_URL);
    String key = first(keyOption, env.get("QUOTIENT_API_KEY"), file.getProperty("api-key"), null);
    URI uri;
    try {
      uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, "the URL '" + url + "' is not valid: " + e.getMessage());
    }
    if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
      throw new CliException(ExitCode.USAGE, "the URL '" + url + "' must start with http:// or https://");
    }
    return new Target(uri, key);
  }

  /** The client for {@code target}, made once per run. */
  QuotientClient client(Target target) {
    if (client == null) {
      if (target.apiKey() == null || target.apiKey().isBlank()) {
        throw new CliException(ExitCode.AUTHENTICATION,
            "no API key: pass --api-key, set QUOTIENT_API_KEY, or put api-key=... in " + configPath());
      }
      client = QuotientClient.builder().url(target.url()).apiKey(target.apiKey()).build();
    }
    return client;
  }

  void close() {
    if (client != null) {
      client.close();
    }
  }

  Path configPath() {
    return home.resolve(".config").resolve("quotient").resolve("config");
  }

  private Properties configFile() {
    Properties properties = new Properties();
    Path path = configPath();
    if (Files.isRegularFile(path)) {
      try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (IOException e) {
        throw new CliException(ExitCode.ERROR, "the config file " + path + " cannot be read: " + e.getMessage());
      }
    }
    return properties;
  }

  private static String first(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return null;
  }
}
