package io.quotient.server.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import io.quotient.server.cors.Origin;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Serves the web pages from the classpath: {@code /usage} (the end user's page, opened as
 * {@code /usage#token=…} so the token never travels in a URL sent to a server), {@code /admin} (the
 * dashboard, signed in with a session cookie from {@code POST /v1/session}) and Chart.js under
 * {@code /webjars/}. The pages call the same public API as everyone else; nothing here reads a
 * credential.
 *
 * <p>Frame policy: the usage page may be embedded (an iframe) by the origins of
 * {@code QUOTIENT_CORS_ORIGINS} and by this server itself, and by nobody else
 * ({@code Content-Security-Policy: frame-ancestors}). Scripts come from this server only.
 */
public final class WebPages {
  /** Where the pages live on the classpath. */
  static final String ROOT = "/io/quotient/server/web";

  private WebPages() {}

  /** Adds the pages and the WebJars to {@code cfg}. */
  public static void register(JavalinConfig cfg, List<Origin> frameOrigins) {
    cfg.staticFiles.enableWebjars();
    cfg.staticFiles.add(files -> {
      files.hostedPath = "/usage";
      files.directory = ROOT + "/usage";
      files.location = Location.CLASSPATH;
      files.headers = headers(frameOrigins);
    });
    cfg.staticFiles.add(files -> {
      files.hostedPath = "/shared"; // the modules both pages import
      files.directory = ROOT + "/shared";
      files.location = Location.CLASSPATH;
      files.headers = headers(List.of());
    });
    cfg.staticFiles.add(files -> {
      files.hostedPath = "/admin";
      files.directory = ROOT + "/admin";
      files.location = Location.CLASSPATH;
      files.headers = adminHeaders();
    });
  }

  /** The admin dashboard acts with a session cookie: nobody may frame it (clickjacking). */
  static Map<String, String> adminHeaders() {
    Map<String, String> headers = headers(List.of());
    headers.put("Content-Security-Policy", headers.get("Content-Security-Policy").replace("frame-ancestors 'self'", "frame-ancestors 'none'"));
    headers.put("X-Frame-Options", "DENY");
    return headers;
  }

  /** The security headers of a page that {@code frameOrigins} may embed. */
  static Map<String, String> headers(List<Origin> frameOrigins) {
    String ancestors = frameOrigins.isEmpty() ? "'self'"
        : "'self' " + frameOrigins.stream().map(Origin::value).collect(Collectors.joining(" "));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
        + " connect-src 'self'; frame-ancestors " + ancestors + "; base-uri 'none'; form-action 'none'");
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Referrer-Policy", "no-referrer");
    headers.put("Cache-Control", "no-cache");
    return headers;
  }
}
