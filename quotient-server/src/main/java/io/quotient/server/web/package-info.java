/**
 * The web pages: static HTML, CSS and JavaScript modules served from the classpath (the end user's
 * {@code /usage} page), Chart.js as a WebJar, and the headers that say who may frame them.
 */
package io.quotient.server.web;
