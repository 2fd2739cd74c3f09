package io.quotient.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A Server-Sent Events client written from the specification, on a plain socket (so a test
 * controls how fast it reads and how small its receive buffer is): sends one GET, reads the
 * answer's head, then the stream message by message. Not thread-safe.
 */
final class SseClient implements AutoCloseable {
  /** One message: its {@code id}, {@code event} and {@code data} fields (null when absent); comments counted. */
  record Message(String id, String event, String data) {}

  private final Socket socket;
  private final BufferedReader reader;
  final int status;
  final String contentType;
  final String head;
  int comments;

  /**
   * Opens {@code path} on {@code port} with {@code headers} ("Name: value" lines); a receive
   * buffer of {@code receiveBuffer} bytes (0: the system's).
   */
  SseClient(int port, String path, List<String> headers, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(30_000);
    StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    request.append("\r\n");
    socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String statusLine = reader.readLine();
    status = Integer.parseInt(statusLine.split(" ")[1]);
    StringBuilder h = new StringBuilder(statusLine).append('\n');
    String type = null;
    boolean chunked = false;
    for (String line = reader.readLine(); line != null && !line.isEmpty(); line = reader.readLine()) {
      h.append(line).append('\n');
      String lower = line.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("content-type:")) {
        type = line.substring(13).strip();
      }
      if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    head = h.toString();
    contentType = type;
    this.chunked = chunked;
  }

  private final boolean chunked;

  /** The next line of the body, chunk framing taken off; null at the end of the stream. */
  private String line() throws IOException {
    while (true) {
      if (pending != null && pendingAt < pending.size()) {
        return pending.get(pendingAt++);
      }
      if (!chunked) {
        return reader.readLine();
      }
      // Chunked: read a chunk, split it into lines (an SSE line may span chunks: keep the tail).
      String size = reader.readLine();
      if (size == null) {
        return null;
      }
      if (size.isEmpty()) {
        continue;
      }
      int n = Integer.parseInt(size.split(";")[0].strip(), 16);
      if (n == 0) {
        return null;
      }
      char[] buffer = new char[n];
      int read = 0;
      // The chunk size counts bytes; the messages here are ASCII, so bytes and chars agree.
      while (read < n) {
        int r = reader.read(buffer, read, n - read);
        if (r < 0) {
          return null;
        }
        read += r;
      }
      // The CRLF that ends the chunk may come only with the next chunk's size (Jetty sends them
      // together): it is skipped as an empty line before the next size, never awaited here.
      String text = tail + new String(buffer);
      List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
      tail = lines.remove(lines.size() - 1);
      pending = lines;
      pendingAt = 0;
    }
  }

  private List<String> pending;
  private int pendingAt;
  private String tail = "";

  /** The next message; null when the stream ended. Fails after 60 s without one (keep-alives do not count). */
  Message next() throws IOException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    String id = null;
    String event = null;
    StringBuilder data = null;
    while (true) {
      String line = line();
      if (line == null) {
        return null;
      }
      if (line.isEmpty()) {
        if (data != null || event != null || id != null) {
          return new Message(id, event, data == null ? null : data.toString());
        }
        continue;
      }
      if (line.startsWith(":")) {
        if (System.nanoTime() > deadline) {
          throw new java.net.SocketTimeoutException("no message within 60 s, only keep-alives");
        }
        comments++;
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
      switch (field) {
        case "id" -> id = value;
        case "event" -> event = value;
        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        default -> {}
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
