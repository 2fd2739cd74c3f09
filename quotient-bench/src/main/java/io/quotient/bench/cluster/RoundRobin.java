package io.quotient.bench.cluster;

import io.quotient.bench.audit.Expectation;
import io.quotient.bench.http.Answers;
import io.quotient.bench.http.HttpConnection;
import io.quotient.bench.load.Session;
import io.quotient.bench.load.Workload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Single consumes of one unit spread over several server instances: caller {@code i} starts on
 * instance {@code i % n}, as a round-robin balancer would place its connection, and moves to the
 * next instance when a call fails without an answer (the instance died): that call's outcome is
 * unknown to the audit, every answered one is known. Grants are also counted per subject, for the
 * burst check. Thread-safe.
 */
final class RoundRobin implements Workload {
  private final List<Integer> ports;
  private final String key;
  private final List<String> subjects;
  private final byte[][] bodies;
  private final LongAdder[] granted;
  private final Expectation expectation;

  RoundRobin(List<Integer> ports, String key, List<String> subjects, String metric, Expectation expectation) {
    this.ports = List.copyOf(ports);
    this.key = key;
    this.subjects = List.copyOf(subjects);
    this.expectation = expectation;
    this.bodies = new byte[subjects.size()][];
    this.granted = new LongAdder[subjects.size()];
    for (int i = 0; i < bodies.length; i++) {
      bodies[i] = ("{\"subject\":\"" + subjects.get(i) + "\",\"metric\":\"" + metric + "\",\"amount\":1}")
          .getBytes(StandardCharsets.UTF_8);
      granted[i] = new LongAdder();
    }
  }

  /** Units granted to subject {@code i} in answers. */
  long granted(int i) {
    return granted[i].sum();
  }

  List<String> subjects() {
    return subjects;
  }

  @Override
  public int decisionsPerCall() {
    return 1;
  }

  @Override
  public Session open(int caller) {
    return new Caller(caller % ports.size());
  }

  private final class Caller implements Session {
    private int instance;
    private HttpConnection connection;
    private byte[] head;

    Caller(int instance) {
      connectTo(instance);
    }

    private void connectTo(int index) {
      instance = index;
      connection = new HttpConnection("127.0.0.1", ports.get(index), key);
      head = connection.head("POST", "/v1/consume", "application/json");
    }

    @Override
    public int call() throws IOException {
      int pick = bodies.length == 1 ? 0 : ThreadLocalRandom.current().nextInt(bodies.length);
      int status;
      try {
        status = connection.exchange(head, bodies[pick], bodies[pick].length);
      } catch (IOException e) {
        expectation.unknown(1);
        connection.close();
        connectTo((instance + 1) % ports.size()); // the balancer takes the instance out
        throw e;
      }
      if (status != 200) {
        expectation.unknown(1);
        throw new IOException("HTTP " + status + ": " + connection.bodyText());
      }
      int yes = Answers.granted(connection.body(), connection.bodyLength(), 1);
      expectation.answered(yes, 1, 1 - yes);
      granted[pick].add(yes);
      return yes;
    }

    @Override
    public void close() {
      connection.close();
    }
  }
}
