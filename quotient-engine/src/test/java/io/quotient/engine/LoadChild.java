package io.quotient.engine;

import io.quotient.decision.ConsumeRequest;
import io.quotient.decision.Decision;
import io.quotient.storage.Database;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The process {@link KillTest} kills: consumes from many threads on the database it is given and
 * prints "granted EVENT_ID" for every granted decision, after the engine answered (so after the
 * commit), or "denied REASON" for a denial. Arguments: JDBC URL, schema, subject prefix, subject
 * count, default plan.
 */
public final class LoadChild {
  private LoadChild() {}

  public static void main(String[] args) throws Exception {
    Database database = Database.external(args[0], args[1], 8);
    Quotient engine = Quotient.builder(database.dataSource()).defaultPlan(args[4]).sweepInterval(null).build();
    String prefix = args[2];
    int subjects = Integer.parseInt(args[3]);
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
    out.println("ready");
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 32; t++) {
      int thread = t;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (long i = thread; ; i += 32) {
                      Decision decision =
                          (Decision) engine.consume(ConsumeRequest.of(prefix + (i % subjects), "ai", 1));
                      synchronized (out) {
                        out.println(decision.allowed() ? "granted " + decision.eventId() : "denied " + decision.reason());
                      }
                    }
                  }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }
}
