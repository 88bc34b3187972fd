// Search over the Pagefind index written next to the site. Works from any host and
// any sub-folder: the index and the site root are found relative to this script.
const app = document.getElementById("search-app");
const messages = document.getElementById("search-messages").dataset;
const siteRoot = new URL("../", import.meta.url);
const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");

app.hidden = false;
let pagefind = null;

// A large site's index is written in parts (bundles of a few hundred documents each):
// the first is loaded and the others merged into it, so one search covers them all.
const bundles = JSON.parse(app.dataset.bundles || '["pagefind/"]');

async function load() {
  if (pagefind) return pagefind;
  const engine = await import(new URL(bundles[0] + "pagefind.js", siteRoot).href);
  await engine.options({ baseUrl: siteRoot.pathname });
  for (const bundle of bundles.slice(1)) {
    await engine.mergeIndex(new URL(bundle, siteRoot).pathname, { baseUrl: siteRoot.pathname });
  }
  pagefind = engine;
  return pagefind;
}

// The excerpt marks matches with <mark>; build nodes instead of parsing HTML.
function excerptNodes(excerpt) {
  const fragment = document.createDocumentFragment();
  excerpt.split(/(<mark>[^<]*<\/mark>)/).forEach((part) => {
    const match = /^<mark>([^<]*)<\/mark>$/.exec(part);
    if (match) {
      const mark = document.createElement("mark");
      mark.textContent = match[1];
      fragment.appendChild(mark);
    } else if (part) {
      fragment.appendChild(document.createTextNode(part.replace(/<[^>]*>/g, "")));
    }
  });
  return fragment;
}

async function run(query) {
  list.replaceChildren();
  if (!query.trim()) { status.textContent = ""; return; }
  status.textContent = messages.searching;
  let engine;
  try { engine = await load(); } catch (error) { status.textContent = messages.unavailable; return; }
  const search = await engine.search(query);
  const results = await Promise.all(search.results.slice(0, 30).map((r) => r.data()));
  status.textContent = results.length ? messages.count.replace("{n}", search.results.length) : messages.none;
  for (const result of results) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = result.url;
    link.textContent = (result.meta && result.meta.title) || result.url;
    item.appendChild(link);
    if (result.meta && result.meta.type) {
      const kind = document.createElement("span");
      kind.className = "badge";
      kind.textContent = result.meta.type;
      item.prepend(kind);
    }
    const excerpt = document.createElement("div");
    excerpt.className = "excerpt";
    excerpt.appendChild(excerptNodes(result.excerpt || ""));
    item.appendChild(excerpt);
    list.appendChild(item);
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const url = new URL(location.href);
  url.searchParams.set("q", input.value);
  history.replaceState(null, "", url);
  run(input.value);
});
let timer = null;
input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => run(input.value), 250); });

const initial = new URLSearchParams(location.search).get("q");
if (initial) { input.value = initial; run(initial); }
