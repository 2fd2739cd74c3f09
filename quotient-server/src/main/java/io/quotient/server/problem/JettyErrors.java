package io.quotient.server.problem;

import io.quotient.api.Problem;
import io.quotient.api.ProblemType;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals (a malformed URI, headers too large: requests refused before any route
 * runs) as problem bodies instead of Jetty's HTML page, so that no answer of the API is HTML.
 * Thread-safe.
 */
public final class JettyErrors extends ErrorHandler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Object attribute = request.getAttribute(ERROR_STATUS);
    int status = attribute instanceof Integer code ? code : response.getStatus();
    if (status < 400) {
      status = 500;
    }
    ProblemType type = switch (status) {
      case 400 -> ProblemType.BAD_REQUEST;
      case 404 -> ProblemType.NOT_FOUND;
      case 405 -> ProblemType.METHOD_NOT_ALLOWED;
      case 413 -> ProblemType.BODY_TOO_LARGE;
      case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
      default -> status >= 500 ? ProblemType.INTERNAL_ERROR : null;
    };
    Object message = request.getAttribute(ERROR_MESSAGE);
    String detail = message == null ? "the request was refused before it reached the API" : message.toString();
    byte[] bytes = ProblemMapper.bytes(new Problem(
        type == null ? "about:blank" : type.uri(), type == null ? "HTTP " + status : type.title(), status, detail,
        null, Map.of()));
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProblemMapper.CONTENT_TYPE);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Integer.toString(bytes.length));
    response.write(true, ByteBuffer.wrap(bytes), callback);
    return true;
  }
}
