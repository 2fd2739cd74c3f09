package io.quotient.server;

import io.quotient.engine.Quotient;
import io.quotient.plan.Plan;
import io.quotient.server.api.PlansFile;
import io.quotient.server.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs plans at start: the configured plans file (create or update), or else, on a database
 * without plans, the example plans shipped in the jar (the repository's {@code config/plans.json}).
 */
final class PlanInstaller {
  static final String EXAMPLE_PLANS = "/io/quotient/server/config/plans.json";
  private static final String ACTOR = "server:start";
  private static final Logger log = LoggerFactory.getLogger(PlanInstaller.class);

  private PlanInstaller() {}

  static void install(Quotient engine, Path plansFile) {
    if (plansFile != null) {
      List<Plan> plans;
      try {
        plans = PlansFile.parse(Files.readAllBytes(plansFile));
      } catch (IOException e) {
        throw new ConfigException("QUOTIENT_PLANS_FILE", "cannot read " + plansFile + ": " + e.getMessage(), e);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("QUOTIENT_PLANS_FILE", plansFile + " is not a valid plans file: " + e.getMessage(), e);
      }
      plans.forEach(plan -> engine.putPlan(plan, ACTOR));
      log.info("applied {} plans from {}", plans.size(), plansFile);
      return;
    }
    if (!engine.plans().isEmpty()) {
      return;
    }
    List<Plan> plans = PlansFile.parse(examplePlans());
    plans.forEach(plan -> engine.putPlan(plan, ACTOR));
    log.info("installed the example plans {} on an empty database", plans.stream().map(Plan::name).toList());
  }

  static byte[] examplePlans() {
    try (InputStream in = PlanInstaller.class.getResourceAsStream(EXAMPLE_PLANS)) {
      if (in == null) {
        throw new IllegalStateException("the example plans " + EXAMPLE_PLANS + " are missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
