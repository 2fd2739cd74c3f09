package io.quotient.engine;

import io.quotient.decision.DenialReason;
import io.quotient.decision.ItemDecision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads back the small JSON documents {@link Json} writes (event items, metadata, detail), in
 * Java instead of in PostgreSQL: unpacking them with {@code json_each_text} and
 * {@code json_to_recordset} cost PostgreSQL about 15 µs per event read (20,000 events: 300 ms
 * against 28 ms for the same rows with their JSON as text), and every follower of the feed reads
 * every event. A strict parser of RFC 8259 JSON; anything else is a corrupt row and throws
 * {@link IllegalStateException}.
 *
 * <p>The results are what PostgreSQL's functions gave: an object's pairs by key (a JSON null
 * value as null, a number or literal as its text), an item's missing or null count as 0 and its
 * missing or null limit, remaining, window or reason as null.
 */
final class JsonReader {
  private final String text;
  private int at;

  private JsonReader(String text) {
    this.text = text;
  }

  /** The pairs of a JSON object of scalars, ordered by key. */
  static Map<String, String> pairs(String json) {
    JsonReader reader = new JsonReader(json);
    Map<String, String> pairs = new TreeMap<>();
    reader.expect('{');
    if (!reader.consume('}')) {
      do {
        String key = reader.string();
        reader.expect(':');
        pairs.put(key, reader.scalarOrRaw());
      } while (reader.consume(','));
      reader.expect('}');
    }
    reader.end();
    return pairs;
  }

  /** The decided items of an event's {@code items} array, in array order. */
  static List<ItemDecision> items(String json) {
    JsonReader reader = new JsonReader(json);
    List<ItemDecision> items = new ArrayList<>(2);
    reader.expect('[');
    if (!reader.consume(']')) {
      do {
        items.add(reader.item());
      } while (reader.consume(','));
      reader.expect(']');
    }
    reader.end();
    return items;
  }

  private ItemDecision item() {
    String metric = null;
    long amount = 0;
    long used = 0;
    long held = 0;
    long bonusRemaining = 0;
    long fromPlan = 0;
    long fromBonus = 0;
    long overage = 0;
    Long limit = null;
    Long remaining = null;
    Instant windowStart = null;
    Instant resetsAt = null;
    DenialReason reason = null;
    expect('{');
    if (!consume('}')) {
      do {
        String name = string();
        expect(':');
        String value = scalarOrRaw();
        switch (name) {
          case "metric" -> metric = value;
          case "amount" -> amount = count(value);
          case "limit" -> limit = value == null ? null : count(value);
          case "used" -> used = count(value);
          case "held" -> held = count(value);
          case "remaining" -> remaining = value == null ? null : count(value);
          case "bonusRemaining" -> bonusRemaining = count(value);
          case "windowStart" -> windowStart = value == null ? null : instant(value);
          case "resetsAt" -> resetsAt = value == null ? null : instant(value);
          case "fromPlan" -> fromPlan = count(value);
          case "fromBonus" -> fromBonus = count(value);
          case "overage" -> overage = count(value);
          case "reason" -> reason = value == null ? null : DenialReason.fromWireName(value);
          default -> {} // "i", the item's place, is its place in the array
        }
      } while (consume(','));
      expect('}');
    }
    if (metric == null) {
      throw corrupt("an item without a metric");
    }
    return ItemDecision.of(metric, amount)
        .limit(limit, remaining)
        .usage(used, held)
        .bonusRemaining(bonusRemaining)
        .window(windowStart, resetsAt)
        .split(fromPlan, fromBonus, overage)
        .reason(reason)
        .build();
  }

  /**
   * An instant as {@link Instant#toString} writes it for years 0000 to 9999 ({@code
   * 2026-12-01T00:00:00Z}, with 3, 6 or 9 fraction digits when it has them), read without {@link
   * java.time.format.DateTimeFormatter}: every follower parses two per item of every event, and
   * the formatter's general parse was half of a rollup projection's CPU (JFR, {@code bench/run
   * monitor}). Any other shape goes to {@link Instant#parse}, which reads it or says why not.
   */
  static Instant instant(String value) {
    int n = value.length();
    if (n < 20 || value.charAt(n - 1) != 'Z' || value.charAt(4) != '-' || value.charAt(7) != '-'
        || value.charAt(10) != 'T' || value.charAt(13) != ':' || value.charAt(16) != ':') {
      return Instant.parse(value);
    }
    int year = digits(value, 0, 4);
    int month = digits(value, 5, 7);
    int day = digits(value, 8, 10);
    int hour = digits(value, 11, 13);
    int minute = digits(value, 14, 16);
    int second = digits(value, 17, 19);
    int nanos = 0;
    if (n > 20) {
      int fraction = n - 21; // between the '.' and the 'Z'
      if (value.charAt(19) != '.' || fraction < 1 || fraction > 9) {
        return Instant.parse(value);
      }
      nanos = digits(value, 20, n - 1);
      for (int i = fraction; i < 9 && nanos >= 0; i++) {
        nanos *= 10;
      }
    }
    if ((year | month | day | hour | minute | second | nanos) < 0 || month < 1 || month > 12 || day < 1
        || day > java.time.YearMonth.of(year, month).lengthOfMonth() || hour > 23 || minute > 59 || second > 59) {
      return Instant.parse(value);
    }
    long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
  }

  /** The decimal number in {@code s} from {@code from} to {@code to}; -1 if any is not an ASCII digit. */
  private static int digits(String s, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private long count(String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw corrupt("a count that is not a whole number: " + value);
    }
  }

  /** A string's value, a number's or literal's text, null for null, an object's or array's JSON text. */
  private String scalarOrRaw() {
    skipSpace();
    if (at >= text.length()) {
      throw corrupt("a value expected");
    }
    char c = text.charAt(at);
    if (c == '"') {
      return string();
    }
    if (c == '{' || c == '[') {
      int start = at;
      skipNested();
      return text.substring(start, at);
    }
    int start = at;
    while (at < text.length() && ",}] \t\r\n".indexOf(text.charAt(at)) < 0) {
      at++;
    }
    String literal = text.substring(start, at);
    if (literal.equals("null")) {
      return null;
    }
    if (!literal.equals("true") && !literal.equals("false") && !isNumber(literal)) {
      throw corrupt("not a JSON value: " + literal);
    }
    return literal;
  }

  /** Whether {@code s} is a JSON number (RFC 8259 §6). */
  private static boolean isNumber(String s) {
    int n = s.length();
    int i = 0;
    if (i < n && s.charAt(i) == '-') {
      i++;
    }
    if (i < n && s.charAt(i) == '0') {
      i++;
    } else {
      int digits = i;
      i = skipDigits(s, i);
      if (i == digits) {
        return false;
      }
    }
    if (i < n && s.charAt(i) == '.') {
      int digits = ++i;
      i = skipDigits(s, i);
      if (i == digits) {
        return false;
      }
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int digits = i;
      i = skipDigits(s, i);
      if (i == digits) {
        return false;
      }
    }
    return i == n;
  }

  private static int skipDigits(String s, int i) {
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return i;
  }

  private void skipNested() {
    int depth = 0;
    do {
      char c = text.charAt(at);
      if (c == '"') {
        string();
        continue;
      }
      if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
      }
      at++;
    } while (depth > 0 && at < text.length());
    if (depth != 0) {
      throw corrupt("an unfinished object or array");
    }
  }

  private String string() {
    expect('"');
    int start = at;
    // The common case, a string without escapes, is one substring.
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c == '"') {
        return text.substring(start, at++);
      }
      if (c == '\\') {
        break;
      }
      at++;
    }
    StringBuilder out = new StringBuilder(text.length() - start).append(text, start, at);
    while (at < text.length()) {
      char c = text.charAt(at++);
      if (c == '"') {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (at >= text.length()) {
        break;
      }
      char escaped = text.charAt(at++);
      switch (escaped) {
        case '"', '\\', '/' -> out.append(escaped);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (at + 4 > text.length()) {
            throw corrupt("a short \\u escape");
          }
          try {
            out.append((char) Integer.parseInt(text, at, at + 4, 16));
          } catch (NumberFormatException e) {
            throw corrupt("a bad \\u escape");
          }
          at += 4;
        }
        default -> throw corrupt("an unknown escape \\" + escaped);
      }
    }
    throw corrupt("an unfinished string");
  }

  private void expect(char c) {
    if (!consume(c)) {
      throw corrupt("'" + c + "' expected");
    }
  }

  private boolean consume(char c) {
    skipSpace();
    if (at < text.length() && text.charAt(at) == c) {
      at++;
      return true;
    }
    return false;
  }

  private void end() {
    skipSpace();
    if (at != text.length()) {
      throw corrupt("text after the document");
    }
  }

  private void skipSpace() {
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      at++;
    }
  }

  private IllegalStateException corrupt(String what) {
    return new IllegalStateException("corrupt event JSON at " + at + ": " + what + " in " + text);
  }
}
