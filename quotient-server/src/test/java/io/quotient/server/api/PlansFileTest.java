package io.quotient.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlansFileTest {
  @Test
  void the_shipped_plans_are_the_seeds_tiers_and_chat() throws IOException {
    byte[] json;
    try (var in = PlansFileTest.class.getResourceAsStream("/io/quotient/server/config/plans.json")) {
      json = in.readAllBytes();
    }
    assertThat(json).isEqualTo(Files.readAllBytes(Path.of(System.getenv("QUOTIENT_REPO_ROOT"), "config", "plans.json")));
    Map<String, Plan> plans = PlansFile.parse(json).stream().collect(Collectors.toMap(Plan::name, p -> p));
    assertThat(plans).containsOnlyKeys("free", "starter", "growth", "chat");
    assertLimits(plans.get("free"), 10, 3, 1);
    assertLimits(plans.get("starter"), 100, 10, 10);
    assertLimits(plans.get("growth"), 500, 50, 50);
    assertThat(plans.get("chat").limitOf("messages").limit()).isEqualTo(100);
    assertThat(plans.get("chat").limitOf("messages").period()).isEqualTo(Period.MONTH);
    assertThat(plans.get("chat").limitOf("premium_messages").limit()).isEqualTo(20);
  }

  private static void assertLimits(Plan plan, long generations, long projects, long exports) {
    assertThat(plan.limitOf("ai_generations").limit()).isEqualTo(generations);
    assertThat(plan.limitOf("ai_generations").period()).isEqualTo(Period.MONTH);
    assertThat(plan.limitOf("projects").limit()).isEqualTo(projects);
    assertThat(plan.limitOf("projects").period()).isEqualTo(Period.TOTAL);
    assertThat(plan.limitOf("exports").limit()).isEqualTo(exports);
    assertThat(plan.limitOf("exports").period()).isEqualTo(Period.MONTH);
  }

  @Test
  void a_bad_plans_file_names_the_field() {
    byte[] json = "{\"plans\":{\"free\":{\"limits\":{\"x\":{\"limit\":-1,\"period\":\"month\"}}}}}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> PlansFile.parse(json)).hasMessageContaining("plans.free.limits.x.limit");
    List<String> bad = List.of("{\"plans\":{\"free\":{\"limits\":{\"x\":{\"limit\":1,\"period\":\"week\"}}}}}", "{\"plan\":{}}");
    assertThatThrownBy(() -> PlansFile.parse(bad.get(0).getBytes(StandardCharsets.UTF_8))).hasMessageContaining("plans.free.limits.x.period");
    assertThatThrownBy(() -> PlansFile.parse(bad.get(1).getBytes(StandardCharsets.UTF_8))).hasMessageContaining("plan");
  }
}
