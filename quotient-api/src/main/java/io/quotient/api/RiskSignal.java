package io.quotient.api;

import java.time.Instant;
import java.util.Map;

/**
 * One signal's share of a subject's risk, with its evidence: its latest episode.
 *
 * @param signal {@code denial_burst}, {@code race}, {@code usage_spike} or {@code credential_abuse}
 * @param score its share of the score: its weight, decaying to 0 over 24 hours after {@code lastAt}
 * @param episode the episode's id (the {@code episode} of its {@code abuse.detected} / {@code spike.detected})
 * @param eventId the id of the event that announced the episode
 * @param target what the episode is about: the subject, {@code key:<id>} or {@code address:<ip>}
 * @param startedAt when the rule first held
 * @param lastAt when it last held
 * @param hits how many times it held in the episode
 * @param evidence what the rule saw the last time it held
 */
public record RiskSignal(
    String signal, int score, String episode, String eventId, String target, Instant startedAt, Instant lastAt, long hits,
    Map<String, String> evidence) {}
