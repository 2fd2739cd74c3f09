package io.quotient.examples.chat;

import io.quotient.api.Usage;
import io.quotient.client.QuotientClient;
import io.quotient.servlet.QuotaDecision;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/chat} (an echo stands in for the model) and {@code GET /api/usage}. */
@RestController
class ChatController {
  private final QuotientClient quotient;

  ChatController(QuotientClient quotient) {
    this.quotient = quotient;
  }

  /** A chat message. */
  record ChatMessage(String model, String message) {}

  @PostMapping("/api/chat")
  ResponseEntity<?> chat(@RequestBody(required = false) ChatMessage chat, HttpServletRequest request) {
    if (chat == null || chat.model() == null || chat.message() == null || chat.message().isBlank()) {
      return problem(HttpStatus.BAD_REQUEST, "bad-message", "a message needs a model and a message", "model");
    }
    if (!Models.known(chat.model())) {
      return problem(HttpStatus.BAD_REQUEST, "unknown-model", "no model named '" + chat.model() + "'", "model");
    }
    String subject = Users.subjectOf(request);
    if (Users.anonymous(subject) && !chat.model().equals(Models.ANONYMOUS_MODEL)) {
      return problem(HttpStatus.FORBIDDEN, "model-not-allowed",
          "without signing in only " + Models.ANONYMOUS_MODEL + " may be used", "model");
    }
    QuotaDecision quota = (QuotaDecision) request.getAttribute(QuotaDecision.ATTRIBUTE);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("model", chat.model());
    answer.put("reply", "echo: " + chat.message());
    Map<String, Object> remaining = new LinkedHashMap<>();
    for (String metric : new String[] {"messages", "premium_messages", "anonymous_messages"}) {
      Long left = quota == null ? null : quota.remaining(metric);
      if (left != null) {
        remaining.put(metric, left);
      }
    }
    answer.put("remaining", remaining);
    return ResponseEntity.ok(answer);
  }

  /** The seeds' usage answer: counts, whether the next message (and a premium one) may be sent, and the reset. */
  @GetMapping("/api/usage")
  Map<String, Object> usage(HttpServletRequest request) {
    String subject = Users.subjectOf(request);
    Usage usage = quotient.usage(subject);
    boolean anonymous = Users.anonymous(subject);
    Usage.Metric messages = metric(usage, anonymous ? "anonymous_messages" : "messages");
    Usage.Metric premium = metric(usage, "premium_messages");
    boolean canSend = messages != null && (messages.remaining() == null || messages.remaining() > 0);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("userId", subject);
    answer.put("totalMessages", messages == null ? 0 : messages.used());
    answer.put("premiumMessages", anonymous || premium == null ? 0 : premium.used());
    answer.put("lastReset", messages == null ? null : messages.windowStart());
    answer.put("resetsAt", messages == null ? null : messages.resetsAt());
    answer.put("canSendMessage", canSend);
    answer.put("canSendPremiumMessage",
        !anonymous && canSend && premium != null && (premium.remaining() == null || premium.remaining() > 0));
    answer.put("limits", Map.of(
        "messages", messages == null || messages.limit() == null ? -1 : messages.limit(),
        "premiumMessages", anonymous || premium == null || premium.limit() == null ? 0 : premium.limit()));
    return answer;
  }

  private static Usage.Metric metric(Usage usage, String name) {
    return usage.metrics().stream().filter(m -> m.metric().equals(name)).findFirst().orElse(null);
  }

  private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String type, String detail, String field) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(URI.create("urn:quotient-chat:problem:" + type));
    problem.setProperty("field", field);
    return ResponseEntity.status(status).body(problem);
  }
}
