package io.quotient.server;

import static io.quotient.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quotient.testing.MutableClock;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The month-end report and export: decimal money in several currencies, final and provisional lines, streams. */
class ReportTest {
  static final MutableClock clock = MutableClock.at("2026-11-14T10:00:00Z");
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(clock, UnaryOperator.identity());
    plan("rp-eur", "{\"calls\":{\"limit\":2,\"period\":\"month\",\"enforcement\":\"soft\",\"overagePrice\":{\"amount\":\"0.015\",\"currency\":\"EUR\"}}}");
    plan("rp-jpy", "{\"calls\":{\"limit\":0,\"period\":\"month\",\"enforcement\":\"soft\",\"overagePrice\":{\"amount\":\"0.5\",\"currency\":\"JPY\"}}}");
    plan("rp-bhd", "{\"calls\":{\"limit\":0,\"period\":\"month\",\"enforcement\":\"soft\",\"overagePrice\":{\"amount\":\"0.0125\",\"currency\":\"BHD\"}}}");
    plan("rp-usd-daily", "{\"calls\":{\"limit\":1,\"period\":\"day\",\"enforcement\":\"soft\",\"overagePrice\":{\"amount\":\"1.10\",\"currency\":\"USD\"}}}");
    plan("rp-free", "{\"calls\":{\"limit\":1,\"period\":\"month\",\"enforcement\":\"soft\"}}");
    plan("rp-billing", "{\"calls\":{\"limit\":0,\"period\":\"billing_month\",\"enforcement\":\"soft\",\"overagePrice\":{\"amount\":\"1\",\"currency\":\"EUR\"}}}");
    subject("rp-a", "rp-eur", null);
    subject("rp-b", "rp-eur", null);
    subject("rp-c", "rp-jpy", null);
    subject("rp-d", "rp-bhd", null);
    subject("rp-e", "rp-usd-daily", null);
    subject("rp-f", "rp-free", null);
    subject("rp-g", "rp-billing", "2026-01-20T00:00:00Z");
    consume("rp-a", 9);  // 7 over: 0.105 EUR -> 0.11 (half-up)
    consume("rp-b", 3);  // 1 over: 0.015 EUR -> 0.02
    consume("rp-c", 3);  // 1.5 JPY -> 2
    consume("rp-d", 3);  // 0.0375 BHD -> 0.038
    consume("rp-e", 3);  // 2 over on Nov 14
    consume("rp-f", 5);  // 4 over, no price
    consume("rp-g", 2);  // window Oct 20 - Nov 20: October's
    clock.set("2026-11-15T10:00:00Z");
    consume("rp-e", 2);  // 1 over on Nov 15, window still open
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static void plan(String name, String limits) {
    assertThat(server.put("/v1/plans/" + name, ADMIN_KEY, "{\"limits\":" + limits + "}").status()).isEqualTo(200);
  }

  static void subject(String id, String plan, String anchor) {
    String body = "{\"plan\":\"" + plan + "\"" + (anchor == null ? "" : ",\"billingAnchor\":\"" + anchor + "\"") + "}";
    assertThat(server.put("/v1/subjects/" + id, ADMIN_KEY, body).status()).isEqualTo(200);
  }

  static void consume(String subject, int amount) {
    assertThat(server.post("/v1/consume", ADMIN_KEY, "{\"subject\":\"" + subject + "\",\"metric\":\"calls\",\"amount\":" + amount + "}")
        .json().path("allowed").asBoolean()).isTrue();
  }

  static JsonNode line(JsonNode report, String subject) {
    for (JsonNode line : report.path("lines")) {
      if (line.path("subject").asText().equals(subject)) {
        return line;
      }
    }
    return null;
  }

  @Test
  void overage_is_priced_and_rounded_to_each_currencys_minor_unit() {
    JsonNode report = server.get("/v1/reports/overage?period=2026-11", ADMIN_KEY).json();
    assertThat(line(report, "rp-a").path("amount").asText()).isEqualTo("0.11");
    assertThat(line(report, "rp-a").path("overageUnits").asLong()).isEqualTo(7);
    assertThat(line(report, "rp-a").path("unitPrice").asText()).isEqualTo("0.015");
    assertThat(line(report, "rp-b").path("amount").asText()).isEqualTo("0.02");
    assertThat(line(report, "rp-c").path("amount").asText()).isEqualTo("2");
    assertThat(line(report, "rp-d").path("amount").asText()).isEqualTo("0.038");
    assertThat(line(report, "rp-e").path("amount").asText()).isEqualTo("3.30");
    JsonNode unpriced = line(report, "rp-f");
    assertThat(unpriced.path("overageUnits").asLong()).isEqualTo(4);
    assertThat(unpriced.path("amount").isNull()).isTrue();
    assertThat(unpriced.path("currency").isNull()).isTrue();
    assertThat(line(report, "rp-g")).as("a window that started in October is October's").isNull();

    // Totals are the sums of the rounded lines: 0.11 + 0.02, not round(0.105 + 0.015) = 0.12.
    assertThat(report.path("totals").toString()).isEqualTo(
        "[{\"currency\":\"BHD\",\"amount\":\"0.038\",\"finalAmount\":\"0.000\",\"provisionalAmount\":\"0.038\"},"
            + "{\"currency\":\"EUR\",\"amount\":\"0.13\",\"finalAmount\":\"0.00\",\"provisionalAmount\":\"0.13\"},"
            + "{\"currency\":\"JPY\",\"amount\":\"2\",\"finalAmount\":\"0\",\"provisionalAmount\":\"2\"},"
            + "{\"currency\":\"USD\",\"amount\":\"3.30\",\"finalAmount\":\"0.00\",\"provisionalAmount\":\"3.30\"}]");

    JsonNode october = server.get("/v1/reports/overage?period=2026-10", ADMIN_KEY).json();
    assertThat(line(october, "rp-g").path("amount").asText()).isEqualTo("2.00");
    assertThat(line(october, "rp-g").path("status").asText()).isEqualTo("provisional");
  }

  @Test
  void lines_are_provisional_until_every_window_they_count_has_ended() {
    JsonNode now = server.get("/v1/reports/overage?period=2026-11", ADMIN_KEY).json();
    assertThat(line(now, "rp-e").path("status").asText()).as("Nov 15's window is open").isEqualTo("provisional");
    clock.set("2026-12-01T00:00:00Z");
    try {
      JsonNode after = server.get("/v1/reports/overage?period=2026-11", ADMIN_KEY).json();
      assertThat(after.path("lines")).allMatch(l -> l.path("status").asText().equals("final"));
      assertThat(after.path("totals").get(1).path("finalAmount").asText()).isEqualTo("0.13");
    } finally {
      clock.set("2026-11-15T10:00:00Z");
    }
  }

  @Test
  void bad_periods_name_the_parameter() {
    assertThat(server.get("/v1/reports/overage", ADMIN_KEY).field()).isEqualTo("period");
    assertThat(server.get("/v1/reports/overage?period=2026-13", ADMIN_KEY).field()).isEqualTo("period");
    assertThat(server.get("/v1/reports/overage?period=Nov", ADMIN_KEY).field()).isEqualTo("period");
    assertThat(server.get("/v1/exports/usage?period=2026-11&format=xml", ADMIN_KEY).field()).isEqualTo("format");
    assertThat(server.get("/v1/exports/usage?period=2026-11", server.createKey("service")).status()).isEqualTo(403);
  }

  @Test
  void the_export_streams_every_window_of_the_month_as_csv() {
    TestServer.Response csv = server.get("/v1/exports/usage?period=2026-11&format=csv", ADMIN_KEY);
    assertThat(csv.contentType()).startsWith("text/csv");
    assertThat(csv.body()).isEqualTo(String.join("\r\n",
        "subject,plan,metric,windowStart,windowEnd,limit,used,fromPlan,fromBonus,overage",
        "rp-a,rp-eur,calls,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,2,9,2,0,7",
        "rp-b,rp-eur,calls,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,2,3,2,0,1",
        "rp-c,rp-jpy,calls,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,0,3,0,0,3",
        "rp-d,rp-bhd,calls,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,0,3,0,0,3",
        "rp-e,rp-usd-daily,calls,2026-11-14T00:00:00Z,2026-11-15T00:00:00Z,1,3,1,0,2",
        "rp-e,rp-usd-daily,calls,2026-11-15T00:00:00Z,2026-11-16T00:00:00Z,1,2,1,0,1",
        "rp-f,rp-free,calls,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,1,5,1,0,4",
        "") );
  }

  @Test
  void the_export_as_json() {
    JsonNode json = server.get("/v1/exports/usage?period=2026-11&format=json", ADMIN_KEY).json();
    assertThat(json.path("period").asText()).isEqualTo("2026-11");
    assertThat(json.path("rows")).hasSize(7);
    assertThat(json.path("rows").get(0).toString()).isEqualTo(
        "{\"subject\":\"rp-a\",\"plan\":\"rp-eur\",\"metric\":\"calls\",\"windowStart\":\"2026-11-01T00:00:00Z\","
            + "\"windowEnd\":\"2026-12-01T00:00:00Z\",\"limit\":2,\"used\":9,\"fromPlan\":2,\"fromBonus\":0,\"overage\":7}");
    assertThat(server.get("/v1/exports/usage?period=2025-01&format=json", ADMIN_KEY).body())
        .isEqualTo("{\"period\":\"2025-01\",\"rows\":[]}");
  }
}
