package io.quotient.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.quotient.InvalidArgumentException;
import io.quotient.Names;
import io.quotient.api.ProblemType;
import io.quotient.server.problem.ProblemException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A strict, path-aware view of one JSON object of a request body. Every accessor refuses a
 * missing, mistyped or out-of-range value with a problem naming the field by its full path
 * ({@code items[0].amount}), and {@link #only} refuses fields the API does not know. Parsing the
 * tree by hand, rather than binding classes, is what lets every refusal name its field.
 */
final class Body {
  /** The mapper for requests and responses: strict on input, ISO-8601 instants on output. */
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .addModule(new JavaTimeModule())
          .build();

  private static final BigInteger MAX_AMOUNT = BigInteger.valueOf(Names.MAX_AMOUNT);

  private final ObjectNode node;
  private final String path;

  private Body(ObjectNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /** Parses a whole body, which must be one JSON object. */
  static Body parse(byte[] bytes) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new ProblemException(ProblemType.MALFORMED_JSON, "the body is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new ProblemException(ProblemType.MALFORMED_JSON, "the body could not be read");
    }
    if (tree == null || tree.isMissingNode()) {
      throw new ProblemException(ProblemType.MALFORMED_JSON, "the body is empty; a JSON object is required");
    }
    if (!tree.isObject()) {
      throw new ProblemException(ProblemType.MALFORMED_JSON, "the body must be a JSON object");
    }
    return new Body((ObjectNode) tree, "");
  }

  /** An empty body, for routes whose body is optional. */
  static Body empty() {
    return new Body(MAPPER.createObjectNode(), "");
  }

  /** This object's path within the request; empty for the whole body. */
  String path() {
    return path;
  }

  /** The full path of {@code name} within the request. */
  String field(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /** Refuses any field not named here. */
  Body only(Set<String> names) {
    Iterator<String> it = node.fieldNames();
    while (it.hasNext()) {
      String name = it.next();
      if (!names.contains(name)) {
        throw new ProblemException(ProblemType.UNKNOWN_FIELD,
            field(name) + " is not a known field; known: " + names.stream().sorted().toList(), field(name));
      }
    }
    return this;
  }

  /** True when the field is present (null included). */
  boolean has(String name) {
    return node.has(name);
  }

  /** The names of this object's fields, in order. */
  List<String> fieldNames() {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** True when the field is a JSON string. */
  boolean isString(String name) {
    JsonNode value = node.get(name);
    return value != null && value.isTextual();
  }

  /** True when the field is present and not null. */
  boolean present(String name) {
    return node.hasNonNull(name);
  }

  /** A required string. */
  String string(String name) {
    String value = optString(name);
    if (value == null) {
      throw ProblemException.invalid(field(name), "is required");
    }
    return value;
  }

  /** An optional string; null when absent or null. */
  String optString(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw ProblemException.invalid(field(name), "must be a string");
    }
    return value.textValue();
  }

  /** A required amount: a whole JSON number from 1 to 2^53. */
  long amount(String name) {
    return wholeNumber(name, 1, true);
  }

  /** An optional amount; null when absent. */
  Long optAmount(String name) {
    return present(name) ? amount(name) : null;
  }

  /** A required whole number from {@code min} to 2^53 ({@code amountRules}: the words of amounts). */
  long wholeNumber(String name, long min, boolean amountRules) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      throw ProblemException.invalid(field(name), "is required");
    }
    if (!value.isNumber()) {
      throw ProblemException.invalid(field(name), "must be a number, was " + kind(value));
    }
    if (!value.isIntegralNumber()) {
      throw ProblemException.invalid(field(name), "must be a whole number, was " + value.asText());
    }
    BigInteger big = value.bigIntegerValue();
    if (big.compareTo(BigInteger.valueOf(min)) < 0) {
      throw ProblemException.invalid(field(name), (amountRules && min == 1 ? "must be greater than 0" : "must be at least " + min) + ", was " + big);
    }
    if (big.compareTo(MAX_AMOUNT) > 0) {
      throw ProblemException.invalid(field(name), "must be at most 2^53 (" + MAX_AMOUNT + "), was " + big);
    }
    return big.longValue();
  }

  /** An optional whole number within bounds; null when absent. */
  Long optWholeNumber(String name, long min, long max) {
    if (!present(name)) {
      return null;
    }
    long value = wholeNumber(name, min, false);
    if (value > max) {
      throw ProblemException.invalid(field(name), "must be at most " + max + ", was " + value);
    }
    return value;
  }

  /** An optional instant in ISO-8601 ({@code 2026-01-31T00:00:00Z}); null when absent. */
  Instant optInstant(String name) {
    String value = optString(name);
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ProblemException.invalid(field(name), "must be an ISO-8601 instant such as 2026-01-31T00:00:00Z, was '" + value + "'");
    }
  }

  /** A required nested object. */
  Body object(String name) {
    Body value = optObject(name);
    if (value == null) {
      throw ProblemException.invalid(field(name), "is required");
    }
    return value;
  }

  /** An optional nested object; null when absent or null. */
  Body optObject(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw ProblemException.invalid(field(name), "must be an object, was " + kind(value));
    }
    return new Body((ObjectNode) value, field(name));
  }

  /** A required array of objects, each as a body with its index in the path. */
  List<Body> objects(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      throw ProblemException.invalid(field(name), "is required");
    }
    if (!value.isArray()) {
      throw ProblemException.invalid(field(name), "must be an array, was " + kind(value));
    }
    List<Body> result = new ArrayList<>(value.size());
    for (int i = 0; i < value.size(); i++) {
      JsonNode element = value.get(i);
      String elementPath = field(name) + "[" + i + "]";
      if (!element.isObject()) {
        throw ProblemException.invalid(elementPath, "must be an object, was " + kind(element));
      }
      result.add(new Body((ObjectNode) element, elementPath));
    }
    return result;
  }

  /** A required array of whole numbers, each from {@code min} to {@code max}, refused naming the element. */
  List<Integer> integers(String name, int min, int max) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      throw ProblemException.invalid(field(name), "is required");
    }
    if (!value.isArray()) {
      throw ProblemException.invalid(field(name), "must be an array, was " + kind(value));
    }
    List<Integer> result = new ArrayList<>(value.size());
    for (int i = 0; i < value.size(); i++) {
      JsonNode element = value.get(i);
      String elementPath = field(name) + "[" + i + "]";
      if (!element.isIntegralNumber()) {
        throw ProblemException.invalid(elementPath, "must be a whole number, was " + kind(element));
      }
      BigInteger big = element.bigIntegerValue();
      if (big.compareTo(BigInteger.valueOf(min)) < 0 || big.compareTo(BigInteger.valueOf(max)) > 0) {
        throw ProblemException.invalid(elementPath, "must be from " + min + " to " + max + ", was " + big);
      }
      result.add(big.intValue());
    }
    return result;
  }

  /** The size of an array field without reading it; -1 when it is not an array. */
  int arraySize(String name) {
    JsonNode value = node.get(name);
    return value != null && value.isArray() ? value.size() : -1;
  }

  /** Each field of this object by name, as bodies (the values must be objects). */
  Map<String, Body> objectEntries() {
    Map<String, Body> result = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> {
      if (!e.getValue().isObject()) {
        throw ProblemException.invalid(field(e.getKey()), "must be an object, was " + kind(e.getValue()));
      }
      result.put(e.getKey(), new Body((ObjectNode) e.getValue(), field(e.getKey())));
    });
    return result;
  }

  /**
   * Flat string metadata: string, number and boolean values become strings; null, objects and
   * arrays are refused naming the key. Null when absent.
   */
  Map<String, String> optMetadata(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw ProblemException.invalid(field(name), "must be an object of string values, was " + kind(value));
    }
    Map<String, String> result = new LinkedHashMap<>();
    value.fields().forEachRemaining(e -> {
      JsonNode v = e.getValue();
      String key = field(name) + "." + e.getKey();
      if (v.isTextual()) {
        result.put(e.getKey(), v.textValue());
      } else if (v.isNumber()) {
        result.put(e.getKey(), v.isBigDecimal() ? v.decimalValue().toPlainString() : v.asText());
      } else if (v.isBoolean()) {
        result.put(e.getKey(), Boolean.toString(v.booleanValue()));
      } else {
        throw ProblemException.invalid(key, "must be a string, number or boolean, was " + kind(v));
      }
    });
    return within(field(name), () -> io.quotient.subject.Subject.Metadata.check(result, "metadata"), "metadata");
  }

  /** A decimal given as a string ({@code "0.02"}) or a JSON number. */
  java.math.BigDecimal decimal(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      throw ProblemException.invalid(field(name), "is required");
    }
    try {
      if (value.isTextual()) {
        return new java.math.BigDecimal(value.textValue());
      }
      if (value.isNumber()) {
        return value.decimalValue();
      }
    } catch (NumberFormatException e) {
      // falls through to the refusal
    }
    throw ProblemException.invalid(field(name), "must be a decimal such as \"0.02\"");
  }

  /**
   * Runs an engine constructor and re-names the field of any {@link InvalidArgumentException}
   * it throws so that it carries this request's path: the engine says {@code amount}, the API
   * says {@code items[0].amount}.
   */
  static <T> T within(String prefix, Supplier<T> build) {
    try {
      return build.get();
    } catch (InvalidArgumentException e) {
      String field = prefix.isEmpty() ? e.field() : prefix + "." + e.field();
      throw new ProblemException(ProblemType.INVALID_FIELD, field + " " + e.reason(), field);
    }
  }

  /** Like {@link #within(String, Supplier)}, for an engine field that is the prefix itself. */
  static <T> T within(String field, Supplier<T> build, String engineField) {
    try {
      return build.get();
    } catch (InvalidArgumentException e) {
      String name = e.field().equals(engineField) ? field : field + e.field().substring(engineField.length());
      throw new ProblemException(ProblemType.INVALID_FIELD, name + " " + e.reason(), name);
    }
  }

  private static String kind(JsonNode value) {
    return switch (value.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NULL -> "null";
      default -> value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
