package io.quotient.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder to a real server on a port of its own that can be stopped (nothing listens:
 * connections are refused, and open ones are cut) and started again on the same port, so that a
 * client sees the server go down and come back; counts the connections it accepted. After
 * {@link #stall()} it forwards nothing more on the open connections but keeps them open (a
 * half-open connection, as after a partition); new connections work as usual.
 */
final class SwitchedLink implements AutoCloseable {
  private final int upstreamPort;
  private final int port;
  private final AtomicInteger connections = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile ServerSocket listener;
  private final List<Socket> stalled = new CopyOnWriteArrayList<>();

  SwitchedLink(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.listener = listen(0);
    this.port = listener.getLocalPort();
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Connections accepted so far. */
  int connections() {
    return connections.get();
  }

  /** Stops listening and cuts every open connection. */
  synchronized void stop() throws IOException {
    listener.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    sockets.clear();
  }

  /** Stops forwarding on every open connection, keeping them open until {@link #stop()}. */
  synchronized void stall() {
    stalled.addAll(sockets);
  }

  /** Listens again on the same port. */
  synchronized void start() throws IOException {
    listener = listen(port);
  }

  private ServerSocket listen(int onPort) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
    Thread.ofPlatform().daemon().name("switched-link-accept").start(() -> accept(socket));
    return socket;
  }

  private void accept(ServerSocket from) {
    while (!from.isClosed()) {
      try {
        Socket client = from.accept();
        connections.incrementAndGet();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        synchronized (this) {
          if (from.isClosed()) { // stopped while this connection was being set up: cut it, as stop() does
            client.close();
            server.close();
            return;
          }
          sockets.add(client);
          sockets.add(server);
        }
        Thread.ofVirtual().start(() -> pump(client, server, stalled));
        Thread.ofVirtual().start(() -> pump(server, client, stalled));
      } catch (IOException e) {
        return; // stopped
      }
    }
  }

  private static void pump(Socket from, Socket to, List<Socket> stalled) {
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      byte[] buffer = new byte[16 * 1024];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (stalled.contains(from)) {
          continue; // swallowed: the connection stays open and silent
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // One side closed: close both below.
    } finally {
      try {
        from.close();
        to.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
