package io.quotient.engine;

import io.quotient.InvalidArgumentException;
import io.quotient.NotFoundException;
import io.quotient.decision.ItemDecision;
import io.quotient.event.Event;
import io.quotient.event.EventType;
import io.quotient.refund.RefundRequest;
import io.quotient.refund.RefundResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Refunds. Each item of a consume is given back as if its units were laid out overage first,
 * then bonus, then plan allowance: earlier refunds took the first units of that line, a new one
 * takes the next. Overage refunded is not billed; bonus refunded returns to the subject's unexpired
 * grants (latest expiry first); plan units free the allowance of the consume's own window.
 *
 * <p>A refund with a key of its own stores it (subject × key, fingerprint of the operation and its
 * parameters, the refund's event) in its transaction, looked up after the consume's counters are
 * locked: a retry replays the refund, one with other parameters is a mismatch. A refusal (not
 * refundable) stores nothing: nothing changed, and a retry is decided again.
 */
final class Refunds {
  private Refunds() {}

  /**
   * The fingerprint a refund's own key is stored with: the operation and its parameters, so that a
   * retry naming the same consume the same way, with the same amount, replays.
   */
  static String fingerprint(RefundRequest request) {
    return Fingerprint.ofRefund(request.eventId(), request.idempotencyKey(), request.amount());
  }

  static RefundResult refund(Connection c, RefundRequest request, Instant now, EventIds ids) throws SQLException {
    long consumeId = target(c, request);
    Event consume = Events.byIds(c, List.of(consumeId)).get(consumeId);
    if (consume == null || consume.type() != EventType.CONSUME) {
      throw new NotFoundException("consume event", Long.toString(consumeId));
    }
    Idempotency.Ref ref = request.requestKey() == null ? null : new Idempotency.Ref(consume.subject(), request.requestKey());
    String fingerprint = ref == null ? null : fingerprint(request);
    if (!Boolean.TRUE.equals(consume.allowed())) {
      RefundResult first = ref == null ? null : firstAnswer(c, ref, fingerprint);
      return first != null ? first : new RefundResult.NotRefundable(consumeId, 0);
    }
    List<ItemDecision> items = Events.items(c, List.of(consumeId)).getOrDefault(consumeId, List.of());
    if (request.amount() != null && items.size() != 1) {
      throw new InvalidArgumentException("amount", "a partial refund needs a single-item consume; this one has " + items.size());
    }

    TreeSet<CounterKey> keys = new TreeSet<>();
    for (ItemDecision item : items) {
      keys.add(new CounterKey(consume.subject(), item.metric(), item.windowStart().toEpochMilli()));
    }
    BatchState state = new BatchState();
    // Locking the consume's counters first serialises refunds of the same consume.
    Store.loadCounters(c, keys, state, true);
    if (ref != null) {
      // After the locks: a refund with this key that held them has committed by now.
      RefundResult first = firstAnswer(c, ref, fingerprint);
      if (first != null) {
        return first;
      }
    }
    Map<String, Long> refunded = refundedSoFar(c, consumeId);

    long totalRefundable = 0;
    long[] amounts = new long[items.size()];
    for (int i = 0; i < items.size(); i++) {
      ItemDecision item = items.get(i);
      long refundable = item.amount() - refunded.getOrDefault(item.metric(), 0L);
      totalRefundable += refundable;
      amounts[i] = request.amount() == null ? refundable : request.amount();
      if (amounts[i] > refundable) {
        return new RefundResult.NotRefundable(consumeId, refundable);
      }
    }
    if (totalRefundable == 0) {
      return new RefundResult.NotRefundable(consumeId, 0);
    }

    List<ItemDecision> eventItems = new ArrayList<>();
    List<RefundResult.RefundedItem> result = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      ItemDecision item = items.get(i);
      long before = refunded.getOrDefault(item.metric(), 0L);
      long amount = amounts[i];
      long overage = overlap(before, amount, 0, item.overage());
      long bonus = overlap(before, amount, item.overage(), item.overage() + item.fromBonus());
      long plan = amount - overage - bonus;
      Counter counter = state.counter(new CounterKey(consume.subject(), item.metric(), item.windowStart().toEpochMilli()));
      counter.used = Math.max(0, counter.used - amount);
      counter.overage = Math.max(0, counter.overage - overage);
      counter.fromBonus = Math.max(0, counter.fromBonus - bonus);
      counter.dirty = true;
      if (bonus > 0) {
        returnBonus(c, consume.subject(), item.metric(), bonus, now);
      }
      eventItems.add(
          ItemDecision.of(item.metric(), amount)
              .limit(item.limit(), null)
              .usage(counter.used, counter.held)
              .window(item.windowStart(), null)
              .split(plan, bonus, overage)
              .build());
      result.add(new RefundResult.RefundedItem(item.metric(), amount, counter.used));
    }
    Store.writeCounters(c, state.counters());
    long eventId = ids.next(c);
    Events.insert(
        c,
        List.of(
            Events.row(eventId, now, EventType.REFUND)
                .subject(consume.subject())
                .actor(request.scope())
                .relatedTo(consumeId)
                .items(eventItems)
                .build()));
    if (ref != null) {
      // Another engine storing the same key meanwhile (for another consume) makes this rerun
      // (Jdbc.Retry), and the rerun answers with the mismatch.
      Idempotency.insert(c, List.of(new Idempotency.Row(ref, fingerprint, eventId)), now);
    }
    return new RefundResult.Refunded(eventId, consumeId, consume.subject(), result, false);
  }

  /** The stored answer to a refund with this key, a mismatch, or null when the key is new. */
  private static RefundResult firstAnswer(Connection c, Idempotency.Ref ref, String fingerprint) throws SQLException {
    Idempotency.Stored stored = Idempotency.find(c, List.of(ref)).get(ref);
    if (stored == null) {
      return null;
    }
    if (!stored.fingerprint().equals(fingerprint)) {
      return new RefundResult.KeyMismatch(ref.key());
    }
    long refundId = stored.eventId();
    Event refund = Events.byIds(c, List.of(refundId)).get(refundId);
    if (refund == null || refund.type() != EventType.REFUND) {
      throw new IllegalStateException("refund key '" + ref.key() + "' points at event " + refundId + ", not a refund");
    }
    List<RefundResult.RefundedItem> items = new ArrayList<>();
    for (ItemDecision item : Events.items(c, List.of(refundId)).getOrDefault(refundId, List.of())) {
      items.add(new RefundResult.RefundedItem(item.metric(), item.amount(), item.used()));
    }
    return new RefundResult.Refunded(refundId, refund.relatedEventId(), refund.subject(), items, true);
  }

  private static long target(Connection c, RefundRequest request) throws SQLException {
    if (request.eventId() != null) {
      return request.eventId();
    }
    Idempotency.Ref ref = new Idempotency.Ref(request.subject(), request.idempotencyKey());
    Idempotency.Stored stored = Idempotency.find(c, List.of(ref)).get(ref);
    if (stored == null) {
      throw new NotFoundException("idempotency key", request.idempotencyKey());
    }
    return stored.eventId();
  }

  private static Map<String, Long> refundedSoFar(Connection c, long consumeId) throws SQLException {
    Map<String, Long> refunded = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT x.metric, sum(x.amount) FROM events e CROSS JOIN LATERAL json_to_recordset(e.items)"
                + " AS x(metric text, amount bigint) WHERE e.related_event_id = ? AND e.type = 'refund' GROUP BY x.metric")) {
      ps.setLong(1, consumeId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          refunded.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return refunded;
  }

  /** Returns bonus units to unexpired grants, latest expiry first (the reverse of use). */
  private static void returnBonus(Connection c, String subject, String metric, long units, Instant now) throws SQLException {
    List<BonusGrant> grants = Grants.usedAndActive(c, subject, metric, now);
    grants.sort(Comparator.comparing((BonusGrant g) -> g, BonusGrant::byUseOrder).reversed());
    long left = units;
    for (BonusGrant grant : grants) {
      long back = Math.min(left, grant.used);
      grant.used -= back;
      grant.dirty = true;
      left -= back;
      if (left == 0) {
        break;
      }
    }
    Store.writeGrants(c, grants);
  }

  /** How much of [from, from + length) falls in [start, end). */
  private static long overlap(long from, long length, long start, long end) {
    return Math.max(0, Math.min(from + length, end) - Math.max(from, start));
  }
}
