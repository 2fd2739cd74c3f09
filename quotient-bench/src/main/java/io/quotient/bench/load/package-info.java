/**
 * Load generation: closed-loop drivers (a fixed number of callers, each waiting for its answer
 * before asking again) and open-loop drivers (arrivals at a fixed rate, latency measured from the
 * intended send time so that queueing shows), both recording latency in HdrHistograms.
 */
package io.quotient.bench.load;
