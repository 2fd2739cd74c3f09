/**
 * The one vocabulary of the live stream and the webhooks: {@link io.quotient.monitor.message.Messages#of}
 * turns a feed event into a {@link io.quotient.monitor.message.Message} with a dotted type
 * ({@code quota.consumed}, {@code alert.triggered}, …) and its {@code data}, and
 * {@link io.quotient.monitor.message.Message#json()} is the exact body both send.
 */
package io.quotient.monitor.message;
