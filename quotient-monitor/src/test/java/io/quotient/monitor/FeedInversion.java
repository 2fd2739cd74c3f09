package io.quotient.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.ConsumeResult;
import io.quotient.decision.Decision;
import io.quotient.decision.Item;
import io.quotient.engine.Quotient;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.storage.Database;
import io.quotient.testing.Eventually;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Two decisions of one subject that the feed shows in the opposite order to the one they were made
 * in. The feed orders events by transaction id, and a transaction takes its id at its first write:
 * a decision (to 10 of {@code ai}) takes its id locking the subject's {@code aa} counter, then
 * waits for {@code ab} (held here), while a second engine decides 7 → 8 and commits first. The feed
 * then shows the 10 before the 8.
 */
public final class FeedInversion {
  /** The plan the subject must be on: {@code ai} limited to 10 a month, two roomy metrics before it. */
  public static final Plan PLAN = new Plan("paired", Map.of(
      "aa", Limit.of(1000, Period.MONTH), "ab", Limit.of(1000, Period.MONTH), "ai", Limit.of(10, Period.MONTH)));

  private FeedInversion() {}

  /** Brings {@code subject} (new, on {@link #PLAN}) to 10 of ai through 7 → 8 → 10, the 8 last in the feed. */
  public static void decide(Quotient engine, Database database, Clock clock, String subject) throws Exception {
    engine.consume(ConsumeRequest.of(subject, new Item("aa", 1), new Item("ab", 1), new Item("ai", 7)));
    try (Quotient second = Quotient.builder(database.dataSource()).clock(clock).sweepInterval(null).build();
        Connection holder = database.dataSource().getConnection()) {
      holder.setAutoCommit(false);
      int holderPid;
      try (Statement s = holder.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
        rs.next();
        holderPid = rs.getInt(1);
      }
      try (PreparedStatement ps = holder.prepareStatement("SELECT 1 FROM counters WHERE subject = ? AND metric = 'ab' FOR UPDATE")) {
        ps.setString(1, subject);
        ps.executeQuery().close();
      }
      CompletableFuture<ConsumeResult> toTen =
          engine.consumeAsync(ConsumeRequest.of(subject, new Item("aa", 1), new Item("ab", 1), new Item("ai", 2)));
      Eventually.await("the decision to 10 waiting with its id", Duration.ofSeconds(10),
          () -> waitingWithXid(database, holderPid));
      Decision eight = (Decision) second.consume(ConsumeRequest.of(subject, "ai", 1));
      assertThat(eight.items().get(0).used()).isEqualTo(8);
      holder.commit();
      assertThat(((Decision) toTen.get(10, TimeUnit.SECONDS)).items().get(2).used()).isEqualTo(10);
    }
  }

  /** Whether a backend blocked by {@code holderPid} has a transaction id already. */
  private static boolean waitingWithXid(Database database, int holderPid) {
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT count(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid)) AND backend_xid IS NOT NULL")) {
      ps.setInt(1, holderPid);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1) > 0;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
