package io.quotient.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.quotient.api.Decision;
import io.quotient.api.Plan;
import io.quotient.testkit.QuotientTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's Java client section, run as written: its lines are this test's own, in order. */
class ReadmeSampleTest {

  @Test
  void the_readme_sample_runs_as_written() {
    // sample:start
    try (QuotientTestServer server = QuotientTestServer.builder()
        .plan("free", Map.of("ai_generations", Plan.Limit.hard(10L, "month")))
        .start()) {
      String quotientUrl = server.url().toString();
      String serviceKey = server.serviceKey();
      QuotientClient quotient = QuotientClient.builder()   // one per application; thread-safe
          .url(quotientUrl)                                 // such as http://localhost:8080
          .apiKey(serviceKey)                               // a key with the service role
          .build();
      Decision decision = quotient.consume("alice", "ai_generations", 1);
      if (decision.allowed()) {
        // do the work
      } else {
        System.out.println("limit reached; it resets at " + decision.items().get(0).resetsAt());
      }
      // sample:end
      assertThat(decision.allowed()).isTrue();
      assertThat(quotient.usage("alice").metrics().get(0).used()).isEqualTo(1);
      quotient.close();
    }
  }

  @Test
  void the_readme_shows_the_lines_this_test_runs() throws Exception {
    List<List<String>> blocks = fencedBlocks(Files.readAllLines(Path.of("..", "README.md")),
        "<!-- java-client:start -->", "<!-- java-client:end -->");
    List<String> sample = new ArrayList<>();
    boolean inside = false;
    for (String line : Files.readAllLines(Path.of("src/test/java/io/quotient/client/ReadmeSampleTest.java"))) {
      String t = line.strip();
      if (t.equals("// sample:start") || t.equals("// sample:end")) {
        inside = t.endsWith("start");
      } else if (inside && !t.isEmpty()) {
        sample.add(t);
      }
    }
    assertThat(blocks).hasSize(2);
    for (List<String> block : blocks) {
      assertThat(sample).containsSequence(block);
    }
  }

  /** The code blocks between the markers, each as its trimmed, non-blank lines. */
  private static List<List<String>> fencedBlocks(List<String> lines, String start, String end) {
    List<List<String>> blocks = new ArrayList<>();
    List<String> block = null;
    boolean inside = false;
    for (String line : lines) {
      String t = line.strip();
      if (t.equals(start) || t.equals(end)) {
        inside = t.equals(start);
      } else if (inside && t.startsWith("```")) {
        if (block == null) {
          block = new ArrayList<>();
        } else {
          blocks.add(block);
          block = null;
        }
      } else if (block != null && !t.isEmpty()) {
        block.add(t);
      }
    }
    return blocks;
  }
}
