package io.quotient.api;

import java.util.List;

/**
 * The answer of {@code GET /v1/subjects}: a page of subjects in id order.
 *
 * @param subjects the subjects that matched
 * @param nextCursor pass as {@code after} for the next page; null when there is nothing after this
 *     one (a page may be short, even empty, and still have a next cursor when a usage filter is given)
 */
public record SubjectPage(List<Subject> subjects, String nextCursor) {}
