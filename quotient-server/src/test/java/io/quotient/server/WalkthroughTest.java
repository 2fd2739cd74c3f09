package io.quotient.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walk-through in {@code docs/API.md} runs as written: its {@code sh} blocks between the
 * walkthrough markers, in order, with curl, against a real server on a fresh database.
 */
class WalkthroughTest {
  @TempDir Path dir;

  @Test
  void the_documented_walkthrough_works_as_written() throws Exception {
    String doc = Files.readString(Path.of(System.getenv("QUOTIENT_REPO_ROOT"), "docs", "API.md"));
    String section = doc.substring(doc.indexOf("<!-- walkthrough:start -->"), doc.indexOf("<!-- walkthrough:end -->"));
    List<String> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL).matcher(section);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(8);
    Path script = Files.writeString(dir.resolve("walkthrough.sh"), "set -euo pipefail\n" + String.join("\n", blocks));
    try (TestServer server = TestServer.start()) {
      ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
      builder.environment().put("Q", server.base().toString());
      builder.environment().put("QUOTIENT_ADMIN_KEY", TestServer.ADMIN_KEY);
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes());
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(output).isZero();
      List<String> lines = output.lines().toList();
      // 10 allowed, the 11th denied with its limit and reset time.
      assertThat(lines.subList(0, 10)).allMatch(l -> l.startsWith("{\"allowed\":true"));
      assertThat(lines.get(10)).contains("\"allowed\":false,\"reason\":\"quota_exceeded\"").contains("\"limit\":10").contains("\"resetsAt\":\"");
      assertThat(lines.get(12)).contains("\"allowed\":true").contains("\"fromBonus\":1");
      assertThat(lines.get(14)).contains("\"plan\":\"starter\"").contains("\"limit\":100").contains("\"remaining\":90");
      assertThat(lines.get(18)).contains("\"allowed\":false,\"reason\":\"quota_exceeded\"").contains("\"resetsAt\":null");
      assertThat(lines.get(19)).contains("\"consumeEventId\"").contains("\"used\":2");
      assertThat(lines.get(20)).contains("\"allowed\":true");
      assertThat(lines.get(21)).contains("\"subject\":\"alice\"");
      assertThat(lines.get(22)).contains("urn:quotient:problem:forbidden");
      assertThat(lines.get(23)).contains("\"field\":\"items[0].amount\"");
      // The reservation, shown, then committed with 3 of the 5 it held.
      assertThat(lines.get(24)).contains("\"subject\":\"dana-renders\",\"state\":\"held\"").contains("\"held\":5");
      assertThat(lines.get(25)).contains("\"state\":\"committed\"").contains("\"held\":5,\"committed\":3");
    }
  }
}
