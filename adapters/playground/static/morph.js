// Updating what is on the page into what it should now show, keeping every node whose identity
// is unchanged. A node replaced between the press and the release of a click swallows the
// click, and a replaced node loses the focus: so a poll's card whose counts moved keeps its
// buttons, and only the text and attributes that changed are touched.
"use strict";

// Attributes the page itself puts on server-drawn nodes: a button busy with its click
// (playground.js), a message made focusable to take the focus (attention.js). The server
// never draws them, so a morph that finds them keeps them.
const PAGE_ATTRIBUTES = new Set(["aria-disabled", "tabindex"]);

// What stays the same about a node when it is drawn again: a list item's key, a message's
// reference, a button's action. Nodes without one are matched by their place and tag.
function identity(node) {
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const { key, ref, action } = node.dataset;
  return key ?? ref ?? action ?? null;
}

function sameKind(node, fresh) {
  return node.nodeType === fresh.nodeType && node.nodeName === fresh.nodeName
    && identity(node) === identity(fresh);
}

// Makes `node` look like `fresh` (which is not in the page), keeping `node` itself if it is
// the same kind of node. Returns the node that is in the page afterwards.
function morph(node, fresh) {
  if (node === fresh) return node;
  if (!sameKind(node, fresh)) {
    node.replaceWith(fresh);
    return fresh;
  }
  if (node.nodeType !== Node.ELEMENT_NODE) {
    if (node.nodeValue !== fresh.nodeValue) node.nodeValue = fresh.nodeValue;
    return node;
  }
  morphAttributes(node, fresh);
  morphChildren(node, [...fresh.childNodes]);
  return node;
}

function morphAttributes(node, fresh) {
  for (const { name } of [...node.attributes]) {
    if (!fresh.hasAttribute(name) && !PAGE_ATTRIBUTES.has(name)) node.removeAttribute(name);
  }
  for (const { name, value } of fresh.attributes) {
    if (node.getAttribute(name) !== value) node.setAttribute(name, value);
  }
}

// Makes the children of `parent` the `wanted` nodes. A wanted node that is already a child is
// kept as it is; any other reuses the old child that matches it (by identity, else the next
// unmatched one of its kind). A node is moved only when it is out of place: moving detaches
// it, which would lose a click as surely as replacing it.
function morphChildren(parent, wanted) {
  const unused = [...parent.childNodes];
  const pairs = wanted.map((fresh) => {
    const found = fresh.parentNode === parent
      ? unused.indexOf(fresh)
      : unused.findIndex((old) => sameKind(old, fresh));
    return { fresh, old: found < 0 ? null : unused.splice(found, 1)[0] };
  });
  for (const old of unused) old.remove();
  let place = parent.firstChild;
  for (const { fresh, old } of pairs) {
    const kept = old ? morph(old, fresh) : fresh;
    if (kept !== place) parent.insertBefore(kept, place);
    place = kept.nextSibling;
  }
}
