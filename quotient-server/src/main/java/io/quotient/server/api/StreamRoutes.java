package io.quotient.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.quotient.api.ProblemType;
import io.quotient.engine.Quotient;
import io.quotient.event.Event;
import io.quotient.event.EventQuery;
import io.quotient.feed.FeedCursor;
import io.quotient.monitor.message.Message;
import io.quotient.monitor.message.Messages;
import io.quotient.server.auth.Access;
import io.quotient.server.auth.Authenticator;
import io.quotient.server.auth.Credential;
import io.quotient.server.metrics.ServerMetrics;
import io.quotient.server.problem.ProblemException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The live stream: {@code GET /v1/stream}, Server-Sent Events of the feed in the message vocabulary.
 *
 * <p><b>How a client is served.</b> The request's own (virtual) thread writes the stream; a feed
 * subscription ({@link Quotient#feed}, a thread of the engine's) pushes the client's messages into
 * a bounded queue of {@value #BUFFER} messages. The subscription asks for everything at once: when
 * the queue is full it waits, on its own thread, up to {@value #ROOM_MILLIS} ms for room, so a
 * client catching up on a backlog is fed at the pace it reads (the feed hands out the engine's own
 * recent events from memory, faster than a socket takes them); a client that takes nothing for
 * that long reads too slowly, and gets a last message, {@code event: stream.overflow} with the
 * cursor to resume after, and the stream ends. Writers never wait for a client: the subscription
 * reads committed events, away from the write path.
 *
 * <p><b>No gap, no repeat.</b> Each message's SSE {@code id} is its feed cursor. A client that
 * reconnects with {@code Last-Event-ID} (or {@code ?after=}) follows the feed from just after it:
 * the feed's order never changes, so what it gets is exactly what it had not had.
 *
 * <p>A comment line every {@value #KEEP_ALIVE_SECONDS} s keeps proxies from closing an idle stream.
 * When the server stops, streams end (clients reconnect to another instance).
 */
final class StreamRoutes {
  /** Messages held for one client before it counts as too slow. */
  static final int BUFFER = 1000;
  /** How long a full queue waits for the client to take a message before the client counts as too slow. */
  static final long ROOM_MILLIS = 500;
  static final long KEEP_ALIVE_SECONDS = 15;

  private final Quotient engine;
  private final ServerMetrics metrics;
  private final BooleanSupplier accepting;

  StreamRoutes(Quotient engine, ServerMetrics metrics, BooleanSupplier accepting) {
    this.engine = engine;
    this.metrics = metrics;
    this.accepting = accepting;
  }

  void register(RoutesConfig routes) {
    routes.get("/v1/stream", this::stream, Access.STREAM);
  }

  private void stream(Context ctx) throws IOException {
    Set<String> known = Set.of("subject", "types", "after");
    for (String name : ctx.queryParamMap().keySet()) {
      if (!known.contains(name)) {
        throw new ProblemException(ProblemType.UNKNOWN_FIELD,
            name + " is not a known query parameter; known: " + known.stream().sorted().toList(), name);
      }
    }
    String subject = Exchange.blankToNull(ctx.queryParam("subject"));
    if (Authenticator.credential(ctx) instanceof Credential.SubjectToken token) {
      if (subject != null && !subject.equals(token.subject())) {
        throw new ProblemException(ProblemType.FORBIDDEN, "a subject token follows only its own subject's messages");
      }
      subject = token.subject();
    }
    Set<String> types = types(Exchange.blankToNull(ctx.queryParam("types")));
    String lastEventId = Exchange.blankToNull(ctx.header("Last-Event-ID"));
    String after = lastEventId != null ? lastEventId : Exchange.blankToNull(ctx.queryParam("after"));
    String field = lastEventId != null ? "Last-Event-ID" : "after";
    FeedCursor from = after == null ? engine.head() : Body.within(field, () -> FeedCursor.parse(after), "after");
    String s = subject;
    EventQuery query = Body.within("", () -> new EventQuery(s, null, from, 100));

    Client client = new Client(types);
    ctx.status(200);
    ctx.contentType("text/event-stream; charset=utf-8");
    ctx.header("Cache-Control", "no-cache");
    ctx.header("X-Accel-Buffering", "no"); // nginx: pass each message on at once
    OutputStream out = ctx.res().getOutputStream();
    metrics.streamOpened();
    String closed = "error";
    engine.feed(query).subscribe(client);
    try {
      out.write(": quotient stream\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      closed = client.serve(out, from);
    } catch (IOException e) {
      closed = "client"; // the client hung up
    } finally {
      client.cancel();
      metrics.streamClosed(closed);
    }
  }

  private static Set<String> types(String csv) {
    if (csv == null) {
      return null;
    }
    Set<String> types = new LinkedHashSet<>();
    for (String type : csv.split(",")) {
      String t = type.strip();
      if (!Messages.TYPES.contains(t)) {
        throw ProblemException.invalid("types", "must list message types from " + Messages.TYPES + ", had '" + t + "'");
      }
      types.add(t);
    }
    return types;
  }

  /** One client: the feed subscription's side (onNext into the queue) and the writer's side ({@link #serve}). */
  private final class Client implements Flow.Subscriber<Event> {
    private final Set<String> types;
    private final BlockingQueue<Message> queue = new ArrayBlockingQueue<>(BUFFER);
    private volatile Flow.Subscription subscription;
    private volatile boolean overflowed;
    private volatile boolean cancelled;
    private volatile Throwable failed;
    private volatile boolean completed;

    Client(Set<String> types) {
      this.types = types;
    }

    @Override
    public void onSubscribe(Flow.Subscription value) {
      subscription = value;
      if (cancelled) {
        value.cancel();
      } else {
        value.request(Long.MAX_VALUE); // push: a slow client overflows its queue, never holds the feed back
      }
    }

    @Override
    public void onNext(Event event) {
      if (overflowed) {
        return;
      }
      Message message = Messages.of(event).orElse(null);
      if (message == null || (types != null && !types.contains(message.type()))) {
        return;
      }
      if (!queue.offer(message) && !offerWhenRoom(message)) {
        overflowed = true;
        cancel();
      }
    }

    /** Waits up to {@link #ROOM_MILLIS} for room for {@code message} (on the subscription's thread). */
    private boolean offerWhenRoom(Message message) {
      try {
        return !cancelled && queue.offer(message, ROOM_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    @Override
    public void onError(Throwable e) {
      failed = e;
    }

    @Override
    public void onComplete() {
      completed = true;
    }

    void cancel() {
      cancelled = true;
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }

    /** Writes messages until the client hangs up, falls behind, or the server stops; returns why it ended. */
    String serve(OutputStream out, FeedCursor from) throws IOException {
      FeedCursor sent = from;
      long keepAliveNanos = TimeUnit.SECONDS.toNanos(KEEP_ALIVE_SECONDS);
      long lastWrite = System.nanoTime();
      StringBuilder frame = new StringBuilder(512);
      while (true) {
        if (overflowed) {
          frame.setLength(0);
          frame.append("event: stream.overflow\ndata: {\"reason\":\"the client read too slowly; reconnect with Last-Event-ID\",")
              .append("\"resumeAfter\":\"").append(sent).append("\"}\n\n");
          write(out, frame);
          return "overflow";
        }
        if (!accepting.getAsBoolean() || completed) {
          return "stopping";
        }
        if (failed != null) {
          return "error"; // the feed could not be read (the database); the client resumes from its last id
        }
        Message message;
        try {
          message = queue.poll(Math.min(250, TimeUnit.NANOSECONDS.toMillis(keepAliveNanos)), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return "stopping";
        }
        if (message != null) {
          frame.setLength(0);
          frame.append("id: ").append(message.cursor()).append("\nevent: ").append(message.type())
              .append("\ndata: ").append(message.json()).append("\n\n");
          // Several queued messages go out in one write and one flush.
          Message next;
          int more = 0;
          while (more++ < 64 && !overflowed && (next = queue.poll()) != null) {
            frame.append("id: ").append(next.cursor()).append("\nevent: ").append(next.type())
                .append("\ndata: ").append(next.json()).append("\n\n");
            message = next;
          }
          write(out, frame);
          sent = message.cursor();
          lastWrite = System.nanoTime();
        } else if (System.nanoTime() - lastWrite >= keepAliveNanos) {
          frame.setLength(0);
          frame.append(": keep-alive\n\n");
          write(out, frame);
          lastWrite = System.nanoTime();
        }
      }
    }

    private static void write(OutputStream out, CharSequence frame) throws IOException {
      out.write(frame.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }

}
