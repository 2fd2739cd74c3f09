/**
 * The feed: every committed event in one order that never changes, with a cursor. A reader that
 * follows it (page by page with {@link io.quotient.engine.Quotient#events}, or subscribed with
 * {@link io.quotient.engine.Quotient#feed}) sees each committed event exactly once, whatever the
 * number of writers and engine instances. {@link io.quotient.feed.FeedCursor} is a position in it;
 * {@link io.quotient.feed.Feed} delivers it to subscribers with backpressure.
 */
package io.quotient.feed;
