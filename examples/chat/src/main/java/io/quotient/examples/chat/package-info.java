/**
 * The seeds' chat app on the Quotient Spring Boot starter: {@code POST /api/chat} charged on
 * success through the quota filter, {@code GET /api/usage} as the seeds' endpoint answers.
 */
package io.quotient.examples.chat;
