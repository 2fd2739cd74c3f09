package io.quotient.server.api;

import static io.quotient.server.api.Exchange.blankToNull;
import static io.quotient.server.api.Exchange.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.quotient.api.OverageReport;
import io.quotient.api.UsageExportRow;
import io.quotient.engine.Quotient;
import io.quotient.report.CurrencyTotal;
import io.quotient.report.OverageLine;
import io.quotient.report.UsageRow;
import io.quotient.server.auth.Access;
import io.quotient.server.problem.ProblemException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * Month-end: {@code GET /v1/reports/overage} and {@code GET /v1/exports/usage}. The export is
 * written row by row as the engine reads them through a cursor, so no answer is held in memory;
 * a failure after the first bytes can only cut the answer short (the CSV then lacks its last line
 * ending, the JSON its closing brackets), never turn it into a problem.
 */
final class ReportRoutes {
  private final Quotient engine;

  ReportRoutes(Quotient engine) {
    this.engine = engine;
  }

  void register(RoutesConfig routes) {
    routes.get("/v1/reports/overage", this::overage, Access.READ);
    routes.get("/v1/exports/usage", this::export, Access.READ);
  }

  private void overage(Context ctx) {
    Exchange.onlyQuery(ctx, Set.of("period"));
    io.quotient.report.OverageReport report = engine.overageReport(period(ctx));
    json(ctx, 200, new OverageReport(report.period().toString(), report.generatedAt(),
        report.lines().stream().map(ReportRoutes::line).toList(),
        report.totals().stream().map(ReportRoutes::total).toList()));
  }

  private static OverageReport.Line line(OverageLine l) {
    return new OverageReport.Line(l.subject(), l.plan(), l.metric(), l.units(), money(l.unitPrice()),
        l.currency() == null ? null : l.currency().getCurrencyCode(), money(l.amount()), l.isFinal() ? "final" : "provisional");
  }

  private static OverageReport.Total total(CurrencyTotal t) {
    return new OverageReport.Total(t.currency().getCurrencyCode(), money(t.amount()), money(t.finalAmount()),
        money(t.provisionalAmount()));
  }

  private static String money(BigDecimal value) {
    return value == null ? null : value.toPlainString();
  }

  private void export(Context ctx) {
    Exchange.onlyQuery(ctx, Set.of("period", "format"));
    YearMonth period = period(ctx);
    String format = blankToNull(ctx.queryParam("format"));
    if (format == null) {
      format = "json";
    }
    if (!format.equals("csv") && !format.equals("json")) {
      throw ProblemException.invalid("format", "must be csv or json, was '" + format + "'");
    }
    ctx.status(200);
    try {
      if (format.equals("csv")) {
        ctx.contentType("text/csv; charset=utf-8; header=present");
        ctx.header("Content-Disposition", "attachment; filename=\"usage-" + period + ".csv\"");
        csv(period, ctx.outputStream());
      } else {
        ctx.contentType("application/json");
        jsonRows(period, ctx.outputStream());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void csv(YearMonth period, OutputStream out) throws IOException {
    Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    writer.write(UsageExportRow.CSV_HEADER);
    writer.write("\r\n");
    engine.exportUsage(period, row -> {
      try {
        writer.write(Csv.field(row.subject()));
        writer.write(',');
        writer.write(Csv.field(row.plan()));
        writer.write(',');
        writer.write(Csv.field(row.metric()));
        writer.write(',');
        writer.write(row.windowStart().toString());
        writer.write(',');
        writer.write(row.windowEnd() == null ? "" : row.windowEnd().toString());
        writer.write(',');
        writer.write(row.limit() == null ? "" : row.limit().toString());
        writer.write(',');
        writer.write(Long.toString(row.used()));
        writer.write(',');
        writer.write(Long.toString(row.fromPlan()));
        writer.write(',');
        writer.write(Long.toString(row.fromBonus()));
        writer.write(',');
        writer.write(Long.toString(row.overage()));
        writer.write("\r\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    writer.flush();
  }

  private void jsonRows(YearMonth period, OutputStream out) throws IOException {
    try (JsonGenerator json = Body.MAPPER.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("period", period.toString());
      json.writeArrayFieldStart("rows");
      engine.exportUsage(period, row -> {
        try {
          json.writeObject(wire(row));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      json.writeEndArray();
      json.writeEndObject();
    }
  }

  private static UsageExportRow wire(UsageRow r) {
    return new UsageExportRow(r.subject(), r.plan(), r.metric(), r.windowStart(), r.windowEnd(), r.limit(), r.used(),
        r.fromPlan(), r.fromBonus(), r.overage());
  }

  private static YearMonth period(Context ctx) {
    String value = blankToNull(ctx.queryParam("period"));
    if (value == null) {
      throw ProblemException.invalid("period", "is required: a month such as 2026-11");
    }
    try {
      if (!value.matches("[0-9]{4}-[0-9]{2}")) {
        throw new DateTimeParseException("not YYYY-MM", value, 0);
      }
      return YearMonth.parse(value);
    } catch (DateTimeParseException e) {
      throw ProblemException.invalid("period", "must be a month such as 2026-11, was '" + value + "'");
    }
  }

  /** RFC 4180 fields. */
  static final class Csv {
    private Csv() {}

    /** The value as a field: quoted (quotes doubled) when it holds a comma, quote, CR or LF. */
    static String field(String value) {
      if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
        return value;
      }
      return '"' + value.replace("\"", "\"\"") + '"';
    }
  }
}
