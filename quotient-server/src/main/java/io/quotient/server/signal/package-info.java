/** The server's side of the abuse signals: reporting what never reaches the feed (conflicts, refused credentials). */
package io.quotient.server.signal;
