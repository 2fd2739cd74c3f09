package io.quotient.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.server.cors.Origin;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The usage page's files over HTTP: served without a credential, with a frame policy that admits
 * the configured origins only, scripts from the server itself, and Chart.js from its WebJar.
 */
class UsagePageTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Clock.systemUTC(),
        c -> c.withCorsOrigins(List.of(Origin.parse("https://app.example.com"))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void the_page_is_served_with_a_frame_policy_from_the_cors_origins() {
    for (String path : List.of("/usage", "/usage/", "/usage/index.html")) {
      TestServer.Response page = server.send("GET", path, null, null, Map.of());
      assertThat(page.status()).as(path + " " + page).isEqualTo(200);
      assertThat(page.contentType()).startsWith("text/html");
      assertThat(page.body()).contains("/usage/usage.js", "/webjars/chart.js/4.4.1/dist/chart.umd.js");
      String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
      assertThat(csp).contains("frame-ancestors 'self' https://app.example.com;").contains("script-src 'self'");
    }
  }

  @Test
  void the_modules_and_chart_js_are_served() {
    TestServer.Response script = server.send("GET", "/usage/usage.js", null, null, Map.of());
    assertThat(script.status()).isEqualTo(200);
    assertThat(script.contentType()).contains("javascript");
    TestServer.Response strings = server.send("GET", "/usage/strings.js", null, null, Map.of());
    assertThat(strings.body()).contains("export const STRINGS");
    TestServer.Response chart = server.send("GET", "/webjars/chart.js/4.4.1/dist/chart.umd.js", null, null, Map.of());
    assertThat(chart.status()).isEqualTo(200);
  }

  @Test
  void the_admin_dashboard_is_served_and_may_not_be_framed() {
    for (String path : List.of("/admin", "/admin/", "/admin/index.html")) {
      TestServer.Response page = server.send("GET", path, null, null, Map.of());
      assertThat(page.status()).as(path + " " + page).isEqualTo(200);
      assertThat(page.body()).contains("/admin/admin.js", "/webjars/chart.js/4.4.1/dist/chart.umd.js");
      assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
          .contains("frame-ancestors 'none'").contains("script-src 'self'");
      assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
    }
    assertThat(server.send("GET", "/admin/strings.js", null, null, Map.of()).body()).contains("export const STRINGS");
    assertThat(server.send("GET", "/admin/admin.css", null, null, Map.of()).status()).isEqualTo(200);
  }

  @Test
  void the_api_still_answers_problems_and_unknown_pages_are_404() {
    assertThat(server.send("GET", "/usage/nope.js", null, null, Map.of()).status()).isEqualTo(404);
    assertThat(server.get("/v1/plans", null).status()).isEqualTo(401);
  }
}
