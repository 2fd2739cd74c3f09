package io.quotient.engine;

import java.time.Instant;
import java.util.Map;

/**
 * Writes the small JSON documents the engine stores (event items, metadata, detail) without a
 * JSON library: the engine depends on none. PostgreSQL reads them back.
 */
final class Json {
  private final StringBuilder out = new StringBuilder(128);
  private boolean first = true;

  static String object(Map<String, String> pairs) {
    Json json = new Json().beginObject();
    pairs.forEach(json::field);
    return json.endObject().toString();
  }

  Json beginObject() {
    out.append('{');
    first = true;
    return this;
  }

  Json endObject() {
    out.append('}');
    first = false;
    return this;
  }

  Json beginArray() {
    out.append('[');
    first = true;
    return this;
  }

  Json endArray() {
    out.append(']');
    first = false;
    return this;
  }

  /** Starts an element of an array (an object follows). */
  Json element() {
    if (!first) {
      out.append(',');
    }
    first = true;
    return this;
  }

  Json field(String name, String value) {
    name(name);
    if (value == null) {
      out.append("null");
    } else {
      string(value);
    }
    return this;
  }

  Json field(String name, Long value) {
    name(name);
    out.append(value == null ? "null" : value.toString());
    return this;
  }

  Json field(String name, long value) {
    name(name);
    out.append(value);
    return this;
  }

  Json field(String name, Instant value) {
    return field(name, value == null ? null : value.toString());
  }

  private void name(String name) {
    if (!first) {
      out.append(',');
    }
    first = false;
    string(name);
    out.append(':');
  }

  private void string(String value) {
    out.append('"');
    if (plain(value)) {
      // Nearly every name and value here (metrics, reasons, ids, instants) needs no escape: one bulk
      // append instead of one append per character, which was most of this method's time in JFR
      // on the writer threads (issue 12).
      out.append(value).append('"');
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** True when no character of {@code value} needs an escape in a JSON string. */
  private static boolean plain(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || c == 0x2028 || c == 0x2029) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
