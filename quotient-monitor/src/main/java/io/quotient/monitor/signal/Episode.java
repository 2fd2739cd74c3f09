package io.quotient.monitor.signal;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One episode of a signal: from the first time its rule held to the last, for one target.
 *
 * @param id the episode's id
 * @param signal the signal
 * @param target what it is about: the subject, {@code key:<id>} or {@code address:<ip>}
 * @param subject the subject, null when the target is a key or address not tied to one
 * @param startedAt when the rule first held
 * @param lastAt when it last held
 * @param hits how many times it held during the episode
 * @param evidence what the rule saw the last time it held, by name
 * @param eventId the {@code abuse.detected} or {@code spike.detected} event the episode began with
 */
public record Episode(
    long id, Signal signal, String target, String subject, Instant startedAt, Instant lastAt, long hits,
    Map<String, String> evidence, long eventId) {
  public Episode {
    evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
  }
}
