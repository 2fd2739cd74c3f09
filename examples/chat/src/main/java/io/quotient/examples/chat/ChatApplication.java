package io.quotient.examples.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quotient.api.ConsumeRequest;
import io.quotient.servlet.QuotaRoute;
import io.quotient.servlet.QuotaSubjectResolver;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The seeds' chat app: {@code POST /api/chat} and {@code GET /api/usage}, on the Quotient starter.
 *
 * <p>A message is charged only when its answer succeeds ({@code charge-on-success}): a signed-in
 * user's message costs {@code messages}, and a premium (Claude) model's {@code premium_messages}
 * too, all or nothing; an anonymous user's costs {@code anonymous_messages}, counted per client
 * address. Every message also holds one of the user's {@code answers_in_flight} while its answer
 * is written. A message the app refuses (a bad body, a model the user may not use) costs nothing.
 */
@SpringBootApplication
public class ChatApplication {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) {
    SpringApplication.run(ChatApplication.class, args);
  }

  /** The subject: {@code X-User}, else the anonymous client address. */
  @Bean
  QuotaSubjectResolver quotaSubjectResolver() {
    return Users::subjectOf;
  }

  /** What a message costs, read from its body. */
  @Bean
  QuotaRoute chatQuota() {
    return QuotaRoute.path("/api/chat")
        .methods("POST")
        .mode(QuotaRoute.Mode.CHARGE_ON_SUCCESS)
        .upgradeUrl("https://example.com/pricing")
        .items(ChatApplication::costOf)
        .build();
  }

  static List<ConsumeRequest.Item> costOf(HttpServletRequest request) {
    String model;
    try {
      JsonNode body = JSON.readTree(request.getInputStream());
      model = body == null || !body.path("model").isTextual() ? null : body.get("model").asText();
    } catch (IOException e) {
      return List.of(); // not JSON: the handler refuses it, and nothing is charged
    }
    if (model == null || !Models.known(model)) {
      return List.of();
    }
    List<ConsumeRequest.Item> items = new ArrayList<>();
    if (Users.anonymous(Users.subjectOf(request))) {
      if (!model.equals(Models.ANONYMOUS_MODEL)) {
        return List.of(); // refused with a 403 by the handler, uncharged
      }
      items.add(new ConsumeRequest.Item("anonymous_messages", 1));
    } else {
      items.add(new ConsumeRequest.Item("messages", 1));
      if (Models.premium(model)) {
        items.add(new ConsumeRequest.Item("premium_messages", 1));
      }
    }
    items.add(new ConsumeRequest.Item("answers_in_flight", 1));
    return items;
  }
}
