/**
 * Plans: named sets of limits, one per metric, each with a period, an enforcement and optional
 * overage price and burst rate. Plans are values; the engine stores and versions them.
 */
package io.quotient.plan;
