package io.quotient.monitor.webhook;

import io.quotient.event.Event;
import io.quotient.monitor.message.Message;
import io.quotient.monitor.message.Messages;
import io.quotient.monitor.projection.Batch;
import io.quotient.monitor.projection.Handler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The webhooks projection: for each message of a batch, one outbox row per enabled endpoint that
 * subscribes to its type, written on the batch's connection so that the rows commit with the
 * projection's cursor (a crash re-handles the batch; the unique (endpoint, message) pair keeps a
 * row from being written twice). Rows are inserted in feed order, so their ids order each
 * endpoint's queue.
 */
final class Outbox implements Handler {
  private record Endpoint(String id, Format format, Set<String> types, Instant createdAt) {}

  @Override
  public void handle(Batch batch) throws SQLException {
    Connection c = batch.connection();
    List<Endpoint> endpoints = endpoints(c);
    if (endpoints.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      int rows = 0;
      for (Event event : batch.events()) {
        Optional<Message> message = Messages.of(event);
        if (message.isEmpty()) {
          continue;
        }
        for (Endpoint endpoint : endpoints) {
          // An endpoint gets what happened once it existed, not a batch of history the projection
          // had not reached yet when it was created.
          if (endpoint.types().contains(message.get().type()) && !event.at().isBefore(endpoint.createdAt())) {
            bind(ps, endpoint.id(), message.get(), endpoint.format().render(message.get()), batch.now());
            ps.addBatch();
            rows++;
          }
        }
      }
      if (rows > 0) {
        ps.executeBatch();
      }
    }
  }

  private static final String INSERT =
      "INSERT INTO monitor_webhook_outbox (webhook_id, message_id, type, payload, state, created_at, next_attempt_at)"
          + " VALUES (?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (webhook_id, message_id) DO NOTHING";

  /** Queues one message for one endpoint outside the feed (a test message); returns its row id. */
  static long insert(Connection c, String webhook, Message message, String payload, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT + " RETURNING id")) {
      bind(ps, webhook, message, payload, now);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("message " + message.id() + " is already queued for " + webhook);
        }
        return rs.getLong(1);
      }
    }
  }

  private static void bind(PreparedStatement ps, String webhook, Message message, String payload, Instant now) throws SQLException {
    ps.setString(1, webhook);
    ps.setString(2, message.id());
    ps.setString(3, message.type());
    ps.setString(4, payload);
    ps.setObject(5, Webhooks.time(now));
    ps.setObject(6, Webhooks.time(now));
  }

  private static List<Endpoint> endpoints(Connection c) throws SQLException {
    List<Endpoint> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT id, format, types, created_at FROM monitor_webhooks WHERE state = 'enabled' ORDER BY id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new Endpoint(rs.getString(1), Format.fromWireName(rs.getString(2)), Set.of((String[]) rs.getArray(3).getArray()),
            rs.getTimestamp(4).toInstant()));
      }
    }
    return out;
  }
}
