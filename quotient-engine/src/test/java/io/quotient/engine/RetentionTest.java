package io.quotient.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.decision.ConsumeRequest;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Events past the retention are deleted in batches; newer events, counters and grants stay. */
class RetentionTest {
  static EngineFixture fx;

  @BeforeAll
  static void start() {
    fx = new EngineFixture(null);
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  static long count(String sql) throws SQLException {
    try (Connection c = fx.database.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void events_older_than_the_retention_go_in_batches_and_everything_else_stays() throws Exception {
    Plan plan = fx.plan(Map.of("calls", Limit.of(100_000, Period.TOTAL)));
    String old = fx.subjectOn(plan);
    List<ConsumeRequest> burst = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      burst.add(ConsumeRequest.of(old, "calls", 1));
    }
    fx.quotient.consumeAll(burst);
    long before = count("SELECT count(*) FROM events");
    fx.clock.advance(Duration.ofDays(399));
    String recent = fx.subjectOn(plan);
    fx.consume(recent, "calls", 1);
    assertThat(fx.quotient.purgeOldEvents()).as("nothing is 400 days old yet").isZero();

    fx.clock.advance(Duration.ofDays(2));
    int purged = fx.quotient.purgeOldEvents();
    assertThat(purged).as("every event of the first day, over three batches").isEqualTo((int) before);
    assertThat(count("SELECT count(*) FROM events WHERE subject = '" + old + "'")).isZero();
    assertThat(count("SELECT count(*) FROM events WHERE subject = '" + recent + "'")).isEqualTo(2);
    assertThat(fx.quotient.status(old).metrics().getFirst().used()).as("counters stay").isEqualTo(2_500);
    assertThat(fx.quotient.purgeOldEvents()).isZero();
  }
}
