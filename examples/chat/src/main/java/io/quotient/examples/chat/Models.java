package io.quotient.examples.chat;

import java.util.Set;

/** The models the app knows: the seeds' premium (Claude) models and a few others. */
final class Models {
  /** The one model anonymous users may use. */
  static final String ANONYMOUS_MODEL = "gemini-2.0-flash";

  static final Set<String> PREMIUM = Set.of(
      "claude-3.5-sonnet", "claude-3-haiku", "claude-3-opus", "claude-3.7-sonnet", "claude-sonnet-4", "claude-opus-4");

  static final Set<String> STANDARD = Set.of("gemini-2.0-flash", "gpt-4o-mini", "gpt-4o");

  private Models() {}

  static boolean known(String model) {
    return PREMIUM.contains(model) || STANDARD.contains(model);
  }

  static boolean premium(String model) {
    return PREMIUM.contains(model);
  }
}
