package io.quotient.engine;

import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.ItemDecision;
import io.quotient.plan.Limit;
import io.quotient.plan.Period;
import io.quotient.plan.Plan;
import io.quotient.window.Window;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The decision logic alone, no I/O: what a writer spends in memory per decision, apart from the
 * database round trips. Lives in {@code io.quotient.engine} (a split package on the benchmark's
 * class path) to reach the package-private {@link Decider}, {@link BatchState} and {@link Events}.
 *
 * <ul>
 *   <li>{@code decideHot}: one request after another on one counter (a hot subject);
 *   <li>{@code decideBatchSpread}: a batch of {@value #BATCH} requests on random subjects of
 *       10,000, each batch on fresh state as a writer builds it (per-decision time reported);
 *   <li>{@code eventItemsJson}: the per-event JSON of the decided items, written for every decision;
 *   <li>{@code window}: the window of a monthly limit.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class DecisionBenchmark {
  static final int BATCH = 256;
  /** As in a batch: the window instants its events share are formatted once. */
  private final java.util.Map<java.time.Instant, String> formatted = new java.util.HashMap<>();
  private static final int SUBJECTS = 10_000;

  private final Decider decider = new Decider(io.quotient.rate.BurstLimiter.inProcess());
  private final Plan plan =
      new Plan("bench", Map.of("ai_generations", Limit.of(1L << 53, Period.MONTH)));
  private final Instant anchor = Instant.parse("2026-01-01T00:00:00Z");
  private final Instant now = Instant.parse("2026-11-23T12:00:00Z");
  private ConsumeRequest[] spread;
  private ConsumeRequest hot;
  private BatchState hotState;
  private List<ItemDecision> decided;
  private final SplittableRandom random = new SplittableRandom(42);

  @Setup(Level.Trial)
  public void setUp() {
    spread = new ConsumeRequest[SUBJECTS];
    for (int i = 0; i < SUBJECTS; i++) {
      spread[i] = ConsumeRequest.of("s" + i, "ai_generations", 1);
    }
    hot = ConsumeRequest.of("hot", "ai_generations", 1);
    hotState = new BatchState();
    decided = decider.decide(plan, anchor, hot, now, new BatchState(), Decider.Mode.CONSUME).items();
  }

  @Benchmark
  public Decider.Verdict decideHot() {
    return decider.decide(plan, anchor, hot, now, hotState, Decider.Mode.CONSUME);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void decideBatchSpread(Blackhole bh) {
    BatchState state = new BatchState();
    for (int i = 0; i < BATCH; i++) {
      bh.consume(decider.decide(plan, anchor, spread[random.nextInt(SUBJECTS)], now, state, Decider.Mode.CONSUME));
    }
  }

  @Benchmark
  public String eventItemsJson() {
    return Events.items(decided, formatted);
  }

  @Benchmark
  public Window window() {
    return Window.of(Period.MONTH, anchor, now);
  }
}
