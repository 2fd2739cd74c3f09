package io.quotient.monitor.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real HTTP webhook receiver for tests: records every request and answers from a script (200
 * when the script is empty). {@link #verify} checks a request against a secret with an
 * implementation of the Standard Webhooks specification of its own (not the server's).
 */
public final class Receiver implements AutoCloseable {
  /** One request as received. */
  public record Request(String id, String timestamp, String signature, String contentType, String body) {}

  /** One scripted answer. */
  public record Answer(int status, Map<String, String> headers) {
    public static Answer of(int status) {
      return new Answer(status, Map.of());
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private volatile long delayMillis;

  public Receiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      var h = exchange.getRequestHeaders();
      requests.add(new Request(h.getFirst("webhook-id"), h.getFirst("webhook-timestamp"), h.getFirst("webhook-signature"),
          h.getFirst("Content-Type"), new String(body, StandardCharsets.UTF_8)));
      if (delayMillis > 0) {
        try {
          Thread.sleep(delayMillis); // a slow receiver: deliveries are in flight for this long
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Answer answer = script.poll();
      if (answer == null) {
        answer = Answer.of(200);
      }
      answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.sendResponseHeaders(answer.status(), -1);
      exchange.close();
    });
    server.start();
  }

  /** The URL to post to. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** Answers the next requests with these, in order, then 200. */
  public void script(Answer... answers) {
    script.addAll(List.of(answers));
  }

  /** Answers each request after {@code millis} (the request is recorded at once). */
  public void delay(long millis) {
    this.delayMillis = millis;
  }

  public List<Request> requests() {
    return new ArrayList<>(requests);
  }

  /**
   * Standard Webhooks verification: the timestamp within 5 minutes of {@code clock}, and one of the
   * space-separated {@code v1,} signatures equal (in constant time) to HMAC-SHA256 of
   * {@code id.timestamp.body} keyed with the base64-decoded secret after {@code whsec_}.
   */
  public static boolean verify(Request request, String secret, Clock clock) {
    if (request.id() == null || request.timestamp() == null || request.signature() == null) {
      return false;
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(request.timestamp());
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(clock.instant().getEpochSecond() - timestamp) > 300) {
      return false;
    }
    byte[] expected;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.replaceFirst("^whsec_", "")), "HmacSHA256"));
      expected = mac.doFinal((request.id() + "." + request.timestamp() + "." + request.body()).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    for (String part : request.signature().split(" ")) {
      int comma = part.indexOf(',');
      if (comma < 0 || !part.substring(0, comma).equals("v1")) {
        continue;
      }
      byte[] given;
      try {
        given = Base64.getDecoder().decode(part.substring(comma + 1));
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (MessageDigest.isEqual(expected, given)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
