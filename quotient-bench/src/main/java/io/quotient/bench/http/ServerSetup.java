package io.quotient.bench.http;

import io.quotient.bench.Subjects;
import io.quotient.bench.audit.Expectation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sets a fresh server up: its start settings (a plans file with the bench plans, and
 * {@code bench} as the default plan so that unknown subjects start on it), then through the API
 * (issue 3's contract) the hot and capped subjects, a {@code service} key for the load, and the
 * 10,000 spread subjects, created by a first consume each in batches of 100. Stateless.
 */
public final class ServerSetup {
  private static final Pattern KEY = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"");
  private static final String ANCHOR = "2026-01-01T00:00:00Z";

  private ServerSetup() {}

  /** The settings to start the server with: a plans file (written to {@code dir}) and the default plan. */
  public static Map<String, String> settings(Path dir, long cap) throws IOException {
    Path plans = dir.resolve("bench-plans.json");
    Files.writeString(plans, "{\"plans\":{\"" + Subjects.BENCH_PLAN + "\":" + plan(Subjects.BENCH_LIMIT) + ",\""
        + Subjects.CAPPED_PLAN + "\":" + plan(cap) + "}}");
    return Map.of("QUOTIENT_PLANS_FILE", plans.toString(), "QUOTIENT_DEFAULT_PLAN", Subjects.BENCH_PLAN);
  }

  /**
   * Sets up the server on {@code port}; returns the service key to load it with. The spread
   * subjects' first consumes are told to {@code expectation}.
   */
  public static String prepare(int port, String adminKey, boolean spreadSubjects, Expectation expectation)
      throws Exception {
    try (HttpConnection admin = new HttpConnection("127.0.0.1", port, adminKey)) {
      expect(admin, "PUT", "/v1/subjects/" + Subjects.HOT, subject(Subjects.BENCH_PLAN));
      expect(admin, "PUT", "/v1/subjects/" + Subjects.CAPPED, subject(Subjects.CAPPED_PLAN));
      String key = adminKey;
      int status = admin.exchange("POST", "/v1/keys", "{\"name\":\"bench\",\"role\":\"service\"}");
      Matcher m = KEY.matcher(admin.bodyText());
      if (status / 100 == 2 && m.find()) {
        key = m.group(1);
      } else {
        System.out.println("  note: could not create a service key (HTTP " + status + "), loading with the admin key");
      }
      if (spreadSubjects) {
        createSpreadSubjects(admin, expectation);
      }
      return key;
    }
  }

  private static void createSpreadSubjects(HttpConnection c, Expectation expectation) throws IOException {
    int batch = 100;
    for (int first = 0; first < Subjects.SPREAD; first += batch) {
      StringBuilder body = new StringBuilder("{\"requests\":[");
      int n = Math.min(batch, Subjects.SPREAD - first);
      for (int i = 0; i < n; i++) {
        body.append(i == 0 ? "" : ",").append("{\"subject\":\"").append(Subjects.spread(first + i))
            .append("\",\"metric\":\"").append(Subjects.METRIC).append("\",\"amount\":1}");
      }
      body.append("]}");
      int status = c.exchange("POST", "/v1/consume/batch", body.toString());
      if (status != 200) {
        expectation.unknown(n);
        throw new IOException("creating the spread subjects: HTTP " + status + ": " + c.bodyText());
      }
      int granted = Answers.granted(c.body(), c.bodyLength(), n);
      expectation.answered(granted, 1, n - granted);
    }
  }

  private static String plan(long limit) {
    return "{\"limits\":{\"" + Subjects.METRIC + "\":{\"limit\":" + limit + ",\"period\":\"month\",\"enforcement\":\"hard\"}}}";
  }

  private static String subject(String plan) {
    return "{\"plan\":\"" + plan + "\",\"billingAnchor\":\"" + ANCHOR + "\",\"metadata\":{}}";
  }

  private static void expect(HttpConnection c, String method, String path, String body) throws IOException {
    int status = c.exchange(method, path, body);
    if (status / 100 != 2) {
      throw new IOException(method + " " + path + " answered " + status + ": " + c.bodyText());
    }
  }
}
