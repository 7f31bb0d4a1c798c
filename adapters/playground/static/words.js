// The page's own words, in the language chosen beside the persona picker. The server sends
// the page with its words filled in, and all of them in <body data-page-words> for the
// script; choosing another language fetches that language's words and puts them in place
// (each element says which words it shows with data-words), so nothing typed or open is lost.
"use strict";

const pageWords = {
  language: "en",
  words: {},
};

function readPageWords() {
  Object.assign(pageWords, JSON.parse(document.body.dataset.pageWords || "{}"));
}

// The words `key` names, each {placeholder} filled from `values`.
function say(key, values = {}) {
  const text = pageWords.words[key] ?? key;
  return text.replace(/\{([a-z_]+)\}/g, (whole, name) => (name in values ? values[name] : whole));
}

// An element that shows the words `key`, now and after the language changes.
function wordsElement(tag, className, key) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.dataset.words = key;
  node.textContent = say(key);
  return node;
}

async function switchWords(language) {
  if (language === pageWords.language) return;
  const response = await fetch(`/playground/api/words?language=${encodeURIComponent(language)}`);
  if (!response.ok) return; // the page keeps the words it has
  Object.assign(pageWords, await response.json());
  showWords(document);
  showWords(document.getElementById("pane-template").content);
  document.documentElement.lang = pageWords.language;
}

function showWords(root) {
  for (const node of root.querySelectorAll("[data-words]")) {
    node.textContent = say(node.dataset.words);
  }
  for (const attribute of ["placeholder", "aria-label"]) {
    for (const node of root.querySelectorAll(`[data-words-${attribute}]`)) {
      node.setAttribute(attribute, say(node.getAttribute(`data-words-${attribute}`)));
    }
  }
}
