/**
 * Events: the audit trail. Every consume decision (granted or denied), refund, reservation change,
 * grant, reset and plan change is written in the same transaction as the change it records, and
 * read back in feed order ({@link io.quotient.feed}).
 */
package io.quotient.event;
