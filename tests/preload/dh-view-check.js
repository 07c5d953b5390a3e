// dh-view-check.js: loads DHAT files into Valgrind's own viewer, headless.
//
// Usage: node dh-view-check.js /usr/libexec/valgrind/dh_view.js FILE...
// Runs dh_view.js in a vm context with a minimal fake DOM, then for each
// FILE does what the page does when a file is chosen: JSON.parse,
// buildTree(), displayTree().  The viewer throws where the browser page
// would show an error; we print it and exit 1.  On success, prints the
// first lines of the rendered text of each file.
// SPDX-License-Identifier: MIT
"use strict";
const fs = require("fs");
const vm = require("vm");

class FakeElement {
  constructor(tag, text) {
    this.tagName = tag;
    this.children = [];
    this.parentNode = null;
    this.text = text === undefined ? "" : String(text);
    this.style = {};
    const classes = new Set();
    this.classList = {
      add: (c) => classes.add(c),
      remove: (c) => classes.delete(c),
      contains: (c) => classes.has(c),
      toggle: (c) => (classes.has(c) ? classes.delete(c) : classes.add(c)),
    };
  }
  appendChild(c) {
    c.parentNode = this;
    this.children.push(c);
    return c;
  }
  replaceChild(n, o) {
    const i = this.children.indexOf(o);
    if (i < 0) throw new Error("replaceChild: not a child");
    this.children[i] = n;
    n.parentNode = this;
    return o;
  }
  cloneNode() {
    return new FakeElement(this.tagName);
  }
  get childNodes() {
    return this.children;
  }
  // <select>: the option marked selected (the viewer marks the default).
  get selectedIndex() {
    const i = this.children.findIndex((c) => c.selected);
    return i < 0 ? 0 : i;
  }
  setAttribute() {}
  addEventListener() {}
  get nextSibling() {
    const p = this.parentNode;
    return p ? p.children[p.children.indexOf(this) + 1] || null : null;
  }
  get textContent() {
    return this.text + this.children.map((c) => c.textContent).join("");
  }
  set textContent(t) {
    this.children = [];
    this.text = String(t);
  }
}

const [viewer, ...files] = process.argv.slice(2);
if (!viewer || files.length === 0) {
  console.error("usage: node dh-view-check.js DH_VIEW_JS FILE...");
  process.exit(2);
}
const document = {
  title: "",
  body: new FakeElement("body"),
  location: { search: "" },
  createElement: (t) => new FakeElement(t),
  createTextNode: (t) => new FakeElement("#text", t),
};
const ctx = vm.createContext({
  document,
  window: {},
  console,
  performance: { now: () => 0 },
  URLSearchParams,
});
vm.runInContext(fs.readFileSync(viewer, "utf8"), ctx, { filename: viewer });
vm.runInContext("onLoad()", ctx);

let status = 0;
for (const f of files) {
  ctx.__src = fs.readFileSync(f, "utf8");
  try {
    vm.runInContext(
      "gData = JSON.parse(__src); buildTree(); displayTree(0, 0, 0);" +
        "__out = gMainDiv.textContent;",
      ctx
    );
    const lines = ctx.__out.split("\n");
    if (!/Invocation/.test(ctx.__out) || !/Total:/.test(ctx.__out))
      throw new Error("no invocation or totals rendered");
    console.log(`${f}: OK`);
    console.log(lines.slice(0, 8).map((l) => "  " + l).join("\n"));
  } catch (e) {
    console.log(`${f}: ERROR: ${e && e.message ? e.message : e}`);
    status = 1;
  }
}
process.exit(status);
