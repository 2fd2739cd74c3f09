/**
 * Windows: the period instance a consume falls in, computed from a limit's period, the subject's
 * billing anchor and the current instant. Resets are lazy: a new window simply starts at zero.
 */
package io.quotient.window;
