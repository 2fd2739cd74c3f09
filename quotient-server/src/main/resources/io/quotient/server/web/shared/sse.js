// The pages' one reader of Server-Sent Events. They read GET /v1/stream with fetch rather than
// EventSource, which cannot send an Authorization header (the usage page's token must not travel
// in a query string).

/**
 * Reads the Server-Sent Events of a fetch answer and calls onMessage({ id, type, data }) for each
 * message until the stream ends; comments (the keep-alives) carry no data and are skipped.
 */
export async function readEvents(response, onMessage) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = (block.match(/^data: ?(.*)$/m) || [])[1];
      if (data === undefined) continue;
      onMessage({ id: (block.match(/^id: (.*)$/m) || [])[1], type: (block.match(/^event: (.*)$/m) || [])[1], data });
    }
  }
}
