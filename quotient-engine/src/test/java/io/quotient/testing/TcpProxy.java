package io.quotient.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * A TCP proxy in front of a real server that can stall one connection: after {@link #stall} it
 * forwards nothing more either way but keeps both sockets open, so each end sees a connection
 * that is up yet silent (a half-open connection, as after a network partition or a frozen peer).
 * Thread-safe.
 */
public final class TcpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final String host;
  private final int targetPort;
  /** Upstream socket's local port → the connection. */
  private final Map<Integer, Pipe> pipes = new ConcurrentHashMap<>();
  private final CountDownLatch closed = new CountDownLatch(1);

  private TcpProxy(String host, int targetPort) throws IOException {
    this.host = host;
    this.targetPort = targetPort;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread.ofPlatform().daemon(true).name("tcp-proxy-accept").start(this::accept);
  }

  /** A proxy to {@code host:port}, listening on a free loopback port. */
  public static TcpProxy to(String host, int port) {
    try {
      return new TcpProxy(host, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port clients connect to. */
  public int port() {
    return server.getLocalPort();
  }

  /** The local ports of the open connections to the target (the target sees them as client ports). */
  public Set<Integer> upstreamPorts() {
    return Set.copyOf(pipes.keySet());
  }

  /** Stops forwarding on the connection whose upstream local port is {@code upstreamPort}. */
  public void stall(int upstreamPort) {
    Pipe pipe = pipes.get(upstreamPort);
    if (pipe == null) {
      throw new IllegalArgumentException("no open connection on upstream port " + upstreamPort);
    }
    pipe.stalled = true;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(host, targetPort);
        Pipe pipe = new Pipe(client, upstream);
        pipes.put(upstream.getLocalPort(), pipe);
        Thread.ofPlatform().daemon(true).start(() -> pipe.copy(client, upstream));
        Thread.ofPlatform().daemon(true).start(() -> pipe.copy(upstream, client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private final class Pipe {
    final Socket client;
    final Socket upstream;
    volatile boolean stalled;

    Pipe(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    void copy(Socket from, Socket to) {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          if (stalled) {
            closed.await(); // hold the bytes and the sockets until the proxy closes
            return;
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // the other side went away; fall through and close both
      } finally {
        if (!stalled) {
          pipes.remove(upstream.getLocalPort());
          closeQuietly(client);
          closeQuietly(upstream);
        }
      }
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    closed.countDown();
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    pipes.values().forEach(pipe -> {
      closeQuietly(pipe.client);
      closeQuietly(pipe.upstream);
    });
  }
}
