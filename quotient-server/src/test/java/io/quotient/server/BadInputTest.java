package io.quotient.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input matrix: every case answers its 4xx with a problem body whose type and field are
 * pinned, never a 500, and nothing is written (checked at the end: the victim subject has no
 * usage and no events).
 */
class BadInputTest {
  static TestServer server;
  static String service;

  /** One bad request and the answer it must get. */
  record Case(String name, String method, String path, String contentType, String body, Map<String, String> headers,
      int status, String type, String field) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case consume(String name, String body, int status, String type, String field) {
    return new Case(name, "POST", "/v1/consume", "application/json", body, Map.of(), status, type, field);
  }

  static Case admin(String name, String method, String path, String body, int status, String type, String field) {
    return new Case("admin: " + name, method, path, "application/json", body, Map.of("admin", "true"), status, type, field);
  }

  static final String V = "\"subject\":\"victim\"";
  static final String LONG = "x".repeat(256);

  static Stream<Case> cases() {
    List<Case> c = new ArrayList<>();
    c.add(consume("amount zero", "{" + V + ",\"metric\":\"exports\",\"amount\":0}", 422, "invalid-field", "amount"));
    c.add(consume("amount negative", "{" + V + ",\"metric\":\"exports\",\"amount\":-1}", 422, "invalid-field", "amount"));
    c.add(consume("amount over 2^53", "{" + V + ",\"metric\":\"exports\",\"amount\":9007199254740993}", 422, "invalid-field", "amount"));
    c.add(consume("amount past long", "{" + V + ",\"metric\":\"exports\",\"amount\":123456789012345678901234567890}", 422, "invalid-field", "amount"));
    c.add(consume("amount fraction", "{" + V + ",\"metric\":\"exports\",\"amount\":1.5}", 422, "invalid-field", "amount"));
    c.add(consume("amount float 1.0", "{" + V + ",\"metric\":\"exports\",\"amount\":1.0}", 422, "invalid-field", "amount"));
    c.add(consume("amount exponent", "{" + V + ",\"metric\":\"exports\",\"amount\":1e3}", 422, "invalid-field", "amount"));
    c.add(consume("amount string", "{" + V + ",\"metric\":\"exports\",\"amount\":\"1\"}", 422, "invalid-field", "amount"));
    c.add(consume("amount null", "{" + V + ",\"metric\":\"exports\",\"amount\":null}", 422, "invalid-field", "amount"));
    c.add(consume("amount boolean", "{" + V + ",\"metric\":\"exports\",\"amount\":true}", 422, "invalid-field", "amount"));
    c.add(consume("item amount zero", "{" + V + ",\"items\":[{\"metric\":\"exports\",\"amount\":0}]}", 422, "invalid-field", "items[0].amount"));
    c.add(consume("second item metric", "{" + V + ",\"items\":[{\"metric\":\"exports\",\"amount\":1},{\"metric\":\"Bad Metric\",\"amount\":1}]}",
        422, "invalid-field", "items[1].metric"));
    c.add(consume("metric upper case", "{" + V + ",\"metric\":\"AI\",\"amount\":1}", 422, "invalid-field", "metric"));
    c.add(consume("metric too long", "{" + V + ",\"metric\":\"" + "m".repeat(65) + "\",\"amount\":1}", 422, "invalid-field", "metric"));
    c.add(consume("metric empty", "{" + V + ",\"metric\":\"\",\"amount\":1}", 422, "invalid-field", "metric"));
    c.add(consume("subject empty", "{\"subject\":\"\",\"metric\":\"exports\",\"amount\":1}", 422, "invalid-field", "subject"));
    c.add(consume("subject blank", "{\"subject\":\"   \",\"metric\":\"exports\",\"amount\":1}", 422, "invalid-field", "subject"));
    c.add(consume("subject too long", "{\"subject\":\"" + LONG + "\",\"metric\":\"exports\",\"amount\":1}", 422, "invalid-field", "subject"));
    c.add(consume("subject missing", "{\"metric\":\"exports\",\"amount\":1}", 422, "invalid-field", "subject"));
    c.add(consume("subject a number", "{\"subject\":5,\"metric\":\"exports\",\"amount\":1}", 422, "invalid-field", "subject"));
    c.add(consume("unknown field", "{" + V + ",\"metric\":\"exports\",\"amount\":1,\"amout\":2}", 422, "unknown-field", "amout"));
    c.add(consume("unknown item field", "{" + V + ",\"items\":[{\"metric\":\"exports\",\"amount\":1,\"x\":1}]}", 422, "unknown-field", "items[0].x"));
    c.add(consume("malformed JSON", "{" + V + ",\"metric\":", 400, "malformed-json", null));
    c.add(consume("trailing tokens", "{" + V + ",\"metric\":\"exports\",\"amount\":1} {}", 400, "malformed-json", null));
    c.add(consume("not an object", "[1,2]", 400, "malformed-json", null));
    c.add(consume("duplicate key", "{" + V + ",\"metric\":\"exports\",\"amount\":1,\"amount\":1}", 400, "malformed-json", null));
    c.add(consume("empty body", "", 400, "malformed-json", null));
    c.add(consume("metric and items", "{" + V + ",\"metric\":\"exports\",\"amount\":1,\"items\":[]}", 422, "invalid-field", "items"));
    c.add(consume("neither metric nor items", "{" + V + "}", 422, "invalid-field", "items"));
    c.add(consume("items empty", "{" + V + ",\"items\":[]}", 422, "invalid-field", "items"));
    c.add(consume("items not an array", "{" + V + ",\"items\":{}}", 422, "invalid-field", "items"));
    c.add(consume("items 33", "{" + V + ",\"items\":[" + IntStream.range(0, 33)
        .mapToObj(i -> "{\"metric\":\"m" + i + "\",\"amount\":1}").collect(Collectors.joining(",")) + "]}", 422, "invalid-field", "items"));
    c.add(consume("item metric twice", "{" + V + ",\"items\":[{\"metric\":\"exports\",\"amount\":1},{\"metric\":\"exports\",\"amount\":1}]}",
        422, "invalid-field", "items[1].metric"));
    c.add(consume("metadata nested", "{" + V + ",\"metric\":\"exports\",\"amount\":1,\"metadata\":{\"a\":{\"b\":1}}}", 422, "invalid-field", "metadata.a"));
    c.add(consume("metadata array", "{" + V + ",\"metric\":\"exports\",\"amount\":1,\"metadata\":{\"tags\":[1]}}", 422, "invalid-field", "metadata.tags"));
    c.add(consume("metadata null value", "{" + V + ",\"metric\":\"exports\",\"amount\":1,\"metadata\":{\"a\":null}}", 422, "invalid-field", "metadata.a"));
    c.add(consume("metadata 51 keys", "{" + V + ",\"metric\":\"exports\",\"amount\":1,\"metadata\":{" + IntStream.range(0, 51)
        .mapToObj(i -> "\"k" + i + "\":\"v\"").collect(Collectors.joining(",")) + "}}", 422, "invalid-field", "metadata"));
    c.add(consume("metadata not an object", "{" + V + ",\"metric\":\"exports\",\"amount\":1,\"metadata\":\"x\"}", 422, "invalid-field", "metadata"));
    c.add(new Case("text/plain body", "POST", "/v1/consume", "text/plain", "{" + V + ",\"metric\":\"exports\",\"amount\":1}", Map.of(),
        415, "unsupported-media-type", "Content-Type"));
    c.add(new Case("no content type", "POST", "/v1/consume", null, "{" + V + ",\"metric\":\"exports\",\"amount\":1}", Map.of(),
        415, "unsupported-media-type", "Content-Type"));
    c.add(new Case("body over 1 MiB", "POST", "/v1/consume", "application/json",
        "{" + V + ",\"metric\":\"exports\",\"amount\":1,\"metadata\":{\"a\":\"" + "x".repeat(1 << 20) + "\"}}", Map.of(),
        413, "body-too-large", null));
    c.add(new Case("batch over 1000", "POST", "/v1/consume/batch", "application/json", "{\"requests\":[" + IntStream.range(0, 1001)
        .mapToObj(i -> "{" + V + ",\"metric\":\"exports\",\"amount\":1}").collect(Collectors.joining(",")) + "]}", Map.of(),
        413, "batch-too-large", "requests"));
    c.add(new Case("batch second amount", "POST", "/v1/consume/batch", "application/json",
        "{\"requests\":[{" + V + ",\"metric\":\"exports\",\"amount\":1},{" + V + ",\"metric\":\"exports\",\"amount\":0}]}", Map.of(),
        422, "invalid-field", "requests[1].amount"));
    c.add(new Case("batch empty", "POST", "/v1/consume/batch", "application/json", "{\"requests\":[]}", Map.of(), 422, "invalid-field", "requests"));
    c.add(new Case("idempotency key too long", "POST", "/v1/consume", "application/json", "{" + V + ",\"metric\":\"exports\",\"amount\":1}",
        Map.of("Idempotency-Key", LONG), 422, "invalid-field", "Idempotency-Key"));
    c.add(new Case("check amount zero", "POST", "/v1/check", "application/json", "{" + V + ",\"metric\":\"exports\",\"amount\":0}", Map.of(),
        422, "invalid-field", "amount"));
    c.add(new Case("reservation ttl zero", "POST", "/v1/reservations", "application/json",
        "{" + V + ",\"metric\":\"exports\",\"amount\":1,\"ttlSeconds\":0}", Map.of(), 422, "invalid-field", "ttlSeconds"));
    c.add(new Case("reservation ttl over a day", "POST", "/v1/reservations", "application/json",
        "{" + V + ",\"metric\":\"exports\",\"amount\":1,\"ttlSeconds\":86401}", Map.of(), 422, "invalid-field", "ttlSeconds"));
    c.add(new Case("reservation ttl missing", "POST", "/v1/reservations", "application/json",
        "{" + V + ",\"metric\":\"exports\",\"amount\":1}", Map.of(), 422, "invalid-field", "ttlSeconds"));
    c.add(new Case("commit amount negative", "POST", "/v1/reservations/r1/commit", "application/json",
        "{\"amounts\":{\"exports\":-1}}", Map.of(), 422, "invalid-field", "amounts.exports"));
    c.add(new Case("refund event id not a number", "POST", "/v1/refunds", "application/json", "{\"eventId\":\"abc\"}", Map.of(),
        422, "invalid-field", "eventId"));
    c.add(new Case("refund of nothing", "POST", "/v1/refunds", "application/json", "{}", Map.of(), 422, "invalid-field", "eventId"));
    c.add(new Case("refund amount zero", "POST", "/v1/refunds", "application/json", "{\"eventId\":\"1\",\"amount\":0}", Map.of(),
        422, "invalid-field", "amount"));
    c.add(new Case("usage of an over-long id", "GET", "/v1/subjects/" + LONG + "/usage", null, null, Map.of(), 422, "invalid-field", "id"));
    c.add(admin("plan limit negative", "PUT", "/v1/plans/p1", "{\"limits\":{\"exports\":{\"limit\":-1,\"period\":\"month\"}}}",
        422, "invalid-field", "limits.exports.limit"));
    c.add(admin("plan limit fraction", "PUT", "/v1/plans/p1", "{\"limits\":{\"exports\":{\"limit\":2.5,\"period\":\"month\"}}}",
        422, "invalid-field", "limits.exports.limit"));
    c.add(admin("plan period unknown", "PUT", "/v1/plans/p1", "{\"limits\":{\"exports\":{\"limit\":1,\"period\":\"week\"}}}",
        422, "invalid-field", "limits.exports.period"));
    c.add(admin("plan enforcement unknown", "PUT", "/v1/plans/p1",
        "{\"limits\":{\"exports\":{\"limit\":1,\"period\":\"month\",\"enforcement\":\"strict\"}}}", 422, "invalid-field", "limits.exports.enforcement"));
    c.add(admin("plan metric name", "PUT", "/v1/plans/p1", "{\"limits\":{\"Exports\":{\"limit\":1,\"period\":\"month\"}}}",
        422, "invalid-field", "limits.Exports"));
    c.add(admin("plan limit missing", "PUT", "/v1/plans/p1", "{\"limits\":{\"exports\":{\"period\":\"month\"}}}",
        422, "invalid-field", "limits.exports.limit"));
    c.add(admin("plan unknown limit field", "PUT", "/v1/plans/p1", "{\"limits\":{\"exports\":{\"limit\":1,\"period\":\"month\",\"cap\":2}}}",
        422, "unknown-field", "limits.exports.cap"));
    c.add(admin("plan currency", "PUT", "/v1/plans/p1",
        "{\"limits\":{\"exports\":{\"limit\":1,\"period\":\"month\",\"overagePrice\":{\"amount\":\"0.1\",\"currency\":\"DOLLARS\"}}}}",
        422, "invalid-field", "limits.exports.overagePrice.currency"));
    c.add(admin("plan rate zero", "PUT", "/v1/plans/p1",
        "{\"limits\":{\"exports\":{\"limit\":1,\"period\":\"month\",\"rate\":{\"perSecond\":0,\"burst\":1}}}}",
        422, "invalid-field", "limits.exports.rate.perSecond"));
    c.add(admin("plan name", "PUT", "/v1/plans/Bad%20Name", "{\"limits\":{}}", 422, "invalid-field", "name"));
    c.add(admin("subject anchor", "PUT", "/v1/subjects/victim2", "{\"billingAnchor\":\"yesterday\"}", 422, "invalid-field", "billingAnchor"));
    c.add(admin("subject plan name", "PUT", "/v1/subjects/victim2", "{\"plan\":\"Free Plan\"}", 422, "invalid-field", "plan"));
    c.add(admin("grant amount zero", "POST", "/v1/subjects/victim/grants", "{\"metric\":\"exports\",\"amount\":0}", 422, "invalid-field", "amount"));
    c.add(admin("grant expiry", "POST", "/v1/subjects/victim/grants", "{\"metric\":\"exports\",\"amount\":1,\"expiresAt\":\"soon\"}",
        422, "invalid-field", "expiresAt"));
    c.add(admin("key role", "POST", "/v1/keys", "{\"name\":\"k\",\"role\":\"root\"}", 422, "invalid-field", "role"));
    c.add(admin("key name blank", "POST", "/v1/keys", "{\"name\":\" \",\"role\":\"read\"}", 422, "invalid-field", "name"));
    c.add(admin("token ttl zero", "POST", "/v1/subjects/victim/tokens", "{\"ttlSeconds\":0}", 422, "invalid-field", "ttlSeconds"));
    c.add(admin("events limit zero", "GET", "/v1/events?limit=0", null, 422, "invalid-field", "limit"));
    c.add(admin("events after", "GET", "/v1/events?after=abc", null, 422, "invalid-field", "after"));
    c.add(admin("events type", "GET", "/v1/events?type=nope", null, 422, "invalid-field", "type"));
    c.add(admin("events unknown parameter", "GET", "/v1/events?subjct=victim", null, 422, "unknown-field", "subjct"));
    c.add(admin("reset metric", "POST", "/v1/subjects/victim/reset", "{\"metric\":\"Exports\"}", 422, "invalid-field", "metric"));
    c.add(admin("no such route", "GET", "/v1/nothing", null, 404, "not-found", null));
    return c.stream();
  }

  @BeforeAll
  static void start() {
    server = TestServer.start();
    service = server.createKey("service");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void bad_input_gets_a_problem_naming_the_field(Case c) {
    Map<String, String> headers = new java.util.HashMap<>(c.headers());
    String key = headers.remove("admin") != null ? TestServer.ADMIN_KEY : service;
    if (c.contentType() != null) {
      headers.put("Content-Type", c.contentType());
    }
    TestServer.Response r = server.send(c.method(), c.path(), key, c.body(), headers);
    assertThat(r.status()).as(r.toString()).isEqualTo(c.status());
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.problemType()).as(r.toString()).isEqualTo(c.type());
    assertThat(r.field()).as(r.toString()).isEqualTo(c.field());
    assertThat(r.json().get("status").asInt()).isEqualTo(c.status());
    assertThat(r.json().get("detail").asText()).isNotBlank();
  }

  @Test
  void nothing_was_written_for_the_victim() {
    cases().forEach(this::bad_input_gets_a_problem_naming_the_field);
    var usage = server.get("/v1/subjects/victim/usage", service).json();
    usage.get("metrics").forEach(m -> assertThat(m.get("used").asLong()).as(m.toString()).isZero());
    assertThat(server.get("/v1/events?subject=victim", TestServer.ADMIN_KEY).json().get("events")).isEmpty();
    assertThat(server.get("/v1/subjects/victim2", TestServer.ADMIN_KEY).status()).isEqualTo(404);
    assertThat(server.get("/v1/plans/p1", TestServer.ADMIN_KEY).status()).isEqualTo(404);
  }
}
