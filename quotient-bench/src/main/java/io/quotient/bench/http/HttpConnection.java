package io.quotient.bench.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One keep-alive HTTP/1.1 connection: a request is written with one write, the response is read
 * into a buffer this connection reuses and parsed in place (Content-Length or chunked bodies).
 * Much cheaper per call than {@code java.net.http.HttpClient}, which matters when the load
 * generator shares two cores with the server and PostgreSQL.
 *
 * <p>Not thread-safe: one caller per connection. The answer of a call is valid until the next call.
 */
public final class HttpConnection implements AutoCloseable {
  private static final byte[] CRLF = {'\r', '\n'};

  private final String host;
  private final int port;
  private final String authorization;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private byte[] request = new byte[16 * 1024];
  private byte[] buffer = new byte[64 * 1024];
  private int bufferStart;
  private int bufferEnd;
  private byte[] body = new byte[64 * 1024];
  private int bodyLength;
  private int status;
  private boolean closeAfter;

  /** A connection to {@code host:port} sending {@code Authorization: Bearer key} (null for none). */
  public HttpConnection(String host, int port, String bearerKey) {
    this.host = host;
    this.port = port;
    this.authorization = bearerKey == null ? null : "Bearer " + bearerKey;
  }

  /** The head of a request up to and including {@code Content-Length: }; reuse it for every call. */
  public byte[] head(String method, String path, String contentType) {
    StringBuilder sb = new StringBuilder(200);
    sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    sb.append("Host: ").append(host).append(':').append(port).append("\r\n");
    if (authorization != null) {
      sb.append("Authorization: ").append(authorization).append("\r\n");
    }
    if (contentType != null) {
      sb.append("Content-Type: ").append(contentType).append("\r\n");
    }
    sb.append("Content-Length: ");
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Sends {@code head} (from {@link #head}) with {@code bodyLength} bytes of {@code requestBody}; returns the status. */
  public int exchange(byte[] head, byte[] requestBody, int bodyLength) throws IOException {
    if (socket == null) {
      connect();
    }
    byte[] length = Integer.toString(bodyLength).getBytes(StandardCharsets.US_ASCII);
    int size = head.length + length.length + 4 + bodyLength;
    if (request.length < size) {
      request = new byte[Math.max(size, request.length * 2)];
    }
    System.arraycopy(head, 0, request, 0, head.length);
    int at = head.length;
    System.arraycopy(length, 0, request, at, length.length);
    at += length.length;
    request[at++] = '\r';
    request[at++] = '\n';
    request[at++] = '\r';
    request[at++] = '\n';
    System.arraycopy(requestBody, 0, request, at, bodyLength);
    at += bodyLength;
    try {
      out.write(request, 0, at);
      out.flush();
      readResponse();
    } catch (IOException e) {
      close();
      throw e;
    }
    if (closeAfter) {
      close();
    }
    return status;
  }

  /** A whole request with a string body (null for none): for set-up calls, not the hot loop. */
  public int exchange(String method, String path, String json) throws IOException {
    byte[] bytes = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    return exchange(head(method, path, json == null ? null : "application/json"), bytes, bytes.length);
  }

  /** The last response's status. */
  public int status() {
    return status;
  }

  /** The last response's body bytes (valid up to {@link #bodyLength()}). */
  public byte[] body() {
    return body;
  }

  /** The last response's body length. */
  public int bodyLength() {
    return bodyLength;
  }

  /** The last response's body as text. */
  public String bodyText() {
    return new String(body, 0, bodyLength, StandardCharsets.UTF_8);
  }

  private void connect() throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.setKeepAlive(true);
    s.connect(new InetSocketAddress(host, port), 10_000);
    s.setSoTimeout(60_000);
    socket = s;
    in = s.getInputStream();
    out = s.getOutputStream();
    bufferStart = 0;
    bufferEnd = 0;
  }

  private void readResponse() throws IOException {
    int headerEnd;
    while ((headerEnd = indexOfHeaderEnd()) < 0) {
      fill();
    }
    // status line: HTTP/1.1 200 OK
    int lineEnd = indexOf(CRLF, bufferStart, headerEnd + 2);
    status = parseInt(buffer, bufferStart + 9, bufferStart + 12);
    long contentLength = -1;
    boolean chunked = false;
    closeAfter = false;
    int line = lineEnd + 2;
    while (line < headerEnd) {
      int end = indexOf(CRLF, line, headerEnd + 2);
      int colon = indexOfByte((byte) ':', line, end);
      if (colon > 0) {
        if (nameIs(line, colon, "content-length")) {
          contentLength = parseInt(buffer, skipSpaces(colon + 1, end), trimEnd(end));
        } else if (nameIs(line, colon, "transfer-encoding")) {
          chunked = valueContains(colon + 1, end, "chunked");
        } else if (nameIs(line, colon, "connection")) {
          closeAfter = valueContains(colon + 1, end, "close");
        }
      }
      line = end + 2;
    }
    bufferStart = headerEnd + 4;
    bodyLength = 0;
    if (chunked) {
      readChunked();
    } else if (contentLength >= 0) {
      readBody((int) contentLength);
    } else if (status != 204 && status != 304) {
      throw new IOException("response without Content-Length or chunked encoding");
    }
  }

  private void readBody(int length) throws IOException {
    while (bufferEnd - bufferStart < length) {
      fill();
    }
    appendBody(bufferStart, length);
    bufferStart += length;
  }

  private void readChunked() throws IOException {
    while (true) {
      int lineEnd;
      while ((lineEnd = indexOf(CRLF, bufferStart, bufferEnd)) < 0) {
        fill();
      }
      int size = 0;
      for (int i = bufferStart; i < lineEnd; i++) {
        int digit = Character.digit(buffer[i], 16);
        if (digit < 0) {
          break; // chunk extensions
        }
        size = size * 16 + digit;
      }
      bufferStart = lineEnd + 2;
      if (size == 0) {
        // trailers, then the final CRLF
        while (true) {
          int end;
          while ((end = indexOf(CRLF, bufferStart, bufferEnd)) < 0) {
            fill();
          }
          boolean empty = end == bufferStart;
          bufferStart = end + 2;
          if (empty) {
            return;
          }
        }
      }
      while (bufferEnd - bufferStart < size + 2) {
        fill();
      }
      appendBody(bufferStart, size);
      bufferStart += size + 2;
    }
  }

  private void appendBody(int from, int length) {
    if (body.length < bodyLength + length) {
      body = Arrays.copyOf(body, Math.max(bodyLength + length, body.length * 2));
    }
    System.arraycopy(buffer, from, body, bodyLength, length);
    bodyLength += length;
  }

  private void fill() throws IOException {
    if (bufferStart > 0 && bufferStart == bufferEnd) {
      bufferStart = 0;
      bufferEnd = 0;
    }
    if (bufferEnd == buffer.length) {
      if (bufferStart > 0) {
        System.arraycopy(buffer, bufferStart, buffer, 0, bufferEnd - bufferStart);
        bufferEnd -= bufferStart;
        bufferStart = 0;
      } else {
        buffer = Arrays.copyOf(buffer, buffer.length * 2);
      }
    }
    int n = in.read(buffer, bufferEnd, buffer.length - bufferEnd);
    if (n < 0) {
      throw new IOException("the server closed the connection");
    }
    bufferEnd += n;
  }

  private int indexOfHeaderEnd() {
    for (int i = bufferStart; i + 3 < bufferEnd; i++) {
      if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private int indexOf(byte[] what, int from, int to) {
    outer:
    for (int i = from; i + what.length <= to; i++) {
      for (int j = 0; j < what.length; j++) {
        if (buffer[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private int indexOfByte(byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (buffer[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private boolean nameIs(int from, int colon, String lowerName) {
    if (colon - from != lowerName.length()) {
      return false;
    }
    for (int i = 0; i < lowerName.length(); i++) {
      if (Character.toLowerCase(buffer[from + i]) != lowerName.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private boolean valueContains(int from, int to, String lowerWord) {
    return new String(buffer, from, to - from, StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT).contains(lowerWord);
  }

  private int skipSpaces(int from, int to) {
    while (from < to && buffer[from] == ' ') {
      from++;
    }
    return from;
  }

  private int trimEnd(int end) {
    while (end > 0 && buffer[end - 1] == ' ') {
      end--;
    }
    return end;
  }

  private static int parseInt(byte[] bytes, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      int d = bytes[i] - '0';
      if (d < 0 || d > 9) {
        throw new IllegalStateException("not a number in the response head: " + new String(bytes, from, to - from, StandardCharsets.US_ASCII));
      }
      n = n * 10 + d;
    }
    return n;
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a socket we are done with; nothing to do
      }
      socket = null;
    }
  }
}
