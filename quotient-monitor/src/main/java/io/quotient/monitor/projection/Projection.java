package io.quotient.monitor.projection;

import io.quotient.Names;
import java.util.Objects;

/**
 * A named consumer of the feed.
 *
 * @param name its name, the key of its cursor row (a Quotient name: lower case, digits, {@code _ -})
 * @param start where a projection that has no row yet starts
 * @param handler what it does with each batch
 */
public record Projection(String name, Start start, Handler handler) {
  public Projection {
    Names.requireName(name, "name");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(handler, "handler");
  }

  /** Where a new projection starts following the feed. */
  public enum Start {
    /** From the first event: it sees the whole history. */
    BEGINNING,
    /** From the events committed after it was first started (what it acts on is news, not history). */
    NOW
  }
}
