package io.quotient.server.cors;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.quotient.server.auth.Access;
import io.quotient.server.problem.ProblemMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which routes are open to pages follows from their access level, not from a list of paths: a
 * route added later for subject tokens (here a stand-in stream) is open as soon as it is registered.
 */
class CorsRoutesTest {
  static final String PAGE = "https://app.example.com";
  static final HttpClient http = HttpClient.newHttpClient();
  static Javalin app;

  @BeforeAll
  static void start() {
    app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      Cors.install(cfg, List.of(Origin.parse(PAGE)));
      cfg.routes.exception(Exception.class, ProblemMapper::handle);
      cfg.routes.get("/v1/subjects/{id}/stream", ctx -> ctx.result("events"), Access.USAGE);
      cfg.routes.post("/v1/subjects/{id}/stream", ctx -> ctx.result("posted"), Access.ADMIN);
      cfg.routes.get("/v1/analytics/{id}", ctx -> ctx.result("read"), Access.READ);
    }).start("127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    app.stop();
  }

  static HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void a_route_marked_for_subject_tokens_is_open_to_pages_by_its_access_level() throws Exception {
    HttpResponse<String> pre = send("OPTIONS", "/v1/subjects/ann/stream", "Origin", PAGE, "Access-Control-Request-Method", "GET");
    assertThat(pre.statusCode()).isEqualTo(204);
    assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).hasValue(PAGE);
    // Only the methods a token may call on that path are offered.
    assertThat(pre.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET");

    HttpResponse<String> call = send("GET", "/v1/subjects/ann/stream", "Origin", PAGE);
    assertThat(call.body()).isEqualTo("events");
    assertThat(call.headers().firstValue("Access-Control-Allow-Origin")).hasValue(PAGE);
  }

  @Test
  void routes_of_other_access_levels_stay_closed() throws Exception {
    assertThat(send("OPTIONS", "/v1/subjects/ann/stream", "Origin", PAGE, "Access-Control-Request-Method", "POST").statusCode())
        .isEqualTo(403);
    assertThat(send("OPTIONS", "/v1/analytics/ann", "Origin", PAGE, "Access-Control-Request-Method", "GET").statusCode())
        .isEqualTo(403);
    HttpResponse<String> call = send("GET", "/v1/analytics/ann", "Origin", PAGE);
    assertThat(call.body()).isEqualTo("read");
    assertThat(call.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }
}
