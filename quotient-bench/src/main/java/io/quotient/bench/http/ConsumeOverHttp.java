package io.quotient.bench.http;

import io.quotient.bench.Subjects;
import io.quotient.bench.audit.Expectation;
import io.quotient.bench.load.Session;
import io.quotient.bench.load.Workload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Consumes of one unit over HTTP: single ({@code POST /v1/consume}) or batched
 * ({@code POST /v1/consume/batch}, {@code batchSize} requests each decided on its own), on random
 * spread subjects or one fixed subject. Each caller owns one keep-alive connection. Request bodies
 * are assembled from bytes prepared up front. Thread-safe.
 */
public final class ConsumeOverHttp implements Workload {
  private static final byte[] OPEN = "{\"requests\":[".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] COMMA = {','};
  private static final byte[] CLOSE = {']', '}'};

  private final int port;
  private final String key;
  private final int batchSize;
  private final byte[][] bodies;
  private final Expectation expectation;

  private ConsumeOverHttp(int port, String key, int batchSize, byte[][] bodies, Expectation expectation) {
    this.port = port;
    this.key = key;
    this.batchSize = batchSize;
    this.bodies = bodies;
    this.expectation = expectation;
  }

  /**
   * The workload.
   *
   * @param batchSize 0 for single consumes, else the requests per batch
   * @param subject the one subject to load, or null to spread over the 10,000
   */
  public static ConsumeOverHttp of(int port, String key, int batchSize, String subject, Expectation expectation) {
    byte[][] bodies;
    if (subject != null) {
      bodies = new byte[][] {body(subject)};
    } else {
      bodies = new byte[Subjects.SPREAD][];
      for (int i = 0; i < bodies.length; i++) {
        bodies[i] = body(Subjects.spread(i));
      }
    }
    return new ConsumeOverHttp(port, key, batchSize, bodies, expectation);
  }

  private static byte[] body(String subject) {
    return ("{\"subject\":\"" + subject + "\",\"metric\":\"" + Subjects.METRIC + "\",\"amount\":1}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public int decisionsPerCall() {
    return batchSize == 0 ? 1 : batchSize;
  }

  @Override
  public Session open(int caller) {
    return new Caller();
  }

  private byte[] pick() {
    return bodies.length == 1 ? bodies[0] : bodies[Subjects.randomIndex()];
  }

  private final class Caller implements Session {
    private final HttpConnection connection = new HttpConnection("127.0.0.1", port, key);
    private final byte[] head =
        connection.head("POST", batchSize == 0 ? "/v1/consume" : "/v1/consume/batch", "application/json");
    private byte[] batch = new byte[16 * 1024];

    @Override
    public int call() throws IOException {
      int decisions = decisionsPerCall();
      int status;
      try {
        if (batchSize == 0) {
          byte[] body = pick();
          status = connection.exchange(head, body, body.length);
        } else {
          int length = buildBatch();
          status = connection.exchange(head, batch, length);
        }
      } catch (IOException e) {
        expectation.unknown(decisions);
        throw e;
      }
      if (status != 200) {
        expectation.unknown(decisions);
        throw new IOException("HTTP " + status + ": " + connection.bodyText());
      }
      int granted = Answers.granted(connection.body(), connection.bodyLength(), decisions);
      expectation.answered(granted, 1, decisions - granted);
      return granted;
    }

    private int buildBatch() {
      int at = put(0, OPEN);
      for (int i = 0; i < batchSize; i++) {
        if (i > 0) {
          at = put(at, COMMA);
        }
        at = put(at, pick());
      }
      return put(at, CLOSE);
    }

    private int put(int at, byte[] bytes) {
      if (batch.length < at + bytes.length) {
        batch = java.util.Arrays.copyOf(batch, Math.max(at + bytes.length, batch.length * 2));
      }
      System.arraycopy(bytes, 0, batch, at, bytes.length);
      return at + bytes.length;
    }

    @Override
    public void close() {
      connection.close();
    }
  }
}
