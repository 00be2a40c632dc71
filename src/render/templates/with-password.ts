/** `url` with DB_PASSWORD as its password, percent-encoded; a URL that has a password keeps it. */
function withPassword(url: string): string {
  const password = process.env.DB_PASSWORD;
  const start = url.indexOf("://") + 3;
  const at = url.indexOf("@", start);
  if (password === undefined || at < 0 || url.slice(start, at).includes(":")) return url;
  return `${url.slice(0, at)}:${encodeURIComponent(password)}${url.slice(at)}`;
}
