package io.quotient.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quotient.api.OverageReport;
import io.quotient.api.Plan;
import io.quotient.api.ProblemType;
import io.quotient.api.Subject;
import io.quotient.api.SubjectPage;
import io.quotient.api.SubjectRequest;
import io.quotient.api.Transfer;
import io.quotient.api.TransferRequest;
import io.quotient.testkit.QuotientTestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client's operator calls: subjects, deletes, overrides, transfers, the month-end report and export. */
class OperationsCallsTest {
  static QuotientTestServer server;
  static QuotientClient admin;
  static final YearMonth THIS_MONTH = YearMonth.from(ZonedDateTime.now(ZoneOffset.UTC));

  @BeforeAll
  static void start() {
    server = QuotientTestServer.builder()
        .plan("ops", Map.of("calls", new Plan.Limit(2L, "month", "soft", new Plan.Price("0.5", "EUR"), null)))
        .defaultPlan("ops")
        .start();
    admin = QuotientClient.builder().url(server.url()).apiKey(server.adminKey()).build();
  }

  @AfterAll
  static void stop() {
    admin.close();
    server.close();
  }

  @Test
  void subjects_overrides_and_deletes() {
    admin.putSubject("oc-a", SubjectRequest.onPlan("ops"));
    admin.putSubject("oc-b", new SubjectRequest("ops", null, Map.of("team", "x")));
    SubjectPage page = admin.subjects(SubjectQuery.all().withMetadata("team", "x"));
    assertThat(page.subjects()).extracting(Subject::id).containsExactly("oc-b");
    assertThat(admin.subjects(SubjectQuery.all().onPlan("ops").withLimit(1)).nextCursor()).isNotNull();

    Subject overridden = admin.putSubject("oc-a", SubjectRequest.withOverrides(Map.of("calls", new Subject.OverrideRequest(9L, null))));
    assertThat(overridden.overrides().get("calls").limit()).isEqualTo(9);
    assertThat(admin.usage("oc-a").metrics().getFirst().limitSource()).isEqualTo("override");

    admin.deleteSubject("oc-b");
    assertThatThrownBy(() -> admin.subject("oc-b")).isInstanceOfSatisfying(QuotientProblemException.class,
        e -> assertThat(e.type()).contains(ProblemType.NOT_FOUND));
    admin.putPlan("oc-empty", new io.quotient.api.PlanRequest(Map.of("calls", Plan.Limit.hard(1L, "day"))));
    admin.deletePlan("oc-empty");
    assertThatThrownBy(() -> admin.deletePlan("ops")).isInstanceOfSatisfying(QuotientProblemException.class,
        e -> assertThat(e.type()).contains(ProblemType.PLAN_IN_USE));
  }

  @Test
  void transfers_report_and_export() {
    admin.consume("oc-t1", "calls", 1);
    Transfer moved = admin.transfer(new TransferRequest("oc-t1", "oc-t2", "calls", 1), "gift-1");
    assertThat(admin.transfer(new TransferRequest("oc-t1", "oc-t2", "calls", 1), "gift-1")).isEqualTo(moved);
    assertThatThrownBy(() -> admin.transfer(new TransferRequest("oc-t1", "oc-t2", "calls", 5)))
        .isInstanceOfSatisfying(QuotientProblemException.class, e -> assertThat(e.type()).contains(ProblemType.INSUFFICIENT_UNITS));

    admin.consume("oc-over", "calls", 5);
    OverageReport report = admin.overageReport(THIS_MONTH);
    assertThat(report.lines()).anySatisfy(l -> {
      assertThat(l.subject()).isEqualTo("oc-over");
      assertThat(l.amount()).isEqualTo("1.50");
    });

    ByteArrayOutputStream csv = new ByteArrayOutputStream();
    admin.exportUsage(THIS_MONTH, "csv", csv);
    assertThat(csv.toString(StandardCharsets.UTF_8)).startsWith("subject,plan,metric,").contains("\r\noc-over,ops,calls,");
    assertThatThrownBy(() -> admin.exportUsage(THIS_MONTH, "xml", new ByteArrayOutputStream()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
