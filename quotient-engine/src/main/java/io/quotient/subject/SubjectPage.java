package io.quotient.subject;

import java.util.List;

/**
 * A page of subjects, by id.
 *
 * @param subjects the subjects that matched, in id order
 * @param nextCursor where the next page starts; null when there is nothing after this page. A
 *     page may hold fewer subjects than asked (even none) and still have a next cursor: filters
 *     that need usage are applied to a bounded number of rows per page.
 */
public record SubjectPage(List<Subject> subjects, String nextCursor) {
  public SubjectPage {
    subjects = List.copyOf(subjects);
  }
}
