package io.quotient.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quotient.api.Plan;
import io.quotient.api.Usage;
import io.quotient.client.QuotientClient;
import io.quotient.servlet.QuotaGate;
import io.quotient.testkit.QuotientTestServer;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The starter in a {@code @SpringBootTest} on a random port against a real Quotient server from
 * the test kit: one context for the whole class. The back-off of each bean is checked with a
 * context runner (no server).
 */
@SpringBootTest(classes = StarterApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "quotient.routes[0].path=/api/props",
    "quotient.routes[0].metric=ai_generations",
    "quotient.routes[0].amount=2",
    "quotient.routes[0].mode=consume",
    "quotient.upgrade-url=https://example.com/pricing",
    "management.endpoint.health.show-details=always"})
class StarterTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static QuotientTestServer quotient;
  static final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort
  int port;

  @Autowired
  QuotientClient client;

  @DynamicPropertySource
  static void quotient(DynamicPropertyRegistry registry) {
    quotient = QuotientTestServer.builder()
        .plan("app", Map.of(
            "ai_generations", Plan.Limit.hard(5L, "month"),
            "messages", Plan.Limit.hard(100L, "month"),
            "premium_messages", Plan.Limit.hard(1L, "month")))
        .defaultPlan("app")
        .start();
    registry.add("quotient.url", () -> quotient.url().toString());
    registry.add("quotient.api-key", quotient::serviceKey);
  }

  @AfterAll
  static void stop() {
    if (quotient != null) {
      quotient.close();
    }
  }

  private HttpResponse<String> post(String path, String user) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.noBody());
    if (user != null) {
      request.header("X-User", user);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private long used(String subject, String metric) {
    return client.usage(subject).metrics().stream().filter(m -> m.metric().equals(metric)).findFirst()
        .map(Usage.Metric::used).orElseThrow();
  }

  @Test
  void a_route_from_properties_is_charged_by_the_filter() throws Exception {
    HttpResponse<String> ok = post("/api/props", "ann");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(ok.body()).get("remaining").asLong()).isEqualTo(3);
    assertThat(ok.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v).startsWith("\"ai_generations\";r=3;t="));
    assertThat(used("ann", "ai_generations")).isEqualTo(2);
  }

  @Test
  void quota_charges_on_success_only_and_denies_past_the_limit_with_a_problem() throws Exception {
    assertThat(post("/api/generate?fail=true", "bea").statusCode()).isEqualTo(502);
    assertThat(used("bea", "ai_generations")).as("a failed answer is not charged").isZero();
    for (int i = 0; i < 5; i++) {
      assertThat(post("/api/generate", "bea").statusCode()).isEqualTo(200);
    }
    HttpResponse<String> denied = post("/api/generate", "bea");
    assertThat(denied.statusCode()).isEqualTo(429);
    assertThat(denied.headers().firstValue("Retry-After")).isPresent();
    assertThat(denied.headers().firstValue("RateLimit-Policy")).hasValueSatisfying(v -> assertThat(v).startsWith("\"ai_generations\";q=5;w="));
    JsonNode problem = JSON.readTree(denied.body());
    assertThat(problem.get("type").asText()).isEqualTo("urn:quotient:problem:quota-exceeded");
    assertThat(problem.get("upgradeUrl").asText()).isEqualTo("https://example.com/pricing");
    assertThat(used("bea", "ai_generations")).isEqualTo(5);
  }

  @Test
  void repeated_quotas_are_charged_all_or_nothing() throws Exception {
    assertThat(post("/api/premium", "cid").statusCode()).isEqualTo(200);
    assertThat(post("/api/premium", "cid").statusCode()).as("premium_messages is used up").isEqualTo(429);
    assertThat(used("cid", "messages")).as("and messages was not charged alone").isEqualTo(1);
    assertThat(used("cid", "premium_messages")).isEqualTo(1);
  }

  @Test
  void charge_on_request_charges_a_failing_handler_too() throws Exception {
    assertThat(post("/api/counted?fail=true", "dee").statusCode()).isEqualTo(500);
    assertThat(used("dee", "messages")).isEqualTo(1);
  }

  @Test
  void the_default_subject_is_the_authenticated_principal_and_none_is_a_401() throws Exception {
    HttpResponse<String> anonymous = post("/api/generate", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(anonymous.body()).get("type").asText()).isEqualTo("urn:quotient:problem:unauthorized");
  }

  @Test
  void the_health_indicator_reports_quotient() throws Exception {
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/actuator/health/quotient")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(health.body());
    assertThat(body.get("status").asText()).isEqualTo("UP");
    assertThat(body.at("/details/database").asText()).isEqualTo("up");
  }

  @Test
  void configuration_metadata_names_the_properties() throws Exception {
    // The starter's own file, among the other jars' files of the same name.
    URL ours = QuotientAutoConfiguration.class.getResource("/META-INF/spring-configuration-metadata.json");
    for (URL url : java.util.Collections.list(getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json"))) {
      if (url.toString().contains("quotient-spring-boot-starter")) {
        ours = url;
      }
    }
    assertThat(ours.toString()).as("generated by the configuration processor").contains("quotient-spring-boot-starter");
    try (InputStream in = ours.openStream()) {
      JsonNode metadata = JSON.readTree(in);
      assertThat(metadata.get("properties").findValuesAsText("name"))
          .contains("quotient.url", "quotient.api-key", "quotient.request-timeout", "quotient.failure-mode", "quotient.routes");
      assertThat(metadata.get("hints").findValuesAsText("name")).contains("quotient.routes[].mode");
    }
  }

  @Test
  void the_readmes_configuration_protects_its_endpoint_in_under_ten_lines() throws Exception {
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("../README.md"));
    String block = readme.substring(readme.indexOf("<!-- spring-properties:start -->"), readme.indexOf("<!-- spring-properties:end -->"));
    java.util.List<String> lines = block.lines().filter(l -> l.startsWith("quotient.")).toList();
    assertThat(lines).hasSizeBetween(1, 9);
    java.util.List<String> properties = new java.util.ArrayList<>(lines);
    properties.add("QUOTIENT_APIKEY=qk_from_the_environment");
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(QuotientAutoConfiguration.class))
        .withPropertyValues(properties.toArray(String[]::new))
        .run(context -> {
          assertThat(context).hasNotFailed();
          @SuppressWarnings("unchecked")
          org.springframework.boot.web.servlet.FilterRegistrationBean<io.quotient.servlet.QuotaFilter> filter =
              context.getBean("quotaFilterRegistration", org.springframework.boot.web.servlet.FilterRegistrationBean.class);
          assertThat(filter.getFilter().routes()).singleElement().satisfies(route -> {
            assertThat(route.pattern()).isEqualTo("/api/generate");
            assertThat(route.mode()).isEqualTo(io.quotient.servlet.QuotaRoute.Mode.CHARGE_ON_SUCCESS);
            assertThat(route.upgradeUrl()).isEqualTo("https://example.com/pricing");
          });
        });
  }

  @Test
  void every_bean_backs_off_for_the_applications_own() {
    QuotientClient own = QuotientClient.builder().url("http://127.0.0.1:9").apiKey("own").build();
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(QuotientAutoConfiguration.class))
        .withPropertyValues("quotient.url=http://127.0.0.1:9", "quotient.api-key=k")
        .withBean(QuotientClient.class, () -> own)
        .withBean("quotaGate", QuotaGate.class, () -> QuotaGate.builder(own).subjects(r -> "x").build())
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(QuotientClient.class)).isSameAs(own);
          assertThat(context.getBeansOfType(QuotaGate.class)).hasSize(1).containsKey("quotaGate");
        });
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(QuotientAutoConfiguration.class))
        .run(context -> assertThat(context).doesNotHaveBean(QuotientClient.class));
    own.close();
  }
}
