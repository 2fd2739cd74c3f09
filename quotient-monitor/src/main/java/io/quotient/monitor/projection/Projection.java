package io.quotient.monitor.projection;

import io.quotient.Names;
import java.util.Objects;

/**
 * A named consumer of the feed.
 *
 * @param name its name, the key of its cursor row (a Quotient name: lower case, digits, {@code _ -})
 * @param start where a projection that has no row yet starts
 * @param cadence how soon after a commit it must see it
 * @param handler what it does with each batch
 */
public record Projection(String name, Start start, Cadence cadence, Handler handler) {
  public Projection {
    Names.requireName(name, "name");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(cadence, "cadence");
    Objects.requireNonNull(handler, "handler");
  }

  /** A {@link Cadence#LIVE live} projection. */
  public Projection(String name, Start start, Handler handler) {
    this(name, start, Cadence.LIVE, handler);
  }

  /** Where a new projection starts following the feed. */
  public enum Start {
    /** From the first event: it sees the whole history. */
    BEGINNING,
    /** From the events committed after it was first started (what it acts on is news, not history). */
    NOW
  }

  /** How soon after a commit a projection must see it: how long it lingers between steps under load. */
  public enum Cadence {
    /** Acts on each event as it comes (alerts, webhooks): lingers the projector's short linger. */
    LIVE,
    /**
     * Keeps per-subject rows (rollups, marks): lingers the projector's longer rollup linger, so that
     * one step folds more of each subject's events into each of its rows.
     */
    ROLLUP
  }
}
