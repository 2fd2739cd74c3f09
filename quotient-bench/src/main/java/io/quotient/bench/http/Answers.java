package io.quotient.bench.http;

import java.nio.charset.StandardCharsets;

/**
 * Reads decisions out of a consume answer without a JSON parser: counts the {@code "allowed"}
 * members and how many are {@code true}. Item objects carry no {@code allowed} member, so each
 * one is one decision. Stateless.
 */
public final class Answers {
  private static final byte[] ALLOWED = "\"allowed\"".getBytes(StandardCharsets.US_ASCII);

  private Answers() {}

  /**
   * Granted decisions in {@code body}; fails unless it holds exactly {@code expected} decisions.
   */
  public static int granted(byte[] body, int length, int expected) {
    int decisions = 0;
    int granted = 0;
    int i = 0;
    while ((i = indexOf(body, length, i)) >= 0) {
      i += ALLOWED.length;
      while (i < length && (body[i] == ' ' || body[i] == ':')) {
        i++;
      }
      decisions++;
      if (i < length && body[i] == 't') {
        granted++;
      }
    }
    if (decisions != expected) {
      throw new IllegalStateException("expected " + expected + " decisions in the answer, found " + decisions + ": "
          + new String(body, 0, Math.min(length, 500), StandardCharsets.UTF_8));
    }
    return granted;
  }

  private static int indexOf(byte[] body, int length, int from) {
    byte first = ALLOWED[0];
    outer:
    for (int i = from; i <= length - ALLOWED.length; i++) {
      if (body[i] != first) {
        continue;
      }
      for (int j = 1; j < ALLOWED.length; j++) {
        if (body[i + j] != ALLOWED[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
