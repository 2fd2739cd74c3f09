package io.quotient.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes an answer as a table, JSON or CSV. JSON is the answer as the server wrote it (pretty
 * printed); a table and CSV show rows — the answer's list (such as {@code plans}) or the answer
 * itself as one row — in the columns given, a nested value as compact JSON. CSV is RFC 4180:
 * a header line, CRLF line ends, fields quoted when they hold a comma, quote, CR or LF. No colour
 * is ever written.
 */
final class Output {
  /** The output formats of {@code -o}. */
  enum Format {
    table, json, csv
  }

  static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

  private Output() {}

  /** {@code answer} as JSON: a record of {@code io.quotient.api}, or a tree. */
  static JsonNode tree(Object answer) {
    return answer instanceof JsonNode node ? node : JSON.valueToTree(answer);
  }

  /**
   * Writes {@code answer}.
   *
   * @param rowsField the member holding the rows (such as {@code plans}); null for the answer as one row
   * @param columns the columns of a table and CSV; empty for every scalar member of the rows
   */
  static void write(PrintStream out, Format format, Object answer, String rowsField, List<String> columns) {
    JsonNode node = tree(answer);
    if (format == Format.json) {
      try {
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      return;
    }
    List<JsonNode> rows = new ArrayList<>();
    if (rowsField == null) {
      rows.add(node);
    } else {
      node.path(rowsField).forEach(rows::add);
    }
    List<String> header = columns.isEmpty() ? scalarMembers(rows) : columns;
    List<List<String>> cells = new ArrayList<>();
    for (JsonNode row : rows) {
      List<String> line = new ArrayList<>();
      for (String column : header) {
        line.add(cell(at(row, column)));
      }
      cells.add(line);
    }
    if (format == Format.csv) {
      csv(out, header, cells);
    } else {
      table(out, header, cells);
    }
  }

  /**
   * Writes {@code answer} as JSON, or {@code rows} (built from it, flatter) as a table or CSV.
   */
  static void writeRows(PrintStream out, Format format, Object answer, List<? extends JsonNode> rows, List<String> columns) {
    if (format == Format.json) {
      write(out, format, answer, null, columns);
      return;
    }
    com.fasterxml.jackson.databind.node.ObjectNode holder = JSON.createObjectNode();
    holder.putArray("rows").addAll(rows);
    write(out, format, holder, "rows", columns);
  }

  /** A member by name; a dotted name ({@code overagePrice.amount}) goes into nested objects. */
  static JsonNode at(JsonNode row, String column) {
    JsonNode node = row;
    for (String part : column.split("\\.")) {
      node = node.path(part);
    }
    return node;
  }

  static String cell(JsonNode value) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return "";
    }
    if (value.isValueNode()) {
      return value.asText();
    }
    return value.toString();
  }

  private static List<String> scalarMembers(List<JsonNode> rows) {
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode row : rows) {
      for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
        names.add(it.next().getKey());
      }
    }
    return List.copyOf(names);
  }

  static void csv(PrintStream out, List<String> header, List<List<String>> rows) {
    StringBuilder text = new StringBuilder();
    line(text, header);
    for (List<String> row : rows) {
      line(text, row);
    }
    out.print(text);
    out.flush();
  }

  private static void line(StringBuilder text, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        text.append(',');
      }
      text.append(field(fields.get(i)));
    }
    text.append("\r\n");
  }

  /** One RFC 4180 field. */
  static String field(String value) {
    if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }

  static void table(PrintStream out, List<String> header, List<List<String>> rows) {
    int[] widths = new int[header.size()];
    for (int i = 0; i < header.size(); i++) {
      widths[i] = header.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder text = new StringBuilder();
    List<String> upper = header.stream().map(h -> h.toUpperCase(java.util.Locale.ROOT)).toList();
    tableLine(text, upper, widths);
    for (List<String> row : rows) {
      tableLine(text, row, widths);
    }
    out.print(text);
    out.flush();
  }

  private static void tableLine(StringBuilder text, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        line.append("  ");
      }
      String cell = cells.get(i).replace('\n', ' ').replace('\r', ' ');
      line.append(cell);
      if (i < cells.size() - 1) {
        line.append(" ".repeat(widths[i] - cell.length()));
      }
    }
    text.append(line.toString().stripTrailing()).append('\n');
  }
}
