package io.quotient.server.api;

import static io.quotient.server.api.Exchange.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.quotient.Names;
import io.quotient.NotFoundException;
import io.quotient.api.IssuedWebhook;
import io.quotient.api.WebhookDeliveries;
import io.quotient.monitor.webhook.Delivery;
import io.quotient.monitor.webhook.Format;
import io.quotient.monitor.webhook.Webhook;
import io.quotient.monitor.webhook.Webhooks;
import io.quotient.server.auth.Access;
import io.quotient.server.problem.ProblemException;
import java.util.List;
import java.util.Set;

/**
 * Webhook endpoints: {@code /v1/webhooks} (create, list), {@code /v1/webhooks/{id}} (get,
 * delete), its {@code test}, {@code rotate-secret} and {@code deliveries}. Admin only, reads
 * included: a Slack or Discord webhook URL is itself a credential (whoever has it can post).
 */
final class WebhookRoutes {
  private static final int DEFAULT_DELIVERIES = 100;
  private static final int MAX_DELIVERIES = 1000;

  private final Webhooks webhooks;
  private final Exchange exchange;

  WebhookRoutes(Webhooks webhooks, Exchange exchange) {
    this.webhooks = webhooks;
    this.exchange = exchange;
  }

  void register(RoutesConfig routes) {
    routes.post("/v1/webhooks", this::create, Access.ADMIN);
    routes.get("/v1/webhooks", this::list, Access.ADMIN);
    routes.get("/v1/webhooks/{id}", this::get, Access.ADMIN);
    routes.delete("/v1/webhooks/{id}", this::delete, Access.ADMIN);
    routes.post("/v1/webhooks/{id}/test", this::test, Access.ADMIN);
    routes.post("/v1/webhooks/{id}/rotate-secret", this::rotate, Access.ADMIN);
    routes.get("/v1/webhooks/{id}/deliveries", this::deliveries, Access.ADMIN);
  }

  private void create(Context ctx) {
    Body body = exchange.body(ctx, true).only(Set.of("url", "format", "types"));
    String url = body.string("url");
    String formatName = body.optString("format");
    Format format = formatName == null ? Format.STANDARD : Format.fromWireName(formatName);
    if (format == null) {
      throw ProblemException.invalid("format", "must be standard, slack or discord, was '" + formatName + "'");
    }
    List<String> types = body.strings("types");
    Webhooks.Issued issued = Body.within("", () -> webhooks.create(url, format, types));
    json(ctx, 201, issued(issued));
  }

  private void list(Context ctx) {
    json(ctx, 200, new io.quotient.api.Webhooks(webhooks.list().stream().map(WebhookRoutes::webhook).toList()));
  }

  private void get(Context ctx) {
    String id = id(ctx);
    json(ctx, 200, webhook(webhooks.get(id).orElseThrow(() -> new NotFoundException("webhook", id))));
  }

  private void delete(Context ctx) {
    json(ctx, 200, webhook(webhooks.delete(id(ctx))));
  }

  private void test(Context ctx) {
    String id = id(ctx);
    exchange.body(ctx, false).only(Set.of());
    json(ctx, 202, delivery(webhooks.test(id)));
  }

  private void rotate(Context ctx) {
    String id = id(ctx);
    exchange.body(ctx, false).only(Set.of());
    json(ctx, 200, issued(webhooks.rotateSecret(id)));
  }

  private void deliveries(Context ctx) {
    String id = id(ctx);
    int limit = (int) Exchange.queryNumber(ctx, "limit", 1, MAX_DELIVERIES, DEFAULT_DELIVERIES);
    for (String name : ctx.queryParamMap().keySet()) {
      if (!name.equals("limit")) {
        throw new ProblemException(io.quotient.api.ProblemType.UNKNOWN_FIELD, name + " is not a known query parameter; known: [limit]", name);
      }
    }
    json(ctx, 200, new WebhookDeliveries(webhooks.deliveries(id, limit).stream().map(WebhookRoutes::delivery).toList()));
  }

  private static String id(Context ctx) {
    String id = ctx.pathParam("id");
    return Body.within("", () -> Names.requireId(id, "id"));
  }

  private static io.quotient.api.Webhook webhook(Webhook w) {
    return new io.quotient.api.Webhook(w.id(), w.url(), w.format().wireName(), w.types(), w.enabled() ? "enabled" : "disabled",
        w.disabledReason(), w.disabledAt(), w.createdAt(), w.previousSecretExpiresAt());
  }

  private static IssuedWebhook issued(Webhooks.Issued issued) {
    Webhook w = issued.webhook();
    return new IssuedWebhook(w.id(), w.url(), w.format().wireName(), w.types(), w.enabled() ? "enabled" : "disabled", w.createdAt(),
        w.previousSecretExpiresAt(), issued.secret());
  }

  private static io.quotient.api.WebhookDelivery delivery(Delivery d) {
    return new io.quotient.api.WebhookDelivery(Long.toString(d.id()), d.messageId(), d.type(), d.state(), d.attempts(), d.createdAt(),
        d.nextAttemptAt(), d.lastAttemptAt(), d.lastStatus(), d.lastError(), d.deliveredAt());
  }
}
