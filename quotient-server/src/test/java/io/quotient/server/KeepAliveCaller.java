package io.quotient.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A caller that consumes over one keep-alive HTTP/1.1 connection at a time, on a raw socket so
 * that it can tell what happened to each request: answered (status and body), refused (the
 * connection could not be opened: nothing was sent), or reset (the request was sent and the
 * connection ended before a complete answer). It reconnects when an answer says
 * {@code Connection: close}, and stops on a {@code shutting-down} answer (a real client would go to
 * another instance), on a refused connection, on a reset, or when told to.
 *
 * <p>Not thread-safe: one thread per caller; read its tallies after {@link #done} counts down.
 */
final class KeepAliveCaller implements Runnable {
  private static final Pattern EVENT_ID = Pattern.compile("\"eventId\":\"?(\\d+)");

  private final int port;
  private final String key;
  private final String subject;
  private final AtomicBoolean stop;
  final CountDownLatch done = new CountDownLatch(1);

  /** Event ids of granted consumes, as answered. */
  final List<Long> granted = new ArrayList<>();
  int answers;
  int shuttingDown;
  int resets;
  int refused;
  /** Answers other than a decision or a shutting-down 503, with their bodies. */
  final List<String> unexpected = new ArrayList<>();
  String lastReset;

  KeepAliveCaller(int port, String key, String subject, AtomicBoolean stop) {
    this.port = port;
    this.key = key;
    this.subject = subject;
    this.stop = stop;
  }

  /** How many answers this caller has had so far (read from other threads as a progress hint). */
  volatile int progress;

  @Override
  public void run() {
    byte[] body = ("{\"subject\":\"" + subject + "\",\"metric\":\"ai\",\"amount\":1}").getBytes(StandardCharsets.UTF_8);
    byte[] request = ("POST /v1/consume HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + key
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n"
        + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    try {
      Socket socket = null;
      InputStream in = null;
      int onThisConnection = 0;
      while (!stop.get()) {
        if (socket == null) {
          try {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            in = new java.io.BufferedInputStream(socket.getInputStream());
            onThisConnection = 0;
          } catch (IOException e) {
            refused++;
            return;
          }
        }
        Answer answer;
        try {
          OutputStream out = socket.getOutputStream();
          out.write(request);
          out.flush();
          answer = Answer.read(in);
        } catch (IOException e) {
          resets++;
          lastReset = e + " after " + onThisConnection + " answers on this connection";
          close(socket);
          return;
        }
        answers++;
        onThisConnection++;
        progress = answers;
        if (answer.status == 200) {
          if (answer.body.contains("\"allowed\":true")) {
            Matcher id = EVENT_ID.matcher(answer.body);
            if (!id.find()) {
              unexpected.add("a grant without an event id: " + answer.body);
            } else {
              granted.add(Long.parseLong(id.group(1)));
            }
          } else {
            unexpected.add("a denial: " + answer.body);
          }
        } else if (answer.status == 503 && answer.body.contains("shutting-down")) {
          shuttingDown++;
          close(socket);
          return;
        } else {
          unexpected.add(answer.status + " " + answer.body);
        }
        if (answer.closes) {
          close(socket);
          socket = null;
        }
      }
      close(socket);
    } finally {
      done.countDown();
    }
  }

  private static void close(Socket socket) {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a broken socket
      }
    }
  }

  /** An HTTP/1.1 answer read in full: Content-Length or chunked body. */
  record Answer(int status, boolean closes, String body) {
    static Answer read(InputStream in) throws IOException {
      String statusLine = line(in);
      if (statusLine == null) {
        throw new IOException("the connection ended before an answer");
      }
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      int length = -1;
      boolean chunked = false;
      boolean closes = false;
      for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
        String lower = header.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Integer.parseInt(lower.substring(15).strip());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        } else if (lower.startsWith("connection:") && lower.contains("close")) {
          closes = true;
        }
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (chunked) {
        for (int size = Integer.parseInt(line(in).strip(), 16); size > 0; size = Integer.parseInt(line(in).strip(), 16)) {
          body.write(exactly(in, size));
          line(in);
        }
        line(in);
      } else if (length >= 0) {
        body.write(exactly(in, length));
      } else {
        throw new IOException("an answer without a length");
      }
      return new Answer(status, closes, body.toString(StandardCharsets.UTF_8));
    }

    private static byte[] exactly(InputStream in, int n) throws IOException {
      byte[] bytes = in.readNBytes(n);
      if (bytes.length < n) {
        throw new IOException("the connection ended in the middle of an answer");
      }
      return bytes;
    }

    private static String line(InputStream in) throws IOException {
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != -1; c = in.read()) {
        if (c == '\n') {
          int end = line.length();
          return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
        }
        line.append((char) c);
      }
      if (line.length() == 0) {
        return null;
      }
      throw new IOException("the connection ended in the middle of a line");
    }
  }
}
