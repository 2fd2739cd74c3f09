package io.quotient.engine;

import io.quotient.decision.ItemDecision;
import io.quotient.event.Event;
import io.quotient.event.EventItem;
import io.quotient.event.EventPage;
import io.quotient.event.EventQuery;
import io.quotient.event.EventType;
import io.quotient.feed.FeedCursor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writing and reading the audit trail. Events are written in the same transaction as the change
 * they record, many per statement; their per-item context is JSON, read back as text and unpacked
 * by {@link JsonReader}, so that an idempotent replay can rebuild the first decision exactly.
 */
final class Events {
  private Events() {}

  /** One event to insert; made with {@link #row} and the builder's named setters. */
  record Row(
      long id,
      Instant at,
      EventType type,
      String subject,
      Boolean allowed,
      String reason,
      String scope,
      String idempotencyKey,
      Long relatedEventId,
      String reservationId,
      List<ItemDecision> items,
      String metadata,
      String detail) {}

  /** Starts the event {@code id} of {@code type} at {@code at}; every other column is null until set. */
  static RowBuilder row(long id, Instant at, EventType type) {
    return new RowBuilder(id, at, type);
  }

  /** Builds a {@link Row} column by column. Not thread-safe; use once. */
  static final class RowBuilder {
    private final long id;
    private final Instant at;
    private final EventType type;
    private String subject;
    private Boolean allowed;
    private String reason;
    private String scope;
    private String idempotencyKey;
    private Long relatedEventId;
    private String reservationId;
    private List<ItemDecision> items = List.of();
    private String metadata;
    private String detail;

    private RowBuilder(long id, Instant at, EventType type) {
      this.id = id;
      this.at = at;
      this.type = type;
    }

    RowBuilder subject(String value) {
      this.subject = value;
      return this;
    }

    /** A decision's outcome: granted or not, and the denial's wire reason (null when granted). */
    RowBuilder decided(boolean granted, String denialReason) {
      this.allowed = granted;
      this.reason = denialReason;
      return this;
    }

    /** Who caused it: the credential's scope, empty for in-process callers. */
    RowBuilder actor(String value) {
      this.scope = value;
      return this;
    }

    RowBuilder idempotencyKey(String value) {
      this.idempotencyKey = value;
      return this;
    }

    /** The event this one follows (the consume a refund gives back, the reservation a settlement closes). */
    RowBuilder relatedTo(Long eventId) {
      this.relatedEventId = eventId;
      return this;
    }

    RowBuilder reservation(String value) {
      this.reservationId = value;
      return this;
    }

    /**
     * The decided items, kept as they are: {@link #insert} writes their JSON, and {@link
     * CommittedEvents} hands them out without it (a row held for seconds does not hold its JSON).
     */
    RowBuilder items(List<ItemDecision> decided) {
      this.items = List.copyOf(decided);
      return this;
    }

    /** The request's metadata as a JSON object; null when none. */
    RowBuilder metadata(String json) {
      this.metadata = json;
      return this;
    }

    /** Other context as a JSON object of strings; null when none. */
    RowBuilder detail(String json) {
      this.detail = json;
      return this;
    }

    Row build() {
      return new Row(
          id, at, type, subject, allowed, reason, scope, idempotencyKey, relatedEventId, reservationId, items, metadata,
          detail);
    }
  }

  /**
   * The JSON of decided items, in request order. Counts that are zero and values that are null
   * are left out (PostgreSQL reads a missing key as null, which reads back as the same value):
   * events are the bulk of what a batch writes, so their size is worth keeping small.
   */
  static String items(List<ItemDecision> items) {
    return items(items, new HashMap<>());
  }

  /**
   * Like {@link #items(List)}, formatting each instant once per {@code formatted} map: a batch's
   * items share a few window starts and ends, and formatting an instant costs more than deciding.
   */
  static String items(List<ItemDecision> items, Map<Instant, String> formatted) {
    Json json = new Json().beginArray();
    for (int i = 0; i < items.size(); i++) {
      ItemDecision item = items.get(i);
      json.element().beginObject().field("i", i).field("metric", item.metric()).field("amount", item.amount());
      if (item.limit() != null) {
        json.field("limit", item.limit());
      }
      nonZero(json, "used", item.used());
      nonZero(json, "held", item.held());
      if (item.remaining() != null) {
        json.field("remaining", item.remaining());
      }
      nonZero(json, "bonusRemaining", item.bonusRemaining());
      if (item.windowStart() != null) {
        json.field("windowStart", formatted.computeIfAbsent(item.windowStart(), Instant::toString));
      }
      if (item.resetsAt() != null) {
        json.field("resetsAt", formatted.computeIfAbsent(item.resetsAt(), Instant::toString));
      }
      nonZero(json, "fromPlan", item.fromPlan());
      nonZero(json, "fromBonus", item.fromBonus());
      nonZero(json, "overage", item.overage());
      if (item.reason() != null) {
        json.field("reason", item.reason().wireName());
      }
      json.endObject();
    }
    return json.endArray().toString();
  }

  private static void nonZero(Json json, String name, long value) {
    if (value != 0) {
      json.field(name, value);
    }
  }

  /**
   * Inserts the rows with one COPY: for a batch's thousands of events it costs PostgreSQL a
   * fraction of an INSERT over arrays, and it runs inside the batch's transaction like any
   * statement.
   */
  static void insert(Connection c, List<Row> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    StringBuilder copy = new StringBuilder(rows.size() * 320);
    Map<Instant, String> formatted = new HashMap<>();
    Instant lastAt = null;
    String lastAtText = null;
    for (Row row : rows) {
      if (!row.at().equals(lastAt)) {
        lastAt = row.at();
        lastAtText = lastAt.toString(); // a batch's events share one instant
      }
      copy.append(row.id()).append('\t');
      copy.append(lastAtText).append('\t');
      copy.append(row.type().wireName()).append('\t');
      field(copy, row.subject());
      copy.append(row.allowed() == null ? "\\N" : row.allowed() ? "t" : "f").append('\t');
      field(copy, row.reason());
      field(copy, row.scope() == null ? "" : row.scope());
      field(copy, row.idempotencyKey());
      copy.append(row.relatedEventId() == null ? "\\N" : row.relatedEventId().toString()).append('\t');
      field(copy, row.reservationId());
      field(copy, items(row.items(), formatted));
      field(copy, row.metadata() == null ? "{}" : row.metadata());
      copyText(copy, row.detail() == null ? "{}" : row.detail());
      copy.append('\n');
    }
    try {
      c.unwrap(org.postgresql.PGConnection.class)
          .getCopyAPI()
          .copyIn(
              "COPY events (id, at, type, subject, allowed, reason, scope, idempotency_key, related_event_id,"
                  + " reservation_id, items, metadata, detail) FROM STDIN",
              new java.io.StringReader(copy.toString()));
    } catch (java.io.IOException e) {
      throw new SQLException("could not stream events to PostgreSQL", e);
    }
  }

  private static void field(StringBuilder copy, String value) {
    if (value == null) {
      copy.append("\\N");
    } else {
      copyText(copy, value);
    }
    copy.append('\t');
  }

  /** Escapes a value for COPY's text format. */
  private static void copyText(StringBuilder copy, String value) {
    if (!needsEscape(value)) {
      copy.append(value);
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      switch (ch) {
        case '\\' -> copy.append("\\\\");
        case '\t' -> copy.append("\\t");
        case '\n' -> copy.append("\\n");
        case '\r' -> copy.append("\\r");
        default -> copy.append(ch);
      }
    }
  }

  private static boolean needsEscape(String value) {
    // Four indexOf scans (vectorised intrinsics) instead of one loop of charAt: this check runs
    // over every event's detail JSON on the writer thread, and the loop was 4% of a loaded
    // server's samples (JFR, issue 12).
    return value.indexOf('\\') >= 0 || value.indexOf('\t') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0;
  }

  /** The columns {@link #read} reads: the JSON as text, unpacked in Java (see {@link JsonReader}). */
  private static final String COLUMNS =
      "e.id, e.at, e.type, e.subject, e.allowed, e.reason, e.scope, e.idempotency_key, e.related_event_id,"
          + " e.reservation_id, e.metadata::text, e.detail::text, e.items::text, e.tx::text";

  static Map<Long, Event> byIds(Connection c, Collection<Long> ids) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM events e WHERE e.id = ANY(?) ORDER BY e.id")) {
      ps.setArray(1, c.createArrayOf("int8", ids.toArray(new Long[0])));
      return read(c, ps);
    }
  }

  /**
   * The horizon of the feed and the end of the current snapshot, in one statement.
   *
   * @param horizon every transaction with a lower id has ended, and no transaction can start with a
   *     lower id, so the events below it are final. {@code pg_snapshot_xmin} is the oldest
   *     transaction still running in the whole cluster (any database), so a long transaction
   *     anywhere holds the feed back until it ends; it never makes the feed skip or repeat.
   * @param end every transaction that has ended so far has a lower id ({@code pg_snapshot_xmax})
   */
  record Horizon(long horizon, long end) {}

  /**
   * Summarizes the pages of events appended since the last call in the age index, so that the
   * purge reads summaries instead of pages. A BRIN index gives every range it has not summarized
   * to a scan as a possible match, and PostgreSQL summarizes only when vacuum runs (after a fifth of
   * the table is new): before this, every sweep read the whole unsummarized tail, 40-60 ms a second
   * on the engine bench and growing with the table. Each call reads only the pages new since the
   * last one. It waits at most a second for its lock, which vacuum holds while it summarizes: that
   * vacuum does the same work, so the purge then goes on without it.
   */
  static void summarizeAges(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("SET LOCAL lock_timeout = '1s'");
      st.execute("SAVEPOINT summarize");
      try {
        st.execute("SELECT brin_summarize_new_values('events_by_age')");
      } catch (SQLException e) {
        if (!"55P03".equals(e.getSQLState())) { // lock_not_available
          throw e;
        }
        st.execute("ROLLBACK TO SAVEPOINT summarize");
      }
    }
  }

  /**
   * Deletes at most {@code limit} events older than {@code cutoff}, skipping rows another deleter
   * holds; returns how many.
   */
  static int purgeOlderThan(Connection c, Instant cutoff, int limit) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "DELETE FROM events WHERE ctid = ANY(ARRAY(SELECT ctid FROM events WHERE at < ? LIMIT ? FOR UPDATE SKIP LOCKED))")) {
      Store.setInstant(ps, 1, cutoff);
      ps.setInt(2, limit);
      return ps.executeUpdate();
    }
  }

  static Horizon horizon(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT pg_snapshot_xmin(s)::text, pg_snapshot_xmax(s)::text FROM pg_current_snapshot() s");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new Horizon(Long.parseLong(rs.getString(1)), Long.parseLong(rs.getString(2)));
    }
  }

  /** A page of the feed and the horizon it was read below. */
  record FeedPage(EventPage page, long horizon) {}

  /**
   * A page of the feed: events after the query's cursor in (tx, id) order, only below the horizon.
   * The horizon is read first, in its own statement: the page's statement takes a later snapshot,
   * in which every transaction below that horizon has ended and so shows all its events.
   */
  static FeedPage page(Connection c, EventQuery query, CommittedEvents committed) throws SQLException {
    long horizon = horizon(c).horizon();
    // The page's positions first, then the events: those this engine committed lately come from
    // memory, the others from their rows, by id when they are a few among kept ones (an event
    // another instance or a projection appended), else with one range read from the first of them
    // (a follower catching up, or one of several instances).
    List<FeedCursor> keys = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    List<Long> missing = new ArrayList<>();
    try (PreparedStatement ps = feed(c, "e.id, e.tx::text", query, horizon, query.after(), null)) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          FeedCursor key = new FeedCursor(Long.parseLong(rs.getString(2)), rs.getLong(1));
          keys.add(key);
          Event kept = committed.get(key);
          events.add(kept);
          if (kept == null) {
            missing.add(key.id());
          }
        }
      }
    }
    if (!missing.isEmpty() && missing.size() * 2 <= keys.size()) {
      Map<Long, Event> read = byIds(c, missing);
      for (int i = 0; i < events.size(); i++) {
        if (events.get(i) == null) {
          events.set(i, read.get(keys.get(i).id()));
        }
      }
      events.removeIf(Objects::isNull); // purged by retention since the keys were read
    } else if (!missing.isEmpty()) {
      int first = events.indexOf(null);
      events.subList(first, events.size()).clear();
      FeedCursor from = first == 0 ? query.after() : keys.get(first - 1);
      try (PreparedStatement ps = feed(c, COLUMNS, query, horizon, from, keys.get(keys.size() - 1))) {
        events.addAll(read(c, ps).values()); // fewer than the keys only if retention purged some since
      }
    }
    // A full page ends at its last event; a shorter one has passed every event below the horizon.
    FeedCursor next =
        keys.size() == query.limit()
            ? keys.get(keys.size() - 1)
            : query.after().max(new FeedCursor(horizon, 0));
    return new FeedPage(new EventPage(events, next), horizon);
  }

  /**
   * The statement selecting {@code columns} of the query's events after {@code from} (up to {@code
   * through}, when not null) and below {@code horizon}, in feed order, at most the query's limit.
   */
  private static PreparedStatement feed(
      Connection c, String columns, EventQuery query, long horizon, FeedCursor from, FeedCursor through)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(columns)
            .append(" FROM events e WHERE (e.tx, e.id) > (?::text::xid8, ?) AND e.tx < ?::text::xid8");
    if (through != null) {
      sql.append(" AND (e.tx, e.id) <= (?::text::xid8, ?)");
    }
    if (query.subject() != null) {
      sql.append(" AND e.subject = ?");
    }
    if (query.type() != null) {
      sql.append(" AND e.type = ?");
    }
    sql.append(" ORDER BY e.tx, e.id LIMIT ?");
    PreparedStatement ps = c.prepareStatement(sql.toString());
    try {
      int i = 1;
      ps.setString(i++, Long.toString(from.tx()));
      ps.setLong(i++, from.id());
      ps.setString(i++, Long.toString(horizon));
      if (through != null) {
        ps.setString(i++, Long.toString(through.tx()));
        ps.setLong(i++, through.id());
      }
      if (query.subject() != null) {
        ps.setString(i++, query.subject());
      }
      if (query.type() != null) {
        ps.setString(i++, query.type().wireName());
      }
      ps.setInt(i, query.limit());
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  private static Map<Long, Event> read(Connection c, PreparedStatement ps) throws SQLException {
    Map<Long, Event> events = new LinkedHashMap<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        long id = rs.getLong(1);
        boolean allowed = rs.getBoolean(5);
        Boolean allowedOrNull = rs.wasNull() ? null : allowed;
        long related = rs.getLong(9);
        Long relatedOrNull = rs.wasNull() ? null : related;
        events.put(
            id,
            new Event(
                id,
                new FeedCursor(Long.parseLong(rs.getString(14)), id),
                Store.instant(rs, 2),
                EventType.fromWireName(rs.getString(3)),
                rs.getString(4),
                allowedOrNull,
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                relatedOrNull,
                rs.getString(10),
                ItemsOnUse.of(rs.getString(13)),
                JsonReader.pairs(rs.getString(11)),
                JsonReader.pairs(rs.getString(12))));
      }
    }
    return events;
  }

  /** The decided items of each event, as they were decided. */
  static Map<Long, List<ItemDecision>> items(Connection c, Collection<Long> ids) throws SQLException {
    Map<Long, List<ItemDecision>> items = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT id, items::text FROM events WHERE id = ANY(?)")) {
      ps.setArray(1, c.createArrayOf("int8", ids.toArray(new Long[0])));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<ItemDecision> decided = JsonReader.items(rs.getString(2));
          if (!decided.isEmpty()) {
            items.put(rs.getLong(1), decided);
          }
        }
      }
    }
    return items;
  }

  static EventItem toEventItem(ItemDecision item) {
    return new EventItem(
        item.metric(),
        item.amount(),
        item.limit(),
        item.used(),
        item.remaining(),
        item.fromPlan(),
        item.fromBonus(),
        item.overage(),
        item.windowStart(),
        item.held(),
        item.bonusRemaining(),
        item.resetsAt());
  }

  static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

}
