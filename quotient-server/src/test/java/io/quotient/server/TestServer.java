package io.quotient.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quotient.server.config.ServerConfig;
import io.quotient.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A real server on a free port over a fresh test database, with an HTTP client: one per test
 * class. Its admin key is {@link #ADMIN_KEY}.
 */
final class TestServer implements AutoCloseable {
  static final String ADMIN_KEY = "qk_test-admin-key-0123456789abcdefghij";
  static final ObjectMapper JSON = new ObjectMapper();

  final QuotientServer server;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  private TestServer(QuotientServer server) {
    this.server = server;
    this.base = URI.create("http://127.0.0.1:" + server.port());
  }

  static TestServer start() {
    return start(Clock.systemUTC(), UnaryOperator.identity());
  }

  static TestServer start(Clock clock, UnaryOperator<ServerConfig> adjust) {
    return start(TestDatabase.create(), clock, adjust);
  }

  /** A server on {@code database}, which the test may also reach directly (the server closes it). */
  static TestServer start(io.quotient.storage.Database database, Clock clock, UnaryOperator<ServerConfig> adjust) {
    ServerConfig config = adjust.apply(ServerConfig.defaults().withPort(0).withBootstrapAdminKey(ADMIN_KEY).withWebhooksAllowPrivate(true));
    return new TestServer(QuotientServer.start(config, database, clock));
  }

  /** An answer: status, headers, body. */
  record Response(int status, HttpHeaders headers, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    String contentType() {
      return headers.firstValue("Content-Type").orElse("");
    }

    /** The problem type's short name, such as {@code invalid-field}. */
    String problemType() {
      return json().path("type").asText().replace("urn:quotient:problem:", "");
    }

    String field() {
      return json().path("field").asText(null);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  Response get(String path, String key) {
    return send("GET", path, key, null, Map.of());
  }

  Response post(String path, String key, String json) {
    return send("POST", path, key, json, Map.of("Content-Type", "application/json"));
  }

  /** A JSON POST carrying an {@code Idempotency-Key}. */
  Response postWithKey(String path, String key, String idempotencyKey, String json) {
    return send("POST", path, key, json, Map.of("Content-Type", "application/json", "Idempotency-Key", idempotencyKey));
  }

  /** Units of {@code metric} the subject has used in its current window, read through the API. */
  long used(String subject, String metric, String key) {
    return SeedsStoryTest.metric(get("/v1/subjects/" + subject + "/usage", key).json(), metric).get("used").asLong();
  }

  Response put(String path, String key, String json) {
    return send("PUT", path, key, json, Map.of("Content-Type", "application/json"));
  }

  Response delete(String path, String key) {
    return send("DELETE", path, key, null, Map.of());
  }

  Response send(String method, String path, String key, String body, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    headers.forEach(request::header);
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Creates a key with {@code role}; returns the key. */
  String createKey(String role) {
    Response r = post("/v1/keys", ADMIN_KEY, "{\"name\":\"" + role + " key\",\"role\":\"" + role + "\"}");
    if (r.status() != 201) {
      throw new IllegalStateException("could not create a key: " + r);
    }
    return r.json().get("key").asText();
  }

  URI base() {
    return base;
  }

  @Override
  public void close() {
    server.close();
  }
}
