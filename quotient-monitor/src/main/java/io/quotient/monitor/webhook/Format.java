package io.quotient.monitor.webhook;

import io.quotient.monitor.message.Message;
import io.quotient.monitor.message.Messages;
import java.util.Locale;

/**
 * How an endpoint wants its messages: the Standard Webhooks body, or a Slack or Discord
 * incoming-webhook body with one readable sentence.
 */
public enum Format {
  /** The message itself, {@code {"id","type","timestamp","data"}} ({@link Message#json()}). */
  STANDARD,
  /** {@code {"text": …}}, at most {@value #SLACK_MAX} characters (Slack truncates beyond). */
  SLACK,
  /** {@code {"content": …, "allowed_mentions": {"parse": []}}}, at most {@value #DISCORD_MAX} characters. */
  DISCORD;

  static final int SLACK_MAX = 40_000;
  static final int DISCORD_MAX = 2_000;

  /** The name on the wire: {@code standard}, {@code slack}, {@code discord}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The format named {@code name} on the wire; null when none is. */
  public static Format fromWireName(String name) {
    for (Format format : values()) {
      if (format.wireName().equals(name)) {
        return format;
      }
    }
    return null;
  }

  /** The body sent for {@code message}. */
  String render(Message message) {
    return switch (this) {
      case STANDARD -> message.json();
      case SLACK -> "{\"text\":" + Messages.json(clip(slackEscape(Text.of(message)), SLACK_MAX)) + "}";
      // No mention of anyone, whatever a subject's name holds (@everyone included).
      case DISCORD -> "{\"content\":" + Messages.json(clip(Text.of(message), DISCORD_MAX)) + ",\"allowed_mentions\":{\"parse\":[]}}";
    };
  }

  /** Slack's control characters in text: &, < and > (else {@code <!channel>} would notify). */
  private static String slackEscape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** At most {@code max} UTF-16 units, cut with an ellipsis, never inside a surrogate pair. */
  static String clip(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = max - 1;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "…";
  }

}
