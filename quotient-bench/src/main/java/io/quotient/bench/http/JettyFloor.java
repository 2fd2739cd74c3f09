package io.quotient.bench.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The HTTP floor: a bare Jetty 12 {@link Handler} that reads the request body and answers a fixed
 * small JSON decision, nothing else (no routing, authentication, parsing, database or metrics).
 * Run as its own process with the server's heap; the suite loads it exactly as it loads the
 * server's {@code POST /v1/consume}, so a single consume's rate divided by this one is the share of
 * what HTTP on this machine allows that Quotient reaches.
 */
public final class JettyFloor {
  private static final byte[] ANSWER =
      "{\"allowed\":true,\"items\":[{\"metric\":\"requests\",\"amount\":1,\"remaining\":1}]}".getBytes(StandardCharsets.UTF_8);

  private JettyFloor() {}

  /** {@code java -cp quotient-bench.jar io.quotient.bench.http.JettyFloor PORT}: listens on loopback until killed. */
  public static void main(String[] args) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(Integer.parseInt(args[0]));
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Content.Source.asByteBuffer(request); // the body, read whole and dropped
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(ANSWER), callback);
        return true;
      }
    });
    server.start();
    server.join();
  }
}
