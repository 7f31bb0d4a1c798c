// Where a person's attention is, kept across re-renders: the focus, and what a screen reader
// says. playground.js re-draws messages and pickers as the server's state changes; without
// this the focus would fall to the page after every vote, and nothing new would be spoken.
"use strict";

// --- the focus ------------------------------------------------------------------------------
// An element is known by what stays the same when it is drawn again: its pane, its message
// (data-ref), its action (data-action) or test id. After a change, if the focus fell to the
// page, it goes to the new copy of that element, else to its message, else to the message box.

function focusKey(node) {
  if (!node || node === document.body || node === document.documentElement) return null;
  return {
    channel: node.closest(".pane")?.dataset.channel,
    ref: node.closest("[data-ref]")?.dataset.ref,
    action: node.dataset.action,
    testid: node.dataset.testid,
  };
}

function successor(key) {
  const scope = key.channel ? document.querySelector(
    `.pane[data-channel="${CSS.escape(key.channel)}"]`) : document;
  if (!scope) return null;
  if (key.ref) {
    const card = scope.querySelector(`[data-ref="${CSS.escape(key.ref)}"]`);
    const same = key.action && card?.querySelector(`[data-action="${CSS.escape(key.action)}"]`);
    return same || card;
  }
  return key.testid ? scope.querySelector(`[data-testid="${CSS.escape(key.testid)}"]`) : null;
}

function focusLost() {
  const now = document.activeElement;
  return !now || now === document.body || now === document.documentElement;
}

// Runs `change`, then puts the focus back where the person was if the change took it away.
function keepingFocus(change) {
  const key = focusKey(document.activeElement);
  change();
  if (key && focusLost()) refocus(key);
}

function refocus(key) {
  const target = (key && successor(key)) || messageBox();
  // A message is focusable from script only, so that the focus has somewhere to go.
  if (target.matches("article")) target.tabIndex = -1;
  target.focus();
}

// The composer of the channel the person has chosen (the channels, before the page has any).
function messageBox() {
  const selected = document.querySelector("#channels [aria-pressed='true']");
  const channel = selected?.dataset.testid?.replace(/^channel-/, "");
  const pane = (channel && document.querySelector(`.pane[data-channel="${CSS.escape(channel)}"]`))
    || document.querySelector(".pane");
  return pane ? pane.querySelector(".command-input") : document.getElementById("panes");
}

// --- what is said -----------------------------------------------------------------------------
// Only new messages are announced, each in a few words, through one small status region; the
// transcripts themselves are not live regions, so a redrawn history is never read again.

const SPOKEN_CHARS = 160;
const SPOKEN_MESSAGES = 3; // back in a channel after a while: the newest few, not all

function spokenSummary(item, isPrivate) {
  const heading = item.querySelector("h3")?.textContent;
  const parts = [...item.querySelectorAll("article > :not(.private-label)")];
  const words = (heading || parts.map((part) => part.textContent).join(" "))
    .replace(/\s+/g, " ").trim();
  const short = words.length > SPOKEN_CHARS ? `${words.slice(0, SPOKEN_CHARS - 1)}…` : words;
  return `${isPrivate ? say("only_to_you") : "Concord"}: ${short}`;
}

function announce(lines) {
  if (!lines.length) return;
  document.getElementById("announcer").textContent = lines.slice(-SPOKEN_MESSAGES).join(" ");
}
