/** The page at / until the web app lands: where to go next. */
export function landingPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Hearth</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1d1d1f}
a{color:#b3400f}code{background:#f3efe9;padding:.1rem .3rem;border-radius:4px}</style></head>
<body><h1>Hearth</h1>
<p>A home for micro-communities. The server is running.</p>
<ul><li><a href="/api/docs">Interactive API docs</a></li>
<li><a href="/api/v1/openapi.json">OpenAPI document</a></li>
<li><a href="/api/v1/communities">Public communities (JSON)</a></li>
<li><a href="/api/v1/health">Health</a></li></ul>
</body></html>`;
}
