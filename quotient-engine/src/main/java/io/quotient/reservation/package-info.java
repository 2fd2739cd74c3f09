/**
 * Reservations: units held for a long operation with a time-to-live, then committed with the
 * actual amount (the rest returns), released, or expired (everything returns).
 */
package io.quotient.reservation;
