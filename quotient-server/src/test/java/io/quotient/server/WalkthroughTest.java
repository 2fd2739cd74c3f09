package io.quotient.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.quotient.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walk-throughs run as written, one after the other on one server, as a new user would run
 * them: the README's block, then {@code docs/API.md}'s, each as its own {@code bash} script with
 * curl (the {@code sh} blocks between the walkthrough markers, in order). Every answer the
 * documents describe is checked: each {@code json} block against the last answer of the block above
 * it, and the claims made in prose one by one.
 */
class WalkthroughTest {
  /** The documents' dates are those of November 2026. */
  static final Instant NOVEMBER_2026 = Instant.parse("2026-11-15T12:00:00Z");
  /** What {@code "…"} stands for in a documented answer: any value. */
  static final String ANY = "<any value>";

  @TempDir Path dir;

  /** A document's walk-through: its shell blocks, and the answer documented after each (or null). */
  record Walkthrough(String name, List<String> blocks, List<String> answers) {}

  static Walkthrough read(String relative) throws IOException {
    Path file = Path.of(System.getenv("QUOTIENT_REPO_ROOT")).resolve(relative);
    String doc = Files.readString(file);
    int start = doc.indexOf("<!-- walkthrough:start -->");
    int end = doc.indexOf("<!-- walkthrough:end -->");
    assertThat(start).as("walkthrough markers in " + file).isNotNegative().isLessThan(end);
    List<String> blocks = new ArrayList<>();
    List<String> answers = new ArrayList<>();
    Matcher m = Pattern.compile("```(sh|json)\\n(.*?)```", Pattern.DOTALL).matcher(doc.substring(start, end));
    while (m.find()) {
      if (m.group(1).equals("sh")) {
        blocks.add(m.group(2));
        answers.add(null);
      } else {
        assertThat(blocks).as("a json block before any sh block in " + file).isNotEmpty();
        answers.set(blocks.size() - 1, m.group(2).strip());
      }
    }
    return new Walkthrough(file.getFileName().toString(), blocks, answers);
  }

  /** Runs the walk-through's blocks as one script; returns each block's output lines. */
  List<List<String>> run(Walkthrough walkthrough, TestServer server) throws Exception {
    StringBuilder script = new StringBuilder("set -euo pipefail\n");
    for (String block : walkthrough.blocks()) {
      script.append("echo '@@block'\n").append(block).append('\n');
    }
    Path file = Files.writeString(dir.resolve(walkthrough.name() + ".sh"), script);
    ProcessBuilder builder = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true);
    builder.environment().put("Q", server.base().toString());
    builder.environment().put("QUOTIENT_ADMIN_KEY", TestServer.ADMIN_KEY);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(walkthrough.name() + " failed:\n" + output).isZero();
    List<List<String>> outputs = new ArrayList<>();
    for (String line : output.lines().toList()) {
      if (line.equals("@@block")) {
        outputs.add(new ArrayList<>());
      } else {
        outputs.getLast().add(line.strip());
      }
    }
    assertThat(outputs).hasSameSizeAs(walkthrough.blocks());
    return outputs;
  }

  @Test
  void the_readme_and_then_the_api_walkthrough_run_on_one_server_as_documented() throws Exception {
    Walkthrough readme = read("README.md");
    Walkthrough api = read("docs/API.md");
    assertThat(api.blocks()).hasSizeGreaterThanOrEqualTo(10);
    try (TestServer server = TestServer.start(new MutableClock(NOVEMBER_2026), UnaryOperator.identity())) {
      List<List<String>> r = run(readme, server);
      // "10 × {"allowed":true,…}, then {"allowed":false,"reason":"quota_exceeded",…"limit":10,…"resetsAt":"<1st of next month>"…}"
      List<String> eleven = r.getLast();
      assertThat(eleven).hasSize(11);
      assertThat(eleven.subList(0, 10)).allSatisfy(l -> assertThat(json(l).path("allowed").asBoolean()).as(l).isTrue());
      JsonNode denied = json(eleven.get(10));
      assertThat(denied.path("allowed").asBoolean()).isFalse();
      assertThat(denied.path("reason").asText()).isEqualTo("quota_exceeded");
      assertThat(denied.at("/items/0/limit").asLong()).isEqualTo(10);
      assertThat(denied.at("/items/0/resetsAt").asText()).isEqualTo("2026-12-01T00:00:00Z");

      List<List<String>> a = run(api, server);
      for (int i = 0; i < api.blocks().size(); i++) {
        if (api.answers().get(i) != null) {
          assertThat(a.get(i)).as("the answers of API.md's block " + i).isNotEmpty();
          assertDocumented(api.answers().get(i), a.get(i).getLast(), "API.md's block " + i + ":\n" + api.blocks().get(i));
        }
      }
      // Alice's 10 free AI generations: all ten allowed.
      assertThat(a.get(1)).hasSize(10).allSatisfy(l -> assertThat(json(l).path("allowed").asBoolean()).as(l).isTrue());
      // "The consume is allowed from the grant: "allowed":true, "fromBonus":1, "bonusRemaining":4."
      JsonNode fromGrant = json(a.get(3).getLast());
      assertThat(fromGrant.path("allowed").asBoolean()).isTrue();
      assertThat(fromGrant.at("/items/0/fromBonus").asLong()).isEqualTo(1);
      assertThat(fromGrant.at("/items/0/bonusRemaining").asLong()).isEqualTo(4);
      // Bob's projects: three allowed; "the fourth answer is "allowed":false,"reason":"quota_exceeded"
      // with "limit":3 and "resetsAt":null."
      List<String> projects = a.get(5);
      assertThat(projects).hasSize(4);
      assertThat(projects.subList(0, 3)).allSatisfy(l -> assertThat(json(l).path("allowed").asBoolean()).as(l).isTrue());
      JsonNode fourth = json(projects.get(3));
      assertThat(fourth.path("allowed").asBoolean()).isFalse();
      assertThat(fourth.path("reason").asText()).isEqualTo("quota_exceeded");
      assertThat(fourth.at("/items/0/limit").asLong()).isEqualTo(3);
      assertThat(fourth.at("/items/0/resetsAt").isNull()).isTrue();
      // The refund's answer as documented, and the new project is allowed.
      assertDocumented("{\"eventId\":\"…\",\"consumeEventId\":\"…\",\"subject\":\"bob\",\"items\":[{\"metric\":\"projects\",\"amount\":1,\"used\":2}]}",
          a.get(6).getFirst(), "the refund");
      assertThat(json(a.get(6).getLast()).path("allowed").asBoolean()).isTrue();
      // The retry replays, with the header.
      assertThat(a.get(7).getFirst()).isEqualToIgnoringCase("Idempotent-Replayed: true");
      // The token reads Alice's usage; the second answer is a 403 problem.
      assertThat(a.get(8)).hasSize(2);
      assertThat(json(a.get(8).get(0)).path("subject").asText()).isEqualTo("alice");
      assertThat(json(a.get(8).get(1)).path("type").asText()).isEqualTo("urn:quotient:problem:forbidden");
      assertThat(json(a.get(8).get(1)).path("status").asInt()).isEqualTo(403);
      // Alice's alerts so far: 80, 95 and 100 fired and the grant resolved them.
      JsonNode alerts = json(a.get(a.size() - 2).getLast()).path("alerts");
      assertThat(alerts).hasSize(3);
      assertThat(alerts).allSatisfy(alert -> assertThat(alert.path("resolvedReason").asText()).isEqualTo("grant"));
      // "Four messages arrive as they happen": 80 warning, 95 critical, 100 exceeded, then resolved.
      List<String> live = a.getLast();
      assertThat(live).hasSize(4);
      String[][] expected = {{"alert.triggered", "[80]", "warning"}, {"alert.triggered", "[95]", "critical"},
          {"alert.triggered", "[100]", "exceeded"}, {"alert.resolved", "[80,95,100]", ""}};
      for (int i = 0; i < 4; i++) {
        JsonNode message = json(live.get(i));
        assertThat(message.path("type").asText()).as(live.get(i)).isEqualTo(expected[i][0]);
        assertThat(message.at("/data/thresholds").toString()).as(live.get(i)).isEqualTo(expected[i][1]);
        assertThat(message.at("/data/level").asText("")).as(live.get(i)).isEqualTo(expected[i][2]);
      }
    }
  }

  static JsonNode json(String line) {
    try {
      return TestServer.JSON.readTree(line);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }

  /**
   * Checks that a documented answer holds for the real one: every documented field has the
   * documented value ({@code "…"}: any value); the answer may have more fields, and an array
   * documented with {@code …} may have more elements around the documented ones (in order).
   */
  static void assertDocumented(String documented, String actual, String where) {
    String text = documented.replace("\"…\"", "\"" + ANY + "\"")
        .replaceAll("…\\s*,\\s*", "").replaceAll(",\\s*…", "").replace("[…]", "[]");
    List<String> mismatches = new ArrayList<>();
    compare(json(text), json(actual), "$", mismatches);
    assertThat(mismatches).as(where + "\ndocumented: " + documented + "\nanswered:   " + actual).isEmpty();
  }

  private static void compare(JsonNode doc, JsonNode act, String path, List<String> out) {
    if (doc.isTextual() && doc.asText().equals(ANY)) {
      if (act.isMissingNode()) {
        out.add(path + " is missing");
      }
    } else if (doc.isObject()) {
      if (!act.isObject()) {
        out.add(path + " is not an object: " + act);
        return;
      }
      doc.properties().forEach(e -> compare(e.getValue(), act.has(e.getKey()) ? act.get(e.getKey()) : MissingNode.getInstance(),
          path + "." + e.getKey(), out));
    } else if (doc.isArray()) {
      if (!act.isArray()) {
        out.add(path + " is not an array: " + act);
        return;
      }
      int j = 0;
      for (JsonNode element : doc) {
        while (j < act.size() && !matches(element, act.get(j))) {
          j++;
        }
        if (j == act.size()) {
          out.add(path + " has no element like " + element + " (in order)");
          return;
        }
        j++;
      }
    } else if (doc.isNumber() && act.isNumber()) {
      if (doc.decimalValue().compareTo(act.decimalValue()) != 0) {
        out.add(path + ": documented " + doc + ", answered " + act);
      }
    } else if (!doc.equals(act)) {
      out.add(path + ": documented " + doc + ", answered " + (act.isMissingNode() ? "nothing" : act));
    }
  }

  private static boolean matches(JsonNode doc, JsonNode act) {
    List<String> out = new ArrayList<>();
    compare(doc, act, "", out);
    return out.isEmpty();
  }
}
