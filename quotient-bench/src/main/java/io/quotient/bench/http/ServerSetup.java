package io.quotient.bench.http;

import io.quotient.bench.Subjects;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sets a fresh server up through its admin API (issue 3's contract): the bench plans, the hot,
 * capped and 10,000 spread subjects, and a {@code service} key for the load. Stateless.
 */
public final class ServerSetup {
  private static final Pattern KEY = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"");
  private static final String ANCHOR = "2026-01-01T00:00:00Z";

  private ServerSetup() {}

  /** Sets up the server on {@code port}; returns the service key to load it with. */
  public static String prepare(int port, String adminKey, long cap, boolean spreadSubjects) throws Exception {
    try (HttpConnection admin = new HttpConnection("127.0.0.1", port, adminKey)) {
      expect(admin, "PUT", "/v1/plans/" + Subjects.BENCH_PLAN, plan(Subjects.BENCH_LIMIT));
      expect(admin, "PUT", "/v1/plans/" + Subjects.CAPPED_PLAN, plan(cap));
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
        createSpreadSubjects(port, adminKey);
      }
      return key;
    }
  }

  private static void createSpreadSubjects(int port, String adminKey) throws Exception {
    int parallel = 16;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Void>> done = new ArrayList<>();
      for (int p = 0; p < parallel; p++) {
        int first = p;
        done.add(
            pool.submit(
                () -> {
                  try (HttpConnection c = new HttpConnection("127.0.0.1", port, adminKey)) {
                    for (int i = first; i < Subjects.SPREAD; i += parallel) {
                      expect(c, "PUT", "/v1/subjects/" + Subjects.spread(i), subject(Subjects.BENCH_PLAN));
                    }
                  }
                  return null;
                }));
      }
      for (Future<Void> f : done) {
        f.get();
      }
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
