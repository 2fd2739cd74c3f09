package io.quotient.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP link between the client and the server that fails on purpose, and records every byte the
 * client sent. Either a proxy that forwards each request but drops the first {@code n} answers
 * (closing the connection once the server has started answering, so the server has applied the
 * request and the client never learns it), or a server that reads requests and never answers.
 */
final class FaultyLink implements AutoCloseable {
  private static final Pattern REQUEST_LINE = Pattern.compile("(?m)^(GET|POST|PUT|DELETE) (\\S+) HTTP/1\\.1$");
  private static final Pattern KEY_HEADER = Pattern.compile("(?mi)^Idempotency-Key: (\\S+)$");

  private final ServerSocket listener;
  private final Integer upstreamPort;
  private final AtomicInteger answersToDrop;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<ByteArrayOutputStream> sent = new CopyOnWriteArrayList<>();

  private FaultyLink(Integer upstreamPort, int answersToDrop) throws IOException {
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.upstreamPort = upstreamPort;
    this.answersToDrop = new AtomicInteger(answersToDrop);
    Thread.ofPlatform().daemon().name("faulty-link-accept").start(this::accept);
  }

  /** A proxy to {@code port} on the loopback that drops the first {@code answers} answers. */
  static FaultyLink droppingAnswers(int port, int answers) throws IOException {
    return new FaultyLink(port, answers);
  }

  /** A server that takes connections and requests and never answers. */
  static FaultyLink silent() throws IOException {
    return new FaultyLink(null, 0);
  }

  String url() {
    return "http://127.0.0.1:" + listener.getLocalPort();
  }

  /** The request lines the client sent ({@code POST /v1/consume}), in order. */
  List<String> requests() {
    return matches(REQUEST_LINE, m -> m.group(1) + " " + m.group(2));
  }

  /** The {@code Idempotency-Key} headers the client sent, in order. */
  List<String> idempotencyKeys() {
    return matches(KEY_HEADER, m -> m.group(1));
  }

  private List<String> matches(Pattern pattern, java.util.function.Function<Matcher, String> value) {
    List<String> out = new java.util.ArrayList<>();
    for (ByteArrayOutputStream bytes : sent) {
      String text;
      synchronized (bytes) {
        text = bytes.toString(StandardCharsets.ISO_8859_1);
      }
      Matcher m = pattern.matcher(text);
      while (m.find()) {
        out.add(value.apply(m));
      }
    }
    return out;
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        sockets.add(client);
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        sent.add(record);
        Socket server = null;
        if (upstreamPort != null) {
          server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
          sockets.add(server);
        }
        Socket upstream = server;
        Thread.ofPlatform().daemon().start(() -> pumpRequests(client, upstream, record));
        if (upstream != null) {
          Thread.ofPlatform().daemon().start(() -> pumpAnswers(upstream, client));
        }
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static void pumpRequests(Socket client, Socket upstream, ByteArrayOutputStream record) {
    byte[] buffer = new byte[8192];
    try (InputStream in = client.getInputStream()) {
      OutputStream out = upstream == null ? OutputStream.nullOutputStream() : upstream.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        synchronized (record) {
          record.write(buffer, 0, n);
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // The other side closed: the link ends.
    } finally {
      closeQuietly(client);
      closeQuietly(upstream);
    }
  }

  private void pumpAnswers(Socket upstream, Socket client) {
    byte[] buffer = new byte[8192];
    boolean first = true;
    try (InputStream in = upstream.getInputStream()) {
      OutputStream out = client.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        // The server has answered, so it has applied the request: losing the answer now is the case under test.
        if (first && answersToDrop.getAndDecrement() > 0) {
          break;
        }
        first = false;
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // The other side closed: the link ends.
    } finally {
      closeQuietly(client);
      closeQuietly(upstream);
    }
  }

  private static void closeQuietly(Socket socket) {
    if (socket == null) {
      return;
    }
    try {
      socket.close();
    } catch (IOException e) {
      // Closing a test socket: nothing to do.
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    sockets.forEach(FaultyLink::closeQuietly);
  }
}
