/**
 * The engine: {@link io.quotient.engine.Quotient}, the in-process API, and the batching ledger
 * behind it that decides consumes in memory under row locks and commits each batch once.
 */
package io.quotient.engine;
