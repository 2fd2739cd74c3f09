package io.quotient.server.api;

import static io.quotient.server.api.Exchange.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.quotient.api.Health;
import io.quotient.api.Headers;
import io.quotient.server.metrics.ServerMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/** Operations, with no credential: the OpenAPI document, health and metrics. */
final class OperationRoutes {
  private static final String OPENAPI_RESOURCE = "/io/quotient/server/api/openapi.json";

  private final DataSource dataSource;
  private final ServerMetrics metrics;
  private final BooleanSupplier accepting;
  private final byte[] openApi = openApiDocument();

  OperationRoutes(DataSource dataSource, ServerMetrics metrics, BooleanSupplier accepting) {
    this.dataSource = dataSource;
    this.metrics = metrics;
    this.accepting = accepting;
  }

  /** The OpenAPI document served at {@code GET /v1/openapi.json}. */
  static byte[] openApiDocument() {
    try (InputStream in = OperationRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the OpenAPI document " + OPENAPI_RESOURCE + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void register(RoutesConfig routes) {
    routes.get("/v1/openapi.json", ctx -> ctx.contentType(Headers.JSON).result(openApi));
    routes.get("/health/live", ctx -> json(ctx, 200, Health.live()));
    routes.get("/health/ready", this::ready);
    routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
  }

  private void ready(Context ctx) {
    boolean database;
    try (Connection connection = dataSource.getConnection()) {
      database = connection.isValid(2);
    } catch (SQLException | RuntimeException e) {
      database = false;
    }
    boolean open = accepting.getAsBoolean();
    boolean up = database && open;
    json(ctx, up ? 200 : 503, new Health(up ? "up" : "down", database ? "up" : "down", open));
  }
}
