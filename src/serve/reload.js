// gazette serve: live reload. Injected into served pages only, never written
// to the output folder. Reloads this page when its bytes changed (keeping the
// scroll position), swaps stylesheets in place when only CSS changed, goes to
// the same page under the new path when base_url's path changed, and shows
// the build's errors over the last good page until the next good save.
// Before the site has built once, the server's page is its errors
// (`data-gazette-unbuilt`): the first good build reloads it, whatever it
// changed.
(() => {
  const unbuilt = document.documentElement.hasAttribute("data-gazette-unbuilt");
  // The server names changed pages by their decoded URL paths.
  let here = location.pathname;
  try { here = decodeURIComponent(here); } catch { /* kept as it is */ }
  here = here.replace(/\/$/, "/index.html");
  const scrollKey = "gazette-scroll:" + location.pathname;
  const saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    // "instant": the theme's smooth scrolling would animate back from the top.
    addEventListener("load", () => scrollTo({ top: Number(saved), behavior: "instant" }));
  }
  let overlay = null;
  const hide = () => { if (overlay) { overlay.remove(); overlay = null; } };
  const show = (text) => {
    hide();
    overlay = document.createElement("div");
    overlay.id = "gazette-errors";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);color:#f5f5f5;padding:24px;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace";
    const title = document.createElement("p");
    title.textContent = unbuilt
      ? "gazette: the site has errors, and no build has succeeded yet. Fix them and save: this page reloads."
      : "gazette: the site has errors; this is the last good build.";
    title.style.cssText = "margin:0 0 12px;padding:0;border:0;background:none;font:inherit;font-weight:bold;color:#ff8a80";
    const pre = document.createElement("pre");
    pre.textContent = text;
    // Every property set here: the page's own `pre` rules must not apply.
    pre.style.cssText = "margin:0;padding:0;border:0;background:none;color:inherit;font:inherit;white-space:pre-wrap;max-width:none;overflow:visible";
    overlay.append(title, pre);
    document.body.append(overlay);
  };
  const events = new EventSource("/__gazette/events");
  const reloadIfUnbuilt = () => {
    if (unbuilt) location.reload();
    return unbuilt;
  };
  events.addEventListener("reload", (e) => {
    if (reloadIfUnbuilt()) return;
    hide();
    const paths = JSON.parse(e.data).paths;
    if (paths.includes(here)) {
      sessionStorage.setItem(scrollKey, String(scrollY));
      location.reload();
    }
  });
  events.addEventListener("moved", (e) => {
    const { from, to } = JSON.parse(e.data);
    const rest = location.pathname.startsWith(from) ? location.pathname.slice(from.length) : "";
    location.replace(to + rest + location.search + location.hash);
  });
  events.addEventListener("css", () => {
    if (reloadIfUnbuilt()) return;
    hide();
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("gazette-reload", String(Date.now()));
      link.href = url.href;
    }
  });
  events.addEventListener("problem", (e) => show(JSON.parse(e.data).text));
  events.addEventListener("ok", () => {
    if (!reloadIfUnbuilt()) hide();
  });
})();
