package io.quotient.client;

import io.quotient.api.ProblemType;
import io.quotient.api.StreamMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A subscription to the live stream, {@code GET /v1/stream}, made by {@link QuotientClient#stream}.
 *
 * <p><b>No gap, no repeat.</b> One thread of its own reads the Server-Sent Events and hands each
 * message to the listener, in feed order, and then remembers its cursor (the SSE {@code id}). When
 * the connection drops (the server stopped, a proxy cut it, the stream overflowed because the
 * listener was too slow), it connects again with {@code Last-Event-ID} set to the last cursor
 * handed over: the server sends exactly what came after it. A server that refuses the stream for
 * good (a problem such as 401, 403 or 422) ends it, and {@link #done()} fails with that problem.
 *
 * <p><b>A silent connection.</b> The server writes a keep-alive comment every 15 s; a connection
 * that brings nothing (not even that) for the idle timeout ({@link QuotientClient.Builder#streamIdleTimeout},
 * 45 s unless set) is taken to be dead (a half-open connection after a partition or a frozen
 * proxy), closed, and connected again from the cursor.
 *
 * <p>A listener that throws ends the stream with that failure. {@link #close()} ends it at once.
 * Thread-safe; the listener is called from the stream's thread only, one message at a time.
 */
public final class LiveStream implements AutoCloseable {
  private static final long INITIAL_PAUSE_MILLIS = 100;
  private static final long MAX_PAUSE_MILLIS = 5_000;

  private final Transport transport;
  private final StreamQuery query;
  private final Consumer<StreamedMessage> listener;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final AtomicLong connections = new AtomicLong();
  private final Thread thread;
  private final long idleNanos;
  private volatile long lastActivity = System.nanoTime();
  private volatile String cursor;
  private volatile InputStream current;
  private volatile boolean closed;

  LiveStream(Transport transport, StreamQuery query, Consumer<StreamedMessage> listener, java.time.Duration idleTimeout) {
    this.idleNanos = idleTimeout.toNanos();
    this.transport = transport;
    this.query = query;
    this.listener = listener;
    this.cursor = query.after();
    this.thread = Thread.ofVirtual().name("quotient-stream").unstarted(this::run);
  }

  void start() {
    thread.start();
    Thread.ofVirtual().name("quotient-stream-watchdog").start(this::watch);
  }

  /** Closes a connection that has brought nothing for the idle timeout; the reader then connects again. */
  private void watch() {
    long tick = Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(idleNanos) / 4);
    while (!closed && !done.isDone()) {
      try {
        Thread.sleep(tick);
      } catch (InterruptedException e) {
        return;
      }
      if (System.nanoTime() - lastActivity > idleNanos) {
        lastActivity = System.nanoTime();
        closeCurrent();
      }
    }
  }

  /** The cursor of the last message handed to the listener (or the query's {@code after}); null before any. */
  public String cursor() {
    return cursor;
  }

  /** How many times the stream has connected (1 until a connection dropped). */
  public long connections() {
    return connections.get();
  }

  /**
   * Completes when the stream ends: normally after {@link #close()}, exceptionally with the
   * {@link QuotientException} of a refusal or with what the listener threw.
   */
  public CompletableFuture<Void> done() {
    return done;
  }

  /**
   * Ends the stream and its connection; {@link #done()} then completes normally. A message the
   * listener is being handed at that moment is the last it gets.
   */
  @Override
  public void close() {
    closed = true;
    closeCurrent();
    thread.interrupt();
  }

  private void run() {
    int failures = 0;
    while (!closed) {
      lastActivity = System.nanoTime();
      try (InputStream in = transport.openEvents(path(), cursor)) {
        current = in;
        lastActivity = System.nanoTime();
        connections.incrementAndGet();
        if (closed) {
          break;
        }
        failures = 0;
        read(in);
      } catch (QuotientProblemException e) {
        if (!retryable(e.type().orElse(null))) {
          done.completeExceptionally(e);
          return;
        }
      } catch (QuotientProtocolException e) {
        int status = e.status();
        if (status != 502 && status != 503 && status != 504) {
          done.completeExceptionally(e);
          return;
        }
      } catch (QuotientUnreachableException | QuotientTimeoutException | IOException | UncheckedIOException e) {
        // dropped or not reachable: connect again from the cursor
      } catch (ListenerFailure e) {
        done.completeExceptionally(e.getCause());
        return;
      } catch (RuntimeException | Error e) {
        if (!closed) {
          done.completeExceptionally(e);
          return;
        }
      }
      if (closed) {
        break;
      }
      try {
        Thread.sleep(pause(failures++));
      } catch (InterruptedException e) {
        break; // closed
      }
    }
    done.complete(null);
  }

  private static boolean retryable(ProblemType type) {
    return type == ProblemType.SHUTTING_DOWN || type == ProblemType.STORAGE_UNAVAILABLE;
  }

  /** Reads events until the stream ends; hands each message over, then moves the cursor past it. */
  private void read(InputStream in) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String id = null;
    String event = null;
    StringBuilder data = new StringBuilder();
    String line;
    while (!closed && (line = reader.readLine()) != null) {
      lastActivity = System.nanoTime();
      if (line.isEmpty()) {
        if (!data.isEmpty()) {
          dispatch(id, event, data.toString());
        }
        id = null;
        event = null;
        data.setLength(0);
        continue;
      }
      if (line.startsWith(":")) {
        continue; // a comment: the greeting, a keep-alive
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "id" -> id = value;
        case "event" -> event = value;
        case "data" -> data.append(data.isEmpty() ? "" : "\n").append(value);
        default -> { } // retry and unknown fields: nothing to do
      }
    }
  }

  private void dispatch(String id, String event, String data) throws IOException {
    if ("stream.overflow".equals(event)) {
      // The listener fell behind; the server ends this connection. Resume from where it says.
      String resumeAfter = transport.json().readTree(data).path("resumeAfter").asText(null);
      if (resumeAfter != null && !resumeAfter.isEmpty() && !"null".equals(resumeAfter)) {
        cursor = resumeAfter;
      }
      return;
    }
    StreamMessage message = transport.json().readValue(data, StreamMessage.class);
    if (closed) {
      return;
    }
    try {
      listener.accept(new StreamedMessage(id, message));
    } catch (RuntimeException | Error e) {
      throw new ListenerFailure(e);
    }
    if (id != null) {
      cursor = id;
    }
  }

  private String path() {
    StringJoiner params = new StringJoiner("&", "?", "").setEmptyValue("");
    if (query.subject() != null) {
      params.add("subject=" + encode(query.subject()));
    }
    if (!query.types().isEmpty()) {
      params.add("types=" + encode(String.join(",", query.types())));
    }
    return "/v1/stream" + params;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static long pause(int failures) {
    long full = Math.min(MAX_PAUSE_MILLIS, INITIAL_PAUSE_MILLIS << Math.min(failures, 10));
    return full / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(full / 2 + 1);
  }

  private void closeCurrent() {
    InputStream in = current;
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  /** What the listener threw, carried out of the read loop. */
  private static final class ListenerFailure extends RuntimeException {
    ListenerFailure(Throwable cause) {
      super(cause);
    }
  }
}
