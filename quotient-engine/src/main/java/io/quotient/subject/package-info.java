/** Subjects: whoever usage is counted for, with their plan, billing anchor and metadata. */
package io.quotient.subject;
