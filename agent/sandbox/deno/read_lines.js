// Local stand-in for `readLines` from https://deno.land/std@0.186.0/io/mod.ts,
// so dspy's runner.js starts without reaching deno.land (see import_map.json).
export async function* readLines(reader) {
  const decoder = new TextDecoder();
  const chunk = new Uint8Array(64 * 1024);
  let pending = "";
  while (true) {
    const n = await reader.read(chunk);
    if (n === null) break;
    pending += decoder.decode(chunk.subarray(0, n), { stream: true });
    let newline;
    while ((newline = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      yield line.endsWith("\r") ? line.slice(0, -1) : line;
    }
  }
  pending += decoder.decode();
  if (pending.length > 0) yield pending;
}
